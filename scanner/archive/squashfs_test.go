package archive

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mksquashfs makes an image of root with mksquashfs (squashfs-tools) and
// the compressor comp; the test is skipped where it is not installed.
func mksquashfs(t testing.TB, root, comp string) []byte {
	t.Helper()
	if _, err := exec.LookPath("mksquashfs"); err != nil {
		t.Skip("mksquashfs not installed (apt-get install squashfs-tools)")
	}
	img := filepath.Join(t.TempDir(), "img.sq")
	if out, err := exec.Command("mksquashfs", root, img, "-comp", comp, "-quiet", "-noappend", "-no-progress").CombinedOutput(); err != nil {
		t.Fatalf("mksquashfs: %v\n%s", err, out)
	}
	data, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// squashTree writes a folder with nested folders, a file of several
// blocks, small files whose tails share a fragment block, a hard link (an
// extended inode), a sparse file and an empty one.
func squashTree(t testing.TB) (string, map[string]string) {
	root := t.TempDir()
	want := map[string]string{
		"etc/app.env":           "aws_secret_access_key = a fake value\n",
		"etc/deep/a/b/c/x.conf": "x = 1\n",
		"top.txt":               strings.Repeat("the same line again and again\n", 20000), // several blocks
		"empty":                 "",
		"sparse.bin":            string(make([]byte, 300000)),
	}
	for i := range 50 {
		want["many/f"+string(rune('a'+i%26))+string(rune('a'+i/26))] = strings.Repeat("z", i)
	}
	for p, c := range want {
		f := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if p == "sparse.bin" {
			if err := os.WriteFile(f, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(f, int64(len(c))); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(f, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Link(filepath.Join(root, "etc/app.env"), filepath.Join(root, "hard.env")); err != nil {
		t.Fatal(err)
	}
	want["hard.env"] = want["etc/app.env"]
	if err := os.Symlink("etc/app.env", filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	want["link"] = "etc/app.env" // a symlink's member is its target (qa13 LOW-1)
	return root, want
}

// TestSquashfs: images mksquashfs makes with gzip, xz and zstd are read
// whole, every file a member named by its path with its content; lzo and
// lz4 images are counted as not opened.
func TestSquashfs(t *testing.T) {
	root, want := squashTree(t)
	for _, comp := range []string{"gzip", "xz", "zstd"} {
		t.Run(comp, func(t *testing.T) {
			data := mksquashfs(t, root, comp)
			if f := Detect(data); f != Squashfs {
				t.Fatalf("detected as %v", f)
			}
			got := map[string]string{}
			warns, st := Walk(context.Background(), "app.snap", data, DefaultLimits(), func(m Member) {
				if !m.Raw {
					got[strings.TrimPrefix(m.Name, "app.snap!")] = string(m.Data)
				}
			})
			if len(warns) != 0 || st.Unscanned != 0 {
				t.Errorf("warnings: %v", warns)
			}
			if len(got) != len(want) {
				t.Errorf("%d members, want %d", len(got), len(want))
			}
			for p, c := range want {
				if g, ok := got[p]; !ok || g != c {
					t.Errorf("%s: %d bytes (present %v), want %d", p, len(g), ok, len(c))
				}
			}
		})
	}
	for _, comp := range []string{"lzo", "lz4"} {
		t.Run(comp, func(t *testing.T) {
			data := mksquashfs(t, root, comp)
			warns, st := Walk(context.Background(), "app.snap", data, DefaultLimits(), func(Member) {})
			if st.Unscanned != 1 || len(warns) != 1 || !strings.Contains(warns[0].Message, comp) {
				t.Errorf("%v, %+v", warns, st)
			}
		})
	}
	t.Run("limits", func(t *testing.T) {
		data := mksquashfs(t, root, "gzip")
		lim := DefaultLimits()
		lim.MaxMemberSize = 1000
		warns, st := Walk(context.Background(), "app.snap", data, lim, func(Member) {})
		if st.Unscanned < 2 || !strings.Contains(warns[0].Message, "larger than") {
			t.Errorf("%v, %+v", warns, st)
		}
	})
}

// FuzzSquashfs: whatever an image holds, Walk never panics or hangs, and
// hands out no member over the member limit.
func FuzzSquashfs(f *testing.F) {
	root, _ := squashTree(f)
	for _, comp := range []string{"gzip", "xz", "zstd"} {
		f.Add(mksquashfs(f, root, comp))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if Detect(data) != Squashfs {
			return
		}
		lim := DefaultLimits()
		lim.MaxMemberSize, lim.MaxBytes = 1<<20, 8<<20
		Walk(context.Background(), "f.sq", data, lim, func(m Member) {
			if int64(len(m.Data)) > lim.MaxMemberSize && !m.Raw {
				t.Fatalf("member %s of %d bytes", m.Name, len(m.Data))
			}
		})
	})
}

// TestSquashfsBehindStub (qa14 HIGH-16): an AppImage (an ELF runtime, here
// /bin/true, then the image at the end of its section headers) and a
// firmware image (the image at a 4 KiB boundary after other bytes) are
// opened; a superblock whose bytes_used runs past the file is not taken.
func TestSquashfsBehindStub(t *testing.T) {
	root, want := squashTree(t)
	img := mksquashfs(t, root, "gzip")
	elf, err := os.ReadFile("/bin/true")
	if err != nil || elfEnd(elf) != len(elf) {
		t.Skipf("/bin/true is no ELF ending at its section headers here (%v)", err)
	}
	app := append(bytes.Clone(elf), img...)
	fw := append(bytes.Repeat([]byte{0xff, 0, 0x12, 0x34}, 3<<10), img...)
	for _, c := range []struct {
		name string
		data []byte
	}{{"app.AppImage", app}, {"fw.bin", fw}} {
		if f, at := behind(c.data); f != Squashfs || at != len(c.data)-len(img) {
			t.Errorf("%s: behind = %v at %d, want squashfs at %d", c.name, f, at, len(c.data)-len(img))
		}
		got, warns, _ := walk(t, c.name, c.data, DefaultLimits())
		if len(warns) > 0 {
			t.Errorf("%s: warnings %q", c.name, warns)
		}
		for p, v := range want {
			if got[c.name+"!"+p] != v {
				t.Errorf("%s: member %s not read", c.name, p)
			}
		}
	}
	if f, _ := behind(append(bytes.Clone(elf), img[:len(img)/2]...)); f == Squashfs {
		t.Error("half an image behind an ELF taken for squashfs")
	}
}
