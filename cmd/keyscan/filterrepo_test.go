package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestReplaceTextRecipe follows README's history-rewrite recipe with the
// real git filter-repo (newuser MEDIUM-7): --replace-text scrubs text blobs
// only, so keyscan names each file whose values it cannot reach (a binary
// blob, an archive member, a compressed file) with the step that removes
// them, and the recipe with that step (--invert-paths --path) leaves
// nothing for keyscan history to find. Without it, those values stay.
// Skipped where git filter-repo is not installed (.ci/run installs it).
func TestReplaceTextRecipe(t *testing.T) {
	dir, src := filterRepoSource(t)
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

// filterRepoSource skips a test where git filter-repo is not installed,
// and makes a folder with an empty repository "src" in it.
func filterRepoSource(t *testing.T) (dir, src string) {
	t.Helper()
	if _, err := exec.LookPath("git-filter-repo"); err != nil {
		t.Skip("git filter-repo is not installed (apt-get install -y git-filter-repo)")
	}
	requireKeyscanOnPath(t)
	dir = t.TempDir()
	gitOK(t, dir, "init", "-q", "src")
	return dir, filepath.Join(dir, "src")
}

// filterRepo runs the real git filter-repo in the mirror m.
func filterRepo(t *testing.T, m string, args ...string) {
	t.Helper()
	r := runCmd(t, m, nil, "git", append([]string{"filter-repo", "--force"}, args...)...)
	if r.code != 0 {
		t.Fatalf("git filter-repo %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
}

// TestReplaceMessageRecipe: keys pasted into commit messages encoded (the
// base64 of a gzip'd credentials file, plain base64) are scrubbed by the
// recipe's --replace-message, the replacements file holding their encoded
// runs as they stand in the messages (qa14 MEDIUM-5: it held the decoded
// values only, which no message contains). A key inside an archive encoded
// in a message, and one in a commit's header lines, cannot be reached by
// replacing text: --replace-text names each commit and the step that
// rewrites it, and they are what the recipe leaves. Real git filter-repo.
func TestReplaceMessageRecipe(t *testing.T) {
	dir, src := filterRepoSource(t)
	g := fakekey.New(702)
	creds := func() []byte {
		var b strings.Builder
		for i := range 60 {
			fmt.Fprintf(&b, "setting_%d = value %d\n", i, i)
		}
		fmt.Fprintf(&b, "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", g.KeyID("AKIA"), g.Secret())
		return []byte(b.String())
	}
	wrap := func(b []byte) string { // base64 as base64(1) writes it, 76 columns
		s := base64.StdEncoding.EncodeToString(b)
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString(s[:76] + "\n")
			s = s[76:]
		}
		return out.String() + s + "\n"
	}
	gz := archivetest.Gzip(t, "", creds())
	zb := archivetest.Zip(t, archivetest.F("creds", creds()))
	commit := func(msg string, env ...string) string {
		writeRepoFile(t, dir, "msg", msg)
		r := gitRun(t, src, env, "commit", "-q", "--allow-empty", "-F", filepath.Join(dir, "msg"))
		if r.code != 0 {
			t.Fatalf("git commit: %s", r.stderr)
		}
		return gitOK(t, src, "rev-parse", "HEAD")[:12]
	}
	writeRepoFile(t, src, "README", "hello\n")
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-qm", "init")
	gzipped := commit("add the config\n\n" + wrap(gz))
	plain := commit("plain\n\n" + wrap([]byte(fmt.Sprintf("aws_access_key_id=%s\naws_secret_access_key=%s\n", g.KeyID("AKIA"), g.Secret()))))
	zipped := commit("add a zip\n\n" + wrap(zb))
	header := commit("a header", "GIT_AUTHOR_NAME=aws_access_key_id="+g.KeyID("AKIA"))
	tag := g.KeyID("AKIA")
	gitOK(t, src, "tag", tag) // a ref's name: filter-repo renames no ref (qa14 MEDIUM-12)

	repl := filepath.Join(dir, "repl.txt")
	gitOK(t, dir, "clone", "-q", "--mirror", src, "m.git")
	m := filepath.Join(dir, "m.git")
	r := runCmd(t, m, nil, "keyscan", "history", "--replace-text", repl, ".")
	if r.code != exitFindings {
		t.Fatalf("history --replace-text: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"--replace-message does not scrub commit " + zipped + " message", "inside an archive encoded in the message", "--message-callback",
		"--replace-message does not rewrite commit " + header + " header", "--mailmap",
		"in the name of the ref refs/tags/AKIA", "git tag -d OLD",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	for _, id := range []string{gzipped, plain} {
		if strings.Contains(r.stderr, id) {
			t.Errorf("a warning names commit %s, whose message --replace-message scrubs:\n%s", id, r.stderr)
		}
	}
	filterRepo(t, m, "--replace-text", repl, "--replace-message", repl)
	r = runCmd(t, m, nil, "keyscan", "history", "--format", "json", ".")
	var left []struct{ File, Encoding string }
	if err := json.Unmarshal([]byte(r.stdout), &left); err != nil {
		t.Fatalf("%v\n%s%s", err, r.stdout, r.stderr)
	}
	var inZip, inHeader, inRef int
	for _, f := range left {
		switch {
		case f.File == "ref refs/tags/"+tag[:4]+"************"+tag[16:]+" (name)":
			inRef++
		case strings.Contains(f.File, " message!base64 "):
			inZip++
		case strings.HasSuffix(f.File, " header"):
			inHeader++
		default:
			t.Errorf("after the recipe %s (%s) is left, which --replace-message should have scrubbed", f.File, f.Encoding)
		}
	}
	if inZip != 2 || inHeader != 1 || inRef != 1 {
		t.Errorf("after the recipe: %d values in the zip's message, %d in the header, %d in the tag's name; want 2, 1 and 1 (what the warnings name)\n%s",
			inZip, inHeader, inRef, r.stdout)
	}
	// The ref, deleted as the warning says: its name is gone.
	gitOK(t, m, "tag", "-d", tag)
	r = runCmd(t, m, nil, "keyscan", "history", "--format", "json", ".")
	if strings.Contains(r.stdout, `"ref refs/tags/`) {
		t.Errorf("the deleted tag's name is still reported:\n%s", r.stdout)
	}
}
