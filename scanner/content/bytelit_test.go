package content

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// realArchives makes a .aws/credentials holding text into archives and
// compressed streams with the real tools (tar with gzip, xz, bzip2 and
// zstd, 7z, zip, gzip alone; Go's own gzip as go-bindata writes it is
// goGzip). A tool that is missing skips its case with a message
// (.ci/run installs them).
func realArchives(t *testing.T, text []byte) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src", ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", ".aws", "credentials"), text, 0o600); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, c := range []struct {
		name, tool string
		args       []string
	}{
		{"a.tgz", "gzip", []string{"tar", "-C", "src", "-czf", "a.tgz", ".aws"}},
		{"a.txz", "xz", []string{"tar", "-C", "src", "-cJf", "a.txz", ".aws"}},
		{"a.tbz", "bzip2", []string{"tar", "-C", "src", "-cjf", "a.tbz", ".aws"}},
		{"a.tzst", "zstd", []string{"tar", "-C", "src", "--zstd", "-cf", "a.tzst", ".aws"}},
		{"a.7z", "7z", []string{"sh", "-c", "cd src && 7z a -bd -bso0 ../a.7z .aws"}},
		{"a.zip", "zip", []string{"sh", "-c", "cd src && zip -qr ../a.zip .aws"}},
		{"c.gz", "gzip", []string{"sh", "-c", "gzip -c src/.aws/credentials > c.gz"}},
		{"c.xz", "xz", []string{"sh", "-c", "xz -c src/.aws/credentials > c.xz"}},
	} {
		if _, err := exec.LookPath(c.tool); err != nil {
			t.Logf("%s: no %s here (.ci/run installs it): not checked", c.name, c.tool)
			continue
		}
		cmd := exec.Command(c.args[0], c.args[1:]...)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, b)
		}
		b, err := os.ReadFile(filepath.Join(dir, c.name))
		if err != nil {
			t.Fatal(err)
		}
		out[c.name] = b
	}
	return out
}

// goEscapes writes b as go-bindata does: every byte \xNN.
func goEscapes(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		fmt.Fprintf(&s, `\x%02x`, c)
	}
	return s.String()
}

// xxdList writes b as xxd -i and gofmt'd Go do: 0x1f, 0x8b, …, twelve a line.
func xxdList(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteString(",")
			if i%12 == 0 {
				s.WriteString("\n  ")
			} else {
				s.WriteString(" ")
			}
		}
		fmt.Fprintf(&s, "0x%02x", c)
	}
	return s.String()
}

// TestByteLiteralArchives is qa12 HIGH-4: an archive or compressed stream
// written as a byte literal (go-bindata's gzip in \x escapes, a Python
// bytes literal, a C array from xxd -i, a Go []byte of 0x values, one hex
// run as pkger and mysqldump --hex-blob write) is decoded and opened as a
// member of the file, named by its encoding and hash, as an archive in
// base64 is.
func TestByteLiteralArchives(t *testing.T) {
	sc := newScanner(t)
	id, _, text := pair(31)
	arcs := realArchives(t, text)
	// Go's compress/gzip, as go-bindata and vfsgen use it: no name, no
	// time, OS 255.
	arcs["go.gz"] = goGzip(t, text)
	if _, err := exec.LookPath("python3"); err == nil { // gzip.compress, as tarfile's w:gz writes it
		cmd := exec.Command("python3", "-c", "import gzip, sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read()))")
		cmd.Stdin = bytes.NewReader(text)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		arcs["py.gz"] = out
		// gzip.compress(data, mtime=0), for output that does not change
		// (Python 3.11 on: zlib's header, XFL 2 and OS 3: \x02\x03).
		cmd = exec.Command("python3", "-c", "import gzip, sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read(), mtime=0))")
		cmd.Stdin = bytes.NewReader(text)
		if out, err = cmd.Output(); err != nil {
			t.Fatal(err)
		}
		arcs["py0.gz"] = out
	}
	python := func(b []byte) string { // repr(bytes), from python3 itself
		if _, err := exec.LookPath("python3"); err != nil {
			return ""
		}
		cmd := exec.Command("python3", "-c", "import sys; print('DATA = %r' % sys.stdin.buffer.read())")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	xxd := func(b []byte) string { // xxd -i, from xxd itself
		if _, err := exec.LookPath("xxd"); err != nil {
			return ""
		}
		cmd := exec.Command("xxd", "-i")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return "unsigned char blob[] = {\n" + string(out) + "};\n"
	}
	xxdp := func(b []byte) string { // xxd -p: hex in lines of 60 digits
		if _, err := exec.LookPath("xxd"); err != nil {
			return ""
		}
		cmd := exec.Command("xxd", "-p")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	java := func(b []byte) string { // a byte[] javac compiles: a cast above 0x7f
		vals := make([]string, len(b))
		for i, c := range b {
			vals[i] = fmt.Sprintf("0x%02x", c)
			if c > 0x7f {
				vals[i] = "(byte) " + vals[i]
			}
		}
		src := "class Embed {\n  static final byte[] DATA = new byte[] {\n    " + strings.Join(vals, ", ") + "\n  };\n}\n"
		if _, err := exec.LookPath("javac"); err == nil {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "Embed.java"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("javac", "-d", dir, filepath.Join(dir, "Embed.java")).CombinedOutput(); err != nil {
				t.Fatalf("javac: %v: %s", err, out)
			}
		}
		return src
	}
	kotlin := func(upper, unsigned bool) func([]byte) string { // byteArrayOf(0x1f, 0x8b.toByte(), …)
		return func(b []byte) string {
			vals := make([]string, len(b))
			for i, c := range b {
				f := "0x%02x"
				if upper {
					f = "0x%02X"
				}
				if unsigned {
					f += "u"
				}
				vals[i] = fmt.Sprintf(f, c)
				if c > 0x7f || unsigned {
					vals[i] += ".toByte()"
				}
			}
			return "val data = byteArrayOf(\n    " + strings.Join(vals, ", ") + "\n)\n"
		}
	}
	type notation struct {
		file, enc string
		write     func([]byte) string
		formats   []string // the archives it is looked for in (the prefilter's patterns)
	}
	all := []string{"a.tgz", "a.txz", "a.tbz", "a.tzst", "a.7z", "a.zip", "c.gz", "c.xz", "go.gz", "py.gz", "py0.gz"}
	// In lower-case escapes gzip is anchored by the end of the header that
	// Go and Python write (no name, OS 255, or zlib's XFL 2 and OS 3 of
	// Python's mtime=0), and GNU gzip's (XFL 0, OS 3: qa13 MEDIUM-9's
	// leftover), which tar czf and gzip write; bzip2 by its magic, escaped
	// or plain as Python's repr writes it (qa14 MEDIUM-1).
	goWritten := []string{"go.gz", "py.gz", "py0.gz", "a.tgz", "c.gz", "a.tbz"}
	for _, n := range []notation{
		{"bindata.go", "string-escape", func(b []byte) string {
			return "package main\n\nvar _configProdYaml = []byte(\"" + goEscapes(b) + "\")\n"
		}, append(goWritten, "a.txz", "c.xz", "a.tzst")},
		{"upper.c", "string-escape", func(b []byte) string {
			return "const char x[] = \"" + strings.ReplaceAll(strings.ToUpper(goEscapes(b)), `\X`, `\x`) + "\";\n"
		}, []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz", "a.tbz"}},
		{"embed.py", "string-escape", python, append(goWritten, "a.zip", "a.txz", "c.xz", "a.tzst")},
		{"embed.c", "byte-array", xxd, []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz"}},
		{"embed.go", "byte-array", func(b []byte) string {
			return "package main\n\nvar blob = []byte{\n  " + xxdList(b) + ",\n}\n"
		}, nil}, // keyscan scan's Go analysis finds these (analyzer/archives.go)
		{"embed.hex", "hex", func(b []byte) string { return hex.EncodeToString(b) + "\n" }, []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz", "a.7z", "a.zip"}},
		{"dump.xxdp", "hex", xxdp, []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz", "a.7z", "a.zip"}},
		{"dump.XXDP", "hex", func(b []byte) string { return strings.ToUpper(xxdp(b)) }, []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz", "a.zip"}},
		{"Embed.java", "byte-array", java, []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz"}},
		{"embed.kt", "byte-array", kotlin(false, false), []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz"}},
		{"embed.kts", "byte-array", kotlin(true, true), []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz"}},
		{"dump.sql", "hex", func(b []byte) string {
			return "INSERT INTO `blobs` VALUES (1,0x" + strings.ToUpper(hex.EncodeToString(b)) + ");\n"
		}, []string{"a.tgz", "c.gz", "go.gz", "py.gz", "py0.gz", "a.zip"}},
	} {
		for _, a := range all {
			data, ok := arcs[a]
			if !ok {
				continue
			}
			src := n.write(data)
			if src == "" {
				t.Logf("%s: its tool is missing here: not checked", n.file)
				break
			}
			r := Scan(context.Background(), sc, n.file, []byte(src), DefaultOptions())
			var got []string
			for _, f := range r.Findings {
				if f.Secret == id {
					got = append(got, f.File)
				}
			}
			want := slices.Contains(n.formats, a)
			prefix := EmbeddedName(n.file, n.enc, data) + "!"
			if want && (len(got) != 1 || !strings.HasPrefix(got[0], prefix)) {
				t.Errorf("%s of %s: key ID found in %q, want in a member of %s (warnings %v)", n.file, a, got, prefix, r.Warnings)
			}
			if !want && len(got) > 0 {
				t.Logf("%s of %s: found too (%q)", n.file, a, got)
			}
		}
	}
}

// goGzip is data gzipped by Go's compress/gzip, as go-bindata does it.
func goGzip(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
