package scanner_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// ordinaryText is 8 MiB of real source: the Go standard library as installed.
func ordinaryText(b *testing.B) []byte {
	var buf bytes.Buffer
	root := filepath.Join(runtime.GOROOT(), "src")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || buf.Len() >= 8<<20 {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.Contains(p, "testdata") {
			data, err := os.ReadFile(p)
			if err == nil {
				buf.Write(data)
			}
		}
		return nil
	})
	if buf.Len() == 0 {
		b.Skip("no Go source under GOROOT")
	}
	return buf.Bytes()
}

// nearMisses is text dense with things that look like credentials and are not:
// hashes, identifiers, key IDs with bad characters, keywords without values,
// base64 blobs, example keys.
func nearMisses() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	g := fakekey.New(3)
	var buf bytes.Buffer
	hex := "0123456789abcdef"
	for buf.Len() < 8<<20 {
		switch r.IntN(8) {
		case 0:
			buf.WriteString("sha1 = ")
			for range 40 {
				buf.WriteByte(hex[r.IntN(16)])
			}
			buf.WriteString("\n")
		case 1:
			buf.WriteString("aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n")
		case 2:
			buf.WriteString("id: AKIA1234567890123456 AIDA" + g.KeyID("")[:16] + "\n")
		case 3:
			buf.WriteString("secretKey := getAwsSecretAccessKeyFromEnvironmentVariable()\n")
		case 4:
			buf.WriteString("token: \"" + strings.Repeat("QUtJQUFBQUFBQUFBQUFBQUFBQUFB", 3) + "\"\n")
		case 5:
			buf.WriteString("example: AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
		case 6:
			buf.WriteString("random: " + g.Secret() + "\n")
		case 7:
			buf.WriteString("// session token handling for the secret store\n")
		}
	}
	return buf.Bytes()
}

func benchScan(b *testing.B, data []byte) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc.Scan("bench.txt", data)
	}
}

func BenchmarkScanOrdinary(b *testing.B)   { benchScan(b, ordinaryText(b)) }
func BenchmarkScanNearMisses(b *testing.B) { benchScan(b, nearMisses()) }

// BenchmarkLongLine compares a file of N candidates written on one line
// (minified JSON, CloudTrail logs) with the same file on N lines: the cost
// must be the same within 2x.
func BenchmarkLongLine(b *testing.B) {
	for _, c := range []struct {
		name string
		gen  func(int, string) []byte
		n    int
	}{{"keyIDs", cloudTrail, 3000}, {"keyIDs", cloudTrail, 12000}, {"pairs", keyPairs, 32000}} {
		for _, layout := range []struct{ name, sep string }{{"lines", ",\n"}, {"oneline", ","}} {
			b.Run(fmt.Sprintf("%s-%d-%s", c.name, c.n, layout.name), func(b *testing.B) {
				benchScan(b, c.gen(c.n, layout.sep))
			})
		}
	}
}
