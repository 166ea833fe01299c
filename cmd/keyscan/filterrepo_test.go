package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestReplaceTextRecipe follows README's history-rewrite recipe with the
// real git filter-repo (newuser MEDIUM-7): --replace-text scrubs text blobs
// only, so keyscan names each file whose values it cannot reach (a binary
// blob, an archive member, a compressed file) with the step that removes
// them, and the recipe with that step (--invert-paths --path) leaves
// nothing for keyscan history to find. Without it, those values stay.
// Skipped where git filter-repo is not installed (.ci/run installs it).
func TestReplaceTextRecipe(t *testing.T) {
	if _, err := exec.LookPath("git-filter-repo"); err != nil {
		t.Skip("git filter-repo is not installed (apt-get install -y git-filter-repo)")
	}
	requireKeyscanOnPath(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	gitOK(t, dir, "init", "-q", "src")
	g := fakekey.New(701)
	pair := func(format string) string {
		return strings.NewReplacer("ID", g.KeyID("AKIA"), "SECRET", g.Secret()).Replace(format)
	}
	writeRepoFile(t, src, "app.env", pair("AWS_ACCESS_KEY_ID=ID\nAWS_SECRET_ACCESS_KEY=SECRET\n"))
	writeRepoFile(t, src, "blob.bin", "\x00\x01BIN\n"+pair("aws_access_key_id = ID\naws_secret_access_key = SECRET\n")+strings.Repeat("\x00", 64))
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, err := zw.Create("app/.env")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(pair("AWS_ACCESS_KEY_ID=ID\nAWS_SECRET_ACCESS_KEY=SECRET\n")))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeRepoFile(t, src, "bundle.zip", zb.String())
	var gb bytes.Buffer
	gw := gzip.NewWriter(&gb)
	gw.Write([]byte(pair("[default]\naws_access_key_id = ID\naws_secret_access_key = SECRET\n")))
	gw.Close()
	writeRepoFile(t, src, "creds.gz", gb.String())
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-qm", "keys")
	writeRepoFile(t, src, "README", "hello\n")
	gitOK(t, src, "add", "README")
	gitOK(t, src, "commit", "-qm", "readme")

	repl := filepath.Join(dir, "repl.txt")
	mirror := func(name string) string {
		gitOK(t, dir, "clone", "-q", "--mirror", src, name)
		return filepath.Join(dir, name)
	}
	m := mirror("a.git")
	r := runCmd(t, m, nil, "keyscan", "history", "--all-objects", "--replace-text", repl, ".")
	if r.code != exitFindings {
		t.Fatalf("history --replace-text: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"does not rewrite blob.bin, which holds AKIA", "in a binary file (blob.bin)", "--invert-paths --path 'blob.bin'",
		"does not rewrite bundle.zip", "inside an archive member or a compressed file (bundle.zip!app/.env)",
		"does not rewrite creds.gz", "(creds.gz!creds)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "does not rewrite app.env") {
		t.Errorf("a text file is named as one --replace-text cannot rewrite:\n%s", r.stderr)
	}

	// Without the step: the values in binary and archived files stay.
	filterRepo(t, m, "--replace-text", repl, "--replace-message", repl)
	r = runCmd(t, m, nil, "keyscan", "history", "--all-objects", "--format", "json", ".")
	for _, name := range []string{"blob.bin", "bundle.zip!app/.env", "creds.gz!creds"} {
		if !strings.Contains(r.stdout, `"`+name+`"`) {
			t.Errorf("after --replace-text alone %s should still hold its keys:\n%s", name, r.stdout)
		}
	}
	if strings.Contains(r.stdout, `"app.env"`) {
		t.Errorf("--replace-text left the text file's keys:\n%s", r.stdout)
	}

	// The recipe with the step keyscan names: nothing left.
	m = mirror("b.git")
	filterRepo(t, m, "--replace-text", repl, "--replace-message", repl,
		"--invert-paths", "--path", "blob.bin", "--path", "bundle.zip", "--path", "creds.gz")
	r = runCmd(t, m, nil, "keyscan", "history", "--all-objects", ".")
	if r.code != exitClean {
		t.Errorf("after the recipe keyscan history exits %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(repl); err != nil {
		t.Fatal(err)
	}
}

// filterRepo runs the real git filter-repo in the mirror m.
func filterRepo(t *testing.T, m string, args ...string) {
	t.Helper()
	r := runCmd(t, m, nil, "git", append([]string{"filter-repo", "--force"}, args...)...)
	if r.code != 0 {
		t.Fatalf("git filter-repo %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
}
