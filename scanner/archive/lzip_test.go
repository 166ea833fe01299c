package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// textOf is n bytes or more of numbered lines, which compress well but
// not to nothing.
func textOf(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "line %d of a file %x\n", i, i*i*7919)
	}
	return b.Bytes()
}

// TestLzip (qa14 LOW-4): lzip files made by the real lzip decode byte for
// byte: a tiny one (-9), a larger one, a file of several members (-b), two files
// concatenated, a tar.lz; a bad trailer, bytes after the last member and
// a cut member are counted warnings.
func TestLzip(t *testing.T) {
	small, big := []byte("[default]\nregion = eu-west-1\n"), textOf(300<<10)
	tr := archivetest.Tar(t, archivetest.F("etc/app.ini", small), archivetest.F("big.txt", big))
	for _, c := range []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"s.lz", tool(t, small, "lzip", "-9"), map[string]string{"s.lz!s": string(small)}},
		{"b.lz", tool(t, big, "lzip", "-0"), map[string]string{"b.lz!b": string(big)}},
		{"m.lz", tool(t, big, "lzip", "-0", "-b", "100KiB"), map[string]string{"m.lz!m": string(big)}},
		{"c.lz", append(tool(t, small, "lzip"), tool(t, big, "lzip", "-0")...), map[string]string{"c.lz!c": string(small) + string(big)}},
		{"a.tar.lz", tool(t, tr, "lzip", "-0"), map[string]string{"a.tar.lz!etc/app.ini": string(small), "a.tar.lz!big.txt": string(big)}},
	} {
		got, warns, st := walk(t, c.name, c.data, DefaultLimits())
		if len(warns) > 0 || st.Unscanned != 0 || len(got) != len(c.want) {
			t.Errorf("%s: members %v, warnings %q", c.name, keys(got), warns)
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: member %s: %d bytes decoded, want %d", c.name, k, len(got[k]), len(v))
			}
		}
	}
	lz := tool(t, small, "lzip")
	badCRC := bytes.Clone(lz)
	badCRC[len(badCRC)-20] ^= 1
	badSize := bytes.Clone(lz)
	binary.LittleEndian.PutUint64(badSize[len(badSize)-8:], 7)
	for _, c := range []struct {
		name string
		data []byte
		warn string
	}{
		{"crc.lz", badCRC, "crc.lz!crc: unreadable member: lzip member corrupt: its trailer does not match its data"},
		{"size.lz", badSize, "size.lz!size: unreadable member: lzip member corrupt"},
		{"junk.lz", append(bytes.Clone(lz), "junk after it"...), "junk.lz!junk: unreadable member: 13 bytes after the last lzip member start no other member"},
		{"cut.lz", lz[:len(lz)-5], "cut.lz!cut: unreadable member: lzip member cut short"},
		{"dict.lz", append([]byte("LZIP\x01\x1b"), lz[6:]...), "dict.lz: lzip stream not opened: lzip member asks for a dictionary of 134217728 bytes"},
	} {
		got, warns, st := walk(t, c.name, c.data, DefaultLimits())
		wantWarn(t, warns, c.warn)
		// What inflated before the error is scanned all the same (qa34 3):
		// at most the member, never more than the stream holds.
		if len(got) > 1 || st.Unscanned != 1 {
			t.Errorf("%s: members %v, %d unscanned", c.name, keys(got), st.Unscanned)
		}
		for k, v := range got {
			if !strings.HasPrefix(string(small), v) {
				t.Errorf("%s: member %s holds %d bytes that are not the head of the stream's data", c.name, k, len(v))
			}
		}
	}
}

// bombStops walks a compressed stream of 8 MiB of zeros under a 4 MiB
// budget: it must stop at the ratio (past a quarter of the budget), with
// the warning, having read no more than the ratio allows.
func bombStops(t *testing.T, name string, zeros []byte) {
	t.Helper()
	lim := DefaultLimits()
	lim.MaxBytes, lim.MaxMemberSize = 4<<20, 1<<30
	_, warns, st := walk(t, name, zeros, lim)
	wantWarn(t, warns, name+": expands more than 100 times")
	if st.Bytes > lim.ratioFloor()+100*int64(len(zeros)) {
		t.Errorf("read %d bytes from a %d-byte bomb", st.Bytes, len(zeros))
	}
}

// TestLzipBomb: an lzip stream of zeros stops at the ratio as every
// other stream does, and a tiny member declaring a large dictionary
// allocates what its bytes can use (lzmaDict), not the dictionary.
func TestLzipBomb(t *testing.T) {
	bombStops(t, "z.lz", tool(t, make([]byte, 8<<20), "lzip", "-0"))
	// lzip fits the dictionary to a small input; its code written over
	// (the stream decodes alike whatever the dictionary, when it is larger
	// than the data).
	hi := tool(t, []byte("hi\n"), "lzip")
	hi[5] = 26 // 2^26: 64 MiB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 100 {
		l, err := newLzipFile(hi, 1<<62)
		if err != nil {
			t.Fatal(err)
		}
		if b, err := io.ReadAll(l); err != nil || string(b) != "hi\n" {
			t.Fatalf("%q, %v", b, err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 400<<20 {
		t.Errorf("100 tiny lzip members declaring 64 MiB allocated %d bytes", n)
	}
}

// FuzzLzip: any input behind lzip's magic decodes without a panic or a
// hang (the real lzip's members, one and two, are the seeds; the memory
// a member's dictionary may take is TestLzipBomb's).
func FuzzLzip(f *testing.F) {
	lz := tool(f, []byte("[default]\naws_access_key_id = x\n"), "lzip")
	f.Add(lz[5:])
	f.Add(append(bytes.Clone(lz[5:]), lz...))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := newLzipFile(append([]byte("LZIP\x01"), data...), 1<<62)
		if err != nil {
			return
		}
		io.Copy(io.Discard, io.LimitReader(l, 64<<20))
	})
}
