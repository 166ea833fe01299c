package analyzer

import (
	"go/ast"
	"go/parser"
	"go/token"
)

// Why a bound on generic types: go/types' check that a type is valid
// (validType) follows each instance of a generic type through the
// instances its body names, and a body may name its generic neighbour
// twice: `type T1[P any] struct{ x T0[T0[P]] }`, T2 of T1 the same way,
// and so on, doubles the work at each level. Eighteen such lines (807
// bytes, far under every token bound) made the check recurse past Go's
// 1 GB stack, a fatal error no recover catches, in keyscan scan, staged,
// the pre-receive gate and go vet alike (qa31 F3); seventeen took 920 MB.
// The Go compiler crashes on it too, so no program holds it: it is an
// attacker's input. typeExpansion estimates that work from the syntax
// before any type check, and a package past MaxTypeExpansion is not
// type-checked: its files are named as left out, a gap, as a package past
// the token bound is.

// MaxTypeExpansion bounds typeExpansion. Real generic code stays far
// below it (a generic type names a few others, a few levels deep).
const MaxTypeExpansion = 1 << 14

// typeExpansion returns an upper estimate of the generic instances the
// type check of files may expand: for each generic type declared at the
// package level, one plus the estimates of the generic types its
// declaration names (each mention counted: two mentions, twice the
// work), saturating past MaxTypeExpansion. The largest is returned. A
// cycle (a generic type naming itself, directly or not) counts one for
// the mention that closes it: go/types reports such cycles, it does not
// expand them.
func typeExpansion(files []*ast.File) int {
	generic := map[string]*ast.TypeSpec{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok && ts.TypeParams != nil && ts.TypeParams.NumFields() > 0 {
					generic[ts.Name.Name] = ts
				}
			}
		}
	}
	if len(generic) == 0 {
		return 0
	}
	const inProgress = -1
	memo := map[string]int{}
	var weight func(name string) int
	weight = func(name string) int {
		switch w, seen := memo[name]; {
		case seen && w == inProgress:
			return 1
		case seen:
			return w
		}
		memo[name] = inProgress
		w := 1
		ast.Inspect(generic[name].Type, func(n ast.Node) bool {
			if w > MaxTypeExpansion {
				return false
			}
			if id, ok := n.(*ast.Ident); ok {
				if _, ok := generic[id.Name]; ok {
					w += weight(id.Name)
				}
			}
			return true
		})
		w = min(w, MaxTypeExpansion+1)
		memo[name] = w
		return w
	}
	most := 0
	for name := range generic {
		most = max(most, weight(name))
	}
	return most
}

// typesExpandTooFar reports whether the type check of files is past
// MaxTypeExpansion (typeExpansion).
func typesExpandTooFar(files []*ast.File) bool {
	return typeExpansion(files) > MaxTypeExpansion
}

// GoFilesCheckable reports whether the Go files named (one package's,
// as go vet hands them to its tool) may be handed to go/types: false when
// their generic types would expand past MaxTypeExpansion
// (typeExpansion). A file that cannot be read or parsed counts nothing:
// the type check reports it. keyscan's go vet tool asks before
// unitchecker type-checks a package, so that such a package is an error
// it names, not a crash of the tool.
func GoFilesCheckable(names []string) bool {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		if f != nil && (err == nil || f.Package.IsValid()) {
			files = append(files, f)
		}
	}
	return !typesExpandTooFar(files)
}
