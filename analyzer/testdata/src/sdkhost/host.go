// Package sdkhost talks to Wasabi, whose us-east-1 is AWS's name too, through
// an HTTP transport that keyscan does not follow to the client: the host
// the package names withholds every fix (CLOSING17).
package sdkhost

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	v1aws "github.com/aws/aws-sdk-go/aws"
	v1creds "github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
)

const wasabi = "s3.wasabisys.com"

type rewrite struct{ next http.RoundTripper }

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req.Host = wasabi
	return r.next.RoundTrip(req)
}

var _ http.RoundTripper = rewrite{}

func client() *s3.Client {
	return s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIAKCWIT3SE2FA6MOHF", "jvQrUURowyNOB8M+hmzrS5Dqh8Ttc/+lG704FmlP", "")}) // want `AKIA\*+MOHF .*no automatic fix: the client has a custom endpoint \(wasabisys.com, Wasabi's host, named in host.go:16\)` `jvQr\*+FmlP .*custom endpoint`
}

// aws-sdk-go v1 too: its default chain would hand the role's keys to Wasabi.
func v1session() (*session.Session, error) {
	return session.NewSession(&v1aws.Config{
		Credentials: v1creds.NewStaticCredentials("AKIAQ44GQ2POJ3X67ZAU", "RQoVUFglpKD6s2GbCd0qDSSqUXkDPNPW2PX5n+rI", ""), // want `AKIA\*+7ZAU .*custom endpoint \(wasabisys.com` `RQoV\*+n\+rI .*custom endpoint`
	})
}
