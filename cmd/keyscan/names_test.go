package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// splitPy is a secret that only a Python file's implicit concatenation
// joins (qa8 HIGH-1): found in b.py, not in README or notes.cfg.
func splitPy(seed uint64) (secret, text string) {
	s := fakekey.New(seed).Secret()
	return s, "aws_secret_access_key = (\"" + s[:20] + "\"\n                         \"" + s[20:] + "\")\n"
}

// TestNoNameLowersWhatTheGitGatesFind: a copy named README beside b.py, or
// a later rename of notes.cfg to b.py, carries no key past pre-receive or
// history that b.py alone is refused for.
func TestNoNameLowersWhatTheGitGatesFind(t *testing.T) {
	_, text := splitPy(83)
	t.Run("copy-beside", func(t *testing.T) {
		s := newServer(t)
		writeRepoFile(t, s.clone, "README", text)
		s.commit("b.py", text, "b.py and a copy named README")
		s.mustRefuse([]string{"b.py:1"}, "origin", "main")
		r := runCmd(t, s.clone, nil, "keyscan", "history", ".")
		if r.code != 1 || !strings.Contains(r.stdout, "b.py  fix") || !strings.Contains(r.stdout, "line 1  secret") {
			t.Errorf("history: exit %d, want 1 and b.py line 1\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("rename", func(t *testing.T) {
		s := newServer(t)
		s.commit("notes.cfg", text, "notes")
		s.mustPush("origin", "main") // not joined in a .cfg file: accepted
		gitOK(t, s.clone, "mv", "notes.cfg", "b.py")
		gitOK(t, s.clone, "commit", "-q", "-m", "rename")
		s.mustRefuse([]string{"b.py:1"}, "origin", "main")
		r := runCmd(t, s.clone, nil, "keyscan", "history", ".")
		if r.code != 1 || !strings.Contains(r.stdout, "b.py  fix") || !strings.Contains(r.stdout, "line 1  secret") {
			t.Errorf("history: exit %d, want 1 and b.py line 1\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("rename-same-class", func(t *testing.T) {
		// A rename between names of one class adds nothing: accepted.
		s := newServer(t)
		s.commit("notes.cfg", text, "notes")
		s.mustPush("origin", "main")
		gitOK(t, s.clone, "mv", "notes.cfg", "other.cfg")
		gitOK(t, s.clone, "commit", "-q", "-m", "rename")
		s.mustPush("origin", "main")
	})
	t.Run("staged-rename", func(t *testing.T) {
		dir := newCommittedRepo(t)
		writeRepoFile(t, dir, "notes.cfg", text)
		gitOK(t, dir, "add", "notes.cfg")
		if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != 0 {
			t.Fatalf("staged notes.cfg: exit %d, want 0 (not joined in a .cfg file)\n%s%s", r.code, r.stdout, r.stderr)
		}
		gitOK(t, dir, "commit", "-q", "-m", "notes")
		gitOK(t, dir, "mv", "notes.cfg", "other.cfg")
		if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != 0 {
			t.Errorf("staged rename within a class: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
		}
		gitOK(t, dir, "mv", "other.cfg", "b.py")
		r := runCmd(t, dir, nil, "keyscan", "staged")
		if r.code != 1 || !strings.Contains(r.stdout, "b.py") || !strings.Contains(r.stdout, "line 1  secret") {
			t.Errorf("staged rename to b.py: exit %d, want 1 and b.py line 1\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}

// TestBaselineSurvivesRename (qa8 MEDIUM-10): a baseline made at HEAD after
// a rename accepts, in history and at the server gate, the key that history
// reports under the path that introduced it, and no entry is called stale.
func TestBaselineSurvivesRename(t *testing.T) {
	g := fakekey.New(84)
	s := newServer(t)
	s.commit("old/credentials", fakeCredsFile(g), "a")
	gitOK(t, s.clone, "mv", "old", "new")
	gitOK(t, s.clone, "commit", "-q", "-m", "mv")
	bl := runCmd(t, s.clone, nil, "keyscan", "baseline", "scan", ".")
	if bl.code != 0 {
		t.Fatalf("keyscan baseline: exit %d\n%s", bl.code, bl.stderr)
	}
	writeRepoFile(t, s.bare, "baseline.json", bl.stdout)
	base := s.bare + "/baseline.json"
	r := runCmd(t, s.clone, nil, "keyscan", "history", "--baseline", base, ".")
	if r.code != 0 || strings.Contains(r.stderr, "no longer matches") {
		t.Errorf("history --baseline: exit %d, want 0 and no stale entry\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, s.bare, "keyscan.toml", "[pre_receive]\nbaseline = \"baseline.json\"\n")
	if r := s.push("origin", "main"); r.code != 0 || !strings.Contains(r.stderr, "let through by the server's baseline") {
		t.Errorf("push of the key and its rename with the baseline: exit %d\n%s", r.code, r.stderr)
	}
}
