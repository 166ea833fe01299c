package readfile

import (
	"bytes"
	"os"
	"testing"
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
