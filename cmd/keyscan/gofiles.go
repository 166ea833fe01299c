package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/scanner"
)

// goCollector gathers the Go files of a scan that might hold a key only
// constant folding reveals, so that their packages can be type-checked the
// way the go vet pass sees them (analyzer.ScanPackageDir).
//
// Type-checking every package of a large tree would cost many times the
// byte scan, so a file is a candidate only when its bytes could take part in
// such a key: a string literal that is the head of a key ID ("AKIA",
// "AKIAQ2TZ"), an escaped 'A', or a secret keyword next to a string
// concatenation.
type goCollector struct {
	mu   sync.Mutex
	dirs map[[2]string]bool // root, directory relative to the root
}

func newGoCollector() *goCollector { return &goCollector{dirs: map[[2]string]bool{}} }

func (g *goCollector) add(root, rel string, data []byte) {
	if !strings.HasSuffix(rel, ".go") || !mayHideKey(data) {
		return
	}
	g.mu.Lock()
	g.dirs[[2]string{root, path.Dir(rel)}] = true
	g.mu.Unlock()
}

// mayHideKey is the cheap byte-level test for a candidate Go file.
func mayHideKey(data []byte) bool {
	for _, esc := range []string{`\x41`, `\u0041`, `\101`} {
		if bytes.Contains(data, []byte(esc)) {
			return true
		}
	}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '"')
		if i < 0 {
			break
		}
		i += off
		if keyHead(data[i+1:]) {
			return true
		}
		off = i + 1
	}
	// A secret assembled from pieces: a line that names a secret and
	// concatenates, in a file that speaks of AWS.
	if !bytes.Contains(data, []byte("aws")) && !bytes.Contains(data, []byte("AWS")) && !bytes.Contains(data, []byte("Aws")) {
		return false
	}
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		if bytes.Contains(line, []byte{'+'}) && (bytes.Contains(line, []byte("ecret")) || bytes.Contains(line, []byte("ECRET"))) {
			return true
		}
	}
	return false
}

// keyHead reports whether b starts with a string literal's content that
// could be the first piece of a split key ID: a prefix of AKIA, ASIA, ABIA
// or ACCA, or one of them followed by fewer than 16 base32 characters, then
// the closing quote.
func keyHead(b []byte) bool {
	end := bytes.IndexByte(b[:min(len(b), 21)], '"')
	if end < 2 {
		return false
	}
	c := b[:end]
	for _, p := range []string{"AKIA", "ASIA", "ABIA", "ACCA"} {
		if len(c) <= 4 {
			if string(c) == p[:len(c)] {
				return true
			}
			continue
		}
		if string(c[:4]) != p || len(c) >= 20 {
			continue
		}
		ok := true
		for _, ch := range c[4:] {
			if !('A' <= ch && ch <= 'Z' || '2' <= ch && ch <= '7') {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// scan type-checks the candidate packages and returns what only folding finds.
func (g *goCollector) scan(ctx context.Context, sc *scanner.Scanner, e *env, quiet bool) scanner.Findings {
	keys := make([][2]string, 0, len(g.dirs))
	for k := range g.dirs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	var out scanner.Findings
	for _, k := range keys {
		root, dir := k[0], k[1]
		abs := dir
		relTo := "."
		if fi, err := os.Stat(root); err == nil && fi.IsDir() {
			abs, relTo = filepath.Join(root, filepath.FromSlash(dir)), root
		}
		entries, err := os.ReadDir(abs)
		if err != nil {
			continue // the walk has warned already
		}
		var files []string
		for _, en := range entries {
			if !en.IsDir() && strings.HasSuffix(en.Name(), ".go") {
				files = append(files, filepath.Join(abs, en.Name()))
			}
		}
		fs, err := analyzer.ScanPackageDir(ctx, sc, abs, files, relTo)
		if err != nil {
			if !quiet {
				fmt.Fprintf(e.stderr, "keyscan: warning: %s: type-checked scan: %v\n", dir, err)
			}
			continue
		}
		out = append(out, fs...)
	}
	return out
}
