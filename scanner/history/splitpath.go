package history

import (
	"crypto/sha256"
	"encoding/base64"
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
// alias, see walkTree), unless the folder's new path may begin a secret
// that the names below it end (splitContext): then it is walked again at
// the new path, as the path filters make it, up to maxRepeatedTrees times.

// keyRunMin is the shortest run of a key's alphabet that can hold a key
// (a key ID is 20 characters; scanner.ScanPath's own test).
const keyRunMin = 20

// secretLen is the length of a secret access key.
const secretLen = 40

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

// nameRun reports whether name, below a folder whose path ends with a run
// of tail characters of a key's alphabet, holds or continues a run long
// enough for a key.
func nameRun(tail int, name string) bool {
	run := tail + 1 // the '/' before the name
	for i := 0; i < len(name); i++ {
		if !keyChar(name[i]) {
			run = 0
			continue
		}
		if run++; run >= keyRunMin {
			return true
		}
	}
	return false
}

// splitHit reports whether the path of name in folder dir holds a
// credential that reaches into name, when the name alone does not (see
// above); it scans each (dir, name) once. Only a name that can continue a
// key's run is remembered: the others are told at once, and a folder of
// 100,000 names costs no map of them (qa16 MEDIUM-2).
func (s *scan) splitHit(dir, name int32) bool {
	dirPath := s.paths[dir]
	if dirPath == "" || !nameRun(trailingRun(dirPath), s.nameList[name]) {
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
	hit := len(s.sc.ScanPath(dirPath+"/"+n, len(dirPath)+1).Reported()) > 0
	s.splitSeen[k] = hit
	return hit
}

// splitContext reports whether a secret could begin in the folder path of
// dir and end in a name below it: whether, put where such a value would
// start (after a character no key holds, or an '=', in the path's last
// secretLen characters, or after the path's last '/'), a secret-shaped
// value is found there (splitProbe). It is asked once per folder path, and
// only of a folder whose tree the walk has met before elsewhere.
func (s *scan) splitContext(dir int32) bool {
	d := s.paths[dir]
	if d == "" {
		return false
	}
	if hit, ok := s.splitCtx[dir]; ok {
		return hit
	}
	if s.splitCtx == nil {
		s.splitCtx = map[int32]bool{}
	}
	probe := splitProbe()
	try := func(prefix string) bool {
		return len(s.sc.ScanPath(prefix+probe, len(prefix)).Reported()) > 0
	}
	hit := try(d + "/")
	for i := len(d) - 1; !hit && i >= 0 && i >= len(d)-secretLen; i-- {
		if c := d[i]; !keyChar(c) || c == '=' {
			hit = try(d[:i+1])
		}
	}
	s.splitCtx[dir] = hit
	return hit
}

// splitProbe is a value shaped like a secret access key (40 characters of
// base64 from a SHA-256), made at run time: no key-shaped literal lives in
// the source.
func splitProbe() string {
	sum := sha256.Sum256([]byte("keyscan: where a secret split into folders would begin"))
	return base64.StdEncoding.EncodeToString(append(sum[:], sum[:]...))[:secretLen]
}
