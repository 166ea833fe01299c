package scanner_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// regHex writes bytes as a .reg value's hex, "NAME"=hex(T): wrapped as
// regedit writes it (lines of at most 80 columns ending in ",\", the next
// indented by two blanks) when wrap is set, on one line otherwise.
func regHex(prefix string, b []byte, wrap, upper bool) string {
	var out strings.Builder
	line := prefix
	for i, c := range b {
		piece := fmt.Sprintf("%02x", c)
		if upper {
			piece = strings.ToUpper(piece)
		}
		if i < len(b)-1 {
			piece += ","
		}
		if wrap && len(line)+len(piece) > 77 {
			out.WriteString(line + "\\\r\n")
			line = "  "
		}
		line += piece
	}
	out.WriteString(line + "\r\n")
	return out.String()
}

// utf16LE is s in UTF-16LE with the terminating NUL regedit writes; with
// bom, a byte order mark first and no NUL (a whole file).
func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	if !bom {
		b = append(b, 0, 0)
	}
	return b
}

const regHead = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Environment]\r\n"

// TestRegistryHexValues is qa16 HIGH-2: a registry export's values written
// in hex (REG_EXPAND_SZ hex(2), REG_MULTI_SZ hex(7), REG_BINARY hex:, in
// UTF-16LE or, from REGEDIT4, in bytes) are decoded and their keys found at
// the value's lines, in a UTF-16LE file as regedit writes it and in UTF-8.
func TestRegistryHexValues(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(22)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	cases := []struct {
		name, text string
		wide       bool
	}{
		{"env.reg", regHead + regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, utf16LE(id, false), true, false) +
			regHex(`"AWS_SECRET_ACCESS_KEY"=hex(2):`, utf16LE(secret, false), true, false), true},
		{"env2.reg", regHead + regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, utf16LE(id, false), false, false) +
			regHex(`"AWS_SECRET_ACCESS_KEY"=hex(2):`, utf16LE(secret, false), false, false), false},
		{"upper.reg", regHead + regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, utf16LE(id, false), true, true) +
			regHex(`"AWS_SECRET_ACCESS_KEY"=hex(2):`, utf16LE(secret, false), true, true), false},
		{"multi.reg", regHead + regHex(`"Keys"=hex(7):`, utf16LE("profile=ci\x00AWS_ACCESS_KEY_ID="+id+"\x00AWS_SECRET_ACCESS_KEY="+secret+"\x00", false), true, false), true},
		{"bin.reg", regHead + regHex(`"Profile"=hex:`, []byte(creds), true, false), true},
		{"binwide.reg", regHead + regHex(`@=hex:`, utf16LE(creds, false), true, false), false},
		{"ansi.reg", "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Environment]\r\n" + regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, append([]byte(id), 0), true, false) +
			regHex(`"AWS_SECRET_ACCESS_KEY"=hex(2):`, append([]byte(secret), 0), true, false), false},
		// Another name, known by regedit's first line.
		{"export.txt", regHead + regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, utf16LE(id, false), true, false) +
			regHex(`"AWS_SECRET_ACCESS_KEY"=hex(2):`, utf16LE(secret, false), true, false), true},
	}
	for _, c := range cases {
		data := []byte(c.text)
		if c.wide {
			data = utf16LE(c.text, true)
		}
		fs, counts := sc.ScanAllCounted(c.name, data, 0)
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
			if f.Encoding != "registry-hex" || f.Line < 4 || f.Offset < 0 || f.EndOffset > len(data) {
				t.Errorf("%s: %s encoding %q line %d [%d,%d)", c.name, scanner.Redact(f.Secret), f.Encoding, f.Line, f.Offset, f.EndOffset)
			}
		}
		if len(fs) != 2 || got[id] != 1 || got[secret] != 1 || counts.Undecoded != 0 {
			t.Errorf("%s: %v, %d undecoded; want the pair once, nothing undecoded", c.name, summarize(fs), counts.Undecoded)
		}
	}
}

// TestRegistryHexGaps: a value whose hex stops before its line does is
// counted as not decoded whole; bytes that are no text are handed on as a
// binary member; the same values in a file that is no registry export
// are not read as one.
func TestRegistryHexGaps(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(23)
	id := g.KeyID("AKIA")
	cut := strings.Replace(regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, utf16LE(id, false), true, false), ",\\\r\n  ", ",x\\\r\n  ", 1)
	_, c := sc.ScanAllCounted("cut.reg", []byte(regHead+cut), 0)
	if c.Undecoded != 1 {
		t.Errorf("cut value: %d undecoded, want 1", c.Undecoded)
	}
	blob := append([]byte{0, 1, 2, 0xff, 0, 0, 7}, "aws_access_key_id = "+id+"\x00\x00\x9c\x01"...)
	_, c = sc.ScanAllCounted("blob.reg", []byte(regHead+regHex(`"State"=hex:`, blob, true, false)), 0)
	if len(c.Embedded) != 1 || c.Embedded[0].Encoding != "registry-hex" || string(c.Embedded[0].Data) != string(blob) {
		t.Errorf("binary value: embedded %d, want the value's bytes once", len(c.Embedded))
	}
	if fs := sc.Scan("notes.txt", []byte(regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, utf16LE(id, false), true, false))); len(fs) != 0 {
		t.Errorf("no export: %v, want nothing", summarize(fs))
	}
}

// FuzzRegistry reads any text as a registry export: no panic, findings
// inside the input.
func FuzzRegistry(f *testing.F) {
	g := fakekey.New(24)
	f.Add([]byte(regHead + regHex(`"AWS_ACCESS_KEY_ID"=hex(2):`, utf16LE(g.KeyID("AKIA"), false), true, false)))
	f.Add([]byte("REGEDIT4\n@=hex:41,4b,\\\n  49,41\n\"a\\\"b\"=hex(7):00,\\"))
	f.Add([]byte("\"x\"=hex(ffffffff):0"))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range sc.Scan("f.reg", data) {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
	})
}
