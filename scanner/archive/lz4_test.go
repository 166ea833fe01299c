package archive

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os/exec"
	"testing"
)

// lz4Tool compresses data with the lz4 tool and its options, skipping the
// test when lz4 is missing.
func lz4Tool(t testing.TB, data []byte, opts ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("lz4"); err != nil {
		t.Skip("lz4 not installed (.ci/run installs it): not checked")
	}
	cmd := exec.Command("lz4", append(append([]string{"-c"}, opts...), "-")...)
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("lz4 %q: %v", opts, err)
	}
	return out
}

// TestLz4Tool is qa16 HIGH-14: the lz4 tool's frames, in every layout its
// options give (dependent and independent blocks, checksums, the content
// size, block sizes, the legacy format of lz4 -l, levels), decode to the
// data, also two frames one after another and a skippable frame before one.
// The data repeats lines, as a credentials file does, so that matches reach
// back into earlier blocks, and has random bytes so that literals are long.
func TestLz4Tool(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var data []byte
	for len(data) < 600<<10 {
		if rng.IntN(3) == 0 {
			for range 200 {
				data = append(data, byte(rng.Uint32()))
			}
		}
		data = append(data, "aws_secret_access_key = something\n"...)
	}
	layouts := [][]string{
		nil, {"-1"}, {"-9"}, {"-12"}, {"-BD"}, {"-B4", "-BD"}, {"-B4", "--no-frame-crc"}, {"-BX"}, {"--content-size"},
		{"-l"}, {"-l", "-9"},
	}
	for _, opts := range layouts {
		z := lz4Tool(t, data, opts...)
		if Detect(z) != Lz4 {
			t.Errorf("%q: not detected", opts)
			continue
		}
		skip := []byte{0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'}
		in := append(append(append(skip, z...), z...), skip...)
		got, err := io.ReadAll(newLz4Reader(in))
		if err != nil || !bytes.Equal(got, append(bytes.Clone(data), data...)) {
			t.Errorf("%q: %d bytes, error %v: not the data back twice", opts, len(got), err)
		}
	}
	// Walk opens it as one member.
	var members []string
	ws, _ := Walk(context.Background(), "app.env.lz4", lz4Tool(t, data), DefaultLimits(), func(m Member) {
		if bytes.Equal(m.Data, data) {
			members = append(members, m.Name)
		}
	})
	if len(ws) != 0 || len(members) != 1 || members[0] != "app.env.lz4!app.env" {
		t.Errorf("members %q, warnings %v", members, ws)
	}
}

// TestLz4Corrupt: an lz4 stream cut short or with a byte changed is an
// error and a counted warning, never a panic or a hang.
func TestLz4Corrupt(t *testing.T) {
	z := lz4Tool(t, bytes.Repeat([]byte("[default]\naws_access_key_id = x\n"), 500), "-BD")
	for n := 0; n < len(z); n += 5 {
		io.ReadAll(newLz4Reader(z[:n]))
		b := bytes.Clone(z)
		b[n] ^= 0xa5
		io.ReadAll(newLz4Reader(b))
	}
	if ws, _ := Walk(context.Background(), "a.lz4", z[:len(z)/2], DefaultLimits(), func(Member) {}); len(ws) == 0 {
		t.Error("an lz4 stream cut in half: no warning")
	}
}

// FuzzLz4 decodes lz4 frames with bytes changed: no panic, no hang, and no
// more output than LZ4 can make of the input (255 bytes a byte, plus a
// block's worth).
func FuzzLz4(f *testing.F) {
	body := bytes.Repeat([]byte("aws_secret_access_key = x\n"), 100)
	if _, err := exec.LookPath("lz4"); err == nil {
		for _, opts := range [][]string{nil, {"-BD", "-B4"}, {"-l"}, {"--content-size", "-BX"}} {
			f.Add(lz4Tool(f, body, opts...))
		}
	}
	f.Add([]byte{0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 5, 0, 0, 0, 0x50, 'a', 'b', 'c', 'd', 'e', 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		bound := int64(len(data))*255 + lz4LegacyBlock + 1
		n, _ := io.Copy(io.Discard, io.LimitReader(newLz4Reader(data), bound))
		if n >= bound {
			t.Errorf("%d bytes out of %d", n, len(data))
		}
	})
}
