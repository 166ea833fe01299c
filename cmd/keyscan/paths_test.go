package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestKeyInAPath: a file named after a key ID, or `aws_secret_access_key=
// <secret>` saved as a name, is a finding in every command, reported in
// JSON with line 0 and in_path (qa7 LOW-15: scan said "no credentials
// found" and a push of such a tree entry was accepted). Archive member
// names and tree entry names count too.
func TestKeyInAPath(t *testing.T) {
	g := fakekey.New(1516)
	id := g.KeyID("AKIA")
	secret := strings.ReplaceAll(g.Secret(), "/", "+")
	idName := "docs/" + id + ".txt"
	secretName := "keys/aws_secret_access_key=" + secret
	// The secret is redacted inside the path as it is as a value (qa9
	// MEDIUM-3), and so is the key ID (qa34 6c).
	secretShown := "keys/aws_secret_access_key=" + scanner.Redact(secret)
	idShown := "docs/" + scanner.Redact(id) + ".txt"

	dir := t.TempDir()
	for _, n := range []string{idName, secretName} {
		writeRepoFile(t, dir, n, "nothing here\n")
	}
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	if f, err := zw.Create("backup/" + id); err != nil {
		t.Fatal(err)
	} else {
		f.Write([]byte("nothing\n"))
	}
	zw.Close()
	writeRepoFile(t, dir, "dist/site.zip", zb.String())

	r := keyscanIn(t, dir, "scan", "--format", "json", ".")
	if r.code != exitFindings {
		t.Fatalf("scan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var fs []struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Kind   string `json:"kind"`
		InPath bool   `json:"in_path"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range fs {
		if !f.InPath || f.Line != 0 {
			t.Errorf("scan: %+v not reported as in the path", f)
		}
		got[f.File] = f.Kind
	}
	want := map[string]string{idShown: "access_key_id", secretShown: "secret_access_key", "dist/site.zip!backup/" + scanner.Redact(id): "access_key_id"}
	if len(got) != len(want) {
		t.Errorf("scan: findings %v, want %v", got, want)
	}
	for f, k := range want {
		if got[f] != k {
			t.Errorf("scan: %s: %q, want %q (all: %v)", f, got[f], k, got)
		}
	}
	if r := keyscanIn(t, dir, "scan", "."); !strings.Contains(r.stdout, "in the path") {
		t.Errorf("scan text report does not say the key is in the path:\n%s", r.stdout)
	}

	// fix renames nothing: the names are listed to change by hand.
	if r := keyscanIn(t, dir, "fix", "--diff", "."); !strings.Contains(r.stderr+r.stdout, idShown+" (in the path)") ||
		!strings.Contains(r.stderr+r.stdout, "does not rename files") {
		t.Errorf("fix --diff: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// history: the entry was committed, then removed.
	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, idName, "nothing here\n")
	gitOK(t, repo, "add", ".")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "docs")
	gitOK(t, repo, "rm", "-q", idName)
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "rm")
	if r := keyscanIn(t, repo, "history", "--format", "json", "."); r.code != exitFindings ||
		!strings.Contains(r.stdout, `"in_path": true`) || !strings.Contains(r.stdout, idShown) {
		t.Errorf("history: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// --replace-text cannot rename: it says so (qa9 LOW-10).
	if r := keyscanIn(t, repo, "history", "--replace-text", filepath.Join(t.TempDir(), "repl.txt"), "."); !strings.Contains(r.stderr, "is in a file or folder name ("+idShown+")") ||
		!strings.Contains(r.stderr, "--path-rename") {
		t.Errorf("history --replace-text: no rename warning for %s:\n%s", idName, r.stderr)
	}

	// staged: a new folder named after the key, two files in it: once.
	writeRepoFile(t, repo, "n/"+id+"/a", "x\n")
	writeRepoFile(t, repo, "n/"+id+"/b", "x\n")
	gitOK(t, repo, "add", "n")
	if r := keyscanIn(t, repo, "staged", "--format", "json"); r.code != exitFindings || strings.Count(r.stdout, `"in_path": true`) != 1 {
		t.Errorf("staged: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "reset", "-q")
	os.RemoveAll(filepath.Join(repo, "n"))

	// pre-receive: the push of such a tree entry is refused.
	s := newServer(t)
	s.commit(secretName, "nothing here\n", "keys")
	s.mustRefuse([]string{secretShown}, "origin", "main")
}

// TestPathSecretRedacted is qa9 MEDIUM-3: a secret saved as a folder's name
// was printed whole in the file of its finding and of every finding below
// it, in text, JSON, SARIF, the baseline and the pre-receive refusal and
// audit log. It is redacted there as values are; --show-secrets shows it
// in text and JSON, never in SARIF or the baseline.
func TestPathSecretRedacted(t *testing.T) {
	g := fakekey.New(1517)
	secret := g.Secret()
	creds := fakeCredsFile(g)
	dir := t.TempDir()
	folder := "keys/aws_secret_access_key=" + secret // its '/' makes folders of it
	writeRepoFile(t, dir, folder+"/credentials", creds)
	for _, args := range [][]string{
		{"scan", "."},
		{"scan", "--verbose", "."},
		{"scan", "--format", "json", "."},
		{"scan", "--format", "sarif", "."},
		{"scan", "--format", "sarif", "--show-secrets", "."},
		{"baseline", "scan", "."},
		{"baseline", "scan", "--show-secrets", "."},
	} {
		r := keyscanIn(t, dir, args...)
		if strings.Contains(r.stdout+r.stderr, secret) || !strings.Contains(r.stdout, scanner.Redact(secret)) {
			t.Errorf("%v: exit %d, the secret is shown whole or its path is missing:\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := keyscanIn(t, dir, "scan", "--format", "json", "--show-secrets", "."); !strings.Contains(r.stdout, folder+"/credentials") {
		t.Errorf("scan --show-secrets: the path is not shown whole:\n%s", r.stdout)
	}

	s := newServer(t)
	s.commit(folder+"/credentials", creds, "keys")
	out := s.mustRefuse([]string{scanner.Redact(secret)}, "origin", "main").stderr
	b, _ := os.ReadFile(s.log)
	if strings.Contains(out, secret) || strings.Contains(string(b), secret) || len(b) == 0 {
		t.Errorf("pre-receive: the secret is in the refusal or the audit log (or no log):\n%s\n%s", out, b)
	}
}

// TestPathSecretInWarnings is qa10 MEDIUM-1 and newuser LOW-22: the
// warnings (stderr, which CI publishes) and keyscan fix's diff headers and
// "Change by hand" lines printed a secret that a path holds, and a secret
// cut into folders by its '/' showed its first part in the paths of the
// other files of the first folder. Both are redacted unless
// --show-secrets.
func TestPathSecretInWarnings(t *testing.T) {
	g := fakekey.New(1518)
	secret := g.Secret()
	for i := strings.IndexByte(secret, '/'); i < 12 || i > 30; i = strings.IndexByte(secret, '/') {
		secret = g.Secret()
	}
	first := secret[:strings.IndexByte(secret, '/')]
	dir := t.TempDir()
	gitOK(t, dir, "init", "-q")
	folder := "keys/aws_secret_access_key=" + secret
	writeRepoFile(t, dir, folder+"/credentials", fakeCredsFile(g))
	writeRepoFile(t, dir, folder+"/bad.gz", "\x1f\x8b\x08\x00garbage")
	writeRepoFile(t, dir, "keys/aws_secret_access_key="+first+"/creds.ini", fakeCredsFile(g))
	writeRepoFile(t, dir, ".env", "AWS_SECRET_ACCESS_KEY="+g.Secret()+"\n")
	for _, args := range [][]string{
		{"scan", "."},
		{"scan", "--format", "sarif", "."},
		{"baseline", "scan", "."},
		{"fix", "."},
		{"fix", "--write", "."},
	} {
		r := keyscanIn(t, dir, args...)
		if strings.Contains(r.stdout+r.stderr, first) {
			t.Errorf("%v: exit %d, the secret or its first part is shown:\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	gitOK(t, dir, "add", "-A")
	if r := keyscanIn(t, dir, "staged"); strings.Contains(r.stdout+r.stderr, first) || !strings.Contains(r.stderr, "bad.gz") {
		t.Errorf("staged: exit %d, the secret or its first part is shown, or no warning:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, dir, "scan", "--show-secrets", "."); !strings.Contains(r.stderr, folder+"/bad.gz") {
		t.Errorf("scan --show-secrets: the warning's path is not whole:\n%s", r.stderr)
	}
}

// TestHistoryPathAtHead is newuser MEDIUM-1: a key in a file's name had no
// present_at_head, commits or last_commit in history, although HEAD held
// the file: a clean-up script that selects present_at_head skipped it.
func TestHistoryPathAtHead(t *testing.T) {
	g := fakekey.New(1519)
	kept, gone := "docs/"+g.KeyID("AKIA")+".txt", "old/"+g.KeyID("AKIA")+".txt"
	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, kept, "one\n")
	writeRepoFile(t, repo, gone, "one\n")
	gitOK(t, repo, "add", ".")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "add both")
	writeRepoFile(t, repo, "other.txt", "two\n")
	gitOK(t, repo, "add", ".")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "unrelated")
	last := strings.TrimSpace(gitOK(t, repo, "rev-parse", "HEAD"))
	gitOK(t, repo, "rm", "-q", gone)
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "rm one")
	r := keyscanIn(t, repo, "history", "--format", "json", ".")
	var fs []struct {
		File          string `json:"file"`
		InPath        bool   `json:"in_path"`
		PresentAtHead *bool  `json:"present_at_head"`
		Commits       int    `json:"commits"`
		LastCommit    string `json:"last_commit"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatalf("history JSON: %v\n%s", err, r.stdout)
	}
	// The key IDs in the names are redacted in file (qa34 6c).
	hide := func(p string) string {
		dir, name, _ := strings.Cut(p, "/")
		return dir + "/" + scanner.Redact(strings.TrimSuffix(name, ".txt")) + ".txt"
	}
	want := map[string]bool{hide(kept): true, hide(gone): false}
	for _, f := range fs {
		at, ok := want[f.File]
		if !ok || !f.InPath {
			continue
		}
		delete(want, f.File)
		switch {
		case f.PresentAtHead == nil || *f.PresentAtHead != at:
			t.Errorf("%s: present_at_head %v, want %v", f.File, f.PresentAtHead, at)
		case at && (f.Commits != 3 || f.LastCommit == ""):
			t.Errorf("%s: %d commits, last %q; want 3 and HEAD", f.File, f.Commits, f.LastCommit)
		case !at && (f.Commits != 2 || f.LastCommit != last):
			t.Errorf("%s: %d commits, last %q; want 2 and %s", f.File, f.Commits, f.LastCommit, last)
		}
	}
	if len(want) > 0 {
		t.Errorf("no path finding for %v:\n%s", want, r.stdout)
	}
}

// TestPathTokenOnce is qa10 MEDIUM-11: a session token saved as a path
// holds '/' many times, so it is cut into folders, and each folder whose
// name ended a long enough part of it was a finding (eleven for one token),
// each path redacted only up to the first folder: the reports printed most
// of the token. It is one finding, and no report, warning or refusal shows
// any part of it past its first and last characters.
func TestPathTokenOnce(t *testing.T) {
	g := fakekey.New(1519)
	token := g.SessionToken()
	for strings.Count(token, "/") < 4 {
		token = g.SessionToken()
	}
	folder := "cache/aws_session_token=" + token
	// Pieces of the token that no redacted form holds.
	var pieces []string
	for i := 8; i+12 < len(token)-8; i += 24 {
		pieces = append(pieces, token[i:i+12])
	}
	shows := func(out string) string {
		for _, p := range pieces {
			if strings.Contains(out, p) {
				return p
			}
		}
		return ""
	}
	for _, files := range [][]string{{"x"}, {"x", "y", "bad.gz"}} {
		dir := t.TempDir()
		gitOK(t, dir, "init", "-q")
		for _, f := range files {
			body := "hello\n"
			if strings.HasSuffix(f, ".gz") {
				body = "\x1f\x8b\x08\x00garbage"
			}
			writeRepoFile(t, dir, folder+"/"+f, body)
		}
		for _, args := range [][]string{
			{"scan", "."},
			{"scan", "--format", "sarif", "."},
			{"baseline", "scan", "."},
		} {
			if r := keyscanIn(t, dir, args...); r.code != 1 && args[0] == "scan" || shows(r.stdout+r.stderr) != "" {
				t.Errorf("%v %v: exit %d, want 1 and no piece of the token; shows %q\n%s%s", files, args, r.code, shows(r.stdout+r.stderr), r.stdout, r.stderr)
			}
		}
		r := keyscanIn(t, dir, "scan", "--format", "json", ".")
		if n := strings.Count(r.stdout, `"in_path": true`); n != 1 || shows(r.stdout+r.stderr) != "" {
			t.Errorf("%v scan --format json: %d findings in the path, want 1; shows %q\n%s", files, n, shows(r.stdout+r.stderr), r.stdout)
		}
		gitOK(t, dir, "add", "-A")
		// staged reads whole paths, not folders: the token folder's files
		// are a finding each (x, y, and bad.gz, whose name without its
		// extension continues the token as x does: qa12 LOW-4).
		want := len(files)
		if r := keyscanIn(t, dir, "staged", "--format", "json"); r.code != 1 || strings.Count(r.stdout, `"in_path": true`) != want || shows(r.stdout+r.stderr) != "" {
			t.Errorf("%v staged: exit %d, want 1 with %d findings and no piece of the token\n%s%s", files, r.code, want, r.stdout, r.stderr)
		}
		gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "cache")
		if r := keyscanIn(t, dir, "history", "--format", "json", "."); r.code != 1 || strings.Count(r.stdout, `"in_path": true`) != 1 || shows(r.stdout+r.stderr) != "" {
			t.Errorf("%v history: exit %d, want 1 with one finding and no piece of the token\n%s%s", files, r.code, r.stdout, r.stderr)
		}
	}
	s := newServer(t)
	s.commit(folder+"/x", "hello\n", "cache")
	out := s.mustRefuse([]string{"aws_session_token="}, "origin", "main").stderr
	b, _ := os.ReadFile(s.log)
	if p := shows(out + string(b)); p != "" {
		t.Errorf("pre-receive: the refusal or the audit log shows %q:\n%s\n%s", p, out, b)
	}
}
