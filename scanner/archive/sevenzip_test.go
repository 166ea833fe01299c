package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// x86Code returns bytes that look like x86 machine code to the BCJ filter:
// CALLs and JMPs (E8, E9) with near operands among other bytes, so that a
// wrong BCJ decoder changes them.
func x86Code(n int) []byte {
	r := rand.New(rand.NewPCG(7, 7))
	b := make([]byte, 0, n)
	for len(b) < n {
		switch r.IntN(4) {
		case 0:
			b = append(b, 0xe8, byte(r.IntN(256)), byte(r.IntN(256)), 0, 0)
		case 1:
			b = append(b, 0xe9, byte(r.IntN(256)), byte(r.IntN(256)), 0xff, 0xff)
		default:
			b = append(b, byte(r.IntN(256)), 0x89, 0xe5)
		}
	}
	return b[:n]
}

// TestSevenZip opens archives made by the real 7z program, with the
// settings users meet: the default (LZMA2, solid, compressed header), an
// uncompressed header, LZMA, the other coders 7z offers without a plugin,
// BCJ before LZMA for executables, several files in one solid block with an
// empty file and a folder, and a zip inside (qa8 MEDIUM-1).
func TestSevenZip(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	code := x86Code(200 << 10)
	inner := archivetest.Zip(t, archivetest.F("conf/app.properties", creds))
	files := []archivetest.File{
		archivetest.F("credentials", creds),
		archivetest.F("sub/deep/app.ini", []byte("key = value\n")),
		archivetest.F("empty.txt", nil),
		archivetest.F("lib/inner.jar", inner),
	}
	all := map[string]string{
		"a.7z!credentials":                       string(creds),
		"a.7z!sub/deep/app.ini":                  "key = value\n",
		"a.7z!empty.txt":                         "",
		"a.7z!lib/inner.jar!conf/app.properties": string(creds),
	}
	one := map[string]string{"a.7z!credentials": string(creds)}
	tests := []struct {
		name     string
		switches []string
		files    []archivetest.File
		want     map[string]string
	}{
		{"default", nil, files, all},
		{"header not compressed", []string{"-mhc=off"}, files, all},
		{"LZMA", []string{"-m0=LZMA"}, files, all},
		{"not solid", []string{"-ms=off"}, files, all},
		{"stored", []string{"-m0=Copy"}, files, all},
		{"deflate", []string{"-m0=Deflate"}, files[:1], one},
		{"bzip2", []string{"-m0=BZip2"}, files[:1], one},
		{"LZMA2 level 9", []string{"-mx=9"}, files[:1], one},
		{"BCJ and LZMA", []string{"-m0=BCJ", "-m1=LZMA"}, []archivetest.File{archivetest.F("app.exe", code)}, map[string]string{"a.7z!app.exe": string(code)}},
		{"BCJ and LZMA2", []string{"-m0=BCJ", "-m1=LZMA2"}, []archivetest.File{archivetest.F("app.so", code), archivetest.F("credentials", creds)},
			map[string]string{"a.7z!app.so": string(code), "a.7z!credentials": string(creds)}},
		{"only an empty file", nil, []archivetest.File{archivetest.F("empty.txt", nil)}, map[string]string{"a.7z!empty.txt": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := archivetest.SevenZip(t, tt.switches, tt.files...)
			if Detect(data) != SevenZip {
				t.Fatalf("Detect = %v", Detect(data))
			}
			got, warns, st := walk(t, "a.7z", data, DefaultLimits())
			if len(warns) > 0 || st.Unscanned != 0 {
				t.Errorf("warnings: %q", warns)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("members (-want +got):\n%s", d)
			}
		})
	}
}

// TestSevenZipNotRead: what a 7z archive holds and keyscan cannot read is
// a warning and a part not scanned, never silence: encrypted members, an
// encrypted header, a coder keyscan lacks, a truncated archive, a corrupt
// solid block.
func TestSevenZipNotRead(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	two := []archivetest.File{archivetest.F("credentials", creds), archivetest.F("notes.txt", []byte("notes\n"))}
	def := archivetest.SevenZip(t, nil, two...)
	// A packed stream's bytes changed: the LZMA2 decoder fails, and the
	// CRCs of the header still hold.
	corrupt := bytes.Clone(def)
	for i := 32; i < 40; i++ {
		corrupt[i] ^= 0x5a
	}
	// The header says its data is longer than the archive.
	tests := []struct {
		name     string
		data     []byte
		warn     string
		members  int
		unreadOK bool
	}{
		{"encrypted", archivetest.SevenZip(t, []string{"-psecret"}, two...), "a.7z!credentials: encrypted member (7zAES) (and the 1 other members of its solid block): not scanned", 0, false},
		{"encrypted header", archivetest.SevenZip(t, []string{"-psecret", "-mhe=on"}, two...), "a.7z: 7z archive with an encrypted header (7zAES): not scanned", 0, false},
		{"PPMd", archivetest.SevenZip(t, []string{"-m0=PPMd"}, two...), "a.7z!credentials: unreadable member (and the 1 other members of its solid block): coder PPMd: not supported", 0, false},
		{"BCJ2", archivetest.SevenZip(t, []string{"-m0=BCJ2", "-m1=LZMA", "-m2=LZMA", "-m3=LZMA", "-mb0:1", "-mb0s1:2", "-mb0s2:3"}, archivetest.F("app.exe", x86Code(4096))), "a.7z!app.exe: unreadable member: coder BCJ2 (4 inputs): not supported", 0, false},
		{"truncated", def[:len(def)/2], "a.7z: corrupt 7z archive: header at", 0, false},
		{"corrupt block", corrupt, "a.7z!credentials: unreadable member", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, st := walk(t, "a.7z", tt.data, DefaultLimits())
			wantWarn(t, warns, tt.warn)
			if st.Unscanned == 0 || len(got) != tt.members {
				t.Errorf("members %v, unscanned %d, warnings %q", keys(got), st.Unscanned, warns)
			}
		})
	}
}

// TestSevenZipLimits: a 7z archive is held to the same limits as a zip: the
// member size (a large member in a solid block is skipped, the next one
// read), the member count, the byte budget and the ratio, nested levels
// included.
func TestSevenZipLimits(t *testing.T) {
	big := bytes.Repeat([]byte("padding line\n"), 40000) // 520 KB, compresses far
	files := []archivetest.File{archivetest.F("a/big.log", big), archivetest.F("b/credentials", []byte("key\n"))}
	solid := archivetest.SevenZip(t, []string{"-ms=on"}, files...)

	lim := DefaultLimits()
	lim.MaxMemberSize = 1000
	got, warns, st := walk(t, "s.7z", solid, lim)
	wantWarn(t, warns, "s.7z!a/big.log: member larger than 1000 bytes")
	if got["s.7z!b/credentials"] != "key\n" || st.Unscanned != 1 {
		t.Errorf("member size: members %v, warnings %q", keys(got), warns)
	}

	lim = DefaultLimits()
	lim.MaxMembers = 1
	_, warns, _ = walk(t, "s.7z", solid, lim)
	wantWarn(t, warns, "s.7z: more than 1 members")

	lim = DefaultLimits()
	lim.MaxBytes = 100000
	lim.MaxRatio = 0 // its floor would be 25000 bytes
	_, warns, st = walk(t, "s.7z", solid, lim)
	wantWarn(t, warns, "s.7z: more than 100000 decompressed bytes")
	if st.Bytes > lim.MaxBytes {
		t.Errorf("read %d bytes, over the cap %d", st.Bytes, lim.MaxBytes)
	}

	// A bomb: 16 MiB of zeros packs to a few KiB; with a budget of 2 MiB
	// the ratio's floor is 512 KiB.
	bomb := archivetest.SevenZip(t, nil, archivetest.F("zeros", make([]byte, 16<<20)))
	lim = DefaultLimits()
	lim.MaxBytes = 2 << 20
	lim.MaxMemberSize = 1 << 30
	_, warns, st = walk(t, "bomb.7z", bomb, lim)
	wantWarn(t, warns, "bomb.7z: expands more than 100 times")
	if st.Bytes > lim.ratioFloor()+100*int64(len(bomb)) {
		t.Errorf("bomb: read %d bytes from %d", st.Bytes, len(bomb))
	}

	// Inside a zip, as a member of a tar.gz: the same walk.
	outer := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("dist/s.7z", solid)))
	got, _, _ = walk(t, "o.tgz", outer, DefaultLimits())
	if got["o.tgz!dist/s.7z!b/credentials"] != "key\n" {
		t.Errorf("nested: members %v", keys(got))
	}
}

// szNumber writes v (under 2^24) as a 7z number.
func szNumber(v int) []byte { return []byte{0xe0, byte(v), byte(v >> 8), byte(v >> 16)} }

// hostileSevenZip builds an archive by hand: one packed stream, the header
// not compressed.
func hostileSevenZip(payload, hdr []byte) []byte {
	b := make([]byte, 32, 32+len(payload)+len(hdr))
	copy(b, sevenZipSignature)
	b[7] = 4
	b = append(b, payload...)
	b = append(b, hdr...)
	binary.LittleEndian.PutUint64(b[12:], uint64(len(payload)))
	binary.LittleEndian.PutUint64(b[20:], uint64(len(hdr)))
	binary.LittleEndian.PutUint32(b[28:], crc32.ChecksumIEEE(hdr))
	binary.LittleEndian.PutUint32(b[8:], crc32.ChecksumIEEE(b[12:32]))
	return b
}

// TestSevenZipHostileHeader: counts and sizes in a header are not trusted:
// a header that claims a billion files or folders, or a packed stream far
// past the end, is an error, without an allocation of that size.
func TestSevenZipHostileHeader(t *testing.T) {
	build := func(hdr []byte) []byte { return hostileSevenZip([]byte("hello\n"), hdr) }
	big := []byte{0xff, 0, 0, 0, 0x40, 0, 0, 0, 0} // 7z number 2^30 in 9 bytes
	name := []byte{'h', 0, 0, 0}
	ok := func(packSize, unpack byte, nFiles []byte) []byte {
		h := []byte{idHeader, idMainStreamsInfo,
			idPackInfo, 0, 1, idSize, packSize, idEnd,
			idUnpackInfo, idFolder, 1, 0, 1, 0x01, 0x00, idCodersUnpackSize, unpack, idEnd,
			idEnd, idFilesInfo}
		h = append(h, nFiles...)
		h = append(h, idName, byte(len(name)+1), 0)
		h = append(h, name...)
		return append(h, idEnd, idEnd)
	}
	got, warns, _ := walk(t, "h.7z", build(ok(6, 6, []byte{1})), DefaultLimits())
	if got["h.7z!h"] != "hello\n" || len(warns) > 0 {
		t.Fatalf("the hand-built archive does not read: %v %q", got, warns)
	}
	for _, tt := range []struct {
		name string
		data []byte
		warn string
	}{
		{"a billion files", build(ok(6, 6, big)), "h.7z: corrupt 7z archive: 1073741824 files in a header"},
		{"packed past the end", build(ok(0x7f, 6, []byte{1})), "h.7z!h: unreadable member: packed stream past the end"},
		{"member longer than its data", build(ok(6, 0x7f, []byte{1})), "h.7z!h: member ends 121 bytes early"},
		{"a billion folders", build(append([]byte{idHeader, idMainStreamsInfo, idUnpackInfo, idFolder}, big...)), "h.7z: corrupt 7z archive: 1073741824 folders in a header"},
		{"more folders than members", build(append(append([]byte{idHeader, idMainStreamsInfo, idUnpackInfo, idFolder}, szNumber(20000)...), make([]byte, 50000)...)),
			"h.7z: 7z archive of 20000 folders (solid blocks), more than [archives] max_members (10000): not opened"},
		{"a folder of 100 coders", build(append([]byte{idHeader, idMainStreamsInfo, idUnpackInfo, idFolder, 1, 0, 100}, make([]byte, 300)...)),
			"h.7z: corrupt 7z archive: folder of 100 coders"},
		{"bad CRC", func() []byte { b := build(ok(6, 6, []byte{1})); b[len(b)-3] ^= 1; return b }(), "h.7z: corrupt 7z archive: header CRC mismatch"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, warns, st := walk(t, "h.7z", tt.data, DefaultLimits())
			wantWarn(t, warns, tt.warn)
			if st.Unscanned == 0 {
				t.Errorf("not counted: %q", warns)
			}
		})
	}
}

// TestSevenZipManyEntries is qa14 HIGH-8: a header declaring millions of
// entries, each taking one byte of the header (a run of zeros, as an LZMA
// header compresses to a few KB), cost 24 bytes of memory an entry and
// more for its bit vectors. The entries past max_members are read over,
// not kept: the member before them is read, the rest is a warning.
func TestSevenZipManyEntries(t *testing.T) {
	const n = 2 << 20
	name := []byte{'h', 0, 0, 0}
	h := []byte{idHeader, idMainStreamsInfo,
		idPackInfo, 0, 1, idSize, 6, idEnd,
		idUnpackInfo, idFolder, 1, 0, 1, 0x01, 0x00, idCodersUnpackSize, 6, idEnd,
		idEnd, idFilesInfo}
	h = append(h, szNumber(n)...)
	// The first entry has the content, the others are empty folders.
	empty := bytes.Repeat([]byte{0xff}, n/8)
	empty[0] = 0x7f
	h = append(h, idEmptyStream)
	h = append(h, szNumber(len(empty))...)
	h = append(h, empty...)
	names := []byte{0}
	for range 100 {
		names = append(names, name...)
	}
	h = append(h, idName)
	h = append(h, szNumber(len(names))...)
	h = append(h, names...)
	h = append(h, idDummy)
	h = append(h, szNumber(n)...)
	h = append(h, make([]byte, n)...)
	h = append(h, idEnd, idEnd)
	data := hostileSevenZip([]byte("hello\n"), h)
	lim := DefaultLimits()
	lim.MaxMembers = 100
	var got map[string]string
	var warns []string
	var st Stats
	mem := allocated(func() { got, warns, st = walk(t, "h.7z", data, lim) })
	wantWarn(t, warns, "h.7z: more than 100 members ([archives] max_members)")
	if got["h.7z!h"] != "hello\n" || st.Unscanned != 1 {
		t.Errorf("members %v, warnings %q", got, warns)
	}
	if mem > 1<<20 {
		t.Errorf("%d entries of a %d-byte header took %d bytes", n, len(h), mem)
	}
}

// TestBCJStream: the BCJ decoder gives the same bytes whatever sizes its
// input arrives in (an operand across two reads).
func TestBCJStream(t *testing.T) {
	code := x86Code(10000)
	whole, err := readAllSized(newBCJ(bytes.NewReader(code)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int{1, 3, 5, 7, 4096} {
		got, err := readAllSized(newBCJ(&chunked{b: code, n: chunk}), chunk)
		if err != nil || !bytes.Equal(got, whole) {
			t.Errorf("chunks of %d: %d bytes, differ from the whole read (%v)", chunk, len(got), err)
		}
	}
	if bytes.Equal(whole, code) {
		t.Errorf("the decoder changed nothing: the input is not x86-like")
	}
}

type chunked struct {
	b []byte
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[n:]
	return n, nil
}

func readAllSized(r interface{ Read([]byte) (int, error) }, size int) ([]byte, error) {
	var out []byte
	buf := make([]byte, size)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// sevenZipSeeds are real archives for FuzzSevenZip.
func sevenZipSeeds(f *testing.F) [][]byte {
	body := []byte(strings.Repeat("aws_secret_access_key = x\n", 3))
	files := []archivetest.File{archivetest.F("a/b.txt", body), archivetest.F("c.txt", body[:10]), archivetest.F("e", nil)}
	var seeds [][]byte
	for _, sw := range [][]string{nil, {"-mhc=off"}, {"-m0=LZMA"}, {"-m0=Copy", "-mhc=off"}, {"-m0=BCJ", "-m1=LZMA"}, {"-m0=Deflate"}, {"-psecret"}} {
		seeds = append(seeds, archivetest.SevenZip(f, sw, files...))
	}
	return seeds
}

// FuzzSevenZip feeds mangled 7z archives to Walk. The CRCs of a mangled
// archive are set right first, or nearly every input would stop at the
// checksum and the header parser would never be reached. Walk must not
// panic or hang, members must be named under the archive, and the
// decompressed bytes must stay under the cap.
func FuzzSevenZip(f *testing.F) {
	for _, s := range sevenZipSeeds(f) {
		f.Add(s)
	}
	lim := Limits{MaxDepth: 2, MaxBytes: 1 << 20, MaxRatio: 100, MaxMembers: 100, MaxMemberSize: 1 << 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) >= 32 && bytes.HasPrefix(data, sevenZipSignature) {
			data = bytes.Clone(data)
			off, size := binary.LittleEndian.Uint64(data[12:20]), binary.LittleEndian.Uint64(data[20:28])
			if rest := uint64(len(data) - 32); off <= rest && size <= rest-off {
				binary.LittleEndian.PutUint32(data[28:], crc32.ChecksumIEEE(data[32+off:32+off+size]))
			}
			binary.LittleEndian.PutUint32(data[8:], crc32.ChecksumIEEE(data[12:32]))
		}
		_, st := Walk(context.Background(), "f", data, lim, func(m Member) {
			if !strings.HasPrefix(m.Name, "f!") && !(m.Raw && m.Name == "f") {
				t.Errorf("member %q not named under the archive", m.Name)
			}
			if int64(len(m.Data)) > lim.MaxMemberSize {
				t.Errorf("member %q of %d bytes, over the member cap", m.Name, len(m.Data))
			}
		})
		if st.Bytes > lim.MaxBytes {
			t.Errorf("read %d decompressed bytes, over the cap %d", st.Bytes, lim.MaxBytes)
		}
	})
}
