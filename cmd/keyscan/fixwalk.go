package main

import "io/fs"

// walkFiles calls visit with the '/'-separated path below the target's
// root of each regular file there, and its entry, in the order
// filepath.WalkDir gives them (no link followed). The walk stops looking
// after limit entries, folders included, so that a huge tree costs a
// bounded read, and never goes into a folder below the root that skipDir
// names (given its name and path below the root). The rules of keyscan fix
// that look across the run for a file that holds a key's endpoint share it.
func (t fixTarget) walkFiles(limit int, skipDir func(name, rel string) bool, visit func(rel string, de fs.DirEntry)) {
	t.walkFilesUntil(limit, skipDir, func(rel string, de fs.DirEntry) bool {
		visit(rel, de)
		return true
	})
}

// walkFilesUntil is walkFiles whose visit says whether to go on: the walk
// ends at the first false (a rule that found what it looked for, or read
// as many files as it may).
func (t fixTarget) walkFilesUntil(limit int, skipDir func(name, rel string) bool, visit func(rel string, de fs.DirEntry) bool) {
	n := 0
	t.cache.walkRel(t.root, func(p, r string, de fs.DirEntry, err error) error {
		if n++; err != nil || n > limit {
			if de != nil && de.IsDir() && p != t.root {
				return fs.SkipDir
			}
			return nil
		}
		if r == "" {
			return nil
		}
		if de.IsDir() {
			if p != t.root && skipDir(de.Name(), r) {
				return fs.SkipDir
			}
			return nil
		}
		if de.Type().IsRegular() && !visit(r, de) {
			return fs.SkipAll
		}
		return nil
	})
}

// gitOrModules skips the folders no rule looks into: git's own and npm's.
func gitOrModules(name, _ string) bool { return name == ".git" || name == "node_modules" }
