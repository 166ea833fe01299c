package receive

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/keyscan/keyscan/internal/pathname"
)

// LogEntry is one line of the audit log: a push the gate refused, let
// through with an exception, or could not check. It never holds a secret:
// findings are named by fingerprint, rule, commit, path and line.
type LogEntry struct {
	Time       time.Time         `json:"time"`
	Decision   string            `json:"decision"` // refused, excepted, error-refused, error-accepted
	Pusher     string            `json:"pusher,omitempty"`
	Repository string            `json:"repository"`
	Refs       []LogRef          `json:"refs"`
	Findings   []LogEntryFinding `json:"findings,omitempty"`
	Error      string            `json:"error,omitempty"`
}

// LogRef is one ref the push updates.
type LogRef struct {
	Ref string `json:"ref"`
	Old string `json:"old"`
	New string `json:"new"`
}

// LogEntryFinding is one credential of the push, without its value.
type LogEntryFinding struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Commit      string `json:"commit,omitempty"`
	File        string `json:"file"`
	// FileBytes is File in base64 when it is not UTF-8, as the JSON
	// report's file_bytes (pathname.Bytes): File then holds U+FFFD for
	// each byte that is not UTF-8.
	FileBytes string `json:"file_bytes,omitempty"`
	Line      int    `json:"line"`
	// Exception says how it was let through (baseline, push-option,
	// allow-comment); empty for a finding that refused the push.
	Exception string `json:"exception,omitempty"`
	// Reason is the reason an allow-comment exception gave, as the pusher
	// wrote it (key-shaped runs in it redacted, see scanner.Finding.Allowed).
	Reason string `json:"reason,omitempty"`
}

// Decisions recorded in the audit log.
const (
	Refused       = "refused"
	Excepted      = "excepted"
	ErrorRefused  = "error-refused"
	ErrorAccepted = "error-accepted"
)

// NewLogEntry describes res for the audit log.
func NewLogEntry(now time.Time, decision, pusher, repo string, res Result) LogEntry {
	e := LogEntry{Time: now.UTC(), Decision: decision, Pusher: pusher, Repository: repo, Refs: []LogRef{}}
	for _, u := range res.Updates {
		e.Refs = append(e.Refs, LogRef{Ref: res.LoggedRef(u.Ref), Old: u.Old, New: u.New})
	}
	for _, f := range res.Refused {
		// A value refused although a comment allows it (allow_comments =
		// false) keeps the comment's reason.
		e.Findings = append(e.Findings, LogEntryFinding{Fingerprint: f.Fingerprint, Rule: f.Rule, Commit: f.Commit, File: f.File, FileBytes: pathname.Bytes(f.File), Line: f.Line, Reason: f.Allowed})
	}
	for _, x := range res.Excepted {
		f := x.Finding
		e.Findings = append(e.Findings, LogEntryFinding{Fingerprint: f.Fingerprint, Rule: f.Rule, Commit: f.Commit, File: f.File, FileBytes: pathname.Bytes(f.File), Line: f.Line, Exception: x.By, Reason: x.Reason})
	}
	return e
}

// AppendLog appends e as one JSON line to the file at path, creating it
// readable by its owner only. One write call per line, with O_APPEND, keeps
// lines whole when several pushes log at once.
func AppendLog(path string, e LogEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	_, werr := f.Write(append(line, '\n'))
	cerr := f.Close()
	if werr != nil {
		return fmt.Errorf("audit log %s: %w", path, werr)
	}
	if cerr != nil {
		return fmt.Errorf("audit log %s: %w", path, cerr)
	}
	return nil
}
