package archive

import (
	"bytes"
	"compress/zlib"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestLzmaZlib: an LZMA "alone" stream and a raw zlib stream (each level
// zlib writes: git's loose objects are level 1) are opened like gzip, a tar
// inside read at the same level (qa8 MEDIUM-1: both were passed in silence).
func TestLzmaZlib(t *testing.T) {
	body := []byte("aws_access_key_id = X\n")
	plainTar := archivetest.Tar(t, archivetest.F("etc/app.ini", body))
	tests := []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"app.env.lzma", archivetest.Lzma(t, body), map[string]string{"app.env.lzma!app.env": string(body)}},
		{"a.tar.lzma", archivetest.Lzma(t, plainTar), map[string]string{"a.tar.lzma!etc/app.ini": string(body)}},
		{"obj1", archivetest.Zlib(t, zlib.BestSpeed, body), map[string]string{"obj1!data": string(body)}},
		{"obj.zz", archivetest.Zlib(t, zlib.DefaultCompression, body), map[string]string{"obj.zz!obj": string(body)}},
		{"obj9", archivetest.Zlib(t, zlib.BestCompression, plainTar), map[string]string{"obj9!etc/app.ini": string(body)}},
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
	// An LZMA header asking for a dictionary over the window cap is not
	// trusted for an allocation.
	big := archivetest.Lzma(t, body)
	big[1], big[2], big[3], big[4] = 0, 0, 0, 0x40 // 1 GiB
	_, warns, st := walk(t, "big.lzma", big, DefaultLimits())
	wantWarn(t, warns, "big.lzma: lzma stream not opened")
	if st.Unscanned != 1 {
		t.Errorf("Unscanned = %d, want 1", st.Unscanned)
	}
}

// TestNotOpened: a format keyscan recognises but cannot read is a warning
// naming the file and the format, counted as a part not scanned, at the
// top or nested; never silence (qa8 MEDIUM-1).
func TestNotOpened(t *testing.T) {
	junk := bytes.Repeat([]byte{0xa5, 0x11, 0, 0x7f}, 64)
	tests := []struct {
		name   string
		data   []byte
		format Format
		warn   string
	}{
		{"a.rar", append([]byte("Rar!\x1a\x07\x00"), junk...), Rar, "a.rar: rar archive not opened"},
		{"a5.rar", append([]byte("Rar!\x1a\x07\x01\x00"), junk...), Rar, "a5.rar: rar archive not opened"},
		{"a.cab", append([]byte("MSCF\x00\x00\x00\x00"), junk...), Cab, "a.cab: cab archive not opened"},
		{"a.rpm", append([]byte{0xed, 0xab, 0xee, 0xdb}, junk...), Rpm, "a.rpm: rpm package not opened"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f := Detect(tt.data); f != tt.format || f.Opened() {
				t.Errorf("Detect = %v (opened %v), want %v", f, f.Opened(), tt.format)
			}
			got, warns, st := walk(t, tt.name, tt.data, DefaultLimits())
			wantWarn(t, warns, tt.warn)
			if len(got) != 0 || st.Unscanned != 1 || st.Archives != 0 {
				t.Errorf("members %v, stats %+v: want none, 1 unscanned, 0 opened", keys(got), st)
			}
			outer := archivetest.Zip(t, archivetest.F("lib/"+tt.name, tt.data), archivetest.F("b.txt", []byte("b")))
			got, warns, st = walk(t, "o.zip", outer, DefaultLimits())
			wantWarn(t, warns, "o.zip!lib/"+tt.warn)
			if got["o.zip!b.txt"] != "b" || st.Unscanned != 1 {
				t.Errorf("nested: members %v, stats %+v", keys(got), st)
			}
		})
	}
}

// TestDetectLookalikes: text and binaries that start like a headerless
// format (zlib's two bytes, LZMA's properties byte) are not taken for one.
func TestDetectLookalikes(t *testing.T) {
	notLzma := archivetest.Lzma(t, []byte("hello"))
	notLzma[13] = 1 // the range coder's first byte is always 0
	for _, d := range [][]byte{
		[]byte("x^2 + y^2 = z^2\n"),                     // 78 5e: zlib's header for levels 2 to 5, left out
		[]byte("x\x9c\xff\xff\xff\xff\xff\xff\xff\xff"), // zlib header, no deflate stream behind it
		[]byte("]\x00\x00\x80\x00plain text here"),      // too short for an LZMA header
		notLzma,
		[]byte("!<arch"),
	} {
		if f := Detect(d); f != None {
			t.Errorf("Detect(%q) = %v", d, f)
		}
	}
}

// TestLzmaTrailing (qa14 MEDIUM-9): a second .lzma stream after the first
// is read on; other bytes after a stream's end are a counted warning.
func TestLzmaTrailing(t *testing.T) {
	a, b := []byte("first stream\n"), []byte("aws_secret_access_key = in the second\n")
	two := append(archivetest.Lzma(t, a), archivetest.Lzma(t, b)...)
	got, warns, _ := walk(t, "two.lzma", two, DefaultLimits())
	if len(warns) > 0 || got["two.lzma!two"] != string(a)+string(b) {
		t.Errorf("two streams: %q, warnings %q", got, warns)
	}
	junk := append(archivetest.Lzma(t, a), "junk after it"...)
	_, warns, st := walk(t, "junk.lzma", junk, DefaultLimits())
	wantWarn(t, warns, "junk.lzma!junk: unreadable member: 13 bytes after the end of the lzma stream")
	if st.Unscanned != 1 {
		t.Errorf("junk: Unscanned = %d, want 1", st.Unscanned)
	}
}
