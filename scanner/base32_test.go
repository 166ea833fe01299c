package scanner_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base32"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBase32 is qa16 MEDIUM-6: base32 (RFC 4648, padded or not, on one
// line or wrapped as coreutils base32 wraps it) of a credentials file, or
// of a key ID and secret with no keyword, is decoded at each of the five
// byte alignments; the base32 of a gzip or a zip is kept for the caller
// to open; upper-case words and base32 of other bytes give nothing.
func TestBase32(t *testing.T) {
	g := fakekey.New(23200)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := func(name string, text []byte) map[string]int {
		got := map[string]int{}
		for _, f := range s.Scan(name, text) {
			got[f.Secret] = f.Line
		}
		return got
	}
	for i := range 5 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		cred := []byte(strings.Repeat("#", i) + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
		bare := []byte(strings.Repeat(" ", i) + `{"id": "` + id + `", "key": "` + secret + `"}`)
		for _, enc := range []*base32.Encoding{base32.StdEncoding, base32.StdEncoding.WithPadding(base32.NoPadding)} {
			for _, p := range [][]byte{cred, bare} {
				text := []byte("BLOB = \"" + enc.EncodeToString(p) + "\"  # base64.b32decode(BLOB)\n")
				if got := found("blob.py", text); got[id] != 1 || got[secret] != 1 {
					t.Errorf("alignment %d, %q: found %v, want the key ID and its secret on line 1", i, p[:12], got)
				}
			}
		}
		// wrapped at 76 by coreutils (CRLF too), or at 64 with indentation
		run := base32.StdEncoding.EncodeToString(cred)
		var wrapped, crlf, yaml strings.Builder
		yaml.WriteString("data: |\n")
		for k := 0; k < len(run); k += 76 {
			wrapped.WriteString(run[k:min(len(run), k+76)] + "\n")
			crlf.WriteString(run[k:min(len(run), k+76)] + "\r\n")
		}
		for k := 0; k < len(run); k += 64 {
			yaml.WriteString("  " + run[k:min(len(run), k+64)] + "\n")
		}
		for name, text := range map[string]string{"c.b32": wrapped.String(), "crlf.b32": crlf.String(), "s.yaml": yaml.String()} {
			if got := found(name, []byte(text)); got[id] == 0 || got[secret] == 0 {
				t.Errorf("alignment %d, %s: found %v, want the key ID and its secret", i, name, got)
			}
		}
		if _, err := exec.LookPath("base32"); err == nil && i == 0 {
			cmd := exec.Command("base32", "-w", "76")
			cmd.Stdin = bytes.NewReader(cred)
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			if out := string(out); out != wrapped.String() {
				t.Fatalf("coreutils base32 wrote %q, want %q", out, wrapped.String())
			}
		}
		// a gzip, a zip: kept for the caller (content.Scan) to open
		var gz, zb bytes.Buffer
		gw := gzip.NewWriter(&gz)
		gw.Write(cred)
		gw.Close()
		zw := zip.NewWriter(&zb)
		w, _ := zw.Create("credentials")
		w.Write(cred)
		zw.Close()
		for name, payload := range map[string][]byte{"gzip": gz.Bytes(), "zip": zb.Bytes()} {
			text := []byte("DATA = '" + base32.StdEncoding.EncodeToString(payload) + "'\n")
			if _, c := s.ScanAllCounted("a.py", text, 0); len(c.Embedded) != 1 || !bytes.Equal(c.Embedded[0].Data, payload) {
				t.Errorf("%s in base32: %d members kept, want the stream", name, len(c.Embedded))
			}
		}
	}
	// upper-case words that hold a fingerprint, and base32 of text with
	// no key, give nothing
	benign := "const IFFUSQ_MODE = 1 // QKLJFA BJNEU MF3XGXQXO427 D6FQQXYZ\n" +
		"X = \"" + base32.StdEncoding.EncodeToString([]byte("[default]\naws_region = eu-west-1\noutput = json\n")) + "\"\n" +
		"Y = \"AAAAIFFUSQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\n"
	if fs, c := s.ScanAllCounted("b.go", []byte(benign), 0); len(fs) != 0 || len(c.Embedded) != 0 {
		t.Errorf("benign base32: %d findings, %d members, want none", len(fs), len(c.Embedded))
	}
}

// FuzzBase32 reads any text around base32 anchors: no panic, findings
// inside the input, no member larger than the input.
func FuzzBase32(f *testing.F) {
	fuzzBounds(f, "f.txt", 1, []byte("X = \"IFFUSQ\"\n"),
		[]byte("MF3XGX"+strings.Repeat("A", 76)+"\n"+strings.Repeat("B", 76)+"\nCD==\n"),
		[]byte("D6FQQ\r\n\r\nKBFQGB====\n  AUWSKB  \n"))
}

// fuzzBounds fuzzes the scan of a file called name from seeds: no panic,
// findings inside the input, no member larger than grow times the input
// (Ascii85's z is four bytes in one character).
func fuzzBounds(f *testing.F, name string, grow int, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, c := sc.ScanAllCounted(name, data, 0)
		for _, fd := range fs {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
		for _, e := range c.Embedded {
			if len(e.Data) > grow*len(data) {
				t.Fatalf("member of %d bytes from %d bytes", len(e.Data), len(data))
			}
		}
	})
}
