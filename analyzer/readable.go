package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/tools/go/types/typeutil"
)

// A client's endpoint is not only what its own declaration writes: every
// option func, config and session given to the calls that carry the
// credentials (config.LoadDefaultConfig, session.NewSession, s3.NewFromConfig,
// s3.New, ...) may set one, and so may the environment the SDK reads
// (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3) and the shared-config profile it
// loads (endpoint_url). The escape search (escapes) therefore asks of each
// such argument whether it is readable: an expression keyscan can read whole
// and prove sets no endpoint. Literals, constants, SDK calls on readable
// arguments, function literals, and same-package functions whose bodies are
// read the same way are; a local variable is when every value written to it
// is and it is used only where it cannot be changed behind keyscan's back; a
// parameter of an unexported function is when every call in the package
// passes a readable value. Anything else (a package variable, a field, a
// function from another package, a value built by a method) may set an
// endpoint where keyscan cannot see it, and there is no fix: being wrong
// here sends the instance role's credentials to a third party.

// Marks that start a why string of the escape search, for the message.
const (
	endpointMark = "endpoint:" // a custom endpoint, named
	profileMark  = "profile:"  // a shared-config profile or file is chosen
	opaqueMark   = "opaque:"   // an argument keyscan cannot read whole
	// metadataOffMark: AWS_EC2_METADATA_DISABLED is set, and the instance
	// role gives the SDK no credentials (its IMDS client refuses).
	metadataOffMark = "imds-off:"
	// noMetadataMark: the module deploys the program where the instance
	// role is not its role (Lambda, Fargate, EKS IRSA: noimds.go).
	noMetadataMark = "no-imds:"
	// noRoleMark: the module runs the program where no AWS role exists
	// (another platform, people's own computers: norole.go); what follows
	// is the whole reason and advice.
	noRoleMark = "no-role:"
)

// profileFields are the fields of aws-sdk-go-v2 config.LoadOptions that
// choose which shared-config profile or files LoadDefaultConfig reads; a
// profile may set endpoint_url. profileFuncs are the option funcs that do
// the same.
var profileFields = map[string]bool{
	"SharedConfigProfile":    true,
	"SharedConfigFiles":      true,
	"SharedCredentialsFiles": true,
}

var profileFuncs = map[string]bool{
	"WithSharedConfigProfile":    true,
	"WithSharedConfigFiles":      true,
	"WithSharedCredentialsFiles": true,
}

const pathV2Config = "github.com/aws/aws-sdk-go-v2/config"

// settingIn returns, marked, the first endpoint or profile setting written in
// n, or "".
func (fs *fileState) settingIn(n ast.Node) string {
	if what := fs.endpointIn(n); what != "" {
		return endpointMark + what
	}
	info := fs.c.pass.TypesInfo
	found := ""
	ast.Inspect(n, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && v.IsField() && profileFields[n.Name] && v.Pkg() != nil && pkgPath(v.Pkg()) == pathV2Config {
				found = "LoadOptions." + n.Name
			}
		case *ast.CallExpr:
			fn, ok := typeutil.Callee(info, n).(*types.Func)
			if !ok || fn.Pkg() == nil || pkgPath(fn.Pkg()) != pathV2Config || !profileFuncs[fn.Name()] {
				return true
			}
			arg := "…"
			if len(n.Args) == 1 {
				if v, ok := fs.c.constStrings().value(n.Args[0]); ok {
					if v == "default" && fn.Name() == "WithSharedConfigProfile" {
						return true // the profile LoadDefaultConfig reads anyway
					}
					arg = strconv.Quote(v)
				}
			}
			found = "config." + fn.Name() + "(" + arg + ")"
		}
		return true
	})
	if found != "" {
		return profileMark + found
	}
	return ""
}

// endpointCapable reports whether a value of type t can carry an endpoint or
// a profile choice into a client: an option func, a slice of them, an SDK
// config, options struct or session (v1 client.ConfigProvider), or a pointer
// to one. Strings, numbers, contexts, HTTP clients and loggers cannot.
func endpointCapable(t types.Type) bool {
	for range 4 {
		switch u := types.Unalias(t).(type) {
		case *types.Pointer:
			t = u.Elem()
			continue
		case *types.Slice:
			t = u.Elem()
			continue
		case *types.Array:
			t = u.Elem()
			continue
		case *types.Signature:
			return true
		case *types.Tuple:
			for i := range u.Len() {
				if endpointCapable(u.At(i).Type()) {
					return true
				}
			}
			return false
		case *types.Named:
			switch u.Underlying().(type) {
			case *types.Signature:
				return true
			case *types.Struct:
				return isSDKPkg(u.Obj().Pkg())
			case *types.Interface:
				return isSDKPkg(u.Obj().Pkg()) && u.Obj().Name() == "ConfigProvider"
			}
			return false
		}
		return false
	}
	return false
}

// otherArgs checks the arguments of an SDK call on the credentials' path
// other than skip, the one holding the credentials.
func (st *escapeState) otherArgs(call *ast.CallExpr, skip ast.Node, depth int) string {
	info := st.fs.c.pass.TypesInfo
	for _, a := range call.Args {
		if a == skip || !endpointCapable(info.TypeOf(a)) {
			continue
		}
		if why := st.readable(a, depth); why != "" {
			return st.given(why, call)
		}
	}
	return ""
}

// given adds to an opaque why the call the argument is given to.
func (st *escapeState) given(why string, call *ast.CallExpr) string {
	if strings.HasPrefix(why, opaqueMark) && !strings.Contains(why, ", given to ") {
		return why + ", given to " + exprString(call.Fun)
	}
	return why
}

// readable returns "" when e provably sets no endpoint and chooses no
// profile, else why not (marked).
func (st *escapeState) readable(e ast.Expr, depth int) string {
	info := st.fs.c.pass.TypesInfo
	if tv, ok := info.Types[e]; ok && (tv.Value != nil || tv.IsNil()) {
		return ""
	}
	if why := st.fs.settingIn(e); why != "" {
		return why
	}
	if !endpointCapable(info.TypeOf(e)) {
		return ""
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return ""
	case *ast.FuncLit:
		return st.funcBody(x.Type, x.Body, depth)
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if why := st.readable(elt, depth); why != "" {
				return why
			}
		}
		return ""
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return st.readable(x.X, depth)
		}
	case *ast.Ident:
		return st.readableObj(info.Uses[x], x, depth)
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if _, ok := info.Uses[id].(*types.PkgName); ok {
				return st.readableObj(info.Uses[x.Sel], x, depth)
			}
		}
		return opaqueMark + "the field or method value " + exprString(x)
	case *ast.CallExpr:
		return st.readableCall(x, depth)
	}
	return opaqueMark + exprString(e)
}

// readableObj is readable for a name (id, or a qualified pkg.Name).
func (st *escapeState) readableObj(obj types.Object, id ast.Expr, depth int) string {
	switch obj := obj.(type) {
	case *types.Const, *types.Nil:
		return ""
	case *types.Func:
		if isSDKPkg(obj.Pkg()) {
			if endpointFuncs[obj.Name()] {
				return endpointMark + obj.Name()
			}
			return ""
		}
		fd := st.funcDecl(obj)
		if fd == nil || fd.Body == nil {
			return opaqueMark + "the function " + exprString(id) + ", whose body keyscan does not read"
		}
		if why := st.funcBody(fd.Type, fd.Body, depth+1); why != "" {
			return inFunc(why, fd.Name.Name)
		}
		return ""
	case *types.Var:
		if obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope() {
			// A package variable: any code of the package may change it.
			// Its declaration may name the endpoint outright.
			if spec := st.valueSpec(obj); spec != nil {
				if why := st.fs.settingIn(spec); why != "" {
					return inFunc(why, obj.Name())
				}
			}
			return opaqueMark + "the package variable " + exprString(id)
		}
		if obj.IsField() {
			return opaqueMark + "the field " + exprString(id)
		}
		return st.readableLocal(obj, depth)
	}
	return opaqueMark + exprString(id)
}

// inFunc says where a custom endpoint or profile was found.
func inFunc(why, name string) string {
	if strings.HasPrefix(why, endpointMark) || strings.HasPrefix(why, profileMark) {
		if !strings.Contains(why, ", in ") {
			return why + ", in " + name
		}
	}
	return why
}

// readableCall is readable for a call.
func (st *escapeState) readableCall(call *ast.CallExpr, depth int) string {
	info := st.fs.c.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		if len(call.Args) == 1 {
			return st.readable(call.Args[0], depth)
		}
		return ""
	}
	args := func() string {
		for _, a := range call.Args {
			if why := st.readable(a, depth); why != "" {
				return st.given(why, call)
			}
		}
		return ""
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := info.Uses[id].(*types.Builtin); ok {
			return args() // append, new, ...
		}
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	switch {
	case fn == nil:
		return opaqueMark + "the result of " + exprString(call.Fun)
	case isSDKPkg(fn.Pkg()):
		// Its name was read by settingIn; what it is given must be readable
		// too, and so must the receiver of a method.
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Signature().Recv() != nil {
			if why := st.readable(sel.X, depth); why != "" {
				return why
			}
		}
		return args()
	}
	fd := st.funcDecl(fn)
	if fd == nil || fd.Body == nil {
		return opaqueMark + "the result of " + exprString(call.Fun) + ", whose body keyscan does not read"
	}
	if fd.Recv != nil {
		return opaqueMark + "the result of the method " + exprString(call.Fun)
	}
	if why := args(); why != "" {
		return why
	}
	if why := st.funcBody(fd.Type, fd.Body, depth+1); why != "" {
		return inFunc(why, fd.Name.Name)
	}
	return ""
}

// funcDecl returns the declaration of fn when it is in the package.
func (st *escapeState) funcDecl(fn *types.Func) *ast.FuncDecl {
	if fn.Pkg() != st.fs.c.pass.Pkg {
		return nil
	}
	for _, f := range st.fs.c.pass.Files {
		if fn.Pos() < f.FileStart || fn.Pos() >= f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Pos() == fn.Pos() {
				return fd
			}
		}
	}
	return nil
}

// valueSpec returns the declaration of a package variable.
func (st *escapeState) valueSpec(v *types.Var) *ast.ValueSpec {
	for _, f := range st.fs.c.pass.Files {
		if v.Pos() < f.FileStart || v.Pos() >= f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for _, n := range vs.Names {
					if n.Pos() == v.Pos() {
						return vs
					}
				}
			}
		}
	}
	return nil
}

// funcBody reports whether a function, used as an option func or called for
// its result, provably sets no endpoint: it names none (settingIn), gives
// its parameters only to SDK calls and same-package functions that pass the
// same test, uses them otherwise only through their fields, and returns only
// readable values.
func (st *escapeState) funcBody(ft *ast.FuncType, body *ast.BlockStmt, depth int) string {
	if depth > maxEscapeDepth {
		return opaqueMark + "a function called through too many others to follow"
	}
	if why := st.fs.settingIn(body); why != "" {
		return why
	}
	info := st.fs.c.pass.TypesInfo
	params := map[types.Object]bool{}
	if ft.Params != nil {
		for _, f := range ft.Params.List {
			for _, n := range f.Names {
				if obj := info.Defs[n]; obj != nil {
					params[obj] = true
				}
			}
		}
	}
	// mentions reports whether the call is given a parameter, or a part
	// of one, of a type that can carry an endpoint (o, &o.Config; not
	// o.Region).
	mentions := func(call *ast.CallExpr) bool {
		found := false
		for _, a := range call.Args {
			if !endpointCapable(info.TypeOf(a)) {
				continue
			}
			ast.Inspect(a, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && params[info.Uses[id]] {
					found = true
				}
				return !found
			})
		}
		return found
	}
	why := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && tv.IsType() {
				return true
			}
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				if _, ok := info.Uses[id].(*types.Builtin); ok {
					return true
				}
			}
			fn, _ := typeutil.Callee(info, n).(*types.Func)
			if fn != nil && isSDKPkg(fn.Pkg()) {
				return true
			}
			if !mentions(n) {
				return true // the options are not given to it
			}
			var fd *ast.FuncDecl
			if fn != nil {
				fd = st.funcDecl(fn)
			}
			if fd == nil || fd.Body == nil || fd.Recv != nil {
				why = opaqueMark + "a function that gives its options to " + exprString(n.Fun)
				return false
			}
			if w := st.funcBody(fd.Type, fd.Body, depth+1); w != "" {
				why = inFunc(w, fd.Name.Name)
			}
		case *ast.Ident:
			if !params[info.Uses[n]] {
				return true
			}
			switch p := st.parents[n].(type) {
			case *ast.SelectorExpr:
				if p.X == n {
					return true // a field of the options
				}
			case *ast.CallExpr:
				if p.Fun != n {
					return true // checked with the call
				}
			case *ast.StarExpr:
				if !st.onLeft(p) {
					return true
				}
			case *ast.BinaryExpr:
				return true
			}
			why = opaqueMark + "a function that uses its options where keyscan does not follow them"
		case *ast.ReturnStmt:
			if st.enclosingBody(n) != body {
				return true // a function literal's own result
			}
			for _, r := range n.Results {
				if w := st.readable(r, depth); w != "" {
					why = w
					return false
				}
			}
		}
		return true
	})
	if why == "" && ft.Results != nil {
		for _, f := range ft.Results.List {
			if len(f.Names) > 0 && endpointCapable(info.TypeOf(f.Type)) {
				return opaqueMark + "a function with named results"
			}
		}
	}
	return why
}

// enclosingBody is the body of the function (declared or literal) that
// holds n.
func (st *escapeState) enclosingBody(n ast.Node) *ast.BlockStmt {
	for n != nil {
		n = st.parents[n]
		switch f := n.(type) {
		case *ast.FuncLit:
			return f.Body
		case *ast.FuncDecl:
			return f.Body
		}
	}
	return nil
}

// readableLocal is readable for a local variable or parameter.
func (st *escapeState) readableLocal(v *types.Var, depth int) string {
	if st.read[v] {
		return "" // being read, or read already
	}
	st.read[v] = true
	info := st.fs.c.pass.TypesInfo
	for id, obj := range info.Defs {
		if obj != v {
			continue
		}
		if _, ok := st.enclosingParams(id); ok {
			return st.readableParam(v, id, depth)
		}
		switch p := st.parents[id].(type) {
		case *ast.ValueSpec:
			if why := st.assigned(p.Names, p.Values, id, depth); why != "" {
				return why
			}
		case *ast.AssignStmt:
			if why := st.assigned(p.Lhs, p.Rhs, id, depth); why != "" {
				return why
			}
		default:
			return opaqueMark + "the variable " + v.Name()
		}
	}
	if why := st.writes(v, depth); why != "" {
		return why
	}
	for _, id := range st.fs.c.usesOf(v) {
		if st.onLeft(id) {
			continue
		}
		if why := st.usedInPlace(id, depth); strings.HasPrefix(why, endpointMark) || strings.HasPrefix(why, profileMark) {
			return why
		} else if why != "" {
			return opaqueMark + "the variable " + v.Name() + ", " + why
		}
	}
	return ""
}

// assigned checks the value written to the name at lhs[i] == id.
func (st *escapeState) assigned(lhs any, rhs []ast.Expr, id ast.Expr, depth int) string {
	i, n := -1, 0
	switch l := lhs.(type) {
	case []*ast.Ident:
		n = len(l)
		for j, x := range l {
			if x == id {
				i = j
			}
		}
	case []ast.Expr:
		n = len(l)
		i = indexOf(l, id)
	}
	switch {
	case len(rhs) == 0:
		return "" // the zero value
	case i >= 0 && len(rhs) == n:
		return st.readable(rhs[i], depth)
	case len(rhs) == 1:
		if call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr); ok {
			return st.readableCall(call, depth)
		}
	}
	return opaqueMark + exprString(id)
}

// writes checks every value written to the variable v after its
// definition: assignments to it and to its fields.
func (st *escapeState) writes(v *types.Var, depth int) string {
	for _, id := range st.fs.c.usesOf(v) {
		if !st.onLeft(id) {
			continue
		}
		var n ast.Node = id
		for {
			p := st.parents[n]
			if as, ok := p.(*ast.AssignStmt); ok {
				if why := st.fs.settingIn(as); why != "" {
					return why
				}
				l, _ := n.(ast.Expr)
				if as.Tok != token.ASSIGN && as.Tok != token.DEFINE {
					break
				}
				if why := st.assigned(as.Lhs, as.Rhs, l, depth); why != "" {
					return why
				}
				break
			}
			if p == nil {
				break
			}
			n = p
		}
	}
	return ""
}

// usedInPlace reports why a use of a local variable (other than a write)
// may change it where keyscan does not look, or "": given to an SDK call or
// a builtin, read through a field, compared, returned.
func (st *escapeState) usedInPlace(id *ast.Ident, depth int) string {
	info := st.fs.c.pass.TypesInfo
	var n ast.Node = id
	for {
		p := st.parents[n]
		switch p := p.(type) {
		case *ast.ParenExpr, *ast.StarExpr:
			n = p
			continue
		case *ast.UnaryExpr:
			if p.Op != token.AND {
				return ""
			}
			n = p
			continue
		case *ast.AssignStmt:
			if indexOf(p.Lhs, n.(ast.Expr)) >= 0 {
				return "" // a write, checked by writes
			}
			if inert(info.TypeOf(n.(ast.Expr))) {
				return ""
			}
			return "copied to another variable"
		case *ast.ValueSpec:
			if inert(info.TypeOf(n.(ast.Expr))) {
				return ""
			}
			return "copied to another variable"
		case *ast.SelectorExpr:
			if call, ok := st.parents[p].(*ast.CallExpr); ok && call.Fun == p {
				fn, _ := typeutil.Callee(info, call).(*types.Func)
				if fn == nil || !isSDKPkg(fn.Pkg()) {
					return "whose method " + p.Sel.Name + " keyscan does not read"
				}
				if why := st.fs.settingIn(call); why != "" {
					return why // cfg.WithEndpoint(...)
				}
				for _, a := range call.Args {
					if why := st.readable(a, depth); strings.HasPrefix(why, opaqueMark) {
						return "given " + strings.TrimPrefix(why, opaqueMark)
					} else if why != "" {
						return why
					}
				}
				return ""
			}
			if st.onLeft(p) || !endpointCapable(info.TypeOf(p)) {
				return "" // a field written (checked by writes) or read
			}
			n = p
			continue
		case *ast.CallExpr:
			if p.Fun == n {
				return "called"
			}
			if tv, ok := info.Types[p.Fun]; ok && tv.IsType() {
				n = p
				continue
			}
			if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
				if _, ok := info.Uses[id].(*types.Builtin); ok {
					return ""
				}
			}
			fn, _ := typeutil.Callee(info, p).(*types.Func)
			if fn != nil && isSDKPkg(fn.Pkg()) {
				return ""
			}
			// A function of the package that changes no endpoint in what
			// it is given (and returns readable values).
			if fn != nil {
				if fd := st.funcDecl(fn); fd != nil && fd.Body != nil && fd.Recv == nil {
					if why := st.funcBody(fd.Type, fd.Body, depth+1); why == "" {
						return ""
					} else if !strings.HasPrefix(why, opaqueMark) {
						return inFunc(why, fd.Name.Name)
					}
				}
			}
			return "passed to " + exprString(p.Fun)
		case *ast.BinaryExpr, *ast.ReturnStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.ExprStmt:
			return ""
		case *ast.CompositeLit, *ast.KeyValueExpr:
			return "" // read into a literal, which is checked where it goes
		case *ast.RangeStmt:
			if p.X == n {
				return ""
			}
			return "assigned by a range loop"
		default:
			return "used where keyscan does not follow it"
		}
	}
}

// readableParam is readable for a parameter: of an unexported function
// (not a method, not a literal), every call in the package must pass a
// readable value.
func (st *escapeState) readableParam(v *types.Var, def *ast.Ident, depth int) string {
	info := st.fs.c.pass.TypesInfo
	fl, _ := st.enclosingParams(def)
	if fl != nil {
		return opaqueMark + "the parameter " + v.Name() + " of a function literal"
	}
	var fd *ast.FuncDecl
	for n := ast.Node(def); n != nil; n = st.parents[n] {
		if d, ok := n.(*ast.FuncDecl); ok {
			fd = d
			break
		}
	}
	switch {
	case fd == nil || fd.Recv != nil:
		return opaqueMark + "the parameter " + v.Name() + " of a method, which an interface may call from anywhere"
	case ast.IsExported(fd.Name.Name):
		return opaqueMark + "the parameter " + v.Name() + " of the exported function " + fd.Name.Name + ", whose callers are not all in this package"
	case depth >= maxEscapeDepth:
		return opaqueMark + "the parameter " + v.Name() + ", passed through too many calls to follow"
	}
	// The parameter's index in the signature (not a named result).
	index, i := -1, 0
	for _, f := range fd.Type.Params.List {
		for _, n := range f.Names {
			if n == def {
				index = i
			}
			i++
		}
		if len(f.Names) == 0 {
			i++
		}
	}
	fn, ok := info.Defs[fd.Name].(*types.Func)
	if index < 0 || !ok {
		return opaqueMark + "the result " + v.Name() + " of " + fd.Name.Name
	}
	variadic := fn.Signature().Variadic() && index == fn.Signature().Params().Len()-1
	for _, id := range st.fs.c.usesOf(fn) {
		c := calledAt(st.parents, id)
		if c == nil {
			return opaqueMark + "the parameter " + v.Name() + " of " + fd.Name.Name + ", a function used as a value"
		}
		for j, a := range c.Args {
			if j == index || variadic && j > index {
				if why := st.readable(a, depth+1); why != "" {
					if strings.HasPrefix(why, opaqueMark) {
						return why + ", given to " + fd.Name.Name
					}
					return inFunc(why, declName(st.topDecl(c)))
				}
			}
		}
	}
	return ""
}

// envSetting returns, marked, the first write of the package to an
// environment variable that points aws-sdk-go-v2 at another endpoint
// (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) or another profile or
// config file (AWS_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE):
// os.Setenv, syscall.Setenv, a test's Setenv. A variable whose name is not
// a constant counts as such a write.
//
// The package's test files are read too, and the same way whether or not
// this pass holds them: go vet and go fix analyze a package with and without
// its tests, and the pass without them must not offer the fix that the pass
// with them withholds. Read without types, a test's Setenv counts unless
// its name is a string literal of another variable. The environment the
// program starts in counts where a file beside the package writes it down
// (startEnvironment: a Dockerfile's ENV, a compose file, a .env). Last,
// the rest of the module that may run with the package (moduleSetting:
// main's os.Setenv, a manifest in deploy/).
func (c *checker) envSetting() string {
	c.envOnce.Do(func() { c.env = c.settingScan(nil) })
	return c.env
}

// settingFilter keeps the settings one question asks about (nil: every
// one): the first setting the scans find that it keeps is the answer.
type settingFilter func(why string) bool

// keeps reports whether the filter keeps the setting why ("" never).
func (keep settingFilter) keeps(why string) bool {
	return why != "" && (keep == nil || keep(why))
}

// v1MetadataOff keeps AWS_EC2_METADATA_DISABLED set to true (or to a value
// keyscan cannot read), which aws-sdk-go v1 honours as v2 does: its
// default chain then ends without the instance role, so a v1 fix would
// leave the client without credentials. Nothing else of envSetting counts
// for v1 (it reads no endpoint or profile from the environment, and the v2
// SDK's own IMDS switch does not reach it).
func v1MetadataOff(why string) bool {
	return strings.HasPrefix(why, metadataOffMark+"AWS_EC2_METADATA_DISABLED") || strings.HasPrefix(why, noMetadataMark) || strings.HasPrefix(why, noRoleMark)
}

// v1Setting is envSetting for an aws-sdk-go v1 site: the first setting
// v1MetadataOff keeps, or "".
func (c *checker) v1Setting() string {
	c.v1Once.Do(func() { c.v1 = c.settingScan(v1MetadataOff) })
	return c.v1
}

// settingScan is envSetting's search, answering the first setting keep
// keeps.
func (c *checker) settingScan(keep settingFilter) string {
	info := c.pass.TypesInfo
	// The package's folder as written: a cgo package's files are cgo's
	// output in the build's temporary folder, where no Dockerfile or test
	// file stands (fix26).
	dir, found := sourceDir(c.pass), ""
	for _, f := range c.pass.Files {
		name := c.pass.Fset.File(f.FileStart).Name()
		if strings.HasSuffix(name, "_test.go") || found != "" {
			continue
		}
		if why := autoloadImport(c.pass.Fset, f); keep.keeps(why) {
			found = why
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if found != "" {
				return false
			}
			if why := imdsOff(info, c.pass.Fset, n); keep.keeps(why) {
				found = why
				return false
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := typeutil.Callee(info, call).(*types.Func)
			if !ok || fn.Pkg() == nil {
				return true
			}
			if why := envFileWrite(fn.Pkg().Path(), fn.Name(), c.pass.Fset, call); keep.keeps(why) {
				found = why
				return false
			}
			// Any package's Setenv: os, syscall, testing's T.Setenv, but also
			// golang.org/x/sys/unix and windows, or a wrapper of the
			// program's, as a file read without types counts them (fix26).
			if fn.Name() != "Setenv" || len(call.Args) != 2 {
				return true
			}
			v, known := c.constStrings().value(call.Args[0])
			if why := envWrite(v, known, c.pass.Fset, call); keep.keeps(why) {
				found = why
			}
			return true
		})
	}
	for _, f := range c.pass.Files {
		if found != "" {
			break
		}
		if name := c.pass.Fset.File(f.FileStart).Name(); !strings.HasSuffix(name, "_test.go") {
			if why := endpointVarNamed(c.pass.Fset, f); keep.keeps(why) {
				found = why
			}
		}
	}
	if found != "" || dir == "" {
		return found
	}
	if found = c.cSetting(dir, keep); found != "" {
		return found
	}
	if found = c.importedEnvSetting(keep); found != "" {
		return found
	}
	if found = c.startEnvironment(dir, keep); found != "" {
		return found
	}
	fset, files := c.testFiles(dir)
	for _, f := range files {
		if found = fileSetting(fset, f, keep); found != "" {
			return found
		}
	}
	if keep == nil {
		return c.moduleScan().env
	}
	return c.moduleScan().v1
}

// envWrite is envSetting's answer for a Setenv call of the variable name
// (known: a constant), or "" when the variable points at no endpoint.
func envWrite(name string, known bool, fset *token.FileSet, call *ast.CallExpr) string {
	pos := fset.PositionFor(call.Pos(), false)
	where := fmt.Sprintf("%s at %s:%d", exprString(call.Fun), filepath.Base(pos.Filename), pos.Line)
	name = strings.ToUpper(name)
	switch {
	case !known:
		return opaqueMark + "an environment variable whose name keyscan cannot read, set by " + where
	case strings.HasPrefix(name, "AWS_ENDPOINT_URL"):
		return endpointMark + name + ", set by " + where
	case name == "AWS_PROFILE" || name == "AWS_CONFIG_FILE" || name == "AWS_SHARED_CREDENTIALS_FILE":
		return profileMark + name + ", set by " + where
	case name == "AWS_EC2_METADATA_DISABLED":
		if len(call.Args) > 1 {
			// A literal other than true turns nothing off (review15 C-7:
			// os.Setenv(..., "false") withheld the fix with that reason).
			if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if v, err := strconv.Unquote(lit.Value); err == nil && !strings.EqualFold(v, "true") {
					return ""
				}
			}
		}
		return metadataOffMark + name + ", set by " + where
	}
	return ""
}

// importedEnvSetting is envSetting for the packages of the same module
// that the package imports, directly or not: an init function there
// (a local-development package imported for its effect, _
// "example.com/app/localdev") that sets AWS_ENDPOINT_URL_S3 for the whole
// process points this package's clients at LocalStack too. Their files
// are read without types, every file of each folder whatever its build
// constraints, at most maxImported packages; a name keyscan cannot read
// counts as one that may be an endpoint's, as in the package itself.
// Packages of other modules are read where the module's own files hold
// them (fix26): a module its go.mod replaces with a local folder (a
// local-development helper beside the repository) and, in a vendored
// module, vendor/; and where the build read them (fix27): the folder of a
// package's source as its export data records it, in the module cache for
// a required module (cacheDirs). The packages of other modules that
// another package of the module imports (main's _
// "github.com/acme/devenv/local") are read too, from the module cache
// (moduleFacts.imports). The AWS SDKs' own packages are not read.
func (c *checker) importedEnvSetting(keep settingFilter) string {
	if c.root == "" || c.pass.Module == nil || c.pass.Module.Path == "" {
		return ""
	}
	const maxImported = 200
	// A vendored module builds every other module's package from vendor/
	// (go build's -mod=vendor), replaced ones too.
	mods := []localModule{{c.pass.Module.Path, c.root}}
	vendored := false
	if st, err := os.Stat(filepath.Join(c.root, "vendor", "modules.txt")); err == nil && st.Mode().IsRegular() {
		vendored = true
	} else {
		mods = append(mods, inFolder(c.root, readGoMod(filepath.Join(c.root, "go.mod")).replaced)...)
	}
	dirOf := func(path string) (string, bool) {
		if strings.Contains(path, "..") || sdkPath(path) {
			return "", false
		}
		for _, m := range mods {
			if path == m.path {
				return m.dir, true
			}
			if rest, ok := strings.CutPrefix(path, m.path+"/"); ok {
				return filepath.Join(m.dir, filepath.FromSlash(rest)), true
			}
		}
		if !vendored || !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
			return "", false // the standard library (no dot in its first element) is not vendored
		}
		return filepath.Join(c.root, "vendor", filepath.FromSlash(path)), true
	}
	built, cached := c.cacheDirs(readGoMod(filepath.Join(c.root, "go.mod")).required)
	localDir := dirOf
	dirOf = func(path string) (string, bool) {
		if d, ok := localDir(path); ok || strings.Contains(path, "..") || sdkPath(path) {
			return d, ok
		}
		if d, ok := built[path]; ok {
			return d, true
		}
		return cached(path)
	}
	// A library of the module cache is someone else's code for every
	// program: its os.Setenv(key, value) of a name it was given (godotenv's
	// Load, a config loader's) sets what the program's own files say,
	// which are read for themselves, so only the names it spells count
	// (AWS_ENDPOINT_URL, AWS_PROFILE, ...), not its opaque ones.
	cacheKeep := settingFilter(func(why string) bool {
		return !strings.HasPrefix(why, opaqueMark) && keep.keeps(why)
	})
	seen := map[string]bool{c.pass.Pkg.Path(): true}
	var queue []string
	for _, imp := range c.pass.Pkg.Imports() {
		queue = append(queue, imp.Path())
	}
	queue = append(queue, c.moduleScan().imports...)
	fset := token.NewFileSet()
	for len(queue) > 0 && len(seen) <= maxImported {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		dir, ok := dirOf(path)
		if !ok {
			continue
		}
		names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src := c.readFile(name)
			if src == nil {
				continue
			}
			f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
			if err != nil {
				continue
			}
			for _, is := range f.Imports {
				if p, err := strconv.Unquote(is.Path.Value); err == nil && !seen[p] {
					queue = append(queue, p)
				}
			}
			k := keep
			if _, local := localDir(path); !local {
				k = cacheKeep
			}
			if found := fileSetting(fset, f, k); found != "" {
				return found + " (package " + path + ", which this package or a package of the module built with it imports)"
			}
		}
	}
	return ""
}

// cacheDirs returns the source folders of the packages the package
// imports, directly or not, as the build read them (built: import path to
// folder, from the position of an object of the package's scope in its
// export data; the standard library and the SDKs left out), and a lookup
// of a package of a required module (required: path and version) in the
// module cache those folders lie in, for packages the types do not reach.
// A build with -trimpath records no folder: then neither answers.
func (c *checker) cacheDirs(required []localModule) (built map[string]string, cached func(string) (string, bool)) {
	built = map[string]string{}
	cache := ""
	seen := map[*types.Package]bool{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if seen[p] || len(seen) > 2000 {
			return
		}
		seen[p] = true
		for _, q := range p.Imports() {
			walk(q)
		}
		if !strings.Contains(strings.SplitN(p.Path(), "/", 2)[0], ".") {
			return // the standard library
		}
		dir := packageDir(c.pass.Fset, p)
		if dir == "" {
			return
		}
		if !sdkPath(p.Path()) {
			built[p.Path()] = dir
		}
		if cache == "" {
			cache = cacheRoot(dir, p.Path(), required)
		}
	}
	for _, p := range c.pass.Pkg.Imports() {
		walk(p)
	}
	cached = func(path string) (string, bool) {
		if cache == "" {
			return "", false
		}
		best := localModule{}
		for _, m := range required {
			if (path == m.path || strings.HasPrefix(path, m.path+"/")) && len(m.path) > len(best.path) {
				best = m
			}
		}
		if best.path == "" {
			return "", false
		}
		mp, err1 := module.EscapePath(best.path)
		mv, err2 := module.EscapeVersion(best.dir)
		if err1 != nil || err2 != nil {
			return "", false
		}
		d := filepath.Join(cache, filepath.FromSlash(mp)+"@"+mv, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(path, best.path), "/")))
		return d, true
	}
	return built, cached
}

// packageDir returns the folder of p's source files as the build recorded
// them in its export data (the first object of its scope with a position
// in an absolute file), or "".
func packageDir(fset *token.FileSet, p *types.Package) string {
	for _, name := range p.Scope().Names() {
		if pos := p.Scope().Lookup(name).Pos(); pos.IsValid() {
			if f := fset.PositionFor(pos, false).Filename; filepath.IsAbs(f) {
				return filepath.Dir(f)
			}
			return ""
		}
	}
	return ""
}

// cacheRoot returns the module cache that holds dir, the folder of the
// package path, when a required module's folder there (path@version,
// escaped as the go command writes it) holds it; "" otherwise.
func cacheRoot(dir, path string, required []localModule) string {
	for _, m := range required {
		if path != m.path && !strings.HasPrefix(path, m.path+"/") {
			continue
		}
		mp, err1 := module.EscapePath(m.path)
		mv, err2 := module.EscapeVersion(m.dir)
		if err1 != nil || err2 != nil {
			continue
		}
		tail := string(filepath.Separator) + filepath.FromSlash(mp) + "@" + mv
		if sub := strings.TrimPrefix(strings.TrimPrefix(path, m.path), "/"); sub != "" {
			tail += string(filepath.Separator) + filepath.FromSlash(sub)
		}
		if root, ok := strings.CutSuffix(dir, tail); ok {
			return root
		}
	}
	return ""
}

// sdkPath reports whether the import path is a package of the AWS SDKs for
// Go or smithy-go, whose own code sets no program's environment.
func sdkPath(path string) bool {
	for _, m := range []string{"github.com/aws/aws-sdk-go-v2", "github.com/aws/aws-sdk-go", "github.com/aws/smithy-go"} {
		if path == m || strings.HasPrefix(path, m+"/") {
			return true
		}
	}
	return false
}

// eachTestCall calls fn with every call of the package's test files in dir,
// read without types (see envSetting), until fn answers false. The test
// files are read the same way whether or not the pass holds them, so that
// go vet and go fix get one answer from the package with and without its
// tests.
func (c *checker) eachTestCall(dir string, fn func(*token.FileSet, *ast.CallExpr) bool) {
	fset, files := c.testFiles(dir)
	for _, f := range files {
		more := true
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && more {
				more = fn(fset, call)
			}
			return more
		})
		if !more {
			return
		}
	}
}

// testFiles returns the package's test files in dir, parsed without types,
// read and parsed once per pass: envSetting and perOpSetting both look at
// them (dir is the package's folder, the same for every question).
func (c *checker) testFiles(dir string) (*token.FileSet, []*ast.File) {
	c.testsOnce.Do(func() {
		c.testFset = token.NewFileSet()
		names, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
		for _, name := range names {
			src := c.readFile(name)
			if src == nil {
				continue
			}
			if f, err := parser.ParseFile(c.testFset, name, src, parser.SkipObjectResolution); err == nil {
				c.testASTs = append(c.testASTs, f)
			}
		}
	})
	return c.testFset, c.testASTs
}

// calledAt returns the call whose function is the use id (in parentheses
// or not), or nil when id is used otherwise (as a value).
func calledAt(parents map[ast.Node]ast.Node, id *ast.Ident) *ast.CallExpr {
	var n ast.Node = id
	for {
		if _, ok := parents[n].(*ast.ParenExpr); !ok {
			break
		}
		n = parents[n]
	}
	if c, ok := parents[n].(*ast.CallExpr); ok && c.Fun == n {
		return c
	}
	return nil
}

// usesOf returns the identifiers that use obj, in source order, so that the
// searches give the same answer (and message) on every run.
func (c *checker) usesOf(obj types.Object) []*ast.Ident {
	if c.uses == nil {
		c.uses = map[types.Object][]*ast.Ident{}
		for id, o := range c.pass.TypesInfo.Uses {
			c.uses[o] = append(c.uses[o], id)
		}
		for _, ids := range c.uses {
			slices.SortFunc(ids, func(a, b *ast.Ident) int { return cmp.Compare(a.Pos(), b.Pos()) })
		}
	}
	return c.uses[obj]
}
