package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestTerminalSequences is qa15 HIGH-23 and qa16 HIGH-3 and HIGH-11:
// terminal output saved to a file keeps the control sequences that coloured
// it or moved the cursor, and a key printed right after one is found, the
// key ID and the secret: the sequence's last byte (m, K, H, B) is no part of
// the value's word. The ESC is raw or written as the file's notation writes
// it (a JSON log's \u001b, a script's \033 or \e, cat -v's ^[). A letter
// that ends no sequence still glues the key ID to a longer word.
func TestTerminalSequences(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	seqs := []string{"[33m", "[1m", "[1;31m", "[38;5;208m", "[0K", "[2K", "[K", "[?25h", "[H", "[2J", "(B", "7"}
	escs := []string{"\x1b", `\u001b`, `\u001B`, `\x1b`, `\033`, `\e`, "^[", "`e", "$([char]27)"}
	for seed := uint64(1); seed <= 3; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		for _, esc := range escs {
			for _, seq := range seqs {
				code := esc + seq
				pair := "aws_access_key_id = " + code + id + esc + "[0m\naws_secret_access_key = " + code + secret + esc + "[0m\n"
				fs := sc.Scan("run.log", []byte(pair))
				if !hasSecret(fs, id) || !hasSecret(fs, secret) && strings.HasPrefix(seq, "[") {
					t.Errorf("seed %d, code %q: %v, want both keys", seed, code, summarize(fs))
				}
				if fs := sc.Scan("run.log", []byte("found key "+code+id+esc+"[0m\n")); len(fs) != 1 || fs[0].Secret != id {
					t.Errorf("seed %d, code %q: %v, want the key ID", seed, code, summarize(fs))
				}
			}
		}
		// The 8-bit CSI (U+009B) raw, in UTF-8 or escaped, and SS3.
		for _, code := range []string{"\x9b0K", "\u009b0K", "\u009b1;31m", `\u009b0K`, `\x9b2K`, `\2330K`, "\x1bOA", `\eOB`} {
			if fs := sc.Scan("run.log", []byte("found key "+code+id+"\n")); len(fs) != 1 || fs[0].Secret != id {
				t.Errorf("seed %d, code %q: %v, want the key ID", seed, code, summarize(fs))
			}
		}
		// A JSON log line (docker's json-file driver, a notebook's output).
		rec := `{"log":"\u001b[32mAKIA` + id[4:] + `\u001b[0m\n","stream":"stdout"}` + "\n"
		if fs := sc.Scan("c-json.log", []byte(rec)); len(fs) != 1 || fs[0].Secret != id {
			t.Errorf("seed %d, JSON log: %v, want the key ID", seed, summarize(fs))
		}
		for _, glued := range []string{"program", "[33m", "x\x1b33m", "PROGRAM", "[0K", "x[0K"} {
			if fs := sc.Scan("run.log", []byte("found key "+glued+id+"\n")); len(fs) != 0 {
				t.Errorf("seed %d: %q before the key ID: %v, want nothing", seed, glued, summarize(fs))
			}
		}
	}
}

func hasSecret(fs []scanner.Finding, s string) bool {
	for _, f := range fs {
		if f.Secret == s {
			return true
		}
	}
	return false
}
