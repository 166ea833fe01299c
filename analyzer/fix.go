package analyzer

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// siteFix returns the fix for a static-credential site, or nil when no
// rewrite is known to compile.
//
// aws-sdk-go-v2: the provider expression becomes
// aws.NewCredentialsCache(ec2rolecreds.New()). Dropping the option instead,
// so that LoadDefaultConfig's chain applies, works only where the provider is
// an option; the replacement works wherever a provider is expected
// (config.WithCredentialsProvider, aws.Config.Credentials, a client's
// Options), never leaves a client without credentials, and names the
// instance role outright rather than depending on what the default chain
// finds first: environment variables or a shared credentials file may hold
// the very key being removed.
//
// aws-sdk-go v1: the Credentials field, WithCredentials call or assignment is
// removed, so the default chain applies; it ends in the EC2 role provider.
// ec2rolecreds.NewCredentials needs a session, which is usually the thing
// being configured, so a replacement would have to invent one.
func (fs *fileState) siteFix(s *site) *analysis.SuggestedFix {
	if s.provider == nil || !fs.allConstant(s) {
		return nil
	}
	if s.v2 {
		return fs.v2Fix(s)
	}
	return fs.v1Fix(s)
}

// allConstant reports whether every key expression of the site is constant:
// a fix that deletes a variable's last use would not compile.
func (fs *fileState) allConstant(s *site) bool {
	for _, k := range s.keys {
		if _, ok := fs.constString(k.e); !ok {
			return false
		}
	}
	return len(s.keys) > 0
}

func (fs *fileState) v2Fix(s *site) *analysis.SuggestedFix {
	want := fs.expectedType(s.provider, s.stack)
	if want == nil || !fs.c.takesCredentialsCache(want) {
		return nil
	}
	start, end := s.provider.Pos(), s.provider.End()
	if !fs.safeToRemove(start, end) {
		return nil
	}
	names, add := fs.importNames(start, pathV2AWS, pathV2EC2Role)
	edits := []analysis.TextEdit{{Pos: start, End: end,
		NewText: []byte(names[0] + ".NewCredentialsCache(" + names[1] + ".New())")}}
	edits = append(edits, fs.importEdits(add, fs.unusedImports(start, end, pathV2AWS, pathV2EC2Role))...)
	return &analysis.SuggestedFix{Message: "Use the EC2 instance role provider", TextEdits: edits}
}

func (fs *fileState) v1Fix(s *site) *analysis.SuggestedFix {
	info := fs.c.pass.TypesInfo
	child := ast.Node(s.provider)
	stack := s.stack
	for len(stack) > 0 {
		if p, ok := stack[len(stack)-1].(*ast.ParenExpr); ok {
			child, stack = p, stack[:len(stack)-1]
			continue
		}
		break
	}
	if len(stack) == 0 {
		return nil
	}
	var start, end token.Pos
	switch p := stack[len(stack)-1].(type) {
	case *ast.KeyValueExpr: // aws.Config{Credentials: ...}
		id, ok := p.Key.(*ast.Ident)
		if !ok || id.Name != "Credentials" || p.Value != child || len(stack) < 2 {
			return nil
		}
		lit, ok := stack[len(stack)-2].(*ast.CompositeLit)
		if !ok || !isNamed(info.TypeOf(lit), pathV1AWS, "Config") {
			return nil
		}
		start, end = fs.elementSpan(lit, p)
	case *ast.CallExpr: // cfg.WithCredentials(...) -> cfg
		fn, ok := typeutil.Callee(info, p).(*types.Func)
		sel, ok2 := p.Fun.(*ast.SelectorExpr)
		if !ok || !ok2 || fn.Name() != "WithCredentials" || fn.Pkg() == nil || pkgPath(fn.Pkg()) != pathV1AWS {
			return nil
		}
		start, end = sel.X.End(), p.End()
	case *ast.AssignStmt: // cfg.Credentials = ...
		sel, ok := p.Lhs[0].(*ast.SelectorExpr)
		if p.Tok != token.ASSIGN || len(p.Lhs) != 1 || !ok || sel.Sel.Name != "Credentials" || len(stack) < 2 {
			return nil
		}
		if _, ok := stack[len(stack)-2].(*ast.BlockStmt); !ok {
			return nil
		}
		if v, ok := info.Uses[sel.Sel].(*types.Var); !ok || !v.IsField() || v.Pkg() == nil || pkgPath(v.Pkg()) != pathV1AWS {
			return nil
		}
		start, end = fs.lineSpan(p.Pos(), p.End())
	default:
		return nil
	}
	if !fs.safeToRemove(start, end) {
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   "Remove the static credentials (the default chain ends in the EC2 role provider)",
		TextEdits: append([]analysis.TextEdit{{Pos: start, End: end}}, fs.importEdits(nil, fs.unusedImports(start, end))...),
	}
}

// expectedType is the type the context of e requires: the parameter it is
// passed as, the field or variable it is assigned to, the result it is
// returned as. It is nil when the context fixes no type (x := e).
func (fs *fileState) expectedType(e ast.Expr, stack []ast.Node) types.Type {
	info := fs.c.pass.TypesInfo
	var child ast.Node = e
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			child = p
			continue
		case *ast.CallExpr:
			sig, ok := info.TypeOf(p.Fun).(*types.Signature)
			if !ok || info.Types[p.Fun].IsType() {
				return nil
			}
			for j, a := range p.Args {
				if a != child {
					continue
				}
				n := sig.Params().Len()
				switch {
				case sig.Variadic() && j >= n-1:
					if p.Ellipsis.IsValid() {
						return nil
					}
					return sig.Params().At(n - 1).Type().(*types.Slice).Elem()
				case j < n:
					return sig.Params().At(j).Type()
				}
			}
		case *ast.KeyValueExpr:
			if p.Value != child {
				return nil
			}
			if id, ok := p.Key.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && v.IsField() {
					return v.Type()
				}
			}
		case *ast.AssignStmt:
			if p.Tok != token.ASSIGN || len(p.Lhs) != len(p.Rhs) {
				return nil
			}
			for j, r := range p.Rhs {
				if r == child {
					return info.TypeOf(p.Lhs[j])
				}
			}
		case *ast.ValueSpec:
			if p.Type != nil {
				return info.TypeOf(p.Type)
			}
		case *ast.ReturnStmt:
			for j := i - 1; j >= 0; j-- {
				var ft *ast.FuncType
				switch f := stack[j].(type) {
				case *ast.FuncLit:
					ft = f.Type
				case *ast.FuncDecl:
					ft = f.Type
				default:
					continue
				}
				sig, ok := info.TypeOf(ft).(*types.Signature)
				if !ok || len(p.Results) != sig.Results().Len() {
					return nil
				}
				for k, r := range p.Results {
					if r == child {
						return sig.Results().At(k).Type()
					}
				}
				return nil
			}
		}
		return nil
	}
	return nil
}

// takesCredentialsCache reports whether a *aws.CredentialsCache can go
// where a value of type want is expected: want is aws.CredentialsProvider or
// an interface asking for no more than its Retrieve method. (The cache type
// itself may be missing from export data that only holds what the imported
// packages mention, so it is not looked up.)
func (c *checker) takesCredentialsCache(want types.Type) bool {
	c.noteV2(want, 0)
	if isNamed(want, pathV2AWS, "CredentialsProvider") {
		return true
	}
	iface, ok := want.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	if iface.NumMethods() == 0 {
		return true
	}
	provider, _ := c.v2Type("CredentialsProvider").(*types.Named)
	if provider == nil || iface.NumMethods() != 1 {
		return false
	}
	pi := provider.Underlying().(*types.Interface)
	m := iface.Method(0)
	return pi.NumMethods() == 1 && m.Name() == "Retrieve" && types.Identical(m.Type(), pi.Method(0).Type())
}

// safeToRemove reports whether deleting [start, end) leaves the file
// compiling as far as local variables go: none may lose its last use.
func (fs *fileState) safeToRemove(start, end token.Pos) bool {
	uses := fs.c.index.file(fs.file)
	inside := map[types.Object]int{}
	ast.Inspect(fs.file, func(n ast.Node) bool {
		if n == nil || n.End() <= start || n.Pos() >= end {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && id.Pos() >= start && id.End() <= end {
			if obj := fs.c.pass.TypesInfo.Uses[id]; obj != nil {
				inside[obj]++
			}
		}
		return true
	})
	for obj, n := range inside {
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() || v.Parent() == nil || v.Parent() == fs.c.pass.Pkg.Scope() {
			continue
		}
		if v.Pos() >= start && v.Pos() < end {
			continue // declared inside: goes with the uses
		}
		if uses[obj] == n {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lineSpan widens [start, end) to whole lines, newline included, when
// nothing but blanks (and a comment after) shares them; otherwise it
// returns the span unchanged.
func (fs *fileState) lineSpan(start, end token.Pos) (token.Pos, token.Pos) {
	if fs.src == nil {
		return start, end
	}
	s, e := fs.tf.Offset(start), fs.tf.Offset(end)
	ls := bytes.LastIndexByte(fs.src[:s], '\n') + 1
	if len(bytes.TrimSpace(fs.src[ls:s])) != 0 {
		return start, end
	}
	le := bytes.IndexByte(fs.src[e:], '\n')
	if le < 0 {
		return start, end
	}
	rest := bytes.TrimSpace(fs.src[e : e+le])
	rest = bytes.TrimPrefix(rest, []byte(","))
	rest = bytes.TrimSpace(rest)
	if len(rest) != 0 && !bytes.HasPrefix(rest, []byte("//")) {
		return start, end
	}
	return fs.tf.Pos(ls), fs.tf.Pos(e + le + 1)
}

// elementSpan is what to delete to remove elt from a composite literal: its
// lines when it has them to itself, else the element with one separating comma.
func (fs *fileState) elementSpan(lit *ast.CompositeLit, elt ast.Expr) (token.Pos, token.Pos) {
	if s, e := fs.lineSpan(elt.Pos(), elt.End()); s != elt.Pos() {
		return s, e
	}
	for i, x := range lit.Elts {
		if x != elt {
			continue
		}
		switch {
		case i+1 < len(lit.Elts):
			return elt.Pos(), lit.Elts[i+1].Pos()
		case i > 0:
			return lit.Elts[i-1].End(), elt.End()
		}
	}
	// The only element: take a trailing comma with it.
	end := elt.End()
	if fs.src != nil {
		o := fs.tf.Offset(end)
		rest := fs.src[o:fs.tf.Offset(lit.Rbrace)]
		if i := bytes.IndexByte(rest, ','); i >= 0 && len(bytes.TrimSpace(rest[:i])) == 0 {
			end = fs.tf.Pos(o + i + 1)
		}
	}
	return elt.Pos(), end
}

// useIndex counts, per file, the uses of each object, for the checks that a
// fix does not delete a variable's or an import's last use.
type useIndex struct {
	info  *types.Info
	files map[*ast.File]map[types.Object]int
}

func newUseIndex(info *types.Info) *useIndex {
	return &useIndex{info: info, files: map[*ast.File]map[types.Object]int{}}
}

func (u *useIndex) file(f *ast.File) map[types.Object]int {
	if m, ok := u.files[f]; ok {
		return m
	}
	m := map[types.Object]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := u.info.Uses[id]; obj != nil {
				m[obj]++
			}
		}
		return true
	})
	u.files[f] = m
	return m
}
