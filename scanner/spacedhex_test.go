package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// spacedDump writes text as the dump tools write it, with blanks between
// the bytes' hex (enc26): od -An -tx1, od -tx1 (octal offsets), hexdump -C
// (two blanks in the middle, an ASCII column), xxd (groups of two bytes, a
// colon offset, an ASCII column), xxd -g1, PowerShell's Format-Hex (upper
// case, three blanks), openssl's colons and pairs behind tabs.
func spacedDump(format, text string) string {
	var b strings.Builder
	for off := 0; off < len(text); off += 16 {
		row := text[off:min(off+16, len(text))]
		switch format {
		case "od":
			for i := 0; i < len(row); i++ {
				fmt.Fprintf(&b, " %02x", row[i])
			}
		case "od-offset":
			fmt.Fprintf(&b, "%07o", off)
			for i := 0; i < len(row); i++ {
				fmt.Fprintf(&b, " %02x", row[i])
			}
		case "hexdump-C":
			fmt.Fprintf(&b, "%08x ", off)
			for i := 0; i < 16; i++ {
				if i == 8 {
					b.WriteByte(' ')
				}
				if i < len(row) {
					fmt.Fprintf(&b, " %02x", row[i])
				} else {
					b.WriteString("   ")
				}
			}
			fmt.Fprintf(&b, "  |%s|", printable(row))
		case "xxd", "xxd-g1":
			fmt.Fprintf(&b, "%08x:", off)
			for i := 0; i < len(row); i++ {
				if format == "xxd-g1" || i%2 == 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%02x", row[i])
			}
			fmt.Fprintf(&b, "  %s", printable(row))
		case "openssl": // x509 -text's and asn1parse's colons, a colon at each line's end but the last
			b.WriteString("    ")
			for i := 0; i < len(row); i++ {
				if i > 0 {
					b.WriteByte(':')
				}
				fmt.Fprintf(&b, "%02x", row[i])
			}
			if off+16 < len(text) {
				b.WriteByte(':')
			}
		case "tabs":
			for i := 0; i < len(row); i++ {
				fmt.Fprintf(&b, "%02x\t", row[i])
			}
		case "tcpdump": // tcpdump -X: a tab, a 0x offset, words of two bytes, an ASCII column
			fmt.Fprintf(&b, "\t0x%04x:  ", off)
			var words []string
			for i := 0; i < len(row); i += 2 {
				words = append(words, fmt.Sprintf("%x", row[i:min(i+2, len(row))]))
			}
			fmt.Fprintf(&b, "%-39s  %s", strings.Join(words, " "), printable(row))
		case "format-hex":
			fmt.Fprintf(&b, "%08X  ", off)
			for i := 0; i < len(row); i++ {
				fmt.Fprintf(&b, " %02X", row[i])
			}
			fmt.Fprintf(&b, "   %s", printable(row))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '.'
		}
		return r
	}, s)
}

// TestSpacedHexInText: a key pair, and a credentials file, dumped with
// blanks between the bytes and pasted into other text (a note, a script's
// comment, a Python bytes.fromhex call) at every place of the key ID in a
// dump's line is found, both values, with encoding hexdump; key-free dumps
// and code's numbers after a blank are not, and no gap is counted.
func TestSpacedHexInText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	layouts := map[string]func(dump string) string{
		"note.md": func(dump string) string { return "What the box held:\n\n" + dump + "\nThat was all.\n" },
		"run.sh": func(dump string) string {
			return "#!/bin/sh\necho hi\n" + strings.ReplaceAll("# "+strings.TrimSuffix(dump, "\n"), "\n", "\n# ") + "\n"
		},
		"main.go": func(dump string) string {
			return "package x\n\n" + strings.ReplaceAll("// "+strings.TrimSuffix(dump, "\n"), "\n", "\n// ") + "\n"
		},
		"crlf.txt": func(dump string) string { return "dump:\r\n" + strings.ReplaceAll(dump, "\n", "\r\n") },
	}
	for seed := uint64(1); seed <= 2; seed++ {
		g := fakekey.New(2600 + seed)
		for _, prefix := range []string{"AKIA", "ASIA"} {
			id, secret := g.KeyID(prefix), g.Secret()
			for shift := 0; shift < 16; shift++ {
				pad := strings.Repeat("#", shift)
				texts := []string{
					pad + id + " " + secret + "\n",
					pad + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n",
				}
				for ti, text := range texts {
					for _, format := range []string{"od", "od-offset", "hexdump-C", "xxd", "xxd-g1", "format-hex", "openssl", "tabs"} {
						for name, layout := range layouts {
							data := layout(spacedDump(format, text))
							expectPair(t, sc, fmt.Sprintf("%s %s shift %d text %d %s", prefix, format, shift, ti, name), name, data, id, secret)
						}
					}
					// Python's bytes.fromhex takes blanks between the pairs.
					var pairs []string
					for i := 0; i < len(text); i++ {
						pairs = append(pairs, fmt.Sprintf("%02x", text[i]))
					}
					data := "import base64\ncreds = bytes.fromhex(\"" + strings.Join(pairs, " ") + "\")\n"
					expectPair(t, sc, fmt.Sprintf("%s fromhex shift %d text %d", prefix, shift, ti), "c.py", data, id, secret)
					for _, sep := range []string{",", ", ", "-", ":"} {
						for _, data := range []string{"k = '" + strings.Join(pairs, sep) + "'\n", "k: " + strings.Join(pairs, sep) + "\n"} {
							expectPair(t, sc, fmt.Sprintf("%s %q shift %d text %d", prefix, sep, shift, ti), "k.txt", data, id, secret)
						}
					}
				}
			}
		}
	}
	// Key-free: the dump of text with key prefixes that start no key ID,
	// and code whose numbers stand after a blank.
	quiet := []string{
		"notes\n" + spacedDump("od", "AKIA is how a key ID starts; ASIA a temporary one. AKIAxx\n") + "end\n",
		"notes\n" + spacedDump("hexdump-C", "the AKIA prefix\nASIA: AKIA-ASIA\n") + "end\n",
		"x := []int{40, 41, 42}\ny = 41\ncase 41:\n// 41 4b 49 41 is what we compare\nf( 41 , 4b)\n",
		"a 41 4b 49 41 b\n 41 4b 49 41\n",
		"12:41 and 2020-41 or x,41,4b,49,41,q\n",
	}
	for i, text := range quiet {
		fs, c := sc.ScanAllCounted("q.txt", []byte(text), 0)
		if len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("quiet %d: %v, %d undecoded", i, summarize(fs), c.Undecoded)
		}
	}
}

// expectPair scans data and wants the key ID and the secret once each,
// with encoding hexdump, and no gap.
func expectPair(t *testing.T, sc *scanner.Scanner, what, name, data, id, secret string) {
	t.Helper()
	fs, c := sc.ScanAllCounted(name, []byte(data), 0)
	got := map[string]int{}
	for _, f := range fs {
		got[f.Secret]++
		if f.Encoding != "hexdump" {
			t.Errorf("%s: %s encoding %q", what, scanner.Redact(f.Secret), f.Encoding)
		}
	}
	if got[id] != 1 || got[secret] != 1 || c.Undecoded != 0 {
		t.Errorf("%s: %v, %d undecoded, want the pair once", what, summarize(fs), c.Undecoded)
	}
}

// TestLoggedDumps is hide30's dumps inside a log: a dump whose every line
// carries the log's prefix (a timestamp, a level, a syslog tag) before its
// offset, as a program that logs a dump line by line writes it, or
// tcpdump -X's lines under a packet's header, at every place of the key
// ID in a line: both values are found once, with encoding hexdump. The
// same dumps of key-free text, of AWS's example keys, of a secret with no
// key ID beside it, and log lines whose numbers stand after an offset-like
// word give nothing.
func TestLoggedDumps(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	prefixes := []string{
		"2026-01-02T10:00:00.123Z DEBUG body: ",
		"Jan  2 10:00:00 host app[4242]: ",
		"2026-01-02 10:00:00,123 - app - DEBUG - ",
		"2026-01-02T10:00:00.123456789Z ",
	}
	logged := func(prefix, dump string) string {
		return "2026-01-02T09:59:59Z INFO request follows\n" + strings.ReplaceAll(prefix+strings.TrimSuffix(dump, "\n"), "\n", "\n"+prefix) + "\n2026-01-02T10:00:01Z INFO done\n"
	}
	g := fakekey.New(3032)
	for _, prefix := range []string{"AKIA", "ASIA"} {
		id, secret := g.KeyID(prefix), g.Secret()
		for shift := 0; shift < 16; shift++ {
			text := strings.Repeat("#", shift) + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
			for _, format := range []string{"xxd", "xxd-g1", "hexdump-C", "od-offset"} {
				for pi, p := range prefixes {
					expectPair(t, sc, fmt.Sprintf("%s %s shift %d prefix %d", prefix, format, shift, pi), "app.log", logged(p, spacedDump(format, text)), id, secret)
				}
			}
			data := "12:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.80: Flags [P.], length 99\n" + spacedDump("tcpdump", "POST / HTTP/1.1\r\n\r\n"+text)
			expectPair(t, sc, fmt.Sprintf("%s tcpdump shift %d", prefix, shift), "capture.txt", data, id, secret)
		}
	}
	quiet := []string{
		logged(prefixes[0], spacedDump("xxd", "AKIA is how a key ID starts; ASIA a temporary one. AKIAxx\n")),
		logged(prefixes[1], spacedDump("hexdump-C", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")),
		logged(prefixes[2], spacedDump("xxd", "checksum: "+g.Secret()+"\nbuild 4711 of the report generator\n")),
		spacedDump("tcpdump", "GET /AKIA/ASIA HTTP/1.1\r\nHost: example.com\r\n\r\n"),
		"2026-01-02T10:00:00Z INFO commit 1a2b3c4d: 41 4b 49 41 files changed\n2026-01-02T10:00:00Z INFO 0x0010: 41 4b 49 41 registers\n",
	}
	for i, text := range quiet {
		fs, c := sc.ScanAllCounted("q.log", []byte(text), 0)
		if len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("quiet %d: %v, %d undecoded", i, summarize(fs), c.Undecoded)
		}
	}
}
