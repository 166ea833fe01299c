package archive

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// cutBody is a credentials file's head (a generated key pair) then
// n bytes or more of log lines, which compress well but not to nothing.
func cutBody(seed uint64, n int) (head string, body []byte) {
	g := fakekey.New(seed)
	head = fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", g.KeyID("AKIA"), g.Secret())
	var b bytes.Buffer
	b.WriteString(head)
	x := uint32(seed)
	for i := 0; b.Len() < n; i++ {
		x = x*1664525 + 1013904223
		fmt.Fprintf(&b, "2026-12-01 INFO req %d took %d ms path=/api/v1/items/%d\n", i, x%1000, x>>8)
	}
	return head, b.Bytes()
}

// TestTruncatedLzma (arch36): an lzip or .lzma file made by the real
// lzip and xz --format=lzma, cut short anywhere in its data, is scanned as
// far as it decodes and named as not read whole, as gzip, xz and zstd cut
// short are (TestTruncatedStream). The LZMA decoder gives nothing of its
// dictionary when its input ends, so the key pair of the first lines was
// dropped with the rest, while lzip -d and xz -d print them before their
// error.
func TestTruncatedLzma(t *testing.T) {
	head, body := cutBody(3601, 400<<10)
	tarred := archivetest.Tar(t, archivetest.F("app.log", body))
	for _, c := range []struct {
		name, member string
		tool         []string
		in           []byte
		warn         string
	}{
		{"app.log.lz", "app.log.lz!app.log", []string{"lzip", "-c"}, body, "lzip member cut short"},
		{"app.log.lz", "app.log.lz!app.log", []string{"lzip", "-0", "-c"}, body, "lzip member cut short"},
		{"app.log.lz", "app.log.lz!app.log", []string{"lzip", "-9", "-c"}, body, "lzip member cut short"},
		{"app.log.lz", "app.log.lz!app.log", []string{"lzip", "-0", "-b", "100KiB", "-c"}, body, "lzip member cut short"},
		{"app.tar.lz", "app.tar.lz!app.log", []string{"lzip", "-c"}, tarred, "lzip member cut short"},
		{"app.log.lzma", "app.log.lzma!app.log", []string{"xz", "--format=lzma", "-c"}, body, "lzma stream cut short"},
		{"app.log.lzma", "app.log.lzma!app.log", []string{"xz", "--format=lzma", "-0", "-c"}, body, "lzma stream cut short"},
		{"app.tar.lzma", "app.tar.lzma!app.log", []string{"xz", "--format=lzma", "-c"}, tarred, "lzma stream cut short"},
	} {
		data := tool(t, c.in, c.tool[0], c.tool[1:]...)
		label := strings.Join(c.tool, " ")
		for _, at := range []int{len(data) / 4, len(data) / 2, len(data) * 3 / 4, len(data) - 30} {
			got, warns, st := walk(t, c.name, data[:at], DefaultLimits())
			m, ok := got[c.member]
			if !ok || !strings.HasPrefix(m, head) || !bytes.HasPrefix(body, []byte(m)) {
				t.Errorf("%s cut at %d of %d: member %s holds %d bytes, not the head of the file (members %q, warnings %q)", label, at, len(data), c.member, len(m), keys(got), warns)
			}
			if st.Unscanned == 0 || !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, c.warn) }) {
				t.Errorf("%s cut at %d: %d parts unscanned, warnings %q: want one saying %q", label, at, st.Unscanned, warns, c.warn)
			}
		}
		// Whole, it decodes byte for byte, with no warning.
		if got, warns, st := walk(t, c.name, data, DefaultLimits()); got[c.member] != string(body) || len(warns) > 0 || st.Unscanned != 0 {
			t.Errorf("%s whole: %d bytes, warnings %q", label, len(got[c.member]), warns)
		}
	}
}

// TestTruncatedLzmaEveryCut: a small lzip and .lzma file cut at every
// byte gives a prefix of its data or nothing, never more, never a byte
// that is not its, and every cut is counted.
func TestTruncatedLzmaEveryCut(t *testing.T) {
	_, body := cutBody(3602, 3000)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"c.lz", tool(t, body, "lzip", "-c")},
		{"c.lzma", tool(t, body, "xz", "--format=lzma", "-c")},
	} {
		for at := 14; at < len(c.data); at++ {
			got, warns, st := walk(t, c.name, c.data[:at], DefaultLimits())
			if st.Unscanned == 0 {
				t.Errorf("%s cut at %d of %d: not counted (warnings %q)", c.name, at, len(c.data), warns)
			}
			for k, v := range got {
				if !bytes.HasPrefix(body, []byte(v)) {
					t.Errorf("%s cut at %d: member %s holds %d bytes that are not the head of the data", c.name, at, k, len(v))
				}
			}
		}
	}
}

// FuzzLzma: a .lzma file of any bytes, whole, cut or damaged, never
// panics or hangs, and what it gives before an error is all it gives
// (lzmaStream reads the decoder's dictionary after a cut, never past it).
func FuzzLzma(f *testing.F) {
	_, body := cutBody(3604, 2000)
	lz := tool(f, body, "xz", "--format=lzma", "-c")
	f.Add(lz)
	f.Add(lz[:len(lz)/2])
	f.Add(append(bytes.Clone(lz), lz...))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := newLzmaFile(data, 1<<20)
		if err != nil {
			return
		}
		buf := make([]byte, 4096)
		out := 0
		for out < 64<<20 {
			n, err := l.Read(buf)
			out += n
			if err != nil {
				if n, _ := l.Read(buf); n > 0 && err != io.EOF {
					t.Fatalf("%d bytes read after the error %v", n, err)
				}
				return
			}
		}
	})
}
