package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/keyscan/keyscan/internal/pathname"
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
	// PathFingerprints are the value's fingerprints at each of Paths, in
	// its order: keyscan baseline history records each.
	PathFingerprints []string `json:"path_fingerprints,omitempty"`
	// PathsBytes are Paths as FileBytes gives them, in Paths' order ("" for
	// a UTF-8 name); only when some path is not UTF-8.
	PathsBytes   []string `json:"paths_bytes,omitempty"`
	LastCommit   string   `json:"last_commit,omitempty"`
	VerifiedARN  string   `json:"verified_arn,omitempty"`
	VerifyReason string   `json:"verify_reason,omitempty"`
	// TestKey says why a test key is not reported; only --test-keys lists them.
	TestKey string `json:"test_key,omitempty"`
	// InPath says the value is in the file's path (its name, a folder's,
	// an archive member's), not its content: line 0 and no byte_offset.
	InPath bool `json:"in_path,omitempty"`
	// FileBytes is the file's name in base64, only when it is not UTF-8:
	// a JSON string cannot hold such a name, and File then holds U+FFFD
	// for each byte that is not UTF-8 (see FileBytes).
	FileBytes string `json:"file_bytes,omitempty"`
}

// jsonIncomplete is the last element of the JSON report of a run that
// could not read all it was asked to (see Gap): not a finding (it has no
// rule), so that a script counting the array's elements does not count a
// scan that read nothing as clean, and one selecting findings
// (.[] | select(.rule)) skips it.
type jsonIncomplete struct {
	Complete   bool      `json:"complete"`
	Incomplete []jsonGap `json:"incomplete"`
}

type jsonGap struct {
	Reason string `json:"reason"`
	Count  int    `json:"count,omitempty"`
	Path   string `json:"path,omitempty"`
	// PathBytes is Path in base64 when it is not UTF-8 (see FileBytes).
	PathBytes string `json:"path_bytes,omitempty"`
	Message   string `json:"message"`
}

// FileBytes is the JSON report's and the baseline's file_bytes of a file
// named name: its bytes in standard base64 when name is not UTF-8, ""
// otherwise (see pathname.Bytes).
func FileBytes(name string) string { return pathname.Bytes(name) }

func writeJSON(w io.Writer, fs scanner.Findings, opts Options) error {
	n := len(fs)
	if opts.ListTests {
		n += len(opts.TestKeys)
	}
	at := func(i int) *scanner.Finding {
		if i < len(fs) {
			return &fs[i]
		}
		return &opts.TestKeys[i-len(fs)]
	}
	bw := bufio.NewWriter(w)
	a := newArrayWriter(bw, "")
	jf := new(jsonFinding) // one for all: a.element takes any, and a value would be copied to the heap each time
	for i := range n {
		f := at(i)
		var off *int
		if f.Line == 0 && !f.InPath {
			off = &f.Offset
		}
		*jf = jsonFinding{
			ByteOffset:       off,
			InPath:           f.InPath,
			Rule:             f.Rule,
			Kind:             string(f.Kind),
			File:             f.File,
			Line:             f.Line,
			Column:           f.Column,
			EndLine:          f.EndLine,
			EndColumn:        f.EndColumn,
			Secret:           secret(f, opts),
			Fingerprint:      f.Fingerprint,
			Pair:             f.Pair,
			AccountID:        f.AccountID,
			Commit:           f.Commit,
			Author:           f.Author,
			Date:             formatDate(f.Date),
			Suggestion:       f.Suggestion,
			Verified:         f.Verified,
			Severity:         string(f.Severity),
			Encoding:         f.Encoding,
			Context:          f.Context,
			Note:             f.Note,
			PresentAtHead:    f.PresentAtHead,
			Commits:          f.Commits,
			Paths:            f.Paths,
			PathFingerprints: f.PathFingerprints,
			PathsBytes:       pathname.BytesAll(f.Paths),
			LastCommit:       f.LastCommit,
			VerifiedARN:      f.VerifiedARN,
			VerifyReason:     f.VerifyReason,
			TestKey:          f.TestKey,
			FileBytes:        FileBytes(f.File),
		}
		a.element(jf)
	}
	if gaps := opts.gaps(); len(gaps) > 0 {
		// Last, after every finding: the run is incomplete (see Gap).
		st := jsonIncomplete{Complete: false, Incomplete: make([]jsonGap, len(gaps))}
		for i, g := range gaps {
			st.Incomplete[i] = jsonGap{Reason: g.Reason, Count: g.Count, Path: g.Path, PathBytes: FileBytes(g.Path), Message: g.Message}
		}
		a.element(st)
	}
	a.end()
	if _, err := bw.WriteString("\n"); a.err == nil {
		a.err = err
	}
	if err := bw.Flush(); a.err == nil {
		a.err = err
	}
	return a.err
}

// encodeJSON writes v indented, without HTML escaping: reports are read by
// people and jq, not embedded in web pages.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// arrayWriter writes a JSON array one element at a time, in the bytes
// encodeJSON would write for the whole array at that depth (prefix is the
// indentation of the line that holds the array's opening bracket), without
// the closing newline. A report holds a finding per key: a file of key IDs
// is 50,000 findings a megabyte, and encoding the report whole held it
// three times over (the elements, the compact JSON, the indented JSON),
// ~2 KB a finding; element by element, memory is one element's.
type arrayWriter struct {
	w      *bufio.Writer
	prefix string // the bracket line's indentation
	enc    *json.Encoder
	buf    bytes.Buffer
	n      int
	err    error
}

func newArrayWriter(w *bufio.Writer, prefix string) *arrayWriter {
	a := &arrayWriter{w: w, prefix: prefix}
	a.enc = json.NewEncoder(&a.buf)
	a.enc.SetEscapeHTML(false)
	a.enc.SetIndent(prefix+"  ", "  ")
	return a
}

func (a *arrayWriter) element(v any) {
	if a.err != nil {
		return
	}
	a.buf.Reset()
	if a.err = a.enc.Encode(v); a.err != nil {
		return
	}
	if a.n == 0 {
		a.w.WriteString("[\n")
	} else {
		a.w.WriteString(",\n")
	}
	a.n++
	a.w.WriteString(a.prefix + "  ")
	_, a.err = a.w.Write(bytes.TrimSuffix(a.buf.Bytes(), []byte("\n")))
}

// end closes the array: "[]" when it has no element.
func (a *arrayWriter) end() {
	if a.err != nil {
		return
	}
	if a.n == 0 {
		_, a.err = a.w.WriteString("[]")
		return
	}
	_, a.err = a.w.WriteString("\n" + a.prefix + "]")
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
