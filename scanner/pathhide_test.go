package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestHidePaths: a secret a path holds, whole or cut into folders by its
// '/', is redacted in every path a finding shows; a key ID and a path
// without a value stay as they are, and the findings given are not
// changed (qa9 MEDIUM-3).
func TestHidePaths(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(31)
	secret := g.Secret()
	for !strings.Contains(secret, "/") {
		secret = g.Secret()
	}
	id := g.KeyID("AKIA")
	folder := "keys/aws_secret_access_key=" + secret
	fs := scanner.Findings{
		{File: folder + "/credentials", RepoPath: "app/" + folder + "/credentials", Paths: []string{folder + "/credentials", "old/x"}},
		{File: "docs/" + id + ".txt"},
		{File: "src/main/java/com/example/Config.java"},
	}
	got := sc.HidePaths(fs)
	hidden := "keys/aws_secret_access_key=" + scanner.Redact(secret) + "/credentials"
	if got[0].File != hidden || got[0].RepoPath != "app/"+hidden || got[0].Paths[0] != hidden || got[0].Paths[1] != "old/x" {
		t.Errorf("secret folder: %+v, want %q", got[0], hidden)
	}
	if got[1].File != fs[1].File || got[2].File != fs[2].File {
		t.Errorf("paths without a secret changed: %q, %q", got[1].File, got[2].File)
	}
	if fs[0].File != folder+"/credentials" || fs[0].Paths[0] != folder+"/credentials" {
		t.Errorf("the findings given were changed: %+v", fs[0])
	}
	// Without a matcher, the values the findings found in paths are hidden.
	known := scanner.Findings{{File: folder, InPath: true, Kind: "secret_access_key", Secret: secret}}
	if got := (*scanner.Scanner)(nil).HidePaths(fs[:1], known); got[0].File != hidden {
		t.Errorf("nil scanner: %q, want %q", got[0].File, hidden)
	}
}

// TestPathHiderParts: a secret saved as folders by its '/' shows its first
// part in the paths of the other files of the first folder, which no scan
// of those paths finds: the part is redacted too, when long enough
// (newuser LOW-22). Text that shows a path, such as a warning, is redacted
// the same way (qa10 MEDIUM-1).
func TestPathHiderParts(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(32)
	secret := g.Secret()
	for i := strings.IndexByte(secret, '/'); i < 12 || i > 30; i = strings.IndexByte(secret, '/') {
		secret = g.Secret()
	}
	cut := strings.IndexByte(secret, '/')
	first := secret[:cut]
	dir := "keys/aws_secret_access_key=" + first
	known := scanner.Findings{{File: "keys/aws_secret_access_key=" + secret, InPath: true, Kind: "secret_access_key", Secret: secret}}
	hide := sc.PathHider(known)
	if got, want := hide(dir+"/creds.ini"), "keys/aws_secret_access_key="+scanner.Redact(first)+"/creds.ini"; got != want {
		t.Errorf("sibling: %q, want %q", got, want)
	}
	if got := hide(dir + "/creds.ini"); strings.Contains(got, first) {
		t.Errorf("the first part shows: %q", got)
	}
	warning := "keys/aws_secret_access_key=" + secret + "/fifo: not a regular file (a FIFO): not read"
	if got := hide(warning); strings.Contains(got, secret) || strings.Contains(got, first) || !strings.HasSuffix(got, "/fifo: not a regular file (a FIFO): not read") {
		t.Errorf("warning: %q", got)
	}
	// Found by the path alone, with no finding given.
	if got := sc.PathHider()(warning); strings.Contains(got, secret) {
		t.Errorf("warning, no findings given: %q", got)
	}
	// A short part and ordinary paths stay.
	for _, p := range []string{"src/a/b/c.go", "keys/ab/creds.ini", "docs/" + g.KeyID("AKIA") + ".txt"} {
		if got := sc.PathHider(known)(p); got != p {
			t.Errorf("%q became %q", p, got)
		}
	}
}
