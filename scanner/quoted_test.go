package scanner_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// tool runs a real program with stdin in and returns its output; a test
// whose program is missing skips.
func tool(t *testing.T, in []byte, name string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed: %v", name, err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return out
}

// quoteLines puts q before every line of b, as sed 's/^/q/' does.
func quoteLines(b []byte, q string) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	var out strings.Builder
	for _, l := range lines {
		if l != "" {
			out.WriteString(q + l)
		}
	}
	return []byte(out.String())
}

// TestGzipInBase64Quoted is qa14 HIGH-5: a gzip'd credentials file in
// base64(1)'s lines, every line behind the same quote (an installer's
// payload as "# " comments, a mail reply's "> ", a "// " comment, a YAML
// block's indentation), is read as the bare lines are: every line of it,
// as one run. A run that ends before its gzip stream does (a payload cut
// short) gives what it holds, and is counted as not decoded whole.
func TestGzipInBase64Quoted(t *testing.T) {
	g := fakekey.New(5140)
	id, secret := g.KeyID("AKIA"), g.Secret()
	var text strings.Builder
	for i := range 200 {
		text.WriteString("setting_" + strings.Repeat("x", i%7) + " = value value value\n")
	}
	text.WriteString("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
	for range 200 {
		text.WriteString("other = x y z\n")
	}
	run := tool(t, tool(t, []byte(text.String()), "gzip", "-n"), "base64")
	if bytes.Count(run, []byte("\n")) < 3 {
		t.Fatalf("base64 wrote %d lines, want several", bytes.Count(run, []byte("\n")))
	}
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"# ", "> ", ">> ", "// ", "    ", "\t# ", "-- "} {
		data := append([]byte("#!/bin/sh\nsed -n 's/^# //p' \"$0\" | base64 -d | gunzip\nexit 0\n"), quoteLines(run, q)...)
		fs, c := s.ScanAllCounted("payload.sh", data, 0)
		got := map[string]bool{}
		for _, f := range fs {
			got[f.Secret] = true
		}
		if !got[id] || !got[secret] || c.Undecoded != 0 {
			t.Errorf("quote %q: %d findings, %d runs undecoded; want the key ID and its secret", q, len(fs), c.Undecoded)
		}
	}
	// Blanks that end every line (an editor's, a mailer's: qa14 HIGH-18),
	// bare, behind a quote, and before a CRLF.
	for _, tail := range []string{" ", "  ", "\t", " \r"} {
		trailed := bytes.ReplaceAll(run, []byte("\n"), []byte(tail+"\n"))
		for _, data := range [][]byte{trailed, quoteLines(trailed, "# ")} {
			fs, c := s.ScanAllCounted("trail.txt", data, 0)
			got := map[string]bool{}
			for _, f := range fs {
				got[f.Secret] = true
			}
			if !got[id] || !got[secret] || c.Undecoded != 0 {
				t.Errorf("lines ending in %q: %d findings, %d runs undecoded; want the key ID and its secret", tail, len(fs), c.Undecoded)
			}
		}
	}
	// Cut after its third line: the gzip stream ends early.
	lines := bytes.SplitAfter(run, []byte("\n"))
	cut := bytes.Join(lines[:3], nil)
	for _, data := range [][]byte{cut, quoteLines(cut, "> ")} {
		if _, c := s.ScanAllCounted("cut.txt", data, 0); c.Undecoded != 1 {
			t.Errorf("a gzip run cut short (%q…): %d runs undecoded, want 1", data[:8], c.Undecoded)
		}
	}
	// Its first line alone, as a wrapping the line joiner does not know
	// leaves it (qa15 HIGH-11): the gzip head and too little text to tell
	// text from data, still counted.
	flat := bytes.ReplaceAll(run, []byte("\n"), nil)
	for _, n := range []int{64, 76, 88} {
		if _, c := s.ScanAllCounted("head.txt", flat[:n], 0); c.Undecoded != 1 {
			t.Errorf("the first %d characters of a gzip run: %d runs undecoded, want 1", n, c.Undecoded)
		}
	}
}
