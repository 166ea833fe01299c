package archive

import (
	"bytes"
	"fmt"
	"os/exec"
	"runtime"
	"testing"
)

// tool runs a compressor on in, or skips the test when it is missing.
func tool(t testing.TB, in []byte, name string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (.ci/run installs it): not checked", name)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return out
}

// TestWindowBounded (qa14 HIGH-10): streams made by the real xz and zstd
// declaring 64 MiB windows (several blocks, several frames, one large
// input) decode whole with the windows cut, and a thousand tiny members
// declaring 64 MiB cost megabytes, not the 64 GiB the headers ask for.
func TestWindowBounded(t *testing.T) {
	var text bytes.Buffer
	for i := 0; text.Len() < 1<<20; i++ {
		fmt.Fprintf(&text, "line %d of a file %x\n", i, i*i*7919)
	}
	big := text.Bytes()
	cases := []struct {
		name string
		data []byte
		want []byte
	}{
		{"hi.lzma", tool(t, []byte("hi\n"), "xz", "--format=lzma", "--lzma1=dict=64MiB"), []byte("hi\n")},
		{"hi.xz", tool(t, []byte("hi\n"), "xz", "--lzma2=dict=64MiB"), []byte("hi\n")},
		{"blocks.xz", tool(t, big, "xz", "-T1", "--lzma2=preset=1,dict=64MiB", "--block-size=100000"), big},
		{"sha256.xz", tool(t, big, "xz", "-T1", "-C", "sha256", "--lzma2=preset=1,dict=64MiB"), big},
		{"big.lzma", tool(t, big, "xz", "--format=lzma", "--lzma1=preset=1,dict=64MiB"), big},
		{"hi.zst", tool(t, []byte("hi\n"), "zstd", "-q", "--long=26"), []byte("hi\n")},
		{"big.zst", tool(t, big, "zstd", "-q", "--long=26"), big},
		{"frames.zst", append(tool(t, big[:1<<19], "zstd", "-q", "--long=26"), tool(t, big[1<<19:], "zstd", "-q", "--long=26", "--no-check")...), big},
	}
	for _, c := range cases {
		got, warns, _ := walk(t, c.name, c.data, DefaultLimits())
		if len(warns) > 0 || len(got) != 1 {
			t.Errorf("%s: %d members, warnings %q", c.name, len(got), warns)
		}
		for _, v := range got {
			if v != string(c.want) {
				t.Errorf("%s: %d bytes decoded, want %d", c.name, len(v), len(c.want))
			}
		}
	}
	// The small ones really got a small window.
	if b := xzBounded(cases[1].data); bytes.Equal(b, cases[1].data) {
		t.Error("hi.xz: dictionary not cut")
	}
	if b := zstdBounded(cases[5].data); bytes.Equal(b, cases[5].data) {
		t.Error("hi.zst: window not cut")
	}
	for _, c := range []int{0, 1, 5} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 100 {
			walk(t, cases[c].name, cases[c].data, DefaultLimits())
		}
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > 400<<20 {
			t.Errorf("%s: 100 walks allocated %d MiB", cases[c].name, got>>20)
		}
	}
}

// FuzzWindowBounded: the header walks never panic and change nothing but
// window bytes and CRC32s (the length stays).
func FuzzWindowBounded(f *testing.F) {
	f.Add([]byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4F\x02\x00!\x01\x16\x00\x00\x00t/\xe5\xa3\x01\x00\x02hi\n\x00"))
	f.Add([]byte("(\xb5/\xfd\x04\x88\x19\x00\x00hi\n\x01\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if x := xzBounded(data); len(x) != len(data) {
			t.Fatal("xz length changed")
		}
		if z := zstdBounded(data); len(z) != len(data) {
			t.Fatal("zstd length changed")
		}
	})
}
