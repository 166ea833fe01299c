package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/asuser"
	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestUnreadableAsNobody runs keyscan as an unprivileged user (root reads
// every file, so the checks mean nothing as root): a root or a named file
// that cannot be read is exit 2, not "no credentials found"; an unreadable
// file found while walking is a warning and a count, and --strict (or the
// config key) makes it exit 2.
func TestUnreadableAsNobody(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	keyscan := filepath.Join(bin, "keyscan")
	if err := os.Symlink(exe, keyscan); err != nil {
		t.Fatal(err)
	}
	asuser.Share(t, filepath.Dir(exe))
	asuser.Share(t, dir)
	for p, mode := range map[string]os.FileMode{
		"locked/a.txt":    0o644,
		"secret.txt":      0o600,
		"tree/ok.txt":     0o644,
		"tree/locked.txt": 0o600,
		"strict/ok.txt":   0o644,
		"strict/no.txt":   0o600,
	} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("nothing\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "locked"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "strict", ".keyscan.toml"), []byte("strict = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
		stdout string
	}{
		{[]string{"scan", "locked"}, exitError, "cannot read locked: permission denied", ""},
		{[]string{"scan", "secret.txt"}, exitError, "cannot read secret.txt: permission denied", ""},
		{[]string{"scan", "tree"}, exitClean, "warning: tree/locked.txt: permission denied", "not scanned: 1 unreadable"},
		{[]string{"scan", "tree", "--strict"}, exitError, "strict: 1 file or folder could not be read", ""},
		{[]string{"scan", "strict"}, exitError, "strict: 1 file or folder could not be read", ""},
	} {
		cmd := asuser.Command(t, keyscan, c.args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code || !strings.Contains(errb.String(), c.stderr) || !strings.Contains(out.String(), c.stdout) {
			t.Errorf("keyscan %s as nobody: exit %d, want %d\nstdout (want %q):\n%s\nstderr (want %q):\n%s",
				strings.Join(c.args, " "), code, c.code, c.stdout, out.String(), c.stderr, errb.String())
		}
	}
}

// TestInterrupted: a scan stopped by SIGINT says "interrupted" and exits
// 130, instead of printing "context canceled" or a partial "clean" report.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a", "b", "c"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as the SIGINT handler in main does
	var out, errb bytes.Buffer
	code := run(ctx, []string{"scan", dir}, nil, &out, &errb)
	if code != exitInterrupted || strings.TrimSpace(errb.String()) != "keyscan: interrupted" || out.Len() != 0 {
		t.Errorf("exit %d, want %d; stdout %q; stderr %q, want just \"keyscan: interrupted\"", code, exitInterrupted, out.String(), errb.String())
	}
}

// TestFlagsAnywhere: flags after the paths are flags, "--" ends them.
func TestFlagsAnywhere(t *testing.T) {
	dir := t.TempDir()
	id := fakekey.New(11).KeyID("AKIA")
	if err := os.WriteFile(filepath.Join(dir, "creds"), []byte("aws_access_key_id = "+id+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "-odd"), []byte("aws_access_key_id = "+id+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"scan", "creds", "--format", "json", "--quiet"}, nil, &out, &errb)
	if code != exitFindings || !strings.HasPrefix(strings.TrimSpace(out.String()), "[") {
		t.Errorf("scan creds --format json: exit %d, stdout %q, stderr %q: want a JSON report", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	code = run(context.Background(), []string{"scan", "--quiet", "--format=json", "--", "-odd"}, nil, &out, &errb)
	if code != exitFindings || !strings.Contains(out.String(), `"file": "-odd"`) {
		t.Errorf("scan -- -odd: exit %d, stdout %q, stderr %q: want the file -odd scanned", code, out.String(), errb.String())
	}
}
