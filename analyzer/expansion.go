package analyzer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math"
)

// Why a bound on type declarations: go/types checks that each declared
// type does not contain itself (validType) by walking the type it stands
// for, through every named type, array element, struct field, embedded
// interface and union term, down to types it does not follow (pointers,
// slices, maps, functions); at each named type on the way it compares it
// with every named type above it. Nothing is remembered from one
// declaration to the next, or within one: each field of each type is
// walked again wherever it is reached. So a small file can hold a large
// walk:
//
//   - a type naming its neighbour twice, `type T5 struct{ a, b T4 }`,
//     doubles the walk at each line: 24 lines, over a minute;
//   - a generic type naming its neighbour nested in itself, `type T1[P
//     any] struct{ x T0[T0[P]] }`, doubles it alike and recurses as deep:
//     eighteen lines (807 bytes) overflowed Go's 1 GB stack, a fatal error
//     no recover catches (qa31 F3), and a wide T0 (`struct{ a, b, c, d P
//     }`) stalls at four lines;
//   - a chain of types each holding the one before, `type T9 struct{ a T8
//     }`, is walked to the bottom from each of its lines, with a
//     comparison per level: cubic, 2,000 lines took 26 seconds (qa32 G3).
//
// The Go compiler does the same walk, so a package it builds stays small
// by this count; these are an attacker's inputs. typeWork estimates the
// walk from the syntax before any type check, and a package past
// MaxTypeWork is not type-checked: its files are named as left out, a gap,
// as a package past the token bound is.

// MaxTypeWork bounds typeWork: at most a tenth of a second of go/types'
// walk on a 2-core machine (4 to 5·10^7 steps a second measured, generic
// types alike). The standard library's largest (runtime: 6,024), every
// package of the AWS SDKs for Go and of this project's other modules
// stay under a five-hundredth of it; TestTypeWorkRealCode keeps the
// standard library under a hundredth.
const MaxTypeWork = 1 << 22

// typeWork returns an upper estimate of the steps of go/types' validType
// over files (one package's): for each type declared in them, at package
// level or in a function, the named types the walk visits times one plus
// the depth of named types it reaches (the comparisons made at each).
// The estimate follows what the walk follows (arrays, struct fields, each
// name of a field list counted, embedded interfaces, union terms, aliases
// seen through) and nothing else. A generic type's cost is kept as a
// linear form of its type arguments' costs (how often each parameter is
// walked), so that an instance's cost is its arguments' put in: the
// doubling of T0[T0[P]] is counted, not guessed. A name declared twice
// (two functions' local types) counts as the larger. A type imported from
// another package counts as one named type. A cycle (a type naming
// itself, directly or not) counts one for the mention that closes it:
// go/types stops there. The result saturates at +Inf.
func typeWork(files []*ast.File) float64 {
	w := newTypeWalk(files)
	if len(w.decls) == 0 {
		return 0
	}
	total := 0.0
	for _, ds := range w.decls {
		for _, d := range ds {
			f := w.form(d)
			// The origin of a generic type is walked with its
			// parameters left as they are: they cost nothing.
			total += f.size.c * (1 + f.depth.c)
		}
	}
	return total
}

// typesExpandTooFar reports whether the type check of files is past
// MaxTypeWork (typeWork).
func typesExpandTooFar(files []*ast.File) bool {
	return !(typeWork(files) <= MaxTypeWork)
}

// GoFilesCheckable reports whether the Go files named (one package's,
// as go vet hands them to its tool) may be handed to go/types: false when
// the type check's walk of their types would pass MaxTypeWork
// (typeWork). A file that cannot be read or parsed counts nothing: the
// type check reports it. keyscan's go vet tool asks before unitchecker
// type-checks a package, so that such a package is an error it names, not
// a stall or a crash of the tool.
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

// typeDecl is one declared type: its spec and its type parameters' names
// in order.
type typeDecl struct {
	spec   *ast.TypeSpec
	params []string
	alias  bool
}

// linear is a cost as a function of a generic type's arguments:
// c + Σ m[i]·arg[i] (the named types walked), and affine is the depth:
// max(c, max over i of d[i]+arg[i]) (NaN in d: parameter i not reached).
type linear struct {
	c float64
	m []float64
}

type affine struct {
	c float64
	d []float64
}

// typeForm is a type's cost, its size and depth, as functions of the
// type parameters of the declaration it is written in.
type typeForm struct {
	size  linear
	depth affine
}

// typeWalk holds the declarations of a package's files and the forms
// worked out so far.
type typeWalk struct {
	decls map[string][]*typeDecl
	memo  map[*typeDecl]*typeForm
	busy  map[*typeDecl]bool
	names map[string]*typeForm // nameForm's, once settled
}

func newTypeWalk(files []*ast.File) *typeWalk {
	w := &typeWalk{decls: map[string][]*typeDecl{}, memo: map[*typeDecl]*typeForm{}, busy: map[*typeDecl]bool{}, names: map[string]*typeForm{}}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || ts.Name == nil || ts.Type == nil {
				return true
			}
			d := &typeDecl{spec: ts, alias: ts.Assign.IsValid()}
			if ts.TypeParams != nil {
				for _, p := range ts.TypeParams.List {
					for _, n := range p.Names {
						d.params = append(d.params, n.Name)
					}
				}
			}
			w.decls[ts.Name.Name] = append(w.decls[ts.Name.Name], d)
			return true
		})
	}
	return w
}

// flatForm returns the form of a type that costs size named types at a
// depth of depth, whatever the arguments (n parameters).
func flatForm(n int, size, depth float64) typeForm {
	f := typeForm{size: linear{c: size, m: make([]float64, n)}, depth: affine{c: depth, d: make([]float64, n)}}
	for i := range f.depth.d {
		f.depth.d[i] = math.NaN()
	}
	return f
}

// form returns d's own form over its parameters (the walk of its right
// hand side, not counting d itself). A declaration met again while its
// form is being worked out closes a cycle: its mention counts one.
func (w *typeWalk) form(d *typeDecl) *typeForm {
	if f, ok := w.memo[d]; ok {
		return f
	}
	if w.busy[d] {
		f := flatForm(len(d.params), 1, 1)
		return &f
	}
	w.busy[d] = true
	params := map[string]int{}
	for i, p := range d.params {
		params[p] = i
	}
	f := w.expr(d.spec.Type, params, len(d.params))
	delete(w.busy, d)
	w.memo[d] = &f
	return &f
}

// expr returns the form of the type expression e written in a
// declaration whose parameters are params (n of them).
func (w *typeWalk) expr(e ast.Expr, params map[string]int, n int) typeForm {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return w.expr(e.X, params, n)
	case *ast.Ident:
		if i, ok := params[e.Name]; ok {
			f := flatForm(n, 0, 0)
			f.size.m[i] = 1
			f.depth.d[i] = 0
			return f
		}
		return w.named(e.Name, nil, params, n)
	case *ast.SelectorExpr:
		return flatForm(n, 1, 1) // imported: one named type
	case *ast.IndexExpr:
		return w.instance(e.X, []ast.Expr{e.Index}, params, n)
	case *ast.IndexListExpr:
		return w.instance(e.X, e.Indices, params, n)
	case *ast.ArrayType:
		if e.Len == nil {
			return flatForm(n, 0, 0) // a slice is not followed
		}
		return w.expr(e.Elt, params, n)
	case *ast.StructType:
		f := flatForm(n, 0, 0)
		if e.Fields != nil {
			for _, fld := range e.Fields.List {
				times := float64(max(len(fld.Names), 1))
				f = f.add(w.expr(fld.Type, params, n).scale(times))
			}
		}
		return f
	case *ast.InterfaceType:
		f := flatForm(n, 0, 0)
		if e.Methods != nil {
			for _, m := range e.Methods.List {
				if len(m.Names) == 0 { // an embedded interface or a union
					f = f.add(w.expr(m.Type, params, n))
				}
			}
		}
		return f
	case *ast.BinaryExpr: // a union's terms
		return w.expr(e.X, params, n).add(w.expr(e.Y, params, n))
	case *ast.UnaryExpr: // ~T
		return w.expr(e.X, params, n)
	}
	return flatForm(n, 0, 0) // pointers, slices, maps, channels, functions, predeclared types
}

// instance returns the form of x[args...].
func (w *typeWalk) instance(x ast.Expr, args []ast.Expr, params map[string]int, n int) typeForm {
	id, ok := x.(*ast.Ident)
	if !ok {
		// An imported generic type: one named type walking its
		// arguments once each.
		f := flatForm(n, 1, 1)
		for _, a := range args {
			af := w.expr(a, params, n)
			f = f.add(af)
			f.depth = f.depth.max(af.depth.plus(1))
		}
		return f
	}
	return w.named(id.Name, args, params, n)
}

// named returns the form of the named type name, instantiated with args
// (none for a type that is not generic), in a declaration whose
// parameters are params: the name's form (nameForm) with the arguments'
// forms put in.
func (w *typeWalk) named(name string, args []ast.Expr, params map[string]int, n int) typeForm {
	own := w.nameForm(name)
	if own == nil {
		return flatForm(n, 0, 0) // predeclared, or declared in no file given
	}
	f := flatForm(n, own.size.c, own.depth.c)
	for i, a := range args {
		if i >= len(own.size.m) {
			break
		}
		af := w.expr(a, params, n)
		if m := own.size.m[i]; m != 0 {
			f.size = f.size.add(af.size.scale(m))
		}
		if dd := own.depth.d[i]; !math.IsNaN(dd) {
			f.depth = f.depth.max(af.depth.plus(dd))
		}
	}
	return f
}

// nameForm returns the form of a mention of name over its parameters:
// one named type (none for an alias, which the walk sees through) and its
// declaration's form. Each declaration of the name is tried and the
// largest kept; the result is remembered once none of them is being
// worked out.
func (w *typeWalk) nameForm(name string) *typeForm {
	if f, ok := w.names[name]; ok {
		return f
	}
	ds := w.decls[name]
	if len(ds) == 0 {
		return nil
	}
	var out *typeForm
	settled := true
	for _, d := range ds {
		settled = settled && !w.busy[d]
		own := w.form(d)
		f := typeForm{size: own.size, depth: own.depth}
		if !d.alias {
			f.size = f.size.add(linear{c: 1, m: make([]float64, len(f.size.m))})
			f.depth = f.depth.plus(1)
		}
		if out == nil {
			out = &f
		} else {
			g := out.larger(f)
			out = &g
		}
	}
	if settled {
		w.names[name] = out
	}
	return out
}

func (f typeForm) add(g typeForm) typeForm {
	return typeForm{size: f.size.add(g.size), depth: f.depth.max(g.depth)}
}

func (f typeForm) scale(k float64) typeForm {
	return typeForm{size: f.size.scale(k), depth: f.depth}
}

// larger is the larger of two forms, parameter by parameter; the forms of
// two declarations of a name may have different numbers of parameters.
func (f typeForm) larger(g typeForm) typeForm {
	n := max(len(f.size.m), len(g.size.m))
	f, g = f.widen(n), g.widen(n)
	out := typeForm{size: linear{c: math.Max(f.size.c, g.size.c), m: make([]float64, n)}, depth: f.depth.max(g.depth)}
	for i := range out.size.m {
		out.size.m[i] = math.Max(f.size.m[i], g.size.m[i])
	}
	return out
}

// widen gives f n parameters, those added not reached.
func (f typeForm) widen(n int) typeForm {
	if len(f.size.m) == n {
		return f
	}
	g := flatForm(n, f.size.c, f.depth.c)
	copy(g.size.m, f.size.m)
	copy(g.depth.d, f.depth.d)
	return g
}

func (l linear) add(k linear) linear {
	out := linear{c: l.c + k.c, m: make([]float64, len(l.m))}
	for i := range out.m {
		out.m[i] = l.m[i] + k.m[i]
	}
	return out
}

func (l linear) scale(k float64) linear {
	out := linear{c: l.c * k, m: make([]float64, len(l.m))}
	for i := range out.m {
		out.m[i] = l.m[i] * k
	}
	return out
}

// max is the larger of two depths; NaN (not reached) loses to any number.
func (a affine) max(b affine) affine {
	out := affine{c: math.Max(a.c, b.c), d: make([]float64, len(a.d))}
	for i := range out.d {
		switch {
		case math.IsNaN(a.d[i]):
			out.d[i] = b.d[i]
		case math.IsNaN(b.d[i]):
			out.d[i] = a.d[i]
		default:
			out.d[i] = math.Max(a.d[i], b.d[i])
		}
	}
	return out
}

// plus adds k to every depth reached.
func (a affine) plus(k float64) affine {
	out := affine{c: a.c + k, d: make([]float64, len(a.d))}
	for i, v := range a.d {
		out.d[i] = v + k
	}
	return out
}
