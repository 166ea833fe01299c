package main

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// handPush sends git receive-pack on the server one ref update, creating
// ref at commit, with a pack of everything commit reaches plus the objects
// extra (a hand-made pack, as a 30-line client can send), and returns what
// receive-pack reported (report-status) and its stderr.
func handPush(t *testing.T, s *server, ref, commit string, extra ...string) (string, string) {
	t.Helper()
	objs := gitOK(t, s.clone, "rev-list", "--objects", commit)
	var list strings.Builder
	for _, l := range strings.Split(objs, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			list.WriteString(f[0] + "\n")
		}
	}
	for _, x := range extra {
		list.WriteString(x + "\n")
	}
	pack := exec.Command("git", "pack-objects", "--stdout")
	pack.Dir = s.clone
	pack.Stdin = strings.NewReader(list.String())
	packData, err := pack.Output()
	if err != nil {
		t.Fatalf("git pack-objects: %v", err)
	}
	pkt := func(s string) string { return fmt.Sprintf("%04x%s", len(s)+4, s) }
	var in bytes.Buffer
	in.WriteString(pkt(strings.Repeat("0", 40) + " " + commit + " " + ref + "\x00 report-status\n"))
	in.WriteString("0000")
	in.Write(packData)
	rp := exec.Command("git", "receive-pack", s.bare)
	stdin, err := rp.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	rp.Stdout, rp.Stderr = &out, &errb
	if err := rp.Start(); err != nil {
		t.Fatal(err)
	}
	// receive-pack advertises its refs first; the request may be written
	// at once (it reads after advertising).
	io.Copy(stdin, &in)
	stdin.Close()
	rp.Wait()
	return out.String(), errb.String()
}

// TestPreReceiveQuarantineBlobs is qa10 MEDIUM-6: a hand-made pack that
// carries a key in a blob no pushed ref reaches is refused (git would move
// the blob from the quarantine into the repository with the rest), the
// blob named by its ID; the same push without the extra blob is accepted,
// and so is an ordinary push of a file the server's configuration excludes
// (its blob is in the quarantine, held by a pushed tree).
func TestPreReceiveQuarantineBlobs(t *testing.T) {
	for _, limit := range []string{"100", "1"} {
		t.Run("unpackLimit="+limit, func(t *testing.T) { quarantineBlobs(t, limit) })
	}
}

func quarantineBlobs(t *testing.T, unpackLimit string) {
	s := newServer(t)
	gitOK(t, s.bare, "config", "receive.unpackLimit", unpackLimit)
	writeRepoFile(t, s.bare, "keyscan.toml", "exclude = [\"**/testdata/**\"]\n")
	g := fakekey.New(31)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	hash := exec.Command("git", "hash-object", "-w", "--stdin")
	hash.Dir = s.clone
	hash.Stdin = strings.NewReader(creds)
	kb, err := hash.Output()
	if err != nil {
		t.Fatalf("git hash-object: %v", err)
	}
	blob := strings.TrimSpace(string(kb))
	head := s.commit("app.txt", "hello\n", "app")

	out, stderr := handPush(t, s, "refs/heads/hand", head, blob)
	if !strings.Contains(out, "ng refs/heads/hand pre-receive hook declined") {
		t.Errorf("hand-made pack with a stray key blob: not refused\n%s\n%s", out, stderr)
	}
	for _, w := range []string{"no pushed commit's tree holds", blob, "push refused: it adds 2 AWS credentials"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("refusal lacks %q:\n%s", w, stderr)
		}
	}
	if r := gitRun(t, s.bare, nil, "cat-file", "-e", blob); r.code == 0 {
		t.Errorf("the refused blob %s is in the server's object store", blob)
	}
	if out, stderr := handPush(t, s, "refs/heads/hand", head); !strings.Contains(out, "ok refs/heads/hand") {
		t.Errorf("the same pack without the stray blob: not accepted\n%s\n%s", out, stderr)
	}
	s.commit("pkg/testdata/creds.ini", creds, "fixture the server excludes")
	s.mustPush("origin", "main")
}

// TestPreReceiveQuarantineStrays carries qa10 MEDIUM-6 to the other kinds
// of object a hand-made pack can hold beside what its refs reach: a commit
// no pushed ref reaches (a key in its message, and one in a file of its
// tree whose blob the server already has under another path) and an
// annotated tag no pushed ref names (a key in its message). git moves
// them into the server's object store with the rest, so each is refused,
// named as what it is; an ordinary push after them is accepted.
func TestPreReceiveQuarantineStrays(t *testing.T) {
	// git unpacks a push of fewer than receive.unpackLimit (100) objects
	// into loose ones and keeps a larger one as a pack: both are read
	// (qa11 HIGH-4: a kept pack's strays passed).
	for _, limit := range []string{"100", "1"} {
		t.Run("unpackLimit="+limit, func(t *testing.T) { quarantineStrays(t, limit) })
	}
}

func quarantineStrays(t *testing.T, unpackLimit string) {
	s := newServer(t)
	gitOK(t, s.bare, "config", "receive.unpackLimit", unpackLimit)
	g := fakekey.New(37)
	head := s.commit("app.txt", "hello\n", "app")
	s.mustPush("origin", "main")

	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	writeRepoFile(t, s.clone, "conf/creds.ini", creds)
	gitOK(t, s.clone, "add", "-A")
	tree := strings.TrimSpace(gitOK(t, s.clone, "write-tree"))
	gitOK(t, s.clone, "reset", "-q", "--hard", head)
	stray := strings.TrimSpace(gitOK(t, s.clone, "commit-tree", tree, "-p", head, "-m", "side work"))
	var extra []string
	for _, l := range strings.Split(gitOK(t, s.clone, "rev-list", "--objects", stray, "--not", head), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			extra = append(extra, f[0])
		}
	}
	next := s.commit("b.txt", "more\n", "b")
	out, stderr := handPush(t, s, "refs/heads/hand", next, extra...)
	if !strings.Contains(out, "ng refs/heads/hand pre-receive hook declined") {
		t.Fatalf("hand-made pack with a stray commit: not refused\n%s\n%s", out, stderr)
	}
	for _, w := range []string{"no pushed ref reaches", "conf/creds.ini"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("refusal lacks %q:\n%s", w, stderr)
		}
	}

	// A stray commit whose message alone holds a key.
	msg := "deploy with AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA") + " AWS_SECRET_ACCESS_KEY=" + g.Secret()
	headTree := strings.TrimSpace(gitOK(t, s.clone, "rev-parse", next+"^{tree}"))
	strayMsg := strings.TrimSpace(gitOK(t, s.clone, "commit-tree", headTree, "-p", next, "-m", msg))
	out, stderr = handPush(t, s, "refs/heads/hand", next, strayMsg)
	if !strings.Contains(out, "ng refs/heads/hand pre-receive hook declined") {
		t.Errorf("hand-made pack with a stray commit message: not refused\n%s\n%s", out, stderr)
	}
	if !strings.Contains(stderr, "commit "+strayMsg[:12]+" message") {
		t.Errorf("refusal does not name the stray commit's message:\n%s", stderr)
	}

	// An annotated tag no pushed ref names.
	tagMsg := "release AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA") + " AWS_SECRET_ACCESS_KEY=" + g.Secret()
	gitOK(t, s.clone, "tag", "-a", "v9", "-m", tagMsg, next)
	tag := strings.TrimSpace(gitOK(t, s.clone, "rev-parse", "v9"))
	gitOK(t, s.clone, "tag", "-d", "v9")
	out, stderr = handPush(t, s, "refs/heads/hand", next, tag)
	if !strings.Contains(out, "ng refs/heads/hand pre-receive hook declined") {
		t.Errorf("hand-made pack with a stray tag: not refused\n%s\n%s", out, stderr)
	}
	if !strings.Contains(stderr, "no pushed ref names") {
		t.Errorf("refusal does not name the stray tag:\n%s", stderr)
	}
	for _, o := range []string{stray, strayMsg, tag} {
		if r := gitRun(t, s.bare, nil, "cat-file", "-e", o); r.code == 0 {
			t.Errorf("the refused object %s is in the server's object store", o)
		}
	}
	if out, stderr := handPush(t, s, "refs/heads/hand", next); !strings.Contains(out, "ok refs/heads/hand") {
		t.Errorf("the same pack without strays: not accepted\n%s\n%s", out, stderr)
	}
}
