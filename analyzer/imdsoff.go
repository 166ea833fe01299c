package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
)

// aws-sdk-go-v2 turns its instance metadata client off without the
// environment variable too: config.WithEC2IMDSClientEnableState(
// imds.ClientDisabled), LoadOptions' EC2IMDSClientEnableState field, or
// imds.Options' ClientEnableState (fix24). A program that says so is not
// meant to run on an instance's role (a test, a laptop, another cloud):
// the fix's ec2rolecreds would leave it without credentials, so the fix is
// withheld as for os.Setenv("AWS_EC2_METADATA_DISABLED", "true").

// imdsStateFields are the fields of the v2 SDK that hold an IMDS client's
// enable state.
var imdsStateFields = map[string]bool{"EC2IMDSClientEnableState": true, "ClientEnableState": true}

// imdsOff returns, marked, where node n (a call, a key: value of a
// literal, an assignment) turns the v2 SDK's IMDS client off, or may
// (a value keyscan cannot read); "" when it does not.
func imdsOff(info *types.Info, fset *token.FileSet, n ast.Node) string {
	var field *types.Var
	var value ast.Expr
	var what string
	switch n := n.(type) {
	case *ast.CallExpr:
		fn, ok := info.Uses[calleeIdent(n.Fun)].(*types.Func)
		if !ok || fn.Name() != "WithEC2IMDSClientEnableState" || fn.Pkg() == nil || !isV2Pkg(fn.Pkg()) || len(n.Args) != 1 {
			return ""
		}
		value, what = n.Args[0], "config.WithEC2IMDSClientEnableState"
	case *ast.KeyValueExpr:
		k, ok := n.Key.(*ast.Ident)
		if !ok {
			return ""
		}
		if field, _ = info.Uses[k].(*types.Var); field == nil {
			return "" // a map's key (map[string]string{endpointVar: url}), no field (qa31 F4)
		}
		value, what = n.Value, k.Name+":"
	case *ast.AssignStmt:
		if len(n.Lhs) != len(n.Rhs) {
			return ""
		}
		for i, l := range n.Lhs {
			if s, ok := l.(*ast.SelectorExpr); ok {
				if v, ok := info.Uses[s.Sel].(*types.Var); ok && v.IsField() && imdsStateFields[v.Name()] {
					field, value, what = v, n.Rhs[i], s.Sel.Name+" ="
				}
			}
		}
	default:
		return ""
	}
	if field != nil && (!field.IsField() || !imdsStateFields[field.Name()] || field.Pkg() == nil || !isV2Pkg(field.Pkg())) {
		return ""
	}
	if value == nil {
		return ""
	}
	pos := fset.PositionFor(n.Pos(), false)
	at := fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)
	switch imdsDisabled(info, value) {
	case 0:
		return ""
	case 1:
		return metadataOffMark + what + " imds.ClientDisabled, at " + at
	}
	return metadataOffMark + what + " with a value keyscan cannot read, which may turn the instance metadata client off, at " + at
}

// imdsDisabled says whether the expression e, an IMDS client's enable
// state, is imds.ClientDisabled (1), another state (0: enabled, or the
// default, which the environment decides), or cannot be told (-1).
func imdsDisabled(info *types.Info, e ast.Expr) int {
	if c, ok := info.Uses[calleeIdent(e)].(*types.Const); ok && c.Pkg() != nil && isV2Pkg(c.Pkg()) {
		if c.Name() == "ClientDisabled" {
			return 1
		}
		return 0
	}
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil {
		return -1
	}
	// A constant of another name (a literal, the program's own): compare
	// with ClientDisabled where the state's type is declared (an alias's
	// package, or the named type's).
	var pkgs []*types.Package
	if a, ok := tv.Type.(*types.Alias); ok && a.Obj().Pkg() != nil {
		pkgs = append(pkgs, a.Obj().Pkg())
	}
	if n, ok := types.Unalias(tv.Type).(*types.Named); ok && n.Obj().Pkg() != nil {
		pkgs = append(pkgs, n.Obj().Pkg())
	}
	for _, p := range pkgs {
		if off, ok := p.Scope().Lookup("ClientDisabled").(*types.Const); ok {
			if constant.Compare(tv.Value, token.EQL, off.Val()) {
				return 1
			}
			return 0
		}
	}
	return -1
}

// isV2Pkg reports whether p is a package of aws-sdk-go-v2.
func isV2Pkg(p *types.Package) bool {
	return strings.HasPrefix(pkgPath(p), "github.com/aws/aws-sdk-go-v2")
}

// calleeIdent is the identifier a call's function expression names
// (f, pkg.F, x.M), or nil.
func calleeIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}
