package walk_test

import (
	"context"
	"crypto/sha1"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestGitFolders: a folder named .git is left out only when it is the
// git folder (git init made it) at the top of the root, the scanned work
// tree's, and says nothing; a nested repository's is read whole (qa16
// MEDIUM-4). A .git folder that is not a git folder (an extracted
// tarball's app/.git/prod.env) is scanned (qa7 LOW-6: it was skipped
// without a word).
func TestGitFolders(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(66)
	key := []byte("aws_access_key_id = " + g.KeyID("AKIA") + "\n")
	for _, repo := range []string{dir, filepath.Join(dir, "vendor", "lib")} {
		if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
			t.Fatalf("git init %s: %v\n%s", repo, err, out)
		}
	}
	write(t, filepath.Join(dir, ".git", "keys.env"), key)
	// The top git folder's hooks/ and info/ ship with the folder and no
	// history holds them: scanned (qa12 MEDIUM-7).
	write(t, filepath.Join(dir, ".git", "hooks", "post-merge"), key)
	write(t, filepath.Join(dir, ".git", "info", "notes", "deploy.txt"), key)
	write(t, filepath.Join(dir, "vendor", "lib", ".git", "keys.env"), key)
	write(t, filepath.Join(dir, "app", ".git", "prod.env"), key)
	// Files named as git's object store names its files, that are not
	// what the name says (qa12 HIGH-3): scanned.
	hex40 := strings.Repeat("0123456789", 4)
	write(t, filepath.Join(dir, "vendor", "lib", ".git", "objects", "ab", hex40[:38]), key)
	write(t, filepath.Join(dir, "vendor", "lib", ".git", "objects", "pack", "pack-"+hex40+".pack"), key)
	write(t, filepath.Join(dir, "vendor", "lib", ".git", "objects", "pack", "pack-"+hex40+".idx"), key)
	// A pack's signature and the key after it, without git's checksum.
	write(t, filepath.Join(dir, "vendor", "lib", ".git", "objects", "pack", "pack-"+hex40[1:]+"f.pack"), append([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01"), key...))
	// The files beside a pack and the commit graph hold no content: scanned
	// as binary files, even with their signature and git's checksum (qa13
	// HIGH-4).
	for _, f := range []struct{ rel, magic string }{
		{"objects/info/commit-graph", "CGPH"},
		{"objects/pack/multi-pack-index", "MIDX"},
		{"objects/pack/pack-" + hex40[2:] + "ff.idx", "\377tOc"},
	} {
		body := append([]byte(f.magic+"\x00\x00\x00\x01\n"), key...)
		sum := sha1.Sum(body)
		write(t, filepath.Join(dir, "vendor", "lib", ".git", filepath.FromSlash(f.rel)), append(body, sum[:]...))
	}
	write(t, filepath.Join(dir, "app", "sub", ".git", "HEAD"), []byte("ref: refs/heads/main\n")) // no objects, no refs
	write(t, filepath.Join(dir, "app", "sub", ".git", "prod.env"), key)
	// A git folder's config is scanned, at the top and nested (qa9
	// LOW-12: a remote URL with a key in it shipped with the folder).
	for _, repo := range []string{dir, filepath.Join(dir, "vendor", "lib")} {
		if out, err := exec.Command("git", "-C", repo, "remote", "add", "origin",
			"https://"+g.KeyID("AKIA")+":"+strings.ReplaceAll(g.Secret(), "/", "%2F")+"@git.example.com/r.git").CombinedOutput(); err != nil {
			t.Fatalf("git remote add: %v\n%s", err, out)
		}
	}

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	res, err := walk.Walk(context.Background(), []string{"."}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range res.Findings {
		files = append(files, f.File)
	}
	files = slices.Compact(files) // the pair in a config is two findings
	// A nested git folder's files are scanned (qa11 MEDIUM-4: a deploy
	// hook, a file put beside HEAD, objects and refs).
	if want := []string{".git/config", ".git/hooks/post-merge", ".git/info/notes/deploy.txt", "app/.git/prod.env", "app/sub/.git/prod.env", "vendor/lib/.git/config", "vendor/lib/.git/keys.env",
		"vendor/lib/.git/objects/ab/" + hex40[:38], "vendor/lib/.git/objects/info/commit-graph", "vendor/lib/.git/objects/pack/multi-pack-index",
		"vendor/lib/.git/objects/pack/pack-" + hex40 + ".idx", "vendor/lib/.git/objects/pack/pack-" + hex40 + ".pack", "vendor/lib/.git/objects/pack/pack-" + hex40[1:] + "f.pack", "vendor/lib/.git/objects/pack/pack-" + hex40[2:] + "ff.idx"}; !slices.Equal(files, want) {
		t.Errorf("findings in %q, want %q", files, want)
	}
	// No warning names the nested folder: nothing of it is left out.
	for _, w := range res.Warnings {
		if w.Path == "vendor/lib/.git" {
			t.Errorf("warning %v: the nested git folder is read, not named", w)
		}
	}
}

// TestBareRepositories is qa10 MEDIUM-7 and qa16 MEDIUM-4: a bare
// repository in the tree (backup.git, a mirror with any name) is a git
// folder by git's own test (HEAD, objects/, refs/), whatever its name, and
// is read whole as a nested .git is: its config, its packs opened as
// archives and its loose objects as zlib streams, so a key in its history
// is found (it passed scan --strict when the object store was left to
// keyscan history). Named as a root it is keyscan history's (exit 2). A
// folder with HEAD, objects and refs entries whose HEAD git would refuse
// is scanned like any other.
func TestBareRepositories(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(67)
	key := []byte("aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
	src := filepath.Join(t.TempDir(), "src")
	git := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", src)
	write(t, filepath.Join(src, "keys.env"), key)
	git("-C", src, "add", "keys.env")
	git("-C", src, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "k")
	git("clone", "-q", "--bare", src, filepath.Join(dir, "backup.git"))
	git("clone", "-q", "--mirror", src, filepath.Join(dir, "mirrors", "origin")) // the objects as src holds them: loose
	git("-C", filepath.Join(dir, "backup.git"), "gc", "-q")
	git("-C", filepath.Join(dir, "backup.git"), "remote", "add", "up",
		"https://"+g.KeyID("AKIA")+":"+strings.ReplaceAll(g.Secret(), "/", "%2F")+"@git.example.com/r.git")
	// Not git folders: HEAD that git would not accept.
	write(t, filepath.Join(dir, "notgit", "HEAD"), []byte("just a file\n"))
	write(t, filepath.Join(dir, "notgit", "objects", "x"), []byte("x\n"))
	write(t, filepath.Join(dir, "notgit", "refs", "prod.env"), key)

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	opts := walk.Options{}
	opts.Content.Archives = archive.DefaultLimits()
	res, err := walk.Walk(context.Background(), []string{"."}, sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range res.Findings {
		files = append(files, f.File)
	}
	files = slices.Compact(files)
	var inPack, loose bool
	for _, f := range files {
		inPack = inPack || strings.HasPrefix(f, "backup.git/objects/pack/pack-") && strings.HasSuffix(f, ".pack!keys.env")
		loose = loose || strings.HasPrefix(f, "mirrors/origin/objects/") && !strings.Contains(f, "/pack/")
	}
	if !slices.Contains(files, "backup.git/config") || !slices.Contains(files, "notgit/refs/prod.env") || !inPack || !loose {
		t.Errorf("findings in %q, want backup.git's config and pack (keys.env), mirrors/origin's loose object, notgit/refs/prod.env", files)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %v: want none (nothing of the bare repositories is left out)", res.Warnings)
	}

	// A git folder named as the root (keyscan scan backup.git, scan .git):
	// its packs are not read as files, so the root could not be read
	// (exit 2) and the error names the command that reads it; its config
	// is scanned still.
	for _, root := range []string{"backup.git", "backup.git/", filepath.Join(src, ".git")} {
		res, err := walk.Walk(context.Background(), []string{root, "notgit"}, sc, walk.Options{})
		var re *walk.RootError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "run keyscan history") {
			t.Errorf("walk of %s: error %v, want a root error naming keyscan history", root, err)
		}
		files = files[:0]
		for _, f := range res.Findings {
			files = append(files, f.File)
		}
		files = slices.Compact(files)
		if root == "backup.git" && !slices.Equal(files, []string{"backup.git/config", "notgit/refs/prod.env"}) {
			t.Errorf("walk of %s: findings in %q, want its config and the other root's", root, files)
		}
	}
}

// TestValidHead: git's test of a HEAD file (setup.c validate_headref).
func TestValidHead(t *testing.T) {
	for head, want := range map[string]bool{
		"ref: refs/heads/main\n":        true,
		"ref:refs/heads/main":           true,
		strings.Repeat("a1", 20) + "\n": true,
		strings.Repeat("0f", 32):        true,
		"ref: heads/main\n":             false,
		strings.Repeat("a1", 19) + "\n": false,
		"just a file\n":                 false,
		"":                              false,
	} {
		if got := walk.ValidHead([]byte(head)); got != want {
			t.Errorf("ValidHead(%q) = %v, want %v", head, got, want)
		}
	}
}

// TestSymlinkHead is qa11 MEDIUM-6: a bare repository whose HEAD is a
// symbolic link into refs/ (core.preferSymlinkRefs, as older git wrote it)
// is a git folder, as git takes it: its HEAD is no link to judge. A HEAD
// link elsewhere is no git folder's.
func TestSymlinkHead(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("git", "-c", "core.preferSymlinkRefs=true", "init", "-q", "--bare", filepath.Join(dir, "old.git")).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	write(t, filepath.Join(dir, "other", "x"), []byte("x\n"))
	for _, d := range []string{"other/objects", "other/refs"} {
		write(t, filepath.Join(dir, d, "x"), []byte("x\n"))
	}
	if err := os.Symlink("x", filepath.Join(dir, "other", "HEAD")); err != nil {
		t.Fatal(err)
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := walk.Walk(context.Background(), []string{dir}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 || res.Stats.Symlinks != 1 {
		t.Errorf("warnings %v, %d links: want none, and only other/HEAD counted as a link (old.git's HEAD is its git folder's)", res.Warnings, res.Stats.Symlinks)
	}
}

// TestGitInnerFolders is qa13 MEDIUM-8: the top git folder keeps each
// submodule's git folder under modules/<name>/ and each linked work
// tree's under worktrees/<id>/; their config (a submodule's remote URL),
// config.worktree and hooks ship with the folder as the top's config and
// hooks do, and are scanned as those are, with real git. Their object
// stores, refs and logs are history: not scanned, and no warning.
func TestGitInnerFolders(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(67)
	url := func() string {
		return "https://" + g.KeyID("AKIA") + ":" + strings.NewReplacer("/", "%2F", "+", "%2B").Replace(g.Secret()) + "@git.example.com/r.git"
	}
	git := func(in string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", in, "-c", "protocol.file.allow=always", "-c", "user.name=t", "-c", "user.email=t@t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	sub, top := filepath.Join(dir, "sub"), filepath.Join(dir, "top")
	for _, r := range []string{sub, top} {
		git(dir, "init", "-q", r)
		write(t, filepath.Join(r, "README"), []byte("r\n"))
		git(r, "add", "README")
		git(r, "commit", "-q", "-m", "r")
	}
	git(top, "submodule", "-q", "add", sub, "libs/sub")
	git(top, "commit", "-q", "-m", "sub")
	git(top, "config", "extensions.worktreeConfig", "true")
	git(top, "worktree", "add", "-q", filepath.Join(dir, "wt"))
	git(top, "config", "--worktree", "remote.backup.url", url())
	git(filepath.Join(dir, "wt"), "config", "--worktree", "remote.backup.url", url())
	git(filepath.Join(top, "libs", "sub"), "config", "remote.origin.url", url())
	write(t, filepath.Join(top, ".git", "modules", "libs", "sub", "hooks", "post-checkout"), []byte("export AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\n"))

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(top)
	res, err := walk.Walk(context.Background(), []string{"."}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range res.Findings {
		files = append(files, f.File)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if want := []string{".git/config.worktree", ".git/modules/libs/sub/config", ".git/modules/libs/sub/hooks/post-checkout", ".git/worktrees/wt/config.worktree"}; !slices.Equal(files, want) {
		t.Errorf("findings in %q, want %q", files, want)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %v: want none (the submodule's git folder is the top's)", res.Warnings)
	}
}

// TestNestedPacks is qa13 HIGH-4 (b) and HIGH-6 and qa16 MEDIUM-4: a
// nested git folder's packs are scanned, beside their index or not (a key
// after a pack's signature and before git's checksum is found), and over
// the limits a pack is not read (a sparse file of a terabyte would be read
// whole) but skipped as too large, and counted.
func TestNestedPacks(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(68)
	key := []byte("aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
	pack := append([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01"), key...)
	sum := sha1.Sum(pack)
	pack = append(pack, sum[:]...)
	git := filepath.Join(dir, "vendor", "lib.git")
	write(t, filepath.Join(git, "HEAD"), []byte("ref: refs/heads/main\n"))
	write(t, filepath.Join(git, "refs", "heads", ".keep"), nil)
	hex40 := strings.Repeat("0123456789", 4)
	write(t, filepath.Join(git, "objects", "pack", "pack-"+hex40+".pack"), pack) // no index
	write(t, filepath.Join(git, "objects", "pack", "pack-"+hex40[1:]+"f.pack"), pack)
	write(t, filepath.Join(git, "objects", "pack", "pack-"+hex40[1:]+"f.idx"), []byte("\377tOc\x00\x00\x00\x02"))

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	res, err := walk.Walk(context.Background(), []string{"."}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, f := range res.Findings {
		files[f.File] = true
	}
	if len(files) != 2 || !files["vendor/lib.git/objects/pack/pack-"+hex40+".pack"] || !files["vendor/lib.git/objects/pack/pack-"+hex40[1:]+"f.pack"] || res.Stats.TooLarge != 0 {
		t.Errorf("findings in %v, %d too large: want both packs, none too large", files, res.Stats.TooLarge)
	}

	opts := walk.Options{MaxFileSize: 64}
	opts.Content.Archives.MaxArchiveSize = 64
	res, err = walk.Walk(context.Background(), []string{"."}, sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.TooLarge != 2 {
		t.Errorf("with limits under the packs' size: %d too large, want 2 (neither pack read)", res.Stats.TooLarge)
	}
}

// TestGitMessageFiles (qa16 MEDIUM-9): the messages git keeps in the top
// git folder while they are written (COMMIT_EDITMSG, which keeps a message
// the commit-msg hook refused; MERGE_MSG, SQUASH_MSG, TAG_EDITMSG) ship
// with the folder and are scanned as its config is; other files of the
// git folder are not.
func TestGitMessageFiles(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	key := []byte("deploy\n\naws_access_key_id = " + fakekey.New(2125).KeyID("AKIA") + "\n")
	names := []string{"COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG", "TAG_EDITMSG", "ORIG_MSG"}
	for _, n := range names {
		write(t, filepath.Join(dir, ".git", n), key)
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := walk.Walk(context.Background(), []string{dir}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, filepath.Base(f.File))
	}
	slices.Sort(got)
	if want := []string{"COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG", "TAG_EDITMSG"}; !slices.Equal(got, want) {
		t.Errorf("findings in %v, want %v", got, want)
	}
}
