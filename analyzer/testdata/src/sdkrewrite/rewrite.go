// Package sdkrewrite sends its requests where an environment variable says,
// through an HTTP transport: the assignment to a request's URL.Host
// withholds every fix, since keyscan does not follow the transport to the
// client it is given to.
package sdkrewrite

import (
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

type rewrite struct{ next http.RoundTripper }

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req.URL.Host = os.Getenv("OBJECT_STORE_HOST")
	return r.next.RoundTrip(req)
}

var _ http.RoundTripper = rewrite{}

func client() *s3.Client {
	return s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIAQVUJWZAAIMXIQHLN", "j2mI/pQr79r+Dj2z3z838HjnExMTfbVbpTjwidjk", "")}) // want `AKIA\*+QHLN .*no automatic fix: the client has a custom endpoint \(URL.Host of a request set at rewrite.go:18, which may send` `j2mI\*+idjk .*custom endpoint`
}
