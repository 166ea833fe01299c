package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/keyscan/keyscan/scanner"
)

// otherKeys returns the string literals that initialise a variable or
// constant the package uses as the key of something that is not AWS: an
// HMAC key (crypto/hmac), a JWT signing key (a package with jwt in its
// path), a []byte conversion of the name itself. A 40-character signing key
// in a package that merely imports the AWS SDK looks like an AWS secret to a
// byte scan; how the code uses it says otherwise, and outweighs the import.
// ("AWS4" + secret, SigV4's own HMAC key, is not the name itself, so it
// still counts as AWS.) A name that says AWS secret on its own
// (scanner.NamesAWSSecret) is never cleared: Signature Version 2 signs with
// the secret access key itself.
func (c *checker) otherKeys() map[*ast.BasicLit]bool {
	if c.others == nil {
		c.others = otherKeyLits(c.pass.TypesInfo, c.pass.Files, false)
	}
	return c.others
}

// otherKeyLits is otherKeys for the files of a package type-checked into
// info. With only, a literal counts only when every use of its name is such
// a use: the narrower rule of the byte scan's filter (NotAWSKeys), which
// cannot see SDK constructs and so must not clear a name used anywhere else.
func otherKeyLits(info *types.Info, files []*ast.File, only bool) map[*ast.BasicLit]bool {
	others := map[*ast.BasicLit]bool{}
	lits := map[types.Object]*ast.BasicLit{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, v := range n.Values {
					if lit, ok := ast.Unparen(v).(*ast.BasicLit); ok && lit.Kind == token.STRING && i < len(n.Names) && !scanner.NamesAWSSecret(n.Names[i].Name) {
						if obj := info.Defs[n.Names[i]]; obj != nil {
							lits[obj] = lit
						}
					}
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					for i, v := range n.Rhs {
						id, ok := n.Lhs[i].(*ast.Ident)
						if lit, ok2 := ast.Unparen(v).(*ast.BasicLit); ok && ok2 && lit.Kind == token.STRING && !scanner.NamesAWSSecret(id.Name) {
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
		return others
	}
	marked := map[*ast.Ident]bool{}
	mark := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if lit := lits[info.Uses[id]]; lit != nil {
				others[lit] = true
				marked[id] = true
			}
		}
	}
	for _, f := range files {
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
			if p := calleePkg(info, call); p == "crypto/hmac" || strings.Contains(p, "jwt") {
				for _, a := range call.Args {
					mark(a)
				}
			}
			return true
		})
	}
	if only {
		for id, obj := range info.Uses {
			if lit := lits[obj]; lit != nil && !marked[id] {
				delete(others, lit)
			}
		}
	}
	return others
}

// calleePkg is the import path of the package whose function call calls:
// resolved, or, when the package could not be imported (the byte scan's
// type check reads no dependencies), the path of the import it is selected
// from.
func calleePkg(info *types.Info, call *ast.CallExpr) string {
	if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.Pkg() != nil {
		return pkgPath(fn.Pkg())
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok {
			if pn, ok := info.Uses[id].(*types.PkgName); ok {
				return pkgPath(pn.Imported())
			}
		}
	}
	return ""
}
