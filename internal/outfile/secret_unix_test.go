//go:build unix

package outfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCreateSecretBeneathRegularOnly: a file of secrets is never written
// in place: a pipe, or a link to a device, which CreateBeneath writes as a
// shell would, is refused; a regular file is replaced by a new 0600 one.
func TestCreateSecretBeneathRegularOnly(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := syscall.Mkfifo("pipe", 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/null", "null"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pipe", "null"} {
		if f, err := CreateSecretBeneath(name); err == nil {
			f.Abort()
			t.Errorf("%s: opened for secrets", name)
		}
	}
	if f, err := CreateBeneath("null", false); err != nil {
		t.Errorf("CreateBeneath(null): %v", err)
	} else {
		f.Close()
	}
	if err := os.WriteFile("old", []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := CreateSecretBeneath("old")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(".", "old"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file: %v %v, want 0600", fi.Mode(), err)
	}
}
