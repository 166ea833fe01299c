package literals

import (
	"crypto/hmac"
	"crypto/sha256"

	"github.com/aws/aws-sdk-go-v2/aws"
)

var region = aws.String("us-east-1")

// A signing key of another system in a file of a package that uses AWS: its
// use (an HMAC key) says it is not an AWS secret.
var secret = "t/dGZKskFztC0LJE9OR+mhS5rQ3rG4m7PMch3hME"

func sign(msg []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return m.Sum(nil)
}
