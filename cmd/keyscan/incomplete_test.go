package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestIncompleteReports (qa9 LOW-1): a run that could not read all it was
// asked to exits 2, and its text summary says "incomplete", but its JSON
// and SARIF looked like a clean run's (an empty array, a log with no
// results): a consumer reading the report alone took a partial clone for
// a clean history. Every command that writes JSON or SARIF now says so:
// JSON ends with {"complete": false, "incomplete": [...]}, SARIF's
// invocation is executionSuccessful false with a notification per gap
// (and validates against the official schema), and a --baseline made
// from such a JSON report still reads.
func TestIncompleteReports(t *testing.T) {
	requireKeyscanOnPath(t)
	sch := sarifSchema(t)
	g := fakekey.New(9101)

	// scan: a path named that does not exist beside one that holds a key;
	// --strict with a file over max_file_size.
	tree := t.TempDir()
	writeRepoFile(t, tree, "creds.ini", fakeCredsFile(g))
	writeRepoFile(t, tree, "big.txt", strings.Repeat("x", 5000))
	writeRepoFile(t, tree, ".keyscan.toml", "max_file_size = 1000\n")

	// history: a blobless clone of a repository whose history holds a key;
	// a repository missing a commit, with --strict.
	src := newCommittedRepo(t)
	gitOK(t, src, "config", "uploadpack.allowFilter", "true")
	writeRepoFile(t, src, "deploy/.env", fakeCredsFile(g))
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-q", "-m", "leak")
	gitOK(t, src, "rm", "-q", "deploy/.env")
	gitOK(t, src, "commit", "-q", "-m", "remove")
	partial := filepath.Join(t.TempDir(), "clone")
	gitOK(t, src, "clone", "-q", "--filter=blob:none", "file://"+src, partial)
	damaged := newCommittedRepo(t)
	for i := range 3 {
		writeRepoFile(t, damaged, "n.txt", strings.Repeat("x", i+1))
		gitOK(t, damaged, "add", ".")
		gitOK(t, damaged, "commit", "-q", "-m", "more")
	}
	c := strings.TrimSpace(gitOK(t, damaged, "rev-parse", "HEAD~1"))
	if err := os.Remove(filepath.Join(damaged, ".git", "objects", c[:2], c[2:])); err != nil {
		t.Fatal(err)
	}

	// staged --strict: the commit adds a file over max_file_size.
	st := newCommittedRepo(t)
	writeRepoFile(t, st, ".keyscan.toml", "max_file_size = 1000\n")
	writeRepoFile(t, st, "big.txt", strings.Repeat("y", 5000))
	gitOK(t, st, "add", ".")

	for _, tc := range []struct {
		name    string
		dir     string
		args    []string
		reasons []string
		found   bool
	}{
		{"scan of a missing path", tree, []string{"scan", "creds.ini", "missing.ini"}, []string{"path"}, true},
		{"scan --strict", tree, []string{"scan", "--strict", "."}, []string{"too-large"}, true},
		{"history of a partial clone", partial, []string{"history", "."}, []string{"partial-clone"}, false},
		{"history --strict, a commit missing", damaged, []string{"history", "--strict", "."}, []string{"unreadable"}, false},
		{"staged --strict", st, []string{"staged", "--strict"}, []string{"too-large"}, false},
	} {
		// text
		r := runCmd(t, tc.dir, nil, "keyscan", tc.args...)
		if r.code != exitError || !strings.Contains(r.stdout, "incomplete: ") || strings.Contains(r.stdout, "no credentials found") {
			t.Errorf("%s: text: exit %d, want 2 and a summary saying incomplete\n%s%s", tc.name, r.code, r.stdout, r.stderr)
		}

		// JSON: the findings, then the status element.
		r = runCmd(t, tc.dir, nil, "keyscan", append(tc.args, "--format", "json")...)
		var arr []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &arr); err != nil || r.code != exitError || len(arr) == 0 {
			t.Errorf("%s: JSON: exit %d, %v\n%s%s", tc.name, r.code, err, r.stdout, r.stderr)
			continue
		}
		last := arr[len(arr)-1]
		if last["complete"] != false {
			t.Errorf("%s: JSON does not end with complete false: %v", tc.name, last)
		}
		var got []string
		for _, x := range last["incomplete"].([]any) {
			got = append(got, x.(map[string]any)["reason"].(string))
		}
		if strings.Join(got, ",") != strings.Join(tc.reasons, ",") {
			t.Errorf("%s: JSON gaps %v, want %v", tc.name, last["incomplete"], tc.reasons)
		}
		if (len(arr) > 1) != tc.found {
			t.Errorf("%s: JSON has %d findings", tc.name, len(arr)-1)
		}
		if tc.found {
			// A baseline of the report accepts its findings.
			bl := filepath.Join(t.TempDir(), "report.json")
			if err := os.WriteFile(bl, []byte(r.stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := runCmd(t, tc.dir, nil, "keyscan", append(tc.args, "--format", "json", "--baseline", bl)...); r.code != exitError ||
				strings.Contains(r.stdout, `"rule"`) {
				t.Errorf("%s: --baseline of the incomplete report: exit %d\n%s%s", tc.name, r.code, r.stdout, r.stderr)
			}
		}

		// SARIF: valid, executionSuccessful false, a notification per gap.
		r = runCmd(t, tc.dir, nil, "keyscan", append(tc.args, "--format", "sarif")...)
		if r.code != exitError {
			t.Errorf("%s: SARIF: exit %d\n%s", tc.name, r.code, r.stderr)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatalf("%s: SARIF: %v\n%s", tc.name, err, r.stdout)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", tc.name, err)
		}
		var log struct {
			Runs []struct {
				Invocations []struct {
					ExecutionSuccessful        bool
					ToolExecutionNotifications []struct {
						Level      string
						Message    struct{ Text string }
						Descriptor struct{ ID string }
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
			t.Fatalf("%s: SARIF runs: %v\n%s", tc.name, err, r.stdout)
		}
		inv := log.Runs[0].Invocations[0]
		if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != len(tc.reasons) {
			t.Errorf("%s: SARIF invocation %+v", tc.name, inv)
			continue
		}
		for i, n := range inv.ToolExecutionNotifications {
			if n.Level != "error" || n.Descriptor.ID != "keyscan/incomplete/"+tc.reasons[i] || !strings.HasPrefix(n.Message.Text, "not scanned: ") {
				t.Errorf("%s: SARIF notification %+v", tc.name, n)
			}
		}
	}

	// Without --strict a history missing a commit exits 0, but its text
	// summary says what was not read, and never "no credentials found"
	// (qa33 M3), as scan's does, on standard output where a CI log grep
	// looks.
	if r := runCmd(t, damaged, nil, "keyscan", "history", "."); r.code != exitClean || !strings.Contains(r.stdout, "keyscan history: not scanned: 1 unreadable") ||
		!strings.Contains(r.stdout, "keyscan history: incomplete: ") || strings.Contains(r.stdout, "no credentials found") {
		t.Errorf("history, a commit missing: exit %d, want 0 and the unreadable object counted in the summary\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A complete run: no status element, executionSuccessful true.
	if r := runCmd(t, tree, nil, "keyscan", "scan", "--format", "json", "creds.ini"); r.code != exitFindings || strings.Contains(r.stdout, `"complete"`) {
		t.Errorf("complete scan: exit %d\n%s", r.code, r.stdout)
	}
	if r := runCmd(t, src, nil, "keyscan", "history", "--format", "sarif", "."); r.code != exitFindings ||
		!strings.Contains(r.stdout, `"executionSuccessful": true`) || strings.Contains(r.stdout, "toolExecutionNotifications") {
		t.Errorf("complete history: exit %d\n%s", r.code, r.stdout)
	}
}

// sarifSchema compiles the official SARIF 2.1.0 schema, which the project
// keeps in report/testdata (see report/report_test.go), with format
// checking.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs("../../report/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	comp.AssertFormat()
	sch, err := comp.Compile(abs)
	if err != nil {
		t.Fatal(err)
	}
	if bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"version": "2.1.0", "runs": [{"results": []}]}`))); sch.Validate(bad) == nil {
		t.Fatal("a run without a tool validates: the schema check is not working")
	}
	return sch
}
