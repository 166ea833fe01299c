package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestMessageReadAsContent: a commit message is read as a file is (qa13
// HIGH-1, HIGH-2). An archive pasted into it in base64 is opened, by the
// commit-msg hook, history and the gate alike; and a message whose check
// budget is spent before its key is a gap, never a clean pass: the hook
// refuses the commit, history --strict exits 2 and the gate refuses the
// push, whatever --strict says, as for a file.
func TestMessageReadAsContent(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(1313)
	creds := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", g.KeyID("AKIA"), g.Secret())

	// A tar.gz of t/credentials, in base64 lines as base64 -w76 writes.
	var tgz bytes.Buffer
	zw := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: "t/credentials", Mode: 0o600, Size: int64(len(creds)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(creds)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString(tgz.Bytes())
	var archived strings.Builder
	archived.WriteString("restore backup\n\nattached backup:\n")
	for len(enc) > 76 {
		archived.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	archived.WriteString(enc + "\n")

	// A message of keyword text past its check budget, then a key pair.
	var dense strings.Builder
	dense.WriteString("notes\n\n")
	for range 12000 {
		dense.WriteString("secret token secret token secret token secret token secret token\n")
	}
	fmt.Fprintf(&dense, "aws_access_key_id = %s\naws_secret_access_key = %s\n", g.KeyID("AKIA"), g.Secret())

	dir := newCommittedRepo(t)
	msgFile := func(name, text string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	check := func(code int, want string, args ...string) {
		t.Helper()
		r := runCmd(t, dir, nil, "keyscan", args...)
		if r.code != code || !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("keyscan %s: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, want, r.stdout, r.stderr)
		}
	}
	archivedMsg, denseMsg := msgFile("archived", archived.String()), msgFile("dense", dense.String())
	check(exitFindings, "commit message!base64 ", "staged", "--message", archivedMsg)
	check(exitError, "the commit message not checked whole", "staged", "--message", denseMsg)

	// A zip in the message with a member over max_file_size: the hook
	// fails on it as on one in a file the commit adds (the gate refuses
	// both), --strict or not.
	limit := msgFile("limit.toml", "max_file_size = 1500\n")
	big := archivetest.Zip(t, archivetest.F("notes.txt", []byte(strings.Repeat("release notes, ", 200))))
	bigMsg := msgFile("big", "attach\n\n"+base64.StdEncoding.EncodeToString(big)+"\n")
	check(exitError, "over its size limit not scanned", "staged", "--config", limit, "--message", bigMsg)

	// The same messages committed without the hook: history.
	writeRepoFile(t, dir, "a.txt", "a\n")
	gitOK(t, dir, "add", "a.txt")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-F", archivedMsg)
	check(exitFindings, "message!base64 ", "history", ".")
	writeRepoFile(t, dir, "b.txt", "b\n")
	gitOK(t, dir, "add", "b.txt")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-F", denseMsg)
	check(exitError, "strict: 1 blob or message not checked whole", "history", "--strict", ".")

	// The gate, without --strict: the archive's key is found, and the
	// message not checked whole refuses the push.
	s := newServer(t)
	s.commit("a.txt", "a\n", archived.String())
	s.mustRefuse([]string{"message!base64 "}, "origin", "main")
	s = newServer(t)
	writeRepoFile(t, s.clone, "b.txt", "b\n")
	gitOK(t, s.clone, "add", "b.txt")
	gitOK(t, s.clone, "commit", "-q", "-F", denseMsg) // over what one argument may hold
	s.mustRefuse([]string{"not checked whole"}, "origin", "main")
}
