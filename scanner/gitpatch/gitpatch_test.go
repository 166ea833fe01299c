package gitpatch_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/gitpatch"
)

// git runs the real git in dir.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestHunksOfGit: the patches the real git writes with --binary, a new
// file (literal) and a change of a large one (delta), give back the file
// and the bytes the change inserts; and git apply of the same patch
// writes the file Hunks read.
func TestHunksOfGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	g := fakekey.New(1208)
	secret := g.Secret()
	key := "aws_secret_access_key = " + secret + "\n"
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	// Binary to git: a NUL. Large and varied, so that a change is a delta.
	var big bytes.Buffer
	big.WriteString("\x00header\n")
	for i := range 4000 {
		big.WriteString(strings.Repeat(string(rune('a'+i%26)), 1+i%7) + "\n")
	}
	os.WriteFile(filepath.Join(dir, "creds.bin"), append([]byte("\x00"), key...), 0o644)
	os.WriteFile(filepath.Join(dir, "big.db"), big.Bytes(), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "one")
	changed := bytes.Replace(big.Bytes(), []byte("header\n"), []byte("header\n"+key), 1)
	os.WriteFile(filepath.Join(dir, "big.db"), changed, 0o644)
	git(t, dir, "commit", "-q", "-am", "two")

	first := git(t, dir, "format-patch", "--binary", "--stdout", "--root", "HEAD~1")
	hs := gitpatch.Hunks([]byte(first), 1<<20)
	var got *gitpatch.Hunk
	for i := range hs {
		if hs[i].Err != nil {
			t.Errorf("hunk %s: %v", hs[i].Path, hs[i].Err)
		}
		if hs[i].Path == "b/creds.bin" && !hs[i].Delta {
			got = &hs[i]
		}
	}
	if got == nil || string(got.Data) != "\x00"+key {
		t.Fatalf("the literal hunk of creds.bin: %+v", hs)
	}

	second := git(t, dir, "diff", "--binary", "HEAD~1", "HEAD")
	hs = gitpatch.Hunks([]byte(second), 1<<20)
	found := false
	for _, h := range hs {
		if h.Err != nil {
			t.Errorf("hunk %s: %v", h.Path, h.Err)
		}
		// The delta copies the line's newline from the old file: the
		// inserted bytes hold the name and the secret.
		if h.Path == "b/big.db" && bytes.Contains(h.Data, []byte("aws_secret_access_key = "+secret)) {
			found = true
			if !h.Delta {
				t.Logf("git wrote a literal hunk for the change (no delta): %d bytes", len(h.Data))
			}
		}
	}
	if !found {
		t.Errorf("the key the change inserts is in no hunk of b/big.db: %d hunks", len(hs))
	}
}

// TestHunksQuoted is qa14 MEDIUM-2: a patch from the real git, quoted in a
// mail reply ("> ", ">> ", and ">" alone on its blank lines as mailers
// write it), indented as a Markdown code block (four blanks, a tab) or
// commented out, gives the same hunks, with their paths, as the patch.
func TestHunksQuoted(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	key := "aws_secret_access_key = " + fakekey.New(1209).Secret() + "\n"
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	os.WriteFile(filepath.Join(dir, "creds.bin"), append([]byte("\x00"), key...), 0o644)
	os.WriteFile(filepath.Join(dir, "two.bin"), append([]byte("\x00two "), key...), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "one")
	patch := git(t, dir, "format-patch", "--binary", "--stdout", "--root", "HEAD")
	quote := func(q, blank string) string {
		var b strings.Builder
		for _, l := range strings.SplitAfter(strings.TrimSuffix(patch, "\n"), "\n") {
			if l == "\n" {
				b.WriteString(blank + "\n")
			} else {
				b.WriteString(q + l)
			}
		}
		return "On Monday you wrote:\n" + b.String() + "\n\nThanks\n"
	}
	want := map[string]string{"b/creds.bin": "\x00" + key, "b/two.bin": "\x00two " + key}
	for name, p := range map[string]string{
		"reply": quote("> ", "> "), "mailer": quote("> ", ">"), "nested": quote(">> ", ">>"),
		"markdown": quote("    ", ""), "tab": quote("\t", "\t"), "comment": quote("# ", "#"),
	} {
		got := map[string]string{}
		for _, h := range gitpatch.Hunks([]byte(p), 1<<20) {
			if h.Err != nil {
				t.Errorf("%s: hunk %s: %v", name, h.Path, h.Err)
			}
			if !h.Delta {
				got[h.Path] = string(h.Data)
			}
		}
		for path, data := range want {
			if got[path] != data {
				t.Errorf("%s: %s reads %q, want %q", name, path, got[path], data)
			}
		}
	}
}

// TestHunksHostile: cut, corrupt and oversized hunks are errors, never a
// panic, and never silently dropped.
func TestHunksHostile(t *testing.T) {
	valid := "diff --git a/x b/x\nGIT binary patch\nliteral 5\nMcmZ?b1`JF-0000\n\n"
	if hs := gitpatch.Hunks([]byte(valid), 100); len(hs) != 1 {
		t.Fatalf("valid: %+v", hs)
	}
	for name, p := range map[string]string{
		"cut":       "GIT binary patch\nliteral 5\nMcmZ?b1`JF",
		"bad-char":  "GIT binary patch\nliteral 5\nMcmZ?b1`JF-000\"\n\n",
		"bad-len":   "GIT binary patch\nliteral 5\n9cmZ?b1`JF-0000\n\n",
		"too-big":   "GIT binary patch\nliteral 999999\nMcmZ?b1`JF-0000\n\n",
		"wrong-len": "GIT binary patch\nliteral 7\nMcmZ?b1`JF-0000\n\n",
		"no-size":   "GIT binary patch\nliteral x\nMcmZ?b1`JF-0000\n\n",
		"overflow":  "GIT binary patch\nliteral 5\nE~~~~~\n\n",
	} {
		hs := gitpatch.Hunks([]byte(p), 1000)
		if len(hs) != 1 || hs[0].Err == nil {
			t.Errorf("%s: %+v, want one hunk with an error", name, hs)
		}
	}
}

func FuzzHunks(f *testing.F) {
	f.Add([]byte("diff --git a/x b/x\nGIT binary patch\nliteral 5\nMcmZ?b1`JF-0000\n\nliteral 0\nHcmV?d00001\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, h := range gitpatch.Hunks(data, 1<<16) {
			if h.Err == nil && int64(len(h.Data)) > 1<<16 {
				t.Fatalf("hunk of %d bytes past the limit", len(h.Data))
			}
		}
	})
}
