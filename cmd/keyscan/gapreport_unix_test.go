//go:build unix

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestUnreadableFileReportedWithoutStrict (qa33 M3): a file of the tree
// that cannot be read, the only one holding a key, left keyscan scan at
// exit 0 with a JSON report of [] and a SARIF log saying
// executionSuccessful true: read without its exit status, the report
// passed for clean. Every format now says what was not read whatever
// --strict says; --strict decides the exit status alone (0, or 1 for the
// findings, without it; 2 with it). As root, which reads every file, the
// scan runs as nobody.
func TestUnreadableFileReportedWithoutStrict(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3301)
	dir, run := unreadableRunner(t)
	tree := filepath.Join(dir, "tree")
	writeRepoFile(t, tree, "README.md", "# project\n")
	writeRepoFile(t, tree, "secret/creds.ini", fakeCredsFile(g))
	if err := os.Chmod(filepath.Join(tree, "secret", "creds.ini"), 0); err != nil {
		t.Fatal(err)
	}
	checkGapReports(t, run, tree, []string{"scan", "."}, []string{"unreadable"}, 0, exitClean)

	// With a key read beside it: the findings, then the gap; exit 1.
	writeRepoFile(t, tree, "other.ini", fakeCredsFile(fakekey.New(3302)))
	checkGapReports(t, run, tree, []string{"scan", "."}, []string{"unreadable"}, 2, exitFindings)

	// strict = true in the configuration is --strict.
	writeRepoFile(t, tree, ".keyscan.toml", "strict = true\n")
	if r := run(tree, "scan", "--format", "json", "."); r.code != exitError || !strings.Contains(r.stdout, `"complete": false`) {
		t.Errorf("strict = true: exit %d, want 2 and the incomplete element\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHistoryCorruptBlobReportedWithoutStrict (qa33 M3): a loose blob of
// the history that does not inflate (the only one holding a key) left
// keyscan history at exit 0, its JSON [] and its SARIF successful. Every
// format now says so; the exit status stays 0 without --strict and 2 with
// it.
func TestHistoryCorruptBlobReportedWithoutStrict(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3303)
	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "deploy/creds.env", fakeCredsFile(g))
	gitOK(t, repo, "add", ".")
	gitOK(t, repo, "commit", "-q", "-m", "leak")
	gitOK(t, repo, "rm", "-q", "deploy/creds.env")
	gitOK(t, repo, "commit", "-q", "-m", "remove")
	oid := strings.TrimSpace(gitOK(t, repo, "rev-parse", "HEAD~1:deploy/creds.env"))
	obj := filepath.Join(repo, ".git", "objects", oid[:2], oid[2:])
	b, err := os.ReadFile(obj)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff // the zlib stream no longer inflates to the object
	if err := os.Chmod(obj, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(obj, b, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(dir string, args ...string) cmdResult { return runCmd(t, dir, nil, "keyscan", args...) }
	checkGapReports(t, run, repo, []string{"history", "."}, []string{"unreadable"}, 0, exitClean)
}

// checkGapReports runs keyscan args in dir in every format, without and
// with --strict, and checks that each report says the run is incomplete
// (reasons, in order) after its findings, the same either way, and that
// the exit status alone differs: code without --strict, 2 with it.
func checkGapReports(t *testing.T, run func(dir string, args ...string) cmdResult, dir string, args, reasons []string, findings, code int) {
	t.Helper()
	sch := sarifSchema(t)
	both := func(format string) cmdResult {
		t.Helper()
		a := append(append([]string{}, args...), "--format", format)
		r := run(dir, a...)
		if r.code != code {
			t.Errorf("%s --format %s: exit %d, want %d\n%s%s", strings.Join(args, " "), format, r.code, code, r.stdout, r.stderr)
		}
		s := run(dir, append([]string{a[0], "--strict"}, a[1:]...)...)
		if s.code != exitError {
			t.Errorf("%s --strict --format %s: exit %d, want 2\n%s%s", strings.Join(args, " "), format, s.code, s.stdout, s.stderr)
		}
		if s.stdout != r.stdout {
			t.Errorf("%s --format %s: the report differs with --strict:\n%s\nwithout:\n%s", strings.Join(args, " "), format, s.stdout, r.stdout)
		}
		return r
	}

	if r := both("text"); !strings.Contains(r.stdout, "incomplete: ") || strings.Contains(r.stdout, "no credentials found") {
		t.Errorf("%s: text summary does not say incomplete:\n%s", strings.Join(args, " "), r.stdout)
	}

	r := both("json")
	var arr []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &arr); err != nil || len(arr) != findings+1 {
		t.Fatalf("%s: JSON: %v, want %d findings and the incomplete element\n%s", strings.Join(args, " "), err, findings, r.stdout)
	}
	last := arr[len(arr)-1]
	var got []string
	if inc, ok := last["incomplete"].([]any); ok && last["complete"] == false {
		for _, x := range inc {
			got = append(got, x.(map[string]any)["reason"].(string))
		}
	}
	if strings.Join(got, ",") != strings.Join(reasons, ",") {
		t.Errorf("%s: JSON ends with %v, want complete false and the gaps %v", strings.Join(args, " "), last, reasons)
	}

	r = both("sarif")
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("SARIF: %v\n%s", err, r.stdout)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Results     []any
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct{ Descriptor struct{ ID string } }
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("SARIF runs: %v\n%s", err, r.stdout)
	}
	inv := log.Runs[0].Invocations[0]
	got = got[:0]
	for _, n := range inv.ToolExecutionNotifications {
		got = append(got, strings.TrimPrefix(n.Descriptor.ID, "keyscan/incomplete/"))
	}
	if inv.ExecutionSuccessful || strings.Join(got, ",") != strings.Join(reasons, ",") {
		t.Errorf("%s: SARIF invocation %+v, want executionSuccessful false and a notification for each of %v", strings.Join(args, " "), inv, reasons)
	}
	if len(log.Runs[0].Results) == 0 != (findings == 0) {
		t.Errorf("%s: SARIF has %d results", strings.Join(args, " "), len(log.Runs[0].Results))
	}
}

// unreadableRunner returns a folder to build a tree in and how to run
// keyscan there so that a file of mode 000 cannot be read: as the test's
// user, or, for root, which reads every file, as nobody, from a copy of the
// keyscan command in a folder every user can read.
func unreadableRunner(t *testing.T) (string, func(dir string, args ...string) cmdResult) {
	t.Helper()
	if os.Geteuid() != 0 {
		return t.TempDir(), func(dir string, args ...string) cmdResult { return runCmd(t, dir, nil, "keyscan", args...) }
	}
	dir, err := os.MkdirTemp("", "keyscan-unreadable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := exec.LookPath("keyscan")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin", "keyscan")
	if err := os.Mkdir(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := copyFile(self, bin); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	const nobody = 65534
	return dir, func(wd string, args ...string) cmdResult {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = wd
		cmd.Env = append(append(os.Environ(), testGitEnv...), "HOME="+dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		r := cmdResult{stdout: out.String(), stderr: errb.String()}
		if ee, ok := err.(*exec.ExitError); ok {
			r.code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("keyscan %s as nobody: %v", strings.Join(args, " "), err)
		}
		return r
	}
}
