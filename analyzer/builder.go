package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// A key written into a strings.Builder or a bytes.Buffer piece by piece
// (var b strings.Builder; b.WriteString("AKIA…"); b.WriteString("…")) is
// as fixed as one grown with +=, and read the same way: each write of a
// value the analyzer works out (strcalls.go) appends to what the builder
// holds, in the order of the source, and the value after a write is
// scanned with the two pieces it joins, so that only a key the write
// completes is reported there. A write of anything else, or any use of the
// builder besides its writes and its reads (passing &b on, fmt.Fprintf),
// leaves its value unknown from there on: what it then holds is not guessed.
//
// The builder is recognised by its declaration, not by its type: keyscan
// scan type-checks with the standard library's packages empty, so the type
// strings.Builder is unknown there, while the syntax (var b
// strings.Builder, b := &bytes.Buffer{}, new(strings.Builder),
// bytes.NewBufferString("…")) is the same for go vet and scan, which must
// agree. Only a function's variables are followed; a package's may be
// written by any function. A builder is followed for its first
// maxBuilderLen bytes: a key is built in a short one, and a long one (a
// code generator's output) would cost a scan per write.

// maxBuilderLen bounds the value a builder is followed for.
const maxBuilderLen = 1 << 10

// builderWriters are the methods of strings.Builder and bytes.Buffer that
// append an argument the analyzer may work out; builderReaders change
// nothing (String, Len…), so a builder keeps its known value past them.
var (
	builderWriters = map[string]bool{"WriteString": true, "WriteByte": true, "WriteRune": true, "Write": true}
	builderReaders = map[string]bool{"String": true, "Len": true, "Cap": true, "Bytes": true, "Grow": true}
)

// builderDecl notes a function's variable declared as an empty builder or
// one made from a value the analyzer works out, keyed by its name's
// position (the object's Pos, which Uses gives at each later use).
func (s *exprScan) builderDecl(n ast.Node, stack []ast.Node) {
	if s.info == nil {
		return
	}
	block := innerBlock(stack)
	if block == nil {
		return // a package's variable
	}
	switch n := n.(type) {
	case *ast.ValueSpec:
		if n.Type != nil && len(n.Values) == 0 && s.builderType(n.Type) {
			for _, id := range n.Names {
				s.setBuilder(id.Pos(), builderState{block, evalResult{"", true}})
			}
		}
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE || len(n.Lhs) != len(n.Rhs) {
			return
		}
		for i, l := range n.Lhs {
			if id, ok := l.(*ast.Ident); ok {
				if v, ok := s.newBuilder(n.Rhs[i]); ok {
					s.setBuilder(id.Pos(), builderState{block, v})
				}
			}
		}
	}
}

// builderState is a builder followed: the block that declares it, where
// alone its writes are followed, and its value.
type builderState struct {
	block ast.Node
	v     evalResult
}

func (s *exprScan) setBuilder(at token.Pos, b builderState) {
	if s.ev.builders == nil {
		s.ev.builders = map[token.Pos]builderState{}
	}
	s.ev.builders[at] = b
}

// innerBlock is the innermost block of statements on the stack: a
// function's or a statement's body, or a case of a switch or a select.
func innerBlock(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			return n
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		}
	}
	return nil
}

// newBuilder reads an expression that makes a builder: strings.Builder{},
// &bytes.Buffer{}, new(strings.Builder), bytes.NewBufferString(x),
// bytes.NewBuffer(nil) or bytes.NewBuffer([]byte(x)).
func (s *exprScan) newBuilder(e ast.Expr) (evalResult, bool) {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		return evalResult{"", true}, e.Type != nil && len(e.Elts) == 0 && s.builderType(e.Type)
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok && id.Name == "new" && len(e.Args) == 1 {
			_, builtin := s.info.Uses[id].(*types.Builtin)
			return evalResult{"", true}, builtin && s.builderType(e.Args[0])
		}
		pkg, name, ok := s.qualified(e.Fun)
		if !ok || pkg != "bytes" || len(e.Args) != 1 || e.Ellipsis.IsValid() {
			return evalResult{}, false
		}
		switch name {
		case "NewBufferString":
			v, ok := s.eval(e.Args[0], 1)
			return evalResult{v, ok}, true
		case "NewBuffer":
			v, ok := s.bytesValue(e.Args[0], 1)
			return evalResult{v, ok}, true
		}
	}
	return evalResult{}, false
}

// builderType reports whether t names strings.Builder or bytes.Buffer.
func (s *exprScan) builderType(t ast.Expr) bool {
	pkg, name, ok := s.qualified(t)
	return ok && (pkg == "strings" && name == "Builder" || pkg == "bytes" && name == "Buffer")
}

// qualified returns the import path and the name of pkg.Name, read from
// the import the qualifier names (see stdCallee).
func (s *exprScan) qualified(e ast.Expr) (pkg, name string, ok bool) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
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
	return pn.Imported().Path(), sel.Sel.Name, true
}

// builderOf returns the position that keys the builder id names, if it is
// one being followed.
func (s *exprScan) builderOf(id *ast.Ident) (token.Pos, bool) {
	if s.ev.builders == nil || s.info == nil {
		return 0, false
	}
	v, ok := s.info.Uses[id].(*types.Var)
	if !ok || v.Parent() == nil || v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return 0, false
	}
	_, ok = s.ev.builders[v.Pos()]
	return v.Pos(), ok
}

// builderUse follows a use of a builder's name: a write appends to its
// value (and returns the value for the walk to scan, with the pieces it
// joins), a read keeps it, anything else makes it unknown.
func (s *exprScan) builderUse(id *ast.Ident, stack []ast.Node) (string, [2]string, bool) {
	at, ok := s.builderOf(id)
	if !ok {
		return "", [2]string{}, false
	}
	var sel *ast.SelectorExpr
	var call *ast.CallExpr
	if len(stack) >= 2 {
		sel, _ = stack[len(stack)-1].(*ast.SelectorExpr)
		call, _ = stack[len(stack)-2].(*ast.CallExpr)
	}
	b := s.ev.builders[at]
	unknown := func() (string, [2]string, bool) {
		b.v = evalResult{}
		s.ev.builders[at] = b
		return "", [2]string{}, false
	}
	if sel == nil || sel.X != id || call == nil || call.Fun != sel || call.Ellipsis.IsValid() {
		return unknown() // &b passed on, b copied: not followed
	}
	name := sel.Sel.Name
	if builderReaders[name] {
		return "", [2]string{}, false
	}
	if innerBlock(stack) != b.block {
		return unknown() // in a branch, a loop or a function literal: how often is not known
	}
	if name == "Reset" && len(call.Args) == 0 {
		b.v = evalResult{"", true}
		s.ev.builders[at] = b
		return "", [2]string{}, false
	}
	prev := b.v
	if !builderWriters[name] || len(call.Args) != 1 || !prev.ok {
		return unknown()
	}
	add, ok := s.written(name, call.Args[0])
	if !ok || len(prev.v)+len(add) > maxBuilderLen || !s.spend(len(prev.v)+len(add)) {
		return unknown()
	}
	b.v = evalResult{prev.v + add, true}
	s.ev.builders[at] = b
	return b.v.v, [2]string{prev.v, add}, true
}

// written is what a write appends: WriteString's string, Write's bytes,
// WriteByte's and WriteRune's character (a constant).
func (s *exprScan) written(method string, arg ast.Expr) (string, bool) {
	switch method {
	case "WriteString":
		return s.eval(arg, 1)
	case "Write":
		return s.bytesValue(arg, 1)
	}
	tv, ok := s.info.Types[arg]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return "", false
	}
	c, ok := constant.Int64Val(tv.Value)
	if !ok || c < 0 || c > 0x10ffff || method == "WriteByte" && c > 0xff {
		return "", false
	}
	if method == "WriteByte" {
		return string([]byte{byte(c)}), true
	}
	return string(rune(c)), true
}

// bytesValue is the value of a []byte the analyzer works out: a string it
// works out converted ([]byte("…")), nil, an empty []byte{}, bytes.Join of
// such, or a variable one of those initialises.
func (s *exprScan) bytesValue(e ast.Expr, depth int) (string, bool) {
	if depth > maxEvalDepth {
		return "", false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if e.Name == "nil" {
			_, isNil := s.info.Uses[e].(*types.Nil)
			return "", isNil
		}
		v, ok := s.info.Uses[e].(*types.Var)
		if !ok || v.IsField() {
			return "", false
		}
		init, ok := s.varInits()[v.Pos()]
		if !ok {
			return "", false
		}
		return s.bytesValue(init, depth+1)
	case *ast.CompositeLit:
		return "", len(e.Elts) == 0 && byteSlice(e.Type)
	case *ast.CallExpr:
		if len(e.Args) == 1 && byteSlice(e.Fun) {
			return s.eval(e.Args[0], depth+1)
		}
		if pkg, name, ok := s.qualified(e.Fun); ok && pkg == "bytes" && name == "Join" {
			return s.eval(e, depth+1)
		}
	}
	return "", false
}

// byteSlice reports whether t is written []byte (or []uint8).
func byteSlice(t ast.Expr) bool {
	at, ok := ast.Unparen(t).(*ast.ArrayType)
	if !ok || at.Len != nil {
		return false
	}
	id, ok := at.Elt.(*ast.Ident)
	return ok && (id.Name == "byte" || id.Name == "uint8")
}

// bytesList is the items of a [][]byte composite literal, written there
// or as the initialiser of the variable e names (bytes.Join's first
// argument).
func (s *exprScan) bytesList(e ast.Expr, depth int) ([]string, bool) {
	cl, ok := s.listLiteral(e)
	if !ok {
		return nil, false
	}
	if at, ok := cl.Type.(*ast.ArrayType); !ok || at.Len != nil || !byteSlice(at.Elt) {
		return nil, false
	}
	return listValues(cl, depth, s.bytesValue)
}
