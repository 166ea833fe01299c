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
