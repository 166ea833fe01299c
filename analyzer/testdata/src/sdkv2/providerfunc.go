package sdkv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// A provider func returning an aws.Credentials literal is a static provider
// too; the fix replaces the whole func, and the context import with it.
func providerFunc() aws.Config {
	return aws.Config{
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{
				AccessKeyID:     "AKIAORCARJA6MRSPNT3R",                     // want `AKIA\*+NT3R .*in an aws.Credentials literal: go fix -fixtool=keyscan replaces the static provider`
				SecretAccessKey: "NQLaI9aydT+RaD+rfO+/1c8KHH81NAxdTFDZlQ0O", // want `NQLa\*+lQ0O .*in an aws.Credentials literal`
			}, nil
		}),
	}
}
