package scanner

import (
	"bytes"
	"testing"
)

// FuzzDecodeUU: reading a uuencoded block back from any "`" of any input
// stays inside the input and no further back than asked, and decodes to
// exactly the bytes its lines count.
func FuzzDecodeUU(f *testing.F) {
	for _, s := range []string{
		"begin 644 credentials\nM6V1E9F%U;'1=\"F%W<U]A8V-E<W-?:V5Y7VED(#T@04M)041(5T(U6C1'0D-%\n:1E1S8G)E+W!3.&M0=D90<GI0+VI7,2M3:PH`\n`\nend\n",
		"Xbegin 600 x\nX#86)C\nX`\nXend\n",
		"begin 644 x\r\n#86)C\r\n`\r\nend\r\n",
		"```\nbegin 644 x\n```\nend\n",
		"begin 644 x\nM\n`\nend",
	} {
		f.Add([]byte(s), uint16(0))
	}
	f.Fuzz(func(t *testing.T, d []byte, lo uint16) {
		for at := 0; at < len(d); at++ {
			if d[at] != '`' {
				continue
			}
			l := min(int(lo), at)
			b, ok, _ := findUU(d, at, l)
			if !ok {
				continue
			}
			if b.start < l || b.start > at || b.end > len(d) || b.end <= at {
				t.Fatalf("block [%d, %d) for %d, from %d", b.start, b.end, at, l)
			}
			out := uuDecode(d, b, nil)
			if len(out) != b.size {
				t.Fatalf("%d bytes, lines count %d", len(out), b.size)
			}
			if !bytes.HasPrefix(bytes.TrimPrefix(d[b.start:], []byte("X")), []byte("begin ")) {
				t.Fatalf("block at %d does not start with its begin line", b.start)
			}
		}
	})
}
