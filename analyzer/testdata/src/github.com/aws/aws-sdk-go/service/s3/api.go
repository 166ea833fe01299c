// Package s3 is a test stub of github.com/aws/aws-sdk-go/service/s3.
package s3

import (
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/client"
)

type S3 struct{ cfg client.Config }

func New(p client.ConfigProvider, cfgs ...*aws.Config) *S3 {
	return &S3{cfg: p.ClientConfig("s3", cfgs...)}
}
