package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// goCollector gathers the Go files of a scan that might hold a key only
// constant folding reveals, so that their packages can be type-checked the
// way the go vet pass sees them (analyzer.ScanPackageDir).
//
// Type-checking every package of a large tree would cost many times the
// byte scan, so a file is a candidate only when its bytes could take part in
// such a key: a string literal that is the head of a key ID ("AKIA",
// "AKIAQ2TZ"), a piece of its prefix ("AK" + …), the rest of a key ID after
// a + ("IA…" after a constant "AK" of another file), an escaped 'A', or a
// secret keyword next to a string concatenation.
//
// Only the files the walk vetted are type-checked (regular files inside the
// root, never a link or a FIFO put next to them), and findings are
// fingerprinted by their name in the work tree, as the walk's are.
type goCollector struct {
	namer *pathname.Namer
	roots []string // the scan's roots, absolute: imports resolve inside them only
	mu    sync.Mutex
	dirs  map[string]string   // directory on disk (absolute) -> as reported, for candidates
	files map[string][]string // directory on disk (absolute) -> its Go files the walk scanned
	disk  map[string]string   // a Go file as reported -> on disk (absolute)
	// imports: the packages the type-checked scan imports, read once per
	// scan however many candidate packages import them.
	imports *analyzer.ImportCache
}

func newGoCollector(n *pathname.Namer, roots []string) *goCollector {
	g := &goCollector{namer: n, dirs: map[string]string{}, files: map[string][]string{}, disk: map[string]string{},
		imports: analyzer.NewImportCache()}
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		if st, err := os.Stat(abs); err == nil && !st.IsDir() {
			abs = filepath.Dir(abs)
		}
		g.roots = append(g.roots, abs)
	}
	return g
}

// rootOf returns the scan root holding dir (the deepest, when roots nest).
func (g *goCollector) rootOf(dir string) string {
	best := ""
	for _, r := range g.roots {
		if pathname.Within(r, dir) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

func (g *goCollector) add(file, shown string, data []byte) {
	if !strings.HasSuffix(shown, ".go") {
		return
	}
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return
	}
	candidate := mayHideKey(data)
	g.mu.Lock()
	g.files[dir] = append(g.files[dir], filepath.Join(dir, filepath.Base(file)))
	g.disk[shown] = filepath.Join(dir, filepath.Base(file))
	if candidate {
		g.dirs[dir] = path.Dir(shown)
	}
	g.mu.Unlock()
}

// mayHideKey is the cheap byte-level test for a candidate Go file.
func mayHideKey(data []byte) bool {
	if escapedKeyStart(data) {
		return true
	}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '"')
		if i < 0 {
			break
		}
		i += off
		if keyHead(data[i+1:]) || splitHead(data, i) || keyTail(data, i) {
			return true
		}
		off = i + 1
	}
	// A secret assembled from pieces: a line that names a secret and
	// concatenates, in a file that speaks of AWS.
	if !mentionsAWS(data) {
		return false
	}
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		if bytes.Contains(line, []byte{'+'}) && (bytes.Contains(line, []byte("ecret")) || bytes.Contains(line, []byte("ECRET"))) {
			return true
		}
	}
	return false
}

// escapedKeyStart reports whether the data holds a key prefix (AKIA, ASIA,
// ABIA, ACCA) written with escapes: \x41KIA, \u0041\u004b\u0049\u0041...
func escapedKeyStart(data []byte) bool {
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\\')
		if i < 0 {
			return false
		}
		i += off
		var head [4]byte
		j := i
		for n := 0; n < 4 && j < len(data); n++ {
			c, w := goEscape(data[j:])
			head[n], j = c, j+w
		}
		switch string(head[:]) {
		case "AKIA", "ASIA", "ABIA", "ACCA":
			return true
		}
		off = i + 1
	}
}

// goEscape decodes one character of a Go string literal's body: \xHH,
// \uHHHH, \OOO or a plain byte, and returns it with its length.
func goEscape(b []byte) (byte, int) {
	if len(b) == 0 {
		return 0, 1
	}
	if b[0] != '\\' || len(b) < 2 {
		return b[0], 1
	}
	parse := func(digits []byte, base int) (byte, bool) {
		v, err := strconv.ParseUint(string(digits), base, 8)
		return byte(v), err == nil
	}
	switch {
	case b[1] == 'x' && len(b) >= 4:
		if c, ok := parse(b[2:4], 16); ok {
			return c, 4
		}
	case b[1] == 'u' && len(b) >= 6 && b[2] == '0' && b[3] == '0':
		if c, ok := parse(b[4:6], 16); ok {
			return c, 6
		}
	case '0' <= b[1] && b[1] <= '3' && len(b) >= 4:
		if c, ok := parse(b[1:4], 8); ok {
			return c, 4
		}
	}
	return b[0], 1
}

// mentionsAWS reports whether "aws" stands at the start of a word
// (aws_secret, AWS, github.com/aws/...): not inside "draws".
func mentionsAWS(data []byte) bool {
	for _, w := range []string{"aws", "AWS", "Aws"} {
		for off := 0; ; {
			i := bytes.Index(data[off:], []byte(w))
			if i < 0 {
				break
			}
			i += off
			if i == 0 || !('a' <= data[i-1]|0x20 && data[i-1]|0x20 <= 'z') {
				return true
			}
			off = i + len(w)
		}
	}
	return false
}

// keyHead reports whether b starts with a string literal's content that
// could be the first piece of a split key ID: AKIA, ASIA, ABIA or ACCA,
// alone or followed by fewer than 16 base32 characters, then the closing
// quote.
func keyHead(b []byte) bool {
	end := bytes.IndexByte(b[:min(len(b), 21)], '"')
	if end < 4 || end >= 20 {
		return false
	}
	c := b[:end]
	switch string(c[:4]) {
	case "AKIA", "ASIA", "ABIA", "ACCA":
	default:
		return false
	}
	for _, ch := range c[4:] {
		if !('A' <= ch && ch <= 'Z' || '2' <= ch && ch <= '7') {
			return false
		}
	}
	return true
}

// splitHead reports whether the string literal opening at data[q] holds a
// piece of a key ID's prefix itself ("AK" + "IA…", a const "AKI" that
// another file continues): "A" followed by a +, two or three letters of
// AKIA, ASIA, ABIA or ACCA next to a +, or three making up a line's value.
// Two letters alone ("AB", "AS") are too common in code to type-check every
// package that holds them.
func splitHead(data []byte, q int) bool {
	if q > 0 && data[q-1] == '\\' {
		return false // an escaped quote inside another literal
	}
	end := bytes.IndexByte(data[q+1:min(len(data), q+5)], '"')
	if end < 1 {
		return false
	}
	c := string(data[q+1 : q+1+end])
	var heads []string
	for _, h := range []string{"AKIA", "ASIA", "ABIA", "ACCA"} {
		if strings.HasPrefix(h, c) {
			heads = append(heads, h)
		}
	}
	if len(heads) == 0 {
		return false
	}
	after := bytes.TrimLeft(data[q+2+end:], " \t")
	plusAfter := len(after) > 0 && after[0] == '+'
	if plusAfter {
		// "A" + "KIA…": the next operand must go on with the head; "AK" +
		// may be followed by a constant.
		next := bytes.TrimLeft(after[1:], " \t\r\n")
		if len(next) > 1 && next[0] == '"' {
			for _, h := range heads {
				if next[1] == h[len(c)] {
					return true
				}
			}
			return false
		}
		return len(c) > 1
	}
	if len(c) == 1 {
		return false
	}
	before := bytes.TrimRight(data[:q], " \t\r\n")
	plusBefore := len(before) > 0 && before[len(before)-1] == '+'
	lineEnd := len(after) == 0 || after[0] == '\n' || after[0] == '\r' || bytes.HasPrefix(after, []byte("//"))
	return plusBefore || len(c) == 3 && lineEnd && len(before) > 0 && before[len(before)-1] == '='
}

// keyTail reports whether the string literal opening at data[q] goes on
// with a key ID whose head is a constant elsewhere: after a +, the rest of
// a prefix ("IA" after "AK", "KIA" after "A", "CA" after "AC"…) and the
// ID's 16 base32 characters, or at least 8 of them before another +. The
// head alone ("AK" in a file of its own) is too common a literal to make
// every file that holds it a candidate; this piece makes the package one.
func keyTail(data []byte, q int) bool {
	if q > 0 && data[q-1] == '\\' {
		return false // an escaped quote inside another literal
	}
	before := bytes.TrimRight(data[:q], " \t\r\n")
	if len(before) == 0 || before[len(before)-1] != '+' {
		return false
	}
	end := bytes.IndexByte(data[q+1:min(len(data), q+24)], '"')
	if end < 0 {
		return false
	}
	c := data[q+1 : q+1+end]
	for _, t := range []string{"KIA", "SIA", "BIA", "CCA", "IA", "CA"} {
		rest, ok := bytes.CutPrefix(c, []byte(t))
		if !ok || len(rest) < 8 || len(rest) > 16 || bytes.ContainsFunc(rest, func(r rune) bool { return !('A' <= r && r <= 'Z' || '2' <= r && r <= '7') }) {
			continue
		}
		if len(rest) == 16 {
			return true
		}
		if after := bytes.TrimLeft(data[q+2+end:], " \t"); len(after) > 0 && after[0] == '+' {
			return true
		}
	}
	return false
}

// scan type-checks the candidate packages and returns what only folding finds.
func (g *goCollector) scan(ctx context.Context, sc *scanner.Scanner, e *env, quiet bool) scanner.Findings {
	dirs := make([]string, 0, len(g.dirs))
	for d := range g.dirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var (
		mu   sync.Mutex
		out  scanner.Findings
		wg   sync.WaitGroup
		next = make(chan string)
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dir := range next {
				fs := g.scanDir(ctx, sc, dir, g.dirs[dir], e, quiet)
				mu.Lock()
				out = append(out, fs...)
				mu.Unlock()
			}
		}()
	}
	for _, d := range dirs {
		next <- d
	}
	close(next)
	wg.Wait()
	return out
}

// scanDir type-checks the Go packages of one directory; findings are named
// the way the walk names the directory's files.
func (g *goCollector) scanDir(ctx context.Context, sc *scanner.Scanner, dir, shown string, e *env, quiet bool) scanner.Findings {
	files := slices.Clone(g.files[dir])
	sort.Strings(files)
	fs, err := analyzer.ScanPackageDirShared(ctx, sc, dir, files, dir, g.rootOf(dir), g.imports)
	if err != nil {
		if !quiet {
			g.mu.Lock()
			fmt.Fprintf(e.stderr, "keyscan: warning: %s: type-checked scan: %v\n", shown, err)
			g.mu.Unlock()
		}
		return nil
	}
	for i := range fs {
		fs[i].RepoPath = g.namer.Key(filepath.Join(dir, filepath.FromSlash(fs[i].File)))
		fs[i].File = path.Join(shown, fs[i].File)
		fs[i].Fingerprint = scanner.Fingerprint(fs[i].Rule, fs[i].RepoPath, fs[i].Secret)
	}
	return fs
}

// dropNotAWS removes the secrets of Go files that go vet clears as keys of
// something else: a literal whose name is used only as an HMAC or JWT
// signing key or a []byte conversion (analyzer.NotAWSKeys). Only the
// directories of Go files with a secret finding are type-checked, so a scan
// without such findings pays nothing.
func (g *goCollector) dropNotAWS(fs scanner.Findings) scanner.Findings {
	spans := map[string][][2]int{} // file on disk -> cleared literals
	done := map[string]bool{}      // directories checked
	for i := range fs {
		file, ok := g.disk[fs[i].File]
		if !ok || fs[i].Kind != rules.SecretAccessKey || done[filepath.Dir(file)] {
			continue
		}
		dir := filepath.Dir(file)
		done[dir] = true
		for name, sp := range analyzer.NotAWSKeysUnder(g.rootOf(dir), g.files[dir]) {
			spans[name] = append(spans[name], sp...)
		}
	}
	if len(spans) == 0 {
		return fs
	}
	return slices.DeleteFunc(fs, func(f scanner.Finding) bool {
		if f.Kind != rules.SecretAccessKey {
			return false
		}
		return slices.ContainsFunc(spans[g.disk[f.File]], func(sp [2]int) bool { return sp[0] <= f.Offset && f.Offset < sp[1] })
	})
}
