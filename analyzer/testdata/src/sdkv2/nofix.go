package sdkv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
)

// Where the rewrite would change a variable's type, there is no fix: the
// diagnostic says what to do.
func concrete() string {
	p := awscreds.NewStaticCredentialsProvider("AKIACEIIR53FZRFEMGN3", "AO3LDHEm8138ReJxOMv5t4Oqgtp+cjpXe3Or/3zr", "") // want `AKIA\*+MGN3 .*passed to credentials.NewStaticCredentialsProvider: no automatic fix here: replace the static provider with aws.NewCredentialsCache\(ec2rolecreds.New\(\)\)` `AO3L\*+/3zr`
	return p.Value.AccessKeyID
}

// A named function returning a literal: no fix either.
func retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIAUYQAXJY72IWXWJUP", SecretAccessKey: "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"}, nil // want `AKIA\*+WJUP .*in an aws.Credentials literal: no automatic fix here` `8\+JJ\*+b7t0`
}

// A fix would delete the last use of secret, and the function would no
// longer compile: no fix.
func lastUse(secret string) aws.CredentialsProvider {
	_ = 0
	var s string = secret
	return awscreds.NewStaticCredentialsProvider("AKIAUU7Q3PWQ7XI43OH2", s, "") // want `AKIA\*+3OH2 .*no automatic fix here`
}

// Documented examples stay silent, in the SDK as anywhere.
func examples() aws.CredentialsProvider {
	return awscreds.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
}
