// Package credentials is a test stub of github.com/aws/aws-sdk-go-v2/credentials.
package credentials

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

type StaticCredentialsProvider struct {
	Value aws.Credentials
}

func NewStaticCredentialsProvider(key, secret, session string) StaticCredentialsProvider {
	return StaticCredentialsProvider{Value: aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: session}}
}

func (s StaticCredentialsProvider) Retrieve(_ context.Context) (aws.Credentials, error) {
	return s.Value, nil
}
