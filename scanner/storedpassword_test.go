package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestStoredPasswordAlone is qa27 L2 as a property: a value named a
// password, with no key ID beside it, is never an AWS secret key, whatever
// AWS words stand near: the AWS words around one are mostly the store that
// keeps it (aws ssm put-parameter, a Secrets Manager secret's JSON, its
// ARN). A name that says AWS secret key is still AWS's in the same stores,
// and a key ID beside a password still pairs it.
func TestStoredPasswordAlone(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(27200 + seed)
		s, id := g.Secret(), g.KeyID("AKIA")
		quiet := []struct{ file, text string }{
			{"ssm.sh", "aws ssm put-parameter --name /prod/db/password --type SecureString --value \"" + s + "\"\n"},
			{"ssm.sh", "aws ssm put-parameter --name password --value " + s + " --region us-east-1\n"},
			{"get-secret-value.json", "{\n  \"ARN\": \"" + arn + "\",\n  \"Name\": \"prod/db\",\n  \"SecretString\": \"{\\\"password\\\":\\\"" + s + "\\\"}\"\n}\n"},
			{"create.sh", "aws secretsmanager create-secret --name prod/app --secret-string '{\"password\":\"" + s + "\"}'\n"},
			{"params.yml", "# SSM parameters of the AWS account\nparameters:\n  - name: /prod/db/password\n    value: " + s + "\n"},
			{"main.tf", "resource \"aws_ssm_parameter\" \"db\" {\n  name  = \"/prod/db/password\"\n  type  = \"SecureString\"\n  value = \"" + s + "\"\n}\n"},
		}
		for _, tc := range quiet {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, s) {
				t.Errorf("seed %d: %s %q: %v, want no secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
		found := []struct{ file, text string }{
			{"ssm.sh", "aws ssm put-parameter --name /prod/aws_secret_access_key --type SecureString --value \"" + s + "\"\n"},
			{"get-secret-value.json", "{\n  \"ARN\": \"" + arn + "\",\n  \"SecretString\": \"{\\\"aws_secret_access_key\\\":\\\"" + s + "\\\"}\"\n}\n"},
			{"config.yml", "aws:\n  username: " + id + "\n  password: " + s + "\n"},
			{"login.json", "{\"aws_access_key_id\": \"" + id + "\",\n \"password\": \"" + s + "\"}\n"},
		}
		for _, tc := range found {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, s) {
				t.Errorf("seed %d: %s %q: %v, want the secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}
