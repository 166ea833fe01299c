package history_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestMessageEncodingHeader (qa16 HIGH-24): a commit whose encoding header
// names the message's encoding (IBM037, UTF-16), which git log decodes, is
// scanned decoded; a Latin-1 one by its bytes; one in an encoding keyscan
// does not know is counted as not decoded (--strict and the gate fail),
// whatever its raw bytes' scan finds.
func TestMessageEncodingHeader(t *testing.T) {
	g := fakekey.New(2124)
	id := g.KeyID("AKIA")
	text := "Rotate the deploy user\n\naws_access_key_id=" + id + "\naws_secret_access_key=" + g.Secret() + "\n"
	ebcdic, err := charmap.CodePage037.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		enc, msg  string
		found     bool
		undecoded int
	}{
		{"IBM037", ebcdic, true, 0},
		{"UTF-16", utf16, true, 0},
		{"ISO-8859-1", text + "caf\xe9\n", true, 0},
		// Not decoded by its header, so counted; the raw bytes' own scan
		// still reads EBCDIC text (qa16 HIGH-12) and finds the key.
		{"x-no-such-encoding", ebcdic, true, 1},
	} {
		r := newGitRepo(t)
		r.write("README", "hi\n")
		head := r.commit("init")
		tree := r.git("rev-parse", "HEAD^{tree}")
		obj := "tree " + tree + "\nparent " + head + "\nauthor a <a@b> 1700000000 +0000\ncommitter a <a@b> 1700000000 +0000\nencoding " + tc.enc + "\n\n" + tc.msg
		c := r.runInput(obj, "hash-object", "-t", "commit", "-w", "--stdin")
		r.git("update-ref", "refs/heads/main", c)
		res := scanRepo(t, r.dir, history.Options{})
		found := false
		for _, f := range res.Findings {
			if f.Secret == id && strings.HasPrefix(f.File, "commit "+c[:12]+" message") {
				found = true
			}
		}
		if found != tc.found || res.Stats.Undecoded != tc.undecoded {
			t.Errorf("%s: key found %v, undecoded %d; want %v and %d (%v)", tc.enc, found, res.Stats.Undecoded, tc.found, tc.undecoded, res.Warnings)
		}
	}
}
