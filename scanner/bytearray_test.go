package scanner_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestByteArrays is qa15 MEDIUM-5: a credentials file embedded with the
// real xxd -i (also -u's 0X, -c 8, inside other C++ code) gives both keys
// from its list of 0x bytes, at the list's lines, with encoding
// byte-array; a table of 0x constants that is no text gives nothing, and a
// Go file's lists (not a language that embeds files so) are not read.
func TestByteArrays(t *testing.T) {
	if _, err := exec.LookPath("xxd"); err != nil {
		t.Skip("no xxd here (.ci/run installs it)")
	}
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(51)
	id, secret := g.KeyID("AKIA"), g.Secret()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte("# ci user\n[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		wrap func(string) string
	}{
		{"creds.h", []string{"-i"}, nil},
		{"creds.c", []string{"-i", "-u"}, nil},
		{"creds.ino", []string{"-i", "-c", "8"}, nil},
		{"config.cpp", []string{"-i"}, func(s string) string {
			return "#include <cstdint>\nnamespace cfg {\n" + strings.ReplaceAll(s, "unsigned char", "static const std::uint8_t") + "}\n"
		}},
		// hide30: comma-first, each item on a line of its own after its comma
		{"commafirst.c", []string{"-i", "-c", "1"}, func(s string) string {
			return strings.ReplaceAll(s, ",\n  0x", "\n  , 0x")
		}},
	} {
		cmd := exec.Command("xxd", append(c.args, "credentials")...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("xxd %v: %v", c.args, err)
		}
		text := string(out)
		if c.wrap != nil {
			text = c.wrap(text)
		}
		fs := sc.Scan(c.name, []byte(text))
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
			if f.Encoding != "byte-array" || f.Line < 2 {
				t.Errorf("%s: %s encoding %q line %d", c.name, scanner.Redact(f.Secret), f.Encoding, f.Line)
			}
		}
		if len(fs) != 2 || got[id] != 1 || got[secret] != 1 {
			t.Errorf("%s: %v, want the pair once", c.name, summarize(fs))
		}
		if c.name == "creds.h" {
			if fs := sc.Scan("creds.go", []byte(text)); len(fs) != 0 {
				t.Errorf("a Go file: %v, want nothing", summarize(fs))
			}
		}
	}
	var table strings.Builder
	table.WriteString("static const unsigned char crc[] = {")
	for i := range 64 {
		fmt.Fprintf(&table, "0x%02x, ", (i*37)%256)
	}
	table.WriteString("};\n")
	if fs := sc.Scan("crc.c", []byte(table.String())); len(fs) != 0 {
		t.Errorf("a table: %v, want nothing", summarize(fs))
	}
}

// FuzzByteArrays reads any text as a C file's lists: no panic, findings
// inside the input.
func FuzzByteArrays(f *testing.F) {
	f.Add([]byte("unsigned char c[] = {\n  0x5b, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x5d, 0x0a, 0x61, 0x77,\n  0x73, 0x5f, 0x61, 0x63, 0x63\n};"))
	f.Add([]byte("0X41,0x4b , 0x49,\t0x41,\r\n0x"))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range sc.Scan("f.c", data) {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
	})
}
