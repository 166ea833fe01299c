// Package ec2rolecreds is a test stub of github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds.
package ec2rolecreds

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

type Options struct{}

type Provider struct{}

func New(optFns ...func(*Options)) *Provider { return &Provider{} }

func (p *Provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, nil
}
