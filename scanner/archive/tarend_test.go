package archive

import (
	"archive/tar"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// credBody is an AWS credentials file holding a fake key made at test time.
func credBody(seed uint64) []byte {
	g := fakekey.New(seed)
	return []byte("[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
}

// TestTarAfterEnd is qa10 HIGH-1's tar part: a second tar after the first
// one's end-of-archive blocks (cat a.tgz b.tgz, cat a.tar b.tar) is read,
// as tar --ignore-zeros extracts it; trailing bytes of a decompressed tar
// that are not a tar are handed on as its own bytes.
func TestTarAfterEnd(t *testing.T) {
	key := credBody(1)
	a := archivetest.Tar(t, archivetest.F("a.txt", []byte("hello\n")))
	b := archivetest.Tar(t, archivetest.F("secret/credentials", key), archivetest.F("in.env.gz", archivetest.Gzip(t, "", key)))
	want := map[string]string{"x!a.txt": "hello\n", "x!secret/credentials": string(key), "x!in.env.gz!in.env": string(key)}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"cat a.tar b.tar", append(append([]byte(nil), a...), b...)},
		{"cat a.tgz b.tgz", append(archivetest.Gzip(t, "", a), archivetest.Gzip(t, "", b)...)},
		{"one gzip stream", archivetest.Gzip(t, "", append(append([]byte(nil), a...), b...))},
		{"zero blocks between", archivetest.Xz(t, append(append(append([]byte(nil), a...), make([]byte, 10240)...), b...))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, st := walk(t, "x", tt.data, DefaultLimits())
			if len(warns) > 0 || st.Unscanned > 0 {
				t.Errorf("warnings: %q", warns)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("members (-want +got):\n%s", d)
			}
		})
	}

	t.Run("real tar", func(t *testing.T) {
		dir := t.TempDir()
		for i, f := range []string{"a.txt", "credentials"} {
			body := []byte("hello\n")
			if i == 1 {
				body = key
			}
			if err := os.WriteFile(filepath.Join(dir, f), body, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("tar", "-C", dir, "-czf", filepath.Join(dir, f+".tgz"), f).CombinedOutput()
			if err != nil {
				t.Fatalf("tar: %v %s", err, out)
			}
		}
		var data []byte
		for _, f := range []string{"a.txt.tgz", "credentials.tgz"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, b...)
		}
		got, warns, _ := walk(t, "x.tgz", data, DefaultLimits())
		if len(warns) > 0 || got["x.tgz!credentials"] != string(key) {
			t.Errorf("members %q, warnings %q", got, warns)
		}
	})

	t.Run("trailing data", func(t *testing.T) {
		var raws []string
		trail := "not a tar: " + string(key)
		data := archivetest.Gzip(t, "", append(append(append([]byte(nil), a...), make([]byte, 1024)...), trail...))
		ws, _ := Walk(t.Context(), "t.tgz", data, DefaultLimits(), func(m Member) {
			if m.Raw {
				raws = append(raws, string(m.Data))
			}
		})
		if len(ws) > 0 || !slices.Contains(raws, trail) {
			t.Errorf("raw members %q, warnings %v; want the trailing data", raws, ws)
		}
		lim := DefaultLimits()
		lim.MaxMemberSize = 20
		_, warns, st := walk(t, "t.tgz", data, lim)
		if st.Unscanned != 1 || len(warns) != 1 || !strings.Contains(warns[0], "after the end of the tar archive") {
			t.Errorf("over the member limit: warnings %q, unscanned %d", warns, st.Unscanned)
		}
	})
}

// TestTarTypes: a member of type 7 (contiguous) or of a type tar does not
// know is read as a regular file, as GNU tar extracts it; a symlink or a
// folder is not a file.
func TestTarTypes(t *testing.T) {
	key := credBody(2)
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, m := range []struct {
		name string
		typ  byte
		data []byte
	}{
		{"cont", tar.TypeCont, key},
		{"unknown", 'X', key},
		{"dir/", tar.TypeDir, nil},
		{"link", tar.TypeSymlink, nil},
		{"plain", tar.TypeReg, []byte("p")},
	} {
		hdr := &tar.Header{Name: m.name, Typeflag: m.typ, Size: int64(len(m.data)), Mode: 0o644, Format: tar.FormatGNU}
		if m.typ == tar.TypeSymlink {
			hdr.Linkname = "plain"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"t.tar", "t.tgz"} {
		data := b.Bytes()
		if name == "t.tgz" {
			data = archivetest.Gzip(t, "", data)
		}
		got, warns, _ := walk(t, name, data, DefaultLimits())
		want := map[string]string{name + "!cont": string(key), name + "!unknown": string(key), name + "!plain": "p"}
		if d := cmp.Diff(want, got); d != "" || len(warns) > 0 {
			t.Errorf("%s: warnings %q, members (-want +got):\n%s", name, warns, d)
		}
	}
}

// TestDetectV7AndSkippable is newuser MEDIUM-8: a V7 tar (no "ustar"
// magic, tar --format=v7) is known by its header checksum, and a zstd
// stream that opens with a skippable frame (pzstd) is zstd; a text file
// that is neither stays text.
func TestDetectV7AndSkippable(t *testing.T) {
	key := credBody(3)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.env.gz"), archivetest.Gzip(t, "", key), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.env"), key, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) {
		t.Helper()
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Skipf("%s: %v %s", name, err, out)
		}
	}
	run("tar", "-C", dir, "--format=v7", "-cf", filepath.Join(dir, "v7.tar"), "app.env.gz")
	run("pzstd", "-q", "-p", "2", filepath.Join(dir, "app.env"), "-o", filepath.Join(dir, "app.env.zst"))
	v7, _ := os.ReadFile(filepath.Join(dir, "v7.tar"))
	pz, _ := os.ReadFile(filepath.Join(dir, "app.env.zst"))
	if string(v7[257:262]) == "ustar" {
		t.Fatalf("tar --format=v7 wrote a ustar header")
	}
	if Detect(pz[:4]) == Zstd && pz[0] == 0x28 {
		t.Fatalf("pzstd wrote no skippable frame first")
	}
	skip := append([]byte{0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3}, archivetest.Zstd(t, key)...)
	for _, tt := range []struct {
		name string
		data []byte
		f    Format
		want map[string]string
	}{
		{"v7.tar", v7, Tar, map[string]string{"v7.tar!app.env.gz!app.env": string(key)}},
		{"v7.tgz", archivetest.Gzip(t, "", v7), Gzip, map[string]string{"v7.tgz!app.env.gz!app.env": string(key)}},
		{"p.zst", pz, Zstd, map[string]string{"p.zst!p": string(key)}},
		{"s.zst", skip, Zstd, map[string]string{"s.zst!s": string(key)}},
	} {
		if f := Detect(tt.data); f != tt.f {
			t.Errorf("%s: detected %v, want %v", tt.name, f, tt.f)
		}
		got, warns, _ := walk(t, tt.name, tt.data, DefaultLimits())
		if d := cmp.Diff(tt.want, got); d != "" || len(warns) > 0 {
			t.Errorf("%s: warnings %q, members (-want +got):\n%s", tt.name, warns, d)
		}
	}
	// A V7 header whose checksum is off by one is not a tar; nor is text.
	bad := append([]byte(nil), v7...)
	bad[0]++
	text := bytes.Repeat([]byte("0000644 some text that mentions ustar and octal numbers 0001750\n"), 10)
	for _, d := range [][]byte{bad, text, skip[:4]} {
		if f := Detect(d); f != None {
			t.Errorf("%.20q detected as %v", d, f)
		}
	}
}
