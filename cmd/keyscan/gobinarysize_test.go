package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoBinaryOverMaxFileSize: a Go program that holds a key pair, larger
// than max_file_size, is a gap in every command, as the README's size
// limits say: scan and history warn with its name, size and the limit, say
// too-large in JSON and SARIF and under --quiet (whose empty report read as
// clean), and exit 2 with --strict; the hooks (staged, history --unpushed)
// and the server's gate fail on it whatever --strict says. Under the
// default limit the same binary gives its keys, so the gap hides them.
func TestGoBinaryOverMaxFileSize(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3601)
	src := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nvar awsAccessKeyID = %q\nvar awsSecretAccessKey = %q\n\nfunc main() { fmt.Println(awsAccessKeyID, awsSecretAccessKey) }\n",
		g.KeyID("AKIA"), g.Secret())
	bin := buildGoProgram(t, src)
	dir := newCommittedRepo(t)
	if err := os.WriteFile(filepath.Join(dir, "server"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "scan", "server"); r.code != exitFindings {
		t.Fatalf("scan of the Go program under the default limit: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	limit := len(bin) / 2
	writeRepoFile(t, dir, ".keyscan.toml", fmt.Sprintf("max_file_size = %d\n", limit))
	gitOK(t, dir, "add", ".keyscan.toml")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "config")
	named := fmt.Sprintf("server: %d bytes, larger than max_file_size (%d bytes): not scanned", len(bin), limit)
	check := func(code int, out, errOut string, args ...string) cmdResult {
		t.Helper()
		r := runCmd(t, dir, nil, "keyscan", args...)
		if r.code != code || !strings.Contains(r.stdout, out) || !strings.Contains(r.stderr, errOut) {
			t.Errorf("keyscan %s: exit %d, want %d, %q on stdout and %q on stderr\nstdout:\n%s\nstderr:\n%s",
				strings.Join(args, " "), r.code, code, out, errOut, r.stdout, r.stderr)
		}
		return r
	}
	tooLarge := "incomplete: 1 file not scanned (larger than max_file_size)"
	check(exitClean, tooLarge, named, "scan", ".")
	check(exitClean, tooLarge, "", "scan", "--quiet", ".")
	check(exitError, "", "strict: 1 file not scanned (larger than max_file_size)", "scan", "--strict", ".")
	r := check(exitClean, "", named, "scan", "--format", "json", ".")
	var arr []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &arr); err != nil || len(arr) != 1 || arr[0]["complete"] != false ||
		!strings.Contains(r.stdout, `"reason": "too-large"`) {
		t.Errorf("scan --format json: %v, want the too-large gap alone:\n%s", err, r.stdout)
	}
	r = check(exitClean, "", named, "scan", "--format", "sarif", ".")
	if !strings.Contains(r.stdout, `"executionSuccessful": false`) || !strings.Contains(r.stdout, "keyscan/incomplete/too-large") {
		t.Errorf("scan --format sarif does not say the run was incomplete:\n%s", r.stdout)
	}

	gitOK(t, dir, "add", "server")
	hook := "1 file over its size limit not scanned: a hook fails on it"
	check(exitError, "", hook, "staged")
	check(exitError, "", named, "staged", "--quiet")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "the program")
	blob := fmt.Sprintf("server: blob of %d bytes, larger than max_file_size (%d bytes): not scanned", len(bin), limit)
	check(exitClean, "incomplete: 1 blob not scanned (larger than max_file_size)", blob, "history", ".")
	check(exitError, "", "strict: 1 blob not scanned", "history", "--strict", ".")
	remote := t.TempDir()
	gitOK(t, remote, "init", "-q", "--bare")
	check(exitError, "", blob, "history", "--quiet", "--unpushed", remote, ".")

	// The gate, with the same limit in its own configuration.
	if err := os.WriteFile(filepath.Join(remote, "keyscan.toml"), fmt.Appendf(nil, "max_file_size = %d\n", limit), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install", "--type", "pre-receive", remote); r.code != exitClean {
		t.Fatalf("hook install --type pre-receive: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	push := exec.Command("git", "push", remote, "HEAD:refs/heads/main")
	push.Dir = dir
	out, err := push.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "over max_file_size") || !strings.Contains(string(out), blob) {
		t.Errorf("push of the Go program over max_file_size: %v, want refused naming it\n%s", err, out)
	}
}

// buildGoProgram builds the Go program src (package main) and returns its
// bytes: a real binary, as the scanner's Go-program readers expect.
func buildGoProgram(t *testing.T, src string) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module app\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", "app", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	data, err := os.ReadFile(filepath.Join(dir, "app"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestGoBinaryWithZipOverMaxFileSize: a Go program with a zip appended (a
// self-extractor's shape: the zip behind a stub) over max_file_size is
// opened by scan, which reads the file's end to know, and, as the README
// says, skipped by staged and history, which know a blob over the limit by
// its first bytes only (a blob is not inflated whole to be skipped): a
// gap there, named with its size and the limit, that the hook fails on.
func TestGoBinaryWithZipOverMaxFileSize(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3602)
	src := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nvar awsAccessKeyID = %q\nvar awsSecretAccessKey = %q\n\nfunc main() { fmt.Println(awsAccessKeyID, awsSecretAccessKey) }\n",
		g.KeyID("AKIA"), g.Secret())
	bin := buildGoProgram(t, src)
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, err := zw.Create("readme.txt")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("resources\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	bin = append(bin, z.Bytes()...)
	dir := newCommittedRepo(t)
	limit := len(bin) / 2
	writeRepoFile(t, dir, ".keyscan.toml", fmt.Sprintf("max_file_size = %d\n", limit))
	gitOK(t, dir, "add", ".keyscan.toml")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "config")
	if err := os.WriteFile(filepath.Join(dir, "server"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "scan", "."); r.code != exitFindings || !strings.Contains(r.stdout, "server") || strings.Contains(r.stderr, "not scanned") {
		t.Errorf("keyscan scan: exit %d, want 1 with the program's keys\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "server")
	named := fmt.Sprintf("server: %d bytes, larger than max_file_size (%d bytes): not scanned", len(bin), limit)
	if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != exitError || !strings.Contains(r.stderr, named) {
		t.Errorf("keyscan staged: exit %d, want 2 naming %q\n%s%s", r.code, named, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "the program")
	blob := fmt.Sprintf("server: blob of %d bytes, larger than max_file_size (%d bytes): not scanned", len(bin), limit)
	if r := runCmd(t, dir, nil, "keyscan", "history", "."); r.code != exitClean || !strings.Contains(r.stderr, blob) || !strings.Contains(r.stdout, "incomplete") {
		t.Errorf("keyscan history: exit %d, want 0 with the gap named %q\n%s%s", r.code, blob, r.stdout, r.stderr)
	}
}
