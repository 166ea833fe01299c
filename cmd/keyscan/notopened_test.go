package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchiveNotOpenedNeverSilent is qa8 MEDIUM-1: an archive in a format
// keyscan recognises but cannot read (a rar here: no rar writer is
// installed, so the test writes its signature and a body) was "looked into
// 1 binary", "no credentials found", exit 0 even with --strict. Every
// command now names it and the format, counts it as an archive part not
// scanned, --strict exits 2 and pre-receive refuses the push.
func TestArchiveNotOpenedNeverSilent(t *testing.T) {
	body := "Rar!\x1a\x07\x01\x00" + strings.Repeat("\x8e\x01\x00\x13\xf3", 40)
	const warn = "creds.rar: rar archive not opened"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "creds.rar"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	r := keyscanIn(t, dir, "scan", ".")
	if r.code != 0 || !strings.Contains(r.stderr, warn) || !strings.Contains(r.stdout+r.stderr, "not scanned: 1 archive part") {
		t.Errorf("scan: exit %d, want 0, the warning and the count\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "."); r.code != exitError || !strings.Contains(r.stderr, "formats not opened") {
		t.Errorf("scan --strict: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "creds.rar", body)
	gitOK(t, repo, "add", "creds.rar")
	if r := keyscanIn(t, repo, "staged", "--strict"); r.code != exitError || !strings.Contains(r.stderr, warn) {
		t.Errorf("staged --strict: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "rar")
	if r := keyscanIn(t, repo, "history", "--strict", "."); r.code != exitError || !strings.Contains(r.stderr, warn) {
		t.Errorf("history --strict: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("creds.rar", body, "add a rar")
	s.mustRefuse([]string{warn}, "origin", "main")
}
