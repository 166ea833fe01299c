package analyzer

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"

	"github.com/keyscan/keyscan/scanner"
)

// Sibling is another Go file of a candidate's folder, in the same
// snapshot as the candidate (the index's version for keyscan staged, the
// pushed commit's for the gate): Name as the findings would name it, Src
// its bytes.
type Sibling struct {
	Name string
	Src  []byte
}

// ScanGoSourceWith is ScanGoSource for a candidate whose folder's other
// Go files are at hand (qa31 F2: a key split over a package's files, as
// keyscan scan and go vet find it by checking a folder's files together,
// ScanPackageDirShared). siblings is called at most once, and only when
// the candidate adds to a name it does not declare (RefersOutside) or
// heads says it holds the head of a key ID another file may complete;
// the files of the same package it returns are then type-checked with
// the candidate. A candidate with neither is checked alone and siblings
// is not called: an ordinary commit pays nothing for them.
//
// The candidate's findings are returned, and, when heads brought the
// siblings in, theirs too, at their own places (a.go's head completed in
// b.go is b.go's key): the caller keeps each place once.
//
// An error from siblings (a file that cannot be read, or over a bound)
// is returned with the findings of the candidate checked alone: the
// caller counts the candidate as not type-checked (a gap), never passed.
func ScanGoSourceWith(ctx context.Context, sc *scanner.Scanner, name string, src []byte, heads bool, siblings func(names []string) ([]Sibling, error)) (scanner.Findings, error) {
	return ScanGoSourceIn(ctx, sc, name, src, heads, siblings, nil)
}

// ScanGoSourceIn is ScanGoSourceWith with the candidate's imports of its
// own module at hand too (a key whose head package cfg declares and
// package app completes, cfg.Head + "…", as keyscan scan and go vet find
// it): imported gives the non-test Go files of the package at an import
// path in the same snapshot, ok false for a path outside the module (the
// standard library, a dependency), which stays unresolved as in
// ScanGoSource. It is called only for the imports whose names the
// candidate's folds use (foldedImports), once each. Their declarations
// are read as keyscan scan reads an imported folder's (constants and
// types, within MaxCheckTokens, a type that would expand too far left
// out); one that imported cannot give, or that the bound cuts, is an
// error, as a sibling's is: the candidate is then a gap, never passed.
func ScanGoSourceIn(ctx context.Context, sc *scanner.Scanner, name string, src []byte, heads bool, siblings func(names []string) ([]Sibling, error), imported func(path string) ([]Sibling, bool, error)) (scanner.Findings, error) {
	if ctx.Err() != nil {
		return nil, nil
	}
	fset := token.NewFileSet()
	f, _ := parseRecovered(fset, name, src, parser.SkipObjectResolution)
	if f == nil {
		return nil, nil
	}
	folds := mayFold(f)
	var names []string // a sibling that names none of them is not read with the candidate
	if folds {
		names = outsideNames(f)
	}
	if heads {
		names = append(names, valueNames(f)...)
	}
	if !folds && !heads {
		return nil, nil
	}
	files := []*ast.File{f}
	fnames := []string{name}
	srcs := [][]byte{src}
	var err error
	if siblings != nil && len(names) > 0 {
		var sibs []Sibling
		if sibs, err = siblings(names); err != nil {
			sibs = nil
		}
		for _, s := range sibs {
			g, _ := parseRecovered(fset, s.Name, s.Src, parser.SkipObjectResolution)
			if g != nil && g.Name.Name == f.Name.Name {
				files, fnames, srcs = append(files, g), append(fnames, s.Name), append(srcs, s.Src)
			}
		}
	}
	if len(files) == 1 && !folds || !slices.ContainsFunc(files, mayFold) {
		return nil, err
	}
	if typesExpandTooFar(files) {
		return nil, err // GoCheckable says so for the candidate; a sibling's is its own
	}
	restore := skipBodies(files)
	imp := newSourceImporter(fset, "", foldedImports(files))
	if imported != nil {
		imp.snapshot, imp.bound = imported, MaxCheckTokens
		if typesExpandTooFarWith(files, imp.typeCost(fset), imp.objectOf(fset)) {
			// with the types of the packages it imports, as keyscan scan
			// weighs a package's (ScanPackageDirShared): a gap
			restore()
			return nil, fmt.Errorf("%s: types too costly to type-check with the packages it imports", name)
		}
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: imp, Error: func(error) {}, FakeImportC: true}
	uncut := cutLongStrings(files, imp.importedLen(fset))
	var tokens int64
	for _, b := range srcs {
		tokens += int64(len(b) / 4)
	}
	switch runWatched(ctx, name, func() int64 { return tokens + imp.read.Load() }, func() {
		conf.Check(f.Name.Name, fset, files, info) // errors ignored, as in ScanPackageDirShared
	}) {
	case checkAbandoned:
		return nil, err // the watch's gap (StallsOf); the check keeps the files and imp
	case checkRefused:
		uncut()
		restore()
		return nil, err
	}
	uncut()
	restore()
	if err == nil {
		err = imp.snapErr
	}
	strs := newConstStrings(info, files, imp.constLen)
	var out scanner.Findings
	for i, g := range files {
		if i > 0 && !heads {
			break // the siblings' own keys are theirs to report
		}
		out = append(out, scanFoldedAs(sc, fset, info, strs, g, fnames[i], func() []byte { return srcs[i] })...)
	}
	out.Sort()
	return out, err
}

// RefersOutside reports whether f adds to (+, +=) a plain name it
// declares nowhere: a package-level name of another file of its package,
// which only a check of the folder's files together resolves. The test is
// on names alone, not scopes: a name declared anywhere in the file (a
// local, a parameter, a field) counts as declared, so a file that shadows
// another file's constant with a local is checked alone; what that can
// miss is a file that both declares and borrows one name, which Go's
// scoping makes rare. Builtins and the predeclared constants are declared.
func RefersOutside(f *ast.File) bool { return len(outsideNames(f)) > 0 }

// outsideNames returns the names RefersOutside finds, each once.
func outsideNames(f *ast.File) []string {
	declared := map[string]bool{}
	var added []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		case *ast.TypeSpec:
			declared[n.Name.Name] = true
		case *ast.FuncDecl:
			if n.Recv == nil {
				declared[n.Name.Name] = true
			}
		case *ast.Field:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, x := range n.Lhs {
					if id, ok := x.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			}
			if n.Tok == token.ADD_ASSIGN {
				for _, x := range n.Rhs {
					if id, ok := ast.Unparen(x).(*ast.Ident); ok {
						added = append(added, id.Name)
					}
				}
			}
		case *ast.RangeStmt:
			for _, x := range []ast.Expr{n.Key, n.Value} {
				if id, ok := x.(*ast.Ident); ok {
					declared[id.Name] = true
				}
			}
		case *ast.BinaryExpr:
			if n.Op == token.ADD {
				for _, x := range []ast.Expr{n.X, n.Y} {
					if id, ok := ast.Unparen(x).(*ast.Ident); ok {
						added = append(added, id.Name)
					}
				}
			}
		}
		return true
	})
	var out []string
	for _, name := range added {
		if !declared[name] && types.Universe.Lookup(name) == nil && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// valueNames returns the names of f's package-level constants and
// variables: what another file of the package may add a head to.
func valueNames(f *ast.File) []string {
	var out []string
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && (g.Tok == token.CONST || g.Tok == token.VAR) {
			for _, sp := range g.Specs {
				for _, id := range sp.(*ast.ValueSpec).Names {
					if id.Name != "_" {
						out = append(out, id.Name)
					}
				}
			}
		}
	}
	return out
}
