package fix_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/fix"
)

// TestWriteFile: the new content replaces the old, the mode stays, a
// symlink keeps pointing at the rewritten file, and no temporary file is left.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "credentials")
	if err := os.WriteFile(target, []byte("[default]\r\nold\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink("credentials", link); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	if err := fix.WriteFile(link, []byte("[default]\r\n")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "[default]\r\n" {
		t.Errorf("content = %q", got)
	}
	st, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("%d files in the directory, want 2 (a temporary file left?)", len(entries))
	}
	if err := fix.WriteFile(filepath.Join(dir, "missing"), nil); err == nil {
		t.Error("writing over a missing file: no error")
	}
}

// TestWriteFileRefuses: hard-linked and read-only files are not replaced;
// the error says why, and the file keeps its content.
func TestWriteFileRefuses(t *testing.T) {
	dir := t.TempDir()
	linked := filepath.Join(dir, "credentials")
	write(t, linked, "old\n", 0o600)
	if err := os.Link(linked, filepath.Join(dir, "credentials.backup")); err != nil {
		t.Skipf("hard links: %v", err)
	}
	readOnly := filepath.Join(dir, "ro.env")
	write(t, readOnly, "old\n", 0o444)
	for name, want := range map[string]string{linked: "2 hard links", readOnly: "read-only"} {
		err := fix.WriteFile(name, []byte("new\n"))
		var refused *fix.RefusedError
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want a refusal naming %q", filepath.Base(name), err, want)
		}
		if got := read(t, name); got != "old\n" {
			t.Errorf("%s was rewritten: %q", filepath.Base(name), got)
		}
	}
	if got := read(t, filepath.Join(dir, "credentials.backup")); got != "old\n" {
		t.Errorf("the other link changed: %q", got)
	}
}

// TestWriteFileUnprivileged runs WriteFile as the user nobody (through
// setpriv or runuser, re-running this test binary) on a world-writable
// directory that holds a file of root's: rename would replace it, so
// WriteFile must refuse; nobody's own read-only file is refused too, and its
// own writable file is rewritten.
func TestWriteFileUnprivileged(t *testing.T) {
	if name := os.Getenv("KEYSCAN_WRITEFILE_AS"); name != "" {
		// The child: write the file named, print the outcome.
		err := fix.WriteFile(name, []byte("new\n"))
		var refused *fix.RefusedError
		switch {
		case errors.As(err, &refused):
			fmt.Println("refused:", refused.Reason)
		case err != nil:
			fmt.Println("error:", err)
		default:
			fmt.Println("written")
		}
		return
	}
	if runtime.GOOS == "windows" || os.Geteuid() != 0 {
		t.Skip("needs root to switch to the user nobody")
	}
	run := asNobody(t)
	uid, gid := nobody(t)
	dir := shared(t)
	theirs := filepath.Join(dir, "root-owned.env")
	write(t, theirs, "old\n", 0o644)
	ro := filepath.Join(dir, "readonly.env")
	write(t, ro, "old\n", 0o400)
	own := filepath.Join(dir, "own.env")
	write(t, own, "old\n", 0o600)
	for _, p := range []string{ro, own} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ name, want, content string }{
		{theirs, "refused: is not writable by this user", "old\n"},
		{ro, "refused: is read-only", "old\n"},
		{own, "written", "new\n"},
	} {
		out := run("KEYSCAN_WRITEFILE_AS="+tc.name, "-test.run=^TestWriteFileUnprivileged$")
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s as nobody: %q, want %q", filepath.Base(tc.name), out, tc.want)
		}
		if got := read(t, tc.name); got != tc.content {
			t.Errorf("%s as nobody: content %q, want %q", filepath.Base(tc.name), got, tc.content)
		}
	}
}

// asNobody returns a function that runs a copy of this test binary as the
// user nobody, with an environment variable and arguments, and returns its
// output; it skips the test when neither setpriv nor runuser is installed.
func asNobody(t *testing.T) func(envVar string, args ...string) string {
	t.Helper()
	uid, gid := nobody(t)
	var wrap []string
	if p, err := exec.LookPath("setpriv"); err == nil {
		wrap = []string{p, "--reuid=" + strconv.Itoa(uid), "--regid=" + strconv.Itoa(gid), "--clear-groups", "--"}
	} else if p, err := exec.LookPath("runuser"); err == nil {
		wrap = []string{p, "-u", "nobody", "--"}
	} else {
		t.Skip("neither setpriv nor runuser is installed: cannot run as an unprivileged user")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(shared(t), "fix.test")
	src, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return func(envVar string, args ...string) string {
		cmd := exec.Command(wrap[0], append(append(wrap[1:], bin), args...)...)
		cmd.Env = append(os.Environ(), envVar)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v as nobody: %v\n%s", args, err, out)
		}
		return string(out)
	}
}

// shared returns a new directory that every user may enter and write (and
// the folders above it, which t.TempDir makes private, may be entered).
func shared(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o777|os.ModeSticky); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func nobody(t *testing.T) (uid, gid int) {
	t.Helper()
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid
}

func write(t *testing.T, name, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, mode); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWriteFileUnder (QA-13): a file is replaced only where it really lies
// inside the root it was found under. A link out of the root (the file's,
// or a folder's on its path) is refused, and so is a symlink named as the
// root itself; the file outside keeps its content. This holds without the
// walker, which already does not follow such links: the check is made at
// the moment of writing.
func TestWriteFileUnder(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "tree")
	out := filepath.Join(base, "out")
	for _, d := range []string{filepath.Join(root, "sub"), out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const before, after = "old\n", "new\n"
	outside := filepath.Join(out, "target.ini")
	inside := filepath.Join(root, "sub", "inside.ini")
	plain := filepath.Join(root, "plain.ini")
	for _, f := range []string{outside, inside, plain} {
		if err := os.WriteFile(f, []byte(before), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		filepath.Join(root, "out.ini"):    outside,               // absolute link out
		filepath.Join(root, "rel.ini"):    "../out/target.ini",   // relative link out
		filepath.Join(root, "outdir"):     out,                   // a folder link out
		filepath.Join(root, "in.ini"):     "sub/inside.ini",      // a link inside
		filepath.Join(root, "sub", "up"):  "..",                  // a folder link inside
		filepath.Join(base, "named.ini"):  outside,               // named on the command line
		filepath.Join(base, "named2.ini"): "tree/sub/inside.ini", // named, pointing into the tree
	}
	for l, target := range links {
		if err := os.Symlink(target, l); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	refused := []struct{ root, name string }{
		{root, filepath.Join(root, "out.ini")},
		{root, filepath.Join(root, "rel.ini")},
		{root, filepath.Join(root, "outdir", "target.ini")},
		{filepath.Join(base, "named.ini"), filepath.Join(base, "named.ini")},
		{filepath.Join(base, "named2.ini"), filepath.Join(base, "named2.ini")},
		// A link that stays inside the tree is not followed either (qa33 M1).
		{root, filepath.Join(root, "in.ini")},
		{root, filepath.Join(root, "sub", "up", "plain.ini")},
	}
	for _, c := range refused {
		err := fix.WriteFileUnder(c.root, c.name, []byte(after))
		var r *fix.RefusedError
		if !errors.As(err, &r) {
			t.Errorf("WriteFileUnder(%s, %s) = %v, want a refusal", c.root, c.name, err)
		}
	}
	for _, f := range []string{outside, inside, plain} {
		if got, _ := os.ReadFile(f); string(got) != before {
			t.Errorf("%s was rewritten through a symlink: %q", f, got)
		}
	}
	for _, c := range []struct{ root, name, file string }{
		{root, inside, inside},
		{plain, plain, plain},
	} {
		if err := os.WriteFile(c.file, []byte(before), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := fix.WriteFileUnder(c.root, c.name, []byte(after)); err != nil {
			t.Errorf("WriteFileUnder(%s, %s): %v", c.root, c.name, err)
		}
		if got, _ := os.ReadFile(c.file); string(got) != after {
			t.Errorf("%s: %q, want the new content", c.file, got)
		}
	}
	if fi, err := os.Lstat(filepath.Join(root, "in.ini")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link inside the tree was replaced: %v", err)
	}
}

// TestWriteFileUnderSwapped (qa9 HIGH-4): a folder of the file's path, or
// the file itself, swapped for a link between WriteFileUnder's check of
// where the file lies and the write (here: before the replacement it
// makes after the check) is refused, and nothing outside the root changes:
// the folders are opened from the root following no link and the rename
// is made inside the folder opened.
func TestWriteFileUnderSwapped(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "tree")
	out := filepath.Join(base, "out")
	for _, d := range []string{filepath.Join(root, "sub"), filepath.Join(out, "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const before, after = "old\n", "new\n"
	for _, f := range []string{filepath.Join(out, "a.env"), filepath.Join(out, "sub", "a.env"), filepath.Join(root, "sub", "a.env")} {
		if err := os.WriteFile(f, []byte(before), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// sub is swapped for a link to out/sub; f.env is a link to out/a.env.
	if err := os.Rename(filepath.Join(root, "sub"), filepath.Join(root, "sub.real")); err != nil {
		t.Fatal(err)
	}
	for l, target := range map[string]string{"sub": filepath.Join(out, "sub"), "f.env": filepath.Join(out, "a.env")} {
		if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	for _, rel := range []string{"sub/a.env", "f.env"} {
		err := fix.ReplaceIn(root, rel, []byte(after))
		var r *fix.RefusedError
		if !errors.As(err, &r) || !strings.Contains(r.Reason, "symbolic link") {
			t.Errorf("ReplaceIn(%s) = %v, want a refusal naming the link", rel, err)
		}
	}
	for _, f := range []string{filepath.Join(out, "a.env"), filepath.Join(out, "sub", "a.env"), filepath.Join(root, "sub.real", "a.env")} {
		if got, _ := os.ReadFile(f); string(got) != before {
			t.Errorf("%s was rewritten: %q", f, got)
		}
	}
	if fi, err := os.Lstat(filepath.Join(root, "f.env")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(out, "sub")); len(ents) != 1 {
		t.Errorf("out/sub holds %d entries: a temporary file was left or written there", len(ents))
	}
}

// TestWriteFileUnderFolderLink (qa33 M1): a path named from the working
// directory whose folder is a symbolic link (app/linkdir -> a folder
// outside, planted in a checkout) is refused, named as a link, whether the
// file or a folder above it is the root named; the file outside keeps its
// content, and a file with no link on its path is rewritten. Above the
// working directory links are the user's own and followed.
func TestWriteFileUnderFolderLink(t *testing.T) {
	base := t.TempDir()
	tree := filepath.Join(base, "tree")
	out := filepath.Join(base, "out")
	for _, d := range []string{filepath.Join(tree, "app"), filepath.Join(out, "sub", "deeper")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const before, after = "old\n", "new\n"
	outFiles := []string{filepath.Join(out, "sub", ".env"), filepath.Join(out, "sub", "deeper", ".env")}
	for _, f := range append(outFiles, filepath.Join(tree, "app", "ok.env")) {
		if err := os.WriteFile(f, []byte(before), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(out, "sub"), filepath.Join(tree, "app", "linkdir")); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	// A link above the working directory: the user's own, followed.
	if err := os.Symlink(tree, filepath.Join(base, "treelink")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(base, "treelink"))
	for _, c := range []struct{ root, name string }{
		{"app/linkdir/.env", "app/linkdir/.env"},
		{"app/linkdir/deeper/.env", "app/linkdir/deeper/.env"},
		{"app/linkdir/deeper", "app/linkdir/deeper/.env"},
		{"app", "app/linkdir/.env"},
		{"./app/../app/linkdir/.env", "./app/../app/linkdir/.env"},
		{filepath.Join(base, "treelink", "app", "linkdir", ".env"), filepath.Join(base, "treelink", "app", "linkdir", ".env")},
	} {
		err := fix.WriteFileUnder(c.root, c.name, []byte(after))
		var r *fix.RefusedError
		if !errors.As(err, &r) || !strings.Contains(r.Reason, "linkdir") || !strings.Contains(r.Reason, "symbolic link") {
			t.Errorf("WriteFileUnder(%s, %s) = %v, want a refusal naming the folder link", c.root, c.name, err)
		}
	}
	for _, f := range outFiles {
		if got, _ := os.ReadFile(f); string(got) != before {
			t.Errorf("%s was rewritten through the folder link: %q", f, got)
		}
	}
	if err := fix.WriteFileUnder("app/ok.env", "app/ok.env", []byte(after)); err != nil {
		t.Errorf("WriteFileUnder(app/ok.env): %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(tree, "app", "ok.env")); string(got) != after {
		t.Errorf("app/ok.env: %q, want the new content", got)
	}
}
