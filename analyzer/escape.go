package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// The endpoint check (customEndpoint) sees one top-level declaration. A
// config, session or provider that holds static credentials and leaves that
// declaration may reach a client with a custom endpoint elsewhere (a caller
// that sets BaseEndpoint on the client it builds from a returned config), so
// a fix is offered only when every use of the value is visible: the value is
// followed from the provider through SDK calls, composite literals and local
// variables until it is discarded, read as a plain value or built into a
// client (whose endpoint is fixed by the options of that call). Returned from
// an unexported function, it is followed into each caller of the package,
// whose declaration must not set an endpoint either. Anything else (a
// method's result, which an interface may hand anywhere; an exported
// function's; a field, package variable, parameter, channel; a function that
// is not the SDK's) is an escape, and there is no fix.

// maxEscapeDepth bounds how many callers deep a returned value is followed.
const maxEscapeDepth = 4

// escapeState is one search for the uses of a static-credential value.
type escapeState struct {
	fs      *fileState
	parents map[ast.Node]ast.Node
	seen    map[types.Object]bool
	read    map[types.Object]bool // variables readable has looked at
}

// escapes returns why the value built from the provider e cannot be followed
// to every use ("returned from the exported function Load", ...), or, after
// endpointMark, the custom endpoint a caller's declaration sets, or "".
func (fs *fileState) escapes(e ast.Expr) string {
	st := &escapeState{fs: fs, parents: fs.c.parentMap(), seen: map[types.Object]bool{}, read: map[types.Object]bool{}}
	return st.follow(e, 0)
}

// parentMap maps every node of the package's files to its parent, built
// once per pass.
func (c *checker) parentMap() map[ast.Node]ast.Node {
	if c.parents == nil {
		c.parents = map[ast.Node]ast.Node{}
		for _, f := range c.pass.Files {
			ast.PreorderStack(f, nil, func(n ast.Node, stack []ast.Node) bool {
				if len(stack) > 0 {
					c.parents[n] = stack[len(stack)-1]
				}
				return true
			})
		}
	}
	return c.parents
}

func isSDKPkg(p *types.Package) bool {
	return p != nil && strings.HasPrefix(pkgPath(p), "github.com/aws/aws-sdk-go")
}

// isClient reports whether t is an SDK service client (*sts.Client in v2,
// *s3.S3 in v1): its endpoint is fixed when it is built.
func isClient(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	path := pkgPath(n.Obj().Pkg())
	return strings.HasPrefix(path, "github.com/aws/aws-sdk-go-v2/service/") || strings.HasPrefix(path, "github.com/aws/aws-sdk-go/service/")
}

// userStruct reports whether t, or what it points to, is a struct type
// that is not the SDK's, and names it: a config or provider stored in a
// field of such a value (return &app{cfg: cfg}, a.cfg, _ =
// config.LoadDefaultConfig(…)) is read where the search does not follow
// it, by a method of the type that may build a MinIO client from it
// (fix29).
func userStruct(t types.Type) (string, bool) {
	if t == nil {
		return "", false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if _, ok := t.Underlying().(*types.Struct); !ok {
		return "", false
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if isSDKPkg(n.Obj().Pkg()) {
			return "", false
		}
		return n.Obj().Name(), true
	}
	return "a struct", true
}

// inert reports whether a value of type t cannot carry the credentials on
// (a string, number or bool read from a config, an error).
func inert(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if _, ok := t.Underlying().(*types.Basic); ok {
		return true
	}
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// follow walks up from e, which holds the credentials, to where the value
// ends up.
func (st *escapeState) follow(e ast.Node, depth int) string {
	info := st.fs.c.pass.TypesInfo
	cur := e
	for {
		if x, ok := cur.(ast.Expr); ok && cur != e && inert(info.TypeOf(x)) {
			return ""
		}
		p := st.parents[cur]
		switch p := p.(type) {
		case nil:
			return "used where keyscan does not follow it"
		case *ast.CompositeLit:
			// The literal's other fields go with the credentials
			// (aws.Config{Credentials: p, APIOptions: opts}).
			for _, elt := range p.Elts {
				if elt == cur {
					continue
				}
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					elt = kv.Value
				}
				if endpointCapable(info.TypeOf(elt)) {
					if why := st.readable(elt, depth); why != "" {
						return why
					}
				}
			}
			if name, ok := userStruct(info.TypeOf(p)); ok {
				return "stored in a field of " + name + ", which its methods or other functions may read"
			}
			cur = p
		case *ast.ParenExpr, *ast.StarExpr, *ast.KeyValueExpr, *ast.TypeAssertExpr:
			cur = p
		case *ast.UnaryExpr:
			if p.Op == token.ARROW {
				return ""
			}
			cur = p
		case *ast.IndexExpr:
			if p.X != cur {
				return ""
			}
			cur = p
		case *ast.BinaryExpr, *ast.IfStmt, *ast.SwitchStmt, *ast.IncDecStmt, *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt:
			return ""
		case *ast.SelectorExpr:
			if call, ok := st.parents[p].(*ast.CallExpr); ok && call.Fun == p {
				fn, _ := typeutil.Callee(info, call).(*types.Func)
				if fn == nil || !isSDKPkg(fn.Pkg()) {
					return "passed to " + exprString(p)
				}
				if why := st.otherArgs(call, nil, depth); why != "" {
					return why
				}
				if isClient(info.TypeOf(call)) {
					return ""
				}
				cur = call
				continue
			}
			if st.onLeft(p) {
				return "" // a field of it is set
			}
			cur = p
		case *ast.CallExpr:
			if p.Fun == cur {
				return "called as a function"
			}
			if tv, ok := info.Types[p.Fun]; ok && tv.IsType() {
				cur = p // a conversion
				continue
			}
			fn, _ := typeutil.Callee(info, p).(*types.Func)
			if fn == nil || !isSDKPkg(fn.Pkg()) {
				return "passed to " + exprString(p.Fun)
			}
			// An SDK method given the value (v1 cfg.WithCredentials(p))
			// stores it in its receiver too.
			if sel, ok := p.Fun.(*ast.SelectorExpr); ok && fn.Signature().Recv() != nil {
				if why := st.root(sel.X, depth); why != "" {
					return why
				}
			}
			// What the call is given besides may set an endpoint.
			if why := st.otherArgs(p, cur, depth); why != "" {
				return why
			}
			if isClient(info.TypeOf(p)) {
				return ""
			}
			cur = p
		case *ast.ReturnStmt:
			return st.returned(p, depth)
		case *ast.AssignStmt:
			if st.onLeft(cur) {
				return ""
			}
			for _, l := range p.Lhs {
				if inert(info.TypeOf(l)) {
					continue
				}
				if len(p.Lhs) == len(p.Rhs) && p.Rhs[indexOf(p.Lhs, l)] != cur {
					continue
				}
				if why := st.store(l, depth); why != "" {
					return why
				}
			}
			return ""
		case *ast.ValueSpec:
			for i, n := range p.Names {
				if len(p.Values) == len(p.Names) && p.Values[i] != cur || inert(info.TypeOf(n)) {
					continue
				}
				if why := st.store(n, depth); why != "" {
					return why
				}
			}
			return ""
		case *ast.SendStmt:
			return "sent on a channel"
		default:
			return "used where keyscan does not follow it"
		}
	}
}

func indexOf(l []ast.Expr, e ast.Expr) int {
	for i, x := range l {
		if x == e {
			return i
		}
	}
	return -1
}

// onLeft reports whether n is written to: the left side of an assignment,
// or a selector or index on that side.
func (st *escapeState) onLeft(n ast.Node) bool {
	for {
		switch p := st.parents[n].(type) {
		case *ast.AssignStmt:
			return indexOf(p.Lhs, n.(ast.Expr)) >= 0
		case *ast.SelectorExpr, *ast.IndexExpr, *ast.ParenExpr, *ast.StarExpr:
			n = p
		default:
			return false
		}
	}
}

// store follows the value into what l names: a local variable's uses; a
// field of a local variable or of an option func's parameter follows that.
func (st *escapeState) store(l ast.Expr, depth int) string {
	return st.root(l, depth)
}

// root follows the variable at the root of the field path x (cfg in
// cfg.Config.Credentials): a local variable's uses, or the option func
// whose parameter it is.
func (st *escapeState) root(x ast.Expr, depth int) string {
	info := st.fs.c.pass.TypesInfo
	for {
		switch y := ast.Unparen(x).(type) {
		case *ast.SelectorExpr:
			if _, ok := info.Uses[y.Sel].(*types.Var); !ok {
				return "stored where keyscan does not follow it"
			}
			if name, ok := userStruct(info.TypeOf(y.X)); ok {
				return "stored in the field " + name + "." + y.Sel.Name + ", which its methods or other functions may read"
			}
			x = y.X
			continue
		case *ast.StarExpr:
			x = y.X
			continue
		case *ast.IndexExpr:
			x = y.X
			continue
		case *ast.CallExpr:
			return "" // a call's result: followed on the main path
		case *ast.Ident:
			if y.Name == "_" {
				return ""
			}
			obj := info.ObjectOf(y)
			v, ok := obj.(*types.Var)
			if !ok {
				return "stored where keyscan does not follow it"
			}
			if v.Parent() == v.Pkg().Scope() {
				return "stored in the package variable " + v.Name()
			}
			return st.variable(v, depth)
		default:
			return "stored where keyscan does not follow it"
		}
	}
}

// variable follows every use of a local variable or parameter.
func (st *escapeState) variable(v *types.Var, depth int) string {
	if st.seen[v] {
		return ""
	}
	st.seen[v] = true
	info := st.fs.c.pass.TypesInfo
	// A parameter: of an option func literal, follow the literal; of a
	// declared function, the value is the caller's.
	for id, obj := range info.Defs {
		if obj != v {
			continue
		}
		if fl, ok := st.enclosingParams(id); ok {
			if fl == nil {
				return "a parameter of its function: the value is the caller's"
			}
			if why := st.follow(fl, depth); why != "" {
				return why
			}
			break
		}
		// A local variable: what it starts from and what is written to
		// it (cfg := minioConfig(); cfg.Credentials = ...) must set no
		// endpoint either.
		switch p := st.parents[id].(type) {
		case *ast.ValueSpec:
			if why := st.assigned(p.Names, p.Values, id, depth); why != "" {
				return why
			}
		case *ast.AssignStmt:
			if why := st.assigned(p.Lhs, p.Rhs, id, depth); why != "" {
				return why
			}
		}
		if why := st.writes(v, depth); why != "" {
			return why
		}
		break
	}
	for _, id := range st.fs.c.usesOf(v) {
		if st.onLeft(id) && !st.isFieldWrite(id) {
			continue // assigned to, not read
		}
		if st.isFieldWrite(id) {
			continue
		}
		if why := st.follow(id, depth); why != "" {
			return why
		}
	}
	return ""
}

// isFieldWrite reports whether id is the root of a field path being set
// (cfg.Credentials = ...).
func (st *escapeState) isFieldWrite(id *ast.Ident) bool {
	p := st.parents[id]
	switch p.(type) {
	case *ast.SelectorExpr, *ast.IndexExpr, *ast.StarExpr:
		return st.onLeft(p)
	}
	return false
}

// enclosingParams reports whether the defining ident id is a parameter or
// receiver: ok, with the function literal it belongs to (nil for a
// declared function).
func (st *escapeState) enclosingParams(id *ast.Ident) (*ast.FuncLit, bool) {
	var n ast.Node = id
	for {
		p := st.parents[n]
		switch p := p.(type) {
		case *ast.FieldList:
			switch q := st.parents[p].(type) {
			case *ast.FuncType:
				if fl, ok := st.parents[q].(*ast.FuncLit); ok {
					return fl, true
				}
				return nil, true
			case *ast.FuncDecl:
				return nil, true // receiver
			}
			return nil, false
		case *ast.Field:
			n = p
		default:
			return nil, false
		}
	}
}

// returned follows a value returned from a function into its callers.
func (st *escapeState) returned(ret *ast.ReturnStmt, depth int) string {
	var n ast.Node = ret
	for {
		n = st.parents[n]
		switch f := n.(type) {
		case nil:
			return "returned"
		case *ast.FuncLit:
			return "returned from a function literal"
		case *ast.FuncDecl:
			return st.callers(f, depth)
		}
	}
}

// callers follows the result of the declared function fd at each of its
// calls in the package.
func (st *escapeState) callers(fd *ast.FuncDecl, depth int) string {
	info := st.fs.c.pass.TypesInfo
	if fd.Recv != nil {
		return "returned from the method " + fd.Name.Name + ", which an interface may call from anywhere"
	}
	if ast.IsExported(fd.Name.Name) {
		return "returned from the exported function " + fd.Name.Name + ", whose callers are not all in this package"
	}
	if depth >= maxEscapeDepth {
		return "returned through too many calls to follow"
	}
	fn := info.Defs[fd.Name]
	if fn == nil || st.seen[fn] {
		return ""
	}
	st.seen[fn] = true
	for _, id := range st.fs.c.usesOf(fn) {
		c := calledAt(st.parents, id)
		if c == nil {
			return "the function " + fd.Name.Name + " is used as a value"
		}
		if what := st.fs.endpointIn(st.topDecl(c)); what != "" {
			return fmt.Sprintf("%s%s, in %s, a caller of %s", endpointMark, what, declName(st.topDecl(c)), fd.Name.Name)
		}
		if why := st.follow(c, depth+1); why != "" {
			return why
		}
	}
	return ""
}

// declName names a top-level declaration for messages.
func declName(d ast.Node) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Name.Name
	case *ast.GenDecl:
		for _, sp := range d.Specs {
			if vs, ok := sp.(*ast.ValueSpec); ok && len(vs.Names) > 0 {
				return vs.Names[0].Name
			}
		}
	}
	return "a declaration"
}

// topDecl is the top-level declaration holding n.
func (st *escapeState) topDecl(n ast.Node) ast.Node {
	for {
		p := st.parents[n]
		if _, ok := p.(*ast.File); ok || p == nil {
			return n
		}
		n = p
	}
}

// exprString is e's source form, for messages.
func exprString(e ast.Expr) string {
	return types.ExprString(e)
}
