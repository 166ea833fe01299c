package sdkv2

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// An option func of the package whose body sets no endpoint: the fix stands.
func retries(o *s3.Options) { o.Hooks = nil }

// It may read the options, and give what cannot carry an endpoint away.
func logged(o *s3.Options) { fmt.Println("region", o.Region) }

func readOption(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIARRLXQVN44SH5V4GS", "u0g/oBF8Azo74dTmXtO7+y2usWZ4f2TWPm+yvm23", ""))) // want `AKIA\*+V4GS .*replaces the static provider` `u0g/\*+vm23 .*replaces the static provider`
	return s3.NewFromConfig(cfg, retries, logged, func(o *s3.Options) { o.Region = "eu-west-1" })
}

// The default profile is the one LoadDefaultConfig reads anyway.
func defaultProfile(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("default"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAGDNASYRDQVM5TWVH", "BlHFAnc91W0nnT+U/1ewq9882cppMUvoluBp3BIz", ""))) // want `AKIA\*+TWVH .*replaces the static provider` `BlHF\*+3BIz`
}
