package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// otherKeys returns the string literals that initialise a variable or
// constant the package uses as the key of something that is not AWS: an
// HMAC key (crypto/hmac), a JWT signing key (a package with jwt in its
// path), a []byte conversion of the name itself. A 40-character signing key
// in a package that merely imports the AWS SDK looks like an AWS secret to a
// byte scan; how the code uses it says otherwise, and outweighs the import.
// ("AWS4" + secret, SigV4's own HMAC key, is not the name itself, so it
// still counts as AWS.)
func (c *checker) otherKeys() map[*ast.BasicLit]bool {
	if c.others != nil {
		return c.others
	}
	c.others = map[*ast.BasicLit]bool{}
	info := c.pass.TypesInfo
	lits := map[types.Object]*ast.BasicLit{}
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, v := range n.Values {
					if lit, ok := ast.Unparen(v).(*ast.BasicLit); ok && lit.Kind == token.STRING && i < len(n.Names) {
						if obj := info.Defs[n.Names[i]]; obj != nil {
							lits[obj] = lit
						}
					}
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					for i, v := range n.Rhs {
						id, ok := n.Lhs[i].(*ast.Ident)
						if lit, ok2 := ast.Unparen(v).(*ast.BasicLit); ok && ok2 && lit.Kind == token.STRING {
							if obj := info.Defs[id]; obj != nil {
								lits[obj] = lit
							}
						}
					}
				}
			}
			return true
		})
	}
	if len(lits) == 0 {
		return c.others
	}
	mark := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if lit := lits[info.Uses[id]]; lit != nil {
				c.others[lit] = true
			}
		}
	}
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
				if s, ok := tv.Type.Underlying().(*types.Slice); ok && len(call.Args) == 1 {
					if b, ok := s.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte {
						mark(call.Args[0])
					}
				}
				return true
			}
			if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.Pkg() != nil {
				if p := pkgPath(fn.Pkg()); p == "crypto/hmac" || strings.Contains(p, "jwt") {
					for _, a := range call.Args {
						mark(a)
					}
				}
			}
			return true
		})
	}
	return c.others
}
