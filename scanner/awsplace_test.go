package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestAWSOnlyPlaces is qa29 L2 as a property: a secret with no key ID
// beside it, in a context that is AWS's alone — the password of curl's
// --user under --aws-sigv4 "aws:…", of an Airflow aws:// URI or AWS
// connection, the secret_key of an object store of type S3 at AWS's host —
// is reported; the same shapes for another service, or sent to another
// host, are not.
func TestAWSOnlyPlaces(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		s := fakekey.New(29200 + seed).Secret()
		enc := strings.NewReplacer("/", "%2F", "+", "%2B").Replace(s)
		found := []struct{ file, text string }{
			{"s.sh", "curl --aws-sigv4 \"aws:amz:us-east-1:s3\" --user \"$ID:" + s + "\" https://b.s3.amazonaws.com/x\n"},
			{"s.sh", "curl --aws-sigv4 aws:amz:us-east-1:s3 -u \"$ID:" + s + "\" \"$URL\"\n"},
			{"s.sh", "curl --aws-sigv4=aws:amz:us-east-1:s3 -u'$ID:" + s + "' https://b.s3.amazonaws.com/x\n"},
			{"s.sh", "curl -sS \\\n  --aws-sigv4 \"aws:amz:us-east-1:s3\" \\\n  --user \"$ID:" + s + "\" \\\n  https://b.s3.amazonaws.com/x\n"},
			{"s.sh", "curl --user \"$ID:" + s + "\" --aws-sigv4 \"aws:amz:us-east-1:s3\" https://b.s3.amazonaws.com/x\n"},
			{"README.md", "    curl --aws-sigv4 \"aws:amz:us-east-1:es\" --user \"${AWS_ID}:" + s + "\" https://search-x.us-east-1.es.amazonaws.com/\n"},
			{".env", "AIRFLOW_CONN_AWS_DEFAULT='aws://:" + enc + "@'\n"},
			{"dags.py", "os.environ[\"AIRFLOW_CONN_AWS\"] = \"aws://${KEY_ID}:" + enc + "@/?region_name=us-east-1\"\n"},
			{"values.yaml", "env:\n  - name: AIRFLOW_CONN_AWS_DEFAULT\n    value: \"aws://:" + enc + "@\"\n"},
			{"conn.json", "{\n  \"aws_default\": {\n    \"conn_type\": \"aws\",\n    \"login\": \"\",\n    \"password\": \"" + s + "\"\n  }\n}\n"},
			{".env", "AIRFLOW_CONN_AWS_DEFAULT={\"conn_type\": \"aws\", \"login\": \"\", \"password\": \"" + s + "\"}\n"},
			{"objstore.yml", "type: S3\nconfig:\n  bucket: thanos\n  endpoint: s3.amazonaws.com\n  secret_key: " + s + "\n"},
			{"cm.yaml", "data:\n  objstore.yml: |\n    type: s3\n    config:\n      endpoint: s3.eu-west-1.amazonaws.com\n      secret_key: \"" + s + "\"\n"},
		}
		for _, tc := range found {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, s) {
				t.Errorf("seed %d: %s %q: %v, want the secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
		quiet := []struct{ file, text string }{
			{"s.sh", "curl --user \"deploy:" + s + "\" https://example.com/upload\n"},
			{"s.sh", "curl --aws-sigv4 \"aws:amz:auto:s3\" --user \"$ID:" + s + "\" https://acct.r2.cloudflarestorage.com/b\n"},
			{"s.sh", "curl --aws-sigv4 \"aws:amz:us-east-1:s3\" --user \"$ID:" + s + "\" http://minio:9000/b/x\n"},
			{"s.sh", "curl --aws-sigv4 \"osc:osc:eu-west-2:api\" --user \"$ID:" + s + "\" \"$URL\"\n"},
			{"s.sh", "curl --aws-sigv4 \"aws:amz:us-east-1:s3\" https://b.s3.amazonaws.com/x\ncurl --user \"deploy:" + s + "\" https://example.com/upload\n"},
			{".env", "AIRFLOW_CONN_PG='postgresql://user:" + enc + "@db:5432/airflow'\n"},
			{".env", "AIRFLOW_CONN_MINIO='aws://:" + enc + "@/?endpoint_url=http%3A%2F%2Fminio%3A9000'\n"},
			{".env", "AIRFLOW_CONN_MINIO='aws://:" + enc + "@minio:9000'\n"},
			{"conn.json", "{\"conn_type\": \"http\", \"login\": \"bot\", \"password\": \"" + s + "\"}\n"},
			{"conn.json", "{\"conn_type\": \"aws\", \"login\": \"minio\", \"password\": \"" + s + "\", \"host\": \"minio:9000\"}\n"},
			{"objstore.yml", "type: S3\nconfig:\n  bucket: thanos\n  endpoint: minio:9000\n  secret_key: " + s + "\n"},
			{"objstore.yml", "type: GCS\nconfig:\n  bucket: thanos\n  secret_key: " + s + "\n"},
			{"objstore.yml", "type: AZURE\nconfig:\n  storage_account: acme\n  storage_account_key: " + s + "\n"},
		}
		for _, tc := range quiet {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, s) {
				t.Errorf("seed %d: %s %q: %v, want no secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}
