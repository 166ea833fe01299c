package golangciplugin_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGolangciLintCustom builds a custom golangci-lint v2 with this plugin
// (golangci-lint custom) and runs it on a module with a key: it reports the
// key, and --fix applies the suggested fix. Building golangci-lint takes
// minutes, so the test runs only with KEYSCAN_GOLANGCI_E2E=1; it needs
// golangci-lint v2 on PATH (or named by KEYSCAN_GOLANGCI_LINT), git, and the
// Go module proxy.
//
// golangci-lint custom clones its own repository from GitHub at the
// configured version. The test gives it a local clone instead, made from the
// module cache's copy of the same release, through git's url.insteadOf in
// the environment (GIT_CONFIG_*, which golangci-lint passes on to git), so
// that only the module proxy is needed.
func TestGolangciLintCustom(t *testing.T) {
	if os.Getenv("KEYSCAN_GOLANGCI_E2E") != "1" {
		t.Skip("set KEYSCAN_GOLANGCI_E2E=1 (make test-golangci does) to build a custom golangci-lint: about 520 CPU seconds on a cold build cache, so make test leaves it out")
	}
	gcl := os.Getenv("KEYSCAN_GOLANGCI_LINT")
	if gcl == "" {
		var err error
		if gcl, err = exec.LookPath("golangci-lint"); err != nil {
			t.Fatal("golangci-lint v2 is not on PATH: go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0")
		}
	}
	out := run(t, "", nil, gcl, "version")
	m := regexp.MustCompile(`version v?(2\.\d+\.\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("golangci-lint version: want a v2 release, got %s", out)
	}
	version := "v" + m[1]
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()

	// A local repository holding the release, tagged as golangci-lint's is.
	var dl struct{ Dir string }
	if err := json.Unmarshal([]byte(run(t, root, nil, "go", "mod", "download", "-json", "github.com/golangci/golangci-lint/v2@"+version)), &dl); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(tmp, "golangci-lint.git")
	if err := os.CopyFS(repo, os.DirFS(dl.Dir)); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chmod(p, 0o755) // the module cache is read-only
		}
		return nil
	})
	git := []string{"-c", "user.name=keyscan test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}
	run(t, repo, nil, "git", "init", "-q")
	run(t, repo, nil, "git", "add", "-A")
	run(t, repo, nil, "git", append(git, "commit", "-q", "-m", version)...)
	run(t, repo, nil, "git", append(git, "tag", version)...)
	gitEnv := []string{
		"GIT_CONFIG_COUNT=1",
		"GIT_CONFIG_KEY_0=url.file://" + filepath.ToSlash(repo) + ".insteadOf",
		"GIT_CONFIG_VALUE_0=https://github.com/golangci/golangci-lint.git",
	}

	// Build the custom binary with this package as a plugin.
	build := filepath.Join(tmp, "build")
	write(t, filepath.Join(build, ".custom-gcl.yml"), fmt.Sprintf(`version: %s
name: custom-gcl
destination: %s
plugins:
  - module: github.com/keyscan/keyscan
    import: github.com/keyscan/keyscan/golangciplugin
    path: %s
`, version, filepath.Join(tmp, "bin"), root))
	run(t, build, gitEnv, gcl, "custom", "-v")
	custom := filepath.Join(tmp, "bin", "custom-gcl")

	// A module with a key given to the SDK.
	mod := filepath.Join(tmp, "mod")
	g := fakekey.New(1109)
	id, secret := g.KeyID("AKIA"), g.Secret()
	write(t, filepath.Join(mod, "go.mod"), `module example.com/lintme

go 1.26

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/aws-sdk-go-v2/config v1.33.18
	github.com/aws/aws-sdk-go-v2/credentials v1.21.0
)
`)
	write(t, filepath.Join(mod, "main.go"), fmt.Sprintf(`package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(%q, %q, "")),
	)
	fmt.Println(cfg.Region, err)
}
`, id, secret))
	// golangci-lint prints each reported line of source by default: that
	// line holds the key, so the configuration turns it off.
	write(t, filepath.Join(mod, ".golangci.yml"), `version: "2"
output:
  formats:
    text:
      path: stdout
      print-issued-lines: false
linters:
  default: none
  enable: [keyscan]
  settings:
    custom:
      keyscan:
        type: module
        description: hardcoded AWS credentials
`)
	run(t, mod, nil, "go", "mod", "tidy")

	out, code := runCode(t, mod, nil, custom, "run", "./...")
	if code == 0 || !regexp.MustCompile(`main\.go:\d+:\d+: AWS access key ID AKIA\*+`+regexp.QuoteMeta(id[16:])+`.*\(keyscan\)`).MatchString(out) {
		t.Fatalf("custom-gcl run: exit %d, want a keyscan report of the key; output:\n%s", code, out)
	}
	if strings.Contains(out, id) || strings.Contains(out, secret) {
		t.Errorf("custom-gcl run printed a key unredacted:\n%s", out)
	}
	runCode(t, mod, nil, custom, "run", "--fix", "./...")
	fixed, err := os.ReadFile(filepath.Join(mod, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fixed), "aws.NewCredentialsCache(ec2rolecreds.New())") || strings.Contains(string(fixed), id) {
		t.Fatalf("custom-gcl run --fix did not apply the fix:\n%s", fixed)
	}
	run(t, mod, nil, "go", "build", "./...")
	if out, code := runCode(t, mod, nil, custom, "run", "./..."); code != 0 {
		t.Errorf("custom-gcl run after --fix: exit %d\n%s", code, out)
	}
}

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, code := runCode(t, dir, env, name, args...)
	if code != 0 {
		t.Fatalf("%s %s: exit %d\n%s", name, strings.Join(args, " "), code, out)
	}
	return out
}

// runCode runs a command in the machine's Go environment (proxy, module
// and build caches), without a workspace or a toolchain switch, and with no
// GIT_* variables of the caller's (a test run from a git hook has some).
func runCode(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "GOWORK=off", "GOTOOLCHAIN=local")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		}
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out), 0
}
