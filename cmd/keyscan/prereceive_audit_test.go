package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// fingerprints returns the fingerprints a refusal lists, in order.
func fingerprints(stderr string) []string {
	var fps []string
	for _, line := range strings.Split(stderr, "\n") {
		if _, fp, ok := strings.Cut(line, "fingerprint "); ok {
			fps = append(fps, strings.TrimSpace(fp))
		}
	}
	return fps
}

// reinstall replaces the server's hook with one that passes flags.
func (s *server) reinstall(flags ...string) {
	s.t.Helper()
	args := append([]string{"hook", "install", "--type", "pre-receive", s.bare, "--"}, flags...)
	if r := runCmd(s.t, s.bare, nil, "keyscan", args...); r.code != 0 {
		s.t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// An exception is granted only when the audit log records it (qa7 LOW-19):
// a log that cannot be written, or no log at all for a push option, refuses
// the push that only the exception would let through. --fail-open still
// accepts an unchecked push with a broken log, as documented.
func TestPreReceiveExceptionNeedsTheAuditLog(t *testing.T) {
	g := fakekey.New(321)
	s := newServer(t, "--allow-push-options")
	gitOK(t, s.bare, "config", "receive.advertisePushOptions", "true")
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(notDir, "audit.jsonl")
	s.reinstall("--allow-push-options", "--log", broken)

	s.commit("deploy/app.env", "AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\nAWS_SECRET_ACCESS_KEY="+g.Secret()+"\n", "key")
	fps := fingerprints(s.mustRefuse([]string{"deploy/app.env:1"}, "origin", "main").stderr)
	if len(fps) != 2 {
		t.Fatalf("want 2 fingerprints, got %v", fps)
	}
	allow := []string{"-o", "keyscan.allow=" + fps[0], "-o", "keyscan.allow=" + fps[1], "origin", "main"}
	r := s.mustRefuse([]string{"2 of them had an exception, NOT granted", "could not be written", "not a directory",
		"tell the server's administrator", "deploy/app.env:1", "fingerprint " + fps[0]}, allow...)
	if strings.Contains(r.stderr, "let through by") || strings.Contains(r.stderr, "every exception is logged") {
		t.Errorf("an unrecorded exception is presented as granted:\n%s", r.stderr)
	}

	// --fail-open is about pushes the gate could not check: one is still
	// accepted with a warning when the log is broken.
	if r := hookRun(t, s.bare, "nonsense\n", nil, "--fail-open", "--log", broken); r.code != exitClean ||
		!strings.Contains(r.stderr, "NOT checked") || !strings.Contains(r.stderr, "audit log") {
		t.Errorf("--fail-open with a broken log: exit %d\n%s", r.code, r.stderr)
	}

	// The administrator's baseline is an exception too: refused while the
	// log is broken.
	report := runCmd(t, s.clone, nil, "keyscan", "baseline", "scan", "deploy/app.env")
	writeRepoFile(t, s.bare, "baseline.json", report.stdout)
	writeRepoFile(t, s.bare, "keyscan.toml", "[pre_receive]\nbaseline = \"baseline.json\"\n")
	s.mustRefuse([]string{"2 of them had an exception, NOT granted", "could not be written"}, "origin", "main")

	// The log repaired, the baseline lets it through and is recorded.
	s.reinstall("--allow-push-options", "--log", s.log)
	if r := s.push("origin", "main"); r.code != 0 || !strings.Contains(r.stderr, "let through by the server's baseline") {
		t.Fatalf("push with the baseline and a working log: exit %d\n%s", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(s.log); !strings.Contains(string(data), `"decision":"excepted"`) {
		t.Errorf("audit log lacks the exception:\n%s", data)
	}

	// No log at all: a push option exception has nowhere to be recorded.
	s.reinstall("--allow-push-options")
	s.commit("deploy/other.env", "AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\nAWS_SECRET_ACCESS_KEY="+g.Secret()+"\n", "another key")
	r = s.mustRefuse([]string{"deploy/other.env:1", "ask the server's administrator"}, "origin", "main")
	if strings.Contains(r.stderr, "keyscan.allow=<fingerprint>") {
		t.Errorf("a server without an audit log offers push option exceptions:\n%s", r.stderr)
	}
	fps = fingerprints(r.stderr)
	allow = []string{"-o", "keyscan.allow=" + fps[0], "-o", "keyscan.allow=" + fps[1], "origin", "main"}
	s.mustRefuse([]string{"2 of them had an exception, NOT granted", "keeps no audit log"}, allow...)
	// With a log, the same push options let it through.
	s.reinstall("--allow-push-options", "--log", s.log)
	if r := s.push(allow...); r.code != 0 || !strings.Contains(r.stderr, "let through by push option") {
		t.Fatalf("push option with a log: exit %d\n%s", r.code, r.stderr)
	}
}
