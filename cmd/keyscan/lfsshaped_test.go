package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestLFSShapedBlobsAreScanned: a blob that starts like a Git LFS pointer
// but holds more than a pointer's lines is a file like any other, and a key
// in it is found by staged, history and the pre-receive gate (qa9 HIGH-6:
// each took it for a pointer, warned and read nothing of it).
func TestLFSShapedBlobsAreScanned(t *testing.T) {
	g := fakekey.New(9601)
	pointer, _ := lfsPointer("model weights\n")
	keyID, secret := g.KeyID("AKIA"), g.Secret()
	shapes := map[string]string{
		"model.bin": pointer + "x-aws-access-key-id " + keyID + "\nx-aws-secret-access-key " + secret + "\n",
		"a.bin":     pointer + fakeCredsFile(g),
		"b.bin":     pointer + "\n" + fakeCredsFile(g),
		"notes.txt": "version https://git-lfs.github.com/spec/v1\n" + fakeCredsFile(g),
	}
	for name, text := range shapes {
		t.Run(name, func(t *testing.T) {
			s := newServer(t)
			writeRepoFile(t, s.clone, name, text)
			gitOK(t, s.clone, "add", name)
			r := keyscanIn(t, s.clone, "staged")
			if r.code != 1 || !strings.Contains(r.stdout, name) {
				t.Errorf("staged: exit %d, want 1 naming %s\n%s%s", r.code, name, r.stdout, r.stderr)
			}
			gitOK(t, s.clone, "commit", "-q", "--no-verify", "-m", "lfs-shaped")
			r = keyscanIn(t, s.clone, "history", ".")
			if r.code != 1 || !strings.Contains(r.stdout, name) {
				t.Errorf("history: exit %d, want 1 naming %s\n%s%s", r.code, name, r.stdout, r.stderr)
			}
			s.mustRefuse([]string{name}, "origin", "main")
		})
	}

	// A real pointer is still one: its content is read from lfs/objects,
	// and its own bytes hold nothing.
	s := newServer(t)
	content := fakeCredsFile(g)
	p, oid := lfsPointer(content)
	s.commit("weights.bin", p, "lfs")
	storeLFS(t, s.clone+"/.git", oid, content)
	r := keyscanIn(t, s.clone, "history", ".")
	if r.code != 1 || !strings.Contains(r.stdout, "weights.bin") {
		t.Errorf("history of an LFS file held in lfs/objects: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
}
