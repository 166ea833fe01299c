package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestNamedBlockValue is qa18 M7: a secret stored as an SSM parameter or a
// Secrets Manager secret named for it (the name's last path segment) is
// the value attribute of that block: Terraform's aws_ssm_parameter (also
// with a tags block between), Pulumi's options and keyword arguments,
// CDK's parameterName/stringValue; up to 600 bytes below the name (a long
// description between, a SQL column list's later row). A value of another block, or after a
// blank line, is not the name's.
func TestNamedBlockValue(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		secret := fakekey.New(18070 + seed).Secret()
		long := strings.Repeat("Rotated quarterly by the platform team; see the runbook. ", 8)
		for _, tc := range []struct{ file, text string }{
			{"ssm.tf", "resource \"aws_ssm_parameter\" \"s\" {\n  name  = \"/prod/app/aws_secret_access_key\"\n  type  = \"SecureString\"\n  value = \"" + secret + "\"\n}\n"},
			{"tags.tf", "resource \"aws_ssm_parameter\" \"s\" {\n  name  = \"/prod/app/aws_secret_access_key\"\n  type  = \"SecureString\"\n  tags = {\n    env = \"prod\"\n  }\n  value = \"" + secret + "\"\n}\n"},
			{"sm.tf", "resource \"aws_secretsmanager_secret_version\" \"k\" {\n  secret_id     = \"prod/aws_secret_access_key\"\n  version_stages = [\"AWSCURRENT\"]\n  secret_string = \"" + secret + "\"\n}\n"},
			{"index.ts", "new aws.ssm.Parameter(\"p\", {\n  name: \"/prod/app/aws_secret_access_key\",\n  type: \"SecureString\",\n  description: \"rotated monthly\",\n  value: \"" + secret + "\",\n});\n"},
			{"__main__.py", "aws.ssm.Parameter(\n    \"p\",\n    name=\"/prod/app/AWS_SECRET_ACCESS_KEY\",\n    type=\"SecureString\",\n    value=\"" + secret + "\",\n)\n"},
			{"stack.ts", "new ssm.StringParameter(this, 'P', {\n  parameterName: '/prod/aws_secret_access_key',\n  stringValue: '" + secret + "',\n});\n"},
			// more than 400 bytes below the name (notation25)
			{"long.tf", "resource \"aws_ssm_parameter\" \"s\" {\n  name        = \"/prod/app/aws_secret_access_key\"\n  description = \"" + long + "\"\n  type        = \"SecureString\"\n  value       = \"" + secret + "\"\n}\n"},
			{"rows.sql", "INSERT INTO creds (id, aws_secret_access_key, note) VALUES\n" + strings.Repeat("  (1, 'none', '"+long[:90]+"'),\n", 4) + "  (2, '" + secret + "', 'x');\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want the secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"other.tf", "resource \"aws_ssm_parameter\" \"s\" {\n  name  = \"/prod/app/aws_secret_access_key\"\n}\nresource \"random_thing\" \"y\" {\n  value = \"" + secret + "\"\n}\n"},
			{"blank.tf", "locals {\n  name = \"/prod/app/aws_secret_access_key\"\n\n  # unrelated\n  opaque = {\n    value = \"" + secret + "\"\n  }\n}\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want no secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}

// TestSecretsManagerValueAlone: a Secrets Manager secret's value is not an
// AWS secret key for the resource type and the ARN around it, which every
// such file has (qa26 L1); it is when the secret is named after one.
func TestSecretsManagerValueAlone(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		v := fakekey.New(seed).Secret()
		for _, c := range []struct {
			name, text string
			want       int
		}{
			{"db.tf", "resource \"aws_secretsmanager_secret\" \"db\" {\n  name = \"prod/db\"\n}\n\nresource \"aws_secretsmanager_secret_version\" \"db\" {\n  secret_id     = aws_secretsmanager_secret.db.id\n  secret_string = \"" + v + "\"\n}\n", 0},
			{"get.json", "{\n  \"ARN\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf\",\n  \"Name\": \"prod/db\",\n  \"SecretString\": \"" + v + "\",\n  \"VersionStages\": [\"AWSCURRENT\"]\n}\n", 0},
			{"put.sh", "aws secretsmanager create-secret --name prod/api-token --secret-string " + v + "\n", 0},
			{"key.tf", "resource \"aws_secretsmanager_secret_version\" \"k\" {\n  secret_id     = \"prod/aws_secret_access_key\"\n  secret_string = \"" + v + "\"\n}\n", 1},
			{"get2.json", "{\n  \"ARN\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/secret_key-AbCdEf\",\n  \"Name\": \"ci/secret_key\",\n  \"SecretString\": \"" + v + "\"\n}\n", 1},
		} {
			fs := sc.Scan(c.name, []byte(c.text))
			if len(fs) != c.want {
				t.Errorf("seed %d: %s: %d findings, want %d\n%s", seed, c.name, len(fs), c.want, c.text)
			}
		}
	}
}
