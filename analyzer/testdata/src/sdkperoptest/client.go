// Package sdkperoptest's tests point a call at LocalStack with a
// per-operation option: the package analyzed without its tests has no fix
// either.
package sdkperoptest

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA2YL6X7ZUNJMXL2SD", "g3Hxs2/+reweeN6Vpd7rz/o6vBO4C26+reGaE+ZO", ""))) // want `AKIA\*+L2SD .*custom endpoint \(BaseEndpoint, a per-operation option of client\(context.Background\(\)\).GetObject at client_test.go:13\)` `g3Hx\*+E\+ZO`
	return s3.NewFromConfig(cfg)
}
