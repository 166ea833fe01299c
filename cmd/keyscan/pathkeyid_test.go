package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestKeyIDInPathRedacted is qa34 6c: a key ID in a file or archive
// member's name was printed whole in the text report's file header, just
// above the finding line that redacts it, and in the warnings about such
// a file (unreadable member), which CI logs publish. Every command now
// redacts it wherever it shows the path, as it redacts the value: text,
// JSON and SARIF, the baseline, history, staged, fix and the pre-receive
// refusal and audit log; the name's own finding is reported, and
// --show-secrets shows the path whole in text and JSON.
func TestKeyIDInPathRedacted(t *testing.T) {
	g := fakekey.New(3406)
	id := g.KeyID("AKIA")
	hidden := scanner.Redact(id)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Name = id + ".txt"
	zw.Write([]byte(fakeCredsFile(g)))
	zw.Close()

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "backup/"+id+".gz", gz.String())
	writeRepoFile(t, repo, "backup/"+id+".bad.gz", "\x1f\x8b\x08\x00garbage") // unreadable member
	writeRepoFile(t, repo, "notes/"+id+".txt", "nothing here\n")

	shown := func(args []string, r cmdResult, want string) {
		t.Helper()
		if out := r.stdout + r.stderr; strings.Contains(out, id) || !strings.Contains(out, hidden) || !strings.Contains(out, want) {
			t.Errorf("%v: exit %d, the key ID is shown whole, or %q is missing:\n%s%s", args, r.code, want, r.stdout, r.stderr)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "."}, "notes/" + hidden + ".txt  fix"},
		{[]string{"scan", "--verbose", "."}, "unreadable member"},
		{[]string{"scan", "--format", "json", "."}, `"file": "notes/` + hidden + `.txt"`},
		{[]string{"scan", "--format", "sarif", "."}, `"uri": "notes/` + hidden + `.txt"`},
		{[]string{"baseline", "scan", "."}, "notes/" + hidden + ".txt"},
		{[]string{"fix", "--diff", "."}, "notes/" + hidden + ".txt (in the path)"},
	} {
		shown(c.args, keyscanIn(t, repo, c.args...), c.want)
	}
	if r := keyscanIn(t, repo, "scan", "--format", "json", "--show-secrets", "."); !strings.Contains(r.stdout, `"file": "notes/`+id+`.txt"`) {
		t.Errorf("scan --show-secrets: the path is not shown whole:\n%s", r.stdout)
	}

	gitOK(t, repo, "add", "-A")
	// staged reports a value in the added paths once, at the first.
	shown([]string{"staged"}, keyscanIn(t, repo, "staged"), "backup/"+hidden+".bad.gz  fix")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "names")
	shown([]string{"history"}, keyscanIn(t, repo, "history", "."), "in the path")
	shown([]string{"history", "json"}, keyscanIn(t, repo, "history", "--format", "json", "."), `"in_path": true`)

	s := newServer(t)
	s.commit("notes/"+id+".txt", "nothing here\n", "a name")
	r := s.mustRefuse([]string{"notes/" + hidden + ".txt"}, "origin", "main")
	b, _ := os.ReadFile(s.log)
	if strings.Contains(r.stderr, id) || strings.Contains(string(b), id) || len(b) == 0 {
		t.Errorf("pre-receive: the key ID is in the refusal or the audit log (or no log):\n%s\n%s", r.stderr, b)
	}
}

// TestKeyIDInPathOverSize is qa36 M6: a file over max_file_size below a
// folder named after a key ID was listed whole by staged --quiet, and the
// gate's line on what the push holds unread named it whole and named the
// first warning of any kind (a corrupt zip) as the file over the limit.
func TestKeyIDInPathOverSize(t *testing.T) {
	g := fakekey.New(3607)
	id := g.KeyID("AKIA")
	hidden := scanner.Redact(id)
	big := strings.Repeat("settings\n", 300)
	const limit = "max_file_size = 1000\n"

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, ".keyscan.toml", limit)
	writeRepoFile(t, repo, "new-"+id+"/big.txt", big)
	gitOK(t, repo, "add", "-A")
	if r := keyscanIn(t, repo, "staged", "--quiet"); r.code == 0 || strings.Contains(r.stdout+r.stderr, id) || !strings.Contains(r.stderr, "new-"+hidden+"/big.txt") {
		t.Errorf("staged --quiet: exit %d, the key ID shown whole or the file not named:\n%s%s", r.code, r.stdout, r.stderr)
	}

	cfg := filepath.Join(t.TempDir(), "gate.toml")
	if err := os.WriteFile(cfg, []byte(limit), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, "--config", cfg)
	s.commit("backup.zip", "PK\x03\x04 not a zip", "a corrupt zip")
	s.commit("new-"+id+"/big.txt", big, "a large file")
	r := s.push("origin", "main")
	b, _ := os.ReadFile(s.log)
	if r.code == 0 || strings.Contains(r.stderr, id) || strings.Contains(string(b), id) ||
		!strings.Contains(r.stderr, "1 file(s) over max_file_size (new-"+hidden+"/big.txt") || !strings.Contains(r.stderr, "could not be checked") {
		t.Errorf("pre-receive: exit %d, the key ID shown whole (refusal or audit log) or the wrong file named:\n%s\n%s", r.code, r.stderr, b)
	}
}
