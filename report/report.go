package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// Options choose the format and the content of a report.
type Options struct {
	Format      string // "text", "json", "sarif"
	ShowSecrets bool
	Color       bool   // ANSI colour in text output (the caller decides: terminal, NO_COLOR, --no-color)
	Command     string // "scan", "history", "staged": SARIF automation details, text footer
	Version     string
	Quiet       bool // text: findings only, no summary footer
	// Verbose makes the text report print one block per finding, with its
	// context and its whole suggestion, instead of grouping by file.
	Verbose bool
	// Coverage, when set, is what a file scan left out; the text summary
	// says so, so that "no credentials found" never hides it.
	Coverage *Coverage
	// TestKeys are the test keys found and not reported (see
	// scanner.Finding.TestKey): the text summary counts them, and JSON
	// lists them after the findings when ListTests is set.
	TestKeys  scanner.Findings
	ListTests bool
	// Unlisted counts the candidate values past max_findings_per_file, which
	// no report lists (the warnings name their files): the text summary
	// says so, so that a capped file never reads as fully listed.
	Unlisted int
	// Gaps are what the run could not read of what it was asked to
	// (besides Coverage.Failed): each makes the run incomplete, and every
	// format says so (see Gap), whatever its exit status.
	Gaps []Gap
}

// Gap is a part of what was asked that the run could not read. No format
// may then read as clean: the text summary says "incomplete" instead of
// "no credentials found", JSON ends its array with an element that is not
// a finding ({"complete": false, ...}), and SARIF says executionSuccessful
// false with a notification per gap. The exit status is the command's
// choice (some gaps exit 2 only with --strict), and the report is the same
// either way: a consumer that reads only the report, not the exit status
// (an upload step, a dashboard, a script counting findings), then does not
// take a scan that left a file unread for a clean one.
type Gap struct {
	// Reason names the kind of gap, for scripts: "path" (a path named
	// that could not be read), "unreadable", "too-large", "archive",
	// "unlisted", "undecoded", "unchecked", "partial-clone", "unread-blobs", "shallow", "lfs",
	// "typecheck" (Go files left to the byte scan for the type-check budget),
	// "typecheck-size" (Go files too large to type-check),
	// "typecheck-stall" (a Go type check abandoned past typecheck_timeout,
	// the package or file named in Message, or those not made after).
	Reason string
	// Count is how many things were not read; 0 for a path.
	Count int
	// Path is the path named that could not be read, for "path".
	Path string
	// Message says it for people: "3 files or folders could not be read".
	Message string
}

// gaps lists every gap of the run: the paths named that could not be
// read (Coverage.Failed), then Gaps.
func (o *Options) gaps() []Gap {
	var out []Gap
	if o.Coverage != nil {
		for _, p := range o.Coverage.Failed {
			name := Printable(p)
			if p == "" {
				name = `""`
			}
			out = append(out, Gap{Reason: "path", Path: p, Message: "could not read " + name})
		}
	}
	return append(out, o.Gaps...)
}

// Coverage counts the files a scan read and those it did not.
type Coverage struct {
	Files, Bytes int64 // scanned
	Excluded     int64 // files and folders left out by the configuration
	Binary       int64 // binary content
	TooLarge     int64 // over max_file_size
	Unreadable   int64 // files and folders that could not be read
	Special      int64 // FIFOs, sockets, devices: never opened
	OutsideLinks int64 // symlinks out of the scan root: not followed
	// ArchiveLimits counts the archive limits hit and the archive members
	// left unread (too large, encrypted, corrupt): part of an archive was
	// not scanned.
	ArchiveLimits int64
	// Undecoded counts the encoded runs not decoded whole for a file's
	// decode budget: what they hold was not scanned.
	Undecoded int64
	// Unchecked counts the files not checked whole for their check
	// budget: from where it was spent, they are not known to be clean.
	Unchecked int64
	// LFS counts the files that are Git LFS pointers whose content was not
	// read (a checkout made without git-lfs's smudge filter).
	LFS int64
	// TypeCheckSize counts the Go files keyscan scan left out of its type
	// check for their size (analyzer.MaxCheckTokens): the byte scan read them,
	// but a key built from constants there is not known.
	TypeCheckSize int64
	// Failed are the paths the user named that could not be read (the scan
	// exits 2): the summary names them instead of "no credentials found".
	Failed []string
}

// FailedList names the paths that could not be read, at most three, as
// "a, b, c and 2 more"; "" when there are none.
func (c *Coverage) FailedList() string {
	if c == nil || len(c.Failed) == 0 {
		return ""
	}
	names := make([]string, 0, min(len(c.Failed), 3))
	for _, f := range c.Failed[:min(len(c.Failed), 3)] {
		if f == "" {
			f = `""` // an empty argument: the list must not read as empty
		}
		names = append(names, Printable(f))
	}
	if len(c.Failed) <= 3 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", len(c.Failed)-3)
}

// NotScanned lists what was left out, as "2 excluded, 1 binary", or "" when
// nothing was.
func (c *Coverage) NotScanned() string {
	if c == nil {
		return ""
	}
	var parts []string
	for _, p := range []struct {
		n         int64
		one, many string
	}{
		{c.Excluded, "excluded", "excluded"},
		{c.Binary, "binary", "binary"},
		{c.TooLarge, "over the size limit", "over the size limit"},
		{c.Unreadable, "unreadable", "unreadable"},
		{c.Special, "special file (FIFO, socket or device)", "special files (FIFOs, sockets, devices)"},
		{c.OutsideLinks, "symlink out of the scan root", "symlinks out of the scan root"},
		{c.ArchiveLimits, "archive part (a limit, an unreadable member or a format not opened: see the warnings)", "archive parts (limits, unreadable members or formats not opened: see the warnings)"},
		{c.Undecoded, "encoded run not decoded whole (decode budget: see the warnings)", "encoded runs not decoded whole (decode budget: see the warnings)"},
		{c.Unchecked, "file not checked whole (check budget: see the warnings)", "files not checked whole (check budget: see the warnings)"},
		{c.LFS, "Git LFS pointer whose content was not read", "Git LFS pointers whose content was not read"},
		{c.TypeCheckSize, "Go file not type-checked (too large, not read whole by Go's parser, or build variants past the bound: see the warnings)", "Go files not type-checked (too large, not read whole by Go's parser, or build variants past the bound: see the warnings)"},
	} {
		if p.n > 0 {
			parts = append(parts, plural(int(p.n), p.one, p.many))
		}
	}
	return strings.Join(parts, ", ")
}

// Write writes the findings to w in the format opts names.
func Write(w io.Writer, fs scanner.Findings, opts Options) error {
	switch opts.Format {
	case "", "text":
		return writeText(w, fs, opts)
	case "json":
		return writeJSON(w, fs, opts)
	case "sarif":
		return writeSARIF(w, fs, opts)
	}
	return fmt.Errorf("report format %q: unknown (want text, json or sarif)", opts.Format)
}

// secret returns the value as the report shows it.
func secret(f *scanner.Finding, opts Options) string {
	if opts.ShowSecrets {
		return f.Secret
	}
	return scanner.Redact(f.Secret)
}
