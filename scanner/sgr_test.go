package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestColouredValues is qa15 HIGH-23: terminal output saved to a file keeps
// its colour codes (ESC [ 33 m), and a key ID printed right after one is
// found: the code's final m is no part of the key ID's word. A letter m
// that ends no colour code still glues the key ID to a longer word.
func TestColouredValues(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 5; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		for _, code := range []string{"\x1b[33m", "\x1b[1m", "\x1b[1;31m", "\x1b[38;5;208m"} {
			// The secret after a colour code is not read yet: the key ID
			// is what stops the commit.
			pair := "aws_access_key_id = " + code + id + "\x1b[0m\naws_secret_access_key = " + code + secret + "\x1b[0m\n"
			if fs := sc.Scan("run.log", []byte(pair)); len(fs) == 0 || fs[0].Secret != id {
				t.Errorf("seed %d, code %q: %v, want the key ID", seed, code, summarize(fs))
			}
			if fs := sc.Scan("run.log", []byte("found key "+code+id+"\x1b[0m\n")); len(fs) != 1 || fs[0].Secret != id {
				t.Errorf("seed %d, code %q: %v, want the key ID", seed, code, summarize(fs))
			}
		}
		for _, glued := range []string{"program", "[33m", "x\x1b33m"} {
			if fs := sc.Scan("run.log", []byte("found key "+glued+id+"\n")); len(fs) != 0 {
				t.Errorf("seed %d: %q before the key ID: %v, want nothing", seed, glued, summarize(fs))
			}
		}
	}
}
