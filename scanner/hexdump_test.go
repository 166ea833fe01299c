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

// FuzzHexdump reads any text as a hex dump, whole or spaced inside other
// text: no panic, findings inside the input.
func FuzzHexdump(f *testing.F) {
	f.Add([]byte("00000000: 5b64 6566 6175 6c74 5d0a 6177 735f 6163  [default].aws_ac\n00000010: 6365 7373  cess\n"))
	f.Add([]byte("00000000  5b 64 65 66 61 75 6c 74  5d 0a 61 77 73 5f 61 63  |[default].aws_ac|\n*\n00000020\n"))
	f.Add([]byte("0000000 645b 6665 7561 746c 0a5d 7761 5f73 6361\n0000020\n"))
	// od -c, od -b, od -t x8, xxd -e (oddump.go)
	f.Add([]byte("0000000   [   d   e   f  \\n 303  **   A\n0000010   K   I   A\n0000013\n"))
	f.Add([]byte("0000000 133 144 145 146 141 165 154 164\n0000010 101 113\n"))
	f.Add([]byte("0000000 65645b0a23232323 610a5d746c756166\n0000020 0000000000000a41\n"))
	f.Add([]byte("00000000: 6665645b 746c7561 77610a5d 63615f73  [default].aws_ac\n00000010: 31307a79     3332  yz0123\n"))
	// od -An: no offsets (bareDump)
	f.Add([]byte("   [   d   e   f   a   u   l   t   ]  \\n   a   w\n   c   e   s   s\n"))
	f.Add([]byte(" 133 144 145 146 141 165 154 164\n 101 113 111 101\n*\n"))
	f.Add([]byte(" 645b 6665 7561 746c 0a5d 7761 5f73 6361\n 6365 7373\n"))
	// dumps whose lines carry a log's prefix, tcpdump -X (loggedOffset)
	f.Add([]byte("x\n2026-01-02T10:00:00Z D 00000000: 2341 4b49  #AKI\n2026-01-02T10:00:00Z D 00000010: 4154  AT\n"))
	f.Add([]byte("h: 0000000 23 41 4b\nh: 0000020 49 41 5a\n\t0x0000:  2341 4b49 41  #AKIA\n\t0x0010:  41\n"))
	f.Add([]byte("a b: 00000000  23 41 4b 49  |#AKI|\na b: 00000010  41 53\n"))
	// spaced hex inside other text (spacedhex.go, enc26)
	f.Add([]byte("note\n 41 4b 49 41 32 33\n 41 41\n"))
	f.Add([]byte("x\n00000000  23 41 4b 49  41 5a |#AKIA|\n00000010  41 4b\n"))
	f.Add([]byte("x\n00000000: 2341 4b49 4154  #AKIAT\n00000010: 41\n"))
	f.Add([]byte("c = bytes.fromhex(\"41 4b 49 41 \"\n \"41 53\")\n# 41\n# 4b 49 41\nk: 41:4b:49:\n"))
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

// xxdDump returns what the real xxd, with args, writes of text, or skips
// the test where xxd is missing.
func xxdDump(t *testing.T, text string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("xxd"); err != nil {
		t.Skip("no xxd here: not checked")
	}
	c := exec.Command("xxd", args...)
	c.Stdin = strings.NewReader(text)
	dump, err := c.Output()
	if err != nil {
		t.Fatalf("xxd %v: %v", args, err)
	}
	return dump
}

// TestHexdumpBadLine is review15 A-1: a dump line that does not parse (a
// letter put among its groups) was dropped without a word and the lines
// around it joined. It is counted as undecoded, and the rest still read.
func TestHexdumpBadLine(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(43)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "# deploy user\n[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\nregion = eu-west-1\n"
	lines := bytes.SplitAfter(xxdDump(t, creds), []byte("\n"))
	// "00000020: 7373x 5f6b …" and "00000040: 5f61 x6363 …": words.
	lines[2] = append(append(append([]byte{}, lines[2][:14]...), 'x'), lines[2][14:]...)
	lines[4] = append(append(append([]byte{}, lines[4][:15]...), 'x'), lines[4][15:]...)
	dump := bytes.Join(lines, nil)
	fs, counts := sc.ScanAllCounted("d5.txt", dump, 0)
	if counts.Undecoded != 2 {
		t.Errorf("two lines that are no dump lines: %d undecoded, want 2 (findings %v)", counts.Undecoded, summarize(fs))
	}
	// A note below a dump is not a dump line either.
	_, counts = sc.ScanAllCounted("d6.txt", append(xxdDump(t, creds), "made with xxd on the build host\n"...), 0)
	if counts.Undecoded != 1 {
		t.Errorf("a note below the dump: %d undecoded, want 1", counts.Undecoded)
	}
}

// TestHexdumpColumnRule is review15 A-3: in xxd's ASCII column a "  |"
// after a hex letter made the line's groups end there, so the letter was
// read as a group, the line dropped and the key ID split across it lost.
func TestHexdumpColumnRule(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	id := fakekey.New(44).KeyID("AKIA")
	dump := xxdDump(t, "aws key table:\n\nc  |"+id+" |\n")
	fs, counts := sc.ScanAllCounted("d.txt", dump, 0)
	if len(fs) != 1 || fs[0].Secret != id || counts.Undecoded != 0 {
		t.Errorf("%v, %d undecoded; want the key ID, nothing undecoded", summarize(fs), counts.Undecoded)
	}
}

// TestHexdumpXxdOptions is review15 A-2: the README says xxd with any -g
// and -c; groups of 3 bytes (the last shorter), of 8, no groups (-g 0),
// three groups a line (-c 6) or two (-g 2 -c 4), one byte a line (-c 1)
// were no dump, their keys not found and nothing counted.
func TestHexdumpXxdOptions(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(45)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	for _, args := range [][]string{{"-g", "3"}, {"-g", "8"}, {"-g", "0"}, {"-c", "6"}, {"-g", "2", "-c", "4"}, {"-c", "1"}, {"-c", "48", "-g", "0"}, {"-g", "5", "-c", "7"},
		// the ASCII column, the hex run and the bytes read back hold a
		// key whole on one line: reported once (qa16 closing note)
		{"-c", "256", "-g", "0"}, {"-c", "256"}, {"-c", "64", "-g", "0"}, {"-c", "32"}, {"-c", "128", "-g", "4"}, {"-c", "80", "-g", "0"}} {
		dump := xxdDump(t, creds, args...)
		fs, counts := sc.ScanAllCounted("d.txt", dump, 0)
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
		}
		if len(fs) != 2 || got[id] != 1 || got[secret] != 1 || counts.Undecoded != 0 {
			t.Errorf("xxd %v: %v, %d undecoded; want the pair once", args, summarize(fs), counts.Undecoded)
		}
	}
}
