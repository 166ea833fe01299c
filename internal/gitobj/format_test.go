package gitobj

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestObjectFormat(t *testing.T) {
	for conf, want := range map[string]string{
		"": "",
		"[core]\n\trepositoryformatversion = 0\n":         "",
		"[core]\n\tobjectformat = sha256\n":               "",
		"[extensions]\n\tobjectformat = sha256\n":         "sha256",
		"[Extensions]\n\tobjectFormat=SHA256\n":           "sha256",
		"[extensions] objectformat = sha256\n":            "sha256",
		"[extensions]\n\tobjectformat = \"sha1\" # x\n":   "sha1",
		"[extensions]\n\tobjectformat = sha256 ; c\n":     "sha256",
		"[extensions]\n\t# objectformat = sha256\n":       "",
		"[extensions]\n[core]\n\tobjectformat = sha256\n": "",
		"[extensions\n\tobjectformat = sha256\n":          "",
	} {
		if got := objectFormat([]byte(conf)); got != want {
			t.Errorf("objectFormat(%q) = %q, want %q", conf, got, want)
		}
	}
}

// TestCheckFormat: git's own SHA-256 repository is refused by name, its
// SHA-1 one and a folder without config pass.
func TestCheckFormat(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	for format, want := range map[string]error{"sha1": nil, "sha256": ErrSHA256} {
		dir := filepath.Join(t.TempDir(), "r")
		cmd := exec.Command("git", "init", "-q", "--object-format="+format, dir)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("git init --object-format=%s: %v\n%s", format, err, out)
		}
		if err := CheckFormat(filepath.Join(dir, ".git")); !errors.Is(err, want) {
			t.Errorf("%s: CheckFormat = %v, want %v", format, err, want)
		}
	}
	if err := CheckFormat(t.TempDir()); err != nil {
		t.Errorf("no config: %v", err)
	}
}

func FuzzObjectFormat(f *testing.F) {
	f.Add([]byte("[extensions]\n\tobjectformat = sha256\n"))
	f.Add([]byte("[extensions] objectFormat = \"sha1\" ; x\n[core]\n"))
	f.Fuzz(func(t *testing.T, conf []byte) {
		if got := objectFormat(conf); got != "" && !(len(got) <= len(conf)) {
			t.Errorf("objectFormat = %q, longer than its input", got)
		}
	})
}
