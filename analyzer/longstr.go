package analyzer

import (
	"go/ast"
	"reflect"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
)

// cutLongStrings keeps the type checker of keyscan scan from building a
// string constant longer than maxConstLen. constStrings keeps the analyzer
// from reading one, but go/types itself reads a constant's value where the
// code measures it (len, an index), compares it (==, min, max, a switch
// case, a map literal's keys): a kilobyte of doubling constants and one
// len(c33) would take 160 GiB inside the type checker. So before checking
// the files of a package, every expression whose string could be longer is
// replaced by a BadExpr, which the type checker takes as an error (ignored,
// as all are) and which folds into nothing; restore puts the expressions
// back for the literal scan.
//
// The bound is worked out from the syntax alone, before any type is known,
// and errs long: a name stands for the longest constant of that name
// declared anywhere in the package, a call for its longest argument (a
// conversion, min or max returns one of them; a rune converts to at most 4
// bytes), a literal for its source text. importedLen gives the length of
// another package's constant, x.sel in file f (0 when it is none; x is "."
// for a name of the packages f imports with a dot).
// Literals are never cut: their value is one string already.
func cutLongStrings(files []*ast.File, importedLen func(f *ast.File, x, sel string) int64) (restore func()) {
	b := &lenBounds{consts: map[string][]ast.Expr{}, names: map[string]int64{}, exprs: map[ast.Expr]int64{}, importedLen: importedLen}
	eachConst(files, func(name *ast.Ident, value ast.Expr) {
		b.consts[name.Name] = append(b.consts[name.Name], value)
	})
	type cut struct {
		slot reflect.Value
		old  ast.Expr
	}
	var cuts []cut
	exprType := reflect.TypeFor[ast.Expr]()
	for _, f := range files {
		b.file = f
		b.dot = slices.ContainsFunc(f.Imports, func(s *ast.ImportSpec) bool { return s.Name != nil && s.Name.Name == "." })
		astutil.Apply(f, func(c *astutil.Cursor) bool {
			e, ok := c.Node().(ast.Expr)
			if !ok || c.Parent() == nil {
				return true
			}
			if _, lit := e.(*ast.BasicLit); lit || b.expr(e) <= maxConstLen {
				return true
			}
			slot := reflect.ValueOf(c.Parent()).Elem().FieldByName(c.Name())
			if c.Index() >= 0 {
				slot = slot.Index(c.Index())
			}
			if slot.Type() != exprType {
				return true // a name being declared, a selector's name: no value here
			}
			cuts = append(cuts, cut{slot, e})
			slot.Set(reflect.ValueOf(ast.Expr(&ast.BadExpr{From: e.Pos(), To: e.End()})))
			return false
		}, nil)
	}
	return func() {
		for i := len(cuts) - 1; i >= 0; i-- {
			cuts[i].slot.Set(reflect.ValueOf(&cuts[i].old).Elem())
		}
	}
}

// lenBounds works out, from the syntax, a bound on the length of the
// string an expression could fold to, capped at maxConstLen+1.
type lenBounds struct {
	consts      map[string][]ast.Expr // a constant's name -> the expressions it is declared with
	names       map[string]int64      // bounds of names; -1 while in progress
	exprs       map[ast.Expr]int64
	file        *ast.File // the file being cut, for importedLen
	dot         bool      // file imports a package with a dot
	importedLen func(f *ast.File, x, sel string) int64
}

func (b *lenBounds) expr(e ast.Expr) int64 {
	if n, ok := b.exprs[e]; ok {
		return n
	}
	var n int64
	switch e := e.(type) {
	case *ast.BasicLit:
		n = int64(len(e.Value))
	case *ast.ParenExpr:
		n = b.expr(e.X)
	case *ast.UnaryExpr:
		n = b.expr(e.X)
	case *ast.BinaryExpr:
		n = b.expr(e.X) + b.expr(e.Y)
	case *ast.CallExpr:
		n = 4
		for _, a := range e.Args {
			n = max(n, b.expr(a))
		}
	case *ast.Ident:
		n = b.name(e.Name)
		if _, local := b.consts[e.Name]; !local && b.dot && b.importedLen != nil {
			n = max(n, b.importedLen(b.file, ".", e.Name)) // a constant of a package imported with a dot
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && b.importedLen != nil {
			n = b.importedLen(b.file, x.Name, e.Sel.Name)
		}
	}
	n = min(n, maxConstLen+1)
	b.exprs[e] = n
	return n
}

func (b *lenBounds) name(name string) int64 {
	if n, ok := b.names[name]; ok {
		if n < 0 {
			return maxConstLen + 1 // a name defined through itself (shadowing): assume the worst
		}
		return n
	}
	b.names[name] = -1
	var n int64
	for _, e := range b.consts[name] {
		n = max(n, b.expr(e))
	}
	b.names[name] = n
	return n
}
