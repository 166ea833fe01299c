package readfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSysctlWithLargeBuffer (qa10 LOW-4): a procfs sysctl file is read
// whatever room the caller's buffer has. The kernel allocates the size a
// read asks for, and a scan's reused buffer offered megabytes: every
// /proc/sys file was "cannot allocate memory".
func TestSysctlWithLargeBuffer(t *testing.T) {
	const p = "/proc/sys/kernel/ostype"
	want, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("no %s here: %v", p, err)
	}
	buf := bytes.NewBuffer(make([]byte, 0, 64<<20))
	if err := Into(buf, p, false, 32<<20); err != nil {
		t.Fatalf("Into(%s) with a 64 MiB buffer: %v", p, err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("read %q, want %q", buf.Bytes(), want)
	}
}

// TestReadAtPseudoFile checks that a file whose size says 0 but that has
// bytes (procfs) is handed back open, from its start, and read whole by
// ReadOpen: ReadAt's look for an empty file must not lose its first bytes.
func TestReadAtPseudoFile(t *testing.T) {
	const p = "/proc/sys/kernel/ostype"
	want, err := os.ReadFile(p)
	if err != nil || len(want) == 0 {
		t.Skipf("no %s here: %v", p, err)
	}
	d, err := unix.Open(filepath.Dir(p), unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(d)
	data, f, size, err := ReadAt(nil, d, filepath.Base(p), 1<<20)
	if err != nil || f == nil || data != nil {
		t.Fatalf("ReadAt(%s) = %q, %v, %v: want the file open, unread", p, data, f, err)
	}
	defer f.Close()
	var b bytes.Buffer
	if err := ReadOpen(&b, f, size, 1<<20); err != nil || !bytes.Equal(b.Bytes(), want) {
		t.Errorf("ReadOpen of ReadAt(%s)'s file: %q, %v; want %q", p, b.Bytes(), err, want)
	}
}
