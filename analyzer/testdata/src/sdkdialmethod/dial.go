// Package sdkdialmethod gives its HTTP transport a method value of its own
// type as the dialer: it may dial any address as a function literal may,
// and withholds every fix (qa27 L1); a net.Dialer's DialContext beside it
// does not count.
package sdkdialmethod

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

type storeDialer struct{ addr string }

func (s storeDialer) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	return (&net.Dialer{Timeout: time.Second}).DialContext(ctx, network, s.addr)
}

func client() *s3.Client {
	std := &http.Transport{DialContext: (&net.Dialer{Timeout: time.Second}).DialContext}
	_ = std
	t := &http.Transport{}
	t.DialContext = storeDialer{addr: "127.0.0.1:9000"}.dial
	_ = t
	return s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIAXN6C5CTVV2WCIASD", "i83GDEI9TDQQ/zGituINIaD06tn1+Om13LNF1Otb", "")}) // want `AKIA\*+IASD .*no automatic fix: the client has a custom endpoint \(a dialer \(DialContext\) of its own at dial.go:27` `i83G\*+1Otb`
}
