package main

import (
	"os"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// remoteLines returns what the hook said to the pusher: git prints the
// client's own ref names itself, which may hold what the hook redacts.
func remoteLines(stderr string) string {
	var b strings.Builder
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "remote:") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestPreReceiveMessagesAndRefNames: a key pair in a commit message or an
// annotated tag's message, and a key ID in the name of a ref the push
// creates, are pushed content: the gate refuses them, and neither what it
// tells the pusher nor the audit log holds the key.
func TestPreReceiveMessagesAndRefNames(t *testing.T) {
	g := fakekey.New(311)
	id, secret := g.KeyID("AKIA"), g.Secret()
	pair := "aws_access_key_id=" + id + " aws_secret_access_key=" + secret
	s := newServer(t)

	noKey := func(what, text string) {
		t.Helper()
		if strings.Contains(text, secret) || strings.Contains(text, id) {
			t.Errorf("%s holds the key:\n%s", what, text)
		}
	}

	// A commit message.
	s.commit("notes.txt", "clean\n", "deploy fix\n\nused "+pair)
	key := s.head()
	r := s.mustRefuse([]string{"commit " + key[:12] + " message:3", "aws-secret-access-key",
		"introduced in commit " + key, "reword that commit"}, "origin", "main")
	noKey("the refusal", r.stderr)
	gitOK(t, s.clone, "commit", "-q", "--amend", "-m", "deploy fix")
	s.mustPush("origin", "main")

	// An annotated tag's message, on a commit the server has.
	gitOK(t, s.clone, "tag", "-a", "-m", "release\n"+pair, "v9")
	r = s.mustRefuse([]string{"tag v9 message:2", "aws-access-key-id"}, "origin", "v9")
	noKey("the refusal", r.stderr)
	gitOK(t, s.clone, "tag", "-d", "v9")
	gitOK(t, s.clone, "tag", "-a", "-m", "release", "v9")
	s.mustPush("origin", "v9")

	// A key ID in the name of a new branch: refused, redacted everywhere.
	ref := "refs/heads/feat/" + id
	r = s.mustRefuse([]string{"ref refs/heads/feat/AKIA", "(name):1", "aws-access-key-id"}, "origin", "HEAD:"+ref)
	noKey("the refusal", remoteLines(r.stderr))
	data, err := os.ReadFile(s.log)
	if err != nil {
		t.Fatal(err)
	}
	noKey("the audit log", string(data))
	if !strings.Contains(string(data), `"ref":"refs/heads/feat/AKIA`) {
		t.Errorf("the audit log lacks the redacted ref:\n%s", data)
	}

	// A clean message, a clean tag and an existing branch pass.
	s.commit("more.txt", "more\n", "ordinary message mentioning AKIAIOSFODNN7EXAMPLE")
	s.mustPush("origin", "main")
}

// TestPreReceiveBadTokenNotQuoted: a malformed line of standard input may
// hold anything; the error (stderr and audit log) quotes at most a short
// prefix of a bad token.
func TestPreReceiveBadTokenNotQuoted(t *testing.T) {
	s := newServer(t)
	secret := fakekey.New(312).Secret()
	head := s.head()
	for _, stdin := range []string{
		secret + " " + head + " refs/heads/x\n",
		strings.Repeat("0", 40) + " " + head + " " + secret + "\n",
	} {
		r := hookRun(t, s.bare, stdin, nil, "--log", s.log)
		if r.code != exitError || !strings.Contains(r.stderr, "push refused") {
			t.Errorf("exit %d, want 2:\n%s", r.code, r.stderr)
		}
		if strings.Contains(r.stderr, secret) || strings.Contains(r.stderr, secret[:10]) {
			t.Errorf("stderr quotes the token:\n%s", r.stderr)
		}
	}
	data, err := os.ReadFile(s.log)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), secret[:10]) {
		t.Errorf("the audit log quotes the token:\n%s", data)
	}
	if !strings.Contains(string(data), "bytes)") {
		t.Errorf("the audit log lacks the redacted token:\n%s", data)
	}
}
