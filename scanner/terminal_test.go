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

// TestColourInsideValue is qa22 H1: grep --color=always, rg --color always
// and git grep colour the part of a line that was searched for, so their
// codes (ESC[01;31m ESC[K … ESC[m ESC[K; ESC[0m ESC[1m ESC[31m … ESC[0m)
// stand inside a key ID after its AKIA or inside a secret. The terminal
// shows the value whole: the codes read as nothing between two value
// characters, raw or written as a JSON log writes them.
func TestColourInsideValue(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 3; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		for _, esc := range []string{"\x1b", `\u001b`, `\x1b`, `\033`, `\e`} {
			grepOn, grepOff := esc+"[01;31m"+esc+"[K", esc+"[m"+esc+"[K"
			rgOn, rgOff := esc+"[0m"+esc+"[1m"+esc+"[31m", esc+"[0m"
			for _, cut := range []int{4, 9, 17} {
				for _, hl := range [][2]string{{grepOn, grepOff}, {rgOn, rgOff}} {
					lit := id[:cut] + hl[0] + id[cut:cut+2] + hl[1] + id[cut+2:]
					if fs := sc.Scan("grep.log", []byte("config.py:12:    key = \""+lit+"\"\n")); !hasSecret(fs, id) {
						t.Errorf("seed %d, key ID %q: %v, want the key ID", seed, lit, summarize(fs))
					}
					sl := secret[:2*cut] + hl[0] + secret[2*cut:2*cut+3] + hl[1] + secret[2*cut+3:]
					if fs := sc.Scan("rg.log", []byte("settings.py\n3:aws_secret_access_key = \""+sl+"\"\n")); !hasSecret(fs, secret) {
						t.Errorf("seed %d, secret %q: %v, want the secret", seed, sl, summarize(fs))
					}
				}
			}
		}
		// A highlighted word that ends the value, or codes among words,
		// join nothing.
		for _, text := range []string{
			"match \x1b[01;31m\x1b[KAKIA\x1b[m\x1b[K prefix in docs\n",
			"aws_secret_access_key: \x1b[1mbold\x1b[0m \x1b[31mred\x1b[0m words here\n",
		} {
			if fs := sc.Scan("grep.log", []byte(text)); len(fs) != 0 {
				t.Errorf("seed %d, %q: %v, want nothing", seed, text, summarize(fs))
			}
		}
	}
}
