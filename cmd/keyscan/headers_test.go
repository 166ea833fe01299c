package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestCommitAndTagHeaders: a key in a commit's or a tag's header lines
// (author, an extra header, tagger) is found by history and refused by
// the gate, as one in the message is (qa9 MEDIUM-2: only messages were
// scanned).
func TestCommitAndTagHeaders(t *testing.T) {
	g := fakekey.New(9651)
	pair := func() string {
		return "aws_access_key_id=" + g.KeyID("AKIA") + " aws_secret_access_key=" + g.Secret()
	}
	s := newServer(t)
	tree := strings.TrimSpace(gitOK(t, s.clone, "write-tree"))
	parent := s.head()
	hashObject := func(kind, text string, literally bool) string {
		args := []string{"hash-object", "-t", kind, "-w", "--stdin"}
		if literally {
			args = append(args, "--literally")
		}
		r := runCmd(t, s.clone, nil, "sh", "-c", "git "+strings.Join(args, " ")+" <<'EOF'\n"+text+"EOF\n")
		if r.code != 0 {
			t.Fatalf("hash-object: %s", r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	cases := map[string]string{
		"author": fmt.Sprintf("tree %s\nparent %s\nauthor %s <a@b> 1700000000 +0000\ncommitter t <t@t> 1700000000 +0000\n\nclean message\n", tree, parent, pair()),
		"extra":  fmt.Sprintf("tree %s\nparent %s\nauthor a <a@b> 1700000000 +0000\ncommitter t <t@t> 1700000000 +0000\nx-creds %s\n\nclean message\n", tree, parent, strings.Replace(pair(), " ", "\n ", 1)),
	}
	for name, text := range cases {
		c := hashObject("commit", text, name == "extra")
		gitOK(t, s.clone, "update-ref", "refs/heads/"+name, c)
		s.mustRefuse([]string{"commit " + c[:12] + " header"}, "origin", name)
	}
	tagText := fmt.Sprintf("object %s\ntype commit\ntag rel1\ntagger %s <t@t> 1700000000 +0000\n\nrelease\n", parent, pair())
	tag := hashObject("tag", tagText, false)
	gitOK(t, s.clone, "update-ref", "refs/tags/rel1", tag)
	s.mustRefuse([]string{"tag rel1 header"}, "origin", "refs/tags/rel1")

	r := keyscanIn(t, s.clone, "history", "--format", "json", ".")
	for _, want := range []string{"header", "rel1 header"} {
		if r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("history: exit %d, want 1 with %q\n%s%s", r.code, want, r.stdout, r.stderr)
		}
	}
	if strings.Contains(r.stdout, "aws_secret_access_key=") && !strings.Contains(r.stdout, "aws_secret_access_key=****") {
		for _, l := range strings.Split(r.stdout, "\n") {
			if strings.Contains(l, `"author"`) && strings.Contains(l, "aws_secret_access_key=") && !strings.Contains(l, "****") {
				t.Errorf("history: an author holding a key is shown unredacted: %s", l)
			}
		}
	}
	if n := strings.Count(r.stdout, `"rule": "aws-access-key-id"`); n != 3 {
		t.Errorf("history: %d key IDs, want 3 (author, extra header, tagger)\n%s", n, r.stdout)
	}
}
