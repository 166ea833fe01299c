// Package sdkdial gives its HTTP client a transport that dials an address
// of its own, whatever host a request names: the dialer withholds every
// fix, since keyscan does not follow the transport to the client.
package sdkdial

import (
	"context"
	"net"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

var transport = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, os.Getenv("OBJECT_STORE_ADDR"))
	},
}

func client() *s3.Client {
	return s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIADXVNBYLRILR44NBN", "nQh+OcLsfQjI1x5XrBvD5+Z4C/ajKk6r9/XXOUIV", "")}) // want `AKIA\*+4NBN .*no automatic fix: the client has a custom endpoint \(a dialer \(DialContext\) of its own at dial.go:17` `nQh\+\*+OUIV .*custom endpoint`
}
