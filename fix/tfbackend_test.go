package fix_test

import (
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/keyscan/keyscan/fix"
)

// FuzzVarUse: VarUse finds var.NAME where the regexp \bvar\.NAME\b that
// TerraformVariableHold compiled per definition did, and nowhere else.
func FuzzVarUse(f *testing.F) {
	for _, c := range [][2]string{
		{"access_key = var.key", "key"}, {"var.key_id", "key"}, {"x=var.key-1", "key"}, {"var.key-", "key-"},
		{"avar.key", "key"}, {"(var.key)", "key"}, {"var.keyvar.key", "key"}, {"", "a"}, {"var.", ""}, {"_var.k", "k"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, s, v string) {
		if !utf8.ValidString(v) {
			return // the regexp does not compile; names of definitions are valid UTF-8
		}
		want := regexp.MustCompile(`\bvar\.` + regexp.QuoteMeta(v) + `\b`).MatchString(s)
		if got := fix.VarUse(s, v); got != want {
			t.Fatalf("VarUse(%q, %q) = %v, the regexp says %v", s, v, got, want)
		}
	})
}
