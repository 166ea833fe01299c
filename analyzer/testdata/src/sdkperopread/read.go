// Package sdkperopread gives its calls per-operation options keyscan reads
// whole and that set no endpoint: the fix stands.
package sdkperopread

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA2YL6X7ZUNJMXL2SD", "g3Hxs2/+reweeN6Vpd7rz/o6vBO4C26+reGaE+ZO", ""))) // want `AKIA\*+L2SD .*EC2 instance role` `g3Hx\*+E\+ZO`
	return s3.NewFromConfig(cfg)
}

func inEurope(o *s3.Options) { o.Region = "eu-west-1" }

func get(ctx context.Context, c *s3.Client) error {
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{}, inEurope); err != nil {
		return err
	}
	_, err := c.GetObject(ctx, &s3.GetObjectInput{}, func(o *s3.Options) { o.UsePathStyle = true })
	return err
}
