// Package asuser runs a test's own binary again as an unprivileged user, for
// tests about permissions: the suite runs as root in CI containers, and root
// reads files whatever their mode, so a check that a file "cannot be read"
// would pass there without testing anything.
package asuser

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

// EnvChild is set in the environment of the re-run binary.
const EnvChild = "KEYSCAN_TEST_AS_NOBODY"

// Child reports whether this process is the unprivileged re-run.
func Child() bool { return os.Getenv(EnvChild) == "1" }

// Command returns a command that runs name with args as the user nobody,
// through setpriv or runuser. It skips the test when the process is not
// root (the test then runs unprivileged already, so the caller should not
// need this) or when neither tool exists.
func Command(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("not root: the permission checks already apply to this user")
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	if p, err := exec.LookPath("setpriv"); err == nil {
		a := append([]string{"--reuid=" + u.Uid, "--regid=" + u.Gid, "--clear-groups", "--", name}, args...)
		return exec.Command(p, a...)
	}
	if p, err := exec.LookPath("runuser"); err == nil {
		a := append([]string{"-u", "nobody", "--", name}, args...)
		return exec.Command(p, a...)
	}
	t.Skip("neither setpriv nor runuser is installed: cannot run as an unprivileged user")
	return nil
}

// ReRun runs the tests matching pattern of the current test binary again as
// nobody and fails t with their output when they fail.
func ReRun(t *testing.T, pattern string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	Share(t, filepath.Dir(exe))
	cmd := Command(t, exe, "-test.run="+pattern, "-test.v")
	cmd.Env = append(os.Environ(), EnvChild+"=1", "TMPDIR="+os.TempDir())
	cmd.Dir = os.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("as nobody: no test ran\n%s", out)
	}
	t.Logf("as nobody:\n%s", out)
}

// Share makes dir and its parents searchable by every user, so that nobody
// can reach a file the test made (t.TempDir and go test's build folder are
// private to root).
func Share(t *testing.T, dir string) {
	t.Helper()
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o005 != 0o005 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o005); err != nil {
				t.Fatal(err)
			}
		}
	}
}
