package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"math"
)

// Why a bound on generic instances in expressions: typeWork counts the
// walk of declared types, but go/types spends as much on the instances
// an expression makes. Each instance, written (G[A]) or inferred from a
// call of a generic function, is looked up by a hash that spells its
// type arguments in full (an alias spelled as what it stands for, a
// named type by its name and its own arguments); inference walks each
// type parameter's inferred type once a round, a round a parameter. A
// small file makes them large:
//
//   - a function returning a pair of its parameter, nested in its own
//     calls, `d(d(d(0)))`, doubles the spelled type at each call: 18
//     calls took 0.4 s of CPU, each more twice that (qa33 H1);
//   - `G[G[G[...]]]` three thousand deep, or `w(w(w(...)))` with w
//     returning G[P], or `a1 := w(a0); a2 := w(a1)` on, spell 1, 2, 3 ...
//     levels: quadratic, 2,000 took 2 to 5 s;
//   - a function of n type parameters each constrained by the one
//     before, `P1 ~[]P0, P2 ~[]P1`, is inferred in n rounds over n
//     types of n levels: cubic, 400 took 4 s.
//
// exprWork estimates that work from the syntax: each expression's type
// is given a spelled size, an upper estimate (a call of a generic
// function gives each type parameter the largest of its arguments, grown
// by what its constraint's core type adds), and each instance and
// inference costs its spelled sizes. A generic declaration's costs are
// worked out once, as a linear function of the size of its arguments, so
// that the estimate stays linear in the files. Names are not resolved by
// scope: a function's locals are read, in source order, as the largest
// value assigned to their name anywhere in it.
//
// Real code spells small instances (an argument of a dozen levels is
// rare) and many of them: the estimate counts the instances an
// expression or a call makes only past spelledFree levels together, and
// an inference past its square, so that the bound is not spent on what
// the token bound already pays for.

// Weights of exprWork in typeWork's steps (measured on go1.26: a step of
// an instance's hash, a level of a type argument spelled, about a
// microsecond of CPU; a level walked by inference a seventh of that).
const (
	hashStep  = 40
	inferStep = 6
	// spelledFree is the spelled size up to which an instance or an
	// inference is not counted (nor is an inference of k parameters of
	// total size s when k·s stays under its square).
	spelledFree = 16
)

// foreignObject returns the object another package declares, named by sel
// in file, as the type check would import it; nil when it is not at hand
// (the type check will not resolve it either).
type foreignObject func(file *ast.File, sel *ast.SelectorExpr) types.Object

// lin is a size as a function of m, the largest type argument of a
// generic declaration: a·m + b.
type lin struct{ a, b float64 }

func constLin(b float64) lin { return lin{b: b} }

var argLin = lin{a: 1}

func (x lin) add(y lin) lin { return lin{x.a + y.a, x.b + y.b} }

func (x lin) max(y lin) lin { return lin{math.Max(x.a, y.a), math.Max(x.b, y.b)} }

func (x lin) at(m float64) float64 { return mul(x.a, m) + x.b }

// of is x with m given by y.
func (x lin) of(y lin) lin { return lin{mul(x.a, y.a), mul(x.a, y.b) + x.b} }

func (x lin) scale(k float64) lin { return lin{mul(x.a, k), mul(x.b, k)} }

// mul is a·b, with nothing times anything nothing (+Inf stays out of
// sums it does not reach).
func mul(a, b float64) float64 {
	if a == 0 || b == 0 {
		return 0
	}
	return a * b
}

// genType is a generic type's cost over its largest argument: its
// spelled size (an alias: what it stands for; a defined type is spelled
// by its name) and the instances its body makes when expanded.
type genType struct {
	size, hash lin
}

// callForm is a function's cost over its largest argument: k type
// parameters (its receiver's and its own), their sizes' sum, the
// instances its signature makes, and its result's size.
type callForm struct {
	k                 int
	sum, hash, result lin
	// cores is how many of its parameters have a constraint with a
	// core type: inference walks the inferred types once for each.
	cores int
}

// exprWalk holds a package's declarations by name and the costs worked
// out so far.
type exprWalk struct {
	types   map[string][]*ast.TypeSpec
	funcs   map[string][]*ast.FuncDecl
	methods map[string][]*ast.FuncDecl
	vars    map[string][]*ast.ValueSpec
	specOf  map[*ast.ValueSpec]*ast.File
	declOf  map[ast.Node]*ast.File

	genTypes map[*ast.TypeSpec]*genType
	aliases  map[*ast.TypeSpec]*lin
	cores    map[*ast.TypeSpec]*lin
	forms    map[*ast.FuncDecl]*callForm
	foreignF map[types.Object]*callForm
	methodF  map[string]*callForm
	specs    map[*ast.ValueSpec][]float64
	busy     map[any]bool

	foreign foreignObject // nil: no import is at hand
	file    *ast.File
	imports map[*ast.File]map[string]bool
	locals  map[string]float64 // the function's being read; nil at package level
	env     *tpEnv             // the type parameters in scope
	work    float64
}

// exprWork returns the steps, in typeWork's measure, of go/types' work
// on the instances files' expressions and types make (see the top of
// this file).
func exprWork(files []*ast.File, foreign foreignObject) float64 {
	w := &exprWalk{types: map[string][]*ast.TypeSpec{}, funcs: map[string][]*ast.FuncDecl{}, methods: map[string][]*ast.FuncDecl{},
		vars: map[string][]*ast.ValueSpec{}, specOf: map[*ast.ValueSpec]*ast.File{}, declOf: map[ast.Node]*ast.File{},
		genTypes: map[*ast.TypeSpec]*genType{}, aliases: map[*ast.TypeSpec]*lin{}, cores: map[*ast.TypeSpec]*lin{},
		forms: map[*ast.FuncDecl]*callForm{}, methodF: map[string]*callForm{}, foreignF: map[types.Object]*callForm{}, specs: map[*ast.ValueSpec][]float64{},
		busy: map[any]bool{}, foreign: foreign, imports: map[*ast.File]map[string]bool{}}
	for _, f := range files {
		w.imports[f] = importNames(f)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name == nil || d.Type == nil {
					continue
				}
				w.declOf[d] = f
				if d.Recv == nil {
					w.funcs[d.Name.Name] = appendDecl(w.funcs[d.Name.Name], d)
				} else {
					w.methods[d.Name.Name] = append(w.methods[d.Name.Name], d)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name != nil && s.Type != nil {
							w.types[s.Name.Name] = appendDecl(w.types[s.Name.Name], s)
							w.declOf[s] = f
						}
					case *ast.ValueSpec:
						w.specOf[s] = f
						for _, n := range s.Names {
							w.vars[n.Name] = appendDecl(w.vars[n.Name], s)
						}
					}
				}
			}
		}
	}
	for _, f := range files {
		w.file = f
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name != nil && d.Type != nil {
					w.funcBody(d)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Type != nil {
							// The instances a declaration's own
							// text makes, once.
							w.env = declEnv(w, s.TypeParams, nil)
							w.count(w.tsize(s.Type).hash.at(1), 0)
							w.env = nil
						}
					case *ast.ValueSpec:
						w.specSizes(s)
					}
				}
			}
		}
	}
	return w.work
}

// maxDecls bounds the declarations of one name read: a name is looked
// up at each mention, and a package's build variants declare a name a
// few dozen times at most (golang.org/x/sys/unix's zerrors files); past
// that the type check reports them as redeclared and reads the first.
const maxDecls = 64

func appendDecl[T any](ds []T, d T) []T {
	if len(ds) >= maxDecls {
		return ds
	}
	return append(ds, d)
}

// count adds the hashes of instances made together, spelled h levels in
// all, and an inference walking infer levels: past spelledFree (its
// square for an inference), as real code's stay under it.
func (w *exprWalk) count(h float64, infer float64) {
	if h > spelledFree {
		w.work += hashStep * h
	}
	if infer > spelledFree*spelledFree {
		w.work += inferStep * infer
	}
}

// funcBody reads d's signature and body, its parameters sized as their
// types.
func (w *exprWalk) funcBody(d *ast.FuncDecl) {
	w.file = w.declOf[d]
	w.env = funcEnv(w, d, false)
	w.locals = map[string]float64{}
	for _, l := range []*ast.FieldList{d.Recv, d.Type.Params, d.Type.Results} {
		if l == nil {
			continue
		}
		for _, fld := range l.List {
			s := w.tsize(fld.Type)
			w.count(s.hash.at(1), 0)
			for _, n := range fld.Names {
				w.locals[n.Name] = s.size.at(1)
			}
		}
	}
	if d.Body != nil {
		w.stmts(d.Body)
	}
	w.locals, w.env = nil, nil
}

// stmts reads the statements under n in source order: each expression
// once, each local name given the largest value assigned to it.
func (w *exprWalk) stmts(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			sizes := make([]float64, len(n.Lhs))
			for i, r := range n.Rhs {
				s := w.esize(r)
				if len(n.Rhs) == len(n.Lhs) {
					sizes[i] = s
				} else {
					for j := range sizes {
						sizes[j] = math.Max(sizes[j], s)
					}
				}
			}
			for i, l := range n.Lhs {
				w.assign(l, sizes[i])
			}
			return false
		case *ast.ValueSpec:
			sizes := w.valueSizes(n)
			for i, name := range n.Names {
				w.assign(name, sizes[i])
			}
			return false
		case *ast.RangeStmt:
			s := w.esize(n.X)
			w.assign(n.Key, s)
			w.assign(n.Value, s)
			if n.Body != nil {
				w.stmts(n.Body)
			}
			return false
		case *ast.TypeSpec:
			if n.Type != nil {
				w.count(w.tsize(n.Type).hash.at(1), 0)
			}
			return false
		case ast.Expr:
			w.esize(n)
			return false
		}
		return true
	})
}

// assign gives a local name (or reads another left-hand side) a value of
// size s.
func (w *exprWalk) assign(l ast.Expr, s float64) {
	if l == nil {
		return
	}
	if id, ok := l.(*ast.Ident); ok && w.locals != nil {
		w.locals[id.Name] = math.Max(w.locals[id.Name], s)
		return
	}
	w.esize(l)
}

// valueSizes returns the sizes of the values of spec's names, reading
// its expressions once.
func (w *exprWalk) valueSizes(spec *ast.ValueSpec) []float64 {
	sizes := make([]float64, len(spec.Names))
	t := 0.0
	if spec.Type != nil {
		s := w.tsize(spec.Type)
		w.count(s.hash.at(1), 0)
		t = s.size.at(1)
	}
	for i := range sizes {
		sizes[i] = t
	}
	for i, v := range spec.Values {
		s := w.esize(v)
		if len(spec.Values) == len(spec.Names) {
			sizes[i] = math.Max(sizes[i], s)
			continue
		}
		for j := range sizes {
			sizes[j] = math.Max(sizes[j], s)
		}
	}
	return sizes
}

// specSizes is valueSizes of a package-level spec, once; read while it
// is being worked out (an initialization cycle), its names count one.
func (w *exprWalk) specSizes(spec *ast.ValueSpec) []float64 {
	if s, ok := w.specs[spec]; ok {
		return s
	}
	if w.busy[spec] {
		return nil
	}
	w.busy[spec] = true
	file, locals, env := w.file, w.locals, w.env
	w.file, w.locals, w.env = w.specOf[spec], nil, nil
	s := w.valueSizes(spec)
	w.file, w.locals, w.env = file, locals, env
	delete(w.busy, spec)
	w.specs[spec] = s
	return s
}

// varSize is the size of the package-level variable or constant name.
func (w *exprWalk) varSize(name string) float64 {
	out := 1.0
	for _, spec := range w.vars[name] {
		sizes := w.specSizes(spec)
		for i, n := range spec.Names {
			if n.Name == name && i < len(sizes) {
				out = math.Max(out, sizes[i])
			}
		}
	}
	return out
}

// esize returns the spelled size of e's type, counting the work of the
// instances and inferences in it.
func (w *exprWalk) esize(e ast.Expr) float64 {
	switch e := e.(type) {
	case nil:
		return 1
	case *ast.Ident:
		if s, ok := w.locals[e.Name]; ok {
			return s
		}
		if w.env != nil {
			if _, ok := w.env.idx[e.Name]; ok {
				return 1
			}
		}
		if len(w.vars[e.Name]) > 0 {
			return w.varSize(e.Name)
		}
		return 1
	case *ast.ParenExpr:
		return w.esize(e.X)
	case *ast.SelectorExpr:
		if w.isImport(e.X) {
			return 1
		}
		return w.esize(e.X)
	case *ast.CallExpr:
		return w.call(e)
	case *ast.IndexExpr:
		return w.index(e, e.X, []ast.Expr{e.Index})
	case *ast.IndexListExpr:
		return w.index(e, e.X, e.Indices)
	case *ast.SliceExpr:
		for _, x := range []ast.Expr{e.Low, e.High, e.Max} {
			if x != nil {
				w.esize(x)
			}
		}
		return w.esize(e.X)
	case *ast.StarExpr:
		return w.esize(e.X)
	case *ast.UnaryExpr:
		s := w.esize(e.X)
		if e.Op == token.AND {
			s++
		}
		return s
	case *ast.BinaryExpr:
		x, y := w.esize(e.X), w.esize(e.Y)
		switch e.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return 1
		}
		return math.Max(x, y)
	case *ast.KeyValueExpr:
		if _, ok := e.Key.(*ast.Ident); !ok {
			w.esize(e.Key)
		}
		return w.esize(e.Value)
	case *ast.CompositeLit:
		s := 1.0
		if e.Type != nil {
			s = w.typeAt(e.Type)
		}
		for _, x := range e.Elts {
			w.esize(x)
		}
		return s
	case *ast.FuncLit:
		s := 1.0
		if e.Type != nil {
			s = w.typeAt(e.Type)
		}
		if e.Body != nil {
			if w.locals == nil { // a literal at package level has locals of its own
				w.locals = map[string]float64{}
				defer func() { w.locals = nil }()
			}
			w.stmts(e.Body)
		}
		return s
	case *ast.TypeAssertExpr:
		w.esize(e.X)
		if e.Type == nil {
			return 1
		}
		return w.typeAt(e.Type)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StructType, *ast.InterfaceType:
		return w.typeAt(e)
	}
	return 1
}

// typeAt returns the size of the type t, counting the instances it makes.
func (w *exprWalk) typeAt(t ast.Expr) float64 {
	s := w.tsize(t)
	w.count(s.hash.at(1), 0)
	return s.size.at(1)
}

// isImport reports whether x names an import of the file being read.
func (w *exprWalk) isImport(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	if !ok || !w.imports[w.file][id.Name] {
		return false
	}
	_, local := w.locals[id.Name]
	return !local && len(w.vars[id.Name]) == 0
}

// index reads x[args]: an explicit instance of a generic function or
// type, or an index.
func (w *exprWalk) index(e ast.Expr, x ast.Expr, args []ast.Expr) float64 {
	if id, ok := x.(*ast.Ident); ok && !w.shadowed(id.Name) {
		if len(w.funcs[id.Name]) > 0 {
			return w.callFuncs(w.funcs[id.Name], args, nil, false)
		}
		if len(w.types[id.Name]) > 0 {
			return w.typeAt(e)
		}
	}
	if sel, ok := x.(*ast.SelectorExpr); ok && w.isImport(sel.X) {
		if f := w.foreignForm(sel); f != nil {
			return w.apply([]*callForm{f}, w.sizes(args, true), nil, false)
		}
		return w.typeAt(e) // a type's instance, or a function's
	}
	s := w.esize(x)
	for _, a := range args {
		w.esize(a)
	}
	return s
}

// shadowed reports whether name is a local of the function being read.
func (w *exprWalk) shadowed(name string) bool {
	_, ok := w.locals[name]
	if !ok && w.env != nil {
		_, ok = w.env.idx[name]
	}
	return ok
}

// sizes returns the sizes of args, as types or as values.
func (w *exprWalk) sizes(args []ast.Expr, asTypes bool) []float64 {
	out := make([]float64, len(args))
	for i, a := range args {
		if asTypes {
			out[i] = w.typeAt(a)
		} else {
			out[i] = w.esize(a)
		}
	}
	return out
}

// call reads a call: of a generic function (of the package, or
// imported), a method, a conversion or a builtin.
func (w *exprWalk) call(c *ast.CallExpr) float64 {
	fun := ast.Unparen(c.Fun)
	var explicit []ast.Expr
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun, explicit = f.X, []ast.Expr{f.Index}
	case *ast.IndexListExpr:
		fun, explicit = f.X, f.Indices
	}
	switch f := fun.(type) {
	case *ast.Ident:
		if !w.shadowed(f.Name) {
			if ds := w.funcs[f.Name]; len(ds) > 0 {
				return w.callFuncs(ds, explicit, c.Args, true)
			}
			if len(w.types[f.Name]) > 0 { // a conversion
				w.sizes(c.Args, false)
				return w.typeAt(c.Fun)
			}
			switch f.Name {
			case "new":
				if len(c.Args) > 0 {
					return 1 + w.typeAt(c.Args[0])
				}
			case "make":
				if len(c.Args) > 0 {
					s := w.typeAt(c.Args[0])
					w.sizes(c.Args[1:], false)
					return s
				}
			case "append", "min", "max":
				return maxOf(w.sizes(c.Args, false))
			}
		}
	case *ast.SelectorExpr:
		if w.isImport(f.X) {
			args := append(w.sizes(explicit, true), w.sizes(c.Args, false)...)
			if form := w.foreignForm(f); form != nil {
				return w.apply([]*callForm{form}, args[:len(explicit)], args[len(explicit):], len(explicit) < form.k)
			}
			return 1
		}
		if form := w.methodForm(f.Sel.Name); form != nil {
			recv := w.esize(f.X)
			w.sizes(explicit, true)
			w.sizes(c.Args, false)
			return w.apply([]*callForm{form}, nil, []float64{recv - 1}, false)
		}
		w.esize(f.X)
		w.sizes(c.Args, false)
		return 1
	case *ast.FuncLit:
		w.esize(f)
		w.sizes(c.Args, false)
		return w.resultOf(f.Type)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StructType, *ast.InterfaceType, *ast.StarExpr:
		if st, ok := f.(*ast.StarExpr); ok && !w.isType(st.X) {
			break
		}
		w.sizes(c.Args, false)
		return w.typeAt(c.Fun)
	}
	w.esize(c.Fun)
	w.sizes(explicit, true)
	w.sizes(c.Args, false)
	return 1
}

// isType reports whether x is written as a type (for (*T)(x)).
func (w *exprWalk) isType(x ast.Expr) bool {
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return len(w.types[x.Name]) > 0
	case *ast.IndexExpr:
		return w.isType(x.X)
	case *ast.IndexListExpr:
		return w.isType(x.X)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StructType, *ast.InterfaceType:
		return true
	}
	return false
}

// resultOf is the size of a function type's result (the largest).
func (w *exprWalk) resultOf(t *ast.FuncType) float64 {
	s := 1.0
	if t != nil && t.Results != nil {
		for _, r := range t.Results.List {
			s = math.Max(s, w.tsize(r.Type).size.at(1))
		}
	}
	return s
}

func maxOf(s []float64) float64 {
	m := 1.0
	for _, v := range s {
		m = math.Max(m, v)
	}
	return m
}

// callFuncs reads a call (or, args nil and called false, an explicit
// instance) of the package's functions ds.
func (w *exprWalk) callFuncs(ds []*ast.FuncDecl, explicit, args []ast.Expr, called bool) float64 {
	ex := w.sizes(explicit, true)
	var as []float64
	if called {
		as = w.sizes(args, false)
	}
	var forms []*callForm
	for _, d := range ds {
		forms = append(forms, w.funcForm(d))
	}
	k := 0
	for _, f := range forms {
		k = max(k, f.k)
	}
	return w.apply(forms, ex, as, called && len(explicit) < k)
}

// apply counts the instances and inference of a call of forms (the
// declarations the name may be), its type arguments the largest of
// explicit and args, and returns its result's size.
func (w *exprWalk) apply(forms []*callForm, explicit, args []float64, inferred bool) float64 {
	m := math.Max(maxOf(explicit), maxOf(args))
	out := 1.0
	for _, f := range forms {
		if f.k > 0 {
			s := f.sum.at(m)
			inf := 0.0
			if inferred {
				inf = float64(1+f.cores) * s
			}
			w.count(1+s+f.hash.at(m), inf)
		}
		out = math.Max(out, f.result.at(m))
	}
	return out
}

// methodForm returns the largest of the callForms of the package's
// methods named name (nil: none), once: a package of thousands of types
// has thousands of String methods, and a call of each.
func (w *exprWalk) methodForm(name string) *callForm {
	if f, ok := w.methodF[name]; ok {
		return f
	}
	var out *callForm
	for _, d := range w.methods[name] {
		f := w.funcForm(d)
		if out == nil {
			g := *f
			out = &g
			continue
		}
		out.k, out.cores = max(out.k, f.k), max(out.cores, f.cores)
		out.sum, out.hash, out.result = out.sum.max(f.sum), out.hash.max(f.hash), out.result.max(f.result)
	}
	w.methodF[name] = out
	return out
}

// funcForm returns d's callForm, once; met while being worked out (a
// function whose signature names a call of itself cannot), it is one of
// nothing.
//
// A method's type arguments are its receiver's, read from the
// receiver's spelled size s: together they spell at most s-1, so its
// form is taken over that sum, each receiver parameter's weight in it
// the largest of theirs (their sizes summed as the largest, m each,
// made a node[K, V] of a map's method double a hop).
func (w *exprWalk) funcForm(d *ast.FuncDecl) *callForm {
	if f, ok := w.forms[d]; ok {
		return f
	}
	if w.busy[d] {
		return &callForm{result: constLin(1)}
	}
	w.busy[d] = true
	file, env, locals := w.file, w.env, w.locals
	w.file, w.locals = w.declOf[d], nil
	f := w.sigForm(d, -1)
	if d.Recv != nil && f.k > 0 && f.k <= maxSlots {
		m := w.sigForm(d, f.k) // every parameter nothing
		for i := range f.k {
			fi := w.sigForm(d, i)
			m.result.a = math.Max(m.result.a, fi.result.a)
			m.hash.a = math.Max(m.hash.a, fi.hash.a)
		}
		m.k, m.sum, m.cores = f.k, argLin, 0
		f = m
	}
	w.file, w.env, w.locals = file, env, locals
	delete(w.busy, d)
	w.forms[d] = f
	return f
}

// sigForm is d's callForm with its type parameters m each (only < 0),
// or parameter only m and the others nothing.
func (w *exprWalk) sigForm(d *ast.FuncDecl, only int) *callForm {
	e := funcEnv(w, d, true)
	e.only = only
	w.env = e
	f := &callForm{k: len(e.names), result: constLin(1)}
	for i := range e.names {
		v := e.get(i)
		f.sum = f.sum.add(v)
		if v != argLin {
			f.cores++
		}
	}
	var hash lin
	for _, l := range []*ast.FieldList{d.Type.Params, d.Type.Results} {
		if l == nil {
			continue
		}
		for _, fld := range l.List {
			s := w.tsize(fld.Type)
			hash = hash.add(s.hash.scale(float64(max(len(fld.Names), 1))))
			if l == d.Type.Results {
				f.result = f.result.max(s.size)
			}
		}
	}
	f.hash = hash
	return f
}

// foreignForm returns the callForm of the imported function sel names,
// from its types; nil when it is not a function at hand.
func (w *exprWalk) foreignForm(sel *ast.SelectorExpr) *callForm {
	if w.foreign == nil {
		return nil
	}
	obj := w.foreign(w.file, sel)
	fn, ok := obj.(*types.Func)
	if !ok {
		return nil
	}
	if f, ok := w.foreignF[fn]; ok {
		return f
	}
	sig, _ := fn.Type().(*types.Signature)
	f := &callForm{result: constLin(1)}
	if sig != nil {
		tps := sig.TypeParams()
		f.k = tps.Len()
		env := map[*types.TypeParam]lin{}
		for i := range f.k {
			env[tps.At(i)] = argLin
		}
		// A parameter's constraint's core type grows it: in
		// declaration order, as inference mostly meets them.
		for i := range f.k {
			tp := tps.At(i)
			core, _ := typesSize(tp.Constraint(), env, true)
			if core != (lin{}) {
				f.cores++
			}
			env[tp] = env[tp].max(core)
			f.sum = f.sum.add(env[tp])
		}
		for _, tuple := range []*types.Tuple{sig.Params(), sig.Results()} {
			for i := range tuple.Len() {
				s, h := typesSize(tuple.At(i).Type(), env, false)
				f.hash = f.hash.add(h)
				if tuple == sig.Results() {
					f.result = f.result.max(s)
				}
			}
		}
	}
	w.foreignF[fn] = f
	return f
}

// typesSize is tsize for a type go/types holds: its spelled size and the
// instances it makes, type parameters given by env. With core, t is a
// constraint and the size is its core type's (none: zero).
func typesSize(t types.Type, env map[*types.TypeParam]lin, core bool) (size, hash lin) {
	return typesSizeDepth(t, env, core, 0)
}

// maxTypesDepth bounds typesSize's descent: an imported type is read
// through its types, which may nest (a struct of a struct ...) deeper
// than any real signature.
const maxTypesDepth = 64

func typesSizeDepth(t types.Type, env map[*types.TypeParam]lin, core bool, depth int) (size, hash lin) {
	if depth > maxTypesDepth {
		return constLin(1), lin{}
	}
	rec := func(t types.Type) (lin, lin) { return typesSizeDepth(t, env, false, depth+1) }
	if core {
		iface, ok := t.Underlying().(*types.Interface)
		if !ok {
			return rec(t)
		}
		var out lin
		for i := range iface.NumEmbeddeds() {
			e := iface.EmbeddedType(i)
			if u, ok := e.(*types.Union); ok {
				for j := range u.Len() {
					s, _ := rec(u.Term(j).Type())
					out = out.max(s)
				}
				continue
			}
			s, _ := typesSizeDepth(e, env, true, depth+1)
			out = out.max(s)
		}
		return out, lin{}
	}
	one := constLin(1)
	switch t := t.(type) {
	case *types.TypeParam:
		if v, ok := env[t]; ok {
			return v, lin{}
		}
		return one, lin{}
	case *types.Alias:
		s, h := rec(types.Unalias(t))
		return one.add(s), h
	case *types.Named:
		args := t.TypeArgs()
		if args.Len() == 0 {
			return one, lin{}
		}
		size, hash := one, lin{}
		for i := range args.Len() {
			s, h := rec(args.At(i))
			size, hash = size.add(s), hash.add(h)
		}
		return size, hash.add(size)
	case *types.Pointer:
		s, h := rec(t.Elem())
		return one.add(s), h
	case *types.Slice:
		s, h := rec(t.Elem())
		return one.add(s), h
	case *types.Array:
		s, h := rec(t.Elem())
		return one.add(s), h
	case *types.Chan:
		s, h := rec(t.Elem())
		return one.add(s), h
	case *types.Map:
		k, hk := rec(t.Key())
		v, hv := rec(t.Elem())
		return one.add(k).add(v), hk.add(hv)
	case *types.Signature:
		size, hash := one, lin{}
		for _, tuple := range []*types.Tuple{t.Params(), t.Results()} {
			for i := range tuple.Len() {
				s, h := rec(tuple.At(i).Type())
				size, hash = size.add(s), hash.add(h)
			}
		}
		return size, hash
	case *types.Struct:
		size, hash := one, lin{}
		for i := range t.NumFields() {
			s, h := rec(t.Field(i).Type())
			size, hash = size.add(s), hash.add(h)
		}
		return size, hash
	}
	return one, lin{}
}

// tpEnv gives a generic declaration's type parameters their sizes over
// m: m, or more where the parameter's constraint has a core type that
// spells more (P1 ~[]P0: one more than P0), worked out on demand.
type tpEnv struct {
	w     *exprWalk
	idx   map[string]int
	names []string
	cons  []ast.Expr
	val   []lin
	state []uint8 // 0 not worked out, 1 being worked out, 2 done
	fixed float64 // >0: every parameter has this size (a body's view)
	only  int     // ≥0: only this parameter is m, the others nothing (funcForm)
}

// declEnv is the environment of a type declaration's parameters, each m
// (a type's instance has its arguments; nothing is inferred); nil with
// none, unless the receiver's parameters extra add some.
func declEnv(w *exprWalk, params *ast.FieldList, extra []string) *tpEnv {
	e := &tpEnv{w: w, idx: map[string]int{}, only: -1}
	for _, n := range extra {
		e.addParam(n, nil)
	}
	if params != nil {
		for _, fld := range params.List {
			for _, n := range fld.Names {
				e.addParam(n.Name, nil)
			}
		}
	}
	return e
}

func (e *tpEnv) addParam(name string, cons ast.Expr) {
	e.idx[name] = len(e.names)
	e.names = append(e.names, name)
	e.cons = append(e.cons, cons)
	e.val = append(e.val, lin{})
	e.state = append(e.state, 0)
}

// funcEnv is the environment of d's type parameters, its receiver's
// first. asForm: over m, grown by their constraints; otherwise as its
// body sees them (each one).
func funcEnv(w *exprWalk, d *ast.FuncDecl, asForm bool) *tpEnv {
	e := &tpEnv{w: w, idx: map[string]int{}, only: -1}
	if !asForm {
		e.fixed = 1
	}
	if d.Recv != nil && len(d.Recv.List) > 0 {
		t := d.Recv.List[0].Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		var idx []ast.Expr
		switch t := t.(type) {
		case *ast.IndexExpr:
			idx = []ast.Expr{t.Index}
		case *ast.IndexListExpr:
			idx = t.Indices
		}
		for _, x := range idx {
			if id, ok := x.(*ast.Ident); ok {
				e.addParam(id.Name, nil)
			}
		}
	}
	if d.Type.TypeParams != nil {
		for _, fld := range d.Type.TypeParams.List {
			for _, n := range fld.Names {
				e.addParam(n.Name, fld.Type)
			}
		}
	}
	return e
}

// get returns parameter i's size.
func (e *tpEnv) get(i int) lin {
	if e.fixed > 0 {
		return constLin(e.fixed)
	}
	if e.only >= 0 && e.only != i {
		return lin{}
	}
	switch e.state[i] {
	case 2:
		return e.val[i]
	case 1:
		return argLin
	}
	e.state[i] = 1
	v := argLin
	if e.cons[i] != nil {
		v = v.max(e.w.core(e.cons[i], 0))
	}
	e.val[i], e.state[i] = v, 2
	return v
}

// core returns the size of the core type of the constraint c (zero when
// it has none a size is worth counting for), in the current environment.
func (w *exprWalk) core(c ast.Expr, depth int) lin {
	if depth > maxTypesDepth {
		return lin{}
	}
	switch c := c.(type) {
	case *ast.ParenExpr:
		return w.core(c.X, depth+1)
	case *ast.Ident:
		if c.Name == "any" || c.Name == "comparable" {
			return lin{}
		}
		if s := w.namedIface(c.Name); s != nil {
			return w.declCore(s)
		}
		return w.tsize(c).size
	case *ast.IndexExpr, *ast.IndexListExpr:
		var x ast.Expr
		var args []ast.Expr
		if ix, ok := c.(*ast.IndexExpr); ok {
			x, args = ix.X, []ast.Expr{ix.Index}
		} else {
			il := c.(*ast.IndexListExpr)
			x, args = il.X, il.Indices
		}
		if id, ok := x.(*ast.Ident); ok {
			if s := w.namedIface(id.Name); s != nil {
				var m lin
				for _, a := range args {
					m = m.max(w.tsize(a).size)
				}
				return w.declCore(s).of(m)
			}
		}
		return w.tsize(c).size
	case *ast.SelectorExpr:
		return lin{}
	case *ast.InterfaceType:
		var out lin
		if c.Methods != nil {
			for _, m := range c.Methods.List {
				if len(m.Names) == 0 {
					out = out.max(w.core(m.Type, depth+1))
				}
			}
		}
		return out
	case *ast.BinaryExpr:
		return w.core(c.X, depth+1).max(w.core(c.Y, depth+1))
	case *ast.UnaryExpr:
		return w.tsize(c.X).size
	}
	return w.tsize(c).size
}

// namedIface returns the package's interface declaration name, if one.
func (w *exprWalk) namedIface(name string) *ast.TypeSpec {
	if w.env != nil {
		if _, ok := w.env.idx[name]; ok {
			return nil
		}
	}
	for _, s := range w.types[name] {
		if _, ok := s.Type.(*ast.InterfaceType); ok {
			return s
		}
	}
	return nil
}

// declCore is the core size of the interface s declares, over its
// largest type argument, once.
func (w *exprWalk) declCore(s *ast.TypeSpec) lin {
	if c, ok := w.cores[s]; ok {
		return *c
	}
	if w.busy[s] {
		return lin{}
	}
	w.busy[s] = true
	env, file := w.env, w.file
	w.env, w.file = declEnv(w, s.TypeParams, nil), w.declOf[s]
	c := w.core(s.Type, 0)
	w.env, w.file = env, file
	delete(w.busy, s)
	w.cores[s] = &c
	return c
}

// sized is a type expression's spelled size and the work of the
// instances it makes, over the current environment's m.
type sized struct{ size, hash lin }

// tsize returns the spelled size of the type t and its instances' hash
// work (each instance's spelled size, and those its body makes when
// expanded), in the current environment.
func (w *exprWalk) tsize(t ast.Expr) sized {
	one := sized{size: constLin(1)}
	switch t := t.(type) {
	case nil:
		return one
	case *ast.ParenExpr:
		return w.tsize(t.X)
	case *ast.Ident:
		if w.env != nil {
			if i, ok := w.env.idx[t.Name]; ok {
				return sized{size: w.env.get(i)}
			}
		}
		out := one
		for _, s := range w.types[t.Name] {
			if s.Assign.IsValid() && s.TypeParams == nil {
				out.size = out.size.max(constLin(1).add(w.aliasSize(s)))
			}
		}
		return out
	case *ast.IndexExpr:
		return w.instance(t.X, []ast.Expr{t.Index})
	case *ast.IndexListExpr:
		return w.instance(t.X, t.Indices)
	case *ast.StarExpr:
		return w.tsize(t.X).plus1()
	case *ast.ArrayType:
		return w.tsize(t.Elt).plus1()
	case *ast.Ellipsis:
		return w.tsize(t.Elt).plus1()
	case *ast.ChanType:
		return w.tsize(t.Value).plus1()
	case *ast.MapType:
		return w.tsize(t.Key).add(w.tsize(t.Value)).plus1()
	case *ast.UnaryExpr: // ~T
		return w.tsize(t.X)
	case *ast.BinaryExpr: // a union
		return w.tsize(t.X).add(w.tsize(t.Y))
	case *ast.FuncType:
		out := one
		for _, l := range []*ast.FieldList{t.Params, t.Results} {
			out = out.add(w.fields(l))
		}
		return out
	case *ast.StructType:
		return one.add(w.fields(t.Fields))
	case *ast.InterfaceType:
		return one.add(w.fields(t.Methods))
	}
	return one
}

// fields is the sum of tsize over a field list, each name counted.
func (w *exprWalk) fields(l *ast.FieldList) sized {
	var out sized
	if l == nil {
		return out
	}
	for _, f := range l.List {
		s := w.tsize(f.Type)
		k := float64(max(len(f.Names), 1))
		out = out.add(sized{s.size.scale(k), s.hash.scale(k)})
	}
	return out
}

func (s sized) add(t sized) sized { return sized{s.size.add(t.size), s.hash.add(t.hash)} }

func (s sized) plus1() sized { return sized{s.size.add(constLin(1)), s.hash} }

// instance returns the size of x[args] and the work it makes: its hash
// spells it, and expanding a generic type of the package makes its
// body's instances with the largest argument put in.
func (w *exprWalk) instance(x ast.Expr, args []ast.Expr) sized {
	out := sized{size: constLin(1)}
	var m lin
	for _, a := range args {
		s := w.tsize(a)
		out = out.add(s)
		m = m.max(s.size)
	}
	out.hash = out.hash.add(out.size)
	if id, ok := x.(*ast.Ident); ok {
		for _, s := range w.types[id.Name] {
			if s.TypeParams == nil {
				continue
			}
			g := w.genType(s)
			out.hash = out.hash.add(g.hash.of(m))
			if s.Assign.IsValid() {
				out.size = out.size.add(g.size.of(m))
			}
		}
	}
	return out
}

// genType returns the generic type s's cost over its largest argument,
// once; met while being worked out (a type naming itself), nothing.
func (w *exprWalk) genType(s *ast.TypeSpec) genType {
	if g, ok := w.genTypes[s]; ok {
		return *g
	}
	if w.busy[s] {
		return genType{size: constLin(1)}
	}
	w.busy[s] = true
	env, file := w.env, w.file
	w.env, w.file = declEnv(w, s.TypeParams, nil), w.declOf[s]
	t := w.tsize(s.Type)
	w.env, w.file = env, file
	delete(w.busy, s)
	g := genType{size: t.size, hash: t.hash}
	w.genTypes[s] = &g
	return g
}

// aliasSize returns the spelled size of what the alias s stands for,
// once; in a cycle, one.
func (w *exprWalk) aliasSize(s *ast.TypeSpec) lin {
	if a, ok := w.aliases[s]; ok {
		return *a
	}
	if w.busy[s] {
		return constLin(1)
	}
	w.busy[s] = true
	env, file := w.env, w.file
	w.env, w.file = nil, w.declOf[s]
	a := constLin(w.tsize(s.Type).size.at(1))
	w.env, w.file = env, file
	delete(w.busy, s)
	w.aliases[s] = &a
	return a
}
