package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryBrokenRefsExit (qa38 hist 1, 3): a ref history was asked to
// scan (every ref, by default) that could not be read — a loose ref file
// holding garbage or nothing, a packed-refs line that names no object —
// is exit 2 whatever --strict says, with the findings of the other refs
// reported and the gap in the report ("unreadable"); with --all-objects,
// which reads every object the repository holds, it is a gap as other
// unreadable parts are (exit 2 with --strict only). In process, on a real
// repository.
func TestHistoryBrokenRefsExit(t *testing.T) {
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "k.ini", fakeCredsFile(fakekey.New(3813)))
	gitOK(t, dir, "add", "k.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "k")
	gitOK(t, dir, "branch", "other")
	history := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := run(context.Background(), append(append([]string{"history"}, args...), dir), strings.NewReader(""), &out, &errs)
		return code, out.String(), errs.String()
	}
	if code, _, errs := history("--quiet"); code != exitFindings {
		t.Fatalf("before: exit %d, want 1\n%s", code, errs)
	}
	gitOK(t, dir, "pack-refs", "--all")
	packed := filepath.Join(dir, ".git", "packed-refs")
	good, err := os.ReadFile(packed)
	if err != nil {
		t.Fatal(err)
	}
	loose := filepath.Join(dir, ".git", "refs", "heads", "broken")
	for _, c := range []struct {
		name    string
		breakIt func()
	}{
		{"garbage loose ref", func() { writeRepoFile(t, dir, ".git/refs/heads/broken", "not an object ID\n") }},
		{"empty loose ref", func() { writeRepoFile(t, dir, ".git/refs/heads/broken", "") }},
		{"truncated packed line", func() { writeRepoFile(t, dir, ".git/packed-refs", string(good)+"abc123 refs/heads/broken\n") }},
		{"garbage packed line", func() { writeRepoFile(t, dir, ".git/packed-refs", string(good)+"garbage\n") }},
	} {
		c.breakIt()
		code, out, errs := history("--format", "json")
		var arr []map[string]any
		if err := json.Unmarshal([]byte(out), &arr); err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, out)
		}
		last := arr[len(arr)-1]
		if code != exitError || len(arr) < 3 || last["complete"] != false || !strings.Contains(out, `"reason": "unreadable"`) ||
			!strings.Contains(errs, "1 malformed ref could not be read") {
			t.Errorf("%s: exit %d, %d elements, stderr %q: want exit 2, the findings and the gap", c.name, code, len(arr), errs)
		}
		if code, _, errs := history("--quiet", "--all-objects"); code != exitFindings {
			t.Errorf("%s, --all-objects: exit %d, want 1 (every object read)\n%s", c.name, code, errs)
		}
		if code, _, errs := history("--quiet", "--all-objects", "--strict"); code != exitError {
			t.Errorf("%s, --all-objects --strict: exit %d, want 2\n%s", c.name, code, errs)
		}
		os.Remove(loose)
		if err := os.WriteFile(packed, good, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
