//go:build linux

package fix_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/keyscan/keyscan/fix"
)

// TestWriteFileKeepsACL checks qa12 MEDIUM-8: fix --write keeps a file's
// POSIX ACL (set with the real setfacl, read back with getfacl) and its
// user extended attributes, and does not give a file without an ACL the
// default ACL of its folder.
func TestWriteFileKeepsACL(t *testing.T) {
	setfacl, err1 := exec.LookPath("setfacl")
	getfacl, err2 := exec.LookPath("getfacl")
	if err1 != nil || err2 != nil {
		t.Skip("setfacl and getfacl (Debian package acl) are not installed")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "app.env")
	write(t, name, "A=1\nAWS_SECRET_ACCESS_KEY=old\n", 0o640)
	if out, err := exec.Command(setfacl, "-m", "u:nobody:r,g:nogroup:r", name).CombinedOutput(); err != nil {
		t.Skipf("the file system of %s takes no ACL: %v %s", dir, err, out)
	}
	userAttr := unix.Setxattr(name, "user.keyscan-test", []byte("kept"), 0)
	acl := func(p string) string {
		out, err := exec.Command(getfacl, "--omit-header", "--absolute-names", p).CombinedOutput()
		if err != nil {
			t.Fatalf("getfacl %s: %v %s", p, err, out)
		}
		return string(out)
	}
	before := acl(name)
	if !strings.Contains(before, "user:nobody:r--") {
		t.Fatalf("setfacl did not set the entry:\n%s", before)
	}
	if err := fix.WriteFile(name, []byte("A=1\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(name); string(got) != "A=1\n" {
		t.Fatalf("content %q", got)
	}
	if after := acl(name); after != before {
		t.Errorf("the ACL changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if userAttr == nil {
		buf := make([]byte, 64)
		n, err := unix.Getxattr(name, "user.keyscan-test", buf)
		if err != nil || !bytes.Equal(buf[:n], []byte("kept")) {
			t.Errorf("the user extended attribute was lost: %v %q", err, buf[:max(n, 0)])
		}
	}

	// A folder's default ACL is not given to a file that had no ACL.
	if out, err := exec.Command(setfacl, "-d", "-m", "u:nobody:rw", dir).CombinedOutput(); err != nil {
		t.Fatalf("setfacl -d: %v %s", err, out)
	}
	plain := filepath.Join(dir, "plain.env")
	write(t, plain, "A=1\n", 0o600)
	if out, err := exec.Command(setfacl, "-b", plain).CombinedOutput(); err != nil {
		t.Fatalf("setfacl -b: %v %s", err, out)
	}
	if err := fix.WriteFile(plain, []byte("B=2\n")); err != nil {
		t.Fatal(err)
	}
	if got := acl(plain); strings.Contains(got, "nobody") {
		t.Errorf("the folder's default ACL was given to the rewritten file:\n%s", got)
	}
	if _, err := unix.Getxattr(plain, "system.posix_acl_access", make([]byte, 256)); !errors.Is(err, unix.ENODATA) {
		t.Errorf("the rewritten file has an ACL: %v", err)
	}
	if st, err := os.Stat(plain); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode after the rewrite: %v %v", st.Mode(), err)
	}
}
