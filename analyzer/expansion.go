package analyzer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"math"
	"os"
	"slices"
	"strconv"
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

// MaxTypeWork bounds typeWork: about a fifth of a second of go/types'
// work on a 2-core machine (4 to 5·10^7 steps a second measured, generic
// types alike; an instance's hash alike, exprWork). The standard
// library's largest (syscall: 52,970; runtime 40,420; with the instances
// its expressions make, internal/sync 82,628) and every package of the
// module cache this project builds with (the AWS SDK v1's EC2 API 23,020;
// golang.org/x/sys/unix 76,970; google/btree the largest, 142,136,
// samber/lo's iterators 85,976) stay under a fiftieth of it;
// TestTypeWorkRealCode keeps the standard library under a hundredth.
const MaxTypeWork = 1 << 23

// typeWork returns an upper estimate of the steps of go/types' validType
// over files (one package's): for each type declared in them, at package
// level or in a function, the named types the walk visits times one plus
// the depth of named types it reaches (the comparisons made at each).
// The estimate follows what the walk follows (arrays, struct fields, each
// name of a field list counted, embedded interfaces, union terms, aliases
// seen through) and nothing else. A generic type's cost is kept as a
// linear form of its type arguments' costs (how often each parameter is
// walked), so that an instance's cost is its arguments' put in: the
// doubling of T0[T0[P]] is counted, not guessed. A name a function's
// body declares counts there as the largest of its declarations in that
// function and the package's (typeWalk). A type imported from
// another package counts as one named type (typeWorkWith: its cost, when
// the package is at hand). A cycle (a type naming
// itself, directly or not) counts one for the mention that closes it:
// go/types stops there. To the walk it adds the instances and inferences
// the files' expressions make (exprWork). The result saturates at +Inf.
func typeWork(files []*ast.File) float64 {
	return typeWorkWith(files, nil, nil)
}

// foreignCost gives the cost of a type another package declares, named
// by sel in file: the named types go/types' walk visits from it and the
// depth it reaches, and for a generic type how often the walk reaches its
// type parameters. ok is false when the package is not at hand (the type
// check will not resolve it either): it then counts as one named type.
type foreignCost func(file *ast.File, sel *ast.SelectorExpr) (c typesCost, ok bool)

// typesCost is the cost of a type go/types holds (costOfType).
type typesCost struct {
	size, depth, params float64
}

// typeWorkWith is typeWork with the types of imported packages given
// their cost by foreign (nil: one named type each), and the functions
// they declare by objs (nil: none at hand). keyscan scan reads the
// packages of its own module from source: a type there may be large and
// cheap to name, `type B struct{ x a.T15 }` four hundred times took 11
// CPU seconds.
func typeWorkWith(files []*ast.File, foreign foreignCost, objs foreignObject) float64 {
	w := newTypeWalk(files)
	w.foreign = foreign
	total := pairWork(files) + exprWork(files, objs)
	for _, d := range w.all {
		f := w.form(d)
		// The walk starts at d itself; the origin of a generic type is
		// walked with its parameters left as they are: they cost
		// nothing.
		total += (1 + f.size.c) * (2 + f.depth.c)
	}
	return total
}

// typesExpandTooFar reports whether the type check of files is past
// MaxTypeWork (typeWork).
func typesExpandTooFar(files []*ast.File) bool {
	return !(typeWork(files) <= typeWorkBound())
}

// typesExpandTooFarWith is typesExpandTooFar with imported types' costs
// (typeWorkWith).
func typesExpandTooFarWith(files []*ast.File, foreign foreignCost, objs foreignObject) bool {
	return !(typeWorkWith(files, foreign, objs) <= typeWorkBound())
}

// TypeWorkBoundEnv names the environment variable that replaces
// MaxTypeWork (a number of steps). The estimate leaves no known shape for
// the watch of type checks to meet (stall.go), which is there for the
// shapes no one has found; the test suite raises the bound so that a
// shape the estimate refuses reaches go/types and stalls, and the watch
// is tried on a real stall. The environment is the user's, not the
// scanned tree's: a configuration file cannot set it.
const TypeWorkBoundEnv = "KEYSCAN_TYPE_WORK_BOUND"

// typeWorkBound is MaxTypeWork, or the positive number TypeWorkBoundEnv
// gives.
func typeWorkBound() float64 {
	if v, err := strconv.ParseFloat(os.Getenv(TypeWorkBoundEnv), 64); err == nil && v > 0 {
		return v
	}
	return MaxTypeWork
}

// GoFilesCheckable reports whether the Go files named (one package's,
// as go vet hands them to its tool) may be handed to go/types: false when
// the type check's walk of their types would pass MaxTypeWork
// (typeWork). A file that cannot be read or parsed counts nothing: the
// type check reports it. keyscan's go vet tool asks before unitchecker
// type-checks a package, so that such a package is an error it names, not
// a stall or a crash of the tool.
func GoFilesCheckable(names []string) bool {
	return GoFilesCheckableWith(names, nil)
}

// GoFilesCheckableWith is GoFilesCheckable with the package's imports
// given by imports (nil: none at hand), as the type check will see them:
// a call of an imported generic function makes instances (exprWork), and
// an imported type is walked whole (typeWorkWith).
func GoFilesCheckableWith(names []string, imports types.Importer) bool {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		if f != nil && (err == nil || f.Package.IsValid()) {
			files = append(files, f)
		}
	}
	if imports == nil {
		return !typesExpandTooFar(files)
	}
	objs := importedObjects(imports)
	return !typesExpandTooFarWith(files, costsOf(objs), objs)
}

// typeDecl is one declared type: its spec, the top-level declaration it
// is local to (nil at package level), and its type parameters' slots.
type typeDecl struct {
	spec  *ast.TypeSpec
	file  *ast.File
	scope ast.Decl
	alias bool
	// params maps each type parameter's name to its slot; slots is their
	// number. A declaration of more than maxSlots parameters puts them
	// all in one slot, which an instance gives the largest of their
	// arguments: still an upper bound, and each form stays small.
	params map[string]int
	slots  int
}

// maxSlots bounds a form's parameters (typeDecl.params).
const maxSlots = 8

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

// nameKey is a name as a declaration of scope (nil: package level) reads
// it.
type nameKey struct {
	scope ast.Decl
	name  string
}

// typeWalk holds the declarations of a package's files and the forms
// worked out so far. A name a function's body declares is read, within
// that function, as the largest of its local declarations and the
// package's (blocks are not told apart: an upper bound); elsewhere as the
// package's.
type typeWalk struct {
	pkg    map[string][]*typeDecl
	local  map[ast.Decl]map[string][]*typeDecl
	all    []*typeDecl
	memo   map[*typeDecl]*typeForm
	busy   map[*typeDecl]bool
	names  map[nameKey]*typeForm // nameForm's, once settled
	naming map[nameKey]bool      // nameForm's being worked out
	slots  map[nameKey]int       // the most slots of a name's declarations in a scope

	foreign foreignCost // nil: an imported type counts one
}

func newTypeWalk(files []*ast.File) *typeWalk {
	w := &typeWalk{pkg: map[string][]*typeDecl{}, local: map[ast.Decl]map[string][]*typeDecl{},
		memo: map[*typeDecl]*typeForm{}, busy: map[*typeDecl]bool{}, names: map[nameKey]*typeForm{}, naming: map[nameKey]bool{}, slots: map[nameKey]int{}}
	for _, f := range files {
		for _, top := range f.Decls {
			if g, ok := top.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						w.declare(f, ts, nil)
					}
				}
				continue
			}
			ast.Inspect(top, func(n ast.Node) bool {
				if ts, ok := n.(*ast.TypeSpec); ok {
					w.declare(f, ts, top)
				}
				return true
			})
		}
	}
	return w
}

func (w *typeWalk) declare(f *ast.File, ts *ast.TypeSpec, scope ast.Decl) {
	if ts.Name == nil || ts.Type == nil {
		return
	}
	d := &typeDecl{spec: ts, file: f, scope: scope, alias: ts.Assign.IsValid(), params: map[string]int{}}
	var names []string
	if ts.TypeParams != nil {
		for _, p := range ts.TypeParams.List {
			for _, n := range p.Names {
				names = append(names, n.Name)
			}
		}
	}
	d.slots = len(names)
	if d.slots > maxSlots {
		d.slots = 1
	}
	for i, n := range names {
		d.params[n] = min(i, d.slots-1)
	}
	w.all = append(w.all, d)
	k := nameKey{scope, ts.Name.Name}
	w.slots[k] = max(w.slots[k], d.slots)
	if scope == nil {
		w.pkg[ts.Name.Name] = append(w.pkg[ts.Name.Name], d)
		return
	}
	if w.local[scope] == nil {
		w.local[scope] = map[string][]*typeDecl{}
	}
	w.local[scope][ts.Name.Name] = append(w.local[scope][ts.Name.Name], d)
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
		f := flatForm(d.slots, 1, 1)
		return &f
	}
	w.busy[d] = true
	f := w.expr(d.spec.Type, d)
	delete(w.busy, d)
	w.memo[d] = &f
	return &f
}

// expr returns the form of the type expression e written in the
// declaration in, over in's parameters.
func (w *typeWalk) expr(e ast.Expr, in *typeDecl) typeForm {
	n := in.slots
	switch e := e.(type) {
	case *ast.ParenExpr:
		return w.expr(e.X, in)
	case *ast.Ident:
		if i, ok := in.params[e.Name]; ok {
			f := flatForm(n, 0, 0)
			f.size.m[i] = 1
			f.depth.d[i] = 0
			return f
		}
		return w.named(e.Name, nil, in)
	case *ast.SelectorExpr:
		if w.foreign != nil {
			if c, ok := w.foreign(in.file, e); ok {
				return flatForm(n, c.size, c.depth)
			}
		}
		return flatForm(n, 1, 1) // imported, not at hand: one named type
	case *ast.IndexExpr:
		return w.instance(e.X, []ast.Expr{e.Index}, in)
	case *ast.IndexListExpr:
		return w.instance(e.X, e.Indices, in)
	case *ast.ArrayType:
		if e.Len == nil {
			return flatForm(n, 0, 0) // a slice is not followed
		}
		return w.expr(e.Elt, in).add(flatForm(n, 1, 0))
	case *ast.StructType:
		// Each field is a step of the walk, whatever its type: an
		// alias of a struct naming the one below twice doubles the
		// walk with no named type in it (qa33 H2b).
		f := flatForm(n, 0, 0)
		if e.Fields != nil {
			for _, fld := range e.Fields.List {
				times := float64(max(len(fld.Names), 1))
				f = f.add(w.expr(fld.Type, in).add(flatForm(n, 1, 0)).scale(times))
			}
		}
		return f
	case *ast.InterfaceType:
		f := flatForm(n, 0, 0)
		if e.Methods != nil {
			for _, m := range e.Methods.List {
				if len(m.Names) == 0 { // an embedded interface or a union
					f = f.add(w.expr(m.Type, in).add(flatForm(n, 1, 0)))
				}
			}
		}
		return f
	case *ast.BinaryExpr: // a union's terms
		return w.expr(e.X, in).add(w.expr(e.Y, in))
	case *ast.UnaryExpr: // ~T
		return w.expr(e.X, in)
	}
	return flatForm(n, 0, 0) // pointers, slices, maps, channels, functions, predeclared types
}

// instance returns the form of x[args...].
func (w *typeWalk) instance(x ast.Expr, args []ast.Expr, in *typeDecl) typeForm {
	id, ok := x.(*ast.Ident)
	if !ok {
		// An imported generic type: its own cost, and the largest of
		// its arguments each time the walk reaches a parameter (once
		// each when it is not at hand).
		c := typesCost{size: 1, depth: 1, params: float64(len(args))}
		if sel, ok := x.(*ast.SelectorExpr); ok && w.foreign != nil {
			if fc, ok := w.foreign(in.file, sel); ok {
				c = fc
			}
		}
		var arg *typeForm
		for _, a := range args {
			af := w.expr(a, in)
			if arg == nil {
				arg = &af
			} else {
				g := arg.larger(af)
				arg = &g
			}
		}
		f := flatForm(in.slots, c.size, c.depth)
		if arg != nil {
			f.size = f.size.add(arg.size.scale(c.params))
			f.depth = f.depth.max(arg.depth.plus(c.depth))
		}
		return f
	}
	return w.named(id.Name, args, in)
}

// named returns the form of the named type name, instantiated with args
// (none for a type that is not generic), written in the declaration in:
// the name's form (nameForm) with the arguments' forms put in, each slot
// given the largest of its arguments.
func (w *typeWalk) named(name string, args []ast.Expr, in *typeDecl) typeForm {
	own := w.nameForm(nameKey{in.scope, name})
	if own == nil {
		return flatForm(in.slots, 0, 0) // predeclared, or declared in no file given
	}
	slots := len(own.size.m)
	argForms := make([]*typeForm, slots)
	for i, a := range args {
		af := w.expr(a, in)
		k := min(i, slots-1)
		if k < 0 {
			break
		}
		if argForms[k] == nil {
			argForms[k] = &af
		} else {
			g := argForms[k].larger(af)
			argForms[k] = &g
		}
	}
	f := flatForm(in.slots, own.size.c, own.depth.c)
	for k, af := range argForms {
		if af == nil {
			continue
		}
		// An argument is walked as often as the body reaches its
		// parameter, and read once at least: go/types spells an
		// instance's arguments in full in its hash (P2[X, X] of
		// aliases doubling, qa33 H2).
		f.size = f.size.add(af.size.scale(max(own.size.m[k], 1)))
		if dd := own.depth.d[k]; !math.IsNaN(dd) {
			f.depth = f.depth.max(af.depth.plus(dd))
		}
	}
	return f
}

// nameForm returns the form of a mention of k.name in k.scope, over the
// slots of the declarations it may name: one named type (none for an
// alias, which the walk sees through) and the declaration's form. Each
// declaration the name may be is tried and the largest kept; the result
// is remembered once none of them is being worked out. A name met again
// while its form is being worked out closes a cycle: it counts one.
func (w *typeWalk) nameForm(k nameKey) *typeForm {
	if f, ok := w.names[k]; ok {
		return f
	}
	if w.naming[k] {
		f := flatForm(w.slots[nameKey{name: k.name}], 1, 1)
		if k.scope != nil {
			f = f.widen(max(len(f.size.m), w.slots[k]))
		}
		return &f
	}
	ds := w.pkg[k.name]
	if k.scope != nil {
		ds = append(slices.Clip(w.local[k.scope][k.name]), ds...)
	}
	if len(ds) == 0 {
		return nil
	}
	w.naming[k] = true
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
	delete(w.naming, k)
	if settled {
		w.names[k] = out
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

// costOfType returns the cost of t as typeWork counts a type written in
// source: the named types the walk visits (each named type one, and its
// underlying type), the depth of named types reached, and how often it
// reaches a type parameter. memo holds the named types worked out; one
// met again while its cost is worked out closes a cycle and counts one.
func costOfType(t types.Type, memo map[*types.Named]*typesCost) typesCost {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if c, ok := memo[t]; ok {
			if c == nil {
				return typesCost{size: 1, depth: 1}
			}
			return *c
		}
		memo[t] = nil
		c := costOfType(t.Underlying(), memo)
		c.size++
		c.depth++
		memo[t] = &c
		return c
	case *types.TypeParam:
		return typesCost{params: 1}
	case *types.Array:
		return costOfType(t.Elem(), memo)
	case *types.Struct:
		var c typesCost
		for i := range t.NumFields() {
			c = c.add(costOfType(t.Field(i).Type(), memo))
		}
		return c
	case *types.Interface:
		var c typesCost
		for i := range t.NumEmbeddeds() {
			c = c.add(costOfType(t.EmbeddedType(i), memo))
		}
		return c
	case *types.Union:
		var c typesCost
		for i := range t.Len() {
			c = c.add(costOfType(t.Term(i).Type(), memo))
		}
		return c
	}
	return typesCost{}
}

func (c typesCost) add(d typesCost) typesCost {
	return typesCost{size: c.size + d.size, depth: math.Max(c.depth, d.depth), params: c.params + d.params}
}

// unionStep is what go/types' work on one pair of a union's terms
// weighs in typeWork's steps (measured: 200 interfaces of 100 terms took
// 0.7 s, a third of a microsecond a pair).
const unionStep = 16

// pairWork is go/types' work that compares the elements of a list
// pairwise, in one walk of files:
//   - the unions of type sets: each union of t terms, in an interface or
//     a type parameter's constraint, is normalised pairwise (t² term
//     comparisons, unionStep each; go/types takes at most 100 terms a
//     union). Two hundred such interfaces, 200 KB, took 0.9 s; the
//     constraints of real code have a dozen terms at most.
//   - type switches: the types of a switch's cases are compared pairwise
//     for duplicates (t²/2 identity tests for t types, about 24 ns a
//     pair, one of typeWork's steps). Twenty thousand `case [i]int:`,
//     640 KB, took 4.8 CPU seconds in scan and go vet (qa34 4); a real
//     type switch has a few dozen cases.
func pairWork(files []*ast.File) float64 {
	var total float64
	add := func(e ast.Expr) {
		t := 0
		for {
			b, ok := ast.Unparen(e).(*ast.BinaryExpr)
			if !ok || b.Op != token.OR {
				break
			}
			t++
			e = b.X
		}
		if t > 0 {
			t++
			total += unionStep * float64(t) * float64(t)
		}
	}
	params := func(l *ast.FieldList) {
		if l != nil {
			for _, f := range l.List {
				add(f.Type)
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.InterfaceType:
				if n.Methods != nil {
					for _, m := range n.Methods.List {
						if len(m.Names) == 0 {
							add(m.Type)
						}
					}
				}
			case *ast.TypeSpec:
				params(n.TypeParams)
			case *ast.FuncType:
				params(n.TypeParams)
			case *ast.TypeSwitchStmt:
				if n.Body != nil {
					t := 0
					for _, c := range n.Body.List {
						if cc, ok := c.(*ast.CaseClause); ok {
							t += len(cc.List)
						}
					}
					total += float64(t) * float64(t) / 2
				}
			}
			return true
		})
	}
	return total
}
