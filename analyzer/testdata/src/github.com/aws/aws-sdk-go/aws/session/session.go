// Package session is a test stub of github.com/aws/aws-sdk-go/aws/session.
package session

import (
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/client"
)

type Session struct{ Config *aws.Config }

type Options struct {
	Config  aws.Config
	Profile string
}

func NewSession(cfgs ...*aws.Config) (*Session, error) { return &Session{Config: aws.NewConfig()}, nil }

func NewSessionWithOptions(opts Options) (*Session, error) {
	return &Session{Config: &opts.Config}, nil
}

func Must(sess *Session, err error) *Session {
	if err != nil {
		panic(err)
	}
	return sess
}

func (s *Session) ClientConfig(service string, cfgs ...*aws.Config) client.Config {
	return client.Config{Config: s.Config}
}
