// Package aws is a test stub of github.com/aws/aws-sdk-go-v2/aws.
package aws

import "context"

type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Source          string
}

type CredentialsProvider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

type CredentialsProviderFunc func(context.Context) (Credentials, error)

func (fn CredentialsProviderFunc) Retrieve(ctx context.Context) (Credentials, error) { return fn(ctx) }

type CredentialsCache struct{ provider CredentialsProvider }

func NewCredentialsCache(provider CredentialsProvider, optFns ...func(*CredentialsCacheOptions)) *CredentialsCache {
	return &CredentialsCache{provider: provider}
}

func (p *CredentialsCache) Retrieve(ctx context.Context) (Credentials, error) {
	return p.provider.Retrieve(ctx)
}

type CredentialsCacheOptions struct{}

type Config struct {
	Region                      string
	Credentials                 CredentialsProvider
	BaseEndpoint                *string
	EndpointResolverWithOptions EndpointResolverWithOptions
}

type Endpoint struct{ URL string }

type EndpointResolverWithOptions interface {
	ResolveEndpoint(service, region string, options ...interface{}) (Endpoint, error)
}

type EndpointResolverWithOptionsFunc func(service, region string, options ...interface{}) (Endpoint, error)

func (e EndpointResolverWithOptionsFunc) ResolveEndpoint(service, region string, options ...interface{}) (Endpoint, error) {
	return e(service, region, options...)
}

func String(v string) *string { return &v }
