package baseline_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/baseline"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const envTemplate = "# app settings\nREGION=eu-west-1\nAWS_ACCESS_KEY_ID={{ID}}\nAWS_SECRET_ACCESS_KEY={{SECRET}}\nDEBUG=false\n"

func scan(t *testing.T, name, text string) scanner.Findings {
	t.Helper()
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sc.Scan(name, []byte(text))
}

func roundTrip(t *testing.T, fs scanner.Findings) *baseline.Baseline {
	t.Helper()
	var buf bytes.Buffer
	if err := baseline.Write(&buf, fs); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), ".keyscan-baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSurvivesEdits shows, with the real scanner, that a baseline keeps
// accepting a key after unrelated edits and line moves in its file, and
// stops accepting it when the value changes.
func TestSurvivesEdits(t *testing.T) {
	vals := fakekey.New(1).Values()
	before := rules.Fill(envTemplate, vals)
	fs := scan(t, "deploy/.env", before)
	if len(fs) != 2 {
		t.Fatalf("scanner found %d findings in the fixture, want 2", len(fs))
	}
	b := roundTrip(t, fs)

	edited := "# moved down by a new header\n\nNEW_SETTING=1\n" +
		strings.Replace(before, "DEBUG=false", "DEBUG=true\nLOG=info", 1)
	edited = strings.Replace(edited, "AWS_ACCESS_KEY_ID="+vals["ID"]+"\n", "", 1) + "AWS_ACCESS_KEY_ID=" + vals["ID"] + "\n"
	after := scan(t, "deploy/.env", edited)
	if len(after) != 2 || after[0].Line == fs[0].Line && after[1].Line == fs[1].Line {
		t.Fatalf("the edit should keep both keys on other lines: %d findings", len(after))
	}
	kept, stale := b.Filter(after)
	if len(kept) != 0 || len(stale) != 0 {
		t.Errorf("after unrelated edits: kept %d, stale %v; want 0, none", len(kept), stale)
	}

	// A new value is a new finding; the entry for the old one is stale.
	rotated := strings.Replace(edited, vals["SECRET"], vals["SECRET2"], 1)
	kept, stale = b.Filter(scan(t, "deploy/.env", rotated))
	if len(kept) != 1 || kept[0].Secret != vals["SECRET2"] {
		t.Errorf("after a value change: kept %d findings, want the new secret", len(kept))
	}
	if len(stale) != 1 || stale[0].Rule != rules.IDSecretAccessKey {
		t.Errorf("stale = %v, want the old secret's entry", stale)
	}

	// The same content in another file is not accepted.
	kept, _ = b.Filter(scan(t, "other/.env", before))
	if len(kept) != 2 {
		t.Errorf("another file: kept %d, want 2", len(kept))
	}

	// Keys removed: every entry is stale, so the baseline shrinks.
	_, stale = b.Filter(nil)
	if len(stale) != 2 {
		t.Errorf("no findings: %d stale entries, want 2", len(stale))
	}
}

// TestGolden pins the file format. The baseline never holds a secret.
func TestGolden(t *testing.T) {
	vals := fakekey.New(1).Values()
	fs := scan(t, "deploy/.env", rules.Fill(envTemplate, vals))
	fs = append(fs, scan(t, ".aws/credentials", rules.Fill("[ci]\naws_access_key_id = {{ID2}}\n", vals))...)
	fs = append(fs, fs[0]) // the same value twice is one entry
	var buf bytes.Buffer
	if err := baseline.Write(&buf, fs); err != nil {
		t.Fatal(err)
	}
	for k, v := range vals {
		if strings.Contains(buf.String(), v) {
			t.Errorf("baseline holds the value of %s", k)
		}
	}
	path := filepath.Join("testdata", "baseline.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("baseline differs (-want +got); go test -update rewrites it:\n%s", diff)
	}
	// Round trip: what was written reads back as the same entries.
	b, err := baseline.Parse(want)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(baseline.New(fs).Entries, b.Entries); diff != "" {
		t.Errorf("round trip (-wrote +read):\n%s", diff)
	}
}

func TestParseReport(t *testing.T) {
	b, err := baseline.Parse([]byte(`[{"rule": "aws-access-key-id", "file": "a.env", "line": 3, "fingerprint": "abc", "secret": "AKIA****"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != 1 || b.Entries[0].Fingerprint != "abc" {
		t.Errorf("entries = %+v", b.Entries)
	}
	// The report of an incomplete run ends with an element that is not a
	// finding (report.Gap): it accepts nothing and is no error.
	b, err = baseline.Parse([]byte(`[{"rule": "r", "file": "a.env", "fingerprint": "abc"}, {"complete": false, "incomplete": [{"reason": "path", "path": "x", "message": "could not read x"}]}]`))
	if err != nil || len(b.Entries) != 1 || b.Entries[0].Fingerprint != "abc" {
		t.Errorf("incomplete report: %v, entries = %+v", err, b)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"{", "reading baseline"},
		{`{"version": 2, "findings": []}`, "version 2"},
		{`{"version": 1, "findings": [{"rule": "r", "file": "f"}]}`, "no fingerprint"},
		{`{"version": 1, "findngs": []}`, "unknown field"},
		{`[{"rule": "r"}]`, "no fingerprint"},
	} {
		_, err := baseline.Parse([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", tc.in, err, tc.want)
		}
	}
	if _, err := baseline.Load(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "baseline") {
		t.Errorf("Load(missing) = %v", err)
	}
}

func TestNilBaseline(t *testing.T) {
	var b *baseline.Baseline
	fs := scanner.Findings{{Fingerprint: "x"}}
	kept, stale := b.Filter(fs)
	if len(kept) != 1 || stale != nil {
		t.Errorf("nil baseline filtered: %v %v", kept, stale)
	}
}

// TestHistoryPathsAfterRename (qa8 MEDIUM-10, qa9 MEDIUM-9): a history
// finding lists every path holding its value and those HEAD holds it at.
// Each path is judged: a baseline made at HEAD accepts the value at the
// paths it had before (a rename), and after a move the entry's value at
// its new path; a copy into another file that HEAD holds beside the
// accepted one is a new finding, with a note saying where.
func TestHistoryPathsAfterRename(t *testing.T) {
	vals := fakekey.New(3).Values()
	text := rules.Fill(envTemplate, vals)
	b := roundTrip(t, scan(t, "new/.env", text)) // made at HEAD, after the rename
	for _, tc := range []struct {
		name        string
		paths, head []string
		kept, stale int
		moved       []string
		note        string
	}{
		{"renamed before the baseline", []string{"new/.env", "old/.env"}, []string{"new/.env"}, 0, 0, nil, ""},
		{"a copy gone from HEAD", []string{"new/.env", "old/.env", "tmp/.env"}, []string{"new/.env"}, 0, 0, nil, ""},
		{"a copy HEAD holds", []string{"new/.env", "prod.env"}, []string{"new/.env", "prod.env"}, 2, 0, nil,
			"the baseline accepts this value at new/.env, not at prod.env (another file: a new finding)"},
		{"moved after the baseline", []string{"moved/.env", "new/.env"}, []string{"moved/.env"}, 0, 0, []string{"moved/.env", "moved/.env"}, ""},
		{"moved and copied", []string{"a/x.env", "new/.env", "other/.env"}, []string{"a/x.env", "other/.env"}, 2, 0, nil,
			"not at a/x.env (another file"},
		{"HEAD not known", []string{"new/.env", "old/.env"}, nil, 2, 0, nil, "not at old/.env"},
		{"at other paths", []string{"old/.env", "other/.env"}, []string{"other/.env"}, 2, 2, nil, ""},
	} {
		hist := scan(t, "old/.env", text) // history reports the first path
		for i := range hist {
			hist[i].Paths, hist[i].HeadPaths = tc.paths, tc.head
		}
		kept, stale, moved := b.FilterMoved(hist, nil)
		var mv []string
		for _, m := range moved {
			mv = append(mv, m.Path)
		}
		if len(kept) != tc.kept || len(stale) != tc.stale || !slices.Equal(mv, tc.moved) {
			t.Errorf("%s: kept %d, stale %d, moved %v; want %d, %d, %v", tc.name, len(kept), len(stale), mv, tc.kept, tc.stale, tc.moved)
		}
		if tc.note != "" && (len(kept) == 0 || !strings.Contains(kept[0].Note, tc.note)) {
			t.Errorf("%s: kept %v, want a note holding %q", tc.name, kept, tc.note)
		}
	}
}

func TestFilterMoved(t *testing.T) {
	vals := fakekey.New(5).Values()
	text := rules.Fill(envTemplate, vals)
	b := roundTrip(t, scan(t, "config/.env", text))
	goneFiles := map[string]bool{}
	gone := func(_ *scanner.Finding, file string) bool { return goneFiles[file] }
	paths := func(fs scanner.Findings) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.File)
		}
		return out
	}

	// Renamed: config/.env is gone, deploy/.env holds its keys.
	goneFiles["config/.env"] = true
	moved := scan(t, "deploy/.env", text)
	kept, stale, mv := b.FilterMoved(moved, gone)
	if len(kept) != 0 || len(stale) != 0 || len(mv) != 2 || mv[0].Path != "deploy/.env" || mv[0].Entry.File != "config/.env" {
		t.Errorf("renamed: kept %v, stale %v, moved %+v; want all accepted as moved to deploy/.env", paths(kept), stale, mv)
	}
	// Without the gone test, as for history and the gate: new findings.
	if kept, stale := b.Filter(moved); len(kept) != 2 || len(stale) != 2 {
		t.Errorf("Filter of a renamed file: kept %d, stale %d; want 2 and 2", len(kept), len(stale))
	}

	// Copied: the original is still there (and matched), the copy is new.
	goneFiles["config/.env"] = false
	both := append(scan(t, "config/.env", text), scan(t, "copy/.env", text)...)
	kept, stale, mv = b.FilterMoved(both, gone)
	if got := paths(kept); len(got) != 2 || got[0] != "copy/.env" || len(stale) != 0 || len(mv) != 0 {
		t.Errorf("copied: kept %v, stale %v, moved %+v; want copy/.env reported", got, stale, mv)
	}

	// Moved and copied: the original is gone; the path with its name
	// (a/.env) is the move, the other (a/settings.env, first in order)
	// is new.
	goneFiles["config/.env"] = true
	two := append(scan(t, "a/settings.env", text), scan(t, "b/.env", text)...)
	kept, _, mv = b.FilterMoved(two, gone)
	if got := paths(kept); len(got) != 2 || got[0] != "a/settings.env" || len(mv) != 2 || mv[0].Path != "b/.env" {
		t.Errorf("moved and copied: kept %v, moved %+v; want a/settings.env reported, b/.env the move", got, mv)
	}

	// Another value at the new path is not the entry's.
	other := scan(t, "deploy/.env", rules.Fill(envTemplate, fakekey.New(6).Values()))
	if kept, _, mv := b.FilterMoved(other, gone); len(kept) != 2 || len(mv) != 0 {
		t.Errorf("another key: kept %d, moved %d; want 2 and 0", len(kept), len(mv))
	}
}

// TestNonUTF8Name (qa9 LOW-5): a file named with bytes that are not UTF-8
// keeps its name through the baseline: file holds U+FFFD for people,
// file_bytes the bytes, and the parsed entry has the name back, so a
// baseline made for the file accepts its findings and names it right.
func TestNonUTF8Name(t *testing.T) {
	g := fakekey.New(41)
	text := strings.NewReplacer("{{ID}}", g.KeyID("AKIA"), "{{SECRET}}", g.Secret()).Replace(envTemplate)
	name := "iu/bad\xff\xfename.ini"
	fs := scan(t, name, text)
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	var buf bytes.Buffer
	if err := baseline.Write(&buf, fs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, `"file": "iu/bad\ufffd\ufffdname.ini"`) || !strings.Contains(out, `"file_bytes": "aXUvYmFk//5uYW1lLmluaQ=="`) {
		t.Errorf("baseline:\n%s", out)
	}
	b, err := baseline.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Entries {
		if e.File != name {
			t.Errorf("entry file %q, want %q", e.File, name)
		}
	}
	if kept, stale := b.Filter(fs); len(kept) != 0 || len(stale) != 0 {
		t.Errorf("kept %v, stale %v", kept, stale)
	}
	var again bytes.Buffer
	if err := b.Write(&again); err != nil || again.String() != out {
		t.Errorf("written again (%v):\n%s", err, again.String())
	}
	if _, err := baseline.Parse([]byte(`{"version": 1, "findings": [{"fingerprint": "x", "rule": "r", "file": "f", "file_bytes": "%%"}]}`)); err == nil || !strings.Contains(err.Error(), "file_bytes") {
		t.Errorf("bad file_bytes: %v", err)
	}
}
