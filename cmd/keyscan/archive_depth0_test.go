package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestArchiveDepthZeroNeverSilent: --max-archive-depth 0 leaves archives
// closed, and every command says which (qa7 LOW-22: "no credentials found",
// and a push of a zip with a key accepted, without a word). scan and
// history warn and count the archive as a part not scanned (--strict exit
// 2); pre-receive refuses the push, as it does for a nested archive past
// the depth.
func TestArchiveDepthZeroNeverSilent(t *testing.T) {
	g := fakekey.New(2222)
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	f, err := zw.Create("app/.env")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(fakeCredsFile(g)))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plain.zip"), zb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r := keyscanIn(t, dir, "scan", "--max-archive-depth", "0", ".")
	if r.code != 0 || !strings.Contains(r.stderr, "plain.zip: archive not opened (--max-archive-depth 0)") ||
		!strings.Contains(r.stdout+r.stderr, "not scanned: 1 archive part") {
		t.Errorf("scan --max-archive-depth 0: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "--max-archive-depth", "0", "."); r.code != exitError {
		t.Errorf("scan --strict --max-archive-depth 0: exit %d, want 2\n%s", r.code, r.stderr)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "plain.zip", zb.String())
	gitOK(t, repo, "add", "plain.zip")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "zip")
	r = keyscanIn(t, repo, "history", "--max-archive-depth", "0", ".")
	if r.code != 0 || !strings.Contains(r.stderr, "archive not opened (--max-archive-depth 0)") {
		t.Errorf("history --max-archive-depth 0: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t, "--max-archive-depth", "0")
	s.commit("plain.zip", zb.String(), "add a zip")
	s.mustRefuse([]string{"plain.zip", "--max-archive-depth 0"}, "origin", "main")
}
