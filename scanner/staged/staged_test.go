package staged

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/internal/fixture"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/keyscan/keyscan/scanner/content"
)

// gitEnv keeps the machine's git configuration out of the tests.
var gitEnv = []string{
	"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
	"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
	"GIT_AUTHOR_DATE=2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z",
	"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	full := append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com",
		"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)
	cmd := exec.Command("git", full...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), gitEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func newRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	return dir
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func scan(t *testing.T, dir string, opts Options) Result {
	t.Helper()
	res, err := Scan(context.Background(), dir, fixture.Scanner(t), opts)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return res
}

// where lists findings as "file:line kind".
func where(fs scanner.Findings) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.File+":"+strconv.Itoa(f.Line)+" "+string(f.Kind))
	}
	return out
}

func files(r Result) []string {
	var out []string
	for _, f := range r.Files {
		s := string(f.Status) + " " + f.Path
		if f.OldPath != "" {
			s += " from " + f.OldPath
		}
		out = append(out, s)
	}
	return out
}

func creds(id, secret string) string {
	return "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
}

func lines(n int, prefix string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(prefix + " line " + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

func TestFirstCommitScansEveryStagedFile(t *testing.T) {
	g := fakekey.New(1)
	dir := newRepo(t)
	write(t, dir, "config/credentials", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "README", "hello\n")
	git(t, dir, "add", ".")
	res := scan(t, dir, Options{})
	if !res.Initial {
		t.Error("Initial = false on a repository with no HEAD")
	}
	want := []string{"config/credentials:2 access_key_id", "config/credentials:3 secret_access_key"}
	if diff := cmp.Diff(want, where(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"added README", "added config/credentials"}, files(res)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestEmptyRepositoryHasNothingStaged(t *testing.T) {
	res := scan(t, newRepo(t), Options{})
	if len(res.Files) != 0 || len(res.Findings) != 0 {
		t.Errorf("got files %v findings %v, want none", res.Files, res.Findings)
	}
}

func TestChangedFileReportsOnlyAddedLines(t *testing.T) {
	g := fakekey.New(2)
	dir := newRepo(t)
	old := creds(g.KeyID("AKIA"), g.Secret())
	write(t, dir, "creds.ini", old+lines(20, "# filler"))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "old key")

	// An unrelated change next to a key already in HEAD is not blocked.
	write(t, dir, "creds.ini", old+lines(20, "# filler")+"# a comment\n")
	git(t, dir, "add", ".")
	res := scan(t, dir, Options{})
	if len(res.Findings) != 0 {
		t.Errorf("unrelated change: got %v, want no findings", where(res.Findings))
	}
	if diff := cmp.Diff([]File{{Path: "creds.ini", Status: Modified, Lines: 1}}, res.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}

	// A new key in the same file is reported, and only it.
	write(t, dir, "creds.ini", old+lines(20, "# filler")+"\n[prod]\naws_access_key_id = "+g.KeyID("AKIA")+"\n")
	git(t, dir, "add", ".")
	res = scan(t, dir, Options{})
	if diff := cmp.Diff([]string{"creds.ini:26 access_key_id"}, where(res.Findings)); diff != "" {
		t.Errorf("new key (-want +got):\n%s", diff)
	}
}

func TestSecretAddedNextToExistingKeyIDPairs(t *testing.T) {
	g := fakekey.New(3)
	id, secret := g.KeyID("AKIA"), g.Secret()
	dir := newRepo(t)
	write(t, dir, "creds.ini", "[default]\naws_access_key_id = "+id+"\nregion = eu-west-1\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "id only")
	write(t, dir, "creds.ini", "[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\nregion = eu-west-1\n")
	git(t, dir, "add", ".")
	res := scan(t, dir, Options{})
	if diff := cmp.Diff([]string{"creds.ini:3 secret_access_key"}, where(res.Findings)); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
	f := res.Findings[0]
	if f.Secret != secret {
		t.Errorf("secret = %q, want the added one", f.Secret)
	}
	if want := scanner.Fingerprint("aws-access-key-id", "creds.ini", id); f.Pair != want {
		t.Errorf("Pair = %q, want the fingerprint of the key ID already in HEAD (%q): the whole file must be scanned", f.Pair, want)
	}
}

func TestRenameDeleteAndModeChangeAddNothing(t *testing.T) {
	g := fakekey.New(4)
	dir := newRepo(t)
	body := creds(g.KeyID("AKIA"), g.Secret()) + lines(30, "# notes")
	write(t, dir, "a/creds.ini", body)
	write(t, dir, "b/old.ini", body+"# b\n")
	write(t, dir, "c/gone.ini", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "d/script.sh", "#!/bin/sh\n# "+creds(g.KeyID("AKIA"), g.Secret()))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "keys")

	if err := os.Mkdir(filepath.Join(dir, "moved"), 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "mv", "a/creds.ini", "moved/creds.ini")      // exact rename
	git(t, dir, "mv", "b/old.ini", "b/new.ini")              // rename with an edit
	write(t, dir, "b/new.ini", body+"# b\n# edited\n")       //
	git(t, dir, "rm", "-q", "c/gone.ini")                    // deletion
	git(t, dir, "update-index", "--chmod=+x", "d/script.sh") // mode change only
	git(t, dir, "add", ".")
	res := scan(t, dir, Options{})
	if len(res.Findings) != 0 {
		t.Errorf("got findings %v, want none", where(res.Findings))
	}
	want := []string{"renamed b/new.ini from b/old.ini", "deleted c/gone.ini", "renamed moved/creds.ini from a/creds.ini"}
	if diff := cmp.Diff(want, files(res)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	for _, f := range res.Files {
		if f.Path == "b/new.ini" && f.Lines != 1 {
			t.Errorf("b/new.ini: %d lines added, want 1", f.Lines)
		}
	}
}

func TestCopyOfAKeyIntoANewFileIsReported(t *testing.T) {
	g := fakekey.New(5)
	dir := newRepo(t)
	body := creds(g.KeyID("AKIA"), g.Secret())
	write(t, dir, "one.ini", body)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "one")
	write(t, dir, "two.ini", body) // a copy spreads the key: not a rename
	git(t, dir, "add", ".")
	res := scan(t, dir, Options{})
	if diff := cmp.Diff([]string{"two.ini:2 access_key_id", "two.ini:3 secret_access_key"}, where(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestBinaryFilesReportOnlyNewValues(t *testing.T) {
	g := fakekey.New(6)
	dir := newRepo(t)
	id1, id2 := g.KeyID("AKIA"), g.KeyID("AKIA")
	bin := func(ids ...string) string {
		s := "\x00\x01BIN\x00"
		for _, id := range ids {
			s += "\x00key=" + id + "\x00\xff"
		}
		return s
	}
	write(t, dir, "blob.db", bin(id1))
	git(t, dir, "add", ".")
	res := scan(t, dir, Options{})
	if len(res.Files) != 1 || !res.Files[0].Binary {
		t.Fatalf("files = %+v, want one binary file", res.Files)
	}
	if len(res.Findings) != 1 || res.Findings[0].Secret != id1 {
		t.Errorf("new binary: got %v, want %s", where(res.Findings), id1)
	}
	git(t, dir, "commit", "-q", "--no-verify", "-m", "db")

	write(t, dir, "blob.db", "\x00more"+bin(id1)) // same key, moved: nothing new
	git(t, dir, "add", ".")
	if res := scan(t, dir, Options{}); len(res.Findings) != 0 {
		t.Errorf("binary keeping its key: got %v, want none", where(res.Findings))
	}
	write(t, dir, "blob.db", bin(id1, id2))
	git(t, dir, "add", ".")
	res = scan(t, dir, Options{})
	if len(res.Findings) != 1 || res.Findings[0].Secret != id2 {
		t.Errorf("binary gaining a key: got %v, want only %s", where(res.Findings), id2)
	}
}

func TestMergeReportsOnlyWhatNoParentHas(t *testing.T) {
	g := fakekey.New(7)
	dir := newRepo(t)
	write(t, dir, "app.ini", lines(10, "# app"))
	write(t, dir, "both.ini", lines(10, "# both"))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "base")
	git(t, dir, "checkout", "-q", "-b", "topic")
	topicKey := creds(g.KeyID("AKIA"), g.Secret())
	write(t, dir, "app.ini", lines(10, "# app")+topicKey)
	write(t, dir, "topic.ini", topicKey)
	write(t, dir, "both.ini", "# topic edit\n"+lines(10, "# both"))
	git(t, dir, "commit", "-q", "--no-verify", "-am", "topic")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "topic file")
	git(t, dir, "checkout", "-q", "main")
	write(t, dir, "both.ini", lines(10, "# both")+"# main edit\n")
	git(t, dir, "commit", "-q", "--no-verify", "-am", "main")
	git(t, dir, "merge", "-q", "--no-commit", "--no-ff", "topic")

	res := scan(t, dir, Options{})
	if !res.Merge {
		t.Error("Merge = false during a merge")
	}
	if len(res.Findings) != 0 {
		t.Errorf("merging keys committed on the other side: got %v, want none", where(res.Findings))
	}
	// A key written while resolving the merge belongs to neither parent.
	write(t, dir, "both.ini", "# topic edit\n"+lines(10, "# both")+"# main edit\naws_access_key_id = "+g.KeyID("AKIA")+"\n")
	git(t, dir, "add", "both.ini")
	res = scan(t, dir, Options{})
	if diff := cmp.Diff([]string{"both.ini:13 access_key_id"}, where(res.Findings)); diff != "" {
		t.Errorf("key added in the merge (-want +got):\n%s", diff)
	}
}

func TestAllAddsUnstagedChangesOfTrackedFiles(t *testing.T) {
	g := fakekey.New(8)
	dir := newRepo(t)
	write(t, dir, "app.ini", lines(5, "# app"))
	write(t, dir, "old.ini", lines(5, "# old"))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "base")
	write(t, dir, "app.ini", lines(5, "# app")+creds(g.KeyID("AKIA"), g.Secret())) // modified, not staged
	write(t, dir, "untracked.ini", creds(g.KeyID("AKIA"), g.Secret()))             // commit -a leaves it out
	if err := os.Remove(filepath.Join(dir, "old.ini")); err != nil {
		t.Fatal(err)
	}
	if res := scan(t, dir, Options{}); len(res.Findings) != 0 || len(res.Files) != 0 {
		t.Errorf("without --all: got files %v findings %v, want none", files(res), where(res.Findings))
	}
	res := scan(t, dir, Options{All: true})
	if diff := cmp.Diff([]string{"app.ini:7 access_key_id", "app.ini:8 secret_access_key"}, where(res.Findings)); diff != "" {
		t.Errorf("--all findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"modified app.ini", "deleted old.ini"}, files(res)); diff != "" {
		t.Errorf("--all files (-want +got):\n%s", diff)
	}
}

// TestAllReadsIntentToAdd: git add -N puts a path in the index with
// nothing staged, and git commit -a commits the work tree's file; --all,
// "what commit -a would commit", missed it (qa7 LOW-3).
func TestAllReadsIntentToAdd(t *testing.T) {
	g := fakekey.New(10)
	dir := newRepo(t)
	write(t, dir, "app.ini", lines(5, "# app"))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "base")
	write(t, dir, "k.env", creds(g.KeyID("AKIA"), g.Secret()))
	git(t, dir, "add", "-N", "k.env")
	if res := scan(t, dir, Options{}); len(res.Findings) != 0 {
		t.Errorf("without --all: findings %v, want none (nothing staged)", where(res.Findings))
	}
	res := scan(t, dir, Options{All: true})
	if diff := cmp.Diff([]string{"k.env:2 access_key_id", "k.env:3 secret_access_key"}, where(res.Findings)); diff != "" {
		t.Errorf("--all with an intent-to-add file (-want +got):\n%s", diff)
	}
}

// git commit -a and git commit PATH stage into a temporary index and point
// hooks at it with GIT_INDEX_FILE.
func TestIndexFileIsWhatTheCommitHolds(t *testing.T) {
	g := fakekey.New(9)
	dir := newRepo(t)
	write(t, dir, "app.ini", "# app\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "base")
	write(t, dir, "app.ini", "# app\n"+creds(g.KeyID("AKIA"), g.Secret()))
	tmp := filepath.Join(t.TempDir(), "index")
	data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "add", "app.ini")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GIT_INDEX_FILE="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git add: %v\n%s", err, out)
	}
	if res := scan(t, dir, Options{}); len(res.Findings) != 0 {
		t.Errorf("repository index: got %v, want none", where(res.Findings))
	}
	if res := scan(t, dir, Options{IndexFile: tmp}); len(res.Findings) != 2 {
		t.Errorf("temporary index: got %v, want the key pair", where(res.Findings))
	}
}

func TestRunsFromASubfolderAndALinkedWorkTree(t *testing.T) {
	g := fakekey.New(10)
	dir := newRepo(t)
	write(t, dir, "deep/er/x.txt", "x\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "base")
	git(t, dir, "gc", "-q") // HEAD's objects in a pack, with deltas where git likes
	write(t, dir, "top.ini", creds(g.KeyID("AKIA"), g.Secret()))
	git(t, dir, "add", ".")
	res := scan(t, filepath.Join(dir, "deep", "er"), Options{})
	if len(res.Findings) != 2 || res.Findings[0].File != "top.ini" {
		t.Errorf("from a subfolder: got %v, want top.ini's pair", where(res.Findings))
	}
	if res.Root != dir {
		t.Errorf("Root = %q, want %q", res.Root, dir)
	}

	wt := filepath.Join(t.TempDir(), "wt")
	git(t, dir, "worktree", "add", "-q", wt)
	write(t, wt, "wt.ini", creds(g.KeyID("AKIA"), g.Secret()))
	git(t, wt, "add", ".")
	res = scan(t, wt, Options{})
	if len(res.Findings) != 2 || res.Findings[0].File != "wt.ini" {
		t.Errorf("linked work tree: got %v, want wt.ini's pair", where(res.Findings))
	}
}

func TestExcludeAndMaxFileSize(t *testing.T) {
	g := fakekey.New(11)
	dir := newRepo(t)
	write(t, dir, "testdata/fixture.ini", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "big.ini", creds(g.KeyID("AKIA"), g.Secret())+lines(100, "# pad"))
	git(t, dir, "add", ".")
	res := scan(t, dir, Options{
		Exclude:     func(p string) bool { return strings.HasPrefix(p, "testdata/") },
		MaxFileSize: 1000,
	})
	if len(res.Findings) != 0 {
		t.Errorf("got %v, want none", where(res.Findings))
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "big.ini") {
		t.Errorf("warnings = %q, want one naming big.ini", res.Warnings)
	}
	skipped := []string{}
	for _, f := range res.Files {
		if f.Skipped != "" {
			skipped = append(skipped, f.Path)
		}
	}
	slices.Sort(skipped)
	if diff := cmp.Diff([]string{"big.ini", "testdata/fixture.ini"}, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

func TestNotARepository(t *testing.T) {
	_, err := Scan(context.Background(), t.TempDir(), fixture.Scanner(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "not inside a git work tree") {
		t.Errorf("err = %v, want one saying the folder is not in a work tree", err)
	}
}

func TestSparseIndex(t *testing.T) {
	g := fakekey.New(13)
	dir := newRepo(t)
	write(t, dir, "in/a.txt", "a\n")
	write(t, dir, "out/old.ini", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "out/deep/b.txt", "b\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "base")
	git(t, dir, "sparse-checkout", "init", "--cone", "--sparse-index")
	git(t, dir, "sparse-checkout", "set", "in")
	idx, err := gitobj.ReadIndex(filepath.Join(dir, ".git", "index"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(idx.Entries, func(e gitobj.IndexEntry) bool { return e.IsDir() }) {
		t.Skip("git did not write a sparse index")
	}
	write(t, dir, "in/new.ini", creds(g.KeyID("AKIA"), g.Secret()))
	git(t, dir, "add", "in/new.ini")
	res := scan(t, dir, Options{})
	if diff := cmp.Diff([]string{"in/new.ini:2 access_key_id", "in/new.ini:3 secret_access_key"}, where(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"added in/new.ini"}, files(res)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// TestArchiveMembersNewOrChanged stages an archive, commits it, then stages a
// new version where one member is unchanged (its key already committed), one
// is changed and one is new: only the keys of the changed and the new member
// are reported, under the member's name.
func TestArchiveMembersNewOrChanged(t *testing.T) {
	g := fakekey.New(7)
	dir := newRepo(t)
	id1, id2, id3 := g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA")
	kept := archivetest.F("conf/kept.ini", []byte("aws_access_key_id = "+id1+"\n"))
	write(t, dir, "app.jar", string(archivetest.Zip(t, kept, archivetest.F("conf/changed.ini", []byte("region = x\n")))))
	git(t, dir, "add", ".")
	opts := Options{Content: content.DefaultOptions()}
	res := scan(t, dir, opts)
	if got := where(res.Findings); !slices.Equal(got, []string{"app.jar!conf/kept.ini:1 access_key_id"}) {
		t.Errorf("new archive: got %v", got)
	}
	git(t, dir, "commit", "-q", "--no-verify", "-m", "jar")

	write(t, dir, "app.jar", string(archivetest.Zip(t, archivetest.F("conf/changed.ini", []byte("aws_access_key_id = "+id2+"\n")),
		kept, archivetest.F("conf/new.ini", []byte("aws_access_key_id = "+id3+"\n")))))
	git(t, dir, "add", ".")
	res = scan(t, dir, opts)
	want := []string{"app.jar!conf/changed.ini:1 access_key_id", "app.jar!conf/new.ini:1 access_key_id"}
	if got := where(res.Findings); !slices.Equal(got, want) {
		t.Errorf("changed archive: got %v, want %v", got, want)
	}
	opts.Content.Archives.MaxDepth = 0
	if res := scan(t, dir, opts); len(res.Findings) != 0 {
		t.Errorf("archives closed: got %v, want nothing (compressed members hold no text)", where(res.Findings))
	}
}

// TestArchiveOverMaxFileSize: a staged archive over max_file_size is opened
// up to archives.max_archive_size, as keyscan scan and history open it
// (content.Options.OpensLarge); a plain file of the same size is skipped.
func TestArchiveOverMaxFileSize(t *testing.T) {
	g := fakekey.New(17)
	dir := newRepo(t)
	id := g.KeyID("AKIA")
	pad := make([]byte, 4000)
	r := rand.New(rand.NewPCG(17, 17))
	for i := range pad {
		pad[i] = byte(r.Uint32()) // random: the zip stays as large
	}
	write(t, dir, "app.jar", string(archivetest.Zip(t, archivetest.F("lib/a.bin", pad[:900]), archivetest.F("lib/b.bin", pad[900:1800]),
		archivetest.F("lib/c.bin", pad[1800:2700]), archivetest.F("conf/app.ini", []byte("aws_access_key_id = "+id+"\n")))))
	write(t, dir, "big.ini", "aws_access_key_id = "+g.KeyID("AKIA")+"\n"+lines(200, "# pad"))
	git(t, dir, "add", ".")
	for _, tc := range []struct {
		name       string
		maxArchive int64
		want       []string
	}{
		{"opened", 1 << 20, []string{"app.jar!conf/app.ini:1 access_key_id"}},
		{"over max_archive_size", 1000, nil},
	} {
		opts := Options{MaxFileSize: 1000, Content: content.DefaultOptions()}
		opts.Content.Archives.MaxArchiveSize = tc.maxArchive
		opts.Content.Archives.MaxMemberSize = 1000
		res := scan(t, dir, opts)
		if got := where(res.Findings); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		var skipped []string
		for _, f := range res.Files {
			if f.Skipped != "" {
				skipped = append(skipped, f.Path)
			}
		}
		want := []string{"big.ini"}
		if tc.want == nil {
			want = []string{"app.jar", "big.ini"}
		}
		if !slices.Equal(skipped, want) {
			t.Errorf("%s: skipped %v, want %v", tc.name, skipped, want)
		}
	}
}

// TestContextChangeCountsTheValue: a commit that makes a value AWS's by
// changing only its context (qa10 MEDIUM-3) adds that value, though its
// line is untouched: the value counts when HEAD's version (or every merge
// parent's) did not report it. A change that leaves the context alone, or
// a value HEAD already reported, adds nothing.
func TestContextChangeCountsTheValue(t *testing.T) {
	g := fakekey.New(31)
	goog := "GOOG1E" + strings.Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 3)[:55]
	cases := []struct {
		name, file, before, after string
	}{
		{"MinIO endpoint deleted", "app.ini",
			"[storage]\nendpoint_url = http://minio.internal:9000\nregion = us-east-1\naws_secret_access_key = %s\n",
			"[storage]\nregion = us-east-1\naws_secret_access_key = %s\n"},
		{"rclone provider removed", "rclone.conf",
			"[remote]\ntype = s3\nprovider = Minio\naccess_key_id = x\nsecret_access_key = %s\n",
			"[remote]\ntype = s3\naccess_key_id = x\nsecret_access_key = %s\n"},
		{"gcs section renamed", "store.ini",
			"[gcs]\nsecret_key = %s\n",
			"[s3]\nsecret_key = %s\n"},
		{"GOOG key ID deleted", "creds.ini",
			"[default]\naws_access_key_id = " + goog + "\naws_secret_access_key = %s\n",
			"[default]\naws_secret_access_key = %s\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			secret := g.Secret()
			dir := newRepo(t)
			before := strings.Replace(tc.before, "%s", secret, 1)
			write(t, dir, tc.file, before)
			git(t, dir, "add", ".")
			if res := scan(t, dir, Options{}); len(res.Findings) != 0 {
				t.Fatalf("the other system's secret is reported: %v", where(res.Findings))
			}
			git(t, dir, "commit", "-q", "--no-verify", "-m", "not AWS")

			// An unrelated line: the context stays, nothing is added.
			write(t, dir, tc.file, before+"# note\n")
			git(t, dir, "add", ".")
			if res := scan(t, dir, Options{}); len(res.Findings) != 0 {
				t.Errorf("unrelated change: got %v, want none", where(res.Findings))
			}

			write(t, dir, tc.file, strings.Replace(tc.after, "%s", secret, 1))
			git(t, dir, "add", ".")
			res := scan(t, dir, Options{})
			if len(res.Findings) != 1 || res.Findings[0].Secret != secret || res.Findings[0].Kind != "secret_access_key" {
				t.Fatalf("context change: got %v, want the secret", where(res.Findings))
			}
			git(t, dir, "commit", "-q", "--no-verify", "-m", "AWS now")

			// Reported in HEAD already: an edit beside it adds nothing.
			write(t, dir, tc.file, "# moved to AWS\n"+strings.Replace(tc.after, "%s", secret, 1))
			git(t, dir, "add", ".")
			if res := scan(t, dir, Options{}); len(res.Findings) != 0 {
				t.Errorf("edit beside a value HEAD reports: got %v, want none", where(res.Findings))
			}
		})
	}
}

// TestContextChangeInAMerge: in a merge a value on a line no side changed
// counts when no parent's version reported it: the merge of a branch that
// deleted the MinIO endpoint is that branch's change (its commit was
// judged), but a merge whose result makes the value AWS's is judged here.
func TestContextChangeInAMerge(t *testing.T) {
	g := fakekey.New(32)
	secret := g.Secret()
	dir := newRepo(t)
	body := func(endpoint, section string) string {
		return "[" + section + "]\n" + endpoint + "region = us-east-1\naws_secret_access_key = " + secret + "\n" + lines(8, "# app")
	}
	minio := "endpoint_url = http://minio.internal:9000\n"
	write(t, dir, "app.ini", body(minio, "storage"))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "base")
	git(t, dir, "checkout", "-q", "-b", "topic")
	write(t, dir, "app.ini", body("", "storage"))
	git(t, dir, "commit", "-q", "--no-verify", "-am", "topic: AWS")
	git(t, dir, "checkout", "-q", "main")
	write(t, dir, "app.ini", body(minio, "storage")+"# main edit\n")
	git(t, dir, "commit", "-q", "--no-verify", "-am", "main edit")
	git(t, dir, "merge", "-q", "--no-commit", "--no-ff", "topic")
	if res := scan(t, dir, Options{}); len(res.Findings) != 0 {
		t.Errorf("merging the branch that made it AWS's: got %v, want none (a parent reports it)", where(res.Findings))
	}
	git(t, dir, "merge", "--abort")

	// Each side changes the context half way; the merge finishes it.
	git(t, dir, "checkout", "-q", "-b", "half", "main~1")
	write(t, dir, "app.ini", body(minio, "s3"))
	git(t, dir, "commit", "-q", "--no-verify", "-am", "half: section")
	git(t, dir, "checkout", "-q", "main")
	git(t, dir, "merge", "-q", "--no-commit", "--no-ff", "half")
	write(t, dir, "app.ini", body("", "s3")+"# main edit\n")
	git(t, dir, "add", "app.ini")
	res := scan(t, dir, Options{})
	if len(res.Findings) != 1 || res.Findings[0].Secret != secret {
		t.Errorf("merge that makes the value AWS's: got %v, want the secret", where(res.Findings))
	}
}

// TestEncodedArchiveInText: a tar.gz in base64 in a text file (qa11 HIGH-3)
// is opened by the commit hook as by scan; a commit that leaves it as it
// was, changing another line, adds nothing.
func TestEncodedArchiveInText(t *testing.T) {
	g := fakekey.New(12)
	tgz := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F(".aws/credentials", []byte(creds(g.KeyID("AKIA"), g.Secret())))))
	script := "#!/bin/sh\necho '" + base64.StdEncoding.EncodeToString(tgz) + "' | base64 -d | tar xzf -\n"
	dir := newRepo(t)
	write(t, dir, "install.sh", script)
	git(t, dir, "add", ".")
	sum := sha256.Sum256(tgz)
	m := fmt.Sprintf("install.sh!base64 %x!.aws/credentials", sum[:4])
	want := []string{m + ":2 access_key_id", m + ":3 secret_access_key"}
	if diff := cmp.Diff(want, where(scan(t, dir, Options{Content: content.DefaultOptions()}).Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	git(t, dir, "commit", "-q", "-m", "x")
	write(t, dir, "install.sh", script+"echo done\n")
	git(t, dir, "add", ".")
	if fs := scan(t, dir, Options{Content: content.DefaultOptions()}).Findings; len(fs) != 0 {
		t.Errorf("an unchanged encoded archive reported again: %v", where(fs))
	}
}

// TestByteLiteralArchiveInText: go-bindata's gzip stream as \x escapes
// (qa12 HIGH-4) is opened by the commit hook as by scan, named by its
// notation and hash; a commit that changes another line adds nothing.
func TestByteLiteralArchiveInText(t *testing.T) {
	g := fakekey.New(13)
	gz := archivetest.Gzip(t, "", []byte(creds(g.KeyID("AKIA"), g.Secret())))
	var esc strings.Builder
	for _, c := range gz {
		fmt.Fprintf(&esc, `\x%02x`, c)
	}
	src := "package main\n\nvar _configProdYaml = []byte(\"" + esc.String() + "\")\n"
	dir := newRepo(t)
	write(t, dir, "bindata.go", src)
	git(t, dir, "add", ".")
	name := content.EmbeddedName("bindata.go", "string-escape", gz)
	fs := where(scan(t, dir, Options{Content: content.DefaultOptions()}).Findings)
	if len(fs) != 2 || !strings.HasPrefix(fs[0], name+"!") || !strings.HasPrefix(fs[1], name+"!") {
		t.Errorf("findings %q, want the pair in a member of %s", fs, name)
	}
	git(t, dir, "commit", "-q", "-m", "x")
	write(t, dir, "bindata.go", src+"\nfunc main() {}\n")
	git(t, dir, "add", ".")
	if fs := scan(t, dir, Options{Content: content.DefaultOptions()}).Findings; len(fs) != 0 {
		t.Errorf("an unchanged archive reported again: %v", where(fs))
	}
}

// TestGitBinaryPatchInText: a patch the real git writes with --binary
// carries a file holding a key pair as deflated base85 (qa14 HIGH-13): the
// commit hook reads the file it carries as scan does; a commit that
// leaves the patch as it was, changing another line, adds nothing.
func TestGitBinaryPatchInText(t *testing.T) {
	g := fakekey.New(14)
	src := newRepo(t)
	// A NUL makes the file binary to git, so the patch carries it deflated.
	write(t, src, "creds.bin", "\x00"+creds(g.KeyID("AKIA"), g.Secret()))
	git(t, src, "add", ".")
	git(t, src, "commit", "-q", "--no-verify", "-m", "add")
	patch := git(t, src, "format-patch", "--binary", "--stdout", "--root", "HEAD")
	if !strings.Contains(patch, "GIT binary patch") {
		t.Fatal("git wrote no binary patch")
	}
	dir := newRepo(t)
	write(t, dir, "0001-add.patch", patch)
	git(t, dir, "add", ".")
	fs := where(scan(t, dir, Options{Content: content.DefaultOptions()}).Findings)
	if len(fs) != 2 || !strings.HasPrefix(fs[0], "0001-add.patch!b/creds.bin:") || !strings.HasPrefix(fs[1], "0001-add.patch!b/creds.bin:") {
		t.Errorf("findings %q, want the pair in 0001-add.patch!b/creds.bin", fs)
	}
	git(t, dir, "commit", "-q", "--no-verify", "-m", "x")
	write(t, dir, "0001-add.patch", patch+"-- \nthanks\n")
	git(t, dir, "add", ".")
	if fs := scan(t, dir, Options{Content: content.DefaultOptions()}).Findings; len(fs) != 0 {
		t.Errorf("an unchanged patch reported again: %v", where(fs))
	}
}

// TestArchiveDepthZeroCounted: with --max-archive-depth 0 a staged archive
// is read as a binary file, and that its members were not read is said and
// counted, as scan says it (qa14 MEDIUM-6), so --strict fails.
func TestArchiveDepthZeroCounted(t *testing.T) {
	g := fakekey.New(15)
	gz := archivetest.Gzip(t, "creds", []byte(creds(g.KeyID("AKIA"), g.Secret())))
	dir := newRepo(t)
	write(t, dir, "creds.gz", string(gz))
	git(t, dir, "add", ".")
	opts := content.DefaultOptions()
	opts.Archives.MaxDepth = 0
	res := scan(t, dir, Options{Content: opts})
	if res.ArchiveUnscanned != 1 || !slices.ContainsFunc(res.Warnings, func(w string) bool {
		return strings.HasPrefix(w, "creds.gz: archive not opened (--max-archive-depth 0)")
	}) {
		t.Errorf("unscanned %d, warnings %q; want 1 and creds.gz's archive not opened", res.ArchiveUnscanned, res.Warnings)
	}
}
