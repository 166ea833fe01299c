// Package s3 is a test stub of github.com/aws/aws-sdk-go-v2/service/s3.
package s3

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

type Options struct {
	Region       string
	BaseEndpoint *string
	Credentials  aws.CredentialsProvider
	UsePathStyle bool
	Hooks        []func(*Options)
}

type Client struct{ options Options }

func New(options Options, optFns ...func(*Options)) *Client {
	for _, fn := range optFns {
		fn(&options)
	}
	return &Client{options: options}
}

func NewFromConfig(cfg aws.Config, optFns ...func(*Options)) *Client {
	return New(Options{Region: cfg.Region, Credentials: cfg.Credentials}, optFns...)
}

type GetObjectInput struct{ Bucket, Key *string }

type GetObjectOutput struct{}

// GetObject takes per-operation options after its input.
func (c *Client) GetObject(ctx context.Context, in *GetObjectInput, optFns ...func(*Options)) (*GetObjectOutput, error) {
	o := c.options
	for _, fn := range optFns {
		fn(&o)
	}
	return &GetObjectOutput{}, nil
}

type PresignOptions struct {
	ClientOptions []func(*Options)
}

type PresignClient struct {
	client  *Client
	options PresignOptions
}

func NewPresignClient(c *Client, optFns ...func(*PresignOptions)) *PresignClient {
	var o PresignOptions
	for _, fn := range optFns {
		fn(&o)
	}
	return &PresignClient{client: c, options: o}
}

func WithPresignClientFromClientOptions(optFns ...func(*Options)) func(*PresignOptions) {
	return func(o *PresignOptions) { o.ClientOptions = append(o.ClientOptions, optFns...) }
}
