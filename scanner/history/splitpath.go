package history

import (
	"fmt"
	"path"
)

// A secret access key holds '/' one time in four, and a name cannot: saved
// as a path, such a secret is split into folders, and no one name of the
// path holds it. keyscan scan and staged scan each path whole
// (scanner.Scanner.ScanPath); the walk here scans names once each (intern),
// so it scans the whole path too where a name continues a run of a key's
// alphabet that the folder's path ends with, or holds one itself (the run
// ScanPath needs, '/' included): a value found there that reaches into the
// name is a path finding, as one in the name alone is (pathHit). Each
// (folder, name) pair is scanned once.
//
// A tree walked whole before under another path is not walked again (an
// alias, see walkTree); its names below the new path are checked the same
// way, as deep as the run goes on through whole names, at most
// maxAliasPathChecks paths in a scan (a git bomb of such names): past that,
// a warning counted as unreadable.

// keyRunMin is the shortest run of a key's alphabet that can hold a key
// (a key ID is 20 characters; scanner.ScanPath's own test).
const keyRunMin = 20

// maxRunDepth bounds how far into an alias a run is followed: a key and the
// words before it that name it are well within it.
const maxRunDepth = 128

const maxAliasPathChecks = 1 << 16

func keyChar(c byte) bool {
	return c == '+' || c == '/' || c == '=' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// trailingRun is the length of the run of a key's alphabet that ends s.
func trailingRun(s string) int {
	n := 0
	for n < len(s) && keyChar(s[len(s)-1-n]) {
		n++
	}
	return n
}

// nameRun returns whether name, below a folder whose path ends with a run
// of tail characters of a key's alphabet, holds or continues a run long
// enough for a key, and the run that goes on past it (-1 when the name
// breaks it).
func nameRun(tail int, name string) (long bool, after int) {
	run := tail + 1 // the '/' before the name
	for i := 0; i < len(name); i++ {
		if !keyChar(name[i]) {
			run = 0
			continue
		}
		if run++; run >= keyRunMin {
			long = true
		}
	}
	if run < len(name)+1 {
		return long, -1 // broken inside the name: nothing below continues tail
	}
	return long, run
}

// splitHit reports whether the path of name in folder dir holds a
// credential that reaches into name, when the name alone does not (see
// above); it scans each (dir, name) once.
func (s *scan) splitHit(dir, name int32) bool {
	dirPath := s.paths[dir]
	if dirPath == "" {
		return false
	}
	k := pathKey{dir, name}
	if hit, ok := s.splitSeen[k]; ok {
		return hit
	}
	if s.splitSeen == nil {
		s.splitSeen = map[pathKey]bool{}
	}
	n := s.nameList[name]
	long, _ := nameRun(trailingRun(dirPath), n)
	hit := long && len(s.sc.ScanPath(dirPath+"/"+n, len(dirPath)+1).Reported()) > 0
	s.splitSeen[k] = hit
	return hit
}

// aliasPathHits checks the names below node n, a tree walked before and met
// again at dir (an alias), as the walk would have checked them there.
func (s *scan) aliasPathHits(n int32, dir string, commit int32) {
	if commit < 0 || dir == "" {
		return
	}
	s.aliasRun(n, dir, trailingRun(dir), commit)
}

func (s *scan) aliasRun(n int32, dir string, tail int, commit int32) {
	if f, ok := s.aliases[n]; ok {
		n = f
	}
	check := func(name string) (after int) {
		long, after := nameRun(tail, name)
		if !long && after < 0 {
			return -1
		}
		if s.aliasChecks >= maxAliasPathChecks {
			if s.aliasChecks == maxAliasPathChecks {
				s.aliasChecks++
				s.warn("", dir, fmt.Sprintf("more than %d paths below folders met again under other names continue a run of a key's characters: "+
					"the paths past that were not scanned whole (a secret split into folders by its '/' could be among them)", maxAliasPathChecks))
				s.stats.Unreadable++
			}
			return -1
		}
		s.aliasChecks++
		p := dir + "/" + name
		if !s.nameHitOf(name) && long && len(s.sc.ScanPath(p, len(dir)+1).Reported()) > 0 {
			s.pathHit(p, commit)
		}
		return after
	}
	for _, f := range s.nodes[n].files {
		check(s.nameList[f.name])
	}
	for _, sub := range s.nodes[n].subdirs {
		name := path.Base(s.nodes[sub].path)
		if after := check(name); after >= 0 && after < maxRunDepth {
			s.aliasRun(sub, dir+"/"+name, after, commit)
		}
	}
}

// nameHitOf reports whether the name alone holds a credential: the walk
// records its paths already (pathHit).
func (s *scan) nameHitOf(name string) bool {
	id, ok := s.names[name]
	return ok && s.nameHit[id]
}
