// Package credentials is a test stub of github.com/aws/aws-sdk-go/aws/credentials.
package credentials

type Value struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	ProviderName    string
}

type Provider interface {
	Retrieve() (Value, error)
	IsExpired() bool
}

type Credentials struct{ provider Provider }

func NewCredentials(provider Provider) *Credentials { return &Credentials{provider: provider} }

type StaticProvider struct{ Value }

func (s *StaticProvider) Retrieve() (Value, error) { return s.Value, nil }
func (s *StaticProvider) IsExpired() bool          { return false }

func NewStaticCredentials(id, secret, token string) *Credentials {
	return NewCredentials(&StaticProvider{Value: Value{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}})
}

func NewStaticCredentialsFromCreds(creds Value) *Credentials {
	return NewCredentials(&StaticProvider{Value: creds})
}
