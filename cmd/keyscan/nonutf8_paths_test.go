package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestNonUTF8PathsKeepTheirBytes (qa9 LOW-5): a file name that is not
// UTF-8 lost its bytes in JSON (U+FFFD for each); the findings' file got
// file_bytes, but history's paths and the pre-receive audit log did not.
// Both now carry the exact name in base64 (paths_bytes beside paths,
// file_bytes in each audit log finding), and a baseline made from the
// history report names the real file.
func TestNonUTF8PathsKeepTheirBytes(t *testing.T) {
	name := "bad\xff\xfename.ini"
	want := base64.StdEncoding.EncodeToString([]byte(name))
	creds := fakeCredsFile(fakekey.New(9301))

	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, name, creds)
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "odd name")
	r := runCmd(t, dir, nil, "keyscan", "history", "--format", "json", ".")
	var fs []struct {
		File       string
		FileBytes  string `json:"file_bytes"`
		Paths      []string
		PathsBytes []string `json:"paths_bytes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil || r.code != exitFindings || len(fs) != 2 {
		t.Fatalf("history: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	for _, f := range fs {
		if f.FileBytes != want || len(f.PathsBytes) != len(f.Paths) || f.PathsBytes[0] != want {
			t.Errorf("history finding: file_bytes %q, paths %q, paths_bytes %q; want %q", f.FileBytes, f.Paths, f.PathsBytes, want)
		}
	}
	bl := runCmd(t, dir, nil, "keyscan", "baseline", "history", ".")
	if bl.code != 0 || !strings.Contains(bl.stdout, `"file_bytes": "`+want+`"`) {
		t.Errorf("baseline history: exit %d, want entries with file_bytes\n%s%s", bl.code, bl.stdout, bl.stderr)
	}
	base := filepath.Join(t.TempDir(), "bl.json")
	if err := os.WriteFile(base, []byte(bl.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "history", "--baseline", base, "."); r.code != exitClean {
		t.Errorf("history with its own baseline: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The gate's audit log.
	s := newServer(t)
	s.commit(name, creds, "odd name")
	s.mustRefuse(nil, "origin", "main")
	data, err := os.ReadFile(s.log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var entry struct {
		Findings []struct {
			File      string
			FileBytes string `json:"file_bytes"`
		}
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &entry); err != nil || len(entry.Findings) != 2 {
		t.Fatalf("audit log: %v\n%s", err, data)
	}
	for _, f := range entry.Findings {
		if f.FileBytes != want {
			t.Errorf("audit log finding %+v: file_bytes, want %q", f, want)
		}
	}
}
