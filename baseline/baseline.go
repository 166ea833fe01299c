package baseline

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	pathpkg "path"
	"slices"
	"unicode/utf8"

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
	// FileBytes is File in standard base64, written only when File is not
	// UTF-8 (a JSON string cannot hold it: the file field then has U+FFFD
	// for each byte that is not UTF-8), as in the JSON report; Parse takes
	// the name from it.
	FileBytes string `json:"file_bytes,omitempty"`
}

// fileBytes is the FileBytes of a file name: "" for a UTF-8 name.
func fileBytes(name string) string {
	if utf8.ValidString(name) {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(name))
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
		// The file as the fingerprint names it (from the top of the work
		// tree), not as the report showed it: the entry must not depend on
		// where the baseline was made, and a move is told by it
		// (FilterMoved).
		file := f.RepoPath
		if file == "" {
			file = f.File
		}
		b.Entries = append(b.Entries, Entry{Fingerprint: f.Fingerprint, Rule: f.Rule, File: file, Line: f.Line})
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
	out := file{Version: Version, Comment: comment, Findings: make([]Entry, len(b.Entries))}
	for i, e := range b.Entries {
		e.FileBytes = fileBytes(e.File)
		out.Findings[i] = e
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
		// A report's elements are findings, but for the last of an
		// incomplete run's report, {"complete": false, ...}, which
		// accepts nothing.
		var elems []struct {
			Entry
			Complete *bool `json:"complete"`
		}
		if err := json.Unmarshal(data, &elems); err != nil {
			return nil, fmt.Errorf("reading JSON report: %w", err)
		}
		for _, e := range elems {
			if e.Complete == nil {
				entries = append(entries, e.Entry)
			}
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
		if e.FileBytes != "" {
			name, err := base64.StdEncoding.DecodeString(e.FileBytes)
			if err != nil {
				return nil, fmt.Errorf("entry %d (%s %s): file_bytes: %w", i+1, e.Rule, e.File, err)
			}
			entries[i].File = string(name)
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
	kept, stale, _ = b.FilterMoved(fs, nil)
	return kept, stale
}

// Moved is a baseline entry whose file is gone that accepted its value at
// another path: the file was renamed or moved.
type Moved struct {
	Entry Entry
	Path  string // where the value is now, named as fingerprints name files
}

// FilterMoved is Filter for a scan that sees one path per finding (scan,
// staged), where a rename would make every accepted key in the file new
// again. gone reports whether the file an entry names (Entry.File) no
// longer exists where f was found (its work tree); nil for none. An entry
// that accepted nothing by its fingerprint and whose file is gone accepts
// its value, under its rule, at one other path: the value's first finding
// that no entry accepts, in fs's order, names that path, and every finding
// of the value there is accepted. So a renamed or moved file keeps its keys
// accepted, while a copy of an accepted key into another file, the
// original still there, is a new finding, and so is a second copy when
// the original is gone. An entry of an old baseline works too: the value's
// fingerprint at the entry's own file is recomputed from the finding.
func (b *Baseline) FilterMoved(fs scanner.Findings, gone func(f *scanner.Finding, file string) bool) (kept scanner.Findings, stale []Entry, moved []Moved) {
	if b == nil {
		return fs, nil, nil
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
	if gone != nil && len(kept) > 0 {
		kept, moved = b.moves(kept, accepted, gone)
	}
	for _, e := range b.Entries {
		if !accepted[e.Fingerprint] {
			stale = append(stale, e)
			accepted[e.Fingerprint] = true // report a duplicated entry once
		}
	}
	return kept, stale, moved
}

// moves accepts, among kept, the values of entries that matched nothing
// and whose file is gone, at one path each (see FilterMoved); it marks
// those entries matched.
func (b *Baseline) moves(kept scanner.Findings, accepted map[string]bool, gone func(f *scanner.Finding, file string) bool) (scanner.Findings, []Moved) {
	path := func(f *scanner.Finding) string {
		if f.RepoPath != "" {
			return f.RepoPath
		}
		return f.File
	}
	var moved []Moved
	take := map[int]bool{} // indexes of kept that a moved entry accepts
	for _, e := range b.Entries {
		if accepted[e.Fingerprint] || e.File == "" {
			continue
		}
		// Whether its file is gone is asked first (one stat): most entries
		// that matched nothing are of keys deleted from files still there.
		same := slices.IndexFunc(kept, func(f scanner.Finding) bool { return f.Rule == e.Rule })
		if same < 0 || !gone(&kept[same], e.File) {
			continue
		}
		// The findings of the entry's value elsewhere, and where.
		var at []int
		for i := range kept {
			f := &kept[i]
			if !take[i] && f.Rule == e.Rule && f.Secret != "" && path(f) != e.File &&
				scanner.Fingerprint(f.Rule, e.File, f.Secret) == e.Fingerprint {
				at = append(at, i)
			}
		}
		if len(at) == 0 {
			continue
		}
		// Of several paths, the one most like a rename of the entry's:
		// the same name (moved to another folder), then the same folder
		// (renamed in place), then the first.
		best, bestScore := path(&kept[at[0]]), -1
		for _, i := range at {
			p := path(&kept[i])
			score := 0
			if pathpkg.Base(p) == pathpkg.Base(e.File) {
				score += 2
			}
			if pathpkg.Dir(p) == pathpkg.Dir(e.File) {
				score++
			}
			if score > bestScore {
				best, bestScore = p, score
			}
		}
		for _, i := range at {
			if path(&kept[i]) == best {
				take[i] = true
			}
		}
		accepted[e.Fingerprint] = true
		moved = append(moved, Moved{Entry: e, Path: best})
	}
	if len(take) == 0 {
		return kept, nil
	}
	out := make(scanner.Findings, 0, len(kept)-len(take))
	for i, f := range kept {
		if !take[i] {
			out = append(out, f)
		}
	}
	return out, moved
}
