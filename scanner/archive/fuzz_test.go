package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzWalk feeds mangled archives of every format to Walk: it must not
// panic or hang, every member must be named under the archive (the archive's own bytes
// after it), and the
// decompressed bytes must stay under the cap.
func FuzzWalk(f *testing.F) {
	body := []byte("aws_secret_access_key = x\n")
	tr := archivetest.Tar(f, archivetest.F("a/b.txt", body))
	f.Add(archivetest.Zip(f, archivetest.F("a.txt", body), archivetest.F("in.zip", archivetest.Zip(f, archivetest.F("c.txt", body)))))
	f.Add(tr)
	// Members only a local header names (qa10 HIGH-1): left out of the
	// directory, a zip before a zip, stored with a data descriptor.
	f.Add(archivetest.ZipUnlist(f, archivetest.Zip(f, archivetest.F("h.txt", body), archivetest.F("r.txt", body)), "h.txt"))
	f.Add(append(archivetest.Zip(f, archivetest.F("k", body)), archivetest.Zip(f, archivetest.F("c", body))...))
	f.Add(archivetest.ZipUnlist(f, archivetest.ZipStored(f, archivetest.F("s.txt", body), archivetest.F("in.jar", archivetest.ZipStored(f, archivetest.F("x", body)))), "s.txt", "in.jar"))
	f.Add(append(append([]byte(nil), tr...), tr...)) // a tar after a tar's end
	f.Add(append([]byte{0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 1, 2}, archivetest.Zstd(f, body)...))
	v7 := append([]byte(nil), tr[:512]...) // the header without its magic: a V7 one
	copy(v7[257:265], make([]byte, 8))
	copy(v7[148:156], fmt.Sprintf("%06o\x00 ", tarSum(v7)))
	f.Add(append(v7, tr[512:]...))
	f.Add(archivetest.Gzip(f, "a.tar", tr))
	// Archives behind a stub (qa10 HIGH-4): a launch script before a zip,
	// a stub before a zip whose offsets count it (zip -A), a script
	// before a tgz, an executable's start before a 7z.
	z := archivetest.Zip(f, archivetest.F("a.txt", body))
	f.Add(append([]byte("#!/bin/sh\nexec java -jar \"$0\"\n"), z...))
	f.Add(append([]byte("#!/bin/sh\nexit 0\n"), archivetest.Gzip(f, "", tr)...))
	f.Add(append([]byte("#!/bin/sh\nexit 0\n"), archivetest.Bzip2(f, tr)...))
	f.Add(append(append([]byte("MZ\x90\x00"), make([]byte, 60)...), z...))
	// Zip members in the methods read since newuser LOW-30: LZMA with the
	// zip's properties header and an end marker, xz, zstd, bzip2.
	lz := archivetest.Lzma(f, body) // an "alone" stream: properties, dictionary size, size, data
	lzRaw := append([]byte{9, 20, 5, 0}, lz[:5]...)
	f.Add(zipRawMethod(f, methodLzma, 0x2, body, append(lzRaw, lz[13:]...)))
	f.Add(zipRawMethod(f, methodXz, 0, body, archivetest.Xz(f, body)))
	f.Add(zipRawMethod(f, methodZstd, 0, body, archivetest.Zstd(f, body)))
	f.Add(zipRawMethod(f, methodBzip2, 0, body, archivetest.Bzip2(f, body)))
	if _, err := exec.LookPath("7z"); err == nil {
		f.Add(append(append([]byte("MZ\x90\x00"), make([]byte, 60)...), sevenZipSeeds(f)[0]...))
	}
	// The formats opened since archives22: a PyInstaller executable, a
	// gzip inside a program, a PNG's zTXt, a Redis dump, a VBA project.
	for _, c := range [][]string{{"testdata/mkpyinst.py", "6"}, {"testdata/mkvba.py", "marker"}} {
		out := filepath.Join(f.TempDir(), "seed")
		if exec.Command("python3", c[0], out, c[1]).Run() == nil {
			if b, err := os.ReadFile(out); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add(append([]byte("\x7fELF\x00\x00"), archivetest.Gzip(f, "", body)...))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x17zTXtComment\x00\x00" + string(archivetest.Zlib(f, 9, []byte("abc"))) + "\x00\x00\x00\x00"))
	f.Add([]byte("REDIS0011\xfe\x00\x00\x01a\xc3\x05\x06\x04hello\x20\x00\xff"))
	f.Add(archivetest.Xz(f, tr))
	f.Add(archivetest.Zstd(f, body))
	f.Add(archivetest.Bzip2(f, tr))
	f.Add(archivetest.Lzma(f, tr))
	f.Add(archivetest.Zlib(f, 1, body))
	f.Add(archivetest.Brotli(f, 5, body))
	f.Add(lzwEncode(tr, 16, true, true)) // a tar.Z
	f.Add(archivetest.PDF([]archivetest.PDFObject{{Dict: "/Type /Catalog"},
		{Dict: "/Filter [/AHx /FlateDecode]", Stream: []byte("789c0b0e71f20400>")},
		{Dict: "/Filter /Fl", Stream: archivetest.Zlib(f, 6, []byte("BT [(a)-300(b\\051)]TJ 0 -1 Td <6162> Tj 1 0 0 1 0 5 Tm (c) ' ET"))},
		{Dict: "", Stream: []byte("BT (d) Tj ET")}}, ""))
	// A page whose /Contents is an array (read as one drawing), one of its
	// streams shared with a second page.
	f.Add(archivetest.PDF([]archivetest.PDFObject{{Dict: "/Type /Catalog /Pages 2 0 R"}, {Dict: "/Type /Pages /Kids [3 0 R 6 0 R]"},
		{Dict: "/Type /Page /Contents [4 0 R 5 0 R 4 0 R 9 0 R]"},
		{Dict: "", Stream: []byte("BT (ab")},
		{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(f, 6, []byte("c) Tj ET"))},
		{Dict: "/Type /Page /Contents[5 0 R 7 0 R]"},
		{Dict: "", Stream: []byte("BT (d) Tj ET")}}, ""))
	// Predictors, UTF-16 strings, a /Length by reference, a filter by
	// reference, an unfiltered attached zip, unclosed font dictionaries.
	f.Add(archivetest.PDF([]archivetest.PDFObject{{Dict: "/Type /Catalog /Subject <FEFF00610062> /T (\\376\\377\\000c)"},
		{Dict: "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 3 >>", Stream: archivetest.Zlib(f, 6, []byte("\x02abc\x02\x01\x01\x01"))},
		{Dict: "/Filter /FlateDecode /DecodeParms << /Predictor 2 /Colors 2 /Columns 2 >>", Stream: archivetest.Zlib(f, 6, []byte("abcdefgh"))},
		{Dict: "/Type /EmbeddedFile", Stream: archivetest.Zip(f, archivetest.F("e.txt", body))},
		{Dict: "/Filter 1 0 R /Length1 5 /X /myobj", Stream: []byte("x")}}, "/Font << /F1 2 0 R /Font 3 0 R /ToUnicode 4 0 R"))
	arHeader := func(name string, size int) string {
		return fmt.Sprintf("%-16s%-12s%-6s%-6s%-8s%-10d`\n", name, "0", "0", "0", "100644", size)
	}
	f.Add([]byte("!<arch>\n" + arHeader("//", 30) + "a_long_name_over_sixteen.txt/\n" + arHeader("/0", len(body)) + string(body)))
	lim := Limits{MaxDepth: 3, MaxBytes: 1 << 20, MaxRatio: 100, MaxMembers: 100, MaxMemberSize: 1 << 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Under a name ending in .br too: Brotli is known by its name.
		for _, name := range []string{"f", "f.br"} {
			_, st := Walk(context.Background(), name, data, lim, func(m Member) {
				// A part after the first, or a stream inside a binary,
				// is named after where it starts: f@123!x.
				if !strings.HasPrefix(m.Name, name+"!") && !strings.HasPrefix(m.Name, name+"@") && !(m.Raw && m.Name == name) {
					t.Errorf("member %q not named under the archive", m.Name)
				}
				if int64(len(m.Data)) > lim.MaxMemberSize {
					t.Errorf("member %q of %d bytes, over the member cap", m.Name, len(m.Data))
				}
			})
			if st.Bytes > lim.MaxBytes {
				t.Errorf("read %d decompressed bytes, over the cap %d", st.Bytes, lim.MaxBytes)
			}
		}
	})
}

// tarSum is a tar header's checksum, its own field counted as spaces.
func tarSum(h []byte) int {
	sum := 0
	for i, c := range h[:512] {
		if 148 <= i && i < 156 {
			c = ' '
		}
		sum += int(c)
	}
	return sum
}

// zipRawMethod is a zip of one member whose data raw is already compressed
// with method m, its flags set.
func zipRawMethod(t testing.TB, m, flags uint16, body, raw []byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "m.txt", Method: m, Flags: flags, CRC32: crc32.ChecksumIEEE(body),
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
