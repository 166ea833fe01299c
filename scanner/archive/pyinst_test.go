package archive

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestPyInstaller is qa16 HIGH-22: a PyInstaller one-file executable was
// read as a program's text runs only, its entries compressed, so the keys
// of its script, modules and data files were missed with --strict 0.
// testdata/mkpyinst.py lays one out with python3's own marshal and zlib,
// as PyInstaller 6, 5 (a dict for the PYZ's table) and 2.0 (the old
// cookie) write them, and signed (bytes after the cookie).
func TestPyInstaller(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed: not checked")
	}
	want := map[string]string{"upload": "marker-script", "PYZ-00.pyz!settings": "marker-pyz-1",
		"PYZ-00.pyz!pkg.util": "marker-pyz-2", "config/app.env": "marker-data", "pyiboot01_bootstrap": "sys"}
	for _, layout := range []string{"6", "5", "2.0", "signed"} {
		out := filepath.Join(t.TempDir(), "upload")
		if b, err := exec.Command("python3", "testdata/mkpyinst.py", out, layout).CombinedOutput(); err != nil {
			t.Fatalf("mkpyinst.py: %v\n%s", err, b)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if f := DetectName("upload", data); f != PyInstaller {
			t.Fatalf("%s: DetectName = %v", layout, f)
		}
		got, warns, st := walk(t, "upload", data, DefaultLimits())
		if len(warns) > 0 || st.Unscanned > 0 {
			t.Errorf("%s: warnings %q", layout, warns)
		}
		for m, s := range want {
			if !strings.Contains(got["upload!"+m], s) {
				t.Errorf("%s: member %s lacks %q (members %q)", layout, m, s, keys(got))
			}
		}

		// Cut inside its table: what was read is, the rest counted.
		cut := bytes.Clone(data)
		i := bytes.Index(cut, []byte("config/app.env\x00"))
		copy(cut[i-18:], []byte{0, 0, 0xff, 0xff})
		if _, warns, st := walk(t, "upload", cut, DefaultLimits()); st.Unscanned == 0 {
			t.Errorf("%s: a corrupt table was not counted (%q)", layout, warns)
		}
	}
}

// TestEmbeddedStreams is the rest of qa16 HIGH-22: a gzip or zstd file a
// program embeds (Go's //go:embed creds.gz) sits at any offset of it; each
// is opened as a part named by where it starts, the program around it
// scanned as before; chance bytes that look like a header are not taken.
func TestEmbeddedStreams(t *testing.T) {
	env := []byte("aws_secret_access_key = a fake value\n")
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	prog := append([]byte("\x7fELF\x02\x01\x01\x00"), noise(5000)...)
	gz := archivetest.Gzip(t, "", env)
	zs := archivetest.Zstd(t, bytes.Repeat(env, 3))
	var data []byte
	data = append(append(append(append(append(data, prog...), gz...), noise(3000)...), zs...), noise(100)...)
	gzAt, zsAt := len(prog), len(prog)+len(gz)+3000
	if f := DetectName("app", data); f != Gzip {
		t.Fatalf("DetectName = %v", f)
	}
	got, warns, st := walk(t, "app", data, DefaultLimits())
	if len(warns) > 0 || st.Archives != 2 {
		t.Errorf("warnings %q, %d archives", warns, st.Archives)
	}
	if got["app@"+strconv.Itoa(gzAt)+"!data"] != string(env) || got["app@"+strconv.Itoa(zsAt)+"!data"] != strings.Repeat(string(env), 3) {
		t.Errorf("members %q", keys(got))
	}

	// Headers whose stream does not decode, in a program: not parts.
	fake := append(bytes.Clone(prog), 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3)
	fake = append(append(fake, noise(200)...), 0x28, 0xb5, 0x2f, 0xfd, 0x24)
	fake = append(fake, noise(200)...)
	if ps, _ := embeddedParts(fake); len(ps) > 0 {
		t.Errorf("chance headers taken: %v", ps)
	}
	// Text (no NUL in its first 8000 bytes) is not searched, and a gzip
	// cut short is counted.
	if ps, _ := embeddedParts(append(bytes.Repeat([]byte("text\n"), 2000), gz...)); len(ps) > 0 {
		t.Errorf("a gzip in text: %v", ps)
	}
	var big bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&big, gzip.NoCompression)
	zw.Write(noise(20000))
	zw.Close()
	cut := append(bytes.Clone(prog), big.Bytes()[:10000]...)
	if _, warns, st := walk(t, "app", cut, DefaultLimits()); st.Unscanned == 0 {
		t.Errorf("a cut gzip was not counted (%q)", warns)
	}

	// A thousand tiny streams: 64 opened, the rest counted.
	many := bytes.Clone(prog)
	for range 1000 {
		many = append(many, gz...)
	}
	if _, warns, st := walk(t, "app", many, DefaultLimits()); st.Archives != maxParts || st.Unscanned != 1 {
		t.Errorf("1000 streams: %d archives, warnings %q", st.Archives, warns)
	}
}

// zstdChains is review15 B-3's file: a program's head, then 9-byte units
// each a zstd magic, a frame header and a raw block holding the next
// unit's start, so that every magic's walk runs through all the units
// after it (quadratic: 1 MB took 28 s).
func zstdChains(n int) []byte {
	return append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0x30, 0, 0, 0x28, 0xb5, 0x2f, 0xfd, 0x20, 0}, n/9)...)
}

// TestEmbeddedZstdBounded is review15 B-3: the zstd block headers one
// scan walks are at most a third of the file's bytes and a constant, and
// a real frame before the chains is still found.
func TestEmbeddedZstdBounded(t *testing.T) {
	env := []byte("aws_secret_access_key = a fake value\n")
	zs := archivetest.Zstd(t, env)
	chains := zstdChains(1 << 20)
	data := append(append(chains[:8:8], zs...), chains[8:]...)
	ps, _, spent := embeddedScan(data, false)
	if len(ps) == 0 || ps[0].f != Zstd || ps[0].at != 8 {
		t.Errorf("the frame before the chains not found: %v", ps)
	}
	if limit := len(data)/3 + embeddedStep; spent > limit {
		t.Errorf("%d block headers walked, more than %d", spent, limit)
	}
	if f := DetectName("app", data); f != Zstd {
		t.Errorf("DetectName = %v", f)
	}
	got, warns, st := walk(t, "app", data, DefaultLimits())
	if got["app@8!data"] != string(env) {
		t.Errorf("members %q", keys(got))
	}
	// the candidates past the budget are counted, not passed in silence
	if st.Unscanned != 1 || len(warns) != 1 || !strings.Contains(warns[0], "budget") {
		t.Errorf("the candidates past the budget: %d unscanned, warnings %q", st.Unscanned, warns)
	}
	// also when the budget runs out before any frame is found
	if f := DetectName("app", chains); f != Zstd {
		t.Errorf("chains alone: DetectName = %v, want Zstd (counted by Walk)", f)
	}
	if _, warns, st := walk(t, "app", chains, DefaultLimits()); st.Unscanned != 1 {
		t.Errorf("chains alone: %d unscanned, warnings %q", st.Unscanned, warns)
	}
}

// FuzzEmbedded checks that embeddedParts never panics and gives parts in
// order, inside the file, at most maxParts of them.
func FuzzEmbedded(f *testing.F) {
	gz := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x4b, 0x4c, 0x4a, 6, 0, 0xc2, 0x41, 0x24, 0x35, 3, 0, 0, 0}
	f.Add(append([]byte("\x7fELF\x00"), gz...))
	f.Add([]byte{0, 0x28, 0xb5, 0x2f, 0xfd, 0x20, 3, 0x19, 0, 0, 'a', 'b', 'c'})
	f.Add(zstdChains(9000))
	f.Add(append([]byte("\x7fELF\x00\x78\x9c"), archivetest.Zlib(f, 6, []byte("abcabcabc"))...))
	f.Add(append([]byte("\x7fELF\x00BZh9"), archivetest.Bzip2(f, []byte("abc"))...))
	f.Add(append([]byte("\x7fELF\x00"), archivetest.Xz(f, []byte("abc"))...))
	f.Add(append([]byte("\x7fELF\x00"), archivetest.Lzma(f, bytes.Repeat([]byte("abc"), 30))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, more := embeddedParts(data)
		if len(ps) > maxParts || more == restMore && len(ps) != maxParts {
			t.Fatalf("%d parts, more %v", len(ps), more)
		}
		for i, p := range ps {
			if p.at <= 0 || p.end > len(data) || p.at >= p.end || i > 0 && p.at <= ps[i-1].at {
				t.Fatalf("part %+v of %d bytes", p, len(data))
			}
		}
	})
}
