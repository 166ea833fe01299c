package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/staged"
)

// scopes finds the configuration scope (config.Scope) of each root a
// command is given, once per folder: the pre-commit framework names every
// file of a repository, most of them in a few folders.
type scopes struct {
	named string // --config, "" for none
	dirs  map[string]folderScope
	// looked is the folders (absolute, links resolved) already searched
	// for a nested .keyscan.toml (nestedAbove), with their parents.
	looked map[string]bool
}

type folderScope struct {
	scope config.Scope
	rel   string // the folder's path from scope.Base
	err   error
}

func newScopes(named string) *scopes {
	return &scopes{named: named, dirs: map[string]folderScope{}, looked: map[string]bool{}}
}

// of returns the scope of root (a folder, or a file: its folder's) and
// root's '/'-separated path from the scope's base ("" for the base
// itself), and whether root is a file. A root that is a link is judged
// where it leads, as it is read there.
func (s *scopes) of(root string) (_ config.Scope, rel string, isFile bool, err error) {
	dir, name := root, ""
	if fi, err := os.Lstat(root); err == nil && !fi.IsDir() {
		if fi.Mode()&fs.ModeSymlink == 0 {
			dir, name, isFile = filepath.Dir(root), filepath.Base(root), true
		} else if real, err := filepath.EvalSymlinks(root); err == nil {
			dir = real
			if st, err := os.Stat(real); err == nil && !st.IsDir() {
				dir, name, isFile = filepath.Dir(real), filepath.Base(real), true
			} // else a folder, or a link that leads nowhere: the walk says so
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return config.Scope{}, "", false, err
	}
	f, ok := s.dirs[abs]
	if !ok {
		f.scope, f.rel, f.err = config.ScopeOf(dir, s.named)
		s.dirs[abs] = f
	}
	return f.scope, config.FileIn(f.rel, name), isFile, f.err
}

// nestedAbove returns the .keyscan.toml files in the folders from dir (a
// file root's) up to the scope's base, not the base's own: before one
// scope, each of them governed the file named, so that a run naming
// sub/fixture.env beside a sub/.keyscan.toml, which the walk never reads,
// still says that file governs nothing. Each folder is looked in once.
func (s *scopes) nestedAbove(dir, base string) []nestedFile {
	real, err := filepath.EvalSymlinks(dir)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil || base == "" {
		return nil
	}
	var found []nestedFile
	for d := real; d != base && pathname.Within(base, d) && !s.looked[d]; d = filepath.Dir(d) {
		s.looked[d] = true
		p := filepath.Join(d, config.FileName)
		if _, err := os.Lstat(p); err == nil {
			found = append(found, nestedFile{key: p, shown: shownFromHere(p)})
		}
	}
	return found
}

// shownFromHere is the absolute path p as a warning shows it: from the
// current folder when it is below it, else whole.
func shownFromHere(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return p
}

// rootGroup is the roots of a scan that one scope governs.
type rootGroup struct {
	roots []string
	cfg   *config.Config
	sc    *scanner.Scanner
	scope config.Scope
	paths map[string]string // each root's path from scope.Base (walk.Options.RootPath)
	files map[string]bool   // the roots that are files (their path names the file, not a folder)
	// nested is the .keyscan.toml files between the file roots and the
	// scope's base (scopes.nestedAbove), for the warning that they
	// govern nothing.
	nested []nestedFile
}

// rootPath is the group's walk.Options.RootPath.
func (g *rootGroup) rootPath(root string) string { return g.paths[root] }

// configGroups sorts the roots by the scope that governs each (scopes.of):
// one configuration and one folder its paths start from, so that one
// tree's exclusions and allowed values never silence another tree
// scanned in the same run, whichever is named first, and a file is judged
// the same whichever path names it. Roots keep their order within a
// group, and groups the order of their first root.
func configGroups(c *commonFlags, roots []string) ([]rootGroup, error) {
	var (
		groups []rootGroup
		index  = map[config.Scope]int{}
		named  *config.Config // --config's, loaded once
		namedS *scanner.Scanner
		ss     = newScopes(c.configPath)
	)
	for _, root := range roots {
		s, rel, isFile, err := ss.of(root)
		if err != nil {
			return nil, err
		}
		if s.Path != "" && s.Path != c.configPath {
			if s.Path, err = filepath.Abs(s.Path); err != nil {
				return nil, err
			}
		}
		var nested []nestedFile
		if real, err := filepath.EvalSymlinks(root); err == nil && isFile {
			nested = ss.nestedAbove(filepath.Dir(real), s.Base)
		}
		if i, ok := index[s]; ok {
			groups[i].nested = append(groups[i].nested, nested...)
			groups[i].roots = append(groups[i].roots, root)
			groups[i].paths[root] = rel
			groups[i].files[root] = isFile
			continue
		}
		g := rootGroup{roots: []string{root}, scope: s, paths: map[string]string{root: rel}, files: map[string]bool{root: isFile}, nested: nested}
		switch {
		case c.configPath != "" && named != nil:
			g.cfg, g.sc = named, namedS
		default:
			if g.cfg, err = loadFound(s.Path); err != nil {
				return nil, err
			}
			if g.sc, err = scanner.New(g.cfg.ScannerOptions()); err != nil {
				return nil, err
			}
			if c.configPath != "" {
				named, namedS = g.cfg, g.sc
			}
		}
		index[s] = len(groups)
		groups = append(groups, g)
	}
	if named != nil {
		c.sc = namedS
	}
	return groups, nil
}

// withoutExcluded takes out of each group the files named as roots that
// its configuration excludes, by their path from the scope's base, and
// returns them: keyscan staged FILE... (the pre-commit framework, which
// names every file of the repository, fixtures included) says so in one
// line rather than one a file.
func withoutExcluded(groups []rootGroup) (kept []rootGroup, excluded []string) {
	for _, g := range groups {
		var in []string
		for _, r := range g.roots {
			if g.files[r] && g.cfg.Excluded(g.paths[r]) {
				excluded = append(excluded, r)
				continue
			}
			in = append(in, r)
		}
		if len(in) > 0 {
			g.roots = in
			kept = append(kept, g)
		}
	}
	return kept, excluded
}

// nestedConfigs notes the .keyscan.toml files below a scope's base that
// a run reads or that would have governed a file it was named: they
// govern nothing (config.Scope), and a run that meets one says so once,
// rather than ignoring it without a word.
type nestedConfigs struct {
	mu    sync.Mutex
	seen  map[string]bool // the files noted, by their absolute path (a commit's: from the top)
	first string
}

// nestedFile is a nested .keyscan.toml: its absolute path, links
// resolved (a commit's: its path from the top), and as shown.
type nestedFile struct{ key, shown string }

// note is called for each file scanned in the scope whose base is base.
func (nc *nestedConfigs) note(base, path, shown string) {
	if filepath.Base(path) != config.FileName {
		return
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err == nil {
		dir, err = filepath.Abs(dir)
	}
	if err != nil {
		nc.add(nestedFile{key: path, shown: shown})
		return
	}
	if dir != base {
		nc.add(nestedFile{key: filepath.Join(dir, config.FileName), shown: shown})
	}
}

// add notes the nested configuration f, once whatever path names it.
func (nc *nestedConfigs) add(f nestedFile) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	if nc.seen[f.key] {
		return
	}
	if nc.seen == nil {
		nc.seen = map[string]bool{}
	}
	nc.seen[f.key] = true
	if nc.first == "" || f.shown < nc.first {
		nc.first = f.shown
	}
}

// nestedStaged is the warning for the .keyscan.toml files below the top
// that a commit adds or changes (staged's index mode, where the top's
// governs the commit), "" for none.
func nestedStaged(files []staged.File) string {
	var nc nestedConfigs
	for _, f := range files {
		if f.Status != staged.Deleted && f.Path != config.FileName && path.Base(f.Path) == config.FileName {
			nc.add(nestedFile{key: f.Path, shown: f.Path})
		}
	}
	return nc.warning()
}

// warning is the line that says so, "" when no file was noted.
func (nc *nestedConfigs) warning() string {
	if len(nc.seen) == 0 {
		return ""
	}
	more := ""
	if len(nc.seen) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(nc.seen)-1)
	}
	return fmt.Sprintf("%s%s: not read as a configuration: only the .keyscan.toml at the top of the git work tree "+
		"(outside one, the nearest at or above the folder named) or the --config file governs a file, whatever path names it; "+
		"one below it is scanned as any file, and its settings apply nowhere (move them to the top's)", nc.first, more)
}
