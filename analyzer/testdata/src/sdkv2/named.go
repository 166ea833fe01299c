package sdkv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// A provider returned from a named function: the result type takes the cache.
func staticProvider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("AKIAMDMPDS24ESBIF46J", "KeYnJXWCsacg/Sm1/9pDuetmP1onGuVrSuu+a68u", "") // want `AKIA\*+F46J .*replaces the static provider` `KeYn\*+a68u .*replaces the static provider`
}

// With an error result.
func providerErr() (aws.CredentialsProvider, error) {
	return credentials.NewStaticCredentialsProvider("AKIA2QVPNOIAYVH74CMW", "iquyb2DnPuOP0W4F3r8/fFWxridc8+LzesbloC+I", ""), nil // want `AKIA\*+4CMW .*replaces the static provider` `iquy\*+oC\+I`
}

type source struct{}

// From a method, as a provider func literal.
func (source) Provider() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIAU6XGYOLYQIFWR2X5", SecretAccessKey: "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"}, nil // want `AKIA\*+R2X5 .*the config leaves this function \(returned from the method Provider` `9DQn\*+bSxc`
	})
}

// Already in a cache: only the provider inside changes.
func cached() aws.Config {
	return aws.Config{Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("AKIAYFABBV2CN4EKMKSC", "lYZz1ByaOKTv5MNICHp/xWD7TE3Cn3/3TZg+Wycf", ""))} // want `AKIA\*+MKSC .*replaces the static provider` `lYZz\*+Wycf`
}

// Constants used by two calls: the fixes leave them, and their reports stay.
const (
	sharedID     = "AKIA2VMVYI4DAD2MIMIU"                     // want `AKIA\*+IMIU .*in a string literal: keep credentials out of the code`
	sharedSecret = "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" // want `aXof\*+QxFl .*in a string literal`
)

func first() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(sharedID, sharedSecret, "") // want `AKIA\*+IMIU .*replaces` `aXof\*+QxFl .*replaces`
}

func second() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(sharedID, sharedSecret, "") // want `AKIA\*+IMIU .*replaces` `aXof\*+QxFl .*replaces`
}
