// Package sdkperop points one call of a client at MinIO with a per-operation
// option: no fix anywhere in the package.
package sdkperop

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA2YL6X7ZUNJMXL2SD", "g3Hxs2/+reweeN6Vpd7rz/o6vBO4C26+reGaE+ZO", ""))) // want `AKIA\*+L2SD .*custom endpoint \(BaseEndpoint, a per-operation option of s.c.GetObject at perop.go:23\)` `g3Hx\*+E\+ZO`
	return s3.NewFromConfig(cfg)
}

type store struct{ c *s3.Client }

func (s store) get(ctx context.Context, key string) error {
	_, err := s.c.GetObject(ctx, &s3.GetObjectInput{Key: &key}, func(o *s3.Options) {
		o.BaseEndpoint = aws.String("http://minio.internal:9000")
	})
	return err
}

var shared []func(*s3.Options)

// An option keyscan cannot read whole withholds the fix too.
func getShared(ctx context.Context, c *s3.Client) error {
	_, err := c.GetObject(ctx, &s3.GetObjectInput{}, shared...)
	return err
}
