package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestNestedCredentialsPath is qa18 M6: Spring Cloud AWS's secret-key
// nested under cloud: aws: credentials: (also under spring:, beside
// instance-profile:) is AWS's secret without an access key beside it, as
// the dotted cloud.aws.credentials.secret-key is: a parent that only holds
// credentials stands between the AWS parent and the value. Another thing
// between (aws: rds:), another system (minio:) or another cloud is not.
// A dotted parent (spring.cloud.aws.credentials:) is its parts (qa19 M5).
func TestNestedCredentialsPath(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		secret := fakekey.New(18060 + seed).Secret()
		for _, tc := range []struct{ file, text string }{
			{"application.yml", "cloud:\n  aws:\n    credentials:\n      secret-key: " + secret + "\n"},
			{"application-prod.yml", "spring:\n  cloud:\n    aws:\n      credentials:\n        instance-profile: false\n        secret-key: " + secret + "\n"},
			{"aws.yml", "aws:\n  credentials:\n    secret-key: " + secret + "\n"},
			{"config.yml", "app:\n  storage:\n    aws:\n      creds:\n        secret_key: " + secret + "\n"},
			{"config.json", "{\n  \"aws\": {\n    \"credentials\": {\n      \"secret\": \"" + secret + "\"\n    }\n  }\n}\n"},
			// dotted parents, as Spring binds them (qa19 M5)
			{"application.yml", "spring.cloud.aws.credentials:\n  secret-key: " + secret + "\n"},
			{"application.yml", "spring:\n  cloud.aws.credentials:\n    secret-key: " + secret + "\n"},
			{"application.yml", "spring.cloud.aws:\n  region.static: eu-west-1\n  credentials:\n    secret-key: " + secret + "\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want the secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"a.yml", "aws:\n  rds:\n    secret-key: " + secret + "\n"},
			{"b.yml", "aws:\n  minio:\n    credentials:\n      secret-key: " + secret + "\n"},
			{"c.yml", "cloud:\n  gcp:\n    credentials:\n      secret-key: " + secret + "\n"},
			{"d.yml", "aws.rds:\n  secret-key: " + secret + "\n"},
			{"e.yml", "aws:\n  minio.credentials:\n    secret-key: " + secret + "\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want no secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}
