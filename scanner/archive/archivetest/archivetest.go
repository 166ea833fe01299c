// Package archivetest builds real archives for tests: zip, tar and the
// gzip, bzip2, xz, zstd, lzma, zlib and Brotli compressors and PDF files, from members given in
// memory, and 7z, ar and .deb archives with the real 7z, ar (GNU's and Go's) and
// dpkg-deb.
package archivetest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// File is one member of an archive built by a test.
type File struct {
	Name string
	Data []byte
}

// Zip returns a zip archive of files.
func Zip(t testing.TB, files ...File) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ZipUnlist returns the zip archive z with the named members left out of
// its central directory; their local headers and data stay where they are.
// A directory reader (unzip -l, archive/zip) no longer lists them; a
// streaming reader (jar x, funzip, Java's ZipInputStream) still extracts
// them, as qa10 HIGH-1 found.
func ZipUnlist(t testing.TB, z []byte, names ...string) []byte {
	t.Helper()
	e := bytes.LastIndex(z, []byte("PK\x05\x06"))
	if e < 0 || len(z)-e < 22 {
		t.Fatal("zip without an end of central directory record")
	}
	size, off := binary.LittleEndian.Uint32(z[e+12:]), binary.LittleEndian.Uint32(z[e+16:])
	dir := z[off : off+size]
	var kept []byte
	n := 0
	for len(dir) >= 46 {
		l := 46 + int(binary.LittleEndian.Uint16(dir[28:])) + int(binary.LittleEndian.Uint16(dir[30:])) + int(binary.LittleEndian.Uint16(dir[32:]))
		if !slices.Contains(names, string(dir[46:46+int(binary.LittleEndian.Uint16(dir[28:]))])) {
			kept = append(kept, dir[:l]...)
			n++
		}
		dir = dir[l:]
	}
	end := bytes.Clone(z[e:])
	binary.LittleEndian.PutUint16(end[8:], uint16(n))
	binary.LittleEndian.PutUint16(end[10:], uint16(n))
	binary.LittleEndian.PutUint32(end[12:], uint32(len(kept)))
	return append(append(bytes.Clone(z[:off]), kept...), end...)
}

// ZipStored returns a zip archive of files stored, not compressed, as a
// fat jar stores the jars it nests. Go's writer gives each a data
// descriptor, so the local header leaves the size to it.
func ZipStored(t testing.TB, files ...File) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ZipBomb returns a real zip bomb: one member of n zero bytes, written a
// MiB at a time (200 MiB take about 200 KiB of deflate).
func ZipBomb(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("zeros.txt")
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := 0; i < n; i += len(chunk) {
		if _, err := w.Write(chunk[:min(len(chunk), n-i)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// NestedBomb is 42.zip's shape: each of two levels holds ten copies of the
// level below; the bottom is a ZipBomb of 64 MiB. Fully expanded: 6.4 GiB.
func NestedBomb(t testing.TB) []byte {
	t.Helper()
	level := ZipBomb(t, 64<<20)
	for range 2 {
		files := make([]File, 10)
		for i := range files {
			files[i] = File{Name: string(rune('a'+i)) + ".zip", Data: level}
		}
		level = Zip(t, files...)
	}
	return level
}

// Tar returns a tar archive of files.
func Tar(t testing.TB, files ...File) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f.Name, Mode: 0o644, Size: int64(len(f.Data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Gzip compresses data, recording name in the header when not empty.
func Gzip(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Name = name
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Xz compresses data.
func Xz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := xz.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Zstd compresses data.
func Zstd(t testing.TB, data []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(data, nil)
}

// Brotli compresses data as a Brotli stream at quality q (0 to 11).
func Brotli(t testing.TB, q int, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, q)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Bzip2 compresses with the bzip2 program: the standard library only
// decompresses.
func Bzip2(t testing.TB, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skip("bzip2 not installed: cannot build a bzip2 stream")
	}
	cmd := exec.Command("bzip2", "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Lzma compresses data in the LZMA "alone" format (.lzma).
func Lzma(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := lzma.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Zlib compresses data as a raw zlib stream at the given level.
func Zlib(t testing.TB, level int, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := zlib.NewWriterLevel(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// SevenZip builds a 7z archive of files with the real 7z program (p7zip),
// given the switches after "a" (nil for 7z's defaults: LZMA2 and a
// compressed header). A file with a nil Data is an empty file.
func SevenZip(t testing.TB, switches []string, files ...File) []byte {
	t.Helper()
	prog := ""
	for _, p := range []string{"7z", "7za"} {
		if _, err := exec.LookPath(p); err == nil {
			prog = p
			break
		}
	}
	if prog == "" {
		t.Skip("7z not installed (apt-get install p7zip-full): cannot build a 7z archive")
	}
	dir := t.TempDir()
	src := Tree(t, files...)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	out := filepath.Join(dir, "a.7z")
	args := append(append([]string{"a", "-bd", "-y"}, switches...), append([]string{out, "--"}, names...)...)
	cmd := exec.Command(prog, args...)
	cmd.Dir = src
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %q: %v\n%s", prog, args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Tree writes files into a new temporary folder under their names (with
// the folders they name) and returns the folder.
func Tree(t testing.TB, files ...File) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Cpio builds a cpio archive of files, and of a symlink "link" to
// etc/app.env, with the real cpio -o in the header format given (newc,
// crc, odc, bin), names in the order given.
func Cpio(t testing.TB, format string, files ...File) []byte {
	t.Helper()
	if _, err := exec.LookPath("cpio"); err != nil {
		t.Skip("cpio not installed (apt-get install cpio): cannot build a cpio archive")
	}
	dir := Tree(t, files...)
	if err := os.Symlink("etc/app.env", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	cmd := exec.Command("cpio", "-o", "--quiet", "-H", format)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(strings.Join(append(names, "link"), "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cpio -H %s: %v\n%s", format, err, stderr.Bytes())
	}
	return out
}

// Ar builds an ar archive of files with the real ar program (GNU binutils:
// names of 16 bytes or more go to its long-name table).
func Ar(t testing.TB, files ...File) []byte {
	t.Helper()
	if _, err := exec.LookPath("ar"); err != nil {
		t.Skip("ar not installed (apt-get install binutils): cannot build an ar archive")
	}
	return archiver(t, []string{"ar", "rcS"}, files)
}

// ZipEncrypted builds a zip of files encrypted with the real zip -P
// (ZipCrypto, password "pw"), whose names, as in every encrypted zip, are
// in the clear.
func ZipEncrypted(t testing.TB, files ...File) []byte {
	t.Helper()
	if _, err := exec.LookPath("zip"); err != nil {
		t.Skip("zip not installed (apt-get install zip): cannot build an encrypted zip")
	}
	return archiver(t, []string{"zip", "-q", "-j", "-P", "pw"}, files)
}

// GoPack builds an ar archive of files with Go's own archiver, `go tool
// pack`, which pads an odd-sized member with a NUL byte as the Go
// toolchain's .a and .o files are padded (GNU ar pads with '\n').
func GoPack(t testing.TB, files ...File) []byte {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH: cannot run go tool pack")
	}
	return archiver(t, []string{"go", "tool", "pack", "c"}, files)
}

// archiver runs cmd with an archive path and the files, each written into a
// folder of its own under its name, and returns the archive it wrote.
func archiver(t testing.TB, cmd []string, files []File) []byte {
	t.Helper()
	dir := t.TempDir()
	args := append(cmd[1:len(cmd):len(cmd)], filepath.Join(dir, "a.a"))
	for i, f := range files {
		sub := filepath.Join(dir, strconv.Itoa(i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(sub, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	if b, err := exec.Command(cmd[0], args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %q: %v\n%s", cmd[0], args, err, b)
	}
	data, err := os.ReadFile(filepath.Join(dir, "a.a"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Deb builds a Debian package holding files with the real dpkg-deb, its
// data.tar compressed with compressor (gzip, xz or zstd).
func Deb(t testing.TB, compressor string, files ...File) []byte {
	t.Helper()
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("dpkg-deb not installed (apt-get install dpkg): cannot build a .deb")
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	control := "Package: keyscan-test\nVersion: 1.0\nArchitecture: all\nMaintainer: Test <test@example.com>\nDescription: test package\n"
	all := append([]File{{Name: "DEBIAN/control", Data: []byte(control)}}, files...)
	for _, f := range all {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "a.deb")
	args := []string{"--root-owner-group", "-Z" + compressor, "--build", root, out}
	if b, err := exec.Command("dpkg-deb", args...).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb %q: %v\n%s", args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// F returns a File.
func F(name string, data []byte) File { return File{Name: name, Data: data} }

// PDFObject is one object of a PDF that PDF writes: Dict is what goes
// inside its dictionary (PDF adds the /Length of a stream), Stream its
// stream's bytes, or nil for an object without one.
type PDFObject struct {
	Dict   string
	Stream []byte
	Raw    string // an object that is no dictionary ([6 0 R]): its body, Dict and Stream unused
}

// PDF writes a PDF 1.7 file of objs, numbered from 1, with a
// cross-reference table and a trailer whose /Root is object 1; extra is
// put into the trailer dictionary (an /Encrypt reference, say).
func PDF(objs []PDFObject, extra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		if o.Raw != "" {
			b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o.Raw + "\nendobj\n")
			continue
		}
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n<< " + o.Dict)
		if o.Stream != nil {
			b.WriteString(" /Length " + strconv.Itoa(len(o.Stream)) + " >>\nstream\n")
			b.Write(o.Stream)
			b.WriteString("\nendstream")
		} else {
			b.WriteString(" >>")
		}
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + strconv.Itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, o := range offs {
		b.WriteString(strconv.FormatInt(1e10+int64(o), 10)[1:] + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + strconv.Itoa(len(objs)+1) + " /Root 1 0 R " + extra + " >>\nstartxref\n" +
		strconv.Itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}
