package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// localAt returns the offset of the local file header of the member called
// name in z.
func localAt(t *testing.T, z []byte, name string) int {
	t.Helper()
	for p := 0; ; p += 4 {
		i := bytes.Index(z[p:], localSig)
		if i < 0 {
			t.Fatalf("no local header for %q", name)
		}
		p += i
		n := int(binary.LittleEndian.Uint16(z[p+26:]))
		if string(z[p+30:p+30+n]) == name {
			return p
		}
	}
}

// TestZipUnlisted is qa10 HIGH-1: a member that only its local header names
// (the central directory leaves it out), and a zip concatenated before
// another (cat key.zip clean.zip), were never read, while jar x and funzip
// extract them. Every member a streaming reader meets is read now, named
// by its local header, with a note that the directory does not list it;
// the listed members are named as before, and the members of a stored
// nested jar are read once, in the nested jar.
func TestZipUnlisted(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	hello := bytes.Repeat([]byte("hello\n"), 100)
	key := archivetest.Zip(t, archivetest.F("credentials", creds))
	clean := archivetest.Zip(t, archivetest.F("a.txt", hello))
	inner := archivetest.Zip(t, archivetest.F("conf/app.properties", creds))
	full := archivetest.Zip(t, archivetest.F("a.txt", hello), archivetest.F("b.txt", []byte("b")), archivetest.F("credentials", creds))
	tests := []struct {
		name  string
		data  []byte
		want  map[string]string
		notes []string // each warning, by its start (notes only: nothing unscanned)
	}{
		{"hidden_local.zip", archivetest.ZipUnlist(t, archivetest.Zip(t, archivetest.F("hidden/credentials", creds), archivetest.F("readme.txt", hello)), "hidden/credentials"),
			map[string]string{"hidden_local.zip!hidden/credentials": string(creds), "hidden_local.zip!readme.txt": string(hello)},
			[]string{"hidden_local.zip!hidden/credentials: member not in the zip's central directory, only in a local file header at byte 0 (streaming readers such as jar and funzip extract it)"}},
		{"concat2.zip", append(bytes.Clone(key), clean...),
			map[string]string{"concat2.zip!credentials": string(creds), "concat2.zip!a.txt": string(hello)},
			[]string{"concat2.zip!credentials: member not in the zip's central directory"}},
		{"after.zip", append(bytes.Clone(clean), key...),
			map[string]string{"after.zip!credentials": string(creds), "after.zip!a.txt": string(hello)},
			[]string{"after.zip!a.txt: member not in the zip's central directory"}},
		{"stored.zip", archivetest.ZipUnlist(t, archivetest.ZipStored(t, archivetest.F("k.ini", creds), archivetest.F("b.txt", hello)), "k.ini"),
			map[string]string{"stored.zip!k.ini": string(creds), "stored.zip!b.txt": string(hello)},
			[]string{"stored.zip!k.ini: member not in the zip's central directory"}},
		{"fat.jar", archivetest.ZipStored(t, archivetest.F("BOOT-INF/lib/inner.jar", inner),
			archivetest.F("BOOT-INF/lib/stored.jar", archivetest.ZipStored(t, archivetest.F("x/y.txt", []byte("y")))), archivetest.F("z.txt", []byte("z"))),
			map[string]string{"fat.jar!BOOT-INF/lib/inner.jar!conf/app.properties": string(creds), "fat.jar!BOOT-INF/lib/stored.jar!x/y.txt": "y", "fat.jar!z.txt": "z"}, nil},
		{"hiddenjar.zip", archivetest.ZipUnlist(t, archivetest.ZipStored(t, archivetest.F("lib/inner.jar", inner), archivetest.F("z.txt", []byte("z"))), "lib/inner.jar"),
			map[string]string{"hiddenjar.zip!lib/inner.jar!conf/app.properties": string(creds), "hiddenjar.zip!z.txt": "z"},
			[]string{"hiddenjar.zip!lib/inner.jar: member not in the zip's central directory"}},
		{"all.zip", archivetest.ZipUnlist(t, full, "a.txt", "b.txt", "credentials"),
			map[string]string{"all.zip!credentials": string(creds), "all.zip!a.txt": string(hello), "all.zip!b.txt": "b"},
			[]string{"all.zip!a.txt: member not", "all.zip!b.txt: member not", "all.zip!credentials: member not"}},
		// A download cut before the central directory: what is whole is
		// read, and the head of the member it cut (qa34 3).
		{"cut.zip", full[:localAt(t, full, "credentials")+60],
			map[string]string{"cut.zip!a.txt": string(hello), "cut.zip!b.txt": "b", "cut.zip!credentials": string(creds[:len("[default]\naws_acce")])},
			[]string{"cut.zip: corrupt zip archive", "cut.zip!a.txt: member not", "cut.zip!b.txt: member not", "cut.zip!credentials: member not", "cut.zip!credentials: unreadable member"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, st := walk(t, tt.name, tt.data, DefaultLimits())
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("members (-want +got):\n%s", d)
			}
			if len(warns) != len(tt.notes) {
				t.Errorf("warnings %q, want %d", warns, len(tt.notes))
			}
			for i := range min(len(warns), len(tt.notes)) {
				if !strings.HasPrefix(warns[i], tt.notes[i]) {
					t.Errorf("warning %d: %q, want %q...", i, warns[i], tt.notes[i])
				}
			}
			if tt.name != "cut.zip" && st.Unscanned != 0 {
				t.Errorf("%d parts counted unscanned: %q", st.Unscanned, warns)
			}
		})
	}
}

// TestZipUnlistedStreamingReaders checks the cases above against the real
// streaming readers the report named: funzip extracts the first member of
// concat2.zip, jar x both hidden members; keyscan reads the same.
func TestZipUnlistedStreamingReaders(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	concat := append(archivetest.Zip(t, archivetest.F("credentials", creds)), archivetest.Zip(t, archivetest.F("a.txt", []byte("a")))...)
	hidden := archivetest.ZipUnlist(t, archivetest.Zip(t, archivetest.F("hidden/credentials", creds), archivetest.F("readme.txt", []byte("r"))), "hidden/credentials")
	dir := t.TempDir()
	for name, data := range map[string][]byte{"concat2.zip": concat, "hidden_local.zip": hidden} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := walk(t, name, data, DefaultLimits()); !strings.Contains(got[name+"!credentials"]+got[name+"!hidden/credentials"], "aws_access_key_id") {
			t.Errorf("%s: the hidden member was not read: %v", name, keys(got))
		}
	}
	if _, err := exec.LookPath("funzip"); err == nil {
		out, err := exec.Command("funzip", filepath.Join(dir, "concat2.zip")).Output()
		if err != nil || !bytes.Equal(out, creds) {
			t.Errorf("funzip concat2.zip: %q, %v; want the credentials (the case under test)", out, err)
		}
	}
	if _, err := exec.LookPath("jar"); err == nil {
		x := filepath.Join(dir, "x")
		os.Mkdir(x, 0o755)
		cmd := exec.Command("jar", "x")
		cmd.Dir = x
		cmd.Stdin = bytes.NewReader(hidden)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("jar x: %v\n%s", err, out)
		}
		if b, err := os.ReadFile(filepath.Join(x, "hidden", "credentials")); err != nil || !bytes.Equal(b, creds) {
			t.Errorf("jar x < hidden_local.zip did not extract hidden/credentials: %v", err)
		}
	}
}

// TestZipUnlistedFailsClosed: a member only a local header names that
// cannot be read is a warning counted as a part not scanned, as a listed
// one is: corrupt deflate (or bzip2) data, a method keyscan does not decode, the
// encryption flag, a stored member whose data descriptor is gone; and the
// limits hold for such members as for listed ones.
func TestZipUnlistedFailsClosed(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n" + strings.Repeat("padding line\n", 20))
	base := archivetest.Zip(t, archivetest.F("hidden.ini", creds), archivetest.F("readme.txt", []byte("r")))
	hidden := archivetest.ZipUnlist(t, base, "hidden.ini")
	patch := func(f func(z []byte, at int)) []byte {
		z := bytes.Clone(hidden)
		f(z, localAt(t, z, "hidden.ini"))
		return z
	}
	stored := archivetest.ZipUnlist(t, archivetest.ZipStored(t, archivetest.F("hidden.ini", creds), archivetest.F("readme.txt", []byte("r"))), "hidden.ini")
	for _, tt := range []struct {
		name string
		data []byte
		warn string
	}{
		{"corrupt", patch(func(z []byte, at int) {
			for i := at + 30 + len("hidden.ini"); i < at+30+len("hidden.ini")+8; i++ {
				z[i] = 0xff
			}
		}), "x.zip!hidden.ini: unreadable member"},
		{"ppmd", patch(func(z []byte, at int) { binary.LittleEndian.PutUint16(z[at+8:], 98) }),
			"x.zip!hidden.ini: member only in a local file header at byte 0 (not in the zip's central directory), compressed with method 98, which keyscan does not decode: not scanned"},
		// bzip2 is read (newuser LOW-30): deflate data called bzip2 is corrupt.
		{"bzip2", patch(func(z []byte, at int) { binary.LittleEndian.PutUint16(z[at+8:], 12) }), "x.zip!hidden.ini: unreadable member"},
		{"encrypted", patch(func(z []byte, at int) { z[at+6] |= 1 }), "x.zip!hidden.ini: encrypted member, only in a local file header at byte 0"},
		{"no descriptor", bytes.Replace(stored, []byte("PK\x07\x08"), []byte("XX\x07\x08"), 1),
			"x.zip!hidden.ini: member only in a local file header at byte 0 (not in the zip's central directory): stored member whose size only a data descriptor gives"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, st := walk(t, "x.zip", tt.data, DefaultLimits())
			wantWarn(t, warns, tt.warn)
			if st.Unscanned != 1 || got["x.zip!readme.txt"] != "r" {
				t.Errorf("%d parts counted unscanned, want 1; members %v; warnings %q", st.Unscanned, keys(got), warns)
			}
		})
	}

	t.Run("members", func(t *testing.T) {
		many := make([]archivetest.File, 20)
		names := make([]string, 20)
		for i := range many {
			names[i] = strings.Repeat("d/", i) + "f"
			many[i] = archivetest.F(names[i], []byte("x"))
		}
		lim := DefaultLimits()
		lim.MaxMembers = 5
		_, warns, st := walk(t, "m.zip", archivetest.ZipUnlist(t, archivetest.Zip(t, many...), names...), lim)
		wantWarn(t, warns, "m.zip: more than 5 members ([archives] max_members)")
		if st.Members != 5 || st.Unscanned != 1 {
			t.Errorf("stats %+v, want 5 members and 1 unscanned", st)
		}
	})
	t.Run("bomb", func(t *testing.T) {
		bomb := archivetest.ZipUnlist(t, archivetest.ZipBomb(t, 200<<20), "zeros.txt")
		lim := DefaultLimits()
		lim.MaxMemberSize = 1 << 30
		got, warns, st := walk(t, "bomb.zip", bomb, lim)
		wantWarn(t, warns, "bomb.zip: expands more than 100 times")
		if len(got) != 0 || st.Bytes > lim.ratioFloor()+100*int64(len(bomb)) {
			t.Errorf("the hidden bomb: members %v, %d bytes read", keys(got), st.Bytes)
		}
	})
}

// TestZipUnlistedBehindAStoredMember: the directory claims that a stored
// member runs on over a hidden member's local header and deflate data (its
// CRC recomputed to match), while the stored member's local header gives
// its true size, which a streaming reader follows and then meets the hidden
// member. keyscan reads the member both ways, then the hidden member.
func TestZipUnlistedBehindAStoredMember(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	cover := []byte("cover text\n")
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "cover.txt", Method: zip.Store, CRC32: crc32.ChecksumIEEE(cover),
		CompressedSize64: uint64(len(cover)), UncompressedSize64: uint64(len(cover))})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(cover)
	w, _ = zw.Create("credentials")
	w.Write(creds)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	z := archivetest.ZipUnlist(t, b.Bytes(), "credentials")
	e := bytes.LastIndex(z, []byte("PK\x05\x06"))
	dirAt := int(binary.LittleEndian.Uint32(z[e+16:]))
	coverData := localAt(t, z, "cover.txt") + 30 + len("cover.txt")
	l := dirAt - coverData
	binary.LittleEndian.PutUint32(z[dirAt+16:], crc32.ChecksumIEEE(z[coverData:dirAt]))
	binary.LittleEndian.PutUint32(z[dirAt+20:], uint32(l))
	binary.LittleEndian.PutUint32(z[dirAt+24:], uint32(l))

	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil || len(zr.File) != 1 {
		t.Fatalf("archive/zip does not read the crafted zip as the case needs: %v", err)
	}
	got, warns, st := walk(t, "shadow.zip", z, DefaultLimits())
	// cover.txt is read as the directory gives it and again as its local
	// header does (the walk keeps the last reading).
	if got["shadow.zip!credentials"] != string(creds) || got["shadow.zip!cover.txt"] != string(cover) || st.Unscanned != 0 {
		t.Errorf("members %v, warnings %q", keys(got), warns)
	}
	wantWarn(t, warns, "shadow.zip!credentials: member not in the zip's central directory")
	wantWarn(t, warns, "shadow.zip!cover.txt: member in the local file header at byte 0, which disagrees")
}

// TestZipUnlistedManyHeaders: four MiB of local headers that leave their
// size to a data descriptor none of them has, and as many whose deflate
// data is corrupt, each walked once: a warning, the part counted, and the
// walk over (a search from every header would read the input once per
// header).
func TestZipUnlistedManyHeaders(t *testing.T) {
	hdr := func(method uint16, flags uint16, tail string) []byte {
		h := make([]byte, 30, 30+1+len(tail))
		copy(h, localSig)
		binary.LittleEndian.PutUint16(h[6:], flags)
		binary.LittleEndian.PutUint16(h[8:], method)
		binary.LittleEndian.PutUint16(h[26:], 1)
		return append(append(h, 'a'), tail...)
	}
	stored := bytes.Repeat(hdr(zip.Store, 0x8, ""), (4<<20)/31)
	_, warns, st := walk(t, "x.zip", stored, DefaultLimits())
	wantWarn(t, warns, "x.zip!a: member only in a local file header at byte 0 (not in the zip's central directory): stored member whose size only a data descriptor gives")
	if st.Unscanned != 2 || len(warns) != 2 { // the directory, and the first header
		t.Errorf("%d unscanned, warnings %q", st.Unscanned, warns[:min(len(warns), 4)])
	}
	deflated := bytes.Repeat(hdr(zip.Deflate, 0, "\xff\xff"), (4<<20)/33)
	_, warns, st = walk(t, "x.zip", deflated, DefaultLimits())
	wantWarn(t, warns, "x.zip!a: unreadable member")
	if st.Unscanned < 2 {
		t.Errorf("%d unscanned", st.Unscanned)
	}
}

// TestZipDirectoryUnderstates is qa11 HIGH-5: the directory lists a member
// as stored and empty while its local header holds it deflated; unzip,
// funzip and jar read the local header. keyscan reads it from there too,
// with a note.
func TestZipDirectoryUnderstates(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	z := archivetest.Zip(t, archivetest.F("config/credentials", creds), archivetest.F("readme.txt", []byte("hello\n")))
	e := bytes.LastIndex(z, []byte("PK\x05\x06"))
	dirAt := int(binary.LittleEndian.Uint32(z[e+16:]))
	binary.LittleEndian.PutUint16(z[dirAt+10:], 0) // stored
	for _, off := range []int{16, 20, 24} {        // CRC and sizes 0
		binary.LittleEndian.PutUint32(z[dirAt+off:], 0)
	}
	got, warns, _ := walk(t, "cdlies.zip", z, DefaultLimits())
	if got["cdlies.zip!config/credentials"] != string(creds) {
		t.Errorf("members %q, warnings %q: want the credentials read from the local header", got, warns)
	}
	wantWarn(t, warns, "cdlies.zip!config/credentials: member in the local file header at byte 0, which disagrees")
}

// TestZipFolderWithData: a member named as a folder ("secret/") that
// holds data, which unzip -p and Python's zipfile print, is read (qa11,
// qa10's variant of HIGH-1).
func TestZipFolderWithData(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	// archive/zip writes no data to a folder: the name is changed after.
	z := bytes.ReplaceAll(archivetest.Zip(t, archivetest.F("secret_", creds), archivetest.F("empty/", nil)), []byte("secret_"), []byte("secret/"))
	got, warns, _ := walk(t, "folder.zip", z, DefaultLimits())
	if got["folder.zip!secret/"] != string(creds) {
		t.Errorf("members %q, warnings %q: want secret/ read", got, warns)
	}
	if _, ok := got["folder.zip!empty/"]; ok {
		t.Errorf("an empty folder entry read as a member: %q", got)
	}
}
