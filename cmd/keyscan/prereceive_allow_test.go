package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// auditEntry is one line of the audit log, as far as these tests read it.
type auditEntry struct {
	Decision string
	Findings []struct {
		Fingerprint, Rule, Commit, File, Exception, Reason string
		Line                                               int
	}
}

// auditLines returns the audit log's lines (none when it does not exist).
func (s *server) auditLines() []auditEntry {
	s.t.Helper()
	data, err := os.ReadFile(s.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		s.t.Fatal(err)
	}
	var out []auditEntry
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e auditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			s.t.Fatalf("audit log line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// allowedCreds is a credentials file whose two values carry the pusher's
// own keyscan:allow comment.
func allowedCreds(g *fakekey.Gen) string {
	return "[default]\naws_access_key_id = " + g.KeyID("AKIA") + " # keyscan:allow ok fixture\n" +
		"aws_secret_access_key = " + g.Secret() + " # keyscan:allow ok fixture\n"
}

// TestPreReceiveAllowComments (qa8 MEDIUM-7): a keyscan:allow comment is
// the pusher's own word. By default the gate lets the value through and
// logs it as an exception, with the reason, path, commit and fingerprint;
// with allow_comments = false (or --allow-comments=false) it refuses it.
// Only values the push adds are judged: an edit of a file whose allowed
// value was there before adds nothing, a copy of it to a new file does, and
// a bare key given a comment later is no old allowed value.
func TestPreReceiveAllowComments(t *testing.T) {
	g := fakekey.New(86)
	creds := allowedCreds(g)

	t.Run("default-logs", func(t *testing.T) {
		s := newServer(t)
		c := s.commit("creds", creds, "fixture")
		r := s.push("origin", "main")
		if r.code != 0 || !strings.Contains(r.stderr, "let through by its keyscan:allow comment (ok fixture): creds:2") {
			t.Fatalf("push: exit %d, want 0 and the exception named\n%s", r.code, r.stderr)
		}
		log := s.auditLines()
		if len(log) != 1 || log[0].Decision != "excepted" || len(log[0].Findings) != 2 {
			t.Fatalf("audit log %+v, want one excepted line with 2 findings", log)
		}
		for i, f := range log[0].Findings {
			if f.Exception != "allow-comment" || f.Reason != "ok fixture" || f.File != "creds" || f.Line != i+2 || f.Commit != c || f.Fingerprint == "" {
				t.Errorf("audit log finding %+v, want allow-comment, reason, creds:%d, commit %s, a fingerprint", f, i+2, c)
			}
		}
		data, _ := os.ReadFile(s.log)
		if strings.Contains(string(data), g.Secret()) || strings.Contains(string(data), g.KeyID("AKIA")) {
			t.Errorf("the audit log holds the secret:\n%s", data)
		}

		// An edit of the file elsewhere adds no value: nothing is logged.
		s.commit("creds", creds+"region = eu-west-1\n", "region")
		s.mustPush("origin", "main")
		if n := len(s.auditLines()); n != 1 {
			t.Errorf("an edit of the fixture's file logged again: %d lines, want 1", n)
		}
		// A copy under a new path adds it there: logged.
		c = s.commit("tests/creds", creds, "copy")
		s.mustPush("origin", "main")
		log = s.auditLines()
		if len(log) != 2 || len(log[1].Findings) != 2 || log[1].Findings[0].File != "tests/creds" || log[1].Findings[0].Commit != c {
			t.Errorf("a copy of the fixture: audit log %+v, want a second excepted line for tests/creds", log)
		}
	})

	t.Run("bare-then-commented", func(t *testing.T) {
		// A key pushed before the gate, then given a comment: the comment
		// is new, so the exception is logged, not passed over as old.
		s := newServer(t)
		s.withoutGate(func() {
			s.commit("creds", fakeCredsFile(g), "bare key before the gate")
			s.mustPush("origin", "main")
		})
		s.commit("creds", creds, "comment it")
		s.mustPush("origin", "main")
		if log := s.auditLines(); len(log) != 1 || log[0].Decision != "excepted" || len(log[0].Findings) != 2 {
			t.Errorf("audit log %+v, want one excepted line with 2 findings", log)
		}
	})

	t.Run("config-false", func(t *testing.T) {
		s := newServer(t)
		// A fixture pushed while comments were honoured stays: editing its
		// file is not refused.
		s.commit("old/creds", creds, "old fixture")
		s.mustPush("origin", "main")
		writeRepoFile(t, s.bare, "keyscan.toml", "[pre_receive]\nallow_comments = false\n")
		s.commit("old/creds", creds+"region = eu-west-1\n", "region")
		s.mustPush("origin", "main")

		c := s.commit("creds", creds, "new fixture")
		r := s.mustRefuse([]string{"creds:2", "creds:3", "its keyscan:allow comment (ok fixture) is not an exception on this server",
			"this server does not take `keyscan:allow` comments as exceptions"}, "origin", "main")
		if strings.Contains(r.stderr, "mark its line") {
			t.Errorf("the refusal suggests a comment the server does not honour:\n%s", r.stderr)
		}
		log := s.auditLines()
		last := log[len(log)-1]
		if last.Decision != "refused" || len(last.Findings) != 2 || last.Findings[0].Reason != "ok fixture" || last.Findings[0].Commit != c || last.Findings[0].Exception != "" {
			t.Errorf("audit log line %+v, want refused with the comment's reason", last)
		}
	})

	t.Run("flag-false", func(t *testing.T) {
		s := newServer(t)
		s.reinstall("--log", s.log, "--allow-comments=false")
		s.commit("creds", creds, "fixture")
		s.mustRefuse([]string{"creds:2", "is not an exception on this server"}, "origin", "main")
		// The flag cannot be turned back on by the file: the narrower wins.
		writeRepoFile(t, s.bare, "keyscan.toml", "[pre_receive]\nallow_comments = true\n")
		s.mustRefuse([]string{"creds:2"}, "origin", "main")
	})

	t.Run("log-unwritable", func(t *testing.T) {
		// Granted only once recorded, as every exception.
		s := newServer(t)
		notDir := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		s.reinstall("--log", filepath.Join(notDir, "audit.jsonl"))
		s.commit("creds", creds, "fixture")
		s.mustRefuse([]string{"2 of them had an exception, NOT granted", "creds:2"}, "origin", "main")
	})
}
