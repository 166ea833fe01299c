package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
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
	"github.com/keyscan/keyscan/scanner/content"
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
// A key split across packages (const Pre = "AKIAB35" in lib, lib.Pre +
// "ZAX…" in main) leaves the importing package without any such literal, and
// a head of a key ID alone is too common a literal ("AK", "AS") to make
// every package that imports its package a candidate. So each package keeps
// the literals that could start a key ID (heads) and each file the literals
// it adds to a constant of an imported package (tails: after lib.Pre + , or
// after a bare name in a file that imports a package with a dot); once the
// walk is done, a package whose tail completes a key ID with a head of the
// package it imports (resolved as the type-checked scan resolves it), or
// follows a constant of a package that builds strings from pieces of a
// key ID, is a candidate too. The byte
// test stays one pass over the quotes; imports are parsed only in files that
// hold a tail, or fold a name another package qualifies (gofolds.go: keys
// folded from other packages' constants alone, or through a chain of them).
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
	heads   map[string][]string // directory on disk -> literals that could start a key ID
	tails   map[string][]goTail // directory on disk -> literals added to another package's constant
	shown   map[string]string   // directory on disk -> as reported, for the directories in tails
	pieces  map[string]bool     // directory on disk -> a candidate for more than its heads (readGoBytes)
	// frags holds the directories whose non-test files hold a piece of a
	// key past the heads (keyFragment), folds the import paths each
	// directory's files fold with (foldImports): crossCandidates follows
	// them (gofolds.go).
	frags      map[string]bool
	folds      map[string][]string
	constFolds map[string][]string // the folds constants make (foldImports' consts)
	tailFolds  map[string][]string // the constants its constants go on with a literal (constTails)
	// bound bounds each package's type check (analyzer.CheckBound;
	// goCheckBound); unchecked holds, on disk, the Go files it left out,
	// and why.
	bound     analyzer.CheckBound
	unchecked map[string]analyzer.LeftReason
}

// goTail is a string literal added to a constant of the package at path
// (lib.Pre + "ZAX…"): its first characters and whether a + follows it.
type goTail struct {
	path string
	text string
	open bool
}

func newGoCollector(n *pathname.Namer, roots []string) *goCollector {
	g := &goCollector{namer: n, dirs: map[string]string{}, files: map[string][]string{}, disk: map[string]string{},
		imports: analyzer.NewImportCache(), heads: map[string][]string{}, tails: map[string][]goTail{}, shown: map[string]string{}, pieces: map[string]bool{},
		frags: map[string]bool{}, folds: map[string][]string{}, constFolds: map[string][]string{}, tailFolds: map[string][]string{},
		bound: analyzer.MaxCheckTokens, unchecked: map[string]analyzer.LeftReason{}}
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
	b := readGoBytes(data)
	candidate, pieces, heads, tails := b.candidate, b.pieces, b.heads, importedTails(data, b.tails)
	test := strings.HasSuffix(shown, "_test.go") // no importer reads it
	frag := !test && holdsFragment(data)
	folds, constFolds := foldImports(data)
	var tailFolds []string
	if test {
		constFolds = nil
	} else {
		tailFolds = constTails(data, b.tails)
	}
	g.mu.Lock()
	g.files[dir] = append(g.files[dir], filepath.Join(dir, filepath.Base(file)))
	g.disk[shown] = filepath.Join(dir, filepath.Base(file))
	if candidate {
		g.dirs[dir] = path.Dir(shown)
	}
	if pieces {
		g.pieces[dir] = true
	}
	for _, h := range heads {
		if len(g.heads[dir]) < maxHeads && !slices.Contains(g.heads[dir], h) {
			g.heads[dir] = append(g.heads[dir], h)
		}
	}
	if len(tails) > 0 {
		g.tails[dir] = append(g.tails[dir], tails...)
		g.shown[dir] = path.Dir(shown)
	}
	if frag {
		g.frags[dir] = true
	}
	for _, p := range folds {
		if !slices.Contains(g.folds[dir], p) {
			g.folds[dir] = append(g.folds[dir], p)
		}
		g.shown[dir] = path.Dir(shown)
	}
	for _, p := range constFolds {
		if !slices.Contains(g.constFolds[dir], p) {
			g.constFolds[dir] = append(g.constFolds[dir], p)
		}
	}
	for _, p := range tailFolds {
		if !slices.Contains(g.tailFolds[dir], p) {
			g.tailFolds[dir] = append(g.tailFolds[dir], p)
		}
	}
	g.mu.Unlock()
}

// maxHeads bounds the heads kept for a package: past it, the package
// counts as one whose constants could start any key.
const maxHeads = 64

// The Go files staged and pre-receive type-check are bounded one by one
// by content.MaxGoTokens (a larger one is left to the byte scan, as every
// file is in history, and said: content.GoBudget's warning) and together
// by goCheckBudget. go/types' cost grows faster than a file (qa28 H1: a
// pushed 14 MB file of one []byte{...} literal of 4 million numbers held
// the server's hook 47 CPU s and 1 GB, the same bytes as a .txt 0.14 s),
// and a pushed file is anyone's input to the server's gate. Real code that
// builds a key is far below the bound; generated tables are what is above
// it. The bound counts tokens: the 1 MiB bound it replaces let a comment
// or a long string pad a file past it, silently (qa29 M4).

// goCheckBudget is the Go source staged and pre-receive type-check in one
// run (a commit, a push), in tokens (comments not counted), scaled by
// check_budget (0: no bound): past it the other Go files are left to the
// byte scan, and a warning says how many (content.GoBudget). Each file is
// bounded by content.MaxGoTokens, but a push of hundreds of such files,
// about 0.4 CPU s a megabyte, held the server's gate for minutes (fix32).
// Tokens, not bytes: a budget of bytes was spent by 34 files of comments,
// which cost the type checker nothing, named before the file that built a
// key (qa31 F14). trufflehog's whole history, the densest real Go we know
// in keys and key heads, has 23 MB of candidate Go blobs (726 of 49,672):
// a push of all of it is checked whole.
const goCheckBudget = 1 << 23

// newGoBudget returns the type-check budget of one staged or pre-receive
// run under the configuration's check_budget scale.
func newGoBudget(checkBudget int) *content.GoBudget {
	return content.NewGoBudget(int64(checkBudget) * goCheckBudget)
}

// goCost is content.Options.GoCost for goSource: the tokens of a Go file
// it would type-check (comments not counted; at least 1), 0 for one it
// leaves to the byte scan.
func goCost(data []byte) int64 {
	if !readGoBytes(data).candidate {
		return 0
	}
	return goTokenCost(data)
}

// goTokenCost is goCost for a file that is a candidate.
func goTokenCost(data []byte) int64 {
	n := content.GoTokens(data, content.MaxGoTokens)
	if n > content.MaxGoTokens {
		return content.GoTooLarge
	}
	if !analyzer.GoCheckable(data) {
		return content.GoUnreadable
	}
	return int64(max(n, 1))
}

// goSource is content.Options.Go for the commands that read blobs, not a
// tree, for the files they are given (staged, pre-receive; not history,
// which would pay it for every Go blob version): a Go file the byte test makes a
// candidate (readGoBytes) is type-checked alone (analyzer.ScanGoSource),
// so that a key the file builds within itself is found in a blob as keyscan
// scan and go vet find it in the work tree. The others, most Go files,
// cost that byte test only.
func goSource(ctx context.Context, sc *scanner.Scanner, name string, data []byte) scanner.Findings {
	if !readGoBytes(data).candidate {
		return nil // goCost has said whether a candidate is too large to type-check under the run's budget
	}
	return analyzer.ScanGoSource(ctx, sc, name, data)
}

// goIn is content.Options.GoIn for goSource's candidates: the candidate
// is type-checked with the other Go files of its folder in the same
// snapshot when it adds to a name it does not declare
// (analyzer.ScanGoSourceWith), so that a key split over a package's files
// is found as keyscan scan and go vet find it (qa31 F2).
//
// The packages of its module it imports are read from the same snapshot
// (pkg, content.Options.GoPackage), so that a key whose head another
// package declares (cfg.Head + "…") is found as keyscan scan finds it by
// reading the module's folders; a file that only adds a literal to such a
// constant is a candidate when that package may start the key ID it
// completes (goTails).
func goIn(ctx context.Context, sc *scanner.Scanner, name string, data []byte, folder func(names []string) ([]content.GoFile, error), pkg func(importPath string) ([]content.GoFile, bool, error)) (scanner.Findings, error) {
	b := readGoBytes(data)
	if all, _ := foldImports(data); !b.candidate && len(b.tails) == 0 && len(all) == 0 {
		return nil, nil
	}
	var imported func(string) ([]analyzer.Sibling, bool, error)
	if pkg != nil {
		imported = func(p string) ([]analyzer.Sibling, bool, error) {
			files, ok, err := pkg(p)
			return siblings(files), ok, err
		}
	}
	return analyzer.ScanGoSourceIn(ctx, sc, name, data, len(b.heads) > 0, func(names []string) ([]analyzer.Sibling, error) {
		files, err := folder(names)
		return siblings(files), err
	}, imported)
}

func siblings(files []content.GoFile) []analyzer.Sibling {
	sibs := make([]analyzer.Sibling, len(files))
	for i, f := range files {
		sibs[i] = analyzer.Sibling{Name: f.Name, Src: f.Src}
	}
	return sibs
}

// goTails is content.Options.GoTails: a Go file the byte test passes over
// (readGoBytes) whose literal goes on with a constant of a package of its
// module (cfg.Head + "…", crossTails) costs its tokens when that package
// in the same snapshot (pkg) may start the key ID the literal completes,
// as crossCandidates decides for keyscan scan: a head that the tail
// completes, pieces a head may be built from, more heads than are kept,
// or files that cannot be read (then the file is a candidate, and its
// type check says it could not read them: a gap).
func goTails(data []byte, pkg func(importPath string) ([]content.GoFile, bool, error)) int64 {
	b := readGoBytes(data)
	if b.candidate {
		return 0 // goCost's
	}
	tails := importedTails(data, b.tails)
	carry := &snapshotCarry{pkg: pkg, memo: map[string]bool{}}
	all, _ := foldImports(data)
	for _, p := range all {
		c, err := carry.carries(p, 0)
		if err != nil || c {
			return goTokenCost(data)
		}
	}
	done := map[string]bool{}
	for _, t := range tails {
		files, ok, err := pkg(t.path)
		if !ok {
			continue // outside the module: unresolved, as keyscan scan leaves it
		}
		if err != nil {
			return goTokenCost(data)
		}
		if done[t.path] {
			continue
		}
		var heads []string
		pieces := false
		for _, f := range files {
			fb := readGoBytes(f.Src)
			pieces = pieces || fb.pieces
			for _, h := range fb.heads {
				if !slices.Contains(heads, h) {
					heads = append(heads, h)
				}
			}
		}
		starts := pieces || len(heads) >= maxHeads
		if !starts {
			c, err := carry.carries(t.path, 0)
			starts = err != nil || c && (carry.frag[t.path] || carry.through[t.path])
		}
		for _, u := range tails {
			if u.path == t.path && !starts {
				starts = slices.ContainsFunc(heads, func(h string) bool { return completes(h, u) })
			}
		}
		if starts {
			return goTokenCost(data)
		}
		done[t.path] = true
	}
	return 0
}

// snapshotCarry asks, for goTails, whether a package of the snapshot
// carries a piece of a key to its importers, as crossCandidates asks it of
// the tree keyscan scan walks: a fragment, pieces or a head in its non-test
// files, or constants folded with a package that carries, followed down
// maxCarryDepth packages.
type snapshotCarry struct {
	pkg     func(importPath string) ([]content.GoFile, bool, error)
	memo    map[string]bool
	frag    map[string]bool // a fragment of its own (keyFragment)
	through map[string]bool // carries through a package it folds with
}

// maxCarryDepth bounds the chain of packages goTails follows: a chain
// longer than any real code's costs a commit's reader no more.
const maxCarryDepth = 16

// carries reports whether the package importPath carries a piece of a
// key; an error when its files could not be read (the caller's gap).
func (c *snapshotCarry) carries(importPath string, depth int) (bool, error) {
	if v, ok := c.memo[importPath]; ok {
		return v, nil
	}
	c.memo[importPath] = false // a cycle carries nothing new
	files, ok, err := c.pkg(importPath)
	if !ok {
		return false, nil // outside the module: unresolved, as keyscan scan leaves it
	}
	if err != nil {
		return false, err
	}
	if c.frag == nil {
		c.frag, c.through = map[string]bool{}, map[string]bool{}
	}
	var below []string
	for _, f := range files {
		if strings.HasSuffix(f.Name, "_test.go") {
			continue
		}
		b := readGoBytes(f.Src)
		if holdsFragment(f.Src) {
			c.frag[importPath] = true
		}
		if b.pieces || carryingHeads(b.heads) || c.frag[importPath] {
			c.memo[importPath] = true
			return true, nil
		}
		_, consts := foldImports(f.Src)
		below = append(below, consts...)
		below = append(below, constTails(f.Src, b.tails)...)
	}
	if depth >= maxCarryDepth {
		return false, nil
	}
	for _, p := range below {
		if p == importPath {
			continue
		}
		v, err := c.carries(p, depth+1)
		if err != nil {
			return false, err
		}
		if v {
			c.memo[importPath], c.through[importPath] = true, true
			return true, nil
		}
	}
	return false, nil
}

// goStarts is content.Options.GoStarts: whether a Go file's constants may
// start a key ID another package's literal completes (its heads, pieces
// a head may be built from), or carry one on from a package it imports
// (a tail of its own, lib.Pre + "…"), as crossCandidates asks of an
// imported package; a candidate of its own too; or whether a literal of
// it may be the rest of a key ID whose head an importer holds ("AKIA" +
// cfg.Rest, an importer keyscan scan type-checks for its own head:
// keyIDRest). A package none of whose non-test files passes leaves its
// importers unread: none of go-git's 115 packages passes, a handful of
// trufflehog's 928.
//
// A file that holds a fragment of a key (keyFragment), or whose constants
// fold with another package's (const Head = lib2.Pre: foldImports'
// consts), passes too: its importers may fold a key with no literal of
// their own (fold35).
func goStarts(data []byte) bool {
	b := readGoBytes(data)
	if b.candidate || b.pieces || len(b.heads) > 0 || len(importedTails(data, b.tails)) > 0 || keyIDRest(data) || holdsFragment(data) || secretPieces(data) {
		return true
	}
	_, consts := foldImports(data)
	return len(consts) > 0
}

// secretPieces reports whether data holds two interpreted string literals
// that may be pieces of a secret access key: twelve to thirty-nine
// characters of its alphabet, upper and lower case letters and digits
// among them (const S1 = "…", S2 = "…"; an importer that names a secret
// next to a + is a candidate of its own, and scan type-checks it with
// them: fold35). One such literal alone is a token or a hash of some
// other kind more often than half a secret.
func secretPieces(data []byte) bool {
	n := 0
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '"')
		if i < 0 {
			return false
		}
		q := off + i
		off = q + 1
		k, upper, lower, digit := 0, false, false, false
		for q+1+k < len(data) && k < 40 {
			c := data[q+1+k]
			if !isAlnumByte(c) && c != '+' && c != '/' {
				break
			}
			upper, lower, digit = upper || 'A' <= c && c <= 'Z', lower || 'a' <= c && c <= 'z', digit || '0' <= c && c <= '9'
			k++
		}
		if 12 <= k && k < 40 && q+1+k < len(data) && data[q+1+k] == '"' && upper && lower && digit {
			if n++; n == 2 {
				return true
			}
			off = q + 2 + k
		}
	}
}

// keyIDRest reports whether data holds an interpreted string literal of 8
// to 19 characters of a key ID's alphabet (upper-case base32) and nothing
// else: what may follow a head of four or more characters.
func keyIDRest(data []byte) bool {
	return literalStarts(data, func(s int) bool {
		n := 0
		for s+n < len(data) && n < 20 && isBase32(data[s+n]) {
			n++
		}
		return 8 <= n && n <= 19 && s+n < len(data) && data[s+n] == '"'
	})
}

// goImports is content.Options.GoImports: the import paths of a Go file,
// as keyscan scan's type check reads them (analyzer.FileImports).
func goImports(data []byte) []string {
	var out []string
	for _, ps := range analyzer.FileImports(data) {
		for _, p := range ps {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// keyPrefixes are the four letters a key ID starts with (rules' key ID
// rule: AKIA, ASIA, ABIA, ACCA).
var keyPrefixes = [...]string{"AKIA", "ASIA", "ABIA", "ACCA"}

// isKeyIDPrefix reports whether s could be the start of a key ID: a piece
// of one of its four-letter prefixes, or a whole one and base32 up to 20
// characters in all.
func isKeyIDPrefix[S string | []byte](s S) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	head := string(s[:min(len(s), 4)]) // not allocated: compared only
	if !strings.HasPrefix(keyPrefixes[0], head) && !strings.HasPrefix(keyPrefixes[1], head) &&
		!strings.HasPrefix(keyPrefixes[2], head) && !strings.HasPrefix(keyPrefixes[3], head) {
		return false
	}
	for i := 4; i < len(s); i++ {
		if !isBase32(s[i]) {
			return false
		}
	}
	return true
}

// prefixFold reports whether b starts with a key ID's prefix in either
// case (akia, AKIA-), not a time zone's name (Asia/Tokyo).
func prefixFold(b []byte) bool {
	if len(b) < 5 || b[4] == '/' {
		return false // "Asia/Tokyo": a time zone
	}
	return slices.ContainsFunc(keyPrefixes[:], func(p string) bool { return bytes.EqualFold(b[:4], []byte(p)) })
}

func isBase32(c byte) bool { return 'A' <= c && c <= 'Z' || '2' <= c && c <= '7' }

// keyHeads returns the string literals of data that could be the head of
// a key ID another package completes: two to nineteen characters that
// start one. ("A" alone is left out: a package completing it needs a tail
// of nineteen characters, "KIA…", which mayHideKey takes as a candidate on
// its own.)
func keyHeads(data []byte) []string { return readGoBytes(data).heads }

// crossTails returns the literals of the Go source data that are added to
// a constant of another package: a literal starting with a base32
// character after "pkg.Name +" (or "T(pkg.Name) +"), pkg an import of the
// file, or after "Name +" when the file imports a package with a dot. Its
// first 19 characters are kept: no key ID needs more after a head.
func crossTails(data []byte) []goTail { return importedTails(data, readGoBytes(data).tails) }

// goBytes is what one pass over the quotes of a Go file finds: whether it
// is a candidate (mayHideKey), whether for more than a head (pieces), its heads (keyHeads) and the literals it adds
// to a name (crossTails, before the names are matched to imports; only in
// a file that is no candidate, for which they are needed).
type goBytes struct {
	candidate, pieces bool
	heads             []string
	tails             []rawTail
}

// rawTail is a tail as read: the package name of the operand before it,
// "" for a bare name, and its text still in the file's bytes.
type rawTail struct {
	qual []byte
	text []byte
	open bool
	at   int // the offset of its opening quote
}

// readGoBytes is the byte test of a Go file. A file is a candidate for a
// literal that starts a key ID (keyHead), for pieces (a piece of a prefix,
// the rest of a key ID, an escaped 'A': a package with pieces may build a
// head from them, so any tail another package adds to its constants may
// complete a key), or for a secret keyword next to a concatenation.
func readGoBytes(data []byte) goBytes {
	var b goBytes
	if escapedKeyStart(data) {
		b.candidate, b.pieces = true, true
	}
	if runeHead(data) || rawHead(data) {
		b.candidate = true
	}
	head, keyID := false, false
	builds := -1 // whether the file builds strings (buildsStrings), once asked
	build := func() bool {
		if builds < 0 {
			builds = 0
			if buildsStrings(data) {
				builds = 1
			}
		}
		return builds == 1
	}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '"')
		if i < 0 {
			break
		}
		q := off + i
		off = q + 1
		if !b.pieces && (splitHead(data, q, build) || keyTail(data, q, build) || joinedHead(data, q)) {
			b.pieces = true
		}
		head = head || keyHead(data[q+1:]) || q+1 < len(data) && data[q+1]|0x20 == 'a' && prefixFold(data[q+1:]) && build() ||
			q+1 < len(data) && (gluedHead(data[q+1:]) || sepHead(data[q+1:])) && build()
		if q == 0 || q+1 >= len(data) || data[q-1] == '\\' || !isBase32(data[q+1]) {
			continue // every head and tail starts with a base32 character: most literals stop here
		}
		if data[q+1] == 'A' {
			if end := bytes.IndexByte(data[q+1:min(len(data), q+21)], '"'); end >= 2 {
				if c := data[q+1 : q+1+end]; isKeyIDPrefix(c) && len(b.heads) < maxHeads && !slices.Contains(b.heads, string(c)) {
					b.heads = append(b.heads, string(c))
				}
			}
			if !keyID && q+21 < len(data) && data[q+21] == '"' && isKeyIDPrefix(data[q+1:q+21]) {
				keyID = true // a whole key ID, for a secret a builder makes to pair with
			}
		}
		if t, ok := tailAt(data, q); ok {
			b.tails = append(b.tails, t)
		}
	}
	b.candidate = b.candidate || b.pieces || head || archiveList(data)
	if b.candidate {
		b.tails = nil
		return b
	}
	// A secret assembled from pieces: a line that names a secret and
	// concatenates, in a file that speaks of AWS; or a builder's write of
	// a piece of one (builderPiece), in a file that speaks of AWS and of a
	// secret, or holds a key ID to pair it with (analyzer/builder.go).
	aws := mentionsAWS(data)
	if aws || keyID {
		secret := keyID || bytes.Contains(data, []byte("ecret")) || bytes.Contains(data, []byte("ECRET"))
		for _, line := range bytes.Split(data, []byte{'\n'}) {
			named := bytes.Contains(line, []byte("ecret")) || bytes.Contains(line, []byte("ECRET"))
			if aws && named && (bytes.Contains(line, []byte{'+'}) || buildsStrings(line) && literalPiece(line)) ||
				secret && builderPiece(line) {
				b.candidate, b.tails = true, nil
				break
			}
		}
	}
	return b
}

// builderPiece reports whether a line writes into a builder a literal
// that may be a piece of a secret: twelve characters of its alphabet or
// more, upper and lower case letters and digits among them
// (b.WriteString("m0+O8BiR803VaTyY"), buf.Write([]byte("…"))), not a
// word ("Authorization") that code builds its text with.
func builderPiece(line []byte) bool {
	i := bytes.Index(line, []byte(".Write"))
	if i < 0 {
		return false
	}
	rest := line[i+len(".Write"):]
	if !bytes.HasPrefix(rest, []byte("String(\"")) && !bytes.HasPrefix(rest, []byte("([]byte(\"")) {
		return false
	}
	lit := rest[bytes.IndexByte(rest, '"')+1:]
	n, upper, lower, digit := 0, false, false, false
	for ; n < len(lit) && (isAlnumByte(lit[n]) || lit[n] == '+' || lit[n] == '/'); n++ {
		c := lit[n]
		upper, lower, digit = upper || 'A' <= c && c <= 'Z', lower || 'a' <= c && c <= 'z', digit || '0' <= c && c <= '9'
	}
	return n >= 12 && upper && lower && digit
}

// gluedHead reports whether a literal starts with one to eight letters or
// digits glued to the start of a key ID ("xxAKIA…"): no key in the file's
// bytes, but strings.TrimPrefix or TrimLeft may cut one out (qa25 M3).
func gluedHead(b []byte) bool {
	for k := 1; k <= 8 && k < len(b) && isAlnumByte(b[k-1]); k++ {
		if b[k]|0x20 == 'a' && prefixFold(b[k:]) {
			return true
		}
	}
	return false
}

// sepHead reports whether b, a literal's content, starts a key ID's prefix
// once the characters that are not letters or digits are taken out, one of
// them taken from within or before the prefix: "AK-IA…", "A.KIA…",
// "AK--IA…", "xx-akia…" (strings.ReplaceAll, Replace or a Replacer takes
// them out: go vet found the key, the gate sent the file to the byte scan,
// qa29 H4); or whether all of b is a piece of a prefix with such
// characters around or in it (" AK", "AKI ", "A-K": TrimSpace or Replace
// makes the piece a + continues). Two-letter pieces other than "AK" are
// too common ("AS" in SQL) to count.
func sepHead(b []byte) bool {
	var kept [40]byte // the letters and digits, upper case
	var at [40]int    // where each was in b
	n, cut := 0, false
	end := -1
	for i := 0; i < len(b) && i < len(kept) && n < len(kept); i++ {
		c := b[i]
		if c == '"' {
			end = i
			break
		}
		if c == '\\' || c == '\n' {
			break
		}
		if !isAlnumByte(c) {
			cut = true
			continue
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		kept[n], at[n] = c, i
		n++
	}
	if !cut {
		return false
	}
	for k := 0; k <= 8 && k+4 <= n; k++ {
		if at[k+3]-k <= 3 {
			continue // no character taken out before the prefix's end
		}
		if slices.Contains(keyPrefixes[:], string(kept[k:k+4])) {
			return true
		}
	}
	if end < 0 || n < 2 || n > 3 || n == 2 && string(kept[:2]) != "AK" {
		return false
	}
	for i := range n {
		if b[at[i]] != kept[i] {
			return false // a piece in upper case only
		}
	}
	return slices.ContainsFunc(keyPrefixes[:], func(p string) bool { return strings.HasPrefix(p, string(kept[:n])) })
}

// buildsStrings reports whether data calls one of the functions of strings
// or fmt whose value the type-checked reading works out from literal
// pieces (analyzer's callString: Join, Sprint, Sprintf, Replace, ToUpper…)
// or grows a string with +=. In such a file a literal that starts a key ID
// in either case followed by anything ("AKIA-…", "akia…", "AKIA%s") is
// a head, and a comma joins pieces as a + does (qa19 M6).
func buildsStrings(data []byte) bool {
	for _, c := range stringBuildCalls {
		if bytes.Contains(data, []byte(c)) {
			return true
		}
	}
	return false
}

// literalPiece reports whether a line that builds a string may build it
// from literals: it holds a literal of eight characters of a secret or
// more, or opens a list or a call whose items follow on the next lines.
// SecretAccessKey: strings.TrimSpace(v) builds nothing the analyzer reads.
func literalPiece(line []byte) bool {
	if t := trimSpaceEnd(line); len(t) > 0 && (t[len(t)-1] == '{' || t[len(t)-1] == '(') {
		return true
	}
	for off := 0; ; {
		i := bytes.IndexByte(line[off:], '"')
		if i < 0 {
			return false
		}
		off += i + 1
		n := 0
		for off+n < len(line) && n < 8 && (isAlnumByte(line[off+n]) || line[off+n] == '+' || line[off+n] == '/') {
			n++
		}
		if n == 8 {
			return true
		}
	}
}

func isAlnumByte(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' }

var stringBuildCalls = []string{"Join(", "Sprint", "Replace", "ToUpper(", "ToLower(", "Trim", "+="}

// archiveList reports whether data holds the head of a gzip or zip stream
// as a list of numbers, decimal or 0x (a []byte{31, 139, 8, …} composite
// literal): the type checker reads what it holds (analyzer/archives.go).
// The byte scan decodes the string escapes and the lists of C-family files
// itself (scanner/bytelit.go), not Go's.
func archiveList(data []byte) bool {
	for _, h := range archiveHeads {
		if bytes.Contains(data, []byte(h)) {
			return true
		}
	}
	return false
}

var archiveHeads = []string{"31, 139, 8,", "0x1f, 0x8b,", "0x1F, 0x8B,", "0x1f,0x8b,", "0x1F,0x8B,", "80, 75, 3, 4,", "0x50, 0x4b, 0x03,", "0x50, 0x4B, 0x03,"}

// tailAt reads the tail whose literal opens at data[q], if a + and a name
// come before it.
func tailAt(data []byte, q int) (rawTail, bool) {
	before := trimSpaceEnd(data[:q])
	if len(before) == 0 || before[len(before)-1] != '+' {
		return rawTail{}, false
	}
	qual, ok := operandQualifier(trimSpaceEnd(before[:len(before)-1]))
	if !ok {
		return rawTail{}, false
	}
	body := data[q+1 : min(len(data), q+1+19)]
	end := bytes.IndexAny(body, "\"\\\n")
	open := false
	if end >= 0 {
		if body[end] == '"' {
			after := bytes.TrimLeft(data[q+2+end:], " \t\r\n")
			open = len(after) > 0 && after[0] == '+'
		}
		body = body[:end]
	}
	return rawTail{qual, body, open, q}, true
}

// importedTails matches the tails' names to the file's imports: a tail
// after pkg.Name is the import named pkg's; one after a bare name, each
// import with a dot's. The imports are parsed only here, for a file with a
// tail.
func importedTails(data []byte, found []rawTail) []goTail {
	if len(found) == 0 {
		return nil
	}
	if !slices.ContainsFunc(found, func(r rawTail) bool { return len(r.qual) > 0 }) &&
		!bytes.Contains(data, []byte(". \"")) && !bytes.Contains(data, []byte(".\t\"")) {
		return nil // bare names only, and no dot import: the package's own constants
	}
	imports := analyzer.FileImports(data)
	var out []goTail
	for _, r := range found {
		q := string(r.qual)
		if q == "" {
			q = "."
		}
		for _, p := range imports[q] {
			out = append(out, goTail{path: p, text: string(r.text), open: r.open})
		}
	}
	return out
}

// constTails returns the import paths of the packages whose constant a
// constant of data goes on with a literal that may go on with a key ID
// (const Mid = c.Head + "XXXX": base32 characters, in a constant's
// declaration), among the tails found (readGoBytes'). Such a package
// passes the piece on to its importers as one that folds c.Head whole
// does (foldImports' consts): a key built a few characters a package
// along a chain (c's "AKIA", b's four more, app's twelve: no literal
// completes a head it follows) is followed to where it is whole, as go
// vet folds it; it was missed by scan, staged and pre-receive (imp36).
// A variable passes nothing on: go vet reads no variable's value across
// packages.
func constTails(data []byte, found []rawTail) []string {
	if len(found) == 0 || !bytes.Contains(data, []byte("const")) {
		return nil
	}
	regions := constRegions(data)
	var in []rawTail
	for _, r := range found {
		if len(r.text) > 0 && isKeyIDPrefix("AKIA"+string(r.text[:min(len(r.text), 16)])) &&
			slices.ContainsFunc(regions, func(g [2]int) bool { return g[0] <= r.at && r.at < g[1] }) {
			in = append(in, r)
		}
	}
	var out []string
	for _, t := range importedTails(data, in) {
		if !slices.Contains(out, t.path) {
			out = append(out, t.path)
		}
	}
	return out
}

// operandQualifier reads the operand that ends op, the text before a +: a
// name, pkg.Name, or either converted (T(pkg.Name)). It returns pkg, or
// nothing for a bare name; false for any other operand.
func operandQualifier(op []byte) ([]byte, bool) {
	if len(op) > 0 && op[len(op)-1] == ')' {
		i := bytes.LastIndexByte(op, '(')
		if i < 0 {
			return nil, false
		}
		op = op[i+1 : len(op)-1]
	}
	i := len(op)
	for i > 0 && (op[i-1] == '_' || op[i-1] == '.' || 'a' <= op[i-1]|0x20 && op[i-1]|0x20 <= 'z' || '0' <= op[i-1] && op[i-1] <= '9') {
		i--
	}
	name := op[i:]
	if len(name) == 0 || '0' <= name[0] && name[0] <= '9' || name[0] == '.' {
		return nil, false
	}
	qual, sel, dotted := bytes.Cut(name, []byte{'.'})
	switch {
	case !dotted:
		return nil, true
	case len(sel) == 0 || bytes.IndexByte(sel, '.') >= 0:
		return nil, false // x.y.z is a field, not another package's constant
	}
	return qual, true
}

// crossCandidates makes candidates of the packages whose tails complete a
// key ID with a head of the package they import, or follow a constant of a
// package that may build a head from pieces (readGoBytes), or of a package of
// the tree the walk did not read (excluded: its literals are unknown).
//
// Then the packages that fold with a package that carries a piece of a key
// (fragments, pieces, heads: carries), or with one that folds with such a
// package, and so on (foldImports), carry too and are candidates: the
// importer graph is followed until nothing changes. A tail after a constant
// of a package that carries through its imports (const Head = lib2.Pre)
// may complete anything, as after a package with pieces.
func (g *goCollector) crossCandidates() {
	res := analyzer.NewImportResolver()
	// edges: the folders of the tree each folder folds with; constEdges
	// those its constants fold with.
	edges, constEdges := map[string][]string{}, map[string][]string{}
	for _, dir := range slices.Sorted(maps.Keys(g.folds)) {
		root := g.rootOf(dir)
		for _, p := range g.folds[dir] {
			t := res.Dir(root, dir, p)
			if t == "" || t == dir {
				continue
			}
			edges[dir] = append(edges[dir], t)
			if slices.Contains(g.constFolds[dir], p) {
				constEdges[dir] = append(constEdges[dir], t)
			}
		}
	}
	// A constant that goes on with a literal (const Mid = c.Head +
	// "XXXX") passes c's piece on as one folding c.Head whole does; the
	// package is no candidate for it (crossTails' test decides that).
	for _, dir := range slices.Sorted(maps.Keys(g.tailFolds)) {
		root := g.rootOf(dir)
		for _, p := range g.tailFolds[dir] {
			if t := res.Dir(root, dir, p); t != "" && t != dir && !slices.Contains(constEdges[dir], t) {
				constEdges[dir] = append(constEdges[dir], t)
			}
		}
	}
	// A package of another module than dir's that dir folds with or
	// completes (a module dir's go.mod replaces with a folder of the
	// tree) is built in
	// dir's build, its own imports too, as dir's module resolves them
	// (the type check's setMain): their folders are its edges as well,
	// and so on down the packages of other modules they reach.
	starts := maps.Clone(edges)
	for dir, ts := range g.tails {
		for _, t := range ts {
			if u := res.Dir(g.rootOf(dir), dir, t.path); u != "" && !slices.Contains(starts[dir], u) {
				starts[dir] = append(starts[dir], u)
			}
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(starts)) {
		root := g.rootOf(dir)
		own := res.Module(root, dir)
		queue := slices.Clone(starts[dir])
		seen := map[string]bool{dir: true}
		for len(queue) > 0 {
			t := queue[0]
			queue = queue[1:]
			if seen[t] || res.Module(root, t) == own {
				continue
			}
			seen[t] = true
			add := func(p string, con bool) {
				u := res.Dir(root, dir, p)
				if u == "" || u == t {
					return
				}
				if !slices.Contains(edges[t], u) {
					edges[t] = append(edges[t], u)
					queue = append(queue, u)
				}
				if con && !slices.Contains(constEdges[t], u) {
					constEdges[t] = append(constEdges[t], u)
				}
			}
			for _, p := range g.folds[t] {
				add(p, slices.Contains(g.constFolds[t], p))
			}
			for _, p := range g.tailFolds[t] {
				add(p, true)
			}
		}
	}
	// carried: carries through the constants of what it folds with,
	// passed up the reversed constEdges from the packages that carry of
	// themselves, each folder once: a chain of n packages, or a cycle a
	// crafted tree holds, costs its edges, not n rounds over them all.
	carried := map[string]bool{}
	own := func(d string) bool {
		return g.unread(d) || g.frags[d] || g.pieces[d] || carryingHeads(g.heads[d])
	}
	carries := func(d string) bool { return carried[d] || own(d) }
	users := map[string][]string{}
	for _, dir := range slices.Sorted(maps.Keys(constEdges)) {
		for _, t := range constEdges[dir] {
			users[t] = append(users[t], dir)
		}
	}
	var queue []string
	for _, t := range slices.Sorted(maps.Keys(users)) {
		if own(t) {
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		for _, d := range users[t] {
			if !carried[d] {
				carried[d] = true
				queue = append(queue, d)
			}
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(edges)) {
		if _, ok := g.dirs[dir]; !ok && slices.ContainsFunc(edges[dir], carries) {
			g.dirs[dir] = g.shown[dir]
		}
	}
	// Only a package that carries through its imports has them read
	// when another package imports it.
	g.imports.SetFolds(func(dir string) bool { return carried[dir] })
	for _, dir := range slices.Sorted(maps.Keys(g.tails)) {
		if _, ok := g.dirs[dir]; ok {
			continue
		}
		root := g.rootOf(dir)
		for _, t := range g.tails[dir] {
			target := res.Dir(root, dir, t.path)
			if target == "" || target == dir {
				continue
			}
			heads := g.heads[target]
			if carried[target] || g.frags[target] || g.pieces[target] || g.unread(target) || len(heads) >= maxHeads || slices.ContainsFunc(heads, func(h string) bool { return completes(h, t) }) {
				g.dirs[dir] = g.shown[dir]
				break
			}
		}
	}
}

// unread reports whether the walk read no Go file of the folder dir,
// which the tree holds (excluded: its literals are unknown, so its
// importers are candidates), but for a vendored package's: an excluded
// vendor/ (exclude = ["vendor/**"]) says the third-party code is not the
// project's, and every package folding a vendored constant (most of a
// vendored tree's) would be type-checked for it.
func (g *goCollector) unread(dir string) bool {
	if _, ok := g.files[dir]; ok {
		return false
	}
	return !strings.Contains(filepath.ToSlash(dir)+"/", "/vendor/")
}

// completes reports whether the tail t goes on with the key ID the head h
// starts: h and the first characters of t make a key ID, or the start of
// one that another + goes on with.
func completes(h string, t goTail) bool {
	need := 20 - len(h)
	if need <= 0 {
		return false
	}
	text := t.text[:min(len(t.text), need)]
	return isKeyIDPrefix(h+text) && (len(text) == need || t.open)
}

// mayHideKey is the cheap byte-level test for a candidate Go file.
func mayHideKey(data []byte) bool { return readGoBytes(data).candidate }

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

// rawHead reports whether data holds a raw string literal that could be
// the first piece of a split key ID, as keyHead reads an interpreted one:
// `AKIA` or `AKIA` and fewer than 16 base32 characters. The quote loop of
// readGoBytes sees only interpreted literals, so a raw head whose rest
// opened with an escape ("\x52…", which no tail test reads) left the
// file to the byte scan while go vet folded the key (qa33 H5). A closing
// backquote read as an opening one costs at most a type check.
func rawHead(data []byte) bool {
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '`')
		if i < 0 {
			return false
		}
		off += i + 1
		body := data[off:min(len(data), off+21)]
		end := bytes.IndexByte(body, '`')
		if end >= 4 && keyHead(append(body[:end:end], '"')) {
			return true
		}
	}
}

// runeHead reports whether data spells the start of a key ID's prefix in
// character literals, alone or followed by a string literal: 'A', 'K',
// 'I' (fmt.Sprintf's %c arguments, a []byte{…} or []rune{…} literal) or
// 'A', "KIA…". The analyzer folds those (qa29 M1: twenty %c arguments
// were found by go vet, while scan, staged and pre-receive left the file to
// the byte scan, whose character lists want a name). Items may be parted by
// blanks, commas and +.
func runeHead(data []byte) bool {
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("'A'"))
		if i < 0 {
			return false
		}
		i += off
		off = i + 3
		got := []byte{'A'}
		j := i + 3
		for len(got) < 3 {
			for j < len(data) && strings.IndexByte(" \t\r\n,+", data[j]) >= 0 {
				j++
			}
			if j+2 < len(data) && data[j] == '\'' && data[j+2] == '\'' {
				got, j = append(got, data[j+1]), j+3
			} else if j+1 < len(data) && data[j] == '"' {
				end := bytes.IndexByte(data[j+1:min(len(data), j+5)], '"')
				if end < 0 {
					end = min(len(data), j+5) - j - 1
				}
				got = append(got, data[j+1:j+1+end]...)
				break
			} else {
				break
			}
		}
		if len(got) >= 3 {
			for _, h := range keyPrefixes {
				if n := min(len(got), len(h)); string(got[:n]) == h[:n] {
					return true
				}
			}
		}
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
// AKIA, ASIA, ABIA or ACCA next to a +, or three making up a line's value,
// or two or three a builder's WriteString writes (b.WriteString("AK")).
// Two letters alone ("AB", "AS") are too common in code to type-check every
// package that holds them.
func splitHead(data []byte, q int, builds func() bool) bool {
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
	if len(c) > 1 && bytes.HasSuffix(data[:q], []byte(".WriteString(")) {
		return true // a builder's first piece: writes go on with it (analyzer/builder.go)
	}
	after := bytes.TrimLeft(data[q+2+end:], " \t")
	plusAfter := len(after) > 0 && after[0] == '+'
	if len(after) > 0 && after[0] == ',' && builds() {
		// "AK", "IA…" in a join's list or a format's arguments: the next
		// item goes on with the whole prefix.
		next := bytes.TrimLeft(after[1:], " \t\r\n")
		for _, h := range heads {
			if len(next) > len(h)-len(c) && next[0] == '"' && bytes.HasPrefix(next[1:], []byte(h[len(c):])) {
				return true
			}
			if len(next) > 2 && next[0] == '\'' && next[1] == h[len(c)] && next[2] == '\'' {
				return true // "AKI", 'A', …: a format's %c arguments go on with it (qa29 M1)
			}
		}
	}
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
	before := trimSpaceEnd(data[:q])
	plusBefore := len(before) > 0 && before[len(before)-1] == '+'
	lineEnd := len(after) == 0 || after[0] == '\n' || after[0] == '\r' || bytes.HasPrefix(after, []byte("//"))
	return plusBefore || len(c) == 3 && lineEnd && len(before) > 0 && before[len(before)-1] == '='
}

// joinedHead reports whether the string literal opening at data[q] is the
// head of a key ID (keyHead) that a + goes on with: "AKIA" + "Q2TZ" makes
// a longer head than either literal, which a tail in another package may
// complete (its heads are literals only), so the package counts as one
// with pieces. keyscan scan missed cfg.Head = "AKIA" + "…" completed in
// another package of the module, which go vet found.
func joinedHead(data []byte, q int) bool {
	if q > 0 && data[q-1] == '\\' || !keyHead(data[q+1:]) {
		return false
	}
	end := bytes.IndexByte(data[q+1:], '"')
	after := bytes.TrimLeft(data[q+2+end:], " \t")
	return len(after) > 0 && after[0] == '+'
}

// keyTail reports whether the string literal opening at data[q] goes on
// with a key ID whose head is a constant elsewhere: after a +, the rest of
// a prefix ("IA" after "AK", "KIA" after "A", "CA" after "AC"…) and the
// ID's 16 base32 characters, or at least 8 of them before another +. The
// head alone ("AK" in a file of its own) is too common a literal to make
// every file that holds it a candidate; this piece makes the package one.
func keyTail(data []byte, q int, builds func() bool) bool {
	if q > 0 && data[q-1] == '\\' {
		return false // an escaped quote inside another literal
	}
	before := trimSpaceEnd(data[:q])
	if len(before) == 0 {
		return false
	}
	switch before[len(before)-1] {
	case '+':
	case ',', '=':
		// a join's next item, a format's argument, k += "…"
		if before[len(before)-1] == '=' && (len(before) < 2 || before[len(before)-2] != '+') || !builds() {
			return false
		}
	default:
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
	g.crossCandidates()
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
	fs, over, err := analyzer.ScanPackageDirShared(ctx, sc, dir, files, dir, g.rootOf(dir), g.imports, g.bound)
	if len(over) > 0 {
		g.mu.Lock()
		for _, f := range over {
			g.unchecked[f.Name] = f.Why
		}
		g.mu.Unlock()
	}
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

// goCheckBound is keyscan scan's bound of a package's type check under
// the configuration's check_budget: 0 lifts it, as it lifts staged's and
// pre-receive's (content.MaxGoTokens); any other scale keeps it, which is
// what go/types can be handed, not a budget of work.
func goCheckBound(checkBudget int) analyzer.CheckBound {
	if checkBudget == 0 {
		return 0 // no bound
	}
	return analyzer.MaxCheckTokens
}

// uncheckedFiles returns how many Go files the type-checked scan left out
// (analyzer.LeftOut), the first of them in path order, named as the walk
// named it, and the reasons they were left out for.
func (g *goCollector) uncheckedFiles() (int, string, goLeftWhy) {
	if len(g.unchecked) == 0 {
		return 0, "", 0
	}
	var why goLeftWhy
	for _, r := range g.unchecked {
		why = why.add(r)
	}
	shown := make(map[string]string, len(g.disk))
	for s, d := range g.disk {
		shown[d] = s
	}
	names := make([]string, 0, len(g.unchecked))
	for d := range g.unchecked {
		name, ok := shown[d]
		if !ok { // an imported package's file the walk did not name (excluded)
			name = g.namer.Key(d)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return len(names), names[0], why
}

// dropNotAWS removes the secrets of Go files that go vet clears as keys of
// something else: a literal whose name is used only as an HMAC or JWT
// signing key or a []byte conversion (analyzer.NotAWSKeys). Only the
// directories of Go files with a secret finding are type-checked, so a scan
// without such findings pays nothing.
func (g *goCollector) dropNotAWS(ctx context.Context, fs scanner.Findings) scanner.Findings {
	spans := map[string][][2]int{} // file on disk -> cleared literals
	done := map[string]bool{}      // directories checked
	for i := range fs {
		file, ok := g.disk[fs[i].File]
		if !ok || fs[i].Kind != rules.SecretAccessKey || done[filepath.Dir(file)] {
			continue
		}
		dir := filepath.Dir(file)
		done[dir] = true
		for name, sp := range analyzer.NotAWSKeysUnder(ctx, g.rootOf(dir), g.files[dir], g.bound) {
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

// trimSpaceEnd is b without its trailing spaces, tabs and line ends: the
// byte test asks it at every quote of a file, where bytes.TrimRight would
// build its set of characters each time.
func trimSpaceEnd(b []byte) []byte {
	i := len(b)
	for i > 0 && (b[i-1] == ' ' || b[i-1] == '\t' || b[i-1] == '\r' || b[i-1] == '\n') {
		i--
	}
	return b[:i]
}
