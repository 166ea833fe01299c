package gitobj

import (
	"bytes"
	"compress/zlib"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// packOf writes the objects of every ref of dir into one pack with git
// pack-objects (extra flags: --no-delta-base-offset for REF deltas) and
// returns the pack's bytes.
func packOf(t testing.TB, dir string, flags ...string) []byte {
	t.Helper()
	revs := gitRun(t, dir, "rev-list", "--objects", "--all")
	out := t.TempDir()
	cmd := exec.Command("git", append([]string{"-C", dir, "pack-objects", "-q", "--window=50", "--depth=50"}, append(flags, filepath.Join(out, "p"))...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	cmd.Stdin = strings.NewReader(revs)
	name, err := cmd.Output()
	if err != nil {
		t.Fatalf("git pack-objects: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(out, "p-"+strings.TrimSpace(string(name))+".pack"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readAllStream reads a pack with ReadPackStream, failing on anything it
// cannot read.
func readAllStream(t *testing.T, pack []byte) map[ID][]byte {
	t.Helper()
	got := map[ID][]byte{}
	n, err := ReadPackStream(pack, StreamLimits{}, func(o StreamObject) bool {
		if HashObject(o.Type, o.Data) != o.ID {
			t.Fatalf("object at %d: ID %s is not its content's", o.Offset, o.ID)
		}
		got[o.ID] = o.Data
		return true
	}, func(off int64, err error) { t.Errorf("entry at %d: %v", off, err) })
	if err != nil {
		t.Fatal(err)
	}
	if n != len(got) {
		t.Errorf("header announces %d entries, %d objects read", n, len(got))
	}
	return got
}

// TestReadPackStream reads packs git writes, with OFS and with REF
// deltas, and a bundle's, and finds every object git has, content for
// content.
func TestReadPackStream(t *testing.T) {
	dir := historyRepo(t)
	want := catAll(t, dir)
	for _, tc := range []struct {
		name  string
		flags []string
		delta string
	}{
		{"ofs deltas", []string{"--delta-base-offset"}, "ofs"},
		{"ref deltas", nil, "ref"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pack := packOf(t, dir, tc.flags...)
			deltas := 0
			for off := int64(12); ; {
				// Count the deltas git wrote, through the same
				// reader: the test must cover them.
				if off >= int64(len(pack))-20 {
					break
				}
				e, err := parseEntry(pack[off:min(off+48, int64(len(pack)))], off)
				if err != nil {
					t.Fatal(err)
				}
				if e.Type == OFSDelta && tc.delta == "ofs" || e.Type == REFDelta && tc.delta == "ref" {
					deltas++
				}
				s := &packStream{data: pack}
				_, next, err := s.inflate(off, e, true)
				if err != nil {
					t.Fatal(err)
				}
				off = next
			}
			if deltas == 0 {
				t.Fatalf("git wrote no %s delta: the test does not cover them", tc.delta)
			}
			got := readAllStream(t, pack)
			if len(got) != len(want) {
				t.Errorf("%d objects, git has %d", len(got), len(want))
			}
			for id, w := range want {
				if g, ok := got[id]; !ok || !bytes.Equal(g, w) {
					t.Errorf("object %s: missing or different", id)
				}
			}
		})
	}
	t.Run("bundle", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "b.bundle")
		gitRun(t, dir, "bundle", "create", "-q", p, "--all")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !IsBundle(data) {
			t.Fatalf("not taken for a bundle: %q", data[:20])
		}
		b, err := ParseBundle(data)
		if err != nil {
			t.Fatal(err)
		}
		head, _ := ParseID(strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD")))
		found := false
		for _, r := range b.Refs {
			found = found || r.ID == head && r.Name == "refs/heads/main"
		}
		if !found {
			t.Errorf("refs %v: refs/heads/main at %s missing", b.Refs, head)
		}
		if got := readAllStream(t, b.Pack); len(got) != len(want) {
			t.Errorf("%d objects, git has %d", len(got), len(want))
		}
	})
}

// TestReadPackStreamDamage: a budget, an object limit, a corrupt entry and
// a REF delta whose base the pack lacks are errors or reports, never a
// panic, and what comes before them is read.
func TestReadPackStreamDamage(t *testing.T) {
	dir := historyRepo(t)
	pack := packOf(t, dir, "--delta-base-offset")
	nop := func(StreamObject) bool { return true }

	if _, err := ReadPackStream(pack, StreamLimits{MaxBytes: 100}, nop, func(int64, error) {}); !errors.Is(err, ErrStreamBudget) {
		t.Errorf("MaxBytes 100: %v, want ErrStreamBudget", err)
	}
	var bad int
	if _, err := ReadPackStream(pack, StreamLimits{MaxObjectSize: 100}, nop, func(int64, error) { bad++ }); err != nil || bad == 0 {
		t.Errorf("MaxObjectSize 100: err %v, %d objects reported, want some and no error", err, bad)
	}

	// A byte changed in the middle: the entries before it are read, the
	// damage is reported or ends the read; no panic.
	for _, at := range []int{13, len(pack) / 3, len(pack) / 2, len(pack) - 30} {
		d := bytes.Clone(pack)
		d[at] ^= 0x55
		read := 0
		_, _ = ReadPackStream(d, StreamLimits{}, func(StreamObject) bool { read++; return true }, func(int64, error) {})
	}
	// Truncated.
	if _, err := ReadPackStream(pack[:len(pack)/2], StreamLimits{}, nop, func(int64, error) {}); err == nil {
		t.Error("half a pack read without an error")
	}

	// A thin pack: REF deltas against objects it does not hold.
	base := strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD~3"))
	cmd := exec.Command("git", "-C", dir, "pack-objects", "-q", "--thin", "--stdout", "--revs")
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	cmd.Stdin = strings.NewReader("HEAD\n^" + base + "\n")
	thin, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	bad = 0
	read := 0
	if _, err := ReadPackStream(thin, StreamLimits{}, func(StreamObject) bool { read++; return true }, func(off int64, err error) {
		if !strings.Contains(err.Error(), "not in the pack") {
			t.Errorf("thin pack entry at %d: %v", off, err)
		}
		bad++
	}); err != nil {
		t.Fatal(err)
	}
	if bad == 0 || read == 0 {
		t.Errorf("thin pack: %d read, %d missing bases; want some of each", read, bad)
	}
}

// FuzzReadPackStream: whatever the bytes, ReadPackStream never panics,
// keeps to its limits, and every object it hands out has the ID its
// content hashes to; a bundle header is parsed or refused.
func FuzzReadPackStream(f *testing.F) {
	dir := t0Repo(f)
	f.Add(packOf(f, dir, "--delta-base-offset"))
	f.Add(packOf(f, dir))
	f.Add([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01\x30\x78\x9c\x03\x00\x00\x00\x00\x01"))
	f.Add([]byte("# v3 git bundle\n@object-format=sha1\n-0123456789012345678901234567890123456789 x\n\nPACK\x00\x00\x00\x02\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if IsBundle(data) {
			b, err := ParseBundle(data)
			if err != nil {
				return
			}
			data = b.Pack
		}
		// The second read builds bases over the object limit (t0Repo's
		// file is 800 bytes) without handing them out.
		for _, lim := range []StreamLimits{
			{MaxObjectSize: 1 << 20, MaxBytes: 1 << 24, CacheBytes: 1 << 20},
			{MaxObjectSize: 100, MaxBaseSize: 1 << 20, MaxBytes: 1 << 24, CacheBytes: 1 << 20},
		} {
			var total int64
			_, _ = ReadPackStream(data, lim, func(o StreamObject) bool {
				if HashObject(o.Type, o.Data) != o.ID {
					t.Fatalf("object at %d: ID %s is not its content's", o.Offset, o.ID)
				}
				if int64(len(o.Data)) > lim.MaxObjectSize {
					t.Fatalf("object of %d bytes over MaxObjectSize", len(o.Data))
				}
				total += int64(len(o.Data))
				return true
			}, func(int64, error) {})
			if total > 1<<24 {
				t.Fatalf("%d bytes handed out, over MaxBytes", total)
			}
		}
	})
}

// t0Repo is a small repository with two versions of a file (a delta) and
// an annotated tag, for the fuzz seeds.
func t0Repo(t testing.TB) string {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q")
	body := strings.Repeat("a line of a file that changes a little\n", 20)
	for i, v := range []string{"one\n", "two\n"} {
		if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte(body+v), 0o644); err != nil {
			t.Fatal(err)
		}
		gitRun(t, dir, "add", ".")
		gitRun(t, dir, "commit", "-q", "--no-verify", "-m", "c"+v)
		_ = i
	}
	gitRun(t, dir, "tag", "-a", "-m", "v1", "v1")
	return dir
}

// TestReadPackStreamClaims (qa14 HIGH-17): what a pack's header and an
// entry's header claim is not allocated before the data shows it: a
// count of 2^32-1 before 4 MiB of zeros, and a blob announcing 200 MiB
// whose stream holds two bytes, each cost a few MiB, not the claim.
func TestReadPackStreamClaims(t *testing.T) {
	nop := func(StreamObject) bool { return true }
	head := []byte("PACK\x00\x00\x00\x02\xff\xff\xff\xff")
	// An entry header: type 3 (blob), size 200 MiB in 4+7+7... bits.
	size := uint64(200 << 20)
	ent := []byte{byte(0x80 | 3<<4 | size&15)}
	for size >>= 4; size > 0; size >>= 7 {
		b := byte(size & 127)
		if size > 127 {
			b |= 0x80
		}
		ent = append(ent, b)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write([]byte("hi"))
	_ = zw.Close()
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"count", append(bytes.Clone(head), make([]byte, 4<<20)...)},
		{"size", append(append(append(bytes.Clone(head), ent...), z.Bytes()...), make([]byte, 300<<10)...)},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := ReadPackStream(c.data, StreamLimits{}, nop, func(int64, error) {})
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: read without an error", c.name)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 24<<20 {
			t.Errorf("%s: %d bytes allocated for a %d-byte pack", c.name, got, len(c.data))
		}
	}
}
