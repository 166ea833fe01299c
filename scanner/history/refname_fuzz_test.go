package history

import (
	"testing"
)

// FuzzRefText: the text a ref name is scanned as keeps the name's length
// and bytes, but for a separator read as '=' (after a secret's name or a
// key ID) and the '/' that ends the value after it read as a space.
func FuzzRefText(f *testing.F) {
	for _, s := range []string{
		"refs/heads/aws_secret_access_key/s5W/xVXrwwxMCzjmbPCH4kSmvlW+/FiA70eHo3Md",
		"refs/tags/AWS_SECRET_ACCESS_KEY-s5W/xVXrwwxMCzjmbPCH4kSmvlW+/FiA70eHo3Md/x",
		"refs/heads/AKIAY654DMQMKIIFLGNU/s5W/xVXrwwxMCzjmbPCH4kSmvlW+/FiA70eHo3Md",
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
