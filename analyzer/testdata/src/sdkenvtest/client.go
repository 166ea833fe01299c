// Package sdkenvtest's tests point aws-sdk-go-v2 at LocalStack: the package
// analyzed without its tests has no fix either.
package sdkenvtest

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA2YL6X7ZUNJMXL2SD", "g3Hxs2/+reweeN6Vpd7rz/o6vBO4C26+reGaE+ZO", ""))) // want `AKIA\*+L2SD .*custom endpoint \(AWS_ENDPOINT_URL_S3, set by t.Setenv at client_test.go:9\)` `g3Hx\*+E\+ZO`
	return s3.NewFromConfig(cfg)
}
