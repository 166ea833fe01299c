package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestServiceParentPath is qa26 L3's nested half, as a property: a secret
// alone under a bare name (secret, secret_key) is judged by its parents'
// path in every nested notation (YAML mappings, TOML tables, INI sections,
// JSON objects, HCL blocks), as its dotted or .env name would be: under an
// AWS service (ses, sqs, s3, kms) or aws: it is AWS's, however far up the
// component that holds it (mail:, app: beside database: and redis:) or the
// aws: parent is; under another system (stripe:, github:, slack {,
// [sendgrid]), or an AWS service under another provider (minio: s3:), it
// is not, whatever AWS words stand near.
func TestServiceParentPath(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	pad := func(indent string, n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(indent + "option_" + string(rune('a'+i)) + ": value\n")
		}
		return b.String()
	}
	for seed := uint64(1); seed <= 4; seed++ {
		s := fakekey.New(31310 + seed).Secret()
		found := []struct{ file, text string }{
			{"mail.yml", "mail:\n  ses:\n    secret_key: " + s + "\n"},
			{"config.yml", "mail:\n  mailer: ses\n  from: noreply@example.com\n  smtp:\n    host: smtp.example.com\n  ses:\n    region: eu-west-1\n    secret: " + s + "\n"},
			{"queue.yml", "queue:\n  sqs:\n    secret_key: " + s + "\n"},
			{"queue.yml", "queue:\n  sqs:\n    secret_access_key: " + s + "\n"},
			{"storage.yml", "storage:\n  s3:\n    secret: " + s + "\n"},
			{"app.yml", "app:\n  database:\n    host: db\n    port: 5432\n  redis:\n    url: redis://cache:6379\n  s3:\n    bucket: uploads\n    secret: " + s + "\n"},
			{"settings.yml", "aws:\n  region: us-east-1\n  sqs:\n    queue: jobs\n    secret_key: " + s + "\n"},
			{"settings.yml", "aws:\n  region: us-east-1\n  ses:\n    secret_key: " + s + "\n"},
			{"notify.yml", "notifications:\n  email:\n    amazon_ses:\n      credentials:\n        secret: " + s + "\n"},
			{"config.toml", "[mail.ses]\nregion = \"us-east-1\"\nsecret_key = \"" + s + "\"\n"},
			{"config.toml", "[mail]\ndriver = \"ses\"\n\n[mail.ses]\nsecret = \"" + s + "\"\n"},
			{"app.ini", "[ses]\nregion = us-east-1\nsecret_key = " + s + "\n"},
			{"app.ini", "[sqs]\nsecret = " + s + "\n"},
			{"config.json", "{\n  \"mail\": {\n    \"ses\": {\n      \"secret_key\": \"" + s + "\"\n    }\n  }\n}\n"},
			{"config.json", "{\n  \"aws\": {\n    \"region\": \"us-east-1\",\n" + strings.ReplaceAll(strings.ReplaceAll(pad("    \"", 8), ": value", "\": \"value\","), "_", "") +
				"    \"secret\": \"" + s + "\"\n  }\n}\n"},
			{"mail.hcl", "mail {\n  ses {\n    secret_key = \"" + s + "\"\n  }\n}\n"},
		}
		for _, tc := range found {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, s) {
				t.Errorf("seed %d: %s %q: %v, want the secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
		quiet := []struct{ file, text string }{
			{"config.yml", "aws:\n  region: us-east-1\nstripe:\n  secret_key: " + s + "\n"},
			{"config.yml", "services:\n  ses:\n    region: us-east-1\n  github:\n    secret: " + s + "\n"},
			{"config.yml", "minio:\n  s3:\n    secret: " + s + "\n"},
			{"config.yml", "storage:\n  provider: wasabi\n  s3:\n    secret: " + s + "\n"},
			{"config.yml", "storage:\n  endpoint: http://minio:9000\n  s3:\n    secret: " + s + "\n"},
			{"config.yml", "mail:\n  ses:\n    password: " + s + "\n"},
			{"config.yml", "aws:\n  rds:\n    secret: " + s + "\n"},
			{"config.yml", "kms:\n  key: " + s + "\n"},
			{"config.toml", "[aws]\nregion = \"us-east-1\"\n\n[stripe]\nsecret_key = \"" + s + "\"\n"},
			{"config.json", "{\n  \"aws\": {\n    \"region\": \"us-east-1\"\n  },\n  \"stripe\": {\n    \"secret_key\": \"" + s + "\"\n  }\n}\n"},
			{"config.json", "{\n  \"ses\": {\n    \"region\": \"us-east-1\"\n  },\n  \"github\": {\n    \"live\": {\n      \"secret\": \"" + s + "\"\n    }\n  }\n}\n"},
			{"config.json", "{\n  \"s3\": {\n    \"bucket\": \"uploads\"\n  },\n  \"slack\": {\n    \"secret\": \"" + s + "\"\n  }\n}\n"},
			{"main.tf", "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\nslack {\n  secret_key = \"" + s + "\"\n}\n"},
			{"app.hcl", "aws {\n  region = \"us-east-1\"\n}\nstripe {\n  secret_key = \"" + s + "\"\n}\n"},
		}
		for _, tc := range quiet {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, s) {
				t.Errorf("seed %d: %s %q: %v, want no secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}

// FuzzServiceParentPath: whatever stands above it, a bare secret_key whose
// nearest parent is stripe: is never AWS's in a file of no generic names,
// unless a key ID (which may pair it) stands in the text; and reading the
// parents never fails.
func FuzzServiceParentPath(f *testing.F) {
	for _, seed := range []string{
		"", "aws:\n  region: us-east-1\n", "{\n  \"aws\": {\n    \"secret\": \"x\"\n  },\n", "[aws]\nregion = x\n",
		"mail:\n  ses:\n", "  \n\t\n- - \n", "aws {\n  creds {\n", "aws_secret_access_key:\n", "# aws\n  s3:\n    x: y\n",
	} {
		f.Add(seed)
	}
	sc := newScanner(f, scanner.Options{})
	s := fakekey.New(31399).Secret()
	f.Fuzz(func(t *testing.T, prefix string) {
		for _, text := range []string{prefix + "\nstripe:\n  secret_key: " + s + "\n", prefix + "\n  stripe {\n    secret = \"" + s + "\"\n"} {
			fs := sc.Scan("settings.json", []byte(text))
			if strings.Contains(prefix, "A") || strings.Contains(prefix, "\\") {
				continue // a key ID, or an escape that may make one
			}
			if hasSecret(fs, s) {
				t.Fatalf("%q: %v, want no secret under stripe", text, summarize(fs))
			}
		}
	})
}
