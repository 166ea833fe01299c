package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestHidePaths: a secret a path holds, whole or cut into folders by its
// '/', is redacted in every path a finding shows, and so is a key ID
// (qa34 6c: the text report's file header printed it whole above the
// finding that redacts it); a path without a value stays as it is, and the
// findings given are not changed (qa9 MEDIUM-3).
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
	if want := "docs/" + scanner.Redact(id) + ".txt"; got[1].File != want {
		t.Errorf("key ID in a name: %q, want %q", got[1].File, want)
	}
	if got[2].File != fs[2].File {
		t.Errorf("a path without a value changed: %q", got[2].File)
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
	// A secret with an extension after it, in a member's warning (qa12 LOW-4).
	member := "p.zip!keys/aws_secret_access_key=" + secret + ".txt: unreadable member: zip: unsupported compression algorithm"
	if got := sc.PathHider()(member); strings.Contains(got, secret) || strings.Contains(got, secret[cut+1:]) || !strings.HasSuffix(got, ".txt: unreadable member: zip: unsupported compression algorithm") {
		t.Errorf("member warning, no findings given: %q", got)
	}
	// A key ID in a member's name, in the warnings scan prints (qa34 6c),
	// found by the path alone and known from a finding; AWS's example
	// key ID is no finding and stays.
	id := g.KeyID("AKIA")
	for _, w := range []string{
		"backup/" + id + ".gz: unreadable member: unexpected EOF",
		"d/" + id + ".log: permission denied",
		"site.zip!" + id + "/creds.ini: unreadable member: zip: not a valid zip file",
	} {
		inPath := scanner.Findings{{File: "x/" + id, InPath: true, Kind: "access_key_id", Secret: id}}
		for _, hide := range []func(string) string{sc.PathHider(), (*scanner.Scanner)(nil).PathHider(inPath)} {
			if got, want := hide(w), strings.ReplaceAll(w, id, scanner.Redact(id)); got != want {
				t.Errorf("key ID in a warning: %q, want %q", got, want)
			}
		}
	}
	// A short part and ordinary paths stay.
	for _, p := range []string{"src/a/b/c.go", "keys/ab/creds.ini", "docs/AKIAIOSFODNN7EXAMPLE.txt"} {
		if got := sc.PathHider(known)(p); got != p {
			t.Errorf("%q became %q", p, got)
		}
	}
}

// TestPathTokenOnce: a session token a path holds across folders is found
// at every folder whose name ends a long enough part of it, as the walk
// scans each entry's name; WithoutPathPrefixes keeps one finding (the
// deepest, or the token's last folder when it holds several files), and
// PathHider redacts the whole token in a path below it, longest value
// first (qa10 MEDIUM-11).
func TestPathTokenOnce(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(33)
	token := g.SessionToken()
	for strings.Count(token, "/") < 4 {
		token = g.SessionToken()
	}
	folder := "cache/aws_session_token=" + token
	entries := func(files ...string) scanner.Findings {
		var fs scanner.Findings
		var paths []string
		for i := 0; i < len(folder); i++ {
			if folder[i] == '/' {
				paths = append(paths, folder[:i])
			}
		}
		paths = append(paths, folder)
		for _, f := range files {
			paths = append(paths, folder+"/"+f)
		}
		for _, p := range paths {
			fs = append(fs, sc.ScanPath(p, strings.LastIndexByte(p, '/')+1)...)
		}
		return fs
	}
	one := entries("x")
	if len(one) < 3 {
		t.Fatalf("the walk's entries give %d findings; the test wants a token found at several folders", len(one))
	}
	got := one.WithoutPathPrefixes()
	if len(got) != 1 || got[0].Secret != token+"/x" || got[0].File != folder+"/x" {
		t.Errorf("one file below the token: %d findings, want 1 (the token and /x at the file): %+v", len(got), got)
	}
	got = entries("x", "y").WithoutPathPrefixes()
	if len(got) != 1 || got[0].Secret != token || got[0].File != folder {
		t.Errorf("two files below the token: %d findings, want 1 (the token at its folder): %+v", len(got), got)
	}
	// A secret beside it is kept, and so are two tokens in two folders.
	other := g.SessionToken()
	two := append(entries("x"), sc.ScanPath("b/aws_session_token="+other, 2)...)
	if got := two.WithoutPathPrefixes(); len(got) != 2 {
		t.Errorf("two tokens: %d findings, want 2", len(got))
	}
	for _, hide := range []func(string) string{sc.PathHider(one), sc.PathHider(), (*scanner.Scanner)(nil).PathHider(one)} {
		h := hide(folder + "/x/warning.txt")
		for i := 8; i+12 < len(token)-8; i += 12 {
			if strings.Contains(h, token[i:i+12]) {
				t.Errorf("the hidden path shows %q of the token: %s", token[i:i+12], h)
				break
			}
		}
	}
}
