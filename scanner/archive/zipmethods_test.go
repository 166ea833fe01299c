package archive

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/klauspost/compress/zstd"
)

// zipWith writes a zip of one member compressed by archive/zip with a
// compressor registered for method m.
func zipWith(t *testing.T, m uint16, comp func(io.Writer) (io.WriteCloser, error), name string, body []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(m, comp)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: m})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zstdComp(w io.Writer) (io.WriteCloser, error) { return zstd.NewWriter(w) }

// zipRaw writes a zip of one member whose data, compressed with method m
// already, is raw: its sizes in the local header, no data descriptor.
func zipRaw(t *testing.T, m uint16, name string, body, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: m, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(len(body))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestZipMethods is newuser LOW-30: zip members compressed with bzip2
// (12), LZMA (14), zstd (93) or xz (95) were warned about, not read,
// though keyscan decodes those formats as files. The real writers: Info-ZIP
// zip -Z bzip2, Python's zipfile (ZIP_BZIP2, ZIP_LZMA with its end
// marker), 7-Zip (-mm=BZip2, -mm=LZMA without an end marker), and
// archive/zip with klauspost's zstd and ulikunitz's xz; listed, and left
// out of the central directory (read from the local header).
func TestZipMethods(t *testing.T) {
	// Long enough that zip -Z bzip2 compresses rather than stores it.
	creds := append(credBody(51), strings.Repeat("# rotate these every 90 days\n", 40)...)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "credentials"), creds, 0o644); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	zips := map[string][]byte{
		"zstd.zip": zipWith(t, methodZstd, zstdComp, "credentials", creds),
		"xz.zip":   zipRaw(t, methodXz, "credentials", creds, archivetest.Xz(t, creds)),
	}
	if _, err := exec.LookPath("zip"); err == nil {
		run(t, dir, "zip", "-q", "-Z", "bzip2", "infozip-bz.zip", "credentials")
		zips["infozip-bz.zip"] = read("infozip-bz.zip")
	}
	if _, err := exec.LookPath("python3"); err == nil {
		run(t, dir, "python3", "-c", `import zipfile
for n, m in (("py-bz.zip", zipfile.ZIP_BZIP2), ("py-lzma.zip", zipfile.ZIP_LZMA)):
    with zipfile.ZipFile(n, "w", m) as z: z.write("credentials")`)
		zips["py-bz.zip"], zips["py-lzma.zip"] = read("py-bz.zip"), read("py-lzma.zip")
	}
	if _, err := exec.LookPath("7z"); err == nil {
		run(t, dir, "7z", "a", "-bd", "-tzip", "-mm=BZip2", "7z-bz.zip", "credentials")
		run(t, dir, "7z", "a", "-bd", "-tzip", "-mm=LZMA", "7z-lzma.zip", "credentials")
		zips["7z-bz.zip"], zips["7z-lzma.zip"] = read("7z-bz.zip"), read("7z-lzma.zip")
	}
	for name, z := range zips {
		r, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
		if err != nil || len(r.File) != 1 || !otherMethod(r.File[0].Method) {
			t.Fatalf("%s: not a zip of one member in a method under test: %v", name, err)
		}
		got, warns, st := walk(t, name, z, DefaultLimits())
		if got[name+"!credentials"] != string(creds) || len(warns) > 0 || st.Unscanned > 0 {
			t.Errorf("%s (method %d): members %q, warnings %q", name, r.File[0].Method, keys(got), warns)
		}
		hidden := name + " unlisted"
		got, warns, st = walk(t, hidden, archivetest.ZipUnlist(t, z, "credentials"), DefaultLimits())
		if got[hidden+"!credentials"] != string(creds) || st.Unscanned > 0 || len(warns) != 1 || !strings.Contains(warns[0], "member not in the zip's central directory") {
			t.Errorf("%s: members %q, warnings %q", hidden, keys(got), warns)
		}
	}

	// A method still not read is a warning counted, as before: 7-Zip's
	// PPMd (98).
	if _, err := exec.LookPath("7z"); err == nil {
		run(t, dir, "7z", "a", "-bd", "-tzip", "-mm=PPMd", "ppmd.zip", "credentials")
		_, warns, st := walk(t, "ppmd.zip", read("ppmd.zip"), DefaultLimits())
		if st.Unscanned != 1 {
			t.Errorf("ppmd.zip: warnings %q", warns)
		}
		wantWarn(t, warns, "ppmd.zip!credentials: unreadable member")
	}
}

// TestZipMethodsBomb: the new methods go through the same meter: a zstd
// member of 64 MiB of zeros stops at the byte budget, and a window over
// maxWindow is refused.
func TestZipMethodsBomb(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxBytes = 8 << 20
	z := zipWith(t, methodZstd, zstdComp, "zeros", make([]byte, 64<<20))
	_, warns, st := walk(t, "bomb.zip", z, lim)
	if st.Bytes > lim.MaxBytes || st.Unscanned == 0 {
		t.Errorf("bomb: %d bytes read, warnings %q", st.Bytes, warns)
	}
	wantWarn(t, warns, "bomb.zip: expands more than 100 times")

	// LZMA properties asking for a 1 GiB dictionary.
	raw := []byte{9, 20, 5, 0, 0x5d, 0, 0, 0, 0x40, 0, 0, 0, 0}
	if _, _, err := methodReader(methodLzma, raw, 10, 0, 1<<62); err == nil {
		t.Error("a 1 GiB LZMA dictionary was accepted")
	}
}
