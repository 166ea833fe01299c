package archive

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// lzwEncode writes data in compress's .Z format with codes of at most max
// bits: qa14's lzw.py in Go (codes in groups of 8 of one width, a group
// cut short by a wider code padded to its full size), in block mode or
// not (compress 2.0's format: no clear code, the table from 256), and
// with clear set a clear code each time the table fills (ncompress clears
// when the ratio falls; a reader must take one anywhere).
func lzwEncode(data []byte, max int, block, clear bool) []byte {
	out := []byte{0x1f, 0x9d, byte(max)}
	next := 256
	if block {
		out[2] |= 0x80
		next = 257
	}
	var (
		acc    uint64 // bits not yet written
		nacc   int
		inGrp  int // codes of the current group written
		width  = lzwMinBits
		dict   = map[string]int{}
		w      []byte
		flush  func()
		emit   func(code int)
		endGrp func()
	)
	flush = func() {
		for nacc >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			nacc -= 8
		}
	}
	emit = func(code int) {
		acc |= uint64(code) << nacc
		nacc += width
		flush()
		inGrp = (inGrp + 1) % 8
	}
	// endGrp pads the current group to 8 codes of the current width.
	endGrp = func() {
		if inGrp > 0 {
			nacc += (8 - inGrp) * width
			inGrp = 0
		}
		if nacc%8 != 0 {
			nacc += 8 - nacc%8
		}
		flush()
	}
	code := func(s []byte) int {
		if len(s) == 1 {
			return int(s[0])
		}
		return dict[string(s)]
	}
	for _, c := range data {
		wc := append(bytes.Clone(w), c)
		if _, ok := dict[string(wc)]; ok || len(w) == 0 {
			w = wc
			continue
		}
		emit(code(w))
		if next < 1<<max {
			dict[string(wc)] = next
			next++
			if next > 1<<width && width < max {
				endGrp()
				width++
			}
		} else if clear && block {
			emit(lzwClear)
			endGrp()
			width, next, dict = lzwMinBits, 257, map[string]int{}
		}
		w = []byte{c}
	}
	if len(w) > 0 {
		emit(code(w))
	}
	if nacc > 0 { // the last byte, not the rest of the group
		out = append(out, byte(acc))
	}
	return out
}

// unlzw decodes a .Z stream whole.
func unlzw(t *testing.T, z []byte) ([]byte, error) {
	t.Helper()
	r, err := newLzwReader(z)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// TestCompressZ (qa14 LOW-4): .Z streams decode byte for byte, made by
// the real compress (ncompress: 16 bits, -b 9 and 12, -C without block
// mode, a tar.Z), by qa14's lzw.py (python3) and by lzwEncode with a
// clear code at every full table.
func TestCompressZ(t *testing.T) {
	small, big := []byte("[default]\nregion = eu-west-1\n"), textOf(300<<10)
	rnd := make([]byte, 200<<10)
	rand.NewChaCha8([32]byte{'Z'}).Read(rnd) // seeded: a failure replays
	mixed := append(append(bytes.Clone(big), rnd...), big...)
	for _, c := range []struct {
		name string
		z    func(t *testing.T) []byte
		want []byte
	}{
		// -f: compress exits 2 and writes nothing when the output would
		// not be smaller. ncompress 4.2.4.6's -b 9 and -C write streams
		// that neither it nor gzip -d read back: not references.
		{"small", func(t *testing.T) []byte { return tool(t, small, "compress", "-c", "-f") }, small},
		{"big", func(t *testing.T) []byte { return tool(t, big, "compress", "-c") }, big},
		{"b10", func(t *testing.T) []byte { return tool(t, mixed, "compress", "-c", "-b", "10") }, mixed},
		{"b12", func(t *testing.T) []byte { return tool(t, mixed, "compress", "-c", "-b", "12") }, mixed},
		{"mixed", func(t *testing.T) []byte { return tool(t, mixed, "compress", "-c", "-f") }, mixed},
		{"lzw.py", func(t *testing.T) []byte { return lzwPy(t, big) }, big},
		{"clear9", func(t *testing.T) []byte { return lzwEncode(big, 9, true, true) }, big},
		{"clear16", func(t *testing.T) []byte { return lzwEncode(mixed, 16, true, true) }, mixed},
		{"full12", func(t *testing.T) []byte { return lzwEncode(mixed, 12, true, false) }, mixed},
		{"noblock", func(t *testing.T) []byte { return lzwEncode(mixed, 16, false, false) }, mixed},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := unlzw(t, c.z(t))
			if err != nil || !bytes.Equal(got, c.want) {
				t.Errorf("%d bytes, %v; want %d bytes", len(got), err, len(c.want))
			}
		})
	}
	// A bad code is a counted warning, the stream a member not read.
	bad := lzwEncode(small, 16, true, false)
	bad[5] = 0xff // the second code: 0x1ff, far past the next entry
	if _, err := unlzw(t, bad); err != errLzwCorrupt {
		t.Errorf("a code past the table: %v", err)
	}
	_, warns, st := walk(t, "bad.Z", bad, DefaultLimits())
	wantWarn(t, warns, "bad.Z!bad: unreadable member: corrupt compress (.Z) stream")
	if st.Unscanned != 1 {
		t.Errorf("bad.Z: %d unscanned", st.Unscanned)
	}
	if _, err := newLzwReader([]byte{0x1f, 0x9d, 0x91, 1, 2}); err == nil {
		t.Error("codes of 17 bits: no error") // Detect does not take it for .Z either
	}
}

// lzwPy runs qa14's writer, /work/notes/qa14/lzw.py, when it is there:
// a second, independent writer of the format.
func lzwPy(t *testing.T, data []byte) []byte {
	t.Helper()
	const script = "/work/notes/qa14/lzw.py"
	if _, err := os.Stat(script); err != nil {
		t.Skipf("%s not here: not checked", script)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed: not checked")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "in.Z")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("python3", script, in, out).CombinedOutput(); err != nil {
		t.Fatalf("lzw.py: %v\n%s", err, b)
	}
	z, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// TestCompressZFiles: .Z files and a tar.Z made by compress and tar -Z are
// opened by Walk, named as other compressed files are; a .Z of zeros (a
// bomb) stops at the ratio.
func TestCompressZFiles(t *testing.T) {
	small := []byte("[default]\nregion = eu-west-1\n")
	tr := tool(t, nil, "sh", "-c", "cd \"$(mktemp -d)\" && printf '[default]\\n' > app.ini && tar -cZf - app.ini")
	for _, c := range []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"app.ini.Z", tool(t, small, "compress", "-c", "-f"), map[string]string{"app.ini.Z!app.ini": string(small)}},
		{"a.tar.Z", tr, map[string]string{"a.tar.Z!app.ini": "[default]\n"}},
		{"a.taz", tr, map[string]string{"a.taz!app.ini": "[default]\n"}},
	} {
		got, warns, _ := walk(t, c.name, c.data, DefaultLimits())
		if len(warns) > 0 || len(got) != len(c.want) {
			t.Errorf("%s: members %v, warnings %q", c.name, keys(got), warns)
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.name, k, got[k], v)
			}
		}
	}
	bombStops(t, "z.Z", tool(t, make([]byte, 8<<20), "compress", "-c"))
}

// FuzzLzw: any input decodes without a panic or a hang, its output
// bounded by what its codes can give (2^16 bytes a code), and whatever
// lzwEncode writes, at any width, with or without clear codes, decodes
// back to it.
func FuzzLzw(f *testing.F) {
	f.Add([]byte("[default]\naws_access_key_id = x\n"), byte(16), true, true)
	f.Add(bytes.Repeat([]byte("abcabcabd"), 300), byte(9), true, true)
	f.Add(bytes.Repeat([]byte("abcabcabd"), 300), byte(9), false, false)
	f.Add([]byte{}, byte(12), true, false)
	f.Fuzz(func(t *testing.T, data []byte, bits byte, block, clear bool) {
		max := lzwMinBits + int(bits)%(lzwMaxBits-lzwMinBits+1)
		got, err := unlzw(t, lzwEncode(data, max, block, clear))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("round trip at %d bits (block %v, clear %v): %d bytes, %v; want %d", max, block, clear, len(got), err, len(data))
		}
		// The input itself as a stream, behind each header.
		for _, flags := range []byte{0x90, 0x89, 0x10} {
			r, err := newLzwReader(append([]byte{0x1f, 0x9d, flags}, data...))
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, io.LimitReader(r, 64<<20))
			if codes := int64(len(data)*8/lzwMinBits + 1); n > codes<<16 {
				t.Fatalf("%d bytes out of %d codes", n, codes)
			}
		}
	})
}
