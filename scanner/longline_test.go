package scanner_test

import (
	"bytes"
	"fmt"

	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// cloudTrail returns n CloudTrail-like records, each naming an access key
// ID, joined by sep: "\n" gives one record per line, "," one minified line.
func cloudTrail(n int, sep string) []byte {
	g := fakekey.New(7)
	var b bytes.Buffer
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(sep)
		}
		fmt.Fprintf(&b, `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA%d","arn":"arn:aws:iam::123456789012:user/u%d",`+
			`"accountId":"123456789012","accessKeyId":"%s","userName":"u%d"},"eventTime":"2024-01-01T00:00:%02dZ","eventSource":"s3.amazonaws.com",`+
			`"eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.%d","userAgent":"aws-cli/2.15.0 Python/3.11",`+
			`"requestParameters":{"bucketName":"logs-%d","key":"data/%d.json"},"responseElements":null,"requestID":"%016X","eventID":"%08x-0000-4000-8000-%012x"}`,
			i, i, g.KeyID("AKIA"), i, i%60, i%256, i, i, i, i, i)
	}
	b.WriteString("]\n")
	return b.Bytes()
}

// keyPairs returns n credential pairs in JSON, joined by sep.
func keyPairs(n int, sep string) []byte {
	g := fakekey.New(8)
	var b bytes.Buffer
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(sep)
		}
		fmt.Fprintf(&b, `{"aws_access_key_id":"%s","aws_secret_access_key":"%s"}`, g.KeyID("AKIA"), g.Secret())
	}
	b.WriteString("]\n")
	return b.Bytes()
}

// TestLongLineLooksAroundLikeShortLines is the regression test for look-around
// bounded by the line instead of a window: N candidates on one line made
// the matcher read the line N times (3,000 key IDs on a 3 MB line took 4 s,
// 32,000 pairs did not finish in 12 minutes). It counts the bytes read
// around candidates rather than timing anything: one line must cost what
// N lines cost, within 2x, and give the same findings.
func TestLongLineLooksAroundLikeShortLines(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		gen  func(int, string) []byte
		want int
	}{{"cloudtrail", cloudTrail, 2000}, {"pairs", keyPairs, 4000}} {
		t.Run(c.name, func(t *testing.T) {
			lines, one := c.gen(2000, ",\n"), c.gen(2000, ",")
			fl, fo := sc.Scan("log.json", lines), sc.Scan("log.json", one)
			if len(fl) != c.want || len(fo) != c.want {
				t.Fatalf("found %d on lines and %d on one line, want %d", len(fl), len(fo), c.want)
			}
			for i := range fl {
				if fl[i].Secret != fo[i].Secret || fl[i].Pair != fo[i].Pair || fl[i].Context != fo[i].Context {
					t.Fatalf("finding %d differs:\nlines:    %+v\none line: %+v", i, fl[i], fo[i])
				}
			}
			wl, wo := scanner.LookedAround(sc, "log.json", lines), scanner.LookedAround(sc, "log.json", one)
			t.Logf("bytes read around candidates: %d on %d lines, %d on one line (input %d bytes)", wl, 2001, wo, len(one))
			if wo > 2*wl {
				t.Errorf("one line read %d bytes around its candidates, %d lines %d: more than 2x", wo, 2001, wl)
			}
			if per := wo / len(fo); per > 32<<10 {
				t.Errorf("one line read %d bytes around each finding: the windows are 8 KiB at most", per)
			}
		})
	}
}
