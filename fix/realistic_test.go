package fix_test

import (
	"testing"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fixture"
)

// TestRealisticTree: every file of the shared realistic tree
// (testdata/realistic, see internal/fixture) outside manual/ is fixed
// without a by-hand item, and the fixed file scans clean; the files under
// manual/ keep a by-hand item.
func TestRealisticTree(t *testing.T) {
	sc := fixture.Scanner(t)
	files, err := fixture.Realistic(11)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		res, err := fix.Apply(f.Path, f.Content, sc.Scan(f.Path, f.Content))
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if f.Manual {
			if len(res.Manual) == 0 {
				t.Errorf("%s: fixed, want a by-hand item", f.Path)
			}
			continue
		}
		if len(res.Manual) > 0 {
			t.Errorf("%s: by hand: %v", f.Path, res.Manual[0].Reason)
		}
		if left := sc.Scan(f.Path, res.Content); len(left) > 0 {
			t.Errorf("%s: %d findings after the fix:\n%s", f.Path, len(left), res.Content)
		}
	}
}
