// Package client is a test stub of github.com/aws/aws-sdk-go/aws/client.
package client

import "github.com/aws/aws-sdk-go/aws"

type Config struct{ Config *aws.Config }

type ConfigProvider interface {
	ClientConfig(serviceName string, cfgs ...*aws.Config) Config
}
