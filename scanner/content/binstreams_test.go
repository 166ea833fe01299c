package content

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// compressWith returns what the real tool gives for text (given on its
// standard input), or skips the test when the tool is missing.
func compressWith(t *testing.T, text []byte, name string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("no %s: not checked", name)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return out
}

// programAround returns stream between the bytes of a made-up program:
// an ELF header and random bytes before, random bytes after.
func programAround(stream []byte, seed uint64) (data []byte, at int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	noise := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	// An ELF header that parses (no sections: nothing for the program's
	// string references to read), as a made-up program's must: one that
	// does not is a malformed executable, a gap of its own.
	head := make([]byte, 64)
	copy(head, "\x7fELF\x02\x01\x01")
	head[16], head[18], head[20], head[52], head[54], head[58] = 2, 0x3e, 1, 64, 56, 64
	data = append(head, noise(20000-56)...)
	at = len(data)
	return append(append(data, stream...), noise(5000)...), at
}

// TestBinaryStreams: xz, bzip2 and raw zlib streams inside a binary file
// (CLOSING16: not looked for, not counted), each written by the real
// tool, are opened as parts (app@N!data) and both keys found; the same
// streams cut short are counted as not scanned.
func TestBinaryStreams(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(2401)
	text = append(bytes.Repeat([]byte("# settings of the service\n"), 150), text...)
	zlibPy := "import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), %d))"
	streams := []struct {
		name string
		tool []string
	}{
		{"xz", []string{"xz", "-c"}},
		{"xz-x86", []string{"xz", "-c", "--x86", "--lzma2"}},
		{"bzip2", []string{"bzip2", "-c"}},
		{"zlib-1", []string{"python3", "-c", fmt.Sprintf(zlibPy, 1)}},
		{"zlib-3", []string{"python3", "-c", fmt.Sprintf(zlibPy, 3)}},
		{"zlib-6", []string{"python3", "-c", fmt.Sprintf(zlibPy, 6)}},
		{"zlib-9", []string{"python3", "-c", fmt.Sprintf(zlibPy, 9)}},
		{"zlib-0", []string{"python3", "-c", fmt.Sprintf(zlibPy, 0)}},
	}
	for i, s := range streams {
		t.Run(s.name, func(t *testing.T) {
			stream := compressWith(t, text, s.tool[0], s.tool[1:]...)
			data, at := programAround(stream, uint64(i))
			r := Scan(context.Background(), sc, "app", data, DefaultOptions())
			kinds := kindsIn(r, fmt.Sprintf("app@%d!data", at))
			if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Archive.Unscanned != 0 {
				t.Errorf("kinds in app@%d!data %v, %d parts not scanned, warnings %v; findings %v", at, kinds, r.Archive.Unscanned, r.Warnings, places(r.Findings))
			}
			// Cut short: counted.
			cut, _ := programAround(stream[:len(stream)*3/4], uint64(i))
			cut = cut[:len(cut)-5000]
			if r := Scan(context.Background(), sc, "app", cut, DefaultOptions()); r.Archive.Unscanned == 0 {
				t.Errorf("a cut stream was not counted: warnings %v", r.Warnings)
			}
		})
	}
}

// TestPycZlib: a compiled Python module (.pyc, written by the real
// py_compile) whose bytes constant is a zlib stream of a credentials file
// gives both keys.
func TestPycZlib(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3: not checked")
	}
	sc := newScanner(t)
	_, _, text := pair(2402)
	dir := t.TempDir()
	gen := fmt.Sprintf(`import sys, zlib, py_compile
blob = zlib.compress(%q.encode(), 9)
open(sys.argv[1] + "/cfg.py", "w").write("import zlib\nCFG = zlib.decompress(%%r)\n" %% (blob,))
py_compile.compile(sys.argv[1] + "/cfg.py", cfile=sys.argv[1] + "/cfg.pyc")
`, string(text))
	if out, err := exec.Command("python3", "-c", gen, dir).CombinedOutput(); err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "cfg.pyc"))
	if err != nil {
		t.Fatal(err)
	}
	r := Scan(context.Background(), sc, "cfg.pyc", data, DefaultOptions())
	kinds := kindsIn(r, "cfg.pyc@")
	if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Archive.Unscanned != 0 {
		t.Errorf("kinds in cfg.pyc@N %v, %d parts not scanned, warnings %v; findings %v", kinds, r.Archive.Unscanned, r.Warnings, places(r.Findings))
	}
}

// TestCompiledStreams: a C program (built by the real gcc) whose constant
// array is an xz, bzip2, zlib or LZMA "alone" (.lzma) stream of a
// credentials file (xxd -i of a compressed file) gives both keys, wherever
// the array is put: in .rodata, in .text (section(".text")), or in an
// executable section of its own. Machine code was not searched before
// bin25, and the last two were missed in silence; a .lzma stream was
// missed anywhere before bin26.
func TestCompiledStreams(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no gcc: not checked")
	}
	sc := newScanner(t)
	_, _, text := pair(2403)
	where := []string{"", `__attribute__((section(".text"))) `, `__attribute__((section(".payload,\"ax\",@progbits #"))) `}
	for _, tool := range [][]string{{"xz", "-c"}, {"bzip2", "-c"}, {"python3", "-c", "import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 9))"},
		{"xz", "--format=lzma", "-c"}, {"python3", "-c", "import sys, lzma; sys.stdout.buffer.write(lzma.compress(sys.stdin.buffer.read(), format=lzma.FORMAT_ALONE, preset=1))"}} {
		stream := compressWith(t, text, tool[0], tool[1:]...)
		for _, place := range where {
			compiledStream(t, sc, tool[0]+" "+place, place, stream)
		}
	}
}

// compiledStream builds a C program holding stream as a constant array
// given the attribute place, and checks that the scan of it finds both
// keys in the stream, every part read.
func compiledStream(t *testing.T, sc *scanner.Scanner, name, place string, stream []byte) {
	t.Helper()
	var src bytes.Buffer
	src.WriteString(place + "const unsigned char blob[] = {")
	for _, c := range stream {
		fmt.Fprintf(&src, "%d,", c)
	}
	src.WriteString("};\nint main(int argc, char **argv) { return blob[argc]; }\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.c"), src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("gcc", "-O1", "-o", filepath.Join(dir, "app"), filepath.Join(dir, "app.c"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "app"))
	if err != nil {
		t.Fatal(err)
	}
	r := Scan(context.Background(), sc, "app", data, DefaultOptions())
	kinds := kindsIn(r, "app@")
	if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Archive.Unscanned != 0 {
		t.Errorf("%s: kinds in app@N %v, %d parts not scanned, warnings %v; findings %v", name, kinds, r.Archive.Unscanned, r.Warnings, places(r.Findings))
	}
}
