// Package sdkdialstd gives its HTTP transport net.Dialer's DialContext,
// with a timeout: the standard dialer dials the address the request
// names, and the fix stands.
package sdkdialstd

import (
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func client() *s3.Client {
	dialer := &net.Dialer{Timeout: time.Second}
	hc := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, DialTLS: nil}}
	_ = hc
	return s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIA3VOEYGXP4TO46KJM", "ZtoTxhKAFMYqO9ytRLd0XZYZwGAbb+VbweJ+n/bC", "")}) // want `AKIA\*+6KJM .*EC2 instance role` `ZtoT\*+n/bC`
}
