package scanner_test

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// TestTestKeysNotReported checks that key IDs of account 000000000000 (what
// LocalStack and moto generate for their default account) and the secrets
// paired with them are left out by Scan, returned marked by ScanAll, and
// that a real pair beside them is still reported.
func TestTestKeysNotReported(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 20; seed++ {
		g := fakekey.New(seed)
		testID, testASIA, realID := g.KeyIDOf("AKIA", 0), g.KeyIDOf("ASIA", 0), g.KeyID("AKIA")
		s1, s2, s3 := g.Secret(), g.Secret(), g.Secret()
		tok := g.SessionToken()
		for _, tc := range []struct {
			name, file, text string
			reported         []string // values Scan returns
			tests            []string // values ScanAll adds, marked
		}{
			{"ini pair", ".aws/credentials", "[localstack]\naws_access_key_id = " + testID + "\naws_secret_access_key = " + s1 + "\n",
				nil, []string{testID, s1}},
			{"temporary set", ".aws/credentials", "[tmp]\naws_access_key_id = " + testASIA + "\naws_secret_access_key = " + s1 +
				"\naws_session_token = " + tok + "\n", nil, []string{testASIA, s1, tok}},
			{"key ID alone", "conftest.py", "os.environ['AWS_ACCESS_KEY_ID'] = '" + testID + "'\n", nil, []string{testID}},
			{"python moto fixture", "test_s3.py", "import boto3\n\nclient = boto3.client(\n    's3',\n    aws_access_key_id='" + testID +
				"',\n    aws_secret_access_key='" + s1 + "',\n)\n", nil, []string{testID, s1}},
			{"real pair beside a test pair", ".aws/credentials",
				"[localstack]\naws_access_key_id = " + testID + "\naws_secret_access_key = " + s1 + "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n" +
					"[prod]\naws_access_key_id = " + realID + "\naws_secret_access_key = " + s2 + "\n",
				[]string{realID, s2}, []string{testID, s1}},
			{"secret with its own keyword paired with a test ID", ".env", "AWS_ACCESS_KEY_ID=" + testID + "\nAWS_SECRET_ACCESS_KEY=" + s3 + "\n",
				nil, []string{testID, s3}},
			{"base64 inside a Kubernetes Secret", "secret.yaml", "kind: Secret\ndata:\n  AWS_ACCESS_KEY_ID: " + base64.StdEncoding.EncodeToString([]byte(testID)) + "\n",
				nil, []string{testID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := secrets(sc.Scan(tc.file, []byte(tc.text)))
				if !sameSet(got, tc.reported) {
					t.Errorf("seed %d: Scan reported %q, want %q\n%s", seed, got, tc.reported, tc.text)
				}
				all := sc.ScanAll(tc.file, []byte(tc.text))
				reported, tests := all.Split()
				if !sameSet(secrets(reported), tc.reported) || !sameSet(secrets(tests), tc.tests) {
					t.Errorf("seed %d: ScanAll split into %q and %q, want %q and %q", seed, secrets(reported), secrets(tests), tc.reported, tc.tests)
				}
				for _, f := range tests {
					if !strings.Contains(f.TestKey, scanner.TestAccount) {
						t.Errorf("seed %d: %s: TestKey %q does not name the account", seed, f.Rule, f.TestKey)
					}
				}
			})
		}
	}
}

// TestTestKeysInBinary checks ScanBinary and ScanBinaryAll the same way.
func TestTestKeysInBinary(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3)
	testID, s := g.KeyIDOf("AKIA", 0), g.Secret()
	data := []byte("\x00\x01\x02aws_access_key_id=" + testID + "\x00\x00aws_secret_access_key=" + s + "\x00\xff")
	if fs := sc.ScanBinary("blob.bin", data); len(fs) != 0 {
		t.Errorf("ScanBinary reported %q, want nothing", secrets(fs))
	}
	if _, tests := sc.ScanBinaryAll("blob.bin", data).Split(); !sameSet(secrets(tests), []string{testID, s}) {
		t.Errorf("ScanBinaryAll gave test keys %q, want %q", secrets(tests), []string{testID, s})
	}
}

// TestDocumentationAccountNoted checks that a key ID of 123456789012 is
// reported with a note, and Check refuses a test key ID with its reason.
func TestDocumentationAccountNoted(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(4)
	docID := g.KeyIDOf("AKIA", 123456789012)
	fs := sc.Scan("app.py", []byte("AWS_ACCESS_KEY_ID = '"+docID+"'\n"))
	if len(fs) != 1 || fs[0].AccountID != scanner.DocumentationAccount || !strings.Contains(fs[0].Note, "documentation account") {
		t.Fatalf("Scan = %+v, want one finding of account %s with a note", fs, scanner.DocumentationAccount)
	}
	if f := sc.NewFinding(rules.AccessKeyID, "main.go", docID); !strings.Contains(f.Note, "documentation account") {
		t.Errorf("NewFinding note = %q, want the documentation account's", f.Note)
	}
	if ok, why := sc.Check(rules.AccessKeyID, g.KeyIDOf("AKIA", 0)); ok || !strings.Contains(why, "test key ID") {
		t.Errorf("Check(test key ID) = %v, %q; want false and the reason", ok, why)
	}
	if ok, _ := sc.Check(rules.AccessKeyID, docID); !ok {
		t.Errorf("Check(documentation account key ID) = false, want true")
	}
	// Accounts next to 0 are real accounts' numbers: reported.
	for _, acct := range []uint64{1, 42, 999999999999} {
		id := g.KeyIDOf("AKIA", acct)
		if fs := sc.Scan("x.txt", []byte("key "+id+"\n")); len(fs) != 1 {
			t.Errorf("key ID of account %012d: %d findings, want 1", acct, len(fs))
		}
	}
}

func secrets(fs scanner.Findings) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Secret)
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// TestTestKeyDoesNotHideRealSecret checks that a key ID of account
// 000000000000 hides only the secret that is unambiguously its other half:
// one in a comment, escaped, under a name no key ID has, or beside a real
// key ID leaves the secret reported (qa3 HIGH-1).
func TestTestKeyDoesNotHideRealSecret(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 10; seed++ {
		g := fakekey.New(seed)
		z, zASIA, k, s, tok := g.KeyIDOf("AKIA", 0), g.KeyIDOf("ASIA", 0), g.KeyID("AKIA"), g.Secret(), g.SessionToken()
		var ent strings.Builder
		for _, c := range z {
			ent.WriteString("&#" + strconv.Itoa(int(c)) + ";")
		}
		for _, tc := range []struct{ name, file, text, want string }{
			{"comment between a real pair", ".aws/credentials", "[prod]\naws_access_key_id = " + k + "\n# localstack: " + z + "\naws_secret_access_key = " + s + "\n", s},
			{"comment below a secret", "secrets.env", "AWS_SECRET_ACCESS_KEY=" + s + "\n# " + z + "\n", s},
			{"comment lines away", "secrets.env", "AWS_SECRET_ACCESS_KEY=" + s + "\nFOO_1=bar\nFOO_2=bar\nFOO_3=bar\n# " + z + "\n", s},
			{"real key ID in the block", ".env", "AWS_ACCESS_KEY_ID=" + k + "\n\nLOCALSTACK_KEY_ID=" + z + "\nAWS_SECRET_ACCESS_KEY=" + s + "\n", s},
			{"real key ID after", ".aws/credentials", "[prod]\naws_access_key_id = " + z + "\naws_secret_access_key = " + s + "\naws_access_key_id = " + k + "\n", s},
			{"escaped test ID", "secrets.env", "AWS_SECRET_ACCESS_KEY=" + s + "\n\nDEBUG=\"" + ent.String() + "\"\n", s},
			{"other name", "secrets.env", "AWS_SECRET_ACCESS_KEY=" + s + "\nDEBUG=" + z + "\n", s},
			{"token beside a commented ASIA ID", "token.env", "AWS_SESSION_TOKEN=" + tok + "\n# " + zASIA + "\n", tok},
			{"Go comment", "a.go", "// localstack id: " + z + "\npackage m\n\nconst awsSecretAccessKey = \"" + s + "\"\n", s},
			// Settings of two credential sets (qa4): the names say they are not one pair.
			{"another set's key ID", ".env", "AWS_SECRET_ACCESS_KEY=" + s + "\nLOCALSTACK_ACCESS_KEY_ID=" + z + "\n", s},
			{"a suffixed key ID", ".env", "AWS_SECRET_ACCESS_KEY=" + s + "\nAWS_ACCESS_KEY_ID_TEST=" + z + "\n", s},
			{"an S3 key name", ".env", "AWS_SECRET_ACCESS_KEY=" + s + "\nS3_LOCAL_KEY=" + z + "\n", s},
			{"an ASIA test ID of another set", ".env", "AWS_SECRET_ACCESS_KEY=" + s + "\nLOCALSTACK_ACCESS_KEY_ID=" + zASIA + "\n", s},
			{"YAML of two sets", "config.yaml", "localstack_key: " + z + "\nsecret_access_key: " + s + "\n", s},
			{"JSON of two objects", "creds.json", "{\"localstack\":{\"AccessKeyId\":\"" + z + "\"},\"prod\":{\"SecretAccessKey\":\"" + s + "\"}}\n", s},
			{"JS of two statements", "creds.js", "const prod = {secretAccessKey: \"" + s + "\"}; const local = {accessKeyId: \"" + z + "\"};\n", s},
		} {
			if got := secrets(sc.Scan(tc.file, []byte(tc.text))); !slices.Contains(got, tc.want) {
				t.Errorf("seed %d: %s: Scan reported %q, want %q among them\n%s", seed, tc.name, got, tc.want, tc.text)
			}
		}
		// The fixture shapes stay test keys.
		for _, text := range []string{
			"[localstack]\naws_access_key_id = " + z + "\naws_secret_access_key = " + s + "\n",
			"client = boto3.client(\"s3\", aws_access_key_id=\"" + z + "\", aws_secret_access_key=\"" + s + "\")\n",
			"env:\n  - name: AWS_ACCESS_KEY_ID\n    value: " + z + "\n  - name: AWS_SECRET_ACCESS_KEY\n    value: " + s + "\n",
			"os.environ[\"AWS_ACCESS_KEY_ID\"] = \"" + z + "\"\nos.environ[\"AWS_SECRET_ACCESS_KEY\"] = \"" + s + "\"\n",
			"LOCALSTACK_ACCESS_KEY_ID=" + z + "\nLOCALSTACK_SECRET_ACCESS_KEY=" + s + "\n",
			"provider \"aws\" {\n  access_key = \"" + z + "\"\n  secret_key = \"" + s + "\"\n}\n",
			"{\"AccessKeyId\": \"" + z + "\", \"SecretAccessKey\": \"" + s + "\"}\n",
		} {
			if got := secrets(sc.Scan("conftest.py", []byte(text))); len(got) != 0 {
				t.Errorf("seed %d: Scan reported %q of a test fixture\n%s", seed, got, text)
			}
		}
	}
}
