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

// AWS's own Signature Version 2 signs with the secret access key itself: a
// value named as an AWS secret stays one whatever it signs (qa7 HIGH-9).
const awsSecretAccessKey = "Zq3vKx8Lm2Rt7Yw1Pd4Hs9Fb6Nc0Gj5Ua+Ei/OkT" // want `AWS secret access key Zq3v\*+/OkT in a string literal`

func signV2(stringToSign string) []byte {
	m := hmac.New(sha256.New, []byte(awsSecretAccessKey))
	m.Write([]byte(stringToSign))
	return m.Sum(nil)
}
