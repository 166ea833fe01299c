package fix_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
)

// TestApplyEncodedDocument: a key found in a decoded document (a
// credentials file in base64, once or twice, under a Kubernetes Secret's
// data) is listed for a person, since deleting the setting would delete
// the rest of the document; a value that decodes to the key alone is
// removed as before.
func TestApplyEncodedDocument(t *testing.T) {
	sc := fixture.Scanner(t)
	g := fakekey.New(9009)
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\nregion = eu-west-1\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	for _, v := range []string{enc(creds), enc(enc(creds))} {
		in := []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  credentials: " + v + "\n")
		fs := sc.Scan("secret.yaml", in)
		if len(fs) != 2 {
			t.Fatalf("scan: %d findings, want 2", len(fs))
		}
		res, err := fix.Apply("secret.yaml", in, fs)
		if err != nil || res.Changed() || !bytes.Equal(res.Content, in) || len(res.Manual) != 2 {
			t.Errorf("%s: changed %v, %d for a person (%v), want the file kept and both listed", fs[0].Encoding, res.Changed(), len(res.Manual), err)
		}
		for _, m := range res.Manual {
			if !strings.Contains(m.Reason, "encoded ("+fs[0].Encoding+")") {
				t.Errorf("reason %q does not say how the key is encoded", m.Reason)
			}
		}
	}
	in := []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  AWS_ACCESS_KEY_ID: " + enc(enc(id)) + "\n  region: ZXUtd2VzdC0x\n")
	fs := sc.Scan("secret.yaml", in)
	res, err := fix.Apply("secret.yaml", in, fs)
	if err != nil || len(fs) != 1 || len(res.Fixed) != 1 || bytes.Contains(res.Content, []byte("AWS_ACCESS_KEY_ID")) {
		t.Errorf("a value that is the key ID encoded twice: %d findings, %d fixed (%v), want it removed\n%s", len(fs), len(res.Fixed), err, res.Content)
	}
}
