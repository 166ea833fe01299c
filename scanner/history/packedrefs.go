package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
)

// A packed-refs line that is not an object ID, a space and a ref's name
// (garbage, a truncated ID, an ID with no name) makes git refuse the whole
// file ("fatal: unexpected line in .git/packed-refs"), and go-git too: one
// bad line stopped the whole history scan (qa38 hist 1). keyscan reads the
// other lines: go-git is given packed-refs without the bad ones
// (refsFS), and each is a broken ref, named in a warning and
// counted (Stats.BrokenRefs), for what it was meant to name was not
// scanned.

// badPackedLine is a line of packed-refs that names no object.
type badPackedLine struct {
	n    int    // its number, from 1
	name string // the ref's name, when the line has one after a bad ID
}

// packedCheck is what checkPackedRefs found in packed-refs.
type packedCheck struct {
	bad         []badPackedLine
	orphanPeels []int  // "^ID" lines that follow no ref's line: they name nothing
	filtered    []byte // the file without its bad lines; nil when it has none
}

// checkPackedRefs reads packed-refs through fsys as git parses it. The file
// is read again to filter it only when a line is bad. A file that cannot be
// opened is left to go-git, whose error names it.
func checkPackedRefs(fsys billy.Filesystem) packedCheck {
	var pc packedCheck
	if err := eachPackedLine(fsys, func(n int, _ []byte, _, bad bool, name string) {
		if bad {
			pc.bad = append(pc.bad, badPackedLine{n: n, name: name})
		}
	}, &pc.orphanPeels); err != nil || len(pc.bad) == 0 {
		return packedCheck{orphanPeels: pc.orphanPeels}
	}
	var b bytes.Buffer
	if err := eachPackedLine(fsys, func(_ int, line []byte, keep, _ bool, _ string) {
		if keep {
			b.Write(line)
		}
	}, nil); err != nil {
		return packedCheck{orphanPeels: pc.orphanPeels}
	}
	pc.filtered = b.Bytes()
	if pc.filtered == nil {
		pc.filtered = []byte{}
	}
	return pc
}

// eachPackedLine calls fn with each line of packed-refs (with its line
// break), whether go-git is to read it (keep), whether it is a bad ref's
// line and the ref's name it holds after a bad ID.
// A peel line ("^ID") belongs to the ref line before it; one after no
// ref's line is added to orphans (unless that line was bad: its peel is
// dropped with it).
func eachPackedLine(fsys billy.Filesystem, fn func(n int, line []byte, keep, bad bool, name string), orphans *[]int) error {
	f, err := fsys.Open("packed-refs")
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	prev := "" // "ref", "bad" or "" (nothing a peel line could belong to)
	var long []byte
	for n := 1; ; n++ {
		// ReadSlice: no copy of each line (a repository may pack a
		// million refs); a line longer than the buffer is gathered.
		line, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			line, err = br.ReadSlice('\n')
			line = append(long, line...)
		}
		if len(line) > 0 {
			text := bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
			switch {
			case len(text) == 0 || text[0] == '#':
				fn(n, line, true, false, "")
				prev = ""
			case text[0] == '^':
				if prev == "bad" {
					fn(n, line, false, false, "") // the bad ref's peel, dropped with it
					continue
				}
				if prev == "" && orphans != nil {
					*orphans = append(*orphans, n)
				}
				fn(n, line, true, false, "")
				prev = ""
			default:
				hex, name, ok := bytes.Cut(text, []byte(" "))
				if ok && isHexID(hex) && len(name) > 0 && bytes.IndexByte(name, ' ') < 0 {
					fn(n, line, true, false, "")
					prev = "ref"
					continue
				}
				nm := ""
				if ok && len(name) > 0 && bytes.IndexByte(name, ' ') < 0 {
					nm = string(name)
				}
				fn(n, line, false, true, nm)
				prev = "bad"
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// isHexID reports whether b is a full SHA-1 object ID in hex, as git
// writes it in packed-refs.
func isHexID(b []byte) bool {
	if len(b) != 40 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// refsFS is the git folder as go-git reads refs from it: packed-refs
// served from memory without its bad lines (packed; nil reads the file),
// and an empty loose ref file, which git ignores as a broken ref ("ignoring
// broken ref") but go-git refuses with the whole listing ("ref file is
// empty", the whole history scan an error), left out of the folder's
// listings and recorded in empty.
type refsFS struct {
	billy.Filesystem
	packed []byte
	empty  *emptyRefs
}

// emptyRefs are the empty loose ref files refsFS left out, by name.
type emptyRefs struct {
	mu    sync.Mutex
	names []string
	seen  map[string]bool
}

func (e *emptyRefs) add(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.seen[name] {
		if e.seen == nil {
			e.seen = map[string]bool{}
		}
		e.seen[name] = true
		e.names = append(e.names, name)
	}
}

// list returns the names recorded so far.
func (e *emptyRefs) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.names)
}

func (p refsFS) Open(name string) (billy.File, error) {
	return p.OpenFile(name, os.O_RDONLY, 0)
}

func (p refsFS) OpenFile(name string, flag int, perm os.FileMode) (billy.File, error) {
	if p.packed != nil && path.Clean(filepath.ToSlash(name)) == "packed-refs" && flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_APPEND|os.O_TRUNC) == 0 {
		return &memFile{Reader: bytes.NewReader(p.packed), name: name}, nil
	}
	return p.Filesystem.OpenFile(name, flag, perm)
}

func (p refsFS) ReadDir(name string) ([]os.FileInfo, error) {
	ents, err := p.Filesystem.ReadDir(name)
	dir := path.Clean(filepath.ToSlash(name))
	if err != nil || dir != "refs" && !strings.HasPrefix(dir, "refs/") {
		return ents, err
	}
	out := ents[:0:0]
	for _, e := range ents {
		if e.Mode().IsRegular() && e.Size() == 0 {
			p.empty.add(dir + "/" + e.Name())
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// memFile is a read-only billy.File of bytes in memory.
type memFile struct {
	*bytes.Reader
	name string
}

func (f *memFile) Name() string              { return f.name }
func (f *memFile) Close() error              { return nil }
func (f *memFile) Write([]byte) (int, error) { return 0, os.ErrPermission }
func (f *memFile) Truncate(int64) error      { return os.ErrPermission }
func (f *memFile) Lock() error               { return nil }
func (f *memFile) Unlock() error             { return nil }

// packedRefsGaps names each bad line of packed-refs in a warning and
// counts it as a broken ref, when every ref was asked for; an orphan
// peel line is named too, but hides nothing.
func (s *scan) packedRefsGaps() {
	file := filepath.Join(s.repo.common, "packed-refs")
	for _, b := range s.repo.packed.bad {
		what := "the ref it was meant to hold was not scanned"
		if b.name != "" {
			what = "what " + b.name + " names was not scanned"
		}
		s.stats.BrokenRefs++
		s.warn("", "", fmt.Sprintf("%s, line %d: malformed packed-ref (want an object ID, a space and a ref's name; git refuses the whole file): ignored, the other refs scanned; %s (--all-objects reads every object the repository holds)", file, b.n, what))
	}
	for _, n := range s.repo.packed.orphanPeels {
		s.warn("", "", fmt.Sprintf("%s, line %d: a peeled line (^) that follows no ref: ignored (it names no ref)", file, n))
	}
}

// emptyRefGaps names each empty loose ref file go-git was not shown
// (refsFS) in a warning and counts it as a broken ref, once.
func (s *scan) emptyRefGaps() {
	for _, name := range s.repo.empty.list() {
		if s.reportedEmpty[name] {
			continue
		}
		if s.reportedEmpty == nil {
			s.reportedEmpty = map[string]bool{}
		}
		s.reportedEmpty[name] = true
		s.stats.BrokenRefs++
		s.warn("", "", fmt.Sprintf("ref %s: malformed ref (its file is empty): ignored, as git ignores a broken ref; what it was meant to name was not scanned (--all-objects reads every object the repository holds)", name))
	}
}
