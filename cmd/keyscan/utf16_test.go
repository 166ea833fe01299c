package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestUTF16Columns (qa8 LOW-5): a key in a UTF-16 file (a Windows registry
// export) has JSON columns that count the file's bytes, as README says of
// every column, in scan, history and staged; SARIF, whose columns are
// Unicode code points, counts characters.
func TestUTF16Columns(t *testing.T) {
	g := fakekey.New(85)
	text := "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\App]\r\n" +
		"\"AWSAccessKey\"=\"" + g.KeyID("AKIA") + "\"\r\n\"AWSSecretKey\"=\"" + g.Secret() + "\"\r\n"
	data := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		data = append(data, byte(u), byte(u>>8))
	}
	// `"AWSAccessKey"="` is 16 characters: the key ID is the 17th
	// character of line 4, bytes 33 to 72 of it; the secret on line 5
	// bytes 33 to 112.
	type col struct{ Line, Column, EndColumn int }
	want := []col{{4, 33, 73}, {5, 33, 113}}
	wantChars := []col{{4, 17, 37}, {5, 17, 57}}

	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "windows.reg", string(data))
	check := func(what string, r cmdResult) {
		t.Helper()
		var fs []struct {
			Line      int `json:"line"`
			Column    int `json:"column"`
			EndColumn int `json:"end_column"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil || r.code != 1 {
			t.Fatalf("%s: exit %d, %v\n%s%s", what, r.code, err, r.stdout, r.stderr)
		}
		var got []col
		for _, f := range fs {
			got = append(got, col{f.Line, f.Column, f.EndColumn})
		}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("%s: columns %v, want %v", what, got, want)
		}
	}
	gitOK(t, dir, "add", "windows.reg")
	check("staged", runCmd(t, dir, nil, "keyscan", "staged", "--format", "json"))
	check("scan", runCmd(t, dir, nil, "keyscan", "scan", "--format", "json", "."))
	gitOK(t, dir, "commit", "-q", "-m", "registry export")
	check("history", runCmd(t, dir, nil, "keyscan", "history", "--format", "json", "."))

	r := runCmd(t, dir, nil, "keyscan", "scan", "--format", "sarif", ".")
	var log struct {
		Runs []struct {
			ColumnKind string `json:"columnKind"`
			Results    []struct {
				Locations []struct {
					Physical struct {
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
							EndColumn   int `json:"endColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("sarif: %v\n%s", err, r.stdout)
	}
	var got []col
	for _, res := range log.Runs[0].Results {
		reg := res.Locations[0].Physical.Region
		got = append(got, col{reg.StartLine, reg.StartColumn, reg.EndColumn})
	}
	if log.Runs[0].ColumnKind != "unicodeCodePoints" || len(got) != 2 || got[0] != wantChars[0] || got[1] != wantChars[1] {
		t.Errorf("sarif: columnKind %q, regions %v, want %v", log.Runs[0].ColumnKind, got, wantChars)
	}
}

// TestUTF8CodePointColumns (newuser LOW-24): SARIF declares its columns as
// Unicode code points; on a UTF-8 line with multi-byte characters before a
// key (minified JSON with a German description) its columns count
// characters, in scan, staged and history, and validate against the SARIF
// schema. JSON's columns still count bytes, as README says of every column.
func TestUTF8CodePointColumns(t *testing.T) {
	g := fakekey.New(86)
	id, secret := g.KeyID("AKIA"), g.Secret()
	prefix := `{"beschreibung": "Schlüssel für Ärger", "aws_access_key_id": "`
	line := prefix + id + `", "aws_secret_access_key": "` + secret + `"}` + "\n"
	// Three two-byte characters before the key ID: bytes and code points
	// differ by three there, and by three before the secret.
	idByte := len(prefix) + 1
	idChar := len([]rune(prefix)) + 1
	secByte := len(prefix+id+`", "aws_secret_access_key": "`) + 1
	secChar := secByte - 3
	type col struct{ Column, EndColumn int }
	wantBytes := map[int]col{idByte: {idByte, idByte + 20}, secByte: {secByte, secByte + 40}}
	wantChars := []col{{idChar, idChar + 20}, {secChar, secChar + 40}}

	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "c.json", "{}\n"+line)
	sch := sarifSchema(t)
	check := func(what string, args ...string) {
		t.Helper()
		r := runCmd(t, dir, nil, "keyscan", append(args, "--format", "sarif")...)
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(r.stdout))
		if err != nil || r.code != 1 {
			t.Fatalf("%s: exit %d, %v\n%s%s", what, r.code, err, r.stdout, r.stderr)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", what, err)
		}
		var log struct {
			Runs []struct {
				ColumnKind string `json:"columnKind"`
				Results    []struct {
					Locations []struct {
						Physical struct {
							Region struct {
								StartLine   int `json:"startLine"`
								StartColumn int `json:"startColumn"`
								EndColumn   int `json:"endColumn"`
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
			t.Fatalf("%s: %v\n%s", what, err, r.stdout)
		}
		var got []col
		for _, res := range log.Runs[0].Results {
			reg := res.Locations[0].Physical.Region
			if reg.StartLine != 2 {
				t.Errorf("%s: line %d, want 2", what, reg.StartLine)
			}
			got = append(got, col{reg.StartColumn, reg.EndColumn})
		}
		slices.SortFunc(got, func(a, b col) int { return a.Column - b.Column })
		if log.Runs[0].ColumnKind != "unicodeCodePoints" || !slices.Equal(got, wantChars) {
			t.Errorf("%s: columnKind %q, regions %v, want %v", what, log.Runs[0].ColumnKind, got, wantChars)
		}
		// JSON's columns are bytes.
		r = runCmd(t, dir, nil, "keyscan", append(args, "--format", "json")...)
		var fs []struct {
			Column    int `json:"column"`
			EndColumn int `json:"end_column"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil || len(fs) != 2 {
			t.Fatalf("%s json: %v\n%s", what, err, r.stdout)
		}
		for _, f := range fs {
			if w, ok := wantBytes[f.Column]; !ok || w.EndColumn != f.EndColumn {
				t.Errorf("%s json: columns %d-%d, want byte columns %v", what, f.Column, f.EndColumn, wantBytes)
			}
		}
	}
	gitOK(t, dir, "add", "c.json")
	check("staged", "staged")
	check("scan", "scan", ".")
	gitOK(t, dir, "commit", "-q", "-m", "json")
	check("history", "history", ".")
}
