package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestHermetic(t *testing.T) {
	t.Setenv("GIT_DIR", "/somewhere/else/.git")
	t.Setenv("GIT_INDEX_FILE", "/somewhere/else/index")
	t.Setenv("GITHUB_TOKEN_NOT_GIT", "kept")
	Hermetic()
	for _, name := range []string{"GIT_DIR", "GIT_INDEX_FILE"} {
		if v, ok := os.LookupEnv(name); ok {
			t.Errorf("%s is still set to %q", name, v)
		}
	}
	if os.Getenv("GITHUB_TOKEN_NOT_GIT") != "kept" {
		t.Error("a variable that is not git's was removed")
	}
}

// TestHermeticConfig: after Hermetic, git reads neither the user's nor the
// system's configuration (a commit.gpgsign there failed every commit the
// tests of scanner/walk made on a machine that signs), nor the user's
// global ignore file (a "*.env" there failed 20 tests of scanner/staged).
func TestHermeticConfig(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[commit]\n\tgpgsign = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The user's global ignore file, read with no configuration at all.
	if err := os.MkdirAll(filepath.Join(home, "git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "git", "ignore"), []byte("*.env\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, ".gitconfig"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "")
	Hermetic()
	out, err := exec.Command("git", "config", "--get", "commit.gpgsign").Output()
	if err == nil || len(out) > 0 {
		t.Errorf("git still reads the user's configuration: commit.gpgsign = %q", out)
	}
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(repo, "prod.env"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", repo, "check-ignore", "prod.env").Output(); err == nil {
		t.Errorf("git still reads the user's ignore file: prod.env ignored (%q)", out)
	}
}
