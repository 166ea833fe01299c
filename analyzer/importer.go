package analyzer

import (
	"context"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/modfile"
	"golang.org/x/sync/semaphore"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/modreplace"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner/content"
)

// sourceImporter gives the type checker of keyscan scan the packages of the
// scanned tree from source: their constant and type declarations, enough to
// fold a key assembled with another package's constant. Function bodies,
// variables and functions are dropped before checking; what it cannot find
// under root is an empty package (emptyImporter). One importer serves one
// package of a ScanPackageDir call; what it reads is shared with the other
// calls of the scan through an ImportCache, when one is given. Only the imports in want are read (those whose names take part
// in a concatenation, a constant declaration or a call that builds a
// string), and of their own imports only those their string constants
// name (checkDeclared, below), for the packages the cache's SetFolds names:
// a key folded through a chain of packages is found as go vet finds it,
// while a scan's cost stays near that of the byte scan.
type sourceImporter struct {
	fset     *token.FileSet
	root     string // "" resolves nothing
	realRoot string // root with its links resolved
	// main is the folder of the package whose check im serves, view the
	// folder of its go.mod (setMain): "" resolves each import from the
	// importing package's folder.
	main, view string
	// modules holds ImportResolver.Module's answers by folder.
	modules map[string]string
	want    map[string]bool // import paths worth reading
	pkgs    map[string]*types.Package
	// lens holds the lengths of the string constants of the packages read
	// (constStrings): the importer's values stay unread.
	lens map[*types.Package]map[*types.Const]int64
	// cache, when not nil, holds the packages read for the whole scan.
	cache *ImportCache
	// resolved holds resolve's answers by import path and folder: the
	// type checker asks for a path again wherever it is used, and each
	// answer reads go.mod and go.work files.
	resolved map[[2]string]string
	// bound bounds each package read (CheckBound), and the declarations
	// of the packages one check holds at once (held, heldTokens);
	// skipped collects the files of the packages imported that it left
	// out.
	bound      CheckBound
	skipped    []string
	held       []*cachedPackage // in cache, released when the check is done
	heldTokens int
	// read counts the tokens of the packages read, for the watch of the
	// check (runWatched), which reads it from its own goroutine.
	read atomic.Int64
	// snapshot, when set, gives the packages imported from the snapshot a
	// blob is read in (keyscan staged: the index), not from the disk:
	// ok false for a path outside the snapshot's module, which is left
	// empty. snapErr keeps the first package it could not give whole
	// (unreadable, past the bound): the caller's gap.
	snapshot func(path string) (files []Sibling, ok bool, err error)
	snapErr  error
	// visiting holds the packages whose declarations are being read
	// below this importer (by folder, or "\x00snapshot\x00" and path):
	// an import cycle, which a crafted tree may hold, reads an empty
	// package instead of itself again.
	visiting map[string]bool
	// belowCache, for an importer below another (below), holds the
	// packages read below others for the whole scan (ImportCache.below).
	belowCache *ImportCache
}

// ImportCache holds the imported packages of one scan, shared by its
// ScanPackageDirShared calls: their declarations only, checked against
// empty imports, so a package reads the same whoever imports it. The
// packages are complete when stored and only read after.
//
// The cache is bounded as a package's check is (CheckBound): the packages
// no check is using keep no more than bound tokens of declarations, the
// least recently used leaving first (and read again if asked for again).
// Kept whole, eight imported packages each just under the bound held
// 1.1 GB until the scan's end (qa30 M6). Thrashing it costs a check what
// its bound allows: each importer reads again at most bound tokens of
// imports (sourceImporter.heldTokens), as much as its own files may cost.
type ImportCache struct {
	// fset is shared: the positions of cached packages' objects, keys of
	// maps beside the importing package's, are not the scanned files'.
	// Their files leave it once checked (sourceImporter.check): a base
	// is never given twice, and nothing looks up a position there.
	fset   *token.FileSet
	mu     sync.Mutex
	pkgs   map[string]*cachedPackage
	sizes  map[string]*cachedPackage // unchecked copies of all read: their size and files
	checks atomic.Int64
	idle   int   // tokens of the stored packages no check holds
	tick   int64 // counts releases, for least recently used
	// checking weighs the checks of the scan's packages under way by
	// their tokens, a bound's worth at once (startCheck).
	checkingOnce sync.Once
	checking     *semaphore.Weighted
	checkingSize int64
	// below holds the packages read below an imported one (sourceImporter.
	// below), belowTokens their tokens, kept up to one bound's worth. Two
	// checks that ask for the same one at once both read it, neither
	// waiting on the other: a crafted tree's import cycle cannot make
	// them wait on each other.
	belowMu     sync.Mutex
	belowPkgs   map[string]*cachedPackage
	belowTokens int
	// folds, when set, says which folders' packages fold their constants
	// with their imports' (SetFolds): only those have their imports read.
	folds func(dir string) bool
}

// SetFolds tells the cache which folders hold a package whose constants
// fold with the constants of the packages it imports (const Head =
// lib2.Pre): an imported package's own imports are read only for those.
// keyscan scan knows them from the bytes of the tree it walked; without
// it every imported package's are (below), which on the standard library
// read syscall's declarations below os for nothing. Call it before the
// scan's checks start.
func (c *ImportCache) SetFolds(folds func(dir string) bool) { c.folds = folds }

// startCheck waits until a package's check of n tokens fits beside the
// checks under way, a bound's worth in all, and counts it until end.
// Two packages just under the bound checked at once by keyscan scan's two
// workers held 950 MB (qa30 M6's packages); checked one after the other,
// half that. Most packages are a small part of the bound, and as many are
// checked at once as before. A check waits before it holds anything, and
// an imported package's check (ImportFrom, bounded by each check's room)
// does not wait, so no check waits on another that waits on it.
func (c *ImportCache) startCheck(ctx context.Context, bound CheckBound, n int) (end func(), err error) {
	c.checkingOnce.Do(func() { c.checking, c.checkingSize = semaphore.NewWeighted(int64(bound)), int64(bound) })
	w := min(int64(n), c.checkingSize) // a call with a larger bound waits for all
	if err := c.checking.Acquire(ctx, w); err != nil {
		return nil, err
	}
	return func() { c.checking.Release(w) }, nil
}

type cachedPackage struct {
	once    sync.Once
	p       *types.Package // nil: nothing to read
	lens    map[*types.Const]int64
	skipped []string // its files left out for the bound
	// files are the package's files read, named on disk (a check that
	// cannot hold the package reports them), tokens the tokens of their
	// declarations kept: what the package's types cost to hold.
	files  []string
	tokens int
	// unchecked: parsed, its size learnt, but not type-checked, for the
	// check that read it could not hold it (sourceImporter.load).
	unchecked bool
	key       string // in ImportCache.pkgs
	users     int    // checks holding it (ImportCache.mu)
	last      int64  // the tick of its last release
}

// NewImportCache returns an empty cache for one scan.
func NewImportCache() *ImportCache {
	return &ImportCache{fset: token.NewFileSet(), pkgs: map[string]*cachedPackage{}, sizes: map[string]*cachedPackage{}}
}

// Checks is how many packages the cache has read and type-checked.
func (c *ImportCache) Checks() int { return int(c.checks.Load()) }

func newSourceImporter(fset *token.FileSet, root string, want map[string]bool) *sourceImporter {
	if root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			root = abs
		}
	}
	realRoot := root
	if r, err := filepath.EvalSymlinks(root); err == nil {
		realRoot = r
	}
	return &sourceImporter{fset: fset, root: root, realRoot: realRoot, want: want, pkgs: map[string]*types.Package{},
		lens: map[*types.Package]map[*types.Const]int64{}}
}

// setMain says that im serves the check of the package in folder dir:
// the go command resolves every import of its build, its imports' own
// too, as the main module (or workspace) of that package does, in one
// build list, whatever module the importing package is of. A go.mod's
// replace of a module that is not a main one is not the build's: app
// replacing lib with ../x and lib2 with ../z, x's go.mod replacing lib2
// with ../safe, go vet folds z's constant through x/cfg, and scan read
// safe's (and, the other way round, reported a key from a folder go does
// not build).
func (im *sourceImporter) setMain(dir string) {
	im.main = dir
	for d := dir; im.inside(d); d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && st.Mode().IsRegular() {
			im.view = d
			return
		}
		if filepath.Dir(d) == d {
			break
		}
	}
}

func (im *sourceImporter) Import(path string) (*types.Package, error) {
	return im.ImportFrom(path, "", 0)
}

// ImportFrom resolves path from the package in dir (types.ImporterFrom).
func (im *sourceImporter) ImportFrom(path, dir string, _ types.ImportMode) (*types.Package, error) {
	if !im.want[path] {
		return emptyImporter{}.Import(path)
	}
	if im.snapshot != nil {
		return im.importSnapshot(path), nil
	}
	if im.main != "" {
		dir = im.main // setMain
	}
	pdir, ok := im.resolved[[2]string{path, dir}]
	if !ok {
		pdir = im.resolve(path, dir)
		if im.resolved == nil {
			im.resolved = map[[2]string]string{}
		}
		im.resolved[[2]string{path, dir}] = pdir
	}
	if pdir == "" || im.visiting[pdir] {
		return emptyImporter{}.Import(path)
	}
	if p, ok := im.pkgs[pdir]; ok {
		return p, nil
	}
	room := -1 // what this check may still hold, in tokens; -1: no bound
	if im.bound > 0 {
		room = max(int(im.bound)-im.heldTokens, 0)
	}
	var e *cachedPackage
	if c := im.belowCache; c != nil {
		c.belowMu.Lock()
		e = c.belowPkgs[im.cacheKey(path, pdir)]
		c.belowMu.Unlock()
		if e != nil && room >= 0 && e.tokens > room {
			e = &cachedPackage{unchecked: true, files: e.files, tokens: e.tokens}
		}
	}
	if e == nil {
		e = im.load(path, pdir, room)
		if c := im.belowCache; c != nil && e.p != nil && (im.bound == 0 || c.belowTokens+e.tokens <= int(im.bound)) {
			c.belowMu.Lock()
			if c.belowPkgs == nil {
				c.belowPkgs = map[string]*cachedPackage{}
			}
			if _, ok := c.belowPkgs[im.cacheKey(path, pdir)]; !ok {
				c.belowPkgs[im.cacheKey(path, pdir)] = e
				c.belowTokens += e.tokens
			}
			c.belowMu.Unlock()
		}
	}
	im.skipped = append(im.skipped, e.skipped...)
	if e.p == nil {
		// Nothing to read, or more than this check can hold with the
		// packages it holds already: a package importing sixteen at the
		// bound would hold them all at once (qa30 M6). Left out, and
		// said, as a file past the bound is.
		if e.unchecked {
			im.skipped = append(im.skipped, e.files...)
		}
		p, _ := emptyImporter{}.Import(path)
		im.pkgs[pdir] = p // asked again, the same empty package
		return p, nil
	}
	im.heldTokens += e.tokens
	im.read.Add(int64(e.tokens))
	im.pkgs[pdir], im.lens[e.p] = e.p, e.lens
	return e.p, nil
}

// typeCost is a foreignCost over the packages im reads (typeWorkWith): a
// type of a package it resolves is costed from the package's types
// (costOfType), imported as the type check would import it, once; one it
// does not resolve is not at hand.
func (im *sourceImporter) typeCost(fset *token.FileSet) foreignCost {
	return costsOf(im.objectOf(fset))
}

// costsOf is the foreignCost of the types objectOf gives.
func costsOf(objectOf foreignObject) foreignCost {
	memo := map[*types.Named]*typesCost{}
	return func(file *ast.File, sel *ast.SelectorExpr) (typesCost, bool) {
		obj, ok := objectOf(file, sel).(*types.TypeName)
		if !ok {
			return typesCost{}, false
		}
		return costOfType(obj.Type(), memo), true
	}
}

// objectOf is a foreignObject over the packages im reads (exprWork): the
// object sel names in a package it resolves, imported as the type check
// would import it; nil for one it does not resolve.
func (im *sourceImporter) objectOf(fset *token.FileSet) foreignObject {
	return func(file *ast.File, sel *ast.SelectorExpr) types.Object {
		path, ok := selImport(file, sel)
		if !ok || !im.want[path] {
			return nil
		}
		p, err := im.ImportFrom(path, fileDir(fset, file), 0)
		if err != nil || p == nil {
			return nil
		}
		return p.Scope().Lookup(sel.Sel.Name)
	}
}

// importedObjects is the foreignObject of the packages imports gives,
// each asked once.
func importedObjects(imports types.Importer) foreignObject {
	pkgs := map[string]*types.Package{}
	return func(file *ast.File, sel *ast.SelectorExpr) types.Object {
		path, ok := selImport(file, sel)
		if !ok {
			return nil
		}
		p, seen := pkgs[path]
		if !seen {
			p, _ = imports.Import(path)
			pkgs[path] = p
		}
		if p == nil {
			return nil
		}
		return p.Scope().Lookup(sel.Sel.Name)
	}
}

// selImport returns the path of the import of file that sel's package
// name names (pkg in pkg.Name); ok is false when it names none.
func selImport(file *ast.File, sel *ast.SelectorExpr) (path string, ok bool) {
	x, isIdent := sel.X.(*ast.Ident)
	if !isIdent {
		return "", false
	}
	for _, spec := range file.Imports {
		if name, path, ok := specName(spec); ok && name == x.Name {
			return path, true
		}
	}
	return "", false
}

// fileDir is the folder go/types gives the importer for file's imports.
func fileDir(fset *token.FileSet, file *ast.File) string {
	name := fset.Position(file.Name.Pos()).Filename
	if i := strings.LastIndexAny(name, `/\`); i > 0 {
		return name[:i]
	}
	return "."
}

// importSnapshot returns the package path as im.snapshot gives it: its
// declarations read and bounded as a folder's are (declare, checkDeclared),
// within what the check may still hold. A package the snapshot cannot give
// whole, or that the bound cuts, sets im.snapErr: a constant the
// importing file folds may be in what was left out. What the bound
// admitted is read all the same, as keyscan scan reads it.
func (im *sourceImporter) importSnapshot(path string) *types.Package {
	key := "\x00snapshot\x00" + path
	if p, ok := im.pkgs[key]; ok {
		return p
	}
	empty, _ := emptyImporter{}.Import(path)
	if im.visiting[key] {
		return empty
	}
	im.pkgs[key] = empty // asked again, the same answer
	files, ok, err := im.snapshot(path)
	if !ok {
		return empty // outside the module: unresolved, as in ScanGoSource
	}
	if err != nil {
		im.snapGap(err)
		return empty
	}
	read := make([]goSource, len(files))
	for i, f := range files {
		read[i] = goSource{f.Name, f.Src}
	}
	room := -1
	if im.bound > 0 {
		room = max(int(im.bound)-im.heldTokens, 0)
	}
	p, lens, d := im.checkDeclared(path, key, im.declare(read), room)
	if len(d.skipped) > 0 {
		// The files admitted are read, as keyscan scan reads them: a key
		// they make is found, and the gap said.
		im.snapGap(fmt.Errorf("%s (imported): past the bound of a package's type check, types too costly to type-check, or not readable whole by Go's parser", d.skipped[0]))
	}
	if d.unchecked {
		im.snapGap(fmt.Errorf("%s (imported): its declarations are past what the type check can still hold", path))
		return empty
	}
	if p == nil {
		return empty
	}
	im.heldTokens += d.tokens
	im.read.Add(int64(d.tokens))
	im.pkgs[key], im.lens[p] = p, lens
	return p
}

// snapGap keeps the first error of the snapshot's packages.
func (im *sourceImporter) snapGap(err error) {
	if im.snapErr == nil {
		im.snapErr = err
	}
}

// load returns the package path in pdir, from the cache when im has one,
// held by im until done. A package whose declarations are more than room
// tokens (-1: no bound) is parsed but not type-checked, and comes back
// unchecked, with no types: its size is kept, so that the next check
// that cannot hold it does not parse it again, and one that can reads it
// whole.
func (im *sourceImporter) load(path, pdir string, room int) *cachedPackage {
	c := im.cache
	if c == nil {
		e := &cachedPackage{}
		e.read(im, path, pdir, room)
		return e
	}
	key := im.cacheKey(path, pdir)
	for range 3 { // another check, with less room, may have read it first
		c.mu.Lock()
		s, ok := c.sizes[key]
		c.mu.Unlock()
		if ok && room >= 0 && s.tokens > room {
			return s
		}
		e := c.hold(key)
		e.once.Do(func() {
			e.read(im, path, pdir, room)
			if !e.unchecked {
				c.checks.Add(1)
			}
			c.mu.Lock()
			c.sizes[key] = &cachedPackage{unchecked: true, files: e.files, skipped: e.skipped, tokens: e.tokens}
			c.mu.Unlock()
		})
		if !e.unchecked {
			im.held = append(im.held, e)
			return e
		}
		c.release([]*cachedPackage{e}, im.bound) // unchecked: it leaves the cache
		if room >= 0 && e.tokens > room {
			return e
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sizes[key]
}

// read fills e with the package path in pdir, as im reads it, within room
// tokens (-1: no bound).
func (e *cachedPackage) read(im *sourceImporter, path, pdir string, room int) {
	var d declared
	e.p, e.lens, d = im.check(path, pdir, room)
	e.skipped, e.files, e.tokens, e.unchecked = d.skipped, d.files, d.tokens, d.unchecked
}

// hold returns the cache's entry for key, a new one if none, marked as in
// use until release.
func (c *ImportCache) hold(key string) *cachedPackage {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.pkgs[key]
	if e == nil {
		e = &cachedPackage{key: key}
		c.pkgs[key] = e
	} else if e.users == 0 {
		c.idle -= e.tokens
	}
	e.users++
	return e
}

// release ends one check's use of the packages held; past bound tokens of
// packages no check uses, the least recently used leave the cache, as
// does an unchecked package (load) at once.
func (c *ImportCache) release(held []*cachedPackage, bound CheckBound) {
	if len(held) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range held {
		e.users--
		switch {
		case c.pkgs[e.key] != e: // left already
		case e.unchecked:
			delete(c.pkgs, e.key)
		case e.users == 0:
			c.tick++
			e.last = c.tick
			c.idle += e.tokens
		}
	}
	for bound > 0 && c.idle > int(bound) {
		var oldest *cachedPackage
		for _, e := range c.pkgs {
			if e.users == 0 && e.tokens > 0 && (oldest == nil || e.last < oldest.last) {
				oldest = e
			}
		}
		if oldest == nil {
			return
		}
		delete(c.pkgs, oldest.key)
		c.idle -= oldest.tokens
	}
}

// done ends the check's use of its imported packages.
func (im *sourceImporter) done() {
	if im.cache != nil {
		im.cache.release(im.held, im.bound)
	}
	im.held, im.heldTokens = nil, 0
}

// importedLen gives cutLongStrings the length of the constant x.sel of file
// f, x an imported package's name ("." for the packages f imports with a
// dot: the longest of theirs): read from source if the package is one the
// importer reads, as the type checker would then read it; 0 when x.sel is
// no string constant, more than maxConstLen when its length is unknown.
func (im *sourceImporter) importedLen(fset *token.FileSet) func(f *ast.File, x, sel string) int64 {
	return func(f *ast.File, x, sel string) int64 {
		var n int64
		for _, spec := range f.Imports {
			name, path, ok := specName(spec)
			if !ok || name != x {
				continue
			}
			p, err := im.ImportFrom(path, filepath.Dir(fset.File(f.FileStart).Name()), 0)
			if err != nil || p == nil {
				continue
			}
			c, ok := p.Scope().Lookup(sel).(*types.Const)
			if !ok || c.Val().Kind() != constant.String {
				continue
			}
			l, ok := im.constLen(c)
			if !ok {
				l = maxConstLen + 1
			}
			n = max(n, l)
		}
		return n
	}
}

// constLen is the length of a string constant of a package the importer
// read; false for any other.
func (im *sourceImporter) constLen(c *types.Const) (int64, bool) {
	n, ok := im.lens[c.Pkg()][c]
	return n, ok && n >= 0
}

// cacheKey is the package path in pdir's key in the import caches: with
// the module of the check's package (setMain), whose build resolves the
// package's own imports.
func (im *sourceImporter) cacheKey(path, pdir string) string {
	return pdir + "\x00" + path + "\x00" + im.view
}

// check reads the declarations of the package in pdir and type-checks them
// against empty imports; nil when there is nothing to read. It returns the
// lengths of the package's string constants with it, worked out from their
// declarations, so that the importing package can bound its own.
func (im *sourceImporter) check(path, pdir string, room int) (*types.Package, map[*types.Const]int64, declared) {
	return im.checkDeclared(path, pdir, im.declarations(pdir), room)
}

// checkDeclared type-checks the declarations d read of package path (key:
// its folder, or its snapshot key), as check does.
//
// The packages of the tree its constants fold with (foldedImports: const
// Head = lib2.Pre, lib2.Pre + "…") are read the same way, below it, within
// what room leaves: go vet folds a constant through any number of
// packages from their export data, and a key folded through three
// packages, with no literal where it is spelled, passed keyscan scan
// (fold35). Only those imports are read, and each level's only, so a
// chain costs the packages it folds through; they are not shared through
// the cache (a package read below another is read again by the next
// check that needs it), which keeps two checks reading each other's
// packages from waiting on each other, whatever cycle a crafted tree
// holds. They are read within the room the package leaves, but are not
// counted as its own size: the cache would take the package for too
// large for the next check that asks for it. One that does not fit
// in what room leaves, or cannot be read, is an empty package, not named
// as left out (below's skipped and snapErr are dropped): before, no
// package below another was read at all, and a tree whose candidate
// imports os would be a gap for syscall's size.
func (im *sourceImporter) checkDeclared(path, key string, d declared, room int) (*types.Package, map[*types.Const]int64, declared) {
	defer func() {
		for _, tf := range d.tfiles {
			im.fset.RemoveFile(tf) // the syntax is dropped: only the types are kept
		}
	}()
	if room >= 0 && d.tokens > room {
		d.unchecked = true
	}
	if len(d.syntax) == 0 || d.unchecked {
		return nil, nil, d
	}
	files := d.syntax
	d.syntax = nil
	if typesExpandTooFar(files) { // a crash of go/types, not a check (qa31 F3): left out, and named
		for _, f := range files {
			d.skipped = append(d.skipped, im.fset.File(f.Package).Name())
		}
		return nil, nil, d
	}
	var want map[string]bool
	if c := firstCache(im.cache, im.belowCache); c == nil || c.folds == nil || c.folds(key) {
		want = constFoldedImports(files)
	}
	below := im.below(key, want, room, d.tokens)
	cutLongStrings(files, below.importedLen(im.fset)) // the files are the importer's own: nothing to restore
	conf := types.Config{Importer: below, Error: func(error) {}, FakeImportC: true}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	p, _ := conf.Check(path, im.fset, files, info) // errors ignored, as for the package scanned
	if p == nil {
		return nil, nil, d
	}
	p.MarkComplete()
	strs := newConstStrings(info, files, below.constLen)
	lens := map[*types.Const]int64{}
	for _, name := range p.Scope().Names() {
		if c, ok := p.Scope().Lookup(name).(*types.Const); ok && c.Val().Kind() == constant.String {
			lens[c] = strs.constLen(c)
		}
	}
	return p, lens, d
}

// firstCache returns the first of caches that is not nil.
func firstCache(caches ...*ImportCache) *ImportCache {
	for _, c := range caches {
		if c != nil {
			return c
		}
	}
	return nil
}

// below returns the importer of the package key's own imports (want):
// the same tree or snapshot, no cache, and the room the package left of
// room (-1: no bound) after its own tokens.
func (im *sourceImporter) below(key string, want map[string]bool, room, own int) *sourceImporter {
	b := &sourceImporter{fset: im.fset, root: im.root, realRoot: im.realRoot, want: want, pkgs: map[string]*types.Package{},
		lens: map[*types.Package]map[*types.Const]int64{}, resolved: im.resolved, snapshot: im.snapshot,
		visiting: map[string]bool{key: true}, belowCache: im.belowCache, main: im.main, view: im.view}
	if im.cache != nil {
		b.belowCache = im.cache
	}
	for k := range im.visiting {
		b.visiting[k] = true
	}
	if room >= 0 {
		// ImportFrom leaves bound - heldTokens for what it reads.
		b.bound = max(im.bound, CheckBound(room))
		b.heldTokens = int(b.bound) - max(room-own, 0)
		if b.bound == 0 {
			b.bound, b.heldTokens = 1, 1
		}
	}
	return b
}

// ImportResolver finds, for keyscan scan's choice of the packages to
// type-check, the folder of the scanned tree that holds an imported package,
// as the importer of the type-checked scan finds it.
type ImportResolver struct {
	ims map[string]*sourceImporter // by root
}

// NewImportResolver returns a resolver for one scan (not safe for
// concurrent use).
func NewImportResolver() *ImportResolver {
	return &ImportResolver{ims: map[string]*sourceImporter{}}
}

// Dir returns the folder under root holding the package path as the
// package in folder dir imports it (the same module, a local replacement,
// the go.work's modules, a GOPATH-style src folder); "" when it is not in
// root.
func (r *ImportResolver) Dir(root, dir, path string) string {
	im := r.ims[root]
	if im == nil {
		im = newSourceImporter(nil, root, nil)
		r.ims[root] = im
	}
	k := [2]string{path, dir}
	if d, ok := im.resolved[k]; ok {
		return d
	}
	d := im.resolve(path, dir)
	if im.resolved == nil {
		im.resolved = map[[2]string]string{}
	}
	im.resolved[k] = d
	return d
}

// Module returns the folder of the go.mod nearest above dir, inside root
// ("" for none): the module whose build resolves the imports of dir's
// packages, and of the packages of other modules they import.
func (r *ImportResolver) Module(root, dir string) string {
	im := r.ims[root]
	if im == nil {
		im = newSourceImporter(nil, root, nil)
		r.ims[root] = im
	}
	if m, ok := im.modules[dir]; ok {
		return m
	}
	m := ""
	for d := dir; im.inside(d); d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && st.Mode().IsRegular() {
			m = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if im.modules == nil {
		im.modules = map[string]string{}
	}
	im.modules[dir] = m
	return m
}

// resolve returns the directory under root that holds the package path as
// imported from dir: through the module whose go.mod is nearest above dir
// (the module itself, or a module its replace directives put in a local
// directory, as a monorepo wires its modules together), else through a
// GOPATH-style src folder above dir; "" when neither. A replacement outside
// root is not read, as nothing outside root is.
//
// A package of a vendor/ folder the go command builds from (its
// modules.txt is there) imports as the module or workspace holding that
// folder does (vendorHolder): a go.work's vendor/ (go work vendor) has no
// go.mod above it, and a vendored package importing another (a imports b,
// both vendored) found neither, so a key folded through the chain was go
// vet's only.
func (im *sourceImporter) resolve(path, dir string) string {
	if im.root == "" || dir == "" {
		return ""
	}
	start := dir
	if h := im.vendorHolder(dir); h != "" {
		start = h
		if readGoMod(filepath.Join(h, "go.mod")).path == "" {
			// go work vendor's folder, beside the go.work: the
			// workspace's modules are the main ones.
			if w := im.workspace(h); w.dir == h {
				return im.resolveIn(path, w.view(nil))
			}
		}
	}
	// The go.mod may lie above root (keyscan scan sub, in a module): it is
	// read, as go vet reads it, for where the module's packages are; the
	// packages themselves are read only inside root (inModules).
	for d := start; im.inside(d) || pathname.Within(d, im.root); d = filepath.Dir(d) {
		if m := readGoMod(filepath.Join(d, "go.mod")); m.path != "" {
			if p := im.resolveIn(path, im.workspace(d).view(&mainModule{m, d})); p != "" {
				return p
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return im.gopathDir(path, dir)
}

// mainModule is a module's go.mod and folder.
type mainModule struct {
	mod goMod
	dir string
}

// modView is where the imports of a module's packages resolve, or of a
// go.work's vendor/ folder's.
type modView struct {
	mains []localModule // the main modules: the importer's first, a go.work's use entries
	// work are the go.work's replace directives, mods the main modules'
	// go.mod's in the go.work's use order, required their require
	// directives (modreplace), folders absolute.
	work     []modreplace.Directive
	mods     [][]modreplace.Directive
	required [][2]string
	vdir     string // holds the vendor/ folder the build reads
}

// view returns where the imports of own's packages resolve in w (no
// workspace when w.dir is ""), or of w's vendor/ folder's (own nil).
func (w workView) view(own *mainModule) modView {
	v := modView{work: w.work, mods: w.mods, required: w.required, vdir: w.dir}
	if own != nil {
		v.mains = []localModule{{own.mod.path, own.dir}}
		if w.dir == "" {
			v.vdir = own.dir // the module's own vendor/
		}
		if !slices.ContainsFunc(w.uses, func(u localModule) bool { return u.dir == own.dir }) {
			// outside a workspace, or a module the go.work does not use
			// (the go command refuses to build it there): its go.mod's
			// directives, last
			v.mods = append(slices.Clip(v.mods), own.mod.directives(own.dir))
			for _, r := range own.mod.required {
				v.required = append(v.required, [2]string{r.path, r.dir})
			}
		}
	}
	v.mains = append(v.mains, w.uses...)
	return v
}

// replaced returns the module paths v's replace directives name, each in
// the folder the go command builds it from (modreplace.Pick), "" when not
// in a folder (another module version, the module cache).
func (v modView) replaced() []localModule {
	var out []localModule
	for _, old := range modreplace.Olds(v.work, v.mods) {
		if d, ok := modreplace.Pick(old, modreplace.Selected(old, v.required), v.work, v.mods); ok {
			out = append(out, localModule{old, d.Dir})
		}
	}
	return out
}

// resolveIn resolves path in the module or workspace v: its main modules
// first; then, with a vendor/modules.txt (the module's, or the go.work's
// in a workspace), the go command builds every package outside the main
// modules from vendor/, replaced ones included (a go.work's replace too:
// qa37 M1, go work vendor copies the replacement there): so does go vet,
// and so is it read here; else the folder the replace directives that
// apply put it in (not one for another version than the build selects,
// nor one a directive that wins over it replaces with a module version).
func (im *sourceImporter) resolveIn(path string, v modView) string {
	if p := im.inModules(path, v.mains); p != "" {
		return p
	}
	if p := im.vendored(path, v.vdir); p != "" {
		return p
	}
	return im.inModules(path, v.replaced())
}

// vendorHolder returns the folder whose vendor/ holds the folder dir when
// that vendor/modules.txt is a regular file (the go command builds the
// package from there: the module's folder, or the go.work's); "" for a
// folder of no such vendor/.
func (im *sourceImporter) vendorHolder(dir string) string {
	for d := dir; im.inside(d); d = filepath.Dir(d) {
		if filepath.Base(d) == "vendor" && d != dir {
			if st, err := os.Lstat(filepath.Join(d, "modules.txt")); err == nil && st.Mode().IsRegular() {
				return filepath.Dir(d)
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return ""
}

// vendored returns the folder of package path in the vendor/ folder of
// the module or workspace root, when root's vendor/modules.txt is a
// regular file; "" otherwise. The go command then builds every package
// of another module from there (-mod=vendor is its default), so a
// constant go vet folds from a vendored package is that folder's.
func (im *sourceImporter) vendored(path, root string) string {
	v := filepath.Join(root, "vendor")
	if !im.inside(v) {
		return "" // not read, as nothing outside root is
	}
	if st, err := os.Lstat(filepath.Join(v, "modules.txt")); err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return im.existing(filepath.Join(v, filepath.FromSlash(path)))
}

// inModules returns the directory of package path in one of the modules
// mods: the longest module path that holds path wins, as in the go
// command's build list.
func (im *sourceImporter) inModules(path string, mods []localModule) string {
	best, bestDir := "", ""
	for _, m := range mods {
		if len(m.path) > len(best) && (path == m.path || strings.HasPrefix(path, m.path+"/")) {
			best, bestDir = m.path, m.dir
		}
	}
	if best == "" || bestDir == "" {
		return "" // not in a folder: the module cache's
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(path, best), "/")
	return im.existing(filepath.Join(bestDir, filepath.FromSlash(rest)))
}

func (im *sourceImporter) gopathDir(path, dir string) string {
	if im.root == "" || dir == "" {
		return ""
	}
	for d := dir; im.inside(d); d = filepath.Dir(d) {
		if filepath.Base(d) == "src" {
			return im.existing(filepath.Join(d, filepath.FromSlash(path)))
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return ""
}

// inside reports whether d is root or below it.
func (im *sourceImporter) inside(d string) bool {
	return pathname.Within(im.root, d)
}

// The test is made on the folder's real path too: a link inside root to a
// folder elsewhere is not followed out of it, as the walker does not follow
// it.
func (im *sourceImporter) existing(d string) string {
	if !im.inside(d) {
		return ""
	}
	real, err := filepath.EvalSymlinks(d)
	if err != nil || !pathname.Within(im.realRoot, real) {
		return ""
	}
	if st, err := os.Stat(real); err == nil && st.IsDir() {
		return d
	}
	return ""
}

// declared is what declarations read of a package's folder.
type declared struct {
	syntax  []*ast.File   // the files' imports, constants and types
	files   []string      // their paths under the folder
	tfiles  []*token.File // every file parsed, in the importer's file set
	tokens  int           // the tokens of the declarations kept
	skipped []string      // the files left out for the bound
	// unchecked: too large for the check that read it (check's room)
	unchecked bool
}

// declarations parses the package's non-test Go files in dir, keeping only
// imports, constants and types.
// The folder is listed and its files read from the real root following no
// link (readfile.OpenBeneath): existing judged the folder's real path, and
// a folder swapped for a link since is not followed out of the tree.
//
// The files are read within im.bound, smallest first; those left out for
// it are returned, by their path under dir.
func (im *sourceImporter) declarations(dir string) (out declared) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil || !pathname.Within(im.realRoot, real) {
		return out
	}
	rel, err := filepath.Rel(im.realRoot, real)
	if err != nil {
		return out
	}
	rel = filepath.ToSlash(rel)
	var d *os.File
	if rel == "." {
		d, err = readfile.OpenDir(im.realRoot)
	} else {
		d, err = readfile.OpenBeneath(im.realRoot, rel, true)
	}
	if err != nil {
		return out
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return out
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var read []goSource
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		// Only regular files, no link, up to a bound: a FIFO named x.go
		// would block the read for good.
		src, err := readfile.FileBeneath(im.realRoot, path.Join(rel, n), maxImportedFile)
		if err != nil {
			continue
		}
		read = append(read, goSource{filepath.Join(dir, n), src})
	}
	return im.declare(read)
}

// declare parses the files read of one package, keeping only imports,
// constants and types, within im.bound, smallest first; those left out
// for it are returned by name.
func (im *sourceImporter) declare(read []goSource) (out declared) {
	budget := &tokenBudget{bound: im.bound}
	admitted := budget.admitSmallest(read)
	name := ""
	for i, gs := range read {
		n, src := gs.name, gs.src
		if !admitted[i] {
			out.skipped = append(out.skipped, n)
			continue
		}
		f, whole := parseRecovered(im.fset, n, src, parser.SkipObjectResolution)
		if f != nil {
			out.tfiles = append(out.tfiles, im.fset.File(f.FileStart))
		}
		if !whole { // declarations the parser could not read (qa31 F13): named, as a file left out is
			out.skipped = append(out.skipped, n)
		}
		if f == nil || f.Name == nil || !f.Package.IsValid() || len(f.Decls) == 0 {
			continue
		}
		if name == "" {
			name = f.Name.Name
		}
		if f.Name.Name != name {
			continue
		}
		kept := f.Decls[:0]
		tf := im.fset.File(f.FileStart)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok != token.VAR {
				kept = append(kept, d)
				// What holding the package costs is what the type
				// checker makes of these: the bodies and variables
				// dropped cost nothing once the check is done.
				out.tokens += content.GoTokens(src[tf.Offset(g.Pos()):tf.Offset(g.End())], len(src))
			}
		}
		f.Decls = kept
		out.syntax = append(out.syntax, f)
		out.files = append(out.files, n)
	}
	return out
}

// goMod is what a go.mod file says about where packages are.
type goMod struct {
	path     string // the module's path; "" when the file is missing or declares none
	replaced []localModule
	// replaces are its replace directives, Dir as written ("" for a
	// module version)
	replaces []modreplace.Directive
	required []localModule // path and version (in dir) of each require directive
}

// localModule is a module in a local directory: the module of a go.mod,
// one a replace directive names, one a go.work uses.
type localModule struct {
	path string
	dir  string // in goMod.replaced as written: relative to the go.mod's folder, or absolute
}

// inFolder returns mods with their directories taken from folder d.
func inFolder(d string, mods []localModule) []localModule {
	out := make([]localModule, len(mods))
	for i, m := range mods {
		out[i] = m
		if !filepath.IsAbs(m.dir) {
			out[i].dir = filepath.Join(d, m.dir)
		}
	}
	return out
}

// workView is what the go.work file nearest above a folder says: dir its
// folder ("" when there is none), uses the modules it uses (the main
// modules, in its order; one outside root is left to inModules' test,
// which does not read it), work its replace directives, mods and required
// those of its modules' go.mod files (in a workspace the go command
// applies every workspace module's replacements, not only the
// importer's), folders absolute.
type workView struct {
	dir      string
	uses     []localModule
	work     []modreplace.Directive
	mods     [][]modreplace.Directive
	required [][2]string
}

// workspace returns the go.work file nearest above folder d (inside root
// or above it, as go.mod), as the go command finds it.
func (im *sourceImporter) workspace(d string) (out workView) {
	for w := d; im.inside(w) || pathname.Within(w, im.root); w = filepath.Dir(w) {
		data, err := readfile.File(filepath.Join(w, "go.work"), true, maxGoMod)
		if err != nil {
			if filepath.Dir(w) == w {
				break
			}
			continue
		}
		f, err := modfile.ParseWork(filepath.Join(w, "go.work"), data, nil)
		if err != nil {
			return workView{}
		}
		out.dir = w
		for _, u := range f.Use {
			dir := filepath.Join(w, filepath.FromSlash(u.Path))
			if filepath.IsAbs(filepath.FromSlash(u.Path)) {
				dir = filepath.FromSlash(u.Path)
			}
			if !im.inside(dir) {
				continue
			}
			if m := readGoMod(filepath.Join(dir, "go.mod")); m.path != "" {
				out.uses = append(out.uses, localModule{m.path, dir})
				out.mods = append(out.mods, m.directives(dir))
				for _, r := range m.required {
					out.required = append(out.required, [2]string{r.path, r.dir})
				}
			}
		}
		for _, r := range f.Replace {
			dir := ""
			if modfile.IsDirectoryPath(r.New.Path) {
				dir = inFolder(w, []localModule{{r.Old.Path, filepath.FromSlash(r.New.Path)}})[0].dir
			}
			out.work = append(out.work, modreplace.Directive{Old: r.Old.Path, OldVersion: r.Old.Version, Dir: dir})
		}
		return out
	}
	return workView{}
}

// maxGoMod bounds the go.mod files read: the largest real ones are tens of
// kilobytes. maxImportedFile bounds an imported package's Go files, as the
// scan's default bounds the files it reads.
const (
	maxGoMod        = 4 << 20
	maxImportedFile = config.DefaultMaxFileSize
)

// readGoMod reads the go.mod file gomod, a regular file only (a FIFO cannot
// block the read). The replace directives are read from the file's syntax:
// modfile's checks of the other directives (versions, a go line newer than
// it knows) have no bearing on where a local module is.
func readGoMod(gomod string) goMod {
	data, err := readfile.File(gomod, true, maxGoMod)
	if err != nil {
		return goMod{}
	}
	m := goMod{path: modfile.ModulePath(data)}
	f, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return m
	}
	replace := func(tok []string) {
		// old [version] => new [version]
		i := slices.Index(tok, "=>")
		if i < 1 || i+1 >= len(tok) {
			return
		}
		old, dir := unquoteToken(tok[0]), unquoteToken(tok[i+1])
		if old == "" {
			return
		}
		d := modreplace.Directive{Old: old}
		if i == 2 {
			d.OldVersion = unquoteToken(tok[1])
		}
		if modfile.IsDirectoryPath(dir) {
			m.replaced = append(m.replaced, localModule{old, filepath.FromSlash(dir)})
			d.Dir = filepath.FromSlash(dir)
		}
		m.replaces = append(m.replaces, d)
	}
	for _, r := range f.Require {
		m.required = append(m.required, localModule{r.Mod.Path, r.Mod.Version})
	}
	for _, st := range f.Syntax.Stmt {
		switch st := st.(type) {
		case *modfile.Line:
			if len(st.Token) > 0 && st.Token[0] == "replace" {
				replace(st.Token[1:])
			}
		case *modfile.LineBlock:
			if len(st.Token) == 1 && st.Token[0] == "replace" {
				for _, l := range st.Line {
					replace(l.Token)
				}
			}
		}
	}
	return m
}

// directives returns m's replace directives with their folders taken from
// folder d, m's.
func (m goMod) directives(d string) []modreplace.Directive {
	out := slices.Clone(m.replaces)
	for i, r := range out {
		if r.Dir != "" && !filepath.IsAbs(r.Dir) {
			out[i].Dir = filepath.Join(d, r.Dir)
		}
	}
	return out
}

// unquoteToken is a go.mod token's text: a quoted one unquoted, "" when
// the quoting is broken.
func unquoteToken(t string) string {
	if strings.HasPrefix(t, `"`) {
		u, err := strconv.Unquote(t)
		if err != nil {
			return ""
		}
		return u
	}
	return t
}
