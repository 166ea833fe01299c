package history_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/history"
)

// TestPackedRefsBadLines (qa38 hist 1): each line of packed-refs that is
// no object ID, a space and a ref's name (garbage, a truncated ID, an ID
// with no name, an ID and a name with a space, a line of 70 KiB) is a broken ref, named by
// the file and line and counted, and the other refs, loose and packed, are
// scanned; git refuses the whole file ("unexpected line"), and so did
// go-git and keyscan. A peeled line (^ID) that follows no ref hides no ref:
// it is named, not counted. A --ref of the name a bad line holds says so.
// An empty loose ref file, which git ignores as a broken ref and go-git
// refused with the whole listing, is one too (in a full scan and with
// --unpushed), and a --ref of it says so.
func TestPackedRefsBadLines(t *testing.T) {
	r := newGitRepo(t)
	idA, lineA := keyLine(3811)
	idB, lineB := keyLine(3812)
	r.write("a.env", lineA)
	r.commit("a")
	r.git("tag", "v1")
	r.git("checkout", "-qb", "side")
	r.write("b.env", lineB)
	side := r.commit("b")
	r.git("checkout", "-q", "main")
	r.git("pack-refs", "--all")
	packed := filepath.Join(r.dir, ".git", "packed-refs")
	good, err := os.ReadFile(packed)
	if err != nil {
		t.Fatal(err)
	}
	n := strings.Count(string(good), "\n")
	bad := "garbage line\n" + // n+1
		side[:12] + " refs/heads/truncated\n" + // n+2
		"^" + side + "\n" + // n+3: the truncated ref's peel, dropped with it
		side + "\n" + // n+4: no name
		side + " refs/heads/two words\n" + // n+5
		"^" + side + "\n" // n+6: follows no ref (n+5 was bad: dropped with it)
	long := strings.Repeat("z", 70<<10) + "\n" // n+8: longer than the reader's buffer
	if err := os.WriteFile(packed, []byte(string(good)+bad+"^"+side+"\n"+long), 0o644); err != nil {
		t.Fatal(err)
	}
	// Line n+7, a second peel after the bad line n+5, is dropped with it too.
	res, err := scanBounded(t, r.dir, history.Options{})
	if err != nil {
		t.Fatalf("packed-refs with bad lines: %v, want the other refs scanned", err)
	}
	findingFor(t, res, idA)
	findingFor(t, res, idB)
	if res.Stats.BrokenRefs != 5 {
		t.Errorf("%d broken refs, want 5 (lines %d, %d, %d, %d, %d); warnings %v", res.Stats.BrokenRefs, n+1, n+2, n+4, n+5, n+8, res.Warnings)
	}
	for _, l := range []int{n + 1, n + 2, n + 4, n + 5, n + 8} {
		if !hasWarning(res, fmt.Sprintf("%s, line %d: malformed packed-ref", packed, l)) {
			t.Errorf("no warning for line %d: %v", l, res.Warnings)
		}
	}
	if !hasWarning(res, "what refs/heads/truncated names was not scanned") {
		t.Errorf("the truncated line's ref is not named: %v", res.Warnings)
	}
	if hasWarning(res, fmt.Sprintf("line %d: malformed", n+3)) || hasWarning(res, fmt.Sprintf("line %d: malformed", n+6)) {
		t.Errorf("a bad ref's peel line counted apart: %v", res.Warnings)
	}
	_, err = scanBounded(t, r.dir, history.Options{Refs: []string{"truncated"}})
	var re *history.RevisionError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), fmt.Sprintf("line %d, which holds refs/heads/truncated, is malformed", n+2)) {
		t.Errorf("--ref truncated: %v, want the bad line named", err)
	}
	res, err = scanBounded(t, r.dir, history.Options{Refs: []string{"side"}})
	if err != nil || res.Stats.BrokenRefs != 0 {
		t.Errorf("--ref side: err %v, %d broken refs: want it scanned, the bad lines (no ref asked for) not counted", err, res.Stats.BrokenRefs)
	}
	findingFor(t, res, idB)

	// An orphan peel line alone: named, nothing counted.
	if err := os.WriteFile(packed, []byte("^"+side+"\n"+string(good)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = scanBounded(t, r.dir, history.Options{})
	if err != nil || res.Stats.BrokenRefs != 0 || !hasWarning(res, "line 1: a peeled line (^) that follows no ref") {
		t.Errorf("an orphan peel line: err %v, %d broken refs, warnings %v: want it named, not counted", err, res.Stats.BrokenRefs, res.Warnings)
	}
	if err := os.WriteFile(packed, good, 0o644); err != nil {
		t.Fatal(err)
	}

	// An empty loose ref file: a broken ref, the rest scanned.
	empty := filepath.Join(r.dir, ".git", "refs", "heads", "crashed")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []history.Options{{}, {Unpushed: true, RemoteNames: []string{}}} {
		res, err = scanBounded(t, r.dir, opts)
		if err != nil {
			t.Fatalf("an empty ref file (unpushed %v): %v, want the other refs scanned", opts.Unpushed, err)
		}
		findingFor(t, res, idA)
		if res.Stats.BrokenRefs != 1 || !hasWarning(res, "ref refs/heads/crashed: malformed ref (its file is empty)") {
			t.Errorf("an empty ref file (unpushed %v): %d broken refs, warnings %v: want it named and counted", opts.Unpushed, res.Stats.BrokenRefs, res.Warnings)
		}
	}
	_, err = scanBounded(t, r.dir, history.Options{Refs: []string{"crashed"}})
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "refs/heads/crashed is a malformed ref (its file is empty)") {
		t.Errorf("--ref crashed: %v, want the empty file named", err)
	}

	// A loose ref holding garbage, with --unpushed: named, counted, the
	// push's other refs scanned (it was "no ref or commit named ...").
	if err := os.WriteFile(empty, []byte("not an object ID\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = scanBounded(t, r.dir, history.Options{Unpushed: true, RemoteNames: []string{}})
	if err != nil {
		t.Fatalf("a garbage ref with --unpushed: %v", err)
	}
	findingFor(t, res, idB)
	if res.Stats.BrokenRefs != 1 || !hasWarning(res, "ref refs/heads/crashed: malformed ref (its file holds no object ID)") {
		t.Errorf("a garbage ref with --unpushed: %d broken refs, warnings %v", res.Stats.BrokenRefs, res.Warnings)
	}
	_, err = scanBounded(t, r.dir, history.Options{Refs: []string{"crashed"}})
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "refs/heads/crashed is a malformed ref (its file holds no object ID)") {
		t.Errorf("--ref crashed (garbage): %v, want the ref named malformed", err)
	}
}
