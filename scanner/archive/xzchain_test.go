package archive

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestXzChainRoundTrip checks the branch and delta filters against the xz
// tool's encoders: random bytes hold every processor's call patterns, so a
// decoder that differs from xz's by one bit breaks the round trip. Blocks
// are small, so that each filter starts again at every block, and two
// streams are concatenated.
func TestXzChainRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 100<<10)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	chains := [][]string{
		{"--x86"}, {"--x86=start=4096"}, {"--arm"}, {"--armthumb"}, {"--arm64"}, {"--powerpc"}, {"--sparc"},
		{"--delta=dist=1"}, {"--delta=dist=256"}, {"--delta=dist=7", "--arm64"},
	}
	for _, chain := range chains {
		opts := append(append([]string{"--block-size=40KiB", "--check=crc64"}, chain...), "--lzma2=preset=1")
		xz := xzTool(t, data, opts...)
		twice := append(bytes.Clone(xz), xz...)
		if !xzChained(xz) {
			t.Errorf("%q: not seen as a filter chain", chain)
			continue
		}
		got, err := io.ReadAll(newXzChain(twice))
		if err != nil || !bytes.Equal(got, append(bytes.Clone(data), data...)) {
			t.Errorf("%q: %d bytes, error %v: not the data back", chain, len(got), err)
		}
	}
}

// TestXzChainCorrupt: a chained stream cut short or with a flipped byte
// gives an error, never a hang or a panic.
func TestXzChainCorrupt(t *testing.T) {
	xz := xzTool(t, bytes.Repeat([]byte("[default]\n"), 1000), "--x86", "--lzma2")
	for n := 0; n < len(xz); n += 7 {
		io.ReadAll(newXzChain(xz[:n]))
		b := bytes.Clone(xz)
		b[n] ^= 0x55
		io.ReadAll(newXzChain(b))
	}
	// The walk names the member and counts it.
	ws, _ := Walk(context.Background(), "a.xz", xz[:len(xz)/2], DefaultLimits(), func(Member) {})
	if len(ws) == 0 {
		t.Error("a chained xz stream cut in half: no warning")
	}
}

// FuzzXzChain reads chained xz streams (a branch and a delta filter, several
// blocks) with bytes changed: an error or data, never a panic or a hang,
// and never more output than LZMA2 can make of the input.
func FuzzXzChain(f *testing.F) {
	body := bytes.Repeat([]byte("aws_secret_access_key = x\n\xe8\x00\x10\x00\x00"), 40)
	for _, opts := range [][]string{{"--x86", "--lzma2"}, {"--delta=dist=2", "--arm64", "--lzma2"}, {"--block-size=512", "--powerpc", "--lzma2"}} {
		if xz := xzToolMaybe(opts, body); xz != nil {
			f.Add(xz)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !xzChained(data) {
			return
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(newXzChain(data), int64(len(data))*lzmaMaxRatio+1))
		if n > int64(len(data))*lzmaMaxRatio {
			t.Errorf("%d bytes out of %d", n, len(data))
		}
	})
}

// TestXzChainNotUndone: IA-64's filter is not undone; the member is handed
// on as the filter left it, with a warning that counts it.
func TestXzChainNotUndone(t *testing.T) {
	body := bytes.Repeat([]byte("aws_secret_access_key = x\n"), 50)
	xz := xzTool(t, body, "--ia64", "--lzma2")
	var got []byte
	ws, _ := Walk(context.Background(), "a.xz", xz, DefaultLimits(), func(m Member) { got = m.Data })
	if len(ws) != 1 || !strings.Contains(ws[0].Message, "IA-64") || len(got) != len(body) {
		t.Errorf("warnings %v, %d bytes (want one warning naming IA-64, %d bytes)", ws, len(got), len(body))
	}
}
