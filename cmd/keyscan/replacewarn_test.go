package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestReplaceTextWarningHidesPaths: --replace-text's warnings name the
// archive member a value is in, and a member's folder named after a secret
// is redacted there as in every warning (the member path was printed
// whole); --show-secrets shows it.
func TestReplaceTextWarningHidesPaths(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(913)
	id, secret := g.KeyID("AKIA"), strings.ReplaceAll(g.Secret(), "/", "A")
	dir := t.TempDir()
	gitOK(t, dir, "init", "-q", "src")
	src := filepath.Join(dir, "src")
	writeRepoFile(t, src, "b.zip", string(archivetest.Zip(t, archivetest.F("aws_secret_access_key="+secret+"/c.txt", []byte("aws_access_key_id = "+id+"\n")))))
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-qm", "zip")
	r := runCmd(t, src, nil, "keyscan", "history", "--replace-text", filepath.Join(dir, "r.txt"), ".")
	if !strings.Contains(r.stderr, "does not rewrite b.zip") || strings.Contains(r.stderr, secret) ||
		!strings.Contains(r.stderr, "aws_secret_access_key="+scanner.Redact(secret)+"/c.txt") {
		t.Errorf("the warning should name the member with the secret redacted:\n%s", r.stderr)
	}
	r = runCmd(t, src, nil, "keyscan", "history", "--show-secrets", "--force", "--replace-text", filepath.Join(dir, "r.txt"), ".")
	if !strings.Contains(r.stderr, secret) {
		t.Errorf("--show-secrets: the warning should show the member's path whole:\n%s", r.stderr)
	}
}
