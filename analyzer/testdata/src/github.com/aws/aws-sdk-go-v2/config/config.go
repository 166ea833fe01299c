// Package config is a test stub of github.com/aws/aws-sdk-go-v2/config.
package config

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

type LoadOptions struct {
	Region              string
	Credentials         aws.CredentialsProvider
	SharedConfigProfile string
}

type LoadOptionsFunc func(*LoadOptions) error

func LoadDefaultConfig(ctx context.Context, optFns ...func(*LoadOptions) error) (aws.Config, error) {
	return aws.Config{}, nil
}

func WithRegion(v string) LoadOptionsFunc {
	return func(o *LoadOptions) error { o.Region = v; return nil }
}

func WithCredentialsProvider(v aws.CredentialsProvider) LoadOptionsFunc {
	return func(o *LoadOptions) error { o.Credentials = v; return nil }
}

func WithEndpointResolverWithOptions(v aws.EndpointResolverWithOptions) LoadOptionsFunc {
	return func(o *LoadOptions) error { return nil }
}

func WithBaseEndpoint(v string) LoadOptionsFunc {
	return func(o *LoadOptions) error { return nil }
}

func WithSharedConfigProfile(v string) LoadOptionsFunc {
	return func(o *LoadOptions) error { o.SharedConfigProfile = v; return nil }
}
