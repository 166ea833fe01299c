package scanner_test

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// toolDump returns what the real tool (od or xxd), with args, writes of
// text, or false where the tool is missing.
func toolDump(t *testing.T, text string, cmd ...string) ([]byte, bool) {
	t.Helper()
	if _, err := exec.LookPath(cmd[0]); err != nil {
		return nil, false
	}
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Stdin = strings.NewReader(text)
	dump, err := c.Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd, err)
	}
	return dump, true
}

// dumpNotations are the dumps of qa22 M1 and their kin: characters (od
// -c), octal bytes (od -b), little-endian words (od -x, od -t x4, od -t
// x8) and xxd -e's little-endian groups, with other offsets and widths.
var dumpNotations = [][]string{
	{"od", "-c"}, {"od", "-b"}, {"od", "-t", "x4"}, {"od", "-x"}, {"od", "-t", "x8"}, {"xxd", "-e"},
	{"od", "-A", "x", "-c"}, {"od", "-A", "d", "-b"}, {"od", "-w8", "-c"}, {"od", "-t", "x4z"},
	{"od", "-A", "x", "-t", "x4"}, {"xxd", "-e", "-g", "8"}, {"xxd", "-e", "-c", "8"}, {"od", "-t", "c"}, {"od", "-t", "o1"},
	// hide30: no offsets (od -An), told by their first two lines
	{"od", "-An", "-c"}, {"od", "-An", "-b"}, {"od", "-An", "-x"}, {"od", "-An", "-t", "x4"}, {"od", "-An", "-t", "x8"},
	{"od", "-An", "-w8", "-c"}, {"od", "-An", "-w32", "-x"}, {"od", "-An", "-t", "o1"},
}

// TestDumpNotationFiles is qa22 M1: a credentials file dumped by the real
// od and xxd in the notations above, at every alignment of the keys in a
// word, was read as no dump (od -c, od -b) or its words in the wrong
// order (od -t x4, xxd -e): nothing found. Both keys are found once, with
// encoding hexdump, and nothing is counted as undecoded; the same dumps of
// key-free text, of AWS's example keys and of a secret with no name or key
// ID beside it give nothing.
func TestDumpNotationFiles(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(2929)
	for _, cmd := range dumpNotations {
		if _, err := exec.LookPath(cmd[0]); err != nil {
			t.Logf("%v: no %s here: not checked", cmd, cmd[0])
			continue
		}
		for shift := 0; shift < 8; shift++ {
			id, secret := g.KeyID([]string{"AKIA", "ASIA"}[shift%2]), g.Secret()
			creds := strings.Repeat("#", shift) + "\n[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
			dump, _ := toolDump(t, creds, cmd...)
			fs, c := sc.ScanAllCounted("creds.dump", dump, 0)
			got := map[string]int{}
			for _, f := range fs {
				got[f.Secret]++
				if f.Encoding != "hexdump" && f.Encoding != "" {
					t.Errorf("%v shift %d: %s encoding %q", cmd, shift, scanner.Redact(f.Secret), f.Encoding)
				}
			}
			if len(fs) != 2 || got[id] != 1 || got[secret] != 1 || c.Undecoded != 0 {
				t.Errorf("%v shift %d: %v, %d undecoded; want the pair once", cmd, shift, summarize(fs), c.Undecoded)
			}
		}
		for i, text := range []string{
			"AKIA is how a key ID starts; ASIA a temporary one. AKIAxx AKIA-ASIA\nthe secret_access_key field\n",
			"[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
			"checksum: " + g.Secret() + "\nbuild 4711 of the report generator, all green\n",
		} {
			dump, _ := toolDump(t, text, cmd...)
			if fs, c := sc.ScanAllCounted("quiet.dump", dump, 0); len(fs) != 0 || c.Undecoded != 0 {
				t.Errorf("%v quiet %d: %v, %d undecoded", cmd, i, summarize(fs), c.Undecoded)
			}
		}
	}
}

// TestDumpNotationNearMisses: text that opens like such a dump and is
// none (an offset of zeros and a few words, cells with a letter too
// many, octal digits past 0377, too few groups) is read as it is, its key found plainly, nothing counted.
func TestDumpNotationNearMisses(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(2930)
	id, secret := g.KeyID("AKIA"), g.Secret()
	tail := "\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	for i, head := range []string{
		"0000000   a   b   c  dd   e",
		"0000000 133 144 145 446 141",
		"0000000 133 144 145",
		"0000000 is the colour black, 0000000   a   b   c   d",
	} {
		data := head + tail
		fs, c := sc.ScanAllCounted("notes.txt", []byte(data), 0)
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
			if f.Encoding != "" {
				t.Errorf("head %d: %s encoding %q", i, scanner.Redact(f.Secret), f.Encoding)
			}
		}
		if got[id] != 1 || got[secret] != 1 || c.Undecoded != 0 {
			t.Errorf("head %d: %v, %d undecoded; want the pair read plainly", i, summarize(fs), c.Undecoded)
		}
	}
}

// TestBareDumpLookalikes: files whose first lines start with a blank and
// hold numbers, as od -An's do, but are no dump (a table of octal-looking
// numbers, a CRC table, indented prose, an indented Makefile recipe, a
// dump of one line only), or are a dump of key-free text: nothing is
// found but the key written plainly after them, and nothing is counted
// as undecoded.
func TestBareDumpLookalikes(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3031)
	id, secret := g.KeyID("AKIA"), g.Secret()
	tail := "\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	quiet, _ := toolDump(t, "the AKIA prefix and the secret_access_key field, nothing else, twice over\n", "od", "-An", "-c")
	for i, head := range []string{
		" 100 200 300 255 017 001 002 003\n 100 200 300 255\n 400 500 600 700\n 123\n",
		" 00000000 77073096 ee0e612c 990951ba\n 076dc419 706af48f e963a535 9e6495a3\n 0edb8832 79dcb8a4 e0d5e91e 97d2d988\n",
		"   This manual describes the build.\n   It is indented by three blanks.\n",
		" \t$(CC) -o app main.c\n \t$(CC) -o test test.c\n",
		" 1234 5678 9abc def0 1234 5678 9abc def0\nsee above\n",
		"   a   b   c   d   e   f   g   h\n",
		string(quiet),
	} {
		data := head + tail
		fs, c := sc.ScanAllCounted("notes.txt", []byte(data), 0)
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
			if f.Encoding != "" {
				t.Errorf("head %d: %s encoding %q", i, scanner.Redact(f.Secret), f.Encoding)
			}
		}
		if len(fs) != 2 || got[id] != 1 || got[secret] != 1 || c.Undecoded != 0 {
			t.Errorf("head %d: %v, %d undecoded; want the pair read plainly", i, summarize(fs), c.Undecoded)
		}
	}
}

// BenchmarkDumpNotations: 16 MiB of key-free text dumped in each
// notation, read back whole (the hostile case of a dump file: nothing
// to find, every line read).
func BenchmarkDumpNotations(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var text strings.Builder
	for i := 0; text.Len() < 4<<20; i++ {
		fmt.Fprintf(&text, "line %d: the AKIA prefix and the secret_access_key field, nothing else\n", i)
	}
	for _, cmd := range [][]string{{"od", "-c"}, {"od", "-b"}, {"od", "-t", "x4"}, {"xxd", "-e"}, {"od", "-An", "-c"}, {"od", "-An", "-x"}} {
		b.Run(strings.Join(cmd, ""), func(b *testing.B) {
			if _, err := exec.LookPath(cmd[0]); err != nil {
				b.Skipf("no %s here", cmd[0])
			}
			c := exec.Command(cmd[0], cmd[1:]...)
			c.Stdin = strings.NewReader(text.String())
			dump, err := c.Output()
			if err != nil {
				b.Fatal(err)
			}
			dump = dump[:min(len(dump), 16<<20)]
			b.SetBytes(int64(len(dump)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				sc.ScanAll("big.dump", dump)
			}
			reportCPU(b, cpu, len(dump))
		})
	}
}
