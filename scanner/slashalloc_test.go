package scanner

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// TestSlashSpanAllocs is review15 A-7: a base64 run read through JSON's \/
// escapes gathered its characters into new memory at every decode, and head's
// answer moved to the heap at every span. With the scratch buffer grown once, neither allocates.
func TestSlashSpanAllocs(t *testing.T) {
	text := []byte(strings.Repeat("???[default]\naws_region = eu-west-1\n", 8))
	enc := base64.StdEncoding.EncodeToString(text)
	if !strings.Contains(enc, "/") {
		t.Fatalf("%s: no / to escape", enc)
	}
	head := `{"blob": "`
	d := []byte(head + strings.ReplaceAll(enc, "/", `\/`) + `"}`)
	at := len(head)
	sp, ok := slashRun(d, at, b64RunEnd(d, at), nil)
	if !ok || !sp.gathered {
		t.Fatal("no run read through the escapes")
	}
	buf := sp.decode(d, nil)
	if !bytes.Equal(buf, text) {
		t.Fatalf("decoded %q, want %q", buf, text)
	}
	if !bytes.Equal(sp.head(d, new([18]byte)), text[:18]) {
		t.Fatalf("head %q, want %q", sp.head(d, new([18]byte)), text[:18])
	}
	if n := testing.AllocsPerRun(20, func() { buf = sp.decode(d, buf) }); n != 0 {
		t.Errorf("decode: %.0f allocations a run, want 0", n)
	}
	var h [18]byte
	if n := testing.AllocsPerRun(20, func() { sp.head(d, &h) }); n != 0 {
		t.Errorf("head: %.0f allocations a run, want 0", n)
	}
}
