package history

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// FuzzRefText: the text a ref name is scanned as keeps the name's length
// and bytes, but for a separator read as '=' (after a secret's name or a
// key ID) and the '/' that ends the value after it read as a space.
func FuzzRefText(f *testing.F) {
	g := fakekey.New(2403)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, s := range []string{
		"refs/heads/aws_secret_access_key/" + secret,
		"refs/tags/AWS_SECRET_ACCESS_KEY-" + secret + "/x",
		"refs/heads/" + id + "/" + secret,
		"key/key/key/key/key/key/key/key/key/key/key/key/key/key/key",
		"", "/", "key-", "AAAAAAAAAAAAAAAAAAAA.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		text := refText(name)
		if len(text) != len(name) {
			t.Fatalf("length %d, want %d", len(text), len(name))
		}
		for i := range text {
			if text[i] == name[i] {
				continue
			}
			switch {
			case text[i] == '=' && isRefSeparator(name[i]) && afterSecretNameOrKeyID(name[:i]):
			case text[i] == ' ' && name[i] == '/' && i > secretLen && text[i-secretLen-1] == '=':
			default:
				t.Fatalf("byte %d: %q read as %q", i, name[i], text[i])
			}
		}
	})
}
