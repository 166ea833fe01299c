package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"
)

// Strings the standard library builds from constant pieces (qa19 M6):
// strings.Join([]string{"AKIA…", "…"}, ""), fmt.Sprintf("%s%s", "…", "…"),
// fmt.Sprint, strings.ReplaceAll("AKIA-…", "-", ""), ToUpper and the Trim
// family, a + over such calls, and a string variable built from literals,
// then grown with += or = k + "…". The compiler does not fold these, but
// their value is as fixed as a constant's, so the analyzer works it out and
// scans it as it scans a folded constant: go vet and keyscan scan (which
// runs the same walk) agree.
//
// Only values built from constants, string literals and variables whose
// only value so far was built so are read: a variable is its initialiser,
// or, inside a function, what the assignments before the current one made
// it (in the order of the source: a branch or a loop is not followed). Each
// value is at most maxConstLen bytes and one file builds at most
// maxConstBytes in all; a format with a * width or a width above
// maxFormatWidth is not run.

// maxEvalDepth bounds how many calls, additions and variables deep one
// value is read.
const maxEvalDepth = 32

// maxFormatWidth bounds a width or precision in a format that is run.
const maxFormatWidth = 64

// evalState is what exprScan keeps to read built strings.
type evalState struct {
	memo  map[ast.Expr]evalResult
	inits map[token.Pos]ast.Expr      // a variable's name -> its initialiser
	lists map[token.Pos]ast.Expr      // the same, for a variable a composite literal initialises
	acc   map[types.Object]evalResult // a function's variable as the assignments so far left it
	spent int64
	// builders are a function's strings.Builder and bytes.Buffer
	// variables, by their name's position, as their writes so far left
	// them (builder.go)
	builders map[token.Pos]builderState
}

type evalResult struct {
	v  string
	ok bool
}

// builtString returns the value of e when it is a string built only from
// constant pieces (see above); constants themselves too.
func (s *exprScan) builtString(e ast.Expr) (string, bool) { return s.eval(e, 0) }

func (s *exprScan) eval(e ast.Expr, depth int) (string, bool) {
	if v, ok := s.constString(e); ok {
		return v, true
	}
	if depth > maxEvalDepth || s.info == nil || !maybeString(s.info.TypeOf(e)) && !s.bytesJoin(e) {
		return "", false
	}
	if r, ok := s.ev.memo[e]; ok {
		return r.v, r.ok
	}
	v, ok := s.evalOnce(e, depth)
	if ok {
		ok = s.spend(len(v))
	}
	if s.ev.memo == nil {
		s.ev.memo = map[ast.Expr]evalResult{}
	}
	s.ev.memo[e] = evalResult{v, ok}
	return v, ok
}

// spend charges n bytes built to the file's budget.
func (s *exprScan) spend(n int) bool {
	if n > maxConstLen || s.ev.spent+int64(n) > maxConstBytes {
		return false
	}
	s.ev.spent += int64(n)
	return true
}

func (s *exprScan) evalOnce(e ast.Expr, depth int) (string, bool) {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return s.eval(e.X, depth+1)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := s.eval(e.X, depth+1)
		if !ok {
			return "", false
		}
		y, ok := s.eval(e.Y, depth+1)
		return x + y, ok && len(x)+len(y) <= maxConstLen
	case *ast.CallExpr:
		return s.callString(e, depth)
	case *ast.Ident:
		return s.varString(s.info.Uses[e], depth)
	}
	return "", false
}

// varString is the value a string variable holds: what the assignments
// before made it, or its initialiser.
func (s *exprScan) varString(obj types.Object, depth int) (string, bool) {
	v, ok := obj.(*types.Var)
	if !ok || v.IsField() {
		return "", false
	}
	if a, ok := s.ev.acc[v]; ok {
		return a.v, a.ok
	}
	init, ok := s.varInits()[v.Pos()]
	if !ok {
		return "", false
	}
	return s.eval(init, depth+1)
}

// varInits maps the names of the variables the file declares with one
// value each (var x = …, x := …) to their initialisers.
func (s *exprScan) varInits() map[token.Pos]ast.Expr {
	if s.ev.inits != nil {
		return s.ev.inits
	}
	s.ev.inits = map[token.Pos]ast.Expr{}
	if s.f == nil {
		return s.ev.inits
	}
	ast.Inspect(s.f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			if len(n.Values) == len(n.Names) {
				for i, name := range n.Names {
					s.ev.inits[name.Pos()] = n.Values[i]
				}
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						s.ev.inits[id.Pos()] = n.Rhs[i]
					}
				}
			}
		}
		return true
	})
	return s.ev.inits
}

// assigned follows a string variable through an assignment, in the order
// the walk meets them: k += "…" and k = … (its value then is the right
// side's, read before the assignment). It returns the value k += … makes,
// and the pieces it joins.
func (s *exprScan) assigned(a *ast.AssignStmt) (string, [2]string, bool) {
	if len(a.Lhs) != 1 || len(a.Rhs) != 1 || a.Tok != token.ADD_ASSIGN && a.Tok != token.ASSIGN {
		return "", [2]string{}, false
	}
	id, ok := a.Lhs[0].(*ast.Ident)
	if !ok || s.info == nil {
		return "", [2]string{}, false
	}
	v, ok := s.info.Uses[id].(*types.Var)
	if !ok || !maybeString(v.Type()) || v.Parent() == nil || v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return "", [2]string{}, false // a package's variable: any function may change it
	}
	if s.ev.acc == nil {
		s.ev.acc = map[types.Object]evalResult{}
	}
	rhs, ok := s.eval(a.Rhs[0], 0)
	if a.Tok == token.ASSIGN || !ok {
		s.ev.acc[v] = evalResult{rhs, ok} // not known from here on when !ok
		return "", [2]string{}, false
	}
	prev, ok := s.varString(v, 0)
	if !ok || !s.spend(len(prev)+len(rhs)) {
		s.ev.acc[v] = evalResult{}
		return "", [2]string{}, false
	}
	s.ev.acc[v] = evalResult{prev + rhs, true}
	return prev + rhs, [2]string{prev, rhs}, true
}

// callString is the value of a call of the standard library that builds a
// string from constant pieces.
func (s *exprScan) callString(call *ast.CallExpr, depth int) (string, bool) {
	if tv, ok := s.info.Types[ast.Unparen(call.Fun)]; ok && tv.IsType() {
		if len(call.Args) == 1 && isString(s.info.TypeOf(call.Args[0])) {
			return s.eval(call.Args[0], depth+1) // string(x)
		}
		return "", false
	}
	pkg, name, ok := s.stdCallee(call)
	if !ok || call.Ellipsis.IsValid() {
		return "", false
	}
	args := make([]string, 0, len(call.Args))
	str := func(i int) bool {
		v, ok := s.eval(call.Args[i], depth+1)
		args = append(args, v)
		return ok
	}
	switch pkg + "." + name {
	case "bytes.Join":
		if len(call.Args) != 2 {
			return "", false
		}
		sep, ok := s.bytesValue(call.Args[1], depth+1)
		if !ok {
			return "", false
		}
		elems, ok := s.bytesList(call.Args[0], depth+1)
		if !ok {
			return "", false
		}
		return joined(elems, sep)
	case "strings.Join":
		if len(call.Args) != 2 || !str(1) {
			return "", false
		}
		elems, ok := s.stringList(call.Args[0], depth+1)
		if !ok {
			return "", false
		}
		return joined(elems, args[0])
	case "strings.ToUpper", "strings.ToLower", "strings.TrimSpace":
		if len(call.Args) != 1 || !str(0) {
			return "", false
		}
		switch name {
		case "ToUpper":
			return strings.ToUpper(args[0]), true
		case "ToLower":
			return strings.ToLower(args[0]), true
		}
		return strings.TrimSpace(args[0]), true
	case "strings.Trim", "strings.TrimLeft", "strings.TrimRight", "strings.TrimPrefix", "strings.TrimSuffix":
		if len(call.Args) != 2 || !str(0) || !str(1) {
			return "", false
		}
		switch name {
		case "Trim":
			return strings.Trim(args[0], args[1]), true
		case "TrimLeft":
			return strings.TrimLeft(args[0], args[1]), true
		case "TrimRight":
			return strings.TrimRight(args[0], args[1]), true
		case "TrimPrefix":
			return strings.TrimPrefix(args[0], args[1]), true
		}
		return strings.TrimSuffix(args[0], args[1]), true
	case "strings.ReplaceAll", "strings.Replace":
		want := 3
		if name == "Replace" {
			want = 4
		}
		if len(call.Args) != want || !str(0) || !str(1) || !str(2) {
			return "", false
		}
		n := -1
		if name == "Replace" {
			c, ok := s.constInt(call.Args[3])
			if !ok {
				return "", false
			}
			n = c
		}
		count := strings.Count(args[0], args[1])
		if n >= 0 {
			count = min(count, n)
		}
		if len(args[0])+count*(len(args[2])-len(args[1])) > maxConstLen {
			return "", false
		}
		return strings.Replace(args[0], args[1], args[2], n), true
	case "fmt.Sprint", "fmt.Sprintln", "fmt.Sprintf":
		if name == "Sprintf" && len(call.Args) == 0 {
			return "", false // fmt.Sprintf() of a file that does not parse
		}
		vals := make([]any, 0, len(call.Args))
		for i, a := range call.Args {
			if i == 0 && name == "Sprintf" {
				if !str(0) || !safeFormat(args[0]) {
					return "", false
				}
				continue
			}
			v, ok := s.formatArg(a, depth+1)
			if !ok {
				return "", false
			}
			vals = append(vals, v)
		}
		var out string
		switch name {
		case "Sprint":
			out = fmt.Sprint(vals...)
		case "Sprintln":
			out = fmt.Sprintln(vals...)
		default:
			out = fmt.Sprintf(args[0], vals...)
		}
		return out, len(out) <= maxConstLen
	}
	return "", false
}

// stdCallee returns the package and the name of the function a call of
// strings' or fmt's calls. It is read from the import the qualifier names,
// not from the function's type: keyscan scan type-checks with the standard
// library's packages empty.
func (s *exprScan) stdCallee(call *ast.CallExpr) (pkg, name string, ok bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", "", false
	}
	pn, ok := s.info.Uses[id].(*types.PkgName)
	if !ok || pn.Imported() == nil {
		return "", "", false
	}
	pkg = pn.Imported().Path()
	return pkg, sel.Sel.Name, (pkg == "strings" || pkg == "fmt") && stringBuilders[sel.Sel.Name] || pkg == "bytes" && sel.Sel.Name == "Join"
}

// joined is strings.Join(elems, sep), when it is no longer than a value
// is read.
func joined(elems []string, sep string) (string, bool) {
	n := len(sep) * max(0, len(elems)-1)
	for _, e := range elems {
		n += len(e)
	}
	if n > maxConstLen {
		return "", false
	}
	return strings.Join(elems, sep), true
}

// bytesJoin reports whether e calls bytes.Join, whose []byte the analyzer
// reads as the string it holds.
func (s *exprScan) bytesJoin(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	pkg, name, ok := s.qualified(call.Fun)
	return ok && pkg == "bytes" && name == "Join"
}

// listLiteral is the composite literal e is, or that initialises the
// variable e names, when it has no more items than a constant is followed
// through (maxConstLen): the list stringList and bytesList read.
func (s *exprScan) listLiteral(e ast.Expr) (*ast.CompositeLit, bool) {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		v, ok := s.info.Uses[id].(*types.Var)
		if !ok {
			return nil, false
		}
		if e, ok = s.varInits()[v.Pos()]; !ok {
			return nil, false
		}
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok || len(cl.Elts) > maxConstLen {
		return nil, false
	}
	return cl, true
}

// stringList is the items of a []string composite literal, written there
// or as the initialiser of the variable e names.
func (s *exprScan) stringList(e ast.Expr, depth int) ([]string, bool) {
	cl, ok := s.listLiteral(e)
	if !ok {
		return nil, false
	}
	return listValues(cl, depth, s.eval)
}

// listValues is the value of each item of cl, one level deeper than
// depth, as value works it out; false when one is unknown.
func listValues(cl *ast.CompositeLit, depth int, value func(ast.Expr, int) (string, bool)) ([]string, bool) {
	out := make([]string, 0, len(cl.Elts))
	for _, el := range cl.Elts {
		v, ok := value(el, depth+1)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// formatArg is an argument of fmt's functions as the call passes it: a
// built string, or a constant of a basic type without methods (a named
// type's String method would change what fmt prints).
func (s *exprScan) formatArg(e ast.Expr, depth int) (any, bool) {
	tv, ok := s.info.Types[e]
	if !ok {
		return nil, false
	}
	if maybeString(tv.Type) {
		if n, ok := tv.Type.(*types.Named); ok && n.NumMethods() > 0 {
			return nil, false
		}
		return s.eval(e, depth)
	}
	b, ok := tv.Type.Underlying().(*types.Basic)
	if !ok || tv.Value == nil {
		return nil, false
	}
	if n, ok := tv.Type.(*types.Named); ok && n.NumMethods() > 0 {
		return nil, false
	}
	switch {
	case b.Info()&types.IsBoolean != 0:
		return constant.BoolVal(tv.Value), true
	case b.Kind() == types.Int32 || b.Kind() == types.UntypedRune:
		if v, ok := constant.Int64Val(tv.Value); ok {
			return int32(v), true
		}
	case b.Info()&types.IsInteger != 0:
		if v, ok := constant.Int64Val(tv.Value); ok {
			return v, true
		}
	}
	return nil, false
}

// constInt is the value of an integer constant.
func (s *exprScan) constInt(e ast.Expr) (int, bool) {
	tv, ok := s.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return 0, false
	}
	v, ok := constant.Int64Val(tv.Value)
	return int(v), ok && v >= -1 && v <= maxConstLen
}

// safeFormat reports whether running a format costs no more than its
// operands: no width or precision taken from an argument (*), none above
// maxFormatWidth.
func safeFormat(f string) bool {
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		n := 0
		for i++; i < len(f) && !('a' <= f[i]|0x20 && f[i]|0x20 <= 'z') && f[i] != '%'; i++ {
			switch c := f[i]; {
			case c == '*':
				return false
			case '0' <= c && c <= '9':
				if n = n*10 + int(c-'0'); n > maxFormatWidth {
					return false
				}
			default:
				n = 0
			}
		}
	}
	return true
}

// maybeString reports whether t is a string type, or unknown: keyscan scan
// type-checks with the standard library's packages empty, so what their
// functions return has no type.
func maybeString(t types.Type) bool {
	if b, ok := t.(*types.Basic); t == nil || ok && b.Kind() == types.Invalid {
		return true
	}
	return isString(t)
}

// isString reports whether t is a string type.
func isString(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}
