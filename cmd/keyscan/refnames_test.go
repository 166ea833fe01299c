package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// refNameFindings runs keyscan in dir with args and --format json, and
// returns the findings in ref names (file "ref … (name)").
func refNameFindings(t *testing.T, dir string, args ...string) (fs []jsonRefFinding, code int) {
	t.Helper()
	r := runCmd(t, dir, nil, "keyscan", append(args, "--format", "json")...)
	var all []jsonRefFinding
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil {
		t.Fatalf("keyscan %s: %v\n%s%s", strings.Join(args, " "), err, r.stdout, r.stderr)
	}
	for _, f := range all {
		if strings.HasPrefix(f.File, "ref ") && strings.HasSuffix(f.File, " (name)") {
			fs = append(fs, f)
		}
	}
	return fs, r.code
}

type jsonRefFinding struct {
	File, Fingerprint, Commit, Note string
	PresentAtHead                   *bool `json:"present_at_head"`
}

// TestRefNamesHookAndGate (qa14 MEDIUM-12): a branch or tag named after a
// key publishes the key, and the gate refuses to create one. keyscan
// history (a full scan, --all-objects, --unpushed) and the real pre-push
// hook read ref names too, and judge them as the gate does: the name the
// remote would get (not the local name of a ref pushed under another
// one), with the same path and fingerprint, redacted; also when the push
// sends no object. A remote-tracking ref's name says where it came from.
func TestRefNamesHookAndGate(t *testing.T) {
	s := newServer(t)
	g := fakekey.New(911)
	id := g.KeyID("AKIA")
	name := "aws_access_key_id=" + id
	if r := runCmd(t, s.clone, nil, "keyscan", "hook", "install", "--type", "pre-push"); r.code != 0 {
		t.Fatalf("hook install --type pre-push: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	noKey := func(what, out string) {
		t.Helper()
		if strings.Contains(out, id) {
			t.Errorf("%s shows the key ID:\n%s", what, out)
		}
	}
	hookRefuses := func(want string, args ...string) {
		t.Helper()
		before := s.refs()
		r := s.push(args...)
		out := r.stdout + r.stderr
		if r.code == 0 || !strings.Contains(out, want) || strings.Contains(out, "pre-receive hook declined") {
			t.Errorf("git push %s: exit %d, want the pre-push hook to refuse naming %q\n%s", strings.Join(args, " "), r.code, want, out)
		}
		noKey("the hook's refusal", out)
		if s.refs() != before {
			t.Errorf("git push %s moved the server's refs", strings.Join(args, " "))
		}
	}

	// A branch of a commit the server has: no object to send, its name refused.
	gitOK(t, s.clone, "branch", name)
	hookRefuses("ref refs/heads/aws_", "origin", name)
	// A new commit on it: refused for the name too.
	gitOK(t, s.clone, "checkout", "-q", name)
	s.commit("b.txt", "b\n", "b")
	hookRefuses("ref refs/heads/aws_", "origin", name)
	// A tag named after the key.
	gitOK(t, s.clone, "tag", id)
	hookRefuses("ref refs/tags/AKIA", "origin", "refs/tags/"+id)
	gitOK(t, s.clone, "tag", "-d", id)
	// Pushed under a clean name: the local name is not sent.
	s.mustPush("origin", name+":refs/heads/clean")

	// keyscan history reads the names: a full scan, --all-objects, and
	// --unpushed (the server lacks that name).
	var hookFP string
	for _, args := range [][]string{{"history", "."}, {"history", "--all-objects", "."}, {"history", "--unpushed", "origin", "."}} {
		fs, code := refNameFindings(t, s.clone, args...)
		if code != exitFindings || len(fs) != 1 || fs[0].File != "ref refs/heads/aws_******************************"+id[16:]+" (name)" ||
			fs[0].Commit != "" || fs[0].PresentAtHead == nil || *fs[0].PresentAtHead {
			t.Errorf("keyscan %s: exit %d, ref name findings %+v", strings.Join(args, " "), code, fs)
			continue
		}
		hookFP = fs[0].Fingerprint
	}
	// Narrowed to blob paths, no name is read.
	if fs, _ := refNameFindings(t, s.clone, "history", "--path", "**", "."); len(fs) != 0 {
		t.Errorf("history --path: %+v, want no ref name read", fs)
	}

	// The gate, past the hook: the same finding, the same fingerprint.
	r := s.mustRefuse([]string{"ref refs/heads/aws_", "(name):1", "fingerprint " + hookFP}, "--no-verify", "origin", name)
	noKey("the gate's refusal", remoteLines(r.stderr))

	// Once the server has the name, --unpushed no longer reports it; a
	// clone's full scan reports the remote-tracking ref, with a note.
	s.withoutGate(func() { s.mustPush("--no-verify", "origin", name) })
	if fs, _ := refNameFindings(t, s.clone, "history", "--unpushed", "origin", "."); len(fs) != 0 {
		t.Errorf("history --unpushed once the remote has the name: %+v", fs)
	}
	gitOK(t, s.clone, "fetch", "-q", "origin")
	fs, _ := refNameFindings(t, s.clone, "history", ".")
	remote := false
	for _, f := range fs {
		if strings.HasPrefix(f.File, "ref refs/remotes/origin/aws_") && strings.Contains(f.Note, "remote-tracking") {
			remote = true
		}
	}
	if !remote {
		t.Errorf("a full scan after fetching lacks the remote-tracking ref: %+v", fs)
	}
}
