package walk

import (
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/pathname"
)

// TestUnderIsJoin: under and shownUnder give what filepath.Join and
// pathname.Shown give for a clean folder path and names read from folders,
// including the roots where concatenation would differ ("/", ".", "").
func TestUnderIsJoin(t *testing.T) {
	r := rand.New(rand.NewSource(23))
	names := []string{"a", "b.txt", ".env", "..x", "x..", "...", "-", "a b", "\\", "k\\v", "é", ".git"}
	dirs := []string{"", ".", "/", "..", "../..", "a", "/a", "/a/b", "a/b/.c", "../x", "/work/bench-repos/moto"}
	for i := 0; i < 5000; i++ {
		dir := dirs[r.Intn(len(dirs))]
		if r.Intn(3) == 0 {
			dir = filepath.Clean(dir + "/" + names[r.Intn(len(names))])
		}
		parts := make([]string, 1+r.Intn(4))
		for k := range parts {
			parts[k] = names[r.Intn(len(names))]
		}
		rel := strings.Join(parts, "/")
		if got, want := under(dir, rel), filepath.Join(dir, filepath.FromSlash(rel)); got != want {
			t.Fatalf("under(%q, %q) = %q, filepath.Join gives %q", dir, rel, got, want)
		}
		shown := filepath.ToSlash(dir)
		if got, want := shownUnder(shown, rel), pathname.Shown(shown, rel); got != want {
			t.Fatalf("shownUnder(%q, %q) = %q, pathname.Shown gives %q", shown, rel, got, want)
		}
	}
}
