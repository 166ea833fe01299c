package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sarifSchema is the official SARIF 2.1.0 schema (OASIS, from the SARIF
// specification's repository), kept here so that every clone validates.
const sarifSchema = "testdata/sarif-schema-2.1.0.json"

// fixture builds findings the way the scanner and the history walker do,
// from keys generated with a fixed seed, so the goldens are stable.
func fixture(t *testing.T, history bool) scanner.Findings {
	t.Helper()
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(42)
	id, sec, tok := g.KeyID("AKIA"), g.Secret(), g.SessionToken()
	lone := g.Secret()
	at := func(f scanner.Finding, line, col int, n int) scanner.Finding {
		f.Line, f.Column, f.EndLine, f.EndColumn = line, col, line, col+n
		return f
	}
	fID := at(sc.NewFinding(rules.AccessKeyID, ".aws/credentials", id), 2, 21, len(id))
	fSec := at(sc.NewFinding(rules.SecretAccessKey, ".aws/credentials", sec), 3, 25, len(sec))
	fID.Pair, fSec.Pair = fSec.Fingerprint, fID.Fingerprint
	fSec.Context = "assigned to aws_secret_access_key"
	fTok := at(sc.NewFinding(rules.SessionToken, "config/app.yaml", tok), 7, 18, len(tok))
	fTok.Context = "assigned to aws_session_token"
	fLone := at(sc.NewFinding(rules.SecretAccessKey, "k8s/secret.yaml", lone), 5, 26, 56)
	fLone.Encoding = "base64"
	fLone.Note = "keyscan:allow without a reason is ignored"
	fs := scanner.Findings{fID, fSec, fTok, fLone}
	if history {
		date := time.Date(2024, 3, 9, 14, 5, 0, 0, time.FixedZone("", 3600))
		yes, no := true, false
		for i := range fs {
			fs[i].Commit = "3f2a9c41d0b7e8f6a5c4b3a29180f7e6d5c4b3a2"
			fs[i].Author = "Dana Dev <dana@example.com>"
			fs[i].Date = date
			fs[i].PresentAtHead = &no
			fs[i].Commits = 3
			fs[i].Paths = []string{fs[i].File}
		}
		fs[0].PresentAtHead = &yes
		fs[0].LastCommit = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807"
		fs[0].Paths = []string{".aws/credentials", "old/credentials"}
		fs[0].Verified, fs[0].VerifiedARN = "active", "arn:aws:iam::123456789012:user/ci"
	}
	fs.Sort()
	return fs
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); go test -update rewrites it:\n%s", name, diff)
	}
}

func write(t *testing.T, fs scanner.Findings, opts report.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, fs, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name    string
		history bool
		opts    report.Options
	}{
		{"text.golden", false, report.Options{Format: "text", Command: "scan"}},
		{"text_history.golden", true, report.Options{Format: "text", Command: "history"}},
		{"text_color.golden", false, report.Options{Format: "text", Command: "scan", Color: true}},
		{"text_quiet.golden", false, report.Options{Format: "text", Command: "scan", Quiet: true}},
		{"text_verbose.golden", false, report.Options{Format: "text", Command: "scan", Verbose: true}},
		{"text_history_verbose.golden", true, report.Options{Format: "text", Command: "history", Verbose: true}},
		{"json.golden", false, report.Options{Format: "json"}},
		{"json_history.golden", true, report.Options{Format: "json"}},
		{"sarif.golden", false, report.Options{Format: "sarif", Command: "scan", Version: "v1.2.3"}},
		{"sarif_history.golden", true, report.Options{Format: "sarif", Command: "history", Version: "v1.2.3"}},
		{"sarif_empty.golden", false, report.Options{Format: "sarif", Command: "staged", Version: "devel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := fixture(t, tc.history)
			if strings.Contains(tc.name, "empty") {
				fs = nil
			}
			out := write(t, fs, tc.opts)
			for _, f := range fs {
				if bytes.Contains(out, []byte(f.Secret)) {
					t.Errorf("the report holds the secret of %s:%d unredacted", f.File, f.Line)
				}
			}
			golden(t, tc.name, out)
		})
	}
}

func TestJSONFields(t *testing.T) {
	fs := fixture(t, true)
	var got []map[string]any
	if err := json.Unmarshal(write(t, fs, report.Options{Format: "json"}), &got); err != nil {
		t.Fatal(err)
	}
	// The contract the README states: these names, on every finding of a history scan.
	for _, k := range []string{"rule", "kind", "file", "line", "column", "end_line", "end_column", "secret",
		"fingerprint", "commit", "author", "date", "suggestion"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	if d, _ := got[0]["date"].(string); d != "2024-03-09T14:05:00+01:00" {
		t.Errorf("date = %q, want RFC 3339", d)
	}
	// Empty optional fields are left out of a working-tree report.
	wt := fixture(t, false)
	var plain []map[string]any
	if err := json.Unmarshal(write(t, wt, report.Options{Format: "json"}), &plain); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"commit", "author", "date", "verified", "present_at_head", "paths"} {
		if _, ok := plain[0][k]; ok {
			t.Errorf("working-tree finding has field %q", k)
		}
	}
}

func TestJSONEmptyIsArray(t *testing.T) {
	if got := strings.TrimSpace(string(write(t, nil, report.Options{Format: "json"}))); got != "[]" {
		t.Errorf("empty report = %q, want []", got)
	}
}

func TestShowSecrets(t *testing.T) {
	fs := fixture(t, false)
	for _, format := range []string{"text", "json"} {
		out := write(t, fs, report.Options{Format: format, ShowSecrets: true})
		if !bytes.Contains(out, []byte(fs[0].Secret)) {
			t.Errorf("%s with ShowSecrets: secret not shown", format)
		}
	}
	// SARIF goes to upload services: always redacted.
	out := write(t, fs, report.Options{Format: "sarif", ShowSecrets: true})
	if bytes.Contains(out, []byte(fs[0].Secret)) {
		t.Error("sarif shows the secret")
	}
}

func TestTextNoColorUnlessAsked(t *testing.T) {
	out := write(t, fixture(t, false), report.Options{Format: "text"})
	if bytes.Contains(out, []byte("\x1b[")) {
		t.Error("escape codes in text without Color")
	}
}

func TestUnknownFormat(t *testing.T) {
	err := report.Write(&bytes.Buffer{}, nil, report.Options{Format: "xml"})
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("err = %v, want one naming the format", err)
	}
}

// TestSARIFSchema validates the SARIF reports against the official SARIF
// 2.1.0 schema, the one GitHub code scanning accepts.
func TestSARIFSchema(t *testing.T) {
	sch := sarifValidator(t)
	for _, tc := range []struct {
		name string
		fs   scanner.Findings
		cmd  string
	}{
		{"scan", fixture(t, false), "scan"},
		{"history", fixture(t, true), "history"},
		{"empty", nil, "staged"},
		{"unicode path", scanner.Findings{func() scanner.Finding {
			f := fixture(t, false)[0]
			f.File = "dir with space/ünïcode #1.env"
			return f
		}()}, ""},
		{"binary", scanner.Findings{binaryFinding(t)}, "scan"},
		{"in path", scanner.Findings{pathFinding(t)}, "scan"},
		{"in a message", scanner.Findings{func() scanner.Finding {
			f := fixture(t, true)[0]
			f.File, f.Logical = "commit "+f.Commit[:12]+" message", scanner.LogicalCommitMessage
			return f
		}()}, "history"},
	} {
		out := write(t, tc.fs, report.Options{Format: "sarif", Command: tc.cmd, Version: "devel"})
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", tc.name, err)
		}
	}
}

// sarifValidator compiles the official SARIF 2.1.0 schema, with format
// checking, and checks that it can fail.
func sarifValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(abs)
	if err != nil {
		t.Fatal(err)
	}
	// The validator must be able to fail.
	if bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": "2.1.0", "runs": [{"results": []}]}`)); sch.Validate(bad) == nil {
		t.Fatal("a run without a tool validates: the schema check is not working")
	}
	return sch
}

// TestSARIFShape checks what GitHub code scanning reads beyond the schema.
func TestSARIFShape(t *testing.T) {
	fs := fixture(t, true)
	var log struct {
		Runs []struct {
			ColumnKind        string `json:"columnKind"`
			AutomationDetails struct{ ID string }
			Tool              struct {
				Driver struct {
					Rules []struct {
						ID   string
						Help struct{ Text, Markdown string }
					}
				}
			}
			Results []struct {
				RuleID              string
				RuleIndex           int
				PartialFingerprints map[string]string
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				Properties map[string]any
			}
		}
	}
	if err := json.Unmarshal(write(t, fs, report.Options{Format: "sarif", Command: "history"}), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.ColumnKind == "" || run.AutomationDetails.ID != "keyscan/history/" {
		t.Errorf("columnKind %q, automationDetails %q", run.ColumnKind, run.AutomationDetails.ID)
	}
	for _, r := range run.Tool.Driver.Rules {
		if !strings.Contains(r.Help.Text, "instance role") || !strings.Contains(r.Help.Markdown, "ec2rolecreds") {
			t.Errorf("rule %s: help lacks the instance-role remediation", r.ID)
		}
	}
	if len(run.Results) != len(fs) {
		t.Fatalf("%d results, want %d", len(run.Results), len(fs))
	}
	for i, r := range run.Results {
		f := fs[i]
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID || r.RuleID != f.Rule {
			t.Errorf("result %d: rule %s index %d", i, r.RuleID, r.RuleIndex)
		}
		if r.PartialFingerprints["keyscan/v1"] != f.Fingerprint {
			t.Errorf("result %d: fingerprint %v", i, r.PartialFingerprints)
		}
		reg := r.Locations[0].PhysicalLocation.Region
		if reg.StartLine != f.Line || reg.StartColumn != f.Column || reg.EndLine != f.EndLine || reg.EndColumn != f.EndColumn {
			t.Errorf("result %d: region %+v, finding %d:%d-%d:%d", i, reg, f.Line, f.Column, f.EndLine, f.EndColumn)
		}
		if r.Properties["commit"] != f.Commit {
			t.Errorf("result %d: commit %v", i, r.Properties["commit"])
		}
	}
}

func TestRotationList(t *testing.T) {
	fs := fixture(t, false)
	var b bytes.Buffer
	if err := report.WriteRotation(&b, fs, report.Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// The paired secret goes with its key ID; the lone secret and the session
	// token (no key ID in the report) are listed alone.
	for _, want := range []string{"AKIA************2QUU (account " + fs[0].AccountID + ")", "0SVt****MUfs", "IQoJ****eu1d"} {
		if strings.Count(out, want) != 1 {
			t.Errorf("rotation list should hold %q once:\n%s", want, out)
		}
	}
	if strings.Contains(out, "HsTT") {
		t.Errorf("the paired secret is listed apart from its key ID:\n%s", out)
	}
	if !strings.Contains(out, fs[0].AccountID) || !strings.Contains(out, "does not un-leak it") {
		t.Errorf("rotation list lacks the account or the remark:\n%s", out)
	}
	b.Reset()
	if err := report.WriteRotation(&b, nil, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 {
		t.Errorf("rotation list for no findings: %q", b.String())
	}
}

// TestTextIsPrintable: names from the scanned material cannot put control
// characters on the terminal.
func TestTextIsPrintable(t *testing.T) {
	fs := scanner.Findings{{Rule: "aws-access-key-id", File: "a\nb\x1b[31m.env", Line: 1, Column: 1, Secret: "AKIAQQQQQQQQQQQQQQQQ"}}
	out := string(write(t, fs, report.Options{Format: "text"}))
	if strings.Contains(out, "\x1b") || strings.Contains(out, "a\nb") {
		t.Errorf("control characters reached the text report:\n%q", out)
	}
	if !strings.Contains(out, `a\x0ab\x1b[31m.env`) {
		t.Errorf("the name is not shown escaped:\n%s", out)
	}
	// qa17 L1: a right-to-left override makes keys\u202Evne.txt read
	// keystxt.env; other letters outside ASCII stay as they are.
	fs[0].File = "設定/keys\u202evne.txt\u2066x\u200b\u2060\u2028"
	out = string(write(t, fs, report.Options{Format: "text"}))
	if !strings.Contains(out, `設定/keys\u202evne.txt\u2066x\u200b\u2060\u2028`) || strings.Contains(out, "\u202e") {
		t.Errorf("bidi and zero-width marks not escaped:\n%q", out)
	}
}

// binaryFinding is a finding in a binary file: no line, a byte offset.
func binaryFinding(t *testing.T) scanner.Finding {
	f := fixture(t, false)[0]
	f.File = "firmware.bin"
	f.Line, f.Column, f.EndLine, f.EndColumn = 0, 0, 0, 0
	f.Offset, f.EndOffset = 4019, 4039
	return f
}

// TestBinaryPositions is QA-7: a finding in a binary file is placed by its
// byte offset in every format, never by a made-up line.
func TestBinaryPositions(t *testing.T) {
	fs := scanner.Findings{binaryFinding(t)}
	if out := string(write(t, fs, report.Options{Format: "text"})); !strings.Contains(out, "byte 4019") || strings.Contains(out, "line 0") {
		t.Errorf("text report does not say byte 4019:\n%s", out)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						Region map[string]any
					}
				}
			}
		}
	}
	if err := json.Unmarshal(write(t, fs, report.Options{Format: "sarif"}), &log); err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0].Results[0].Locations[0].PhysicalLocation.Region
	if r["byteOffset"] != 4019.0 || r["byteLength"] != 20.0 || r["startLine"] != nil {
		t.Errorf("SARIF region = %v, want byteOffset 4019, byteLength 20, no startLine", r)
	}
}

// pathFinding is a key ID found in a file's name (scanner.ScanPath).
func pathFinding(t *testing.T) scanner.Finding {
	t.Helper()
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := fakekey.New(1517).KeyID("AKIA")
	fs := sc.ScanPath("docs/"+id+".txt", 5)
	if len(fs) != 1 {
		t.Fatalf("ScanPath: %v", fs)
	}
	return fs[0]
}

// TestPathPositions: a key in a path is said to be there, with no line
// and no byte offset, in every format.
func TestPathPositions(t *testing.T) {
	fs := scanner.Findings{pathFinding(t)}
	if out := string(write(t, fs, report.Options{Format: "text"})); !strings.Contains(out, "in the path") || strings.Contains(out, "byte") {
		t.Errorf("text report does not say in the path:\n%s", out)
	}
	if out := string(write(t, fs, report.Options{Format: "text", Verbose: true})); !strings.Contains(out, "(in the path)") {
		t.Errorf("verbose text report does not say in the path:\n%s", out)
	}
	out := string(write(t, fs, report.Options{Format: "json"}))
	if !strings.Contains(out, `"in_path": true`) || strings.Contains(out, "byte_offset") || !strings.Contains(out, `"line": 0`) {
		t.Errorf("JSON:\n%s", out)
	}
	if out := string(write(t, fs, report.Options{Format: "sarif"})); !strings.Contains(out, `"inPath": true`) || !strings.Contains(out, "in the file's path") {
		t.Errorf("SARIF:\n%s", out)
	}
}

// TestSARIFBackslashInName: on Linux a backslash is a character of a file
// name, not a separator: its URI escapes it (qa7 LOW-4), so the result
// points at the file that holds the key.
func TestSARIFBackslashInName(t *testing.T) {
	fs := fixture(t, false)[:1]
	fs[0].File, fs[0].RepoPath = `conf/back\slash.env`, `conf/back\slash.env`
	var out bytes.Buffer
	if err := report.Write(&out, fs, report.Options{Format: "sarif"}); err != nil {
		t.Fatal(err)
	}
	want := `"uri": "conf/back%5Cslash.env"`
	if filepath.Separator == '\\' {
		want = `"uri": "conf/back/slash.env"`
	}
	if !strings.Contains(out.String(), want) {
		t.Errorf("SARIF lacks %s:\n%s", want, out.String())
	}
}

// TestFailedListNamesEmpty: an empty argument that could not be read is
// named, so the summary says "incomplete", not "no credentials found".
func TestFailedListNamesEmpty(t *testing.T) {
	c := &report.Coverage{Failed: []string{"", "a\x1bb"}}
	if got, want := c.FailedList(), `"", a\x1bb`; got != want {
		t.Errorf("FailedList = %q, want %q", got, want)
	}
}

// TestSARIFDotSegments (qa9 LOW-4): an archive member named with ".."
// ("slip.zip!../../etc/credentials") must not make a URI that resolves onto
// another file of the repository: its dot segments are escaped ("slip.zip!.."
// is a name, not a dot segment, and stays), and the URI resolved against a
// base keeps the archive's name.
func TestSARIFDotSegments(t *testing.T) {
	fs := fixture(t, false)[:1]
	fs[0].File, fs[0].RepoPath = "zs/slip.zip!../../etc/credentials", "zs/slip.zip!../../etc/credentials"
	var out bytes.Buffer
	if err := report.Write(&out, fs, report.Options{Format: "sarif"}); err != nil {
		t.Fatal(err)
	}
	want := `"uri": "zs/slip.zip!../%2E%2E/etc/credentials"`
	if !strings.Contains(out.String(), want) {
		t.Fatalf("SARIF lacks %s:\n%s", want, out.String())
	}
	base, _ := url.Parse("https://example.com/repo/")
	ref, err := url.Parse("zs/slip.zip!../%2E%2E/etc/credentials")
	if err != nil {
		t.Fatal(err)
	}
	if got := base.ResolveReference(ref).EscapedPath(); got != "/repo/zs/slip.zip!../%2E%2E/etc/credentials" {
		t.Errorf("resolved to %s", got)
	}
}

// TestJSONNonUTF8Name (qa9 LOW-5): the JSON report cannot hold a file name
// that is not UTF-8 in a string: file has U+FFFD for each such byte, and
// file_bytes (only then) the name's bytes in base64.
func TestJSONNonUTF8Name(t *testing.T) {
	fs := fixture(t, false)[:2]
	fs[0].File = "iu/bad\xff\xfename.ini"
	out := string(write(t, fs, report.Options{Format: "json"}))
	if !strings.Contains(out, `"file": "iu/bad\ufffd\ufffdname.ini"`) || !strings.Contains(out, `"file_bytes": "aXUvYmFk//5uYW1lLmluaQ=="`) {
		t.Errorf("JSON:\n%s", out)
	}
	if strings.Count(out, "file_bytes") != 1 {
		t.Errorf("file_bytes on a UTF-8 name:\n%s", out)
	}
}

// TestIncompleteEveryFormat (qa9 LOW-1): a run that could not read all it
// was asked to exits 2 and its text summary says "incomplete", but its
// JSON was an array like a clean one's and its SARIF a log like a clean
// one's (and under --quiet, text said nothing). JSON now ends with an element that is not a finding, complete
// false with each gap; SARIF says executionSuccessful false with a
// notification per gap, and still validates. A complete run is unchanged
// but for SARIF's executionSuccessful true.
func TestIncompleteEveryFormat(t *testing.T) {
	sch := sarifValidator(t)
	gaps := []report.Gap{{Reason: "unreadable", Count: 3, Message: "3 files or folders could not be read"}}
	for _, fs := range []scanner.Findings{nil, fixture(t, false)[:1]} {
		opts := report.Options{Command: "scan", Version: "devel",
			Coverage: &report.Coverage{Failed: []string{"gone.ini", "bad\xff.ini"}}, Gaps: gaps}

		opts.Format = "text"
		text := string(write(t, fs, opts))
		if !strings.Contains(text, "keyscan scan: incomplete: could not read gone.ini, bad\xff.ini (not scanned); 3 files or folders could not be read") ||
			strings.Contains(text, "no credentials found") {
			t.Errorf("%d findings: text summary does not say what is incomplete:\n%s", len(fs), text)
		}
		// --quiet drops the summary but not this line: an empty report
		// of an incomplete run would read as clean.
		opts.Quiet = true
		quiet := string(write(t, fs, opts))
		opts.Quiet = false
		if !strings.HasSuffix(quiet, "keyscan scan: incomplete: could not read gone.ini, bad\xff.ini (not scanned); 3 files or folders could not be read\n") ||
			strings.Contains(quiet, "How to fix") {
			t.Errorf("%d findings: --quiet text does not end with what is incomplete:\n%s", len(fs), quiet)
		}

		opts.Format = "json"
		var arr []map[string]any
		if err := json.Unmarshal(write(t, fs, opts), &arr); err != nil {
			t.Fatal(err)
		}
		if len(arr) != len(fs)+1 {
			t.Fatalf("%d findings: JSON has %d elements, want the findings and the status", len(fs), len(arr))
		}
		st := arr[len(arr)-1]
		inc, _ := st["incomplete"].([]any)
		if c, ok := st["complete"].(bool); !ok || c || len(inc) != 3 || st["rule"] != nil {
			t.Errorf("%d findings: JSON status element %v", len(fs), st)
		} else {
			want := []map[string]any{
				{"reason": "path", "path": "gone.ini", "message": "could not read gone.ini"},
				{"reason": "path", "path": "bad\ufffd.ini", "path_bytes": "YmFk/y5pbmk=", "message": "could not read bad\ufffd.ini"},
				{"reason": "unreadable", "count": 3.0, "message": "3 files or folders could not be read"},
			}
			for i, w := range want {
				if diff := cmp.Diff(w, inc[i]); diff != "" {
					t.Errorf("%d findings: gap %d (-want +got):\n%s", len(fs), i, diff)
				}
			}
		}

		opts.Format = "sarif"
		out := write(t, fs, opts)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%d findings: incomplete SARIF does not validate: %v", len(fs), err)
		}
		inv := sarifInvocation(t, out)
		if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 3 {
			t.Fatalf("%d findings: SARIF invocation %+v", len(fs), inv)
		}
		n := inv.ToolExecutionNotifications
		if n[0].Level != "error" || n[0].Descriptor.ID != "keyscan/incomplete/path" || n[0].Message.Text != "not scanned: could not read gone.ini" ||
			len(n[0].Locations) != 1 || n[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "gone.ini" {
			t.Errorf("SARIF notification 0: %+v", n[0])
		}
		if n[1].Locations[0].PhysicalLocation.ArtifactLocation.URI != "bad%FF.ini" {
			t.Errorf("SARIF notification 1: %+v", n[1])
		}
		if n[2].Descriptor.ID != "keyscan/incomplete/unreadable" || n[2].Properties["count"] != 3.0 {
			t.Errorf("SARIF notification 2: %+v", n[2])
		}
	}
	// A complete run: no status element, executionSuccessful true.
	if got := strings.TrimSpace(string(write(t, nil, report.Options{Format: "json"}))); got != "[]" {
		t.Errorf("complete empty JSON = %q", got)
	}
	if inv := sarifInvocation(t, write(t, nil, report.Options{Format: "sarif"})); !inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 0 {
		t.Errorf("complete SARIF invocation %+v", inv)
	}
}

type invocation struct {
	ExecutionSuccessful        bool
	ToolExecutionNotifications []struct {
		Level      string
		Message    struct{ Text string }
		Descriptor struct{ ID string }
		Locations  []struct {
			PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
		}
		Properties map[string]any
	}
}

// sarifInvocation returns the one invocation of a SARIF log's one run.
func sarifInvocation(t *testing.T, out []byte) invocation {
	t.Helper()
	var log struct {
		Runs []struct{ Invocations []invocation }
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("SARIF runs/invocations: %+v", log.Runs)
	}
	return log.Runs[0].Invocations[0]
}

// TestSARIFPathsBytes (qa9 LOW-5): a history finding's paths that are not
// UTF-8 keep their bytes in SARIF too (pathsBytes), as in JSON.
func TestSARIFPathsBytes(t *testing.T) {
	fs := fixture(t, true)[:1]
	fs[0].Paths = []string{"ok.ini", "bad\xff.ini"}
	out := string(write(t, fs, report.Options{Format: "sarif"}))
	if !strings.Contains(out, `"pathsBytes": [
              "",
              "YmFk/y5pbmk="
            ]`) {
		t.Errorf("SARIF lacks pathsBytes:\n%s", out)
	}
	fs[0].Paths = []string{"ok.ini"}
	if out := string(write(t, fs, report.Options{Format: "sarif"})); strings.Contains(out, "pathsBytes") {
		t.Error("pathsBytes for UTF-8 names")
	}
}

// TestSARIFColonFirstSegment (qa14 LOW-1): a relative path whose first
// segment holds ':' ("http:x.env", "C:key.env", a folder "file:") has it
// escaped, so the URI reference has no scheme and resolves inside the
// checkout; a ':' further on stays.
func TestSARIFColonFirstSegment(t *testing.T) {
	for name, want := range map[string]string{
		"http:x.env":       "http%3Ax.env",
		"C:key.env":        "C%3Akey.env",
		"file:/etc/passwd": "file%3A/etc/passwd",
		"a/b:c.env":        "a/b:c.env",
	} {
		fs := fixture(t, false)[:1]
		fs[0].File, fs[0].RepoPath = name, name
		var out bytes.Buffer
		if err := report.Write(&out, fs, report.Options{Format: "sarif"}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `"uri": "`+want+`"`) {
			t.Errorf("%s: SARIF lacks uri %s", name, want)
		}
		ref, err := url.Parse(want)
		if err != nil || ref.Scheme != "" {
			t.Errorf("%s: %s parses with scheme %q (%v)", name, want, ref.Scheme, err)
		}
	}
}
