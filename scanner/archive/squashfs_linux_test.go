package archive

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSquashfsXattrsAndLinks is qa13 LOW-1: a key in an extended
// attribute's value, or in a symlink's target, lies in the image's
// compressed metadata, not in any file's data. mksquashfs stores the
// xattrs the kernel holds for the files (set here with setxattr(2)); they
// are one member, "(xattrs)", a line "name=value" each, and a symlink is a
// member holding its target (an extended symlink, type 10, when it has
// xattrs of its own: symlinks take only trusted or security xattrs, so the
// one here is the basic type 3).
func TestSquashfsXattrsAndLinks(t *testing.T) {
	root := t.TempDir()
	f := filepath.Join(root, "app.env")
	if err := os.WriteFile(f, []byte("region = eu-west-1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	value := "aws_secret_access_key = a value set as an xattr"
	if err := syscall.Setxattr(f, "user.deploy", []byte(value), 0); err != nil {
		t.Skipf("this file system takes no user xattrs: %v", err)
	}
	// A second file with the same value: mksquashfs writes it once and
	// names it by reference after.
	g := filepath.Join(root, "copy.env")
	if err := os.WriteFile(g, []byte("other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Setxattr(g, "user.deploy", []byte(value), 0); err != nil {
		t.Fatal(err)
	}
	target := "secrets/aws_access_key_id=AKIA-not-a-file"
	if err := os.Symlink(target, filepath.Join(root, "creds")); err != nil {
		t.Fatal(err)
	}
	for _, comp := range []string{"gzip", "xz"} {
		data := mksquashfs(t, root, comp)
		got := map[string]string{}
		warns, st := Walk(context.Background(), "img.sqfs", data, DefaultLimits(), func(m Member) {
			if !m.Raw {
				got[strings.TrimPrefix(m.Name, "img.sqfs!")] = string(m.Data)
			}
		})
		if len(warns) != 0 || st.Unscanned != 0 {
			t.Errorf("%s: warnings %v", comp, warns)
		}
		if x := got["(xattrs)"]; strings.Count(x, "user.deploy="+value+"\n") != 1 {
			t.Errorf("%s: (xattrs) member %q, want the value once", comp, x)
		}
		if got["creds"] != target {
			t.Errorf("%s: symlink member %q, want its target %q", comp, got["creds"], target)
		}
	}
}
