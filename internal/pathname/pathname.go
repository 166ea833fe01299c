package pathname

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"
)

// Shown returns the path of the file rel (slash-separated, relative to
// root; empty for root itself) as a user opens it from the working
// directory: root joined with rel and cleaned, so "./a/../b" becomes "b" and
// an absolute root keeps the path absolute.
func Shown(root, rel string) string {
	return filepath.ToSlash(filepath.Join(root, filepath.FromSlash(rel)))
}

// Namer turns paths into keys: slash-separated paths relative to the top of
// the git work tree holding them, or to the working directory outside any
// work tree. It caches the work tree of each folder it has looked at and is
// safe for concurrent use.
type Namer struct {
	cwd  string
	mu   sync.Mutex
	tops map[string]string // absolute folder -> top of its work tree, "" for none
}

// NewNamer returns a Namer for paths given relative to cwd (or absolute).
// cwd must be absolute.
func NewNamer(cwd string) *Namer {
	return &Namer{cwd: filepath.Clean(cwd), tops: map[string]string{}}
}

// New returns a Namer for the process's working directory.
func New() (*Namer, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return NewNamer(wd), nil
}

// Abs returns p as an absolute, cleaned path.
func (n *Namer) Abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(n.cwd, p)
}

// Key returns the name of the file at p (relative to the working directory,
// or absolute) that fingerprints, baselines and SARIF URIs use: relative to
// the top of the git work tree holding p when there is one, else relative to
// the working directory. A path outside the working directory and outside
// any work tree stays absolute, since "../" names change with the directory
// keyscan runs in.
func (n *Namer) Key(p string) string {
	abs := n.Abs(p)
	if top := n.Top(filepath.Dir(abs)); top != "" {
		if rel, ok := under(top, abs); ok {
			return rel
		}
	}
	if rel, ok := under(n.cwd, abs); ok {
		return rel
	}
	return filepath.ToSlash(abs)
}

// In is the naming of the entries of one folder (Namer.In).
type In struct{ prefix string }

// In returns the naming of the entries of the folder dir: In(dir).Key(name)
// is Key(filepath.Join(dir, name)) for a name read from its listing (one
// path element, neither "." nor ".."), made by concatenation. A walk names
// every entry it lists, and Key cleaned each path twice and looked up its
// work tree under a lock (1.3 % of keyscan scan's instructions on moto's
// checkout): the folder's share is worked out once.
func (n *Namer) In(dir string) In { return n.in(n.Abs(dir)) }

// InListed is In for a folder whose listing the caller holds: hasGit says
// whether it has an entry called ".git". Without one the folder is no work
// tree's top and its top is its parent's, where In would lstat dir/.git to
// know (a system call on a full path for every folder a walk lists).
func (n *Namer) InListed(dir string, hasGit bool) In {
	abs := n.Abs(dir)
	if !hasGit {
		n.mu.Lock()
		_, known := n.tops[abs]
		n.mu.Unlock()
		if parent := filepath.Dir(abs); !known && parent != abs {
			top := n.Top(parent)
			n.mu.Lock()
			n.tops[abs] = top
			n.mu.Unlock()
		}
	}
	return n.in(abs)
}

// in is In of the absolute, cleaned folder abs.
func (n *Namer) in(abs string) In {
	rel, ok := "", false
	if top := n.Top(abs); top != "" {
		rel, ok = under(top, abs)
	}
	if !ok {
		rel, ok = under(n.cwd, abs)
	}
	switch {
	case !ok:
		rel = filepath.ToSlash(abs)
	case rel == ".":
		return In{}
	}
	if !strings.HasSuffix(rel, "/") {
		rel += "/"
	}
	return In{rel}
}

// Key returns the key of the entry name of the folder.
func (in In) Key(name string) string { return in.prefix + filepath.ToSlash(name) }

// Top returns the top folder of the git work tree holding the absolute
// folder dir, or "" when it is in none: the nearest folder, dir itself
// included, holding a ".git" folder with a HEAD or a ".git" file (a linked
// work tree or a submodule has a file).
func (n *Namer) Top(dir string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var seen []string
	top := ""
	for d := dir; ; {
		if t, ok := n.tops[d]; ok {
			top = t
			break
		}
		seen = append(seen, d)
		if isWorkTreeTop(d) {
			top = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	for _, d := range seen {
		n.tops[d] = top
	}
	return top
}

// isWorkTreeTop reports whether folder d holds a .git file (a linked work
// tree, a submodule) or a .git folder with a HEAD: a folder merely called
// .git (a tarball's app/.git/prod.env, which the file walk scans) does not
// make app a work tree.
func isWorkTreeTop(d string) bool {
	fi, err := os.Lstat(filepath.Join(d, ".git"))
	if err != nil {
		return false
	}
	if !fi.IsDir() {
		return true
	}
	_, err = os.Lstat(filepath.Join(d, ".git", "HEAD"))
	return err == nil
}

// under returns abs relative to dir, slash-separated, when abs is dir or
// below it.
// Within reports whether p is dir or lies below it, both named the same way
// (both absolute, or both relative to one folder). It is the one test of
// "inside the root" that the walker, fix's writes and the Go scan share.
func Within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func under(dir, abs string) (string, bool) {
	if abs == dir {
		return ".", true
	}
	prefix := dir
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	if !strings.HasPrefix(abs, prefix) {
		return "", false
	}
	return filepath.ToSlash(abs[len(prefix):]), true
}

// Bytes is the file_bytes of a name in every JSON keyscan writes (report,
// baseline, audit log): its bytes in standard base64 when name is not
// UTF-8 (a file on Linux may be named with any bytes but '/' and NUL), ""
// otherwise. A JSON string holds only UTF-8, so the name itself is then a
// lossy copy for people (U+FFFD for each byte that is not UTF-8), and
// file_bytes the name a script can open.
func Bytes(name string) string {
	if utf8.ValidString(name) {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(name))
}

// BytesAll is Bytes of each name, in order; nil when every name is UTF-8.
func BytesAll(names []string) []string {
	var out []string
	for i, n := range names {
		if b := Bytes(n); b != "" {
			if out == nil {
				out = make([]string, len(names))
			}
			out[i] = b
		}
	}
	return out
}
