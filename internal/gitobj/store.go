package gitobj

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/keyscan/keyscan/internal/readfile"
)

// Options say where a Store looks for objects beyond its objects folder.
// The library reads no environment: cmd/keyscan fills these from
// GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES.
type Options struct {
	// Alternates are further objects folders, searched after the main one
	// and before the folders its objects/info/alternates names, as git
	// orders them. During a pre-receive hook the pushed objects are in a
	// quarantine folder (the main one) and the repository's own objects are
	// an alternate. Relative paths are relative to the current folder.
	Alternates []string
	// MaxObjectSize is the largest object any read may allocate for; 0
	// means only the bounds the data itself sets.
	MaxObjectSize int64
}

// Store reads objects from an objects folder, its alternates, and the
// packs they hold. Packs are opened as a lookup first reaches them, so a
// pre-commit hook in a repository of many packs opens only those it
// searches. A Store is safe for concurrent use; each goroutine reads
// through its own Reader.
type Store struct {
	dirs     []string // objects folders, in search order
	packs    []*packSlot
	max      int64
	problems []error // alternates not followed (see Open)
}

// packSlot is a pack found in an objects folder, opened on first use.
type packSlot struct {
	base string
	once sync.Once
	p    *Pack
	err  error
}

func (ps *packSlot) get() (*Pack, error) {
	ps.once.Do(func() { ps.p, ps.err = OpenPack(ps.base) })
	return ps.p, ps.err
}

// maxAlternateDepth is how deep git itself follows alternates of
// alternates.
const maxAlternateDepth = 5

// Open opens the objects folder dir (a repository's .git/objects, or what
// GIT_OBJECT_DIRECTORY names) with its alternates.
//
// The alternates files come with the repository, so they are read as any
// file of the object store is (see openRegular), up to 1 MiB. An alternate
// that is not there is passed over, as git does; one that is not a folder,
// an alternates file that cannot be read, a chain of alternates deeper
// than git's five, and an alternate that leads back to a folder already
// on its chain (a loop) are not followed and are Problems: objects they
// would have held are then not found.
func Open(dir string, opts Options) (*Store, error) {
	s := &Store{max: opts.MaxObjectSize}
	seen := map[string]bool{}
	var add func(dir string, depth int, chain []string) error
	add = func(dir string, depth int, chain []string) error {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		if slices.Contains(chain, abs) {
			s.problems = append(s.problems, fmt.Errorf("alternate %s: loops back to an objects folder on its own chain: not followed", abs))
			return nil
		}
		if seen[abs] {
			return nil // named twice: searched once
		}
		if depth > maxAlternateDepth {
			s.problems = append(s.problems, fmt.Errorf("alternate %s: more than %d alternates deep: not followed", abs, maxAlternateDepth))
			return nil
		}
		seen[abs] = true
		if depth > 0 {
			fi, err := os.Stat(abs)
			if errors.Is(err, os.ErrNotExist) {
				return nil // git, too, passes over an alternate that is not there
			}
			if err != nil || !fi.IsDir() {
				what := "not a folder"
				if err != nil {
					what = err.Error()
				}
				s.problems = append(s.problems, fmt.Errorf("alternate %s: %s: not used", abs, what))
				return nil
			}
		}
		s.dirs = append(s.dirs, abs)
		chain = append(slices.Clip(chain), abs)
		names, err := readDir(filepath.Join(abs, "pack"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			if depth > 0 {
				s.problems = append(s.problems, fmt.Errorf("reading %s: %w", filepath.Join(abs, "pack"), err))
			} else {
				return fmt.Errorf("reading %s: %w", filepath.Join(abs, "pack"), err)
			}
		}
		for _, n := range names {
			if base, ok := strings.CutSuffix(n.Name(), ".pack"); ok && strings.HasPrefix(base, "pack-") &&
				!slices.ContainsFunc(names, func(m os.DirEntry) bool { return m.Name() == base+".idx" }) {
				// git reads no pack without its index, and neither can
				// this store; its objects are not read (qa13 HIGH-4:
				// keyscan scan reads the file).
				s.problems = append(s.problems, fmt.Errorf("%s: a pack without its index (.idx): its objects are not read (git index-pack makes one; keyscan scan reads the pack as a file)", filepath.Join(abs, "pack", n.Name())))
			}
			if base, ok := strings.CutSuffix(n.Name(), ".idx"); ok {
				base = filepath.Join(abs, "pack", base)
				if _, err := os.Stat(base + ".pack"); err != nil {
					continue
				}
				s.packs = append(s.packs, &packSlot{base: base})
			}
		}
		if depth == 0 {
			// Folders the caller names (git's environment during a hook
			// names the repository's own) start chains of their own.
			for _, alt := range opts.Alternates {
				if err := add(alt, 1, nil); err != nil {
					return err
				}
			}
		}
		altFile := filepath.Join(abs, "info", "alternates")
		b, err := readfile.File(altFile, false, maxAlternatesSize)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			s.problems = append(s.problems, fmt.Errorf("alternates file: %w: its folders are not searched", err))
			return nil
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			line = unquote(line)
			if !filepath.IsAbs(line) {
				line = filepath.Join(abs, line)
			}
			if err := add(line, depth+1, chain); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add(dir, 0, nil); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// SplitAlternates splits a GIT_ALTERNATE_OBJECT_DIRECTORIES value: paths
// separated by the list separator, each maybe in C-style double quotes.
func SplitAlternates(v string) []string {
	var out []string
	for v != "" {
		var p string
		if strings.HasPrefix(v, `"`) {
			end := 1
			for end < len(v) && v[end] != '"' {
				if v[end] == '\\' {
					end++
				}
				end++
			}
			p = unquote(v[:min(end+1, len(v))])
			v = v[min(end+1, len(v)):]
			v = strings.TrimPrefix(v, string(os.PathListSeparator))
		} else {
			var ok bool
			p, v, ok = strings.Cut(v, string(os.PathListSeparator))
			if !ok {
				v = ""
			}
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// unquote undoes git's C-style quoting of a path ("a\tb", "\303\251"); a
// path not in quotes is returned as it is.
func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'a', 'b', 'f', 'r', 'v':
			b.WriteByte(map[byte]byte{'a': 7, 'b': 8, 'f': 12, 'r': 13, 'v': 11}[c])
		case '0', '1', '2', '3':
			if i+2 < len(s) {
				b.WriteByte((c-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
				i += 2
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Dirs returns the objects folders searched, the main one first.
func (s *Store) Dirs() []string { return s.dirs }

// Packs opens and returns the packs of every objects folder.
func (s *Store) Packs() []*Pack {
	var out []*Pack
	for _, ps := range s.packs {
		if p, err := ps.get(); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// OpenProblems returns why alternates named were not followed (see Open),
// without opening a pack: what a reader of a few objects reports.
func (s *Store) OpenProblems() []error { return slices.Clone(s.problems) }

// Problems returns why alternates named were not followed (see Open),
// those first, as OpenProblems lists them, then why packs that exist could
// not be opened; their objects are then not found.
func (s *Store) Problems() []error {
	out := slices.Clone(s.problems)
	for _, ps := range s.packs {
		if _, err := ps.get(); err != nil {
			out = append(out, err)
		}
	}
	return out
}

// Close releases every pack's files.
func (s *Store) Close() error {
	var first error
	for _, ps := range s.packs {
		if ps.p != nil {
			if err := ps.p.Close(); first == nil {
				first = err
			}
		}
	}
	return first
}

// Locate returns the pack and offset of a packed object; ok is false when
// no pack holds it.
func (s *Store) Locate(id ID) (p *Pack, off int64, ok bool, err error) {
	for _, ps := range s.packs {
		p, err := ps.get()
		if err != nil {
			continue // its objects are not found; Problems says why
		}
		off, ok, err := p.Index.Find(id)
		if err != nil {
			return nil, 0, false, fmt.Errorf("%s: %w", p.Path, err)
		}
		if ok {
			return p, off, true, nil
		}
	}
	return nil, 0, false, nil
}

// Head returns the type and size of object id and up to n bytes of its
// content, inflating no more, wherever the store holds it whole: in a pack
// (git add writes a file over core.bigFileThreshold straight into one) or
// loose (LooseHead). A caller that refuses objects over a size learns it
// before it inflates the object (qa13 HIGH-7). ok is false when the store
// holds id only as a delta, or its packed entry cannot be read, or not at
// all: the caller reads it whole, which says why it cannot. git never
// stores a file over core.bigFileThreshold as a delta.
func (s *Store) Head(id ID, n int) (t Type, size int64, head []byte, ok bool, err error) {
	p, off, packed, err := s.Locate(id)
	if err != nil {
		return 0, 0, nil, false, nil
	}
	if !packed {
		return s.LooseHead(id, n)
	}
	e, err := p.Entry(off)
	if err != nil || e.Type == OFSDelta || e.Type == REFDelta {
		return 0, 0, nil, false, nil
	}
	var z Inflater
	if head, err = z.InflateHead(p, off, e, n); err != nil {
		return 0, 0, nil, false, nil
	}
	return e.Type, e.Size, head, true, nil
}

// LooseIDs calls fn for each loose object of every objects folder.
func (s *Store) LooseIDs(fn func(ID)) error {
	for _, d := range s.dirs {
		if err := looseIDs(d, fn); err != nil {
			return err
		}
	}
	return nil
}

// HasLoose reports whether some objects folder holds object id loose (a
// file by that name; its content is not read).
func (s *Store) HasLoose(id ID) bool {
	for _, d := range s.dirs {
		if _, err := os.Lstat(loosePath(d, id)); err == nil {
			return true
		}
	}
	return false
}

// Has reports whether the store holds object id, packed or loose.
func (s *Store) Has(id ID) bool {
	_, _, ok, _ := s.Locate(id)
	return ok || s.HasLoose(id)
}

// ReadLoose reads object id from the objects folders' loose objects only.
func (s *Store) ReadLoose(id ID) (Type, []byte, error) {
	for _, d := range s.dirs {
		t, data, ok, err := readLooseFile(d, id, s.max)
		if ok {
			return t, data, err
		}
	}
	return 0, nil, fmt.Errorf("object %s: %w", id, ErrNotFound)
}

// Reader reads whole objects, resolving delta chains, with an optional
// cache of resolved pack entries so that the successive versions of a
// file or directory, stored as one delta chain, share their resolution.
// It is not safe for concurrent use.
type Reader struct {
	s     *Store
	z     Inflater
	cache *lru
}

// NewReader returns a reader that keeps up to cacheBytes of resolved
// entries (0: none).
func (s *Store) NewReader(cacheBytes int64) *Reader {
	r := &Reader{s: s}
	if cacheBytes > 0 {
		r.cache = newLRU(cacheBytes)
	}
	return r
}

// Read returns the type and content of object id: packed, or loose. The
// content is the caller's to keep but not to modify: the reader never
// writes into it again, and a cached entry is handed out as it is.
func (r *Reader) Read(id ID) (Type, []byte, error) {
	return r.read(id, 0)
}

func (r *Reader) read(id ID, depth int) (Type, []byte, error) {
	p, off, ok, err := r.s.Locate(id)
	if err != nil {
		return 0, nil, err
	}
	if ok {
		t, data, err := r.readAt(p, off, depth)
		if err != nil {
			// A damaged packed copy: git reads the object from another
			// pack that holds it, or from a sound loose copy, when there
			// is one, and so does this.
			if ot, odata, oerr := r.readOther(id, p, depth); oerr == nil {
				return ot, odata, nil
			}
		}
		return t, data, err
	}
	return r.s.ReadLoose(id)
}

// ReadElsewhere reads object id from any copy but the one at off in pack
// p (nil: none left out): another pack that holds it, in the store's
// order, then a loose copy. It is how a reader in pack order (Walker) gets
// an object whose packed copy is damaged, as git does.
func (r *Reader) ReadElsewhere(id ID, p *Pack) (Type, []byte, error) {
	return r.readOther(id, p, 0)
}

// readOther reads id from a pack other than skip, then loose.
func (r *Reader) readOther(id ID, skip *Pack, depth int) (Type, []byte, error) {
	for _, ps := range r.s.packs {
		p, err := ps.get()
		if err != nil || p == skip {
			continue
		}
		off, ok, err := p.Index.Find(id)
		if err != nil || !ok {
			continue
		}
		if t, data, err := r.readAt(p, off, depth); err == nil {
			return t, data, nil
		}
	}
	return r.s.ReadLoose(id)
}

// ReadAt returns the type and content of the object at off in pack p.
func (r *Reader) ReadAt(p *Pack, off int64) (Type, []byte, error) {
	return r.readAt(p, off, 0)
}

func (r *Reader) readAt(p *Pack, off int64, depth int) (Type, []byte, error) {
	if r.cache != nil {
		if e, ok := r.cache.get(cacheKey{p, off}); ok {
			return e.typ, e.data, nil
		}
	}
	if depth > maxDepth {
		return 0, nil, fmt.Errorf("%s: %w", p.Path, errTooDeep)
	}
	e, raw, err := r.z.ReadEntry(p, off, r.s.max)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	return r.resolved(p, off, e, raw, depth)
}

// resolved returns the object the entry at off in pack p makes, whose
// header is e and data raw: raw itself, or the object a delta makes of
// its base; and it keeps the object in the cache.
func (r *Reader) resolved(p *Pack, off int64, e Entry, raw []byte, depth int) (Type, []byte, error) {
	t, data := e.Type, raw
	if e.Type == OFSDelta || e.Type == REFDelta {
		var base []byte
		var err error
		if e.Type == OFSDelta {
			t, base, err = r.readAt(p, e.BaseOffset, depth+1)
		} else {
			t, base, err = r.read(e.BaseID, depth+1)
		}
		if err != nil {
			return 0, nil, err
		}
		if n, ok := DeltaTargetSize(raw); !ok || (r.s.max > 0 && n > r.s.max) {
			return 0, nil, fmt.Errorf("%s: offset %d: %w", p.Path, off, ErrDelta)
		}
		if data, err = ApplyDelta(base, raw, nil); err != nil {
			return 0, nil, fmt.Errorf("%s: offset %d: %w", p.Path, off, err)
		}
	}
	if r.cache != nil {
		r.cache.put(cacheKey{p, off}, t, data)
	}
	return t, data, nil
}

// ReadPrefix returns the type of object id, its first limit bytes (all of
// it when it is no longer) and its whole size, inflating no more than that
// where the store holds it whole, packed or loose: a commit whose message
// is a gigabyte costs the limit, not the gigabyte (qa13 HIGH-7). A delta
// is read whole, as Read reads it. limit <= 0 reads it whole. A packed
// object whose entry's end is known (Pack.Load) costs one read of the
// pack (ReadEntryPrefix); elsewhere the entry's header is read first, and
// then the object as Read reads it. An object read whole is kept in the
// cache as Read keeps it: a history scan reads the commits its refs name
// to learn their types, and again in its walk (without the cache the
// second read inflated trufflehog's 5,000 refs' commits again, +1.2 % of
// the scan's instructions).
func (r *Reader) ReadPrefix(id ID, limit int64) (t Type, data []byte, size int64, err error) {
	if limit > 0 {
		p, off, packed, err := r.s.Locate(id)
		switch {
		case err != nil:
		case packed && p.offsets != nil:
			if t, data, size, ok := r.prefixAt(p, off, limit); ok {
				return t, data, size, nil
			}
		case packed:
			if e, err := p.Entry(off); err == nil && e.Type != OFSDelta && e.Type != REFDelta && e.Size > limit {
				if head, err := r.z.InflateHead(p, off, e, int(limit)); err == nil {
					return e.Type, head, e.Size, nil
				}
			}
		default:
			if _, size, _, ok, err := r.s.LooseHead(id, 0); ok && err == nil && size > limit {
				if t, size, head, ok, err := r.s.LooseHead(id, int(limit)); ok && err == nil {
					return t, head, size, nil
				}
			}
		}
	}
	t, data, err = r.Read(id)
	return t, data, int64(len(data)), err
}

// prefixAt is ReadPrefix of the entry at off in the loaded pack p; false
// when it cannot be read there: Read then reads the object (from another
// copy, if there is one) or says why it cannot.
func (r *Reader) prefixAt(p *Pack, off, limit int64) (Type, []byte, int64, bool) {
	if r.cache != nil {
		if e, ok := r.cache.get(cacheKey{p, off}); ok && int64(len(e.data)) <= limit {
			return e.typ, e.data, int64(len(e.data)), true
		}
	}
	e, raw, err := r.z.ReadEntryPrefix(p, off, r.s.max, limit)
	if err != nil {
		return 0, nil, 0, false
	}
	if e.Type != OFSDelta && e.Type != REFDelta && e.Size > int64(len(raw)) {
		return e.Type, raw, e.Size, true // its first limit bytes
	}
	t, data, err := r.resolved(p, off, e, raw, 0)
	if err != nil {
		return 0, nil, 0, false
	}
	return t, data, int64(len(data)), true
}

// ReadType reads object id and checks that it is of type want.
func (r *Reader) ReadType(id ID, want Type) ([]byte, error) {
	t, data, err := r.Read(id)
	if err != nil {
		return nil, err
	}
	if t != want {
		return nil, fmt.Errorf("object %s: is a %s, want a %s", id, t, want)
	}
	return data, nil
}

// cacheKey names a pack entry.
type cacheKey struct {
	pack *Pack
	off  int64
}

// lru is a byte-bounded least-recently-used cache of resolved pack entries.
// Its entries are their own list (the map holds them, each links to its
// neighbours): one allocation an entry, where container/list's element
// was a second, and a history's walk puts one for every tree and commit
// it reads.
type lru struct {
	max, size int64
	m         map[cacheKey]*lruEntry
	root      lruEntry // root.next is the most recently used, root.prev the least
}

type lruEntry struct {
	key        cacheKey
	typ        Type
	data       []byte
	prev, next *lruEntry
}

func newLRU(max int64) *lru {
	c := &lru{max: max, m: map[cacheKey]*lruEntry{}}
	c.root.prev, c.root.next = &c.root, &c.root
	return c
}

// unlink takes e out of the list.
func (c *lru) unlink(e *lruEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
}

// front puts e first in the list.
func (c *lru) front(e *lruEntry) {
	e.prev, e.next = &c.root, c.root.next
	c.root.next.prev = e
	c.root.next = e
}

func (c *lru) get(k cacheKey) (*lruEntry, bool) {
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	if c.root.next != e {
		c.unlink(e)
		c.front(e)
	}
	return e, true
}

func (c *lru) put(k cacheKey, t Type, data []byte) {
	if int64(len(data)) > c.max/4 {
		return
	}
	if _, ok := c.m[k]; ok {
		return
	}
	e := &lruEntry{key: k, typ: t, data: data}
	c.m[k] = e
	c.front(e)
	c.size += int64(len(data))
	for c.size > c.max {
		old := c.root.prev
		c.unlink(old)
		delete(c.m, old.key)
		c.size -= int64(len(old.data))
	}
}
