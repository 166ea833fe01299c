package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner"
)

// Version is the format version Write produces and Load accepts.
const Version = 1

// Entry is one accepted finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	// Line is where the finding was when the baseline was made: a hint for
	// readers, not used for matching.
	Line int `json:"line,omitempty"`
}

// String describes the entry for messages.
func (e Entry) String() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return fmt.Sprintf("%s %s (fingerprint %s)", e.Rule, loc, e.Fingerprint)
}

// Baseline is a set of accepted findings. The zero value accepts nothing.
type Baseline struct {
	Entries []Entry
}

// file is the on-disk form.
type file struct {
	Version  int     `json:"version"`
	Comment  string  `json:"comment,omitempty"`
	Findings []Entry `json:"findings"`
}

const comment = "Findings accepted by keyscan: matched by fingerprint (rule, file and value); " +
	"no secrets are stored here. Remove entries as keys are rotated and deleted."

// New returns the baseline that accepts every finding in fs.
func New(fs scanner.Findings) *Baseline {
	seen := map[string]bool{}
	b := &Baseline{Entries: []Entry{}}
	for _, f := range fs {
		if f.Fingerprint == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Entries = append(b.Entries, Entry{Fingerprint: f.Fingerprint, Rule: f.Rule, File: f.File, Line: f.Line})
	}
	b.sort()
	return b
}

func (b *Baseline) sort() {
	slices.SortFunc(b.Entries, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line),
			cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Fingerprint, y.Fingerprint))
	})
}

// Write writes the baseline that accepts every finding in fs.
func Write(w io.Writer, fs scanner.Findings) error {
	return New(fs).Write(w)
}

// Write writes b in the baseline file format: indented JSON, entries sorted
// by file and line so that diffs of the file stay readable.
func (b *Baseline) Write(w io.Writer) error {
	b.sort()
	out := file{Version: Version, Comment: comment, Findings: b.Entries}
	if out.Findings == nil {
		out.Findings = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// MaxSize is the largest baseline file read (a baseline entry is about 300
// bytes: a million findings fit).
const MaxSize = 512 << 20

// Load reads the baseline file at path.
func Load(path string) (*Baseline, error) {
	// A FIFO or a procfs file named with --baseline must not hang the run:
	// read without blocking, up to the file's size (internal/readfile).
	data, err := readfile.File(path, false, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	b, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	return b, nil
}

// Parse reads a baseline from data. Besides the baseline format it accepts a
// keyscan JSON report (an array of findings), whose fingerprints it takes.
func Parse(data []byte) (*Baseline, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("empty file")
	}
	var entries []Entry
	if data[0] == '[' {
		if err := json.Unmarshal(data, &entries); err != nil {
			return nil, fmt.Errorf("reading JSON report: %w", err)
		}
	} else {
		var f file
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("reading baseline: %w", err)
		}
		if f.Version != Version {
			return nil, fmt.Errorf("version %d: unsupported (want %d)", f.Version, Version)
		}
		entries = f.Findings
	}
	for i, e := range entries {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("entry %d (%s %s): no fingerprint", i+1, e.Rule, e.File)
		}
	}
	return &Baseline{Entries: entries}, nil
}

// Filter returns the findings the baseline does not accept, in their order,
// and the entries that accepted none of fs. Every finding with an accepted
// fingerprint is dropped: the same value twice in one file is one entry.
//
// A fingerprint names the file, so that the same key pasted into another
// file is a new finding. A history finding is one value wherever it is, and
// lists every path that holds it (Paths): it is accepted when the
// fingerprint of any of those paths is an entry's, and each such entry
// matched. So a baseline made at HEAD covers a key that a rename moved
// (history reports it under the path that introduced it), and its entry is
// not called stale.
func (b *Baseline) Filter(fs scanner.Findings) (kept scanner.Findings, stale []Entry) {
	if b == nil {
		return fs, nil
	}
	accepted := make(map[string]bool, len(b.Entries))
	for _, e := range b.Entries {
		accepted[e.Fingerprint] = false
	}
	kept = make(scanner.Findings, 0, len(fs))
	for _, f := range fs {
		ok := false
		if _, in := accepted[f.Fingerprint]; in {
			accepted[f.Fingerprint], ok = true, true
		}
		for _, p := range f.Paths {
			if p == f.File || f.Secret == "" {
				continue
			}
			if fp := scanner.Fingerprint(f.Rule, p, f.Secret); fp != f.Fingerprint {
				if _, in := accepted[fp]; in {
					accepted[fp], ok = true, true
				}
			}
		}
		if !ok {
			kept = append(kept, f)
		}
	}
	for _, e := range b.Entries {
		if !accepted[e.Fingerprint] {
			stale = append(stale, e)
			accepted[e.Fingerprint] = true // report a duplicated entry once
		}
	}
	return kept, stale
}
