package config

import (
	"os"
	"path"
	"path/filepath"

	"github.com/keyscan/keyscan/internal/pathname"
)

// Scope is the configuration that governs a file and the folder its path
// globs (include, exclude, allow.paths) start from.
//
// One file has one scope, whatever path it was named by and wherever
// keyscan runs: inside a git work tree it is the top's .keyscan.toml (or
// the file --config names) with paths from the top, as a commit, the
// history and the server gate name them. A scope that moved with the path
// named judged one file two ways: `keyscan scan .` obeyed the top's
// exclusions and `keyscan scan sub` did not, and a sub/.keyscan.toml with
// exclude = ["**"], added in the same change as a key, silenced the CI job
// that scans the changed files while `scan .` ignored it (qa34 5b). A
// .keyscan.toml below the top is therefore no configuration anywhere.
//
// Outside a work tree there is no top: the configuration is the nearest
// .keyscan.toml at or above the folder, with paths from its folder, so that
// `keyscan scan DIR` and `keyscan scan DIR/FILE` still agree. The search
// stops below a folder every user can write to (/tmp): a file there is no
// owner's word, and one folder above every scan must not make them all fail.
type Scope struct {
	// Path is the configuration file, "" for none (the defaults).
	Path string
	// Base is the absolute folder, links resolved, that the globs' paths
	// start from.
	Base string
}

// ScopeOf returns the scope of the folder dir, and dir's '/'-separated
// path from the scope's base ("" for the base itself). named is the
// configuration --config names ("" for none): it replaces the file the
// search would find, not the base. A folder that cannot be resolved has
// the scope of the named configuration, based at dir as given: the caller
// reports what it cannot read.
func ScopeOf(dir, named string) (s Scope, rel string, err error) {
	real, err := filepath.EvalSymlinks(dir)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		abs, _ := filepath.Abs(dir)
		return Scope{Path: named, Base: abs}, "", nil
	}
	if top := pathname.NewNamer(real).Top(real); top != "" {
		s = Scope{Path: named, Base: top}
		if named == "" {
			s.Path, err = Find(top)
		}
		return s, relFrom(top, real), err
	}
	if named != "" {
		return Scope{Path: named, Base: real}, "", nil
	}
	for d := real; ; {
		// The folder named is looked in by the name it was given, so
		// that an error names it as the user did.
		look := d
		if d == real {
			look = dir
		}
		p, err := Find(look)
		if err != nil || p != "" {
			return Scope{Path: p, Base: d}, relFrom(d, real), err
		}
		up := filepath.Dir(d)
		if up == d || writableByAll(up) {
			return Scope{Base: real}, "", nil
		}
		d = up
	}
}

// FileIn joins the path from a scope's base of a folder (ScopeOf's rel)
// and a name in it.
func FileIn(rel, name string) string {
	return path.Join(rel, filepath.ToSlash(name))
}

// relFrom is the '/'-separated path of folder d below base ("" for base).
func relFrom(base, d string) string {
	rel, err := filepath.Rel(base, d)
	if err != nil || rel == "." {
		return ""
	}
	return filepath.ToSlash(rel)
}

func writableByAll(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.Mode().Perm()&0o002 != 0
}
