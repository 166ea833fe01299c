// Package ec2rolecreds is a test stub of github.com/aws/aws-sdk-go/aws/credentials/ec2rolecreds.
package ec2rolecreds

import "github.com/aws/aws-sdk-go/aws/credentials"

type EC2RoleProvider struct{}

func (p *EC2RoleProvider) Retrieve() (credentials.Value, error) { return credentials.Value{}, nil }
func (p *EC2RoleProvider) IsExpired() bool                      { return true }

// NewCredentials takes a client.ConfigProvider in the real SDK.
func NewCredentials(c interface{}, options ...func(*EC2RoleProvider)) *credentials.Credentials {
	return credentials.NewCredentials(&EC2RoleProvider{})
}
