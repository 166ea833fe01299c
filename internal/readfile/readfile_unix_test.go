//go:build unix

package readfile_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/keyscan/keyscan/internal/readfile"
)

// TestReadFile: a regular file is read whole; a FIFO and a link (with
// noFollow) are refused without blocking; a file over the limit is
// refused; a procfs file, which says its size is 0, is not read at all.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := readfile.File(p, true, 100); err != nil || string(b) != "hello\n" {
		t.Errorf("File(f) = %q, %v", b, err)
	}
	if _, err := readfile.File(p, true, 3); !errors.Is(err, readfile.ErrTooLarge) || err.Error() != p+": larger than 3 bytes: not read" {
		t.Errorf("a file over the limit: %v, want ErrTooLarge naming it", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readfile.File(fifo, false, 100); !errors.As(err, new(readfile.NotRegularError)) {
		t.Errorf("File(fifo): %v, want NotRegularError", err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	if _, err := readfile.File(link, true, 100); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("File(link, noFollow): %v, want ELOOP", err)
	}
	if b, err := readfile.File(link, false, 100); err != nil || string(b) != "hello\n" {
		t.Errorf("File(link) = %q, %v", b, err)
	}
	if b, err := readfile.File("/proc/self/status", false, 100); err == nil && len(b) != 0 {
		t.Errorf("File(/proc/self/status) read %d bytes of a file whose size is 0", len(b))
	}
}

// TestBeneath: a file below a root is opened one piece at a time (a path of
// 3000 folders, 24 KB, is read), and no symlink is followed on the way, at
// the end or in the middle, nor is a FIFO opened or a ".." taken.
func TestBeneath(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "f"), []byte("outside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "a", "b"), 0o755)
	os.WriteFile(filepath.Join(root, "a", "b", "f"), []byte("inside\n"), 0o644)
	os.Symlink(outside, filepath.Join(root, "a", "out"))
	os.Symlink("b", filepath.Join(root, "a", "in"))
	os.Symlink("f", filepath.Join(root, "a", "b", "link"))
	syscall.Mkfifo(filepath.Join(root, "a", "b", "fifo"), 0o644)
	var buf bytes.Buffer
	if err := readfile.IntoBeneath(&buf, root, "a/b/f", 100); err != nil || buf.String() != "inside\n" {
		t.Errorf("a/b/f: %q, %v", buf.String(), err)
	}
	// Over the limit: ErrTooLarge, named, as File says it (CLOSING15: it
	// was a plain error, so that a caller could not tell it from one not
	// read).
	if _, err := readfile.FileBeneath(root, "a/b/f", 3); !errors.Is(err, readfile.ErrTooLarge) || err.Error() != root+"/a/b/f: larger than 3 bytes: not read" {
		t.Errorf("FileBeneath over the limit: %v, want ErrTooLarge naming the file", err)
	}
	for _, rel := range []string{"a/out/f", "a/in/f", "a/b/link", "a/b/../b/f", "a/b/fifo"} {
		if err := readfile.IntoBeneath(&buf, root, rel, 100); err == nil {
			t.Errorf("%s: read %q, want refused", rel, buf.String())
		}
	}
	if target, err := readfile.ReadlinkBeneath(root, "a/out"); err != nil || target != outside {
		t.Errorf("ReadlinkBeneath(a/out) = %q, %v", target, err)
	}

	deep := strings.Repeat("dddddddd/", 3000)
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for range 3000 {
		if err := unix.Mkdirat(fd, "dddddddd", 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := unix.Openat(fd, "dddddddd", unix.O_RDONLY|unix.O_DIRECTORY, 0)
		unix.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
	}
	w, err := unix.Openat(fd, "f", unix.O_CREAT|unix.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	unix.Write(w, []byte("deep\n"))
	unix.Close(w)
	unix.Close(fd)
	if err := readfile.IntoBeneath(&buf, root, deep+"f", 100); err != nil || buf.String() != "deep\n" {
		t.Errorf("3000 deep: %q, %v", buf.String(), err)
	}
	f, err := readfile.OpenBeneath(root, strings.TrimSuffix(deep, "/"), true)
	if err != nil {
		t.Fatalf("3000 deep folder: %v", err)
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil || len(names) != 1 || names[0] != "f" {
		t.Errorf("3000 deep folder holds %q, %v", names, err)
	}
}

// TestNoLinkBeneath (qa9 HIGH-4): what a walk found under a root and reads
// again is opened from the root, or from its open folder, following no
// link: a folder or file swapped for a link to somewhere else is refused,
// never read through.
func TestNoLinkBeneath(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	out := filepath.Join(base, "out")
	for _, d := range []string{filepath.Join(root, "real"), out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(out, "k"), filepath.Join(root, "real", "k")} {
		if err := os.WriteFile(f, []byte("data\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for l, target := range map[string]string{"sub": out, "f": filepath.Join(out, "k")} {
		if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
			t.Fatal(err)
		}
	}
	for _, rel := range []string{"sub/k", "f"} {
		if b, err := readfile.FileBeneath(root, rel, 1<<20); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("FileBeneath(%s) = %q, %v: want a link refused", rel, b, err)
		}
	}
	if b, err := readfile.FileBeneath(root, "real/k", 1<<20); err != nil || string(b) != "data\n" {
		t.Errorf("FileBeneath(real/k) = %q, %v", b, err)
	}
	d, err := readfile.OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if f, err := readfile.OpenDirAt(int(d.Fd()), "sub", filepath.Join(root, "sub")); err == nil {
		f.Close()
		t.Error("OpenDirAt followed a link")
	}
	if f, _, err := readfile.OpenAt(int(d.Fd()), "f"); err == nil {
		f.Close()
		t.Error("OpenAt followed a link")
	}
	sub, err := readfile.OpenDirAt(int(d.Fd()), "real", filepath.Join(root, "real"))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	f, size, err := readfile.OpenAt(int(sub.Fd()), "k")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if err := readfile.ReadOpen(&buf, f, size, 1<<20); err != nil || buf.String() != "data\n" {
		t.Errorf("ReadOpen = %q, %v", buf.String(), err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	if h, err := readfile.HeadOpen(f, size, 2); err != nil || string(h) != "da" {
		t.Errorf("HeadOpen = %q, %v", h, err)
	}
}

// TestReadAt: ReadAt reads a regular file of its folder into the buffer it
// is given (its array, when large enough), as OpenAt and ReadOpen would;
// it hands back open, unread, what they would read by other rules (an
// empty file, a pseudo-file, one over the limit), and refuses a FIFO and a
// link as OpenAt does.
func TestReadAt(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"f": "hello\n", "empty": "", "big": strings.Repeat("x", 200)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("f", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	d, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(d)

	buf := make([]byte, 0, 64)
	data, f, size, err := readfile.ReadAt(buf, d, "f", 100)
	if err != nil || f != nil || string(data) != "hello\n" || size != 6 || &data[0] != &buf[:1][0] {
		t.Errorf("ReadAt(f) = %q, %v, %d, %v; want its text in the buffer given", data, f, size, err)
	}
	data, f, size, err = readfile.ReadAt(buf[:0:2], d, "f", 100)
	if err != nil || f != nil || string(data) != "hello\n" || size != 6 {
		t.Errorf("ReadAt(f) into a short buffer = %q, %v, %d, %v", data, f, size, err)
	}
	if data, f, size, err := readfile.ReadAt(buf, d, "empty", 100); err != nil || f != nil || len(data) != 0 || size != 0 {
		t.Errorf("ReadAt(empty) = %q, %v, %d, %v; want no bytes and no file", data, f, size, err)
	}
	if data, f, size, err := readfile.ReadAt(buf, d, "big", 100); err != nil || f == nil || data != nil {
		t.Errorf("ReadAt(big) = %q, %v, %v: want the file open, unread", data, f, err)
	} else {
		var b bytes.Buffer
		err = readfile.ReadOpen(&b, f, size, 100)
		f.Close()
		if !errors.Is(err, readfile.ErrTooLarge) {
			t.Errorf("ReadOpen of ReadAt(big)'s file: %d bytes, %v", b.Len(), err)
		}
	}
	if _, f, _, err := readfile.ReadAt(buf, d, "fifo", 100); f != nil || !errors.As(err, new(readfile.NotRegularError)) {
		t.Errorf("ReadAt(fifo): %v, want NotRegularError", err)
	}
	if _, f, _, err := readfile.ReadAt(buf, d, "link", 100); f != nil || !errors.Is(err, syscall.ELOOP) {
		t.Errorf("ReadAt(link): %v, want ELOOP", err)
	}
	if _, f, _, err := readfile.ReadAt(buf, d, "missing", 100); f != nil || !errors.Is(err, syscall.ENOENT) {
		t.Errorf("ReadAt(missing): %v, want ENOENT", err)
	}
}
