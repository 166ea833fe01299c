package sdkv2

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// An S3-compatible server (MinIO, Ceph, LocalStack): the instance role's
// credentials would mean nothing to it, so there is no fix.
func minio() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String("http://minio.internal:9000"),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIASTV43BP7HHUPZTS7", "8B7s0PW5ea+9LMcF2Zerr8VGYgjWc35sa7/q4KSg", ""), // want `AKIA\*+ZTS7 .*no automatic fix: the client has a custom endpoint \(BaseEndpoint\)` `8B7s\*+4KSg .*custom endpoint`
	})
}

// The endpoint set in an option func.
func optionFunc(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String("https://objects.storage.example")
		o.Credentials = credentials.NewStaticCredentialsProvider("AKIAKZFXIP4C4KSFIG55", "uX+PsrcvtA4M7AhwecdPl1Q2Ocb7hhCf6ezBD/1N", "") // want `AKIA\*+IG55 .*custom endpoint \(BaseEndpoint\)` `uX\+P\*+D/1N`
	})
}

// An endpoint resolver given to LoadDefaultConfig.
func resolver(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA2IGGVFYQM7P5LTU4", "jvrWUpzf/PpHEKjbiKYOhBEQMzqwuT2AFr+PMaAI", "")), // want `AKIA\*+LTU4 .*custom endpoint \(WithEndpointResolverWithOptions\)` `jvrW\*+MaAI`
		config.WithEndpointResolverWithOptions(aws.EndpointResolverWithOptionsFunc(func(service, region string, options ...interface{}) (aws.Endpoint, error) {
			return aws.Endpoint{URL: "http://localhost:4566"}, nil
		})),
	)
}

// A key ID that is not AWS's: the keys belong to another service, and the
// SDK call alone does not make the secret an AWS secret.
func notAWS() *s3.Client {
	return s3.New(s3.Options{
		Credentials: credentials.NewStaticCredentialsProvider("Q3AM3UQ867SPQQA43P2F", "zuf+tfteSlswRu7BJ86wekitnifILbZam1KYY3TG", ""),
	})
}

// A MinIO client whose key ID is not a constant: with no AWS key ID among
// its keys, its secret is MinIO's (as for keyscan scan, whose matcher reads
// the block's endpoint).
func minioEnv() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String("http://minio.internal:9000"),
		Credentials:  credentials.NewStaticCredentialsProvider(minioAccessKey(), "m/GgRcJAH4muMtmWk/SUkqB0OaA+QvKe1hgzIK+B", ""),
	})
}

// minioAccessKey stands for a lookup (the environment, a secrets store).
func minioAccessKey() string { return os.Getenv("MINIO_ACCESS_KEY") }
