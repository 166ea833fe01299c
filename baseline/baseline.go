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
	"strings"

	"github.com/keyscan/keyscan/internal/pathname"
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
func fileBytes(name string) string { return pathname.Bytes(name) }

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
			// A history finding: every path that held the value, and
			// its fingerprint there; each is an entry.
			Paths            []string `json:"paths"`
			PathFingerprints []string `json:"path_fingerprints"`
			PathsBytes       []string `json:"paths_bytes"`
		}
		if err := json.Unmarshal(data, &elems); err != nil {
			return nil, fmt.Errorf("reading JSON report: %w", err)
		}
		seen := map[string]bool{}
		for _, e := range elems {
			if e.Complete != nil {
				continue
			}
			if e.Fingerprint == "" || !seen[e.Fingerprint] {
				seen[e.Fingerprint] = true
				entries = append(entries, e.Entry)
			}
			if len(e.PathFingerprints) != len(e.Paths) {
				continue // not written by keyscan: the fingerprint alone
			}
			for i, fp := range e.PathFingerprints {
				if fp != "" && !seen[fp] {
					seen[fp] = true
					en := Entry{Fingerprint: fp, Rule: e.Rule, File: e.Paths[i]}
					if i < len(e.PathsBytes) {
						en.FileBytes = e.PathsBytes[i] // the real name, decoded below
					}
					entries = append(entries, en)
				}
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
// lists every path that holds it (Paths): each path is judged (see
// acceptPaths), so a baseline made at HEAD covers a key whose file was
// renamed before or moved since, and its entry is not called stale, while
// a copy of the key into another file HEAD holds is reported.
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
	var byFingerprint map[string]Entry // made when a history finding moved
	for _, f := range fs {
		if len(f.Paths) > 0 {
			ok, mv, note := acceptPaths(&f, accepted)
			if !ok {
				if note != "" {
					f.Note = joinNote(f.Note, note)
				}
				kept = append(kept, f)
			}
			if len(mv) > 0 && byFingerprint == nil {
				byFingerprint = make(map[string]Entry, len(b.Entries))
				for _, e := range b.Entries {
					byFingerprint[e.Fingerprint] = e
				}
			}
			for _, m := range mv {
				moved = append(moved, Moved{Entry: byFingerprint[m.from], Path: m.to})
			}
			continue
		}
		if _, in := accepted[f.Fingerprint]; in {
			accepted[f.Fingerprint] = true
		} else {
			kept = append(kept, f)
		}
	}
	if gone != nil && len(kept) > 0 {
		var mv []Moved
		kept, mv = b.moves(kept, accepted, gone)
		moved = append(moved, mv...)
	}
	for _, e := range b.Entries {
		if !accepted[e.Fingerprint] {
			stale = append(stale, e)
			accepted[e.Fingerprint] = true // report a duplicated entry once
		}
	}
	return kept, stale, moved
}

// pathMove is a history finding's path accepted by the entry of another
// path of the same value, whose file HEAD no longer holds.
type pathMove struct{ from, to string } // from: the entry's fingerprint

// acceptPaths decides on a finding that lists every path holding its
// value (history, the pre-receive gate), and marks the entries it meets
// in accepted as matched. Each path is judged on its own, as scan judges
// each file:
//
//   - a path whose fingerprint is an entry's is accepted;
//   - when the value is accepted at some path, a path HEAD does not hold
//     it at is accepted too: it held the value before the baseline was
//     made at HEAD, the file since renamed, or held it for a while beside
//     the accepted one (a copy already gone);
//   - a path HEAD holds it at that no entry names is a copy, a new
//     finding, unless no accepted path is at HEAD any more: the value
//     moved, and each entry whose file is gone accepts it at one such
//     path, as FilterMoved's rule for scan (the one with the entry's file
//     name first, then in its folder, then the first).
//
// Where the paths at HEAD are not known (HeadPaths nil: no HEAD, a push
// being received, more paths than listed), every path counts as at HEAD:
// each must be accepted by its own entry. A finding kept gets a note
// naming where the baseline accepts the value and the paths it does not.
func acceptPaths(f *scanner.Finding, accepted map[string]bool) (ok bool, mv []pathMove, note string) {
	fp := func(i int) string {
		if len(f.PathFingerprints) == len(f.Paths) {
			return f.PathFingerprints[i]
		}
		if f.Paths[i] == f.File || f.Secret == "" {
			return f.Fingerprint
		}
		return scanner.Fingerprint(f.Rule, f.Paths[i], f.Secret)
	}
	atHead := func(p string) bool {
		return f.HeadPaths == nil || slices.Contains(f.HeadPaths, p)
	}
	var yes, no []int // indexes of f.Paths
	if _, in := accepted[f.Fingerprint]; in {
		accepted[f.Fingerprint] = true // the path that introduced it, even if not listed
	}
	for i := range f.Paths {
		if x := fp(i); x != "" {
			if _, in := accepted[x]; in {
				accepted[x] = true
				yes = append(yes, i)
				continue
			}
		}
		no = append(no, i)
	}
	if _, in := accepted[f.Fingerprint]; in && !slices.Contains(f.Paths, f.File) {
		yes = append(yes, -1)
	}
	if len(yes) == 0 {
		return false, nil, ""
	}
	var copies []int // paths HEAD holds the value at that no entry names
	for _, i := range no {
		if atHead(f.Paths[i]) {
			copies = append(copies, i)
		}
	}
	if len(copies) == 0 {
		return true, nil, ""
	}
	var gone []int // accepted paths HEAD no longer holds the value at
	for _, i := range yes {
		if i < 0 || !atHead(f.Paths[i]) {
			gone = append(gone, i)
		}
	}
	path := func(i int) string {
		if i < 0 {
			return f.File
		}
		return f.Paths[i]
	}
	if len(gone) == len(yes) && f.HeadPaths != nil {
		// The value moved: each gone entry takes one path at HEAD.
		take := map[int]bool{}
		for _, g := range gone {
			best, bestScore := -1, -1
			for _, c := range copies {
				if take[c] {
					continue
				}
				score := 0
				if pathpkg.Base(f.Paths[c]) == pathpkg.Base(path(g)) {
					score += 2
				}
				if pathpkg.Dir(f.Paths[c]) == pathpkg.Dir(path(g)) {
					score++
				}
				if score > bestScore {
					best, bestScore = c, score
				}
			}
			if best < 0 {
				break
			}
			take[best] = true
			from := f.Fingerprint
			if g >= 0 {
				from = fp(g)
			}
			mv = append(mv, pathMove{from: from, to: f.Paths[best]})
		}
		if len(take) == len(copies) {
			return true, mv, ""
		}
		copies = slices.DeleteFunc(copies, func(c int) bool { return take[c] })
	}
	at := make([]string, 0, len(yes))
	for _, i := range yes {
		at = append(at, path(i))
	}
	not := make([]string, 0, len(copies))
	for _, i := range copies {
		not = append(not, f.Paths[i])
	}
	return false, nil, fmt.Sprintf("the baseline accepts this value at %s, not at %s (another file: a new finding)",
		listPaths(at), listPaths(not))
}

// listPaths joins at most three paths, and counts the others.
func listPaths(ps []string) string {
	if len(ps) <= 3 {
		return strings.Join(ps, ", ")
	}
	return strings.Join(ps[:3], ", ") + fmt.Sprintf(" and %d more", len(ps)-3)
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
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
