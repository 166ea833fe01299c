//go:build unix

package fix_test

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/keyscan/keyscan/fix"
)

// TestWriteFileKeepsOwner: root rewriting a user's 0600 file leaves it the
// user's, group included.
func TestWriteFileKeepsOwner(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() != 0 {
		t.Skip("needs root to give a file to another user")
	}
	uid, gid := nobody(t)
	dir := t.TempDir()
	name := filepath.Join(dir, "credentials")
	write(t, name, "[default]\nold\n", 0o600)
	if err := os.Chown(name, uid, gid); err != nil {
		t.Fatal(err)
	}
	if err := fix.WriteFile(name, []byte("[default]\n")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	if int(sys.Uid) != uid || int(sys.Gid) != gid {
		t.Errorf("owner %d:%d after the rewrite, want %d:%d", sys.Uid, sys.Gid, uid, gid)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}
