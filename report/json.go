package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/keyscan/keyscan/scanner"
)

// jsonFinding is one element of the JSON report. The names up to verified are
// the contract the README states; the rest are extensions.
type jsonFinding struct {
	Rule      string `json:"rule"`
	Kind      string `json:"kind"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	// ByteOffset is set for a value found in a binary file, where line and
	// column are 0.
	ByteOffset  *int   `json:"byte_offset,omitempty"`
	Secret      string `json:"secret"`
	Fingerprint string `json:"fingerprint"`
	Pair        string `json:"pair,omitempty"`
	AccountID   string `json:"account_id,omitempty"`
	Commit      string `json:"commit,omitempty"`
	Author      string `json:"author,omitempty"`
	Date        string `json:"date,omitempty"`
	Suggestion  string `json:"suggestion"`
	Verified    string `json:"verified,omitempty"`

	Severity      string   `json:"severity,omitempty"`
	Encoding      string   `json:"encoding,omitempty"`
	Context       string   `json:"context,omitempty"`
	Note          string   `json:"note,omitempty"`
	PresentAtHead *bool    `json:"present_at_head,omitempty"`
	Commits       int      `json:"commits,omitempty"`
	Paths         []string `json:"paths,omitempty"`
	LastCommit    string   `json:"last_commit,omitempty"`
	VerifiedARN   string   `json:"verified_arn,omitempty"`
	VerifyReason  string   `json:"verify_reason,omitempty"`
	// TestKey says why a test key is not reported; only --test-keys lists them.
	TestKey string `json:"test_key,omitempty"`
	// InPath says the value is in the file's path (its name, a folder's,
	// an archive member's), not its content: line 0 and no byte_offset.
	InPath bool `json:"in_path,omitempty"`
}

func writeJSON(w io.Writer, fs scanner.Findings, opts Options) error {
	if opts.ListTests && len(opts.TestKeys) > 0 {
		fs = append(fs[:len(fs):len(fs)], opts.TestKeys...)
	}
	out := make([]jsonFinding, 0, len(fs))
	for i := range fs {
		f := &fs[i]
		var off *int
		if f.Line == 0 && !f.InPath {
			off = &f.Offset
		}
		out = append(out, jsonFinding{
			ByteOffset:    off,
			InPath:        f.InPath,
			Rule:          f.Rule,
			Kind:          string(f.Kind),
			File:          f.File,
			Line:          f.Line,
			Column:        f.Column,
			EndLine:       f.EndLine,
			EndColumn:     f.EndColumn,
			Secret:        secret(f, opts),
			Fingerprint:   f.Fingerprint,
			Pair:          f.Pair,
			AccountID:     f.AccountID,
			Commit:        f.Commit,
			Author:        f.Author,
			Date:          formatDate(f.Date),
			Suggestion:    f.Suggestion,
			Verified:      f.Verified,
			Severity:      string(f.Severity),
			Encoding:      f.Encoding,
			Context:       f.Context,
			Note:          f.Note,
			PresentAtHead: f.PresentAtHead,
			Commits:       f.Commits,
			Paths:         f.Paths,
			LastCommit:    f.LastCommit,
			VerifiedARN:   f.VerifiedARN,
			VerifyReason:  f.VerifyReason,
			TestKey:       f.TestKey,
		})
	}
	return encodeJSON(w, out)
}

// encodeJSON writes v indented, without HTML escaping: reports are read by
// people and jq, not embedded in web pages.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
