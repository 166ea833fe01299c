package scanner_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestHexdumpFiles is qa14's leftover: a credentials file dumped by the
// real xxd (groups of 2 and 1 bytes, 32 a line, upper case), hexdump -C,
// od with an ASCII column, od's bytes without one, and the little-endian
// words of od -x and plain hexdump is read back and both keys found, each
// at the dump's line that holds its start, with encoding hexdump (or
// plainly in the ASCII column, where a line holds it whole).
func TestHexdumpFiles(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(41)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "# deploy user\n[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\nregion = eu-west-1\n"
	for _, cmd := range [][]string{
		{"xxd"}, {"xxd", "-g1"}, {"xxd", "-c", "32"}, {"xxd", "-u"}, {"hexdump", "-C"},
		{"od", "-A", "x", "-t", "x1z"}, {"od", "-t", "x1"}, {"od", "-x"}, {"hexdump"},
	} {
		if _, err := exec.LookPath(cmd[0]); err != nil {
			t.Logf("%v: no %s here: not checked", cmd, cmd[0])
			continue
		}
		c := exec.Command(cmd[0], cmd[1:]...)
		c.Stdin = strings.NewReader(creds)
		dump, err := c.Output()
		if err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
		fs := sc.Scan("dump.txt", dump)
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
			line := dump[f.Offset-(f.Column-1):]
			line = line[:bytes.IndexByte(line, '\n')]
			// A value whole in a line's ASCII column is found there, plainly.
			if f.Encoding != "hexdump" && f.Encoding != "" || f.Line < 2 || !bytes.HasPrefix(line, []byte("0")) {
				t.Errorf("%v: %s encoding %q at line %d %q", cmd, scanner.Redact(f.Secret), f.Encoding, f.Line, line)
			}
		}
		if len(fs) != 2 || got[id] != 1 || got[secret] != 1 {
			t.Errorf("%v: %v, want the pair once", cmd, summarize(fs))
		}
	}
	// Binary bytes dumped are a member of the file, read for their runs.
	bin := append([]byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0}, "aws_access_key_id="+id+"\x00\x00\x01"...)
	if _, err := exec.LookPath("xxd"); err == nil {
		c := exec.Command("xxd")
		c.Stdin = bytes.NewReader(bin)
		dump, err := c.Output()
		if err != nil {
			t.Fatal(err)
		}
		_, counts := sc.ScanAllCounted("bin.txt", dump, 0)
		if len(counts.Embedded) != 1 || !bytes.Equal(counts.Embedded[0].Data, bin) || counts.Embedded[0].Encoding != "hexdump" {
			t.Errorf("binary dump: %d members, want its bytes once", len(counts.Embedded))
		}
	}
	// Text that starts with zeros and is no dump is read as it is.
	for _, text := range []string{"000000 is the colour black\n" + creds, "0000000000000000 nothing\n"} {
		for _, f := range sc.Scan("notes.txt", []byte(text)) {
			if f.Encoding != "" {
				t.Errorf("no dump: %s encoding %q", scanner.Redact(f.Secret), f.Encoding)
			}
		}
	}
}

// FuzzHexdump reads any text as a hex dump: no panic, findings inside the
// input.
func FuzzHexdump(f *testing.F) {
	f.Add([]byte("00000000: 5b64 6566 6175 6c74 5d0a 6177 735f 6163  [default].aws_ac\n00000010: 6365 7373  cess\n"))
	f.Add([]byte("00000000  5b 64 65 66 61 75 6c 74  5d 0a 61 77 73 5f 61 63  |[default].aws_ac|\n*\n00000020\n"))
	f.Add([]byte("0000000 645b 6665 7561 746c 0a5d 7761 5f73 6361\n0000020\n"))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, c := sc.ScanAllCounted("d.txt", data, 0)
		for _, fd := range fs {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
		for _, e := range c.Embedded {
			if len(e.Data) > len(data) {
				t.Fatalf("member of %d bytes from a dump of %d", len(e.Data), len(data))
			}
		}
	})
}
