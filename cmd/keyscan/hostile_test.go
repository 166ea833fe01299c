package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// runBounded runs keyscan in this process with a bound: a run that blocks
// fails the test instead of hanging it.
func runBounded(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		c := run(context.Background(), args, nil, &out, &errb)
		done <- result{c, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.err
	case <-time.After(2 * time.Minute):
		t.Fatalf("keyscan %s did not end", strings.Join(args, " "))
	}
	return 0, "", ""
}

// TestConfigLinkOutOfTheRoot: .keyscan.toml in the scanned tree comes from
// whoever wrote the tree. A link from it to /proc/kmsg hung every scan; a
// link to a private file was read (QA-17). Both are refused with an error
// naming the link, exit 2, before any file is scanned.
func TestConfigLinkOutOfTheRoot(t *testing.T) {
	base := t.TempDir()
	private := filepath.Join(base, "private")
	if err := os.WriteFile(private, []byte("root:$6$secret:19000:0:99999:7:::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	id := fakekey.New(17).KeyID("AKIA")
	for name, target := range map[string]string{"kmsg": "/proc/kmsg", "shadow": private} {
		dir := filepath.Join(base, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "creds"), []byte("aws_access_key_id = "+id+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, ".keyscan.toml")); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"scan", dir}, {"fix", dir}, {"baseline", "scan", dir}} {
			code, out, errs := runBounded(t, cmd...)
			if code != exitError || !strings.Contains(errs, "outside the scan root") || !strings.Contains(errs, ".keyscan.toml") {
				t.Errorf("keyscan %v: exit %d, stderr %q: want exit 2 and the config link refused", cmd, code, errs)
			}
			if strings.Contains(errs+out, "secret") || strings.Contains(errs, "toml: line") {
				t.Errorf("keyscan %v: output %q %q: the outside file was read", cmd, out, errs)
			}
		}
	}
}

// TestNamedPseudoFile: keyscan scan /proc/kmsg (or a link to it named on
// the command line) blocked in read(2) forever (QA-1): a regular file is
// read up to its size only, and procfs says 0.
func TestNamedPseudoFile(t *testing.T) {
	if _, err := os.Lstat("/proc/kmsg"); err != nil {
		t.Skipf("no /proc/kmsg: %v", err)
	}
	link := filepath.Join(t.TempDir(), "config.ini")
	if err := os.Symlink("/proc/kmsg", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/proc/kmsg", link} {
		code, _, errs := runBounded(t, "scan", p)
		// Root may read it (empty: nothing found); another user may not
		// (exit 2, named). Either way the scan ends.
		if code != exitClean && code != exitError {
			t.Errorf("scan %s: exit %d, stderr %q", p, code, errs)
		}
		code, _, errs = runBounded(t, "scan", "--baseline", p, t.TempDir())
		if code != exitClean && code != exitError {
			t.Errorf("scan --baseline %s: exit %d, stderr %q", p, code, errs)
		}
		code, _, errs = runBounded(t, "scan", "--config", p, t.TempDir())
		if code != exitClean && code != exitError {
			t.Errorf("scan --config %s: exit %d, stderr %q", p, code, errs)
		}
	}
}

// TestProcEnviron: /proc/PID/environ, where a host leaks the keys a process
// was started with, reports size 0 like every procfs file; it was not read
// and the scan said "no credentials found" (qa7 MEDIUM-4). procfs and sysfs
// files are read without waiting, up to the size limit; /proc/kmsg, whose
// read consumes the kernel's log, is named as not read (exit 2).
func TestProcEnviron(t *testing.T) {
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skipf("no procfs: %v", err)
	}
	g := fakekey.New(131)
	cmd := exec.Command("sleep", "60")
	cmd.Env = []string{"AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA"), "AWS_SECRET_ACCESS_KEY=" + g.Secret()}
	if err := cmd.Start(); err != nil {
		t.Skipf("sleep: %v", err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	environ := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "environ")
	// The kernel fills in a new program's environment after the parent of
	// a vfork-like start already runs again (Start returns): until then
	// the file reads empty. Wait for it, a bounded while; a sandbox whose
	// /proc is another PID namespace's never shows it, and proves nothing.
	for i := 0; ; i++ {
		b, err := os.ReadFile(environ)
		if err == nil && bytes.Contains(b, []byte("AWS_SECRET_ACCESS_KEY=")) {
			break
		}
		if i == 200 {
			t.Skipf("%s does not show the child's environment (%v, %d bytes): /proc is not this PID namespace's", environ, err, len(b))
		}
		time.Sleep(10 * time.Millisecond)
	}
	code, out, errs := runBounded(t, "scan", "--format", "json", environ)
	if code != exitFindings || !strings.Contains(out, "secret_access_key") || !strings.Contains(out, "access_key_id") {
		t.Errorf("scan %s: exit %d, want 1 with the pair\n%s%s", environ, code, out, errs)
	}
	if _, err := os.Lstat("/proc/kmsg"); err == nil {
		if code, _, errs := runBounded(t, "scan", "/proc/kmsg"); code != exitError || !strings.Contains(errs, "kernel's log") {
			t.Errorf("scan /proc/kmsg: exit %d, want 2 naming it\n%s", code, errs)
		}
	}
}

// TestUnreadableRootSaysSo: a named root that could not be read (here a
// symlink loop) exits 2, and the summary names it instead of saying "no
// credentials found", which a person or a CI log grep reads as clean (QA-3).
func TestUnreadableRootSaysSo(t *testing.T) {
	dir := t.TempDir()
	l1, l2 := filepath.Join(dir, "loop1"), filepath.Join(dir, "loop2")
	if err := os.Symlink(l2, l1); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(l1, l2); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok")
	if err := os.WriteFile(ok, []byte("nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runBounded(t, "scan", l1, ok)
	if code != exitError || !strings.Contains(errs, "cannot read") {
		t.Errorf("exit %d, stderr %q: want 2 and the loop named", code, errs)
	}
	if strings.Contains(out, "no credentials found") || !strings.Contains(out, "incomplete: could not read "+filepath.ToSlash(l1)) {
		t.Errorf("stdout %q: want the loop named as not scanned, and no \"no credentials found\"", out)
	}
}

// TestInterruptibleStuckCommand: a command blocked where no context
// reaches (a read in the kernel) still ends keyscan on SIGINT or SIGTERM:
// "interrupted", exit 130, without waiting for it.
func TestInterruptibleStuckCommand(t *testing.T) {
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		stuck := make(chan struct{})
		sig := make(chan os.Signal, 1)
		sig <- s
		ctx, cancel := context.WithCancel(context.Background())
		var errb bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- interruptible(cancel, sig, time.Millisecond, &errb, func() int { <-stuck; return exitClean })
		}()
		select {
		case code := <-done:
			if code != exitInterrupted || strings.TrimSpace(errb.String()) != "keyscan: interrupted" {
				t.Errorf("%v: exit %d, stderr %q: want %d and \"keyscan: interrupted\"", s, code, errb.String(), exitInterrupted)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%v: a stuck command kept keyscan from ending", s)
		}
		if ctx.Err() == nil {
			t.Errorf("%v: the command's context was not cancelled", s)
		}
		close(stuck)
	}
	// A command that stops when cancelled gives its own status.
	sig := make(chan os.Signal, 1)
	sig <- syscall.SIGTERM
	ctx, cancel := context.WithCancel(context.Background())
	code := interruptible(cancel, sig, time.Hour, new(bytes.Buffer), func() int { <-ctx.Done(); return 7 })
	if code != 7 {
		t.Errorf("exit %d, want the command's own 7", code)
	}
}

// TestSIGTERMEndsABlockedRead runs the real binary with a read that no
// context can cancel (pre-receive reading a standard input that never
// ends, as a hung CI pipe would) and sends it SIGTERM, as CI runners and
// timeout(1) do: it must print "interrupted" and exit 130. The test waits
// until the process is blocked in read(2) on fd 0 (from /proc), so no
// timing is guessed; the harness context only keeps a regression from
// hanging the test.
func TestSIGTERMEndsABlockedRead(t *testing.T) {
	readNR := map[string]string{"amd64": "0", "arm64": "63"}[runtime.GOARCH]
	if readNR == "" {
		t.Skipf("read(2) syscall number unknown for %s", runtime.GOARCH)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyscan := filepath.Join(dir, "keyscan")
	if err := os.Symlink(exe, keyscan); err != nil {
		t.Fatal(err)
	}
	// pre-receive refuses at once outside a repository, before it reads
	// anything: the read it blocks in needs a real (bare) one.
	repo := filepath.Join(dir, "repo.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", repo).CombinedOutput(); err != nil {
		t.Skipf("git init --bare: %v\n%s", err, out)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, keyscan, "pre-receive", repo)
	cmd.Dir = repo
	cmd.Stdin = pr
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pr.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	pid := cmd.Process.Pid
	blocked := func() bool {
		tasks, _ := filepath.Glob(filepath.Join("/proc", itoa(pid), "task", "*", "syscall"))
		for _, p := range tasks {
			b, err := os.ReadFile(p)
			if err == nil && strings.HasPrefix(string(b), readNR+" 0x0 ") {
				return true
			}
		}
		return false
	}
	// Polled with a pause, not a spin: a spin took a whole core from the
	// rest of the suite for as long as it waited.
	for !blocked() {
		select {
		case err := <-exited:
			t.Fatalf("keyscan pre-receive ended before it read its standard input: %v; stderr %q", err, errb.String())
		case <-ctx.Done():
			t.Skip("never saw keyscan blocked in read(2) on its standard input (/proc/PID/task/*/syscall unreadable?)")
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = <-exited
	var ee *exec.ExitError
	if ctx.Err() != nil || !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted || !strings.Contains(errb.String(), "keyscan: interrupted") {
		t.Errorf("after SIGTERM: %v (harness timeout: %v), stderr %q: want exit %d and \"keyscan: interrupted\"", err, ctx.Err(), errb.String(), exitInterrupted)
	}
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}
