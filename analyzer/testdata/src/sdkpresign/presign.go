// Package sdkpresign presigns URLs for MinIO with a presign client built on
// the client that holds the keys: no fix.
package sdkpresign

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func withMinio(o *s3.Options) { o.BaseEndpoint = aws.String("http://minio:9000") }

func presigner(ctx context.Context) *s3.PresignClient {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA2YL6X7ZUNJMXL2SD", "g3Hxs2/+reweeN6Vpd7rz/o6vBO4C26+reGaE+ZO", ""))) // want `AKIA\*+L2SD .*custom endpoint \(BaseEndpoint, in withMinio, a per-operation option of s3.NewPresignClient at presign.go:19\)` `g3Hx\*+E\+ZO`
	return s3.NewPresignClient(s3.NewFromConfig(cfg), s3.WithPresignClientFromClientOptions(withMinio))
}
