package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// keyTree writes n .env files that each hold a key pair and returns the
// folder and the files' content.
func keyTree(t *testing.T, n int) (string, string) {
	t.Helper()
	dir := t.TempDir()
	v := fakekey.New(7).Values()
	content := fmt.Sprintf("APP=web\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", v["ID"], v["SECRET"])
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%50))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%04d.env", i)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, content
}

// rewritten counts the files under dir whose content is no longer orig.
func rewritten(t *testing.T, dir, orig string) (changed, total int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		total++
		if string(b) != orig {
			changed++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return changed, total
}

// cancelOnWrite is an output that cancels the run when it first sees a
// "rewrote" line: an interrupt that arrives after the first file.
type cancelOnWrite struct {
	bytes.Buffer
	cancel context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("keyscan fix: rewrote ")) {
		w.cancel()
	}
	return w.Buffer.Write(p)
}

// TestFixInterrupted: an interrupt during fix --write stops between files,
// exits non-zero and says how many files were rewritten (before, every
// file was rewritten and the status was 0).
func TestFixInterrupted(t *testing.T) {
	dir, orig := keyTree(t, 40)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &cancelOnWrite{cancel: cancel}
	var stderr bytes.Buffer
	code := run(ctx, []string{"fix", "--write", dir}, strings.NewReader(""), stdout, &stderr)
	if code != exitInterrupted {
		t.Errorf("exit status %d, want %d\n%s%s", code, exitInterrupted, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "keyscan fix: interrupted: 1 file rewritten, 39 not looked at") {
		t.Errorf("stderr does not say how far fix got:\n%s", stderr.String())
	}
	if changed, total := rewritten(t, dir, orig); changed != 1 || total != 40 {
		t.Errorf("%d of %d files rewritten, want 1 of 40", changed, total)
	}
}

// TestFixSIGINT sends a real SIGINT to keyscan fix --write on thousands of
// files once it has rewritten the first: it stops, exits 130, and the count
// it prints is the number of files that changed on disk.
func TestFixSIGINT(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on Windows")
	}
	if testing.Short() {
		t.Skip("writes 2000 files")
	}
	dir, orig := keyTree(t, 2000)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// testscript.Main runs main when the binary is called keyscan.
	bin := filepath.Join(t.TempDir(), "keyscan")
	if err := os.Symlink(self, bin); err != nil {
		t.Skipf("symlink: %v", err)
	}
	cmd := exec.Command(bin, "fix", "--write", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "keyscan fix: rewrote ") {
			once.Do(func() { cmd.Process.Signal(syscall.SIGINT) })
		}
	}
	io.Copy(io.Discard, out)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("keyscan fix after SIGINT: %v, want exit status %d\n%s", err, exitInterrupted, stderr.String())
	}
	m := regexp.MustCompile(`interrupted: (\d+) files? rewritten, (\d+) not looked at`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("stderr does not say how many files were rewritten:\n%s", stderr.String())
	}
	n, _ := strconv.Atoi(m[1])
	left, _ := strconv.Atoi(m[2])
	changed, total := rewritten(t, dir, orig)
	if changed != n || n+left != total || n == total {
		t.Errorf("keyscan says %d rewritten and %d left; on disk %d of %d changed", n, left, changed, total)
	}
}

// TestFixCredentialsByContent: keyscan fix --write rewrites an AWS
// credentials file whatever its name, recognised by its content (qa7
// LOW-17: prod.credentials and credentials.prod were left by hand), and a
// document that only shows such lines is not taken for one.
func TestFixCredentialsByContent(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := t.TempDir()
	g := fakekey.New(417)
	names := []string{"creds", "prod.credentials", "credentials.prod", "secrets/aws.keys", "backup/credentials.2024-01-31", "aws_creds.txt"}
	for _, n := range names {
		writeRepoFile(t, dir, n, "# "+n+"\n[default]\naws_access_key_id = "+g.KeyID("AKIA")+"\naws_secret_access_key = "+g.Secret()+"\nregion = eu-west-1\n")
	}
	doc := "Set up:\n\n[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n\nthen run the tool.\n"
	writeRepoFile(t, dir, "SETUP.notes", doc)

	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings || !strings.Contains(r.stderr+r.stdout, "SETUP.notes") {
		t.Errorf("fix --write: exit %d, want 1 with SETUP.notes left by hand\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, "aws_access_key_id") || strings.Contains(s, "aws_secret_access_key") ||
			!strings.Contains(s, "region = eu-west-1") || !strings.Contains(s, "[default]") {
			t.Errorf("%s after fix --write:\n%s", n, s)
		}
		if strings.Contains(r.stdout+r.stderr, n+":3") {
			t.Errorf("%s left by hand:\n%s%s", n, r.stdout, r.stderr)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "SETUP.notes")); string(b) != doc {
		t.Errorf("a document was rewritten as a credentials file:\n%s", b)
	}
	if err := os.Remove(filepath.Join(dir, "SETUP.notes")); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "scan", "."); r.code != exitClean {
		t.Errorf("scan after fix --write: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestFixContinuedSecret: a secret cut by a backslash line continuation
// (qa8 LOW-2, LOW-4) is found, hidden in the diff piece by piece, and
// fix --write removes it with its key ID; the file is then clean (before,
// only the key ID was removed and fix exited 0).
func TestFixContinuedSecret(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := t.TempDir()
	g := fakekey.New(418)
	id, s := g.KeyID("AKIA"), g.Secret()
	files := map[string]string{
		"app.properties": "aws.accessKeyId=" + id + "\naws.secretKey=" + s[:20] + "\\\n    " + s[20:] + "\nserver.port=8080\n",
		"env.sh":         "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=\"" + id + "\"\nexport AWS_SECRET_ACCESS_KEY=\"" + s[:17] + "\\\n" + s[17:] + "\"\necho ok\n",
	}
	for n, c := range files {
		writeRepoFile(t, dir, n, c)
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", ".")
	if r.code != exitFindings || strings.Contains(r.stdout+r.stderr, s[:17]) || strings.Contains(r.stdout+r.stderr, s[20:]) {
		t.Errorf("fix: exit %d, want 1 and the secret hidden\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitClean {
		t.Errorf("fix --write: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	for n := range files {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), s[20:]) || strings.Contains(string(b), id) {
			t.Errorf("%s after fix --write:\n%s", n, b)
		}
	}
	if out, err := exec.Command("bash", "-n", filepath.Join(dir, "env.sh")).CombinedOutput(); err != nil {
		t.Errorf("env.sh no longer parses: %v\n%s", err, out)
	}
	if r := runCmd(t, dir, nil, "keyscan", "scan", "."); r.code != exitClean {
		t.Errorf("scan after fix --write: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
