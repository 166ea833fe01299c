// Package sdkdialfunc gives its HTTP client a transport whose dialer is a
// function of the package, declared in another file (dialers.go): it may
// dial any address as a function literal may, and withholds every fix
// (qa27 L1).
package sdkdialfunc

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func client() *s3.Client {
	hc := &http.Client{Transport: &http.Transport{DialContext: dialStore}}
	_ = hc
	return s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIATK4YFAKOXR7URG43", "uaNt+7tKvSyaIt8pRPhuUip2w4NFh+Y/q8Zczs0w", "")}) // want `AKIA\*+RG43 .*no automatic fix: the client has a custom endpoint \(a dialer \(DialContext\) of its own at dial.go:15` `uaNt\*+zs0w`
}
