package scanner_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// castFile writes an asciinema recording (asciicast v2) of the output
// events outs, one event a line.
func castFile(t testing.TB, outs []string) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"version": 2, "width": 120, "height": 30, "timestamp": 1764500000, "env": {"SHELL": "/bin/bash", "TERM": "xterm-256color"}}` + "\n")
	for i, o := range outs {
		ev, err := json.Marshal([]any{0.08 * float64(i+1), "o", o})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(ev)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// typed is the echo of text typed a few keystrokes an event, with a shell's
// colouring around some of them and a mistyped character erased.
func typed(r *rand.Rand, text string) []string {
	var outs []string
	for i := 0; i < len(text); {
		n := 1 + r.IntN(3)
		if i+n > len(text) {
			n = len(text) - i
		}
		s := text[i : i+n]
		switch r.IntN(6) {
		case 0:
			s = "\x1b[32m" + s + "\x1b[0m" // zsh's highlighting
		case 1:
			outs = append(outs, "x")
			s = "\b \b" + s // a typo erased
		}
		outs = append(outs, s)
		i += n
	}
	return outs
}

// TestCastTypedKeys is qa15 HIGH-23: keys typed into a recorded terminal
// are echoed a few characters an event; the output read as the terminal
// shows it holds them, and they are found at the recording's bytes.
func TestCastTypedKeys(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	r := rand.New(rand.NewPCG(5, 6))
	for seed := uint64(1); seed <= 8; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		outs := []string{"\x1b]0;user@host: ~\x07$ "}
		outs = append(outs, typed(r, "export AWS_ACCESS_KEY_ID="+id)...)
		outs = append(outs, "\r\n$ ")
		outs = append(outs, typed(r, "export AWS_SECRET_ACCESS_KEY="+secret)...)
		outs = append(outs, "\r\n$ ")
		data := castFile(t, outs)
		fs := sc.Scan("demo.cast", data)
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
			if f.Encoding != "terminal-output" || f.Offset < 0 || f.EndOffset > len(data) || f.Offset >= f.EndOffset {
				t.Errorf("seed %d: finding %s %q at [%d,%d)", seed, scanner.Redact(f.Secret), f.Encoding, f.Offset, f.EndOffset)
			}
		}
		if len(fs) != 2 || got[id] != 1 || got[secret] != 1 {
			t.Errorf("seed %d: %v, want the key pair once", seed, summarize(fs))
		}
		// The same recording under another name is no recording.
		if fs := sc.Scan("demo.json", data); len(fs) != 0 {
			t.Errorf("seed %d: demo.json: %v, want nothing", seed, summarize(fs))
		}
	}
	// A key printed whole in one event is found once, by the plain scan.
	g := fakekey.New(9)
	id := g.KeyID("AKIA")
	if fs := sc.Scan("cat.cast", castFile(t, []string{"$ cat ~/.aws/credentials\r\n", "aws_access_key_id = " + id + "\r\n"})); len(fs) != 1 || fs[0].Secret != id {
		t.Errorf("key printed whole: %v, want it once", summarize(fs))
	}
	// Many lines: read a piece at a time, a key at every place found once.
	var outs []string
	var ids []string
	for i := 0; len(outs) < 30000; i++ {
		outs = append(outs, "line of output "+strings.Repeat("x", i%50)+"\r\n")
		if i%500 == 250 {
			k := g.KeyID("AKIA")
			ids = append(ids, k)
			outs = append(outs, typed(r, "export AWS_ACCESS_KEY_ID="+k)...)
			outs = append(outs, "\r\n")
		}
	}
	fs := sc.Scan("long.cast", castFile(t, outs))
	got := map[string]int{}
	for _, f := range fs {
		got[f.Secret]++
	}
	for _, k := range ids {
		if got[k] != 1 {
			t.Errorf("long recording: a key ID found %d times, want once", got[k])
		}
	}
	// An output string that does not decode is counted.
	bad := append(castFile(t, []string{"$ "}), []byte(`[1.5, "o", "bad \q escape"]`+"\n")...)
	if _, c := sc.ScanAllCounted("bad.cast", bad, 0); c.Undecoded != 1 {
		t.Errorf("bad escape: %d undecoded, want 1", c.Undecoded)
	}
}

// FuzzCast: any recording is read without a panic, its findings inside
// it.
func FuzzCast(f *testing.F) {
	f.Add(castFile(f, []string{"$ ", "e", "x\b \b", "\x1b[32mAK\x1b[0m", "\x1b]0;t\x07", "\r\n"}))
	f.Add([]byte("[1, \"o\", \"\\u001b[\"]\n[2,\"o\",\"\\b\\b\\r\"]\n[3 \"o\"\n"))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range sc.ScanAll("f.cast", data) {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
	})
}
