package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// walk runs Walk and returns the members (name: content) and warnings; an
// archive's own bytes (Raw) and the names of members not read (Unread) are
// left out.
func walk(t testing.TB, name string, data []byte, lim Limits) (map[string]string, []string, Stats) {
	t.Helper()
	got := map[string]string{}
	ws, st := Walk(context.Background(), name, data, lim, func(m Member) {
		if !m.Raw && !m.Unread {
			got[m.Name] = string(m.Data)
		}
	})
	var warns []string
	for _, w := range ws {
		warns = append(warns, w.String())
	}
	return got, warns, st
}

func TestFormats(t *testing.T) {
	body := []byte("aws_access_key_id = X\n")
	plainTar := archivetest.Tar(t, archivetest.F("etc/app.ini", body), archivetest.F("b.txt", []byte("b")))
	tests := []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"a.zip", archivetest.Zip(t, archivetest.F("dir/app.ini", body)), map[string]string{"a.zip!dir/app.ini": string(body)}},
		{"a.tar", plainTar, map[string]string{"a.tar!etc/app.ini": string(body), "a.tar!b.txt": "b"}},
		{"a.tgz", archivetest.Gzip(t, "", plainTar), map[string]string{"a.tgz!etc/app.ini": string(body), "a.tgz!b.txt": "b"}},
		{"a.tar.gz", archivetest.Gzip(t, "a.tar", plainTar), map[string]string{"a.tar.gz!etc/app.ini": string(body), "a.tar.gz!b.txt": "b"}},
		{"a.tar.bz2", archivetest.Bzip2(t, plainTar), map[string]string{"a.tar.bz2!etc/app.ini": string(body), "a.tar.bz2!b.txt": "b"}},
		{"a.tar.xz", archivetest.Xz(t, plainTar), map[string]string{"a.tar.xz!etc/app.ini": string(body), "a.tar.xz!b.txt": "b"}},
		{"a.tar.zst", archivetest.Zstd(t, plainTar), map[string]string{"a.tar.zst!etc/app.ini": string(body), "a.tar.zst!b.txt": "b"}},
		{"app.env.gz", archivetest.Gzip(t, "", body), map[string]string{"app.env.gz!app.env": string(body)}},
		{"dump.gz", archivetest.Gzip(t, "backup.sql", body), map[string]string{"dump.gz!backup.sql": string(body)}},
		{"app.env.bz2", archivetest.Bzip2(t, body), map[string]string{"app.env.bz2!app.env": string(body)}},
		{"app.env.xz", archivetest.Xz(t, body), map[string]string{"app.env.xz!app.env": string(body)}},
		{"app.env.zst", archivetest.Zstd(t, body), map[string]string{"app.env.zst!app.env": string(body)}},
		{"renamed.bin", archivetest.Zip(t, archivetest.F("x", body)), map[string]string{"renamed.bin!x": string(body)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, _ := walk(t, tt.name, tt.data, DefaultLimits())
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warns)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("members (-want +got):\n%s", d)
			}
		})
	}
}

// TestCompressedMemberName is qa10 LOW-1: a compressed single file inside
// an archive is named after its own path in that archive, not after the
// whole chain of names (nx.zip!app.env.xz!nx.zip!app.env was the bug).
func TestCompressedMemberName(t *testing.T) {
	body := []byte("aws_access_key_id = X\n")
	xzFile := archivetest.F("app.env.xz", archivetest.Xz(t, body))
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"nx.zip", archivetest.Zip(t, xzFile), "nx.zip!app.env.xz!app.env"},
		{"nx.tar", archivetest.Tar(t, xzFile), "nx.tar!app.env.xz!app.env"},
		{"cbr.zip", archivetest.Zip(t, archivetest.F("c.br", archivetest.Brotli(t, 5, body))), "cbr.zip!c.br!c"},
		{"g.zip", archivetest.Zip(t, archivetest.F("c.gz", archivetest.Gzip(t, "", body))), "g.zip!c.gz!c"},
		{"dir/deep.zip", archivetest.Zip(t, archivetest.F("in.zip", archivetest.Zip(t, archivetest.F(`win\app.env.zst`, archivetest.Zstd(t, body))))),
			`dir/deep.zip!in.zip!win\app.env.zst!app.env`},
		{"t.zip", archivetest.Zip(t, archivetest.F("lib/site.tgz", archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("a.txt", body))))), "t.zip!lib/site.tgz!a.txt"},
		{"plain.zip", archivetest.Zip(t, archivetest.F("noext.xz", archivetest.Xz(t, body))), "plain.zip!noext.xz!noext"},
		{"bare.zip", archivetest.Zip(t, archivetest.F("blob", archivetest.Xz(t, body))), "bare.zip!blob!data"},
	} {
		got, warns, _ := walk(t, tt.name, tt.data, DefaultLimits())
		if d := cmp.Diff(map[string]string{tt.want: string(body)}, got); d != "" || len(warns) > 0 {
			t.Errorf("%s: members (-want +got):\n%s\nwarnings %q", tt.name, d, warns)
		}
	}
}

func TestNested(t *testing.T) {
	body := []byte("secret\n")
	inner := archivetest.Zip(t, archivetest.F("conf/app.properties", body))
	mid := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("lib/inner.jar", inner)))
	outer := archivetest.Zip(t, archivetest.F("deploy/mid.tgz", mid), archivetest.F("top.txt", []byte("top")))

	got, warns, st := walk(t, "outer.zip", outer, DefaultLimits())
	want := map[string]string{
		"outer.zip!top.txt": "top",
		"outer.zip!deploy/mid.tgz!lib/inner.jar!conf/app.properties": string(body),
	}
	if d := cmp.Diff(want, got); d != "" || len(warns) > 0 {
		t.Errorf("three deep: members (-want +got):\n%s\nwarnings %q", d, warns)
	}
	if st.Archives != 3 || st.Members != 2 {
		t.Errorf("stats %+v, want 3 archives and 2 members", st)
	}

	// Two deep allowed: the innermost jar is handed on unopened, with a warning.
	lim := DefaultLimits()
	lim.MaxDepth = 2
	got, warns, _ = walk(t, "outer.zip", outer, lim)
	if _, ok := got["outer.zip!deploy/mid.tgz!lib/inner.jar"]; !ok {
		t.Errorf("depth 2: the third-level jar was not handed on as a member: %v", keys(got))
	}
	wantWarn(t, warns, "outer.zip!deploy/mid.tgz!lib/inner.jar: archive nested more than 2 deep")

	lim.MaxDepth = 0
	got, warns, _ = walk(t, "outer.zip", outer, lim)
	if len(got) != 0 || len(warns) != 0 {
		t.Errorf("depth 0 opened the archive: %v %q", got, warns)
	}
}

func TestLimits(t *testing.T) {
	many := make([]archivetest.File, 20)
	for i := range many {
		many[i] = archivetest.File{Name: strings.Repeat("d/", i) + "f", Data: []byte("x")}
	}
	big := bytes.Repeat([]byte("A"), 3<<20) // compresses about 1000 to 1
	tests := []struct {
		name string
		data []byte
		lim  func(*Limits)
		warn string
	}{
		{"members", archivetest.Zip(t, many...), func(l *Limits) { l.MaxMembers = 5 }, "m.zip: more than 5 members ([archives] max_members)"},
		{"bytes", archivetest.Zip(t, archivetest.F("a", bytes.Repeat([]byte("x"), 4096))), func(l *Limits) { l.MaxBytes = 1000 }, "m.zip: more than 1000 decompressed bytes ([archives] max_bytes)"},
		// MaxBytes 4 MiB puts the ratio floor at 1 MiB.
		{"ratio", archivetest.Zip(t, archivetest.F("a", big)), func(l *Limits) { l.MaxBytes = 4 << 20 }, "m.zip: expands more than 100 times ([archives] max_ratio"},
		{"ratio gzip", archivetest.Gzip(t, "", big), func(l *Limits) { l.MaxBytes = 4 << 20 }, "m.zip: expands more than 100 times"},
		{"member size", archivetest.Zip(t, archivetest.F("a", bytes.Repeat([]byte("x"), 4096))), func(l *Limits) { l.MaxMemberSize = 100 }, "m.zip!a: member larger than 100 bytes (max_file_size)"},
		{"corrupt", []byte("PK\x03\x04\x14\x00\x00\x00 this is not a zip at all"), func(l *Limits) {}, "m.zip: corrupt zip archive"},
		{"corrupt gzip", append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, bytes.Repeat([]byte{0xff}, 40)...), func(l *Limits) {}, "m.zip!m: unreadable member"},
		{"dot-dot", archivetest.Zip(t, archivetest.F("../../etc/passwd", []byte("x"))), func(l *Limits) {}, "m.zip!../../etc/passwd: member name points outside the archive"},
		{"absolute", archivetest.Tar(t, archivetest.F("/etc/passwd", []byte("x"))), func(l *Limits) {}, "m.zip!/etc/passwd: member name points outside the archive"},
		{"encrypted", encryptedZip(t), func(l *Limits) {}, "m.zip!secret.txt: encrypted member: not scanned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := DefaultLimits()
			tt.lim(&lim)
			_, warns, st := walk(t, "m.zip", tt.data, lim)
			wantWarn(t, warns, tt.warn)
			if st.Unscanned != len(warns) && tt.name != "dot-dot" && tt.name != "absolute" {
				t.Errorf("Unscanned = %d, want %d (one per warning)", st.Unscanned, len(warns))
			}
		})
	}
}

// TestCompressibleBeforeKey is QA-6: well-compressing content ahead of a
// key (a 2 MiB member, a gzipped 1 MiB health-check log with the key at its
// end) is read whole; the ratio applies only past its floor.
func TestCompressibleBeforeKey(t *testing.T) {
	key := "aws_secret_access_key = marker-at-the-end\n"
	z := archivetest.Zip(t, archivetest.F("aaa.txt", bytes.Repeat([]byte("a"), 2<<20)), archivetest.F("zkey.ini", []byte(key)))
	got, warns, st := walk(t, "ratio.zip", z, DefaultLimits())
	if got["ratio.zip!zkey.ini"] != key || len(warns) > 0 || st.Unscanned != 0 {
		t.Errorf("zip: the key member after 2 MiB of 'a' was not read: members %v, warnings %q", keys(got), warns)
	}

	log := append(bytes.Repeat([]byte("2026-11-29 INFO GET /health 200 OK\n"), 30000), key...)
	gz := archivetest.Gzip(t, "app.log", log)
	if r := len(log) / len(gz); r < 100 {
		t.Fatalf("the log compresses only %d times: not the case under test", r)
	}
	got, warns, _ = walk(t, "app.log.gz", gz, DefaultLimits())
	if m := got["app.log.gz!app.log"]; !strings.HasSuffix(m, key) || len(warns) > 0 {
		t.Errorf("gzip: the log was not read to its end (%d of %d bytes), warnings %q", len(m), len(log), warns)
	}
}

// encryptedZip returns a zip whose one member has the encryption flag set
// (archive/zip writes no encrypted members; the flag is what readers see).
func encryptedZip(t *testing.T) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "secret.txt", Method: zip.Store, Flags: 0x1})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("garbled"))
	zw.Close()
	return b.Bytes()
}

// TestBombs builds a real zip bomb (one member of 200 MiB of zeros in a
// deflate stream of about 200 KiB) and a nested bomb (ten copies of a bomb
// in each of two levels above it): both stop at the caps with a warning.
func TestBombs(t *testing.T) {
	bomb := archivetest.ZipBomb(t, 200<<20)
	got, warns, st := walk(t, "bomb.zip", bomb, DefaultLimits())
	if len(got) != 0 || len(warns) == 0 || st.Unscanned == 0 {
		t.Errorf("the bomb's member was handed on: %v, warnings %q", keys(got), warns)
	}
	if st.Bytes > DefaultMaxMemberSize+1<<20 {
		t.Errorf("read %d bytes from a %d-byte bomb", st.Bytes, len(bomb))
	}

	// Members as large as the bomb allowed: the ratio stops it at its floor.
	lim := DefaultLimits()
	lim.MaxMemberSize = 1 << 30
	got, warns, st = walk(t, "bomb.zip", bomb, lim)
	if len(got) != 0 {
		t.Errorf("the bomb's member was handed on: %v", keys(got))
	}
	wantWarn(t, warns, "bomb.zip: expands more than 100 times")
	if st.Bytes > lim.ratioFloor()+100*int64(len(bomb)) {
		t.Errorf("read %d bytes from a %d-byte bomb", st.Bytes, len(bomb))
	}

	nested := archivetest.NestedBomb(t)
	got, warns, st = walk(t, "42.zip", nested, DefaultLimits())
	wantWarn(t, warns, "42.zip: more than 268435456 decompressed bytes")
	if st.Bytes > DefaultMaxBytes+1<<20 {
		t.Errorf("nested bomb: read %d bytes, over the cap", st.Bytes)
	}
	t.Logf("nested bomb of %d bytes: %d members, %d bytes read, first warning %q", len(nested), len(got), st.Bytes, warns[0])
}

func TestDetectNotArchive(t *testing.T) {
	for _, d := range []string{"", "PK", "plain text", "BZh9 is how bzip2 starts", "\x1f\x8b"} {
		if f := Detect([]byte(d)); f != None {
			t.Errorf("Detect(%q) = %v", d, f)
		}
		got, warns, _ := walk(t, "x", []byte(d), DefaultLimits())
		if len(got)+len(warns) > 0 {
			t.Errorf("Walk(%q) = %v %v", d, got, warns)
		}
	}
}

func TestXzDictionaryTooLarge(t *testing.T) {
	data := archivetest.Xz(t, []byte("hello"))
	// The LZMA2 filter's property byte sits after the block header's size,
	// flags and filter ID and property size: stream header (12) + 4.
	p := 12 + 4
	if data[12+2] != 0x21 {
		t.Skipf("unexpected xz block header % x", data[12:20])
	}
	data[p] = 39 // 3 GiB
	_, warns, _ := walk(t, "x.xz", data, DefaultLimits())
	wantWarn(t, warns, "x.xz: xz stream asks for a dictionary over")
}

func wantWarn(t *testing.T, warns []string, prefix string) {
	t.Helper()
	for _, w := range warns {
		if strings.HasPrefix(w, prefix) {
			return
		}
	}
	t.Errorf("no warning starting %q; got %q", prefix, warns)
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestMembersPerArchive is qa10 LOW-2: max_members counted the members of
// nested archives against the outer one, so a fat jar of 20 libraries of
// 600 classes was "not scanned whole" (and the warning blamed an inner
// jar). Each archive counts its own members now; a total of TotalMembers
// times the limit, every level together, still stops archives nested in
// archives.
func TestMembersPerArchive(t *testing.T) {
	jar := func(prefix string, n int) []byte {
		fs := make([]archivetest.File, n)
		for i := range fs {
			fs[i] = archivetest.F(fmt.Sprintf("%s/C%d.class", prefix, i), []byte("\xca\xfe\xba\xbe"))
		}
		return archivetest.Zip(t, fs...)
	}
	lim := DefaultLimits()
	lim.MaxMembers = 100

	// 20 libraries of 60 classes: 1220 members, none over 100 in one archive.
	var libs []archivetest.File
	for j := range 20 {
		libs = append(libs, archivetest.F(fmt.Sprintf("BOOT-INF/lib/lib%d.jar", j), jar(fmt.Sprintf("lib%d", j), 60)))
	}
	got, warns, st := walk(t, "fat.jar", archivetest.Zip(t, libs...), lim)
	if len(warns) > 0 || st.Unscanned > 0 || len(got) != 20*60 {
		t.Errorf("fat jar: %d members, warnings %q", len(got), warns)
	}

	// One library over the limit: the warning names it, and the rest of
	// the outer jar is read.
	got, warns, st = walk(t, "fat.jar", archivetest.Zip(t, archivetest.F("lib/big.jar", jar("big", 150)), archivetest.F("z.txt", []byte("z"))), lim)
	if len(warns) != 1 || !strings.HasPrefix(warns[0], "fat.jar!lib/big.jar: more than 100 members ([archives] max_members)") || st.Unscanned != 1 {
		t.Errorf("big library: warnings %q", warns)
	}
	if got["fat.jar!z.txt"] != "z" || len(got) != 101 {
		t.Errorf("big library: %d members, z.txt %q", len(got), got["fat.jar!z.txt"])
	}

	// Nested three deep, 10 x 10 x 10 leaves and 110 archives: over the
	// total of 100 times max_members (10), each archive under its own.
	lim.MaxMembers = 10
	var mid []archivetest.File
	for i := range 10 {
		var in []archivetest.File
		for j := range 10 {
			in = append(in, archivetest.F(fmt.Sprintf("in%d.jar", j), jar("c", 10)))
		}
		mid = append(mid, archivetest.F(fmt.Sprintf("mid%d.jar", i), archivetest.Zip(t, in...)))
	}
	got, warns, st = walk(t, "bomb.jar", archivetest.Zip(t, mid...), lim)
	if len(warns) != 1 || !strings.HasPrefix(warns[0], "bomb.jar: more than 1000 members in all, nested archives included (100 times [archives] max_members)") || st.Unscanned != 1 {
		t.Errorf("nested: warnings %q", warns)
	}
	if len(got) >= 1000 {
		t.Errorf("nested: %d members read, over the total", len(got))
	}
}

// allocated returns the bytes f allocates on the heap: a reader's memory
// must follow the data it reads, not a size or count its headers declare.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestTruncatedStream: a compressed file cut short (a download or a log
// rotation stopped half way) is scanned as far as it inflates, and named
// as not read whole: its first lines were dropped with the rest, though
// zcat prints them (qa34 3).
func TestTruncatedStream(t *testing.T) {
	head := "aws_access_key_id = X\n"
	var log strings.Builder
	log.WriteString(head)
	x := uint32(1)
	for i := range 20000 {
		x = x*1664525 + 1013904223
		fmt.Fprintf(&log, "2026-12-01 INFO req %d took %d ms path=/api/v1/items/%d\n", i, x%1000, x>>8)
	}
	body := []byte(log.String())
	tarred := archivetest.Tar(t, archivetest.F("app.log", body))
	for _, tt := range []struct {
		name, member string
		data         []byte
	}{
		{"app.log.gz", "app.log.gz!app.log", archivetest.Gzip(t, "", body)},
		{"app.log.xz", "app.log.xz!app.log", archivetest.Xz(t, body)},
		{"app.log.zst", "app.log.zst!app.log", archivetest.Zstd(t, body)},
		{"app.zip", "app.zip!app.log", archivetest.Zip(t, archivetest.F("app.log", body))},
		{"app.tgz", "app.tgz!app.log", archivetest.Gzip(t, "", tarred)},
	} {
		cut := tt.data[:len(tt.data)/2]
		got, warns, _ := walk(t, tt.name, cut, DefaultLimits())
		if !strings.HasPrefix(got[tt.member], head) {
			t.Errorf("%s: member %s holds %d bytes, not the head of the file (members %d)", tt.name, tt.member, len(got[tt.member]), len(got))
		}
		if !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "unreadable") }) {
			t.Errorf("%s: no warning that the member was not read whole: %q", tt.name, warns)
		}
	}
}
