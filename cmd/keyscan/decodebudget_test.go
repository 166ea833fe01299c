package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestDecodeBudgetFailsClosed is qa10 HIGH-3: gzip streams in base64 that
// inflate to text spend a file's decode budget before an encoded key. The
// runs left undecoded are said in every command: scan and history warn and
// exit 2 with --strict, staged exits 2 with --strict, and pre-receive
// refuses the push as incomplete. Bombs of zeros no longer spend the budget:
// the key after them is found.
func TestDecodeBudgetFailsClosed(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(30)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	bomb := func(s string) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return base64.StdEncoding.EncodeToString(b.Bytes())
	}
	text, zeros := bomb(strings.Repeat("a", 1<<20)), bomb(strings.Repeat("\x00", 1<<20))
	real := "real: " + base64.StdEncoding.EncodeToString([]byte(creds)) + "\n"
	spent := "d0: " + text + "\nd1: " + text + "\n" + real

	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "values.yaml", spent)
	writeRepoFile(t, dir, "zeros.yaml", "d0: "+zeros+"\nd1: "+zeros+"\n"+real)
	gitOK(t, dir, "add", "values.yaml")
	check := func(code int, wants []string, args ...string) {
		t.Helper()
		r := runCmd(t, dir, nil, "keyscan", args...)
		if r.code != code {
			t.Errorf("keyscan %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
		}
		for _, w := range wants {
			if !strings.Contains(r.stdout+r.stderr, w) {
				t.Errorf("keyscan %s: output lacks %q\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), w, r.stdout, r.stderr)
			}
		}
	}
	warning := "values.yaml: 2 encoded runs (base64, hex or gzip in base64) not decoded whole"
	strict := "strict: 2 encoded runs not decoded whole"
	check(exitClean, []string{warning, "not scanned: 2 encoded runs not decoded whole"}, "scan", "values.yaml")
	check(exitError, []string{warning, strict}, "scan", "--strict", "values.yaml")
	check(exitFindings, []string{"zeros.yaml"}, "scan", "zeros.yaml")
	check(exitError, []string{warning, strict}, "staged", "--strict")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "values")
	check(exitClean, []string{warning}, "history", ".")
	check(exitError, []string{strict}, "history", "--strict", ".")

	s := newServer(t)
	s.commit("values.yaml", spent, "values")
	s.mustRefuse([]string{"2 encoded run(s) not decoded whole", "values.yaml"}, "origin", "main")
}
