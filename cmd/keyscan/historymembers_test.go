package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestHistoryArchiveMemberPaths is newuser LOW-9: history listed a value in
// an archive member under the archive alone (`paths` ["bundle.zip"]), and
// the text report said "also in bundle.zip" of the place it named. paths
// now name the member at each path of the archive, as scan names the
// finding, so a baseline made by scan at HEAD after the archive moved
// accepts history's finding, which is named where the archive came in.
func TestHistoryArchiveMemberPaths(t *testing.T) {
	bundle := archivetest.Zip(t, archivetest.F("app/.env", []byte(fakeCredsFile(fakekey.New(7301)))), archivetest.F("readme.txt", []byte("hello\n")))
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "bundle.zip", string(bundle))
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "bundle")
	r := keyscanIn(t, dir, "history", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "bundle.zip!app/.env") || strings.Contains(r.stdout, "also in") {
		t.Errorf("history: exit %d, want 1, the member and no \"also in\"\n%s%s", r.code, r.stdout, r.stderr)
	}

	if err := os.Mkdir(filepath.Join(dir, "dist"), 0o755); err != nil {
		t.Fatal(err)
	}
	gitOK(t, dir, "mv", "bundle.zip", "dist/bundle.zip")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "move")
	r = keyscanIn(t, dir, "history", "--format", "json", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, `"file": "bundle.zip!app/.env"`) ||
		!strings.Contains(strings.Join(strings.Fields(r.stdout), ""), `"paths":["bundle.zip!app/.env","dist/bundle.zip!app/.env"]`) {
		t.Errorf("history --format json after the move: exit %d, want the member at both paths\n%s%s", r.code, r.stdout, r.stderr)
	}
	bl := keyscanIn(t, dir, "baseline", "scan", ".")
	if bl.code != 0 || !strings.Contains(bl.stdout, "dist/bundle.zip!app/.env") {
		t.Fatalf("baseline scan: exit %d\n%s%s", bl.code, bl.stdout, bl.stderr)
	}
	base := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(base, []byte(bl.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := keyscanIn(t, dir, "history", "--baseline", base, "."); r.code != 0 {
		t.Errorf("history --baseline (made by scan at HEAD): exit %d, want 0: the member's path at HEAD is one of the finding's paths\n%s%s", r.code, r.stdout, r.stderr)
	}
}
