// Package sdkenv points aws-sdk-go-v2 at LocalStack through the environment.
package sdkenv

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	v1aws "github.com/aws/aws-sdk-go/aws"
	v1creds "github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
)

// aws-sdk-go-v2 reads AWS_ENDPOINT_URL: no fix anywhere in the package
// (qa7 HIGH-4, case D).
func localstack(ctx context.Context) *s3.Client {
	os.Setenv("AWS_ENDPOINT_URL", "http://localstack:4566")
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIALKB5UMJ5L3YYPTTV", "SrE78oXwb8d0lz5uxy+oQDr7jsC4gmvwOuZWrT/7", ""))) // want `AKIA\*+PTTV .*no automatic fix: the client has a custom endpoint \(AWS_ENDPOINT_URL, set by os.Setenv at env.go:19\)` `SrE7\*+rT/7`
	return s3.NewFromConfig(cfg)
}

// aws-sdk-go v1 reads no endpoint from the environment: its fix stands.
func v1session() (*session.Session, error) {
	return session.NewSession(&v1aws.Config{
		Credentials: v1creds.NewStaticCredentials("AKIADCLOE77T7MIPVMXI", "Vu+cM6TUD/jV8+80Po5G3u6F8ttd2x6iEEZWIVIy", ""), // want `AKIA\*+VMXI .*removes the Credentials field` `Vu\+c\*+IVIy`
	})
}
