package staged

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// historyRepo makes a repository whose files change over many commits, so
// that packing it produces delta chains.
func historyRepo(t *testing.T) string {
	t.Helper()
	dir := newRepo(t)
	var body strings.Builder
	for i := range 40 {
		body.WriteString("line " + strconv.Itoa(i) + " of a file that changes a little every commit\n")
	}
	for c := range 12 {
		for f := range 5 {
			write(t, dir, "d"+strconv.Itoa(f%2)+"/f"+strconv.Itoa(f)+".txt", body.String()+"commit "+strconv.Itoa(c)+"\n")
		}
		git(t, dir, "add", ".")
		git(t, dir, "commit", "-q", "--no-verify", "-m", "c"+strconv.Itoa(c))
	}
	return dir
}

// allObjects returns every object of the repository as git cat-file sees it.
func allObjects(t *testing.T, dir string) map[hash][]byte {
	t.Helper()
	cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	objs := map[hash][]byte{}
	r := bufio.NewReader(bytes.NewReader(out))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		f := strings.Fields(line)
		h, _ := parseHash(f[0])
		n, _ := strconv.Atoi(f[2])
		data := make([]byte, n+1) // the content and a newline
		if _, err := io.ReadFull(r, data); err != nil {
			t.Fatal(err)
		}
		objs[h] = data[:n]
	}
	return objs
}

// TestObjectsMatchGit reads every object of packed repositories, with offset
// and with ref deltas, plus loose objects, and compares with git's view.
func TestObjectsMatchGit(t *testing.T) {
	for _, tc := range []struct{ name, repack string }{
		{"loose", ""},
		{"ofs-delta", "-c repack.useDeltaBaseOffset=true"},
		{"ref-delta", "-c repack.useDeltaBaseOffset=false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := historyRepo(t)
			if tc.repack != "" {
				args := append(strings.Fields(tc.repack), "repack", "-adf", "-q", "--depth=50", "--window=50")
				git(t, dir, args...)
			}
			want := allObjects(t, dir)
			s, err := openObjects(filepath.Join(dir, ".git", "objects"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.close()
			for h, data := range want {
				_, got, err := s.read(h)
				if err != nil {
					t.Fatalf("%s: %v", h, err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("%s: content differs from git cat-file", h)
				}
			}
			if _, _, err := s.read(hash{1, 2, 3}); err == nil {
				t.Error("reading a missing object: no error")
			}
		})
	}
}

// TestIndexVersionsMatchGit parses the index in each version git writes and
// compares with git ls-files --stage.
func TestIndexVersionsMatchGit(t *testing.T) {
	dir := historyRepo(t)
	write(t, dir, "d0/sub/deeper/new file.txt", "x\n")
	write(t, dir, "a-b", "y\n")
	git(t, dir, "add", ".")
	git(t, dir, "update-index", "--chmod=+x", "a-b")
	want := git(t, dir, "ls-files", "--stage")
	for _, v := range []string{"2", "3", "4"} {
		git(t, dir, "update-index", "--index-version", v)
		idx, err := readIndex(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatalf("version %s: %v", v, err)
		}
		var got strings.Builder
		for _, e := range idx.entries {
			got.WriteString(strconv.FormatUint(uint64(e.mode), 8) + " " + e.hash.String() + " " + strconv.Itoa(int(e.stage)) + "\t" + e.path + "\n")
		}
		if got.String() != want {
			t.Errorf("version %s:\ngot\n%s\nwant\n%s", v, got.String(), want)
		}
	}
}

// TestTreeHashesMatchWriteTree checks the tree hashes computed from the
// index, used where the cache-tree is invalid, against git write-tree.
func TestTreeHashesMatchWriteTree(t *testing.T) {
	dir := historyRepo(t)
	for _, p := range []string{"a.c", "a/x", "a-b/y", "a0", "b/c/d/e", "b/c.d", "z"} {
		write(t, dir, p, p+"\n")
	}
	git(t, dir, "add", ".")
	want := strings.TrimSpace(git(t, dir, "write-tree"))
	idx, err := readIndex(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.trees) == 0 {
		t.Fatal("write-tree left no cache-tree in the index")
	}
	if got := idx.trees[""].hash.String(); got != want {
		t.Errorf("cache-tree root = %s, want %s", got, want)
	}
	d := newDiffer(context.Background(), nil, idx.entries, nil) // no cache-tree: compute
	if got := d.dirHash("", 0, len(idx.entries)).String(); got != want {
		t.Errorf("computed root = %s, want %s", got, want)
	}
}

// TestGoGitRepository scans a repository that go-git made: its index has
// no cache-tree, and its objects are loose.
func TestGoGitRepository(t *testing.T) {
	g := fakekey.New(12)
	dir := t.TempDir()
	r, err := gogit.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Test", Email: "test@example.com", When: time.Unix(1700000000, 0)}
	write(t, dir, "app/old.ini", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "app/other.txt", "other\n")
	if err := wt.AddGlob("app"); err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Commit("base", &gogit.CommitOptions{Author: sig}); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "app/new.ini", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "app/old.ini", creds(g.KeyID("AKIA"), g.Secret())) // both values replaced
	if _, err := wt.Add("app/new.ini"); err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add("app/old.ini"); err != nil {
		t.Fatal(err)
	}
	res := scan(t, dir, Options{})
	want := []string{"app/new.ini:2 access_key_id", "app/new.ini:3 secret_access_key", "app/old.ini:2 access_key_id", "app/old.ini:3 secret_access_key"}
	if got := where(res.Findings); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("findings = %v, want %v", got, want)
	}
}

func TestCorruptInputsFailCleanly(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("DIRC"), append([]byte("DIRC\x00\x00\x00\x02\xff\xff\xff\xff"), make([]byte, 20)...)} {
		if _, err := parseIndex(b); err == nil {
			t.Errorf("parseIndex(%q): no error", b)
		}
	}
	for _, d := range [][]byte{nil, {5, 5}, {1, 3, 0x91, 0, 9}, {0, 2, 0}} {
		if _, err := applyDelta([]byte("x"), d); err == nil {
			t.Errorf("applyDelta(%v): no error", d)
		}
	}
	if _, err := parseTree(hash{}, []byte("100644 name")); err == nil {
		t.Error("parseTree of a truncated tree: no error")
	}
	dir := newRepo(t)
	if err := os.WriteFile(filepath.Join(dir, ".git", "index"), []byte("DIRCgarbage-garbage-garbage-garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(context.Background(), dir, newScanner(t), Options{}); err == nil {
		t.Error("Scan with a corrupt index: no error")
	}
}
