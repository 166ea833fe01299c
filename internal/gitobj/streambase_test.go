package gitobj

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shrinkingRepo commits one file in versions of decreasing size, from
// 3,000 bytes down to 200: git packs the smaller versions as deltas of
// the larger ones, so that small objects are built on bases over a limit
// of 1,000 bytes. It returns the repository and each version's ID.
func shrinkingRepo(t *testing.T) (string, map[ID]int) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q")
	var body strings.Builder
	for i := 0; body.Len() < 3000; i++ {
		fmt.Fprintf(&body, "line %d of a configuration file that shrinks\n", i)
	}
	sizes := map[ID]int{}
	for n := 3000; n >= 200; n -= 400 {
		v := body.String()[:n]
		if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
		gitRun(t, dir, "add", ".")
		gitRun(t, dir, "commit", "-q", "--no-verify", "-m", fmt.Sprint(n))
		sizes[HashObject(Blob, []byte(v))] = n
	}
	return dir, sizes
}

// TestStreamSmallObjectOnLargeBase (CLOSING15): a blob under the object
// limit whose delta base is over it is read (the base is built, up to
// MaxBaseSize, and not handed out); only the versions over the limit are
// reported, as too large. Without room for the base, the small blob is
// reported as not read for its base, not as too large itself.
func TestStreamSmallObjectOnLargeBase(t *testing.T) {
	dir, sizes := shrinkingRepo(t)
	for _, flags := range [][]string{{"--delta-base-offset"}, nil} {
		pack := packOf(t, dir, flags...)
		read := func(lim StreamLimits) (got map[ID]bool, tooLarge, other []string) {
			got = map[ID]bool{}
			_, err := ReadPackStream(pack, lim, func(o StreamObject) bool {
				if HashObject(o.Type, o.Data) != o.ID {
					t.Fatalf("object at %d: ID %s is not its content's", o.Offset, o.ID)
				}
				got[o.ID] = true
				return true
			}, func(off int64, err error) {
				if errors.As(err, new(*TooLargeError)) {
					tooLarge = append(tooLarge, err.Error())
				} else {
					other = append(other, err.Error())
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			return got, tooLarge, other
		}
		got, tooLarge, other := read(StreamLimits{MaxObjectSize: 1000, MaxBaseSize: 1 << 20})
		over := 0
		for id, n := range sizes {
			if n > 1000 {
				over++
				if got[id] {
					t.Errorf("%v: the version of %d bytes was handed out over the limit", flags, n)
				}
			} else if !got[id] {
				t.Errorf("%v: the version of %d bytes was not read (too large: %q; other: %q)", flags, n, tooLarge, other)
			}
		}
		if len(tooLarge) != over || len(other) > 0 {
			t.Errorf("%v: %d too large (%q), other reports %q; want %d too large and nothing else", flags, len(tooLarge), tooLarge, other, over)
		}

		// The base limit no larger than the object limit: a small version
		// built on a large one is a gap named for its base.
		got, tooLarge, other = read(StreamLimits{MaxObjectSize: 1000})
		if len(tooLarge) != over {
			t.Errorf("%v, no room for bases: %d too large (%q), want %d (the versions over the limit only)", flags, len(tooLarge), tooLarge, over)
		}
		for _, o := range other {
			if !strings.Contains(o, "delta base") {
				t.Errorf("%v, no room for bases: %q does not say its base is what was not read", flags, o)
			}
		}
		small := 0
		for id, n := range sizes {
			if n <= 1000 && got[id] {
				small++
			}
		}
		if small+len(other) != len(sizes)-over {
			t.Errorf("%v, no room for bases: %d small versions read, %d reported (%q), of %d", flags, small, len(other), other, len(sizes)-over)
		}
	}
}

// BenchmarkStreamOverLimit reads a pack of 8 blobs of 1 MiB each, every
// one over the object limit and within the base limit, with OFS deltas
// (as git's packs and bundles have them) and with REF deltas: each is
// inflated to find its end, and hashed only where a REF delta may name
// it as its base (review16 A-4: every one was hashed on its first read).
func BenchmarkStreamOverLimit(b *testing.B) {
	dir := b.TempDir()
	gitRun(b, dir, "init", "-q")
	for i := range 8 {
		var body strings.Builder
		for j := 0; body.Len() < 1<<20; j++ {
			fmt.Fprintf(&body, "blob %d line %d: %x\n", i, j, j*2654435761)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), []byte(body.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	gitRun(b, dir, "add", ".")
	gitRun(b, dir, "commit", "-q", "--no-verify", "-m", "blobs")
	for _, c := range []struct {
		name  string
		flags []string
	}{{"ofs", []string{"--delta-base-offset"}}, {"ref", nil}} {
		pack := packOf(b, dir, c.flags...)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(8 << 20)
			for range b.N {
				over := 0
				if _, err := ReadPackStream(pack, StreamLimits{MaxObjectSize: 1 << 16, MaxBaseSize: 1 << 24}, func(StreamObject) bool { return true }, func(int64, error) { over++ }); err != nil || over != 8 {
					b.Fatalf("%d over the limit, %v; want 8", over, err)
				}
			}
		})
	}
}
