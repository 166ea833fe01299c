package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// exprFinding is a credential the type checker's view of a file revealed: a
// string assembled by constant folding, or an escaped literal whose decoded
// value holds a key its source text hides.
type exprFinding struct {
	pos, end token.Pos
	f        scanner.Finding
	folded   bool
	member   bool // f is in an archive the value holds (archives.go), named by its member
}

// minKeyLen is the shortest value that can hold a credential (a key ID).
const minKeyLen = 20

// exprScan walks one file for what byte scanning cannot see. It is shared by
// the analysis pass and ScanPackageDir, so that keyscan scan and go vet agree.
type exprScan struct {
	sc   *scanner.Scanner
	info *types.Info
	strs *constStrings // reads the values of string constants
	tf   *token.File
	name string // file name given to the matcher (its extension picks the format)
	// lit, when set, is called for every string literal the walk meets.
	lit func(*ast.BasicLit)
	// src, when set, gives the file's bytes: the archives their byte scan
	// opens are not opened again (scanArchives).
	src func() []byte
	out []exprFinding

	archives []goArchive // values that are archives (archives.go)
	gaps     []gapAt     // what of those archives was not checked whole

	pending []foldedValue // folded strings, scanned once the walk is done
	ids     []string      // AWS key IDs of the file, literal or folded

	f  *ast.File // the file walked
	ev evalState // strings built by calls and assignments (strcalls.go)
}

// foldedValue is a string constant folding assembles, with the name it is
// given.
type foldedValue struct {
	e    ast.Expr
	v    string
	name string
	// parts, when set, are what v joins (k += "…": k's value before and
	// the added string): a key inside one of them is not new at e.
	parts []string
}

func (s *exprScan) file(f *ast.File) []exprFinding {
	s.f = f
	ast.PreorderStack(f, nil, func(n ast.Node, stack []ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			s.builderDecl(n, stack)
			if v, parts, ok := s.assigned(n); ok && len(v) >= minKeyLen {
				id := n.Lhs[0].(*ast.Ident)
				s.pending = append(s.pending, foldedValue{e: id, v: v, name: id.Name, parts: parts[:]})
			}
		case *ast.ValueSpec:
			s.builderDecl(n, stack)
		case *ast.Ident:
			if v, parts, ok := s.builderUse(n, stack); ok && len(v) >= minKeyLen {
				call := stack[len(stack)-2].(ast.Expr)
				s.pending = append(s.pending, foldedValue{e: call, v: v, name: n.Name, parts: parts[:]})
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				if s.lit != nil {
					s.lit(n)
				}
				s.escaped(n, stack)
				s.archiveLit(n)
				if len(n.Value) == 22 {
					if v, err := strconv.Unquote(n.Value); err == nil && isAWSKeyID(v) {
						s.ids = append(s.ids, v)
					}
				}
			}
		case *ast.BinaryExpr, *ast.CallExpr:
			if v, ok := s.builtString(n.(ast.Expr)); ok {
				s.archiveString(n.(ast.Expr), v)
				s.folded(n.(ast.Expr), v, stack)
				// Literals inside were seen by the byte scan, or are
				// parts of v; either way, do not report them again.
				ast.Inspect(n, func(m ast.Node) bool {
					if bl, ok := m.(*ast.BasicLit); ok && bl.Kind == token.STRING && s.lit != nil {
						s.lit(bl)
					}
					return true
				})
				return false
			}
		case *ast.CompositeLit:
			if s.archiveBytes(n) {
				return false
			}
		}
		return true
	})
	s.scanFolded()
	s.scanArchives()
	return s.out
}

// constString returns the constant string value of e, if it has one short
// enough to read (constStrings).
func (s *exprScan) constString(e ast.Expr) (string, bool) {
	return s.strs.value(e)
}

// folded notes a string built by constant folding ("AKIA" + part1 + part2,
// KeyID(prefix + body)); scanFolded reports it at the expression.
func (s *exprScan) folded(e ast.Expr, v string, stack []ast.Node) {
	if len(v) < minKeyLen {
		return
	}
	s.pending = append(s.pending, foldedValue{e: e, v: v, name: contextName(s.info, e, stack)})
}

// scanFolded scans the folded strings of the file. A secret needs a key ID
// near it, as in a file: one that exists only after folding is scanned
// again after a key ID of the file (literal or folded), so that it is
// paired as a literal one would be.
func (s *exprScan) scanFolded() {
	var unpaired []foldedValue
	for _, p := range s.pending {
		fs := s.scanValue("", p.name, p.v)
		if len(fs) == 0 && len(p.v) >= secretLen {
			unpaired = append(unpaired, p)
		}
		for _, f := range fs {
			if f.Kind == rules.AccessKeyID {
				s.ids = append(s.ids, f.Secret)
			}
			s.add(p, f)
		}
	}
	if len(s.ids) == 0 {
		return
	}
	pre := "aws_access_key_id = \"" + s.ids[0] + "\"\n"
	for _, p := range unpaired {
		for _, f := range s.scanValue(pre, p.name, p.v) {
			if f.Kind != rules.AccessKeyID {
				s.add(p, f)
			}
		}
	}
}

// secretLen is the length of an AWS secret access key.
const secretLen = 40

func (s *exprScan) add(p foldedValue, f scanner.Finding) {
	if p.parts != nil && slices.ContainsFunc(p.parts, func(v string) bool { return strings.Contains(v, f.Secret) }) ||
		p.parts == nil && s.leafHolds(p.e, f) {
		return // whole in one literal or constant: reported where it is written
	}
	s.out = append(s.out, exprFinding{pos: p.e.Pos(), end: p.e.End(), f: f, folded: true})
}

// escaped scans the decoded value of an interpreted string literal holding
// escapes ("\x41KIA...", "\u002B"), mapping positions back through them.
// A literal of a file that does not parse may be empty (import 0): its
// length is asked first.
func (s *exprScan) escaped(lit *ast.BasicLit, stack []ast.Node) {
	if len(lit.Value) < minKeyLen || lit.Value[0] != '"' || !strings.Contains(lit.Value, `\`) {
		return
	}
	val, offs, ok := decodeLit(lit.Value)
	if !ok || len(val) < minKeyLen {
		return
	}
	name := contextName(s.info, lit, stack)
	prefix, fs := s.scanValueRaw("", name, string(val))
	if len(fs) == 0 {
		return
	}
	// What the matcher finds in the source text (it decodes JSON-style
	// escapes itself), the byte scan reports.
	_, plain := s.scanValueRaw("", name, lit.Value[1:len(lit.Value)-1])
	for _, f := range fs {
		if strings.Contains(lit.Value, f.Secret) || slices.ContainsFunc(plain, func(p scanner.Finding) bool { return p.Secret == f.Secret }) {
			continue
		}
		vs, ve := f.Offset-prefix, f.EndOffset-prefix
		if vs < 0 || ve > len(val) {
			continue
		}
		s.out = append(s.out, exprFinding{pos: lit.Pos() + token.Pos(offs[vs]), end: lit.Pos() + token.Pos(offs[ve]), f: f})
	}
}

// scanValue runs the matcher over a value in its context: the name it is
// assigned to, so that the matcher's keyword rules apply to a secret built
// from constants exactly as they apply to one written in a file. It returns
// only findings inside the value.
func (s *exprScan) scanValue(pre, name, v string) []scanner.Finding {
	prefix, fs := s.scanValueRaw(pre, name, v)
	out := fs[:0]
	for _, f := range fs {
		if f.Offset >= prefix && f.EndOffset <= prefix+len(v) {
			out = append(out, f)
		}
	}
	return out
}

func (s *exprScan) scanValueRaw(pre, name, v string) (prefix int, fs scanner.Findings) {
	var b strings.Builder
	b.WriteString(pre)
	if name != "" {
		b.WriteString(name)
		b.WriteString(" = ")
	}
	b.WriteByte('"')
	prefix = b.Len()
	b.WriteString(v)
	b.WriteString("\"\n")
	return prefix, s.sc.Scan(s.name, []byte(b.String()))
}

// leafHolds reports whether one of the operands e is folded from (a
// literal, a constant, a variable built from them) holds f's key whole,
// set apart from the value's other characters, so that the key is not new
// here. A key glued to more key characters in its literal ("xxAKIA…",
// "AKIA…EEEEE") is no key there, so that the byte scan does not report it:
// the call that cuts it out (strings.TrimPrefix, fmt.Sprintf("%.20s")) is
// where it is (qa25 M3).
func (s *exprScan) leafHolds(e ast.Expr, f scanner.Finding) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit, *ast.Ident, *ast.SelectorExpr:
			if v, ok := s.builtString(n.(ast.Expr)); ok && (holdsApart(v, f) || s.findsIn(v, f)) {
				found = true
			}
			return false
		}
		return !found
	})
	return found
}

// findsIn reports whether the matcher finds f's key in v read alone: key
// IDs glued to each other (c1 = c0 + c0, two key IDs back to back) are
// found where they are first glued, and not again in each constant that
// repeats them (c2 = c1 + c1).
func (s *exprScan) findsIn(v string, f scanner.Finding) bool {
	if !strings.Contains(v, f.Secret) {
		return false
	}
	return slices.ContainsFunc(s.scanValue("", "", v), func(g scanner.Finding) bool { return g.Secret == f.Secret })
}

// holdsApart reports whether v holds f's key with no character of its
// alphabet right before or after it.
func holdsApart(v string, f scanner.Finding) bool {
	glued := func(c byte) bool {
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		return alnum || f.Kind != rules.AccessKeyID && (c == '+' || c == '/')
	}
	for off := 0; ; {
		i := strings.Index(v[off:], f.Secret)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(f.Secret)
		if (i == 0 || !glued(v[i-1])) && (j == len(v) || !glued(v[j])) {
			return true
		}
		off = i + 1
	}
}

// contextName is the name a value is given where it appears: the constant
// or variable it initialises, the field it sets, the parameter it is passed
// as. The matcher treats it as it treats a key in "name = value".
func contextName(info *types.Info, e ast.Expr, stack []ast.Node) string {
	var child ast.Node = e
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			child = p
			continue
		case *ast.ValueSpec:
			for j, v := range p.Values {
				if v == child && j < len(p.Names) {
					return p.Names[j].Name
				}
			}
		case *ast.AssignStmt:
			for j, v := range p.Rhs {
				if v == child && j < len(p.Lhs) {
					return exprName(p.Lhs[j])
				}
			}
		case *ast.KeyValueExpr:
			if p.Value == child {
				return exprName(p.Key)
			}
		case *ast.CallExpr:
			return paramName(info, p, child)
		}
		return ""
	}
	return ""
}

func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.BasicLit: // a map key
		if e.Kind == token.STRING && len(e.Value) >= 2 {
			return e.Value[1 : len(e.Value)-1]
		}
	}
	return ""
}

// paramName is the name of the parameter arg is passed as.
func paramName(info *types.Info, call *ast.CallExpr, arg ast.Node) string {
	if info == nil {
		return ""
	}
	sig, ok := info.TypeOf(call.Fun).(*types.Signature)
	if !ok {
		return ""
	}
	for i, a := range call.Args {
		if a != arg {
			continue
		}
		n := sig.Params().Len()
		if n == 0 {
			return ""
		}
		if i >= n {
			i = n - 1 // variadic
		}
		return sig.Params().At(i).Name()
	}
	return ""
}
