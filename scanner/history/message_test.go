package history_test

import (
	"encoding/base64"
	"fmt"
	"github.com/keyscan/keyscan/internal/fixture"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestMessages: a key pair in a commit message or an annotated tag's message
// is pushed and cloned like a file, so history reports it under a pseudo-path
// that names the commit or tag; a message shared by several commits is one
// finding per value (its first commit, how many have it, the last one).
func TestMessages(t *testing.T) {
	r := newGitRepo(t)
	g := fakekey.New(901)
	id, secret := g.KeyID("AKIA"), g.Secret()
	tg := fakekey.New(902)
	tagID, tagSecret := tg.KeyID("AKIA"), tg.Secret()

	r.write("README", "hello\n")
	r.commit("init")
	msg := "deploy\n\nused aws_access_key_id=" + id + "\naws_secret_access_key=" + secret + "\n"
	first := r.commit(msg)
	r.write("README", "hello again\n")
	r.commit("unrelated")
	r.git("commit", "-q", "--allow-empty", "-m", msg) // the same message again
	last := r.git("rev-parse", "HEAD")
	r.git("tag", "-a", "-m", "release\naws_access_key_id="+tagID+" aws_secret_access_key="+tagSecret, "v9", first)
	r.git("tag", "-a", "-m", "nothing here", "v10")

	res := scanRepo(t, r.dir, history.Options{})
	if res.Stats.Messages != 5 { // four commits with three messages, two tags
		t.Errorf("Stats.Messages = %d, want 5", res.Stats.Messages)
	}
	commitPath := "commit " + first[:12] + " message"
	for _, v := range []string{id, secret} {
		check(t, res, v, want{File: commitPath, Line: 3 + boolInt(v == secret), Commit: first, LastCommit: last,
			Commits: 2, Paths: []string{commitPath}, AtHead: false})
	}
	for _, v := range []string{tagID, tagSecret} {
		f := findingFor(t, res, v)
		if f.File != "tag v9 message" || f.Line != 2 || f.Commit != "" || f.Author != "Test Committer <committer@example.com>" {
			t.Errorf("tag finding for %s: file %q line %d commit %q author %q", v, f.File, f.Line, f.Commit, f.Author)
		}
		if f.Fingerprint == "" || f.PresentAtHead == nil || *f.PresentAtHead {
			t.Errorf("tag finding for %s: fingerprint %q, present at head %v", v, f.Fingerprint, f.PresentAtHead)
		}
	}
	// The values are what a history rewrite (filter-repo --replace-message)
	// must replace.
	lits, _ := res.Literals(res.Findings)
	for _, v := range []string{id, secret, tagID, tagSecret} {
		if !slices.Contains(lits, v) {
			t.Errorf("Literals lack %s", v)
		}
	}

	// Narrowed to blob paths, the scan reads no message.
	res = scanRepo(t, r.dir, history.Options{PathGlob: "**"})
	if len(res.Findings) != 0 || res.Stats.Messages != 0 {
		t.Errorf("with a path glob: %d findings, %d messages; want none", len(res.Findings), res.Stats.Messages)
	}
	// Since leaves out the commits before it, and their messages.
	res = scanRepo(t, r.dir, history.Options{Refs: []string{"main"}, Since: first})
	check(t, res, id, want{File: "commit " + last[:12] + " message", Line: 3, Commit: last, LastCommit: last,
		Commits: 1, Paths: []string{"commit " + last[:12] + " message"}})
}

// TestTagNameHoldingKey: a tag whose own name holds a key ID is named by its
// object ID in the pseudo-path, which must not carry the key.
func TestTagNameHoldingKey(t *testing.T) {
	r := newGitRepo(t)
	g := fakekey.New(903)
	id, secret := g.KeyID("AKIA"), g.Secret()
	r.commit("init")
	r.git("tag", "-a", "-m", "aws_access_key_id="+id+" aws_secret_access_key="+secret, id)
	tagObj := r.git("rev-parse", "refs/tags/"+id)
	res := scanRepo(t, r.dir, history.Options{})
	f := findingFor(t, res, secret)
	if want := "tag " + tagObj[:12] + " message"; f.File != want {
		t.Errorf("file %q, want %q", f.File, want)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestMessageEncodedLiterals: a key pasted into a message in base64 is in
// the message only as its base64, so the base64 (each line of a wrapped
// run) is what a history rewrite must replace (qa14 MEDIUM-5); the message
// is no opaque place, and a header's finding is (--replace-message does not
// rewrite header lines).
func TestMessageEncodedLiterals(t *testing.T) {
	r := newGitRepo(t)
	g := fakekey.New(904)
	id, secret := g.KeyID("AKIA"), g.Secret()
	enc := base64.StdEncoding.EncodeToString([]byte("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"))
	lines := []string{enc[:76], enc[76:]}
	r.write("README", "hello\n")
	r.commit("credentials\n\n" + strings.Join(lines, "\n") + "\n")
	r.git("commit", "-q", "--allow-empty", "--author", "aws_access_key_id="+g.KeyID("AKIA")+" <a@example.com>", "-m", "by a key")
	res := scanRepo(t, r.dir, history.Options{})
	lits, left := res.Literals(res.Findings)
	msg := strings.Join(lines, "\n")
	if len(res.Findings) < 3 {
		t.Fatalf("findings %+v, want the pair in the message and the header's key ID", res.Findings)
	}
	// What git filter-repo --replace-message does with the literals.
	for _, l := range lits {
		msg = strings.ReplaceAll(msg, l, history.ReplaceMarker)
	}
	if fs := fixture.Scanner(t).Scan("commit message", []byte(msg)); len(fs) > 0 || strings.Count(msg, history.ReplaceMarker) < 2 {
		t.Errorf("the message with the literals %q replaced still holds %+v:\n%s", lits, fs, msg)
	}
	if len(left) != 0 {
		t.Errorf("left to clean by hand: %v", left)
	}
	headers := 0
	for _, f := range res.Findings {
		o, opaque := res.Opaque(f)
		switch header := strings.HasSuffix(f.File, " header"); {
		case header && (!opaque || !o.Message || o.Path != f.File):
			t.Errorf("%s: Opaque %+v %v, want the header named", f.File, o, opaque)
		case !header && opaque:
			t.Errorf("%s (%s): Opaque %+v, but --replace-message scrubs it", f.File, f.Encoding, o)
		case header:
			headers++
		}
	}
	if headers != 1 {
		t.Errorf("%d header findings, want 1: %+v", headers, res.Findings)
	}
}

// TestManyMessages: more messages than the helper's queue holds, some
// scanned on the helper and some by the reader (flushMessages), give one
// finding per value attributed to the first and last of the commits that
// share the message, as when each was scanned when read.
func TestManyMessages(t *testing.T) {
	r := newGitRepo(t)
	g := fakekey.New(903)
	id, secret := g.KeyID("AKIA"), g.Secret()
	keyMsg := "deploy\n\nused aws_access_key_id=" + id + "\naws_secret_access_key=" + secret + "\n"
	// A message longer than the helper takes is scanned by the reader.
	g2 := fakekey.New(904)
	id2, secret2 := g2.KeyID("AKIA"), g2.Secret()
	longMsg := "long\n\n" + strings.Repeat("nothing to see here\n", 5000) + "aws_access_key_id=" + id2 + "\naws_secret_access_key=" + secret2 + "\n"
	const n = 600
	keyed := map[int]bool{100: true, 400: true, n - 1: true}
	var b strings.Builder
	for i := range n {
		msg := fmt.Sprintf("change %d\n", i)
		if keyed[i] {
			msg = keyMsg
		}
		if i == 250 {
			msg = longMsg
		}
		fmt.Fprintf(&b, "commit refs/heads/main\nauthor Test Author <author@example.com> %[1]d +0000\ncommitter C <c@example.com> %[1]d +0000\ndata %d\n%s", 1700000000+i*60, len(msg), msg)
		content := fmt.Sprintf("file %d\n", i)
		fmt.Fprintf(&b, "M 644 inline f.txt\ndata %d\n%s\n", len(content), content)
	}
	r.runInput(b.String(), "fast-import", "--quiet")
	hashes := strings.Fields(r.git("rev-list", "--reverse", "main"))
	if len(hashes) != n {
		t.Fatalf("%d commits, want %d", len(hashes), n)
	}
	res := scanRepo(t, r.dir, history.Options{})
	if want := n - len(keyed) + 1; res.Stats.Messages != want { // the long one replaces "change 250"
		t.Errorf("Stats.Messages = %d, want %d", res.Stats.Messages, want)
	}
	path := "commit " + hashes[100][:12] + " message"
	for _, v := range []string{id, secret} {
		check(t, res, v, want{File: path, Line: 3 + boolInt(v == secret), Commit: hashes[100], LastCommit: hashes[n-1],
			Commits: 3, Paths: []string{path}, AtHead: false})
	}
	f := findingFor(t, res, secret2)
	if f.File != "commit "+hashes[250][:12]+" message" || f.Commits != 1 {
		t.Errorf("long message: file %q, %d commits", f.File, f.Commits)
	}
}
