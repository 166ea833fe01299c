package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/receive"
)

// TestTextGuard: what keyscan writes to standard error never carries a
// control character other than its own line feeds and tabs, whatever a
// message quotes.
func TestTextGuard(t *testing.T) {
	var b strings.Builder
	g := textGuard{w: &b}
	for _, in := range []string{
		"keyscan: plain\n",
		"keyscan: rewrote a\x1b[2Jb\nc.env (2 removed)\n",
		"keyscan: tab\there\x07 and \u202e and \u009b, \x9b\n",
	} {
		if n, err := g.Write([]byte(in)); n != len(in) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", in, n, err)
		}
	}
	got := b.String()
	want := "keyscan: plain\nkeyscan: rewrote a\\x1b[2Jb\nc.env (2 removed)\nkeyscan: tab\there\\x07 and \\u202e and \\x9b, \ufffd\n"
	if got != want {
		t.Errorf("guarded\n%q, want\n%q", got, want)
	}
}

// TestHostileNamesOnStderr runs the commands that name files on standard
// error over names a hostile repository or pull request chose (qa26 M6):
// keyscan fix's "rewrote NAME" (its summary is on standard output, which
// is not guarded: a patch and JSON must stay byte for byte), the baseline's "no longer matches" (a name
// from the baseline file) and "matched at a new path" (a renamed file). No
// escape character reaches standard error raw.
func TestHostileNamesOnStderr(t *testing.T) {
	g := fakekey.New(2611)
	hostile := "a\x1b[2Jb\nc"
	noESC := func(what string, r cmdResult) {
		t.Helper()
		if strings.ContainsRune(r.stderr, 0x1b) || strings.Contains(r.stderr, "\nc") {
			t.Errorf("%s: raw control characters on stderr:\n%q", what, r.stderr)
		}
	}

	dir := t.TempDir()
	id, secret := g.KeyID("AKIA"), g.Secret()
	writeRepoFile(t, dir, hostile+".env", "AWS_ACCESS_KEY_ID="+id+"\nAWS_SECRET_ACCESS_KEY="+secret+"\n")
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if !strings.Contains(r.stdout, "rewrote") {
		t.Fatalf("fix --write: want a rewrite said, exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	noESC("fix --write", cmdResult{stderr: r.stdout + r.stderr})

	dir = t.TempDir()
	writeRepoFile(t, dir, "creds.ini", fakeCredsFile(g))
	r = runCmd(t, dir, nil, "keyscan", "baseline", "scan", ".")
	var base map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &base); err != nil {
		t.Fatalf("baseline scan: %v\n%s", err, r.stdout)
	}
	entries := base["findings"].([]any)
	stale := map[string]any{}
	for k, v := range entries[0].(map[string]any) {
		stale[k] = v
	}
	stale["file"], stale["fingerprint"] = hostile+".ini", strings.Repeat("0", 32)
	base["findings"] = append(entries, stale)
	data, _ := json.Marshal(base)
	baseFile := filepath.Join(t.TempDir(), "base.json")
	if err := os.WriteFile(baseFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, dir, nil, "keyscan", "scan", "--baseline", baseFile, ".")
	if !strings.Contains(r.stderr, "no longer matches") {
		t.Fatalf("scan --baseline: want the stale entry said\n%s", r.stderr)
	}
	noESC("stale baseline entry", r)

	if err := os.Rename(filepath.Join(dir, "creds.ini"), filepath.Join(dir, hostile+".ini")); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, dir, nil, "keyscan", "scan", "--baseline", baseFile, ".")
	if !strings.Contains(r.stderr, "new path") {
		t.Fatalf("scan --baseline after a rename: want the moved entry said\n%s", r.stderr)
	}
	noESC("moved baseline entry", r)
}

// TestProgressPastGuard: the pre-receive progress line reaches the pusher
// with its own carriage returns, not escaped by the guard (qa29 L3), while
// a carriage return in any other message is still escaped.
func TestProgressPastGuard(t *testing.T) {
	b := &lockedBuilder{}
	stderr := textGuard{w: b}
	p := receive.StartProgress(progressOut(stderr), 0, time.Hour)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(b.String(), "\r") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	p.Stop()
	if got := b.String(); !strings.Contains(got, ")\r") || strings.Contains(got, `\x0d`) {
		t.Errorf("progress line %q: want its \\r as it is", got)
	}
	b.Reset()
	stderr.Write([]byte("keyscan: ref main\rforged\n"))
	if got := b.String(); strings.Contains(got, "\r") {
		t.Errorf("guard let through %q", got)
	}
}

// lockedBuilder is a strings.Builder the progress line's goroutine writes
// to while the test reads it.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuilder) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}
