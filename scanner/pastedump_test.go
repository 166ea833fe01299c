package scanner_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestDumpNotationsPasted is hide32: a credentials file dumped by the real
// od and xxd in the notations with offsets that hold a key in no anchor
// (od -c, od -b, od -x, od -t x4, xxd -e, other offsets and widths),
// pasted into a Markdown page below other lines, into a quote, or logged
// line by line behind a log's prefix, was missed: only a file that is a
// dump from its first line was read back. Both keys are found, once each,
// with encoding hexdump, and nothing is counted as undecoded; the same
// pasted dumps of AWS's example keys and of a secret without a name give
// nothing.
func TestDumpNotationsPasted(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3206)
	paste := map[string]func(string, []string) string{
		"markdown": func(dump string, cmd []string) string {
			return "# Debugging the deploy\n\nThe file on the box:\n\n```\n$ " + strings.Join(cmd, " ") + " ~/.aws/credentials\n" + dump + "```\n\nThen it failed.\n"
		},
		"quote": func(dump string, _ []string) string {
			return "On Monday, ops wrote:\n\n" + strings.ReplaceAll("> "+strings.TrimSuffix(dump, "\n"), "\n", "\n> ") + "\n\nthanks\n"
		},
		"log": func(dump string, _ []string) string {
			var b strings.Builder
			b.WriteString("2026-01-04 02:14:07.113 INFO  dumping the credentials file\n")
			for _, l := range strings.Split(strings.TrimSuffix(dump, "\n"), "\n") {
				b.WriteString("2026-01-04 02:14:07.114 DEBUG " + l + "\n")
			}
			b.WriteString("2026-01-04 02:14:07.115 INFO  done\n")
			return b.String()
		},
	}
	for _, cmd := range dumpNotations {
		if _, err := exec.LookPath(cmd[0]); err != nil {
			t.Logf("%v: no %s here: not checked", cmd, cmd[0])
			continue
		}
		if cmd[1] == "-An" {
			continue // no offset to know them by: not read here
		}
		for shift := 0; shift < 4; shift++ {
			for how, p := range paste {
				id, secret := g.KeyID([]string{"AKIA", "ASIA"}[shift%2]), g.Secret()
				creds := strings.Repeat("#", shift) + "\n[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
				dump, _ := toolDump(t, creds, cmd...)
				text := p(string(dump), cmd)
				fs, c := sc.ScanAllCounted("notes.md", []byte(text), 0)
				got := map[string]int{}
				for _, f := range fs {
					got[f.Secret]++
					if f.Encoding != "hexdump" {
						t.Errorf("%v %s shift %d: %s encoding %q", cmd, how, shift, scanner.Redact(f.Secret), f.Encoding)
					}
				}
				if len(fs) != 2 || got[id] != 1 || got[secret] != 1 || c.Undecoded != 0 {
					t.Errorf("%v %s shift %d: %v, %d undecoded; want the pair once\n%s", cmd, how, shift, summarize(fs), c.Undecoded, text)
				}
			}
		}
		for how, p := range paste {
			for what, creds := range map[string]string{
				"example": "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
				"no name": "build checksum " + g.Secret() + "\n",
			} {
				dump, _ := toolDump(t, creds, cmd...)
				if fs := sc.Scan("notes.md", []byte(p(string(dump), cmd))); len(fs) != 0 {
					t.Errorf("%v %s %s: %v, want nothing", cmd, how, what, summarize(fs))
				}
			}
		}
	}
}

// TestPastedDumpLookalikes: text with offsets of zeros that starts no dump
// (a table of counters, a C array of zeros, a log's 000000 ids, a version
// string) gives nothing and counts nothing as undecoded.
func TestPastedDumpLookalikes(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, text := range []string{
		"id      count\n0000000 0 0 0 0\n0000001 1 1 1 1\n",
		"static const char z[] = \"0000000000000000000000000000000000000\";\nint a = 0x000000ff;\n",
		"req 000000 ok\nreq 000001 ok\n" + strings.Repeat("0", 10000) + "\n",
		"0000000: build v1.2.3 finished in 00:00:03\n",
		"commit 0000000 \n0000000   a   b   c\nnot a dump line\n",
	} {
		fs, c := sc.ScanAllCounted("notes.md", []byte("# notes\n\n"+text), 0)
		if len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("%q: %v, %d undecoded; want nothing", text, summarize(fs), c.Undecoded)
		}
	}
}

// TestPastedDumpNames: a dump pasted into a page, a note, a log or mail is
// read; one in source code is not looked for.
func TestPastedDumpNames(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3207)
	id, secret := g.KeyID("AKIA"), g.Secret()
	dump, ok := toolDump(t, "[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\n", "od", "-c")
	if !ok {
		t.Skip("no od here")
	}
	text := []byte("notes\n\n" + string(dump))
	for name, want := range map[string]bool{"README.md": true, "notes.txt": true, "app.log": true, "app.log.3": true, "typescript": true,
		"ISSUE.rst": true, "mail.eml": true, "page.html": true, "main.go": false, "x.py": false, "data.json": false} {
		fs := sc.Scan(name, text)
		if got := hasSecret(fs, id) && hasSecret(fs, secret); got != want {
			t.Errorf("%s: %v, want the pair %v", name, summarize(fs), want)
		}
	}
}

// FuzzPastedDumps: dumps pasted into pages and logs (the notations of
// dumpNotations, cut, edited, behind prefixes), and YAML blocks with values
// far below their names (nestedfar.go), scan without a panic and with the
// invariants every scan keeps.
func FuzzPastedDumps(f *testing.F) {
	g := fakekey.New(3230)
	creds := "[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
	for i, cmd := range dumpNotations {
		c := exec.Command(cmd[0], cmd[1:]...)
		c.Stdin = strings.NewReader(creds)
		dump, err := c.Output()
		if err != nil {
			continue
		}
		f.Add([]byte("# notes\n\n```\n"+string(dump)+"```\n"), uint8(i))
		f.Add([]byte("2026-01-04 INFO x\n2026-01-04 DEBUG "+strings.ReplaceAll(string(dump), "\n", "\n2026-01-04 DEBUG ")), uint8(i))
	}
	f.Add([]byte("AwsSecretAccessKey:\n  Description: >-\n"+strings.Repeat("    words words words\n", 60)+"  Default: "+g.Secret()+"\n"), uint8(0))
	f.Add([]byte("000000 0000000 00000000:\n0000000   a\n"), uint8(1))
	sc := newScanner(f, scanner.Options{})
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		name := []string{"notes.md", "app.log", "template.yaml", "typescript"}[int(mode)%4]
		checkInvariants(t, name, data, sc.Scan(name, data))
	})
}
