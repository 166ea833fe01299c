// Package aws is a test stub of github.com/aws/aws-sdk-go/aws.
package aws

import "github.com/aws/aws-sdk-go/aws/credentials"

type Config struct {
	Credentials *credentials.Credentials
	Region      *string
	Endpoint    *string

	S3ForcePathStyle *bool
}

func (c *Config) WithEndpoint(endpoint string) *Config {
	c.Endpoint = &endpoint
	return c
}

func NewConfig() *Config { return &Config{} }

func (c *Config) WithCredentials(creds *credentials.Credentials) *Config {
	c.Credentials = creds
	return c
}

func (c *Config) WithRegion(region string) *Config {
	c.Region = &region
	return c
}

func String(v string) *string { return &v }

func Bool(v bool) *bool { return &v }
