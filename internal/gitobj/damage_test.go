package gitobj

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// damageRepo makes a repository of one commit whose file is packed
// whole, and damages one bit of that blob's deflate data so that it
// still inflates, to its announced size, to other content: git's zlib
// then fails its Adler-32 ("incorrect data check"). It returns the
// repository, the blob's ID and its sound content.
func damageRepo(t *testing.T, indexVersion string) (dir string, blob ID, sound []byte) {
	t.Helper()
	dir = t.TempDir()
	gitRun(t, dir, "init", "-q")
	sound = []byte("settings of a service that a bit flip on disk changes without a word\n")
	if err := os.WriteFile(filepath.Join(dir, "settings.txt"), sound, 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "one")
	gitRun(t, dir, "repack", "-adfq")
	blob, _ = ParseID(strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD:settings.txt")))
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("%d packs, want 1", len(packs))
	}
	if indexVersion == "1" {
		idx := strings.TrimSuffix(packs[0], ".pack") + ".idx"
		os.Chmod(idx, 0o644)
		os.Remove(idx)
		gitRun(t, dir, "index-pack", "--index-version=1", "-o", idx, packs[0])
	}
	s, err := Open(filepath.Join(dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, off, ok, err := s.Locate(blob)
	if err != nil || !ok {
		t.Fatalf("locating the blob: %v %v", ok, err)
	}
	if err := p.Load(); err != nil {
		t.Fatal(err)
	}
	e, err := p.Entry(off)
	if err != nil {
		t.Fatal(err)
	}
	end, _ := p.end(off)
	s.Close()
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	start := off + e.HeaderLen + 2 // past the zlib header
	for i := start; i < end-4; i++ {
		for bit := range 8 {
			d := bytes.Clone(data)
			d[i] ^= 1 << bit
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(d[start : end-4])))
			if err != nil || len(got) != len(sound) || bytes.Equal(got, sound) {
				continue
			}
			os.Chmod(packs[0], 0o644)
			if err := os.WriteFile(packs[0], d, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("git", "-C", dir, "cat-file", "blob", blob.String())
			if out, err := cmd.CombinedOutput(); err == nil {
				t.Fatalf("git still reads the damaged blob: %q", out)
			}
			return dir, blob, sound
		}
	}
	t.Fatal("no bit flip keeps the blob's size")
	return
}

// TestDamagedEntryThatStillInflates: a packed entry whose deflate data is
// damaged but still inflates to its announced size is corrupt, as git
// says ("incorrect data check"), whether the pack is loaded (its index's
// CRC-32 is checked) or read by lookups (the zlib Adler-32 is), with a
// version 2 index and with a version 1 index (no CRC-32: the Adler-32);
// and with a sound loose copy beside it, the loose copy is what is read,
// as git reads it. keyscan scanned the damaged bytes and reported a
// history clean (qa24 H2).
func TestDamagedEntryThatStillInflates(t *testing.T) {
	for _, v := range []string{"2", "1"} {
		dir, blob, sound := damageRepo(t, v)
		objects := filepath.Join(dir, ".git", "objects")
		for _, loose := range []bool{false, true} {
			if loose {
				writeLoose(t, objects, blob, Blob, sound)
			}
			for _, load := range []bool{false, true} {
				s, err := Open(objects, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if load {
					for _, p := range s.Packs() {
						if err := p.Load(); err != nil {
							t.Fatal(err)
						}
					}
				}
				r := s.NewReader(1 << 20)
				_, got, err := r.Read(blob)
				if loose {
					if err != nil || !bytes.Equal(got, sound) {
						t.Errorf("index v%s, load %v, sound loose copy: read %q, %v; want the loose copy", v, load, got, err)
					}
				} else if !errors.Is(err, ErrCorrupt) {
					t.Errorf("index v%s, load %v: read %q, %v; want ErrCorrupt", v, load, got, err)
				}
				p, off, _, _ := s.Locate(blob)
				if _, _, err := r.ReadAt(p, off); !errors.Is(err, ErrCorrupt) {
					t.Errorf("index v%s, load %v, loose %v: ReadAt the damaged entry: %v; want ErrCorrupt", v, load, loose, err)
				}
				s.Close()
			}
		}
	}
}
