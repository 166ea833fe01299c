package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
)

// stallingGo is a Go file whose type check does not end in any time that
// matters (qa33 H1: a generic function nested in its own calls, each
// instance's hash spelling its type arguments in full, doubling at each
// call), with a key ID's head so that it is one keyscan type-checks.
func stallingGo() string {
	return "package p\n\nconst pre = \"AKIA2345\"\n\nvar ID = pre + \"ABCD\"\n\n" +
		"type P2[A, B any] struct{ a A; b B }\n\n" +
		"func d[P any](x P) P2[P, P] { return P2[P, P]{x, x} }\n\n" +
		"var V = " + strings.Repeat("d(", 40) + "0" + strings.Repeat(")", 40) + "\n"
}

// TestTypecheckStallReports (qa33 M5): a Go type check that runs past
// typecheck_timeout is abandoned, and the run still writes its whole
// report: the key pair in another file is reported, the stalled package is
// a typecheck-stall gap naming it, in text, JSON (the complete:false
// element), SARIF (executionSuccessful false, valid against the official
// schema) and the --output file, and the exit status is 2. It used to end
// the process at the stall with no report at all. staged, staged --all,
// history --typecheck and pre-receive say it the same way.
func TestTypecheckStallReports(t *testing.T) {
	requireKeyscanOnPath(t)
	// The syntax estimate refuses the stalling shape at once (a
	// typecheck-size gap): lifted, so that go/types gets it and stalls,
	// and the watch is what stops it. Every keyscan below inherits it,
	// the pre-receive hook too.
	t.Setenv(analyzer.TypeWorkBoundEnv, "1e300")
	sch := sarifSchema(t)
	g := fakekey.New(3405)
	creds := fakeCredsFile(g)
	id := strings.Fields(strings.Split(creds, "\n")[1])[2]

	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, ".keyscan.toml", "typecheck_timeout = 1\n")
	writeRepoFile(t, dir, "gopkg/go.mod", "module example.com/stall\n\ngo 1.26\n")
	writeRepoFile(t, dir, "gopkg/p.go", stallingGo())
	writeRepoFile(t, dir, "app/credentials", creds)

	// jsonReport checks a JSON report: the pair, then the gap naming what.
	jsonReport := func(name, out, what string) {
		t.Helper()
		var arr []map[string]any
		if err := json.Unmarshal([]byte(out), &arr); err != nil || len(arr) == 0 {
			t.Errorf("%s: JSON: %v\n%s", name, err, out)
			return
		}
		var files []string
		for _, f := range arr[:len(arr)-1] {
			files = append(files, f["file"].(string))
		}
		if len(files) != 2 || !strings.HasSuffix(files[0], "app/credentials") {
			t.Errorf("%s: JSON findings in %v, want the pair in app/credentials", name, files)
		}
		last := arr[len(arr)-1]
		gaps, _ := last["incomplete"].([]any)
		if last["complete"] != false || len(gaps) != 1 {
			t.Errorf("%s: JSON status element %v, want complete false and one gap", name, last)
			return
		}
		gap := gaps[0].(map[string]any)
		if gap["reason"] != "typecheck-stall" || !strings.Contains(gap["message"].(string), "the Go type check of "+what) ||
			!strings.Contains(gap["message"].(string), "abandoned") {
			t.Errorf("%s: JSON gap %v, want typecheck-stall naming %s", name, gap, what)
		}
	}

	// scan, in each format.
	r := runCmd(t, dir, nil, "keyscan", "scan", ".")
	if r.code != exitError || !strings.Contains(r.stdout, "incomplete: the Go type check of package p in") ||
		!strings.Contains(r.stdout, id[:4]) || !strings.Contains(r.stderr, "typecheck_timeout = 1 seconds") {
		t.Errorf("scan, text: exit %d, want 2, the pair and the gap\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, dir, nil, "keyscan", "scan", "--format", "json", ".")
	if r.code != exitError {
		t.Errorf("scan, JSON: exit %d, want 2\n%s", r.code, r.stderr)
	}
	jsonReport("scan", r.stdout, "package p in ")
	out := filepath.Join(t.TempDir(), "report.sarif")
	r = runCmd(t, dir, nil, "keyscan", "scan", "--format", "sarif", "--output", out, ".")
	if r.code != exitError || r.stdout != "" {
		t.Errorf("scan --output: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("scan --output: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("SARIF: %v\n%s", err, b)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Results     []struct{ RuleID string }
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Message    struct{ Text string }
					Descriptor struct{ ID string }
				}
			}
		}
	}
	if err := json.Unmarshal(b, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("SARIF runs: %v\n%s", err, b)
	}
	inv := log.Runs[0].Invocations[0]
	if len(log.Runs[0].Results) != 2 || inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 ||
		inv.ToolExecutionNotifications[0].Descriptor.ID != "keyscan/incomplete/typecheck-stall" ||
		!strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "package p in") {
		t.Errorf("SARIF: %d results, invocation %+v", len(log.Runs[0].Results), inv)
	}

	// staged, staged --all, history --typecheck: the file named.
	gitOK(t, dir, "add", ".")
	for _, args := range [][]string{{"staged"}, {"staged", "--all"}} {
		r = runCmd(t, dir, nil, "keyscan", append(args, "--format", "json")...)
		if r.code != exitError {
			t.Errorf("%s: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
		jsonReport(strings.Join(args, " "), r.stdout, "gopkg/p.go")
	}
	gitOK(t, dir, "commit", "-q", "-m", "stall")
	r = runCmd(t, dir, nil, "keyscan", "history", "--typecheck", "--format", "json", ".")
	if r.code != exitError {
		t.Errorf("history --typecheck: exit %d, want 2\n%s", r.code, r.stderr)
	}
	jsonReport("history --typecheck", r.stdout, "gopkg/p.go")

	// pre-receive: the push is refused, with the key listed; alone, the
	// stall refuses it.
	s := newServer(t)
	writeRepoFile(t, s.bare, serverConfigName, "typecheck_timeout = 1\n")
	s.commit("gopkg/p.go", stallingGo(), "stall")
	s.mustRefuse([]string{"the Go type check of gopkg/p.go", "push refused"}, "origin", "main")
	s.commit("app/credentials", creds, "key")
	s.mustRefuse([]string{"the Go type check of gopkg/p.go", "app/credentials"}, "origin", "main")
}
