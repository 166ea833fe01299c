package history

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// TestApplyDelta checks applyDelta against go-git's PatchDelta on deltas
// go-git makes, and on every truncation and many corruptions of them: both
// must fail together, and agree on the output when they succeed.
func TestApplyDelta(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString([]string{"alpha ", "beta ", "gamma\n", "delta ", "0123456789"}[rnd.IntN(5)])
		}
		return b.Bytes()[:n]
	}
	for i := range 60 {
		base := text(1 + rnd.IntN(200000))
		target := append([]byte(nil), base...)
		for range 1 + rnd.IntN(20) { // edit: cut, insert, or both
			at := rnd.IntN(len(target) + 1)
			cut := min(rnd.IntN(300), len(target)-at)
			target = append(target[:at], append(text(rnd.IntN(300)), target[at+cut:]...)...)
		}
		if i%10 == 0 {
			target = text(rnd.IntN(1000)) // unrelated, or empty
		}
		delta := packfile.DiffDelta(base, target)
		got, err := applyDelta(base, delta, makeBytes)
		if err != nil || !bytes.Equal(got, target) {
			t.Fatalf("case %d: applyDelta: err %v, equal %v", i, err, bytes.Equal(got, target))
		}
		var pool bufPool
		bad := [][]byte{delta[:0], delta[:len(delta)/2], delta[:len(delta)-1], append(bytes.Clone(delta), 1, 'x')}
		for range 20 {
			d := bytes.Clone(delta)
			d[rnd.IntN(len(d))] ^= byte(1 + rnd.IntN(255))
			bad = append(bad, d)
		}
		for j, d := range bad {
			want, werr := packfile.PatchDelta(base, d)
			got, gerr := applyDelta(base, d, pool.get)
			if (werr == nil) != (gerr == nil) || (gerr == nil && !bytes.Equal(got, want)) {
				t.Fatalf("case %d, variant %d: go-git err %v, applyDelta err %v", i, j, werr, gerr)
			}
			pool.put(got)
		}
	}
}

func TestBufPool(t *testing.T) {
	var p bufPool
	a := p.get(1000)
	if len(a) != 1000 {
		t.Fatalf("len %d", len(a))
	}
	p.put(a)
	if b := p.get(900); &b[0] != &a[0] {
		t.Errorf("a free buffer large enough was not reused")
	}
	for range 100 {
		p.put(make([]byte, 1<<20))
	}
	if p.size > poolMaxBytes {
		t.Errorf("pool holds %d bytes, more than %d", p.size, poolMaxBytes)
	}
	p.put(make([]byte, 2*poolMaxBuf)) // not kept
	if p.size > poolMaxBytes {
		t.Errorf("pool holds %d bytes, more than %d", p.size, poolMaxBytes)
	}
}

// TestPackIndex reads the index git writes (version 2, with and without
// 64-bit offsets, and version 1) and compares it with go-git's reading.
func TestPackIndex(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	git := func(t *testing.T, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(t, "init", "-q")
	for i := range 30 {
		if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte(strings.Repeat("line\n", i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, "add", ".")
		git(t, "commit", "-q", "-m", "c")
	}
	git(t, "repack", "-a", "-d", "-f", "-q")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("want one pack, got %v", packs)
	}
	// "2,0" puts every offset in the 64-bit table.
	for _, tc := range []struct{ name, version string }{{"v2", "2"}, {"v2 with 64-bit offsets", "2,0"}, {"v1", "1"}} {
		t.Run(tc.name, func(t *testing.T) {
			idx := filepath.Join(t.TempDir(), "pack.idx")
			git(t, "index-pack", "--index-version="+tc.version, "-o", idx, packs[0])
			data, err := os.ReadFile(idx)
			if err != nil {
				t.Fatal(err)
			}
			x, err := readPackIndex(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("readPackIndex: %v", err)
			}
			var want []plumbing.Hash
			for _, l := range strings.Fields(git(t, "rev-list", "--all", "--objects", "--no-object-names")) {
				want = append(want, plumbing.NewHash(l))
			}
			if x.count() != len(want) {
				t.Errorf("%d objects, want %d", x.count(), len(want))
			}
			var ref *idxfile.MemoryIndex
			if tc.version != "1" { // go-git reads version 2 only
				ref = idxfile.NewMemoryIndex()
				if err := idxfile.NewDecoder(bytes.NewReader(data)).Decode(ref); err != nil {
					t.Fatal(err)
				}
			}
			for _, h := range want {
				off, err := x.FindOffset(h)
				if err != nil {
					t.Fatalf("FindOffset(%s): %v", h, err)
				}
				if back, err := x.FindHash(off); err != nil || back != h {
					t.Errorf("FindHash(%d) = %s, %v; want %s", off, back, err, h)
				}
				if ref != nil {
					if roff, _ := ref.FindOffset(h); roff != off {
						t.Errorf("FindOffset(%s) = %d, go-git says %d", h, off, roff)
					}
				}
			}
			if _, err := x.FindOffset(plumbing.NewHash(strings.Repeat("ab", 20))); err == nil {
				t.Errorf("FindOffset of a missing object: no error")
			}
			for _, cut := range []int{0, 7, 500, len(data) / 2} {
				if _, err := readPackIndex(bytes.NewReader(data[:cut])); err == nil {
					t.Errorf("index cut at %d: no error", cut)
				}
			}
		})
	}
}
