package history_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestRevisionNamesWhatWasGiven (qa38 hist 2): a --ref or --since that
// names no commit is a RevisionError naming what the user gave ("no ref or
// commit named X") and why when it can be told (an ID the repository
// lacks, an abbreviation that several objects or none begin with, a name
// git refuses as a ref's), never "object 0000...: object not found" nor a
// bare "unknown revision (git rev-parse: exit status 1)".
func TestRevisionNamesWhatWasGiven(t *testing.T) {
	r := newGitRepo(t)
	r.write("a.txt", "a\n")
	r.commit("one")
	// A thousand commits, so that two begin with the same four digits
	// (fast-import's fixed dates make them the same in every run).
	var in strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&in, "commit refs/heads/many\ncommitter T <t@example.com> %d +0000\ndata %d\n%d\n", i, len(fmt.Sprint(i))+1, i)
	}
	r.runInput(in.String(), "fast-import", "--quiet")
	seen := map[string]bool{}
	ambiguous := ""
	for _, c := range strings.Fields(r.git("rev-list", "refs/heads/many")) {
		if seen[c[:4]] {
			ambiguous = c[:4]
			break
		}
		seen[c[:4]] = true
	}
	if ambiguous == "" {
		t.Fatal("no two of 1000 commits share four digits")
	}
	absent := strings.Repeat("0", 40)
	cases := []struct{ rev, why string }{
		{"nosuch", ""},
		{"refs/heads/nosuch", ""},
		{"bad..name", "not a valid ref name"},
		{absent, "the repository has no object " + absent},
		{"1234567890123456789012345678901234567890~1", "the repository has no object"},
		{"deadbeef", "no object ID begins with it"},
		{ambiguous, "ambiguous abbreviated object ID"},
		{"", "an empty name"},
	}
	for _, c := range cases {
		for i, opts := range []history.Options{{Refs: []string{c.rev}}, {Since: c.rev}} {
			if c.rev == "" && i == 1 {
				continue // Since "" is no --since
			}
			_, err := history.Scan(context.Background(), r.dir, fixture.Scanner(t), opts)
			var re *history.RevisionError
			if !errors.As(err, &re) || re.Rev != c.rev || !strings.Contains(err.Error(), fmt.Sprintf("no ref or commit named %q", c.rev)) ||
				!strings.Contains(err.Error(), c.why) {
				t.Errorf("refs %q since %q: err %v: want a RevisionError naming %q (%s)", opts.Refs, opts.Since, err, c.rev, c.why)
			}
			if err != nil && c.rev != absent && strings.Contains(err.Error(), "0000000") {
				t.Errorf("refs %q since %q: err %v names an object the user did not give", opts.Refs, opts.Since, err)
			}
		}
	}
}
