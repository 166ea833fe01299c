// Package lookalike has functions named like the SDK's that are not the
// SDK's: no SDK diagnostic, no fix; the keys are still keys.
package lookalike

type provider struct{ id, secret, token string }

// NewStaticCredentialsProvider is not github.com/aws/aws-sdk-go-v2/credentials's.
func NewStaticCredentialsProvider(id, secret, token string) provider {
	return provider{id, secret, token}
}

var p = NewStaticCredentialsProvider("AKIA2EEHEORW3D6F4DWM", "", "") // want `AKIA\*+4DWM .*in a string literal: keep credentials out of the code`
