package sdkv2

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

const (
	keyID     = "AKIAKJAD7N72ICT2TWJW"                     // want `AKIA\*+TWJW .*in a string literal: go fix -fixtool=keyscan removes this constant with the static credentials it is only used for \(line 20\)`
	secretKey = "5FvQeV3uAUmo8Kpvngmy10bJBLl+nof02/Xu72IL" // want `5FvQ\*+72IL .*in a string literal: go fix -fixtool=keyscan removes this constant`
)

// Constant keys given to the SDK are reported at the call too, where the
// fix is.
func configWithField() aws.Config {
	return aws.Config{
		Region: "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider(keyID, // want `AKIA\*+TWJW .*passed to credentials.NewStaticCredentialsProvider: go fix -fixtool=keyscan replaces`
			secretKey, ""), // want `5FvQ\*+72IL .*passed to credentials.NewStaticCredentialsProvider`
	}
}

// Keys from the environment are not hardcoded: silent, and the credentials
// import stays in use.
func fromEnv() aws.Config {
	return aws.Config{Credentials: credentials.NewStaticCredentialsProvider(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), "")}
}
