package analyzer

import (
	"context"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
)

// NotAWSKeys returns, per file name, the byte spans of the string literals
// in the Go files of one directory that the go vet pass clears as keys of
// something that is not AWS (an HMAC or JWT signing key, see otherKeys), so
// that keyscan scan drops the byte scan's findings there as go vet does.
// The rule here is the narrower one: every use of the literal's name must
// be such a use, because without the SDK's types this check cannot tell
// that the same name is also given to an SDK construct. The package is
// type-checked without its imports (an import resolves to its path only),
// which is all the rule needs.
func NotAWSKeys(files []string) map[string][][2]int {
	return NotAWSKeysUnder(context.Background(), "", files, MaxCheckTokens)
}

// NotAWSKeysUnder is NotAWSKeys for files a walk found under the folder
// root: each is read from root following no link (see readGoFile). The
// type check reads no more than bound allows, smallest files first, as
// ScanPackageDirShared's: a file left out clears nothing, so its findings
// stay reported, as do those of a package whose types are too costly to
// check (typesExpandTooFar). The check is watched as a scan's is
// (runWatched): one abandoned or not started clears nothing.
func NotAWSKeysUnder(ctx context.Context, root string, files []string, bound CheckBound) map[string][][2]int {
	fset := token.NewFileSet()
	byPkg := map[string][]*ast.File{}
	var read []goSource
	for _, name := range files {
		if src, err := readGoFile(root, name); err == nil {
			read = append(read, goSource{name, src})
		}
	}
	admitted := (&tokenBudget{bound: bound}).admitSmallest(read)
	for i, gs := range read {
		if !admitted[i] {
			continue
		}
		f, _ := parseGoSource(fset, gs.name, gs.src) // a file not read whole clears only what it shows
		if f == nil {
			continue
		}
		byPkg[f.Name.Name] = append(byPkg[f.Name.Name], f)
	}
	out := map[string][][2]int{}
	for pkg, fs := range byPkg {
		if typesExpandTooFar(fs) {
			continue // nothing cleared: the byte scan's findings stay
		}
		info := &types.Info{
			Types: map[ast.Expr]types.TypeAndValue{},
			Defs:  map[*ast.Ident]types.Object{},
			Uses:  map[*ast.Ident]types.Object{},
		}
		conf := types.Config{
			Importer:    failingImporter{},
			Error:       func(error) {}, // unresolved imports are expected
			FakeImportC: true,
		}
		var tokens int64
		for _, gs := range read {
			tokens += int64(len(gs.src) / 4)
		}
		what := "package " + pkg
		if len(read) > 0 {
			what += " in " + filepath.Dir(read[0].name)
		}
		// Long constants are cut as for the package's first check: a
		// kilobyte of doubling constants and one comparison of them took
		// 2 GB here (qa33).
		uncut := cutLongStrings(fs, nil)
		switch runWatched(ctx, what, func() int64 { return tokens }, func() {
			conf.Check(pkg, fset, fs, info) // errors ignored, see Error
		}) {
		case checkAbandoned:
			continue // nothing cleared (the watch's gap); the check keeps fs
		case checkRefused:
			uncut()
			continue
		}
		uncut()
		for lit := range otherKeyLits(info, fs, true) {
			p, e := fset.PositionFor(lit.Pos(), false), fset.PositionFor(lit.End(), false)
			out[p.Filename] = append(out[p.Filename], [2]int{p.Offset, e.Offset})
		}
	}
	return out
}

// failingImporter imports nothing: go/types then declares each import as a
// package of its path with no members.
type failingImporter struct{}

func (failingImporter) Import(path string) (*types.Package, error) {
	return nil, os.ErrNotExist
}
