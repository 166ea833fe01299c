package receive

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestScanRefNames: only the names of created refs are scanned, and a name
// that holds a key is shown with every value redacted, in the finding's path
// as in the audit log.
func TestScanRefNames(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(321)
	id, secret := g.KeyID("AKIA"), g.Secret()
	a := strings.Repeat("a", 40)
	created := "refs/heads/" + id + "/" + secret
	updates := []Update{
		{Old: zeroID, New: a, Ref: created},
		{Old: a, New: a, Ref: "refs/heads/" + g.KeyID("AKIA")}, // exists already
		{Old: zeroID, New: a, Ref: "refs/tags/v1.2.3"},
		{Old: zeroID, New: a, Ref: "refs/heads/AKIAIOSFODNN7EXAMPLE"},
	}
	fs, redacted := scanRefNames(sc, updates)
	if len(fs) == 0 {
		t.Fatalf("no finding in %q", created)
	}
	// The secret holds a '/' (seed 321), so it spans two components.
	if !strings.Contains(secret, "/") {
		t.Fatalf("seed gives a secret without '/': %s", secret)
	}
	want := "refs/heads/" + scanner.Redact(id) + "/" + strings.Repeat("/********", strings.Count(secret, "/")+1)[1:]
	if got := redacted[created]; got != want {
		t.Errorf("redacted %q, want %q", got, want)
	}
	if len(redacted) != 1 {
		t.Errorf("redacted %v, want only the created ref with a key", redacted)
	}
	for _, f := range fs {
		if f.File != history.RefNamePath(want) || f.Line != 1 {
			t.Errorf("finding at %s:%d, want %s:1", f.File, f.Line, history.RefNamePath(want))
		}
	}
	res := Result{Updates: updates, redactedRefs: redacted}
	if got := res.LoggedRef(created); got != want {
		t.Errorf("LoggedRef = %q", got)
	}
	if got := res.LoggedRef("refs/tags/v1.2.3"); got != "refs/tags/v1.2.3" {
		t.Errorf("LoggedRef of a clean ref = %q", got)
	}
}

func TestRedactToken(t *testing.T) {
	for in, want := range map[string]string{
		"main":                   `"main"`,
		"nonsense":               `"nonsense"`,
		strings.Repeat("x", 40):  `"xxxx"… (40 bytes)`,
		"refs/heads/a\x00b-long": `"refs"… (19 bytes)`,
	} {
		if got := redactToken(in); got != want {
			t.Errorf("redactToken(%q) = %s, want %s", in, got, want)
		}
	}
}
