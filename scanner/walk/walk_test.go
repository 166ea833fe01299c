package walk_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/walk"
)

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExcludeAndFileRoot(t *testing.T) {
	dir := t.TempDir()
	id := fakekey.New(2).KeyID("AKIA")
	write(t, filepath.Join(dir, "vendor", "a.txt"), []byte(id))
	write(t, filepath.Join(dir, "b.txt"), []byte(id))
	sc, _ := scanner.New(scanner.Options{})
	res, err := walk.Walk(context.Background(), []string{dir}, sc, walk.Options{
		Excluded: func(rel string, isDir bool) bool { return rel == "vendor" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.ToSlash(filepath.Join(dir, "b.txt")); len(res.Findings) != 1 || res.Findings[0].File != want {
		t.Errorf("findings %+v, want only %s", res.Findings, want)
	}
	if res.Stats.Excluded != 1 {
		t.Errorf("stats %+v: want 1 excluded", res.Stats)
	}
	res, err = walk.Walk(context.Background(), []string{filepath.Join(dir, "b.txt")}, sc, walk.Options{})
	if err != nil || len(res.Findings) != 1 {
		t.Errorf("scanning a file root: %v, %+v", err, res.Findings)
	}
	if _, err := walk.Walk(context.Background(), []string{filepath.Join(dir, "nope")}, sc, walk.Options{}); err == nil {
		t.Error("a missing root gave no error")
	}
}

// TestRootPath: with Options.RootPath each root's paths are asked about
// from the folder the caller's configuration starts at, a folder root's
// entries and a file root alike, so that a file is excluded whichever
// root holds it (config.Scope).
func TestRootPath(t *testing.T) {
	dir := t.TempDir()
	id := fakekey.New(3).KeyID("AKIA")
	write(t, filepath.Join(dir, "sub", "fixtures", "a.txt"), []byte(id))
	write(t, filepath.Join(dir, "sub", "b.txt"), []byte(id))
	sc, _ := scanner.New(scanner.Options{})
	excluded := func(rel string, isDir bool) bool { return rel == "sub/fixtures" || rel == "sub/fixtures/a.txt" }
	sub, a := filepath.Join(dir, "sub"), filepath.Join(dir, "sub", "fixtures", "a.txt")
	paths := map[string]string{sub: "sub", a: "sub/fixtures/a.txt"}
	for _, root := range []string{sub, a} {
		res, err := walk.Walk(context.Background(), []string{root}, sc, walk.Options{Excluded: excluded, RootPath: func(r string) string { return paths[r] }})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			if strings.Contains(f.File, "fixtures") {
				t.Errorf("walk of %s reported %s, which RootPath makes excluded", root, f.File)
			}
		}
		if res.Stats.Excluded != 1 {
			t.Errorf("walk of %s: stats %+v, want 1 excluded", root, res.Stats)
		}
	}
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		write(t, filepath.Join(dir, "d", strings.Repeat("x", i+1)), []byte("hello"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sc, _ := scanner.New(scanner.Options{})
	if _, err := walk.Walk(ctx, []string{dir}, sc, walk.Options{}); err == nil {
		t.Error("a cancelled walk returned no error")
	}
}

func TestSeveralRoots(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(3)
	a, b := g.KeyID("AKIA"), g.KeyID("AKIA")
	write(t, filepath.Join(dir, "a", "credentials"), []byte("id = "+a+"\n"))
	write(t, filepath.Join(dir, "b", "credentials"), []byte("id = "+b+"\n"))
	sc, _ := scanner.New(scanner.Options{})
	t.Chdir(dir)
	res, err := walk.Walk(context.Background(), []string{"a", "./b/"}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.File] = f.Secret
	}
	if got["a/credentials"] != a || got["b/credentials"] != b || len(got) != 2 {
		t.Errorf("findings %v: want a/credentials and b/credentials apart", got)
	}
	res, _ = walk.Walk(context.Background(), []string{"./a/../a/credentials"}, sc, walk.Options{})
	if len(res.Findings) != 1 || res.Findings[0].File != "a/credentials" {
		t.Errorf("a file root is reported as %+v, want the cleaned path a/credentials", res.Findings)
	}
}

// TestArchives walks a tree holding a jar with a key in its properties and a
// zip with a member past the limits: the key is found under the member's
// name, and the limit hit is a warning naming the archive.
func TestArchives(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(3)
	props := []byte("aws.accessKeyId=" + g.KeyID("AKIA") + "\n")
	write(t, filepath.Join(dir, "lib", "app.jar"), archivetest.Zip(t, archivetest.F("BOOT-INF/classes/application.properties", props)))
	write(t, filepath.Join(dir, "many.zip"), archivetest.Zip(t, archivetest.F("a", []byte("a")), archivetest.F("b", []byte("b"))))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := content.DefaultOptions()
	opts.Archives.MaxMembers = 1
	res, err := walk.Walk(context.Background(), []string{dir}, sc, walk.Options{Content: opts})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || !strings.HasSuffix(res.Findings[0].File, "/lib/app.jar!BOOT-INF/classes/application.properties") || res.Findings[0].Line != 1 {
		t.Errorf("findings %+v, want the key in the jar's properties", res.Findings)
	}
	if len(res.Warnings) != 1 || !strings.HasSuffix(res.Warnings[0].Path, "/many.zip") || !strings.Contains(res.Warnings[0].Err.Error(), "more than 1 members") {
		t.Errorf("warnings %v, want the member limit of many.zip", res.Warnings)
	}
	if res.Stats.Archives != 2 || res.Stats.Members != 2 {
		t.Errorf("stats %+v, want 2 archives and 2 members", res.Stats)
	}
}

// TestArchiveOverMaxFileSize is QA-15: a fat jar larger than max_file_size
// is opened (up to MaxArchiveSize) and its small properties member scanned;
// its member over max_file_size, and a plain file over it, are not.
func TestArchiveOverMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(15)
	props := []byte("aws.accessKeyId=" + g.KeyID("AKIA") + "\n")
	noise := make([]byte, 200<<10) // random: it does not compress
	r := rand.New(rand.NewPCG(15, 15))
	for i := range noise {
		noise[i] = byte(r.Uint32())
	}
	write(t, filepath.Join(dir, "fat.jar"), archivetest.Zip(t, archivetest.F("lib/big.jar", noise), archivetest.F("BOOT-INF/classes/application.properties", props)))
	write(t, filepath.Join(dir, "big.txt"), append(noise, props...))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		maxArchive int64
		findings   int
	}{
		{"opened", 1 << 20, 1},
		{"over max_archive_size", 100 << 10, 0},
	} {
		opts := content.DefaultOptions()
		opts.Archives.MaxArchiveSize = tc.maxArchive
		opts.Archives.MaxMemberSize = 100 << 10
		res, err := walk.Walk(context.Background(), []string{dir}, sc, walk.Options{MaxFileSize: 100 << 10, Content: opts})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != tc.findings || tc.findings == 1 && !strings.HasSuffix(res.Findings[0].File, "fat.jar!BOOT-INF/classes/application.properties") {
			t.Errorf("%s: findings %+v, want %d in the jar's properties", tc.name, res.Findings, tc.findings)
		}
		if want := int64(2 - tc.findings); res.Stats.TooLarge != want {
			t.Errorf("%s: %d too large, want %d (big.txt, and the jar unless opened); warnings %v", tc.name, res.Stats.TooLarge, want, res.Warnings)
		}
		if tc.findings == 1 && res.Stats.ArchiveUnscanned != 1 {
			t.Errorf("%s: lib/big.jar over max_file_size not counted: %+v", tc.name, res.Stats)
		}
	}
}

// TestPipeNamed (qa9 LOW-6): a pipe named as a root (/dev/stdin, <(…):
// /proc/self/fd/N, a link to "pipe:[N]", which names no file) is a root
// that could not be read because it is a pipe, not "no such file".
func TestPipeNamed(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	sc, _ := scanner.New(scanner.Options{})
	_, err = walk.Walk(context.Background(), []string{fmt.Sprintf("/proc/self/fd/%d", r.Fd())}, sc, walk.Options{})
	var re *walk.RootError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), "not pipes") {
		t.Errorf("err = %v, want a root error naming the pipe", err)
	}
}
