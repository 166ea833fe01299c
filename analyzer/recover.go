package analyzer

import (
	"go/ast"
	"go/parser"
	goscanner "go/scanner"
	"go/token"
	"slices"
	"strings"
)

// Why parseRecovered exists: keyscan type-checks Go files that may not
// build (a commit's broken state, or bytes an attacker shapes), folding
// what the parser's partial syntax holds (qa28 M1). go/parser's recovery
// can lose declarations whole, silently: an expression nested past its
// depth limit abandons the file (an empty *ast.File), and an unterminated
// `import (` or `const (` swallows every declaration after it. A key built
// from constants there was then not found, with no word said, by scan,
// staged and the pre-receive gate alike (qa31 F13). So the declarations a
// file's tokens show are counted against those parsed; what is lost is
// blanked (bytes made spaces, line breaks kept, so every offset stays the
// file's) and the rest parsed again, a few times at most; and a file that
// lost any declaration is reported as not read whole, which its callers
// turn into a gap.

// maxMends bounds the parses of one file after the first: each removes
// one region of lost declarations.
const maxMends = 8

// parseRecovered parses src as parseLenient does and then mends what the
// parser's recovery lost (above). whole is false when some declaration
// the file's tokens show was not parsed from its own bytes: lost, or
// blanked to read the others.
func parseRecovered(fset *token.FileSet, name string, src []byte, mode parser.Mode) (f *ast.File, whole bool) {
	f, err := parseLenient(fset, name, src, mode)
	if err == nil && f != nil {
		return f, true
	}
	starts := declStarts(src)
	lost := lostDecls(fset, f, starts)
	if len(lost) == 0 {
		return f, f != nil && f.Package.IsValid() || len(starts) == 0
	}
	buf := slices.Clone(src)
	for range maxMends {
		from, to := mendRegion(fset, f, err, starts, lost, len(buf))
		if from >= to {
			break
		}
		for i := from; i < to; i++ {
			if buf[i] != '\n' && buf[i] != '\r' {
				buf[i] = ' '
			}
		}
		// Only the declarations outside what was blanked are still owed.
		starts = slices.DeleteFunc(starts, func(s int) bool { return s >= from && s < to })
		g, gerr := parseLenient(fset, name, buf, mode)
		if g == nil || !g.Package.IsValid() {
			break
		}
		f, err = g, gerr
		if lost = lostDecls(fset, f, starts); len(lost) == 0 {
			break
		}
	}
	return f, false
}

// declStarts returns the offsets of the declarations src's tokens show:
// a const, var, type, func or import keyword that is the first token of
// its line, at any column (qa32 G2: a key's block indented by a blank, or
// behind a /*comment*/, was not counted, and a parser recovery that lost
// it passed). Tokens, not lines, so that a raw string or a comment
// holding Go code counts nothing. Those within a function's body (local
// declarations) and a function literal's keyword are told apart by
// lostDecls. A file's own package clause is not one.
func declStarts(src []byte) []int {
	var out []int
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s goscanner.Scanner
	s.Init(file, src, func(token.Position, string) {}, 0)
	line := 0
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.SEMICOLON {
			continue // inserted at a line's end: not the next line's first token
		}
		p := file.PositionFor(pos, false) // a //line directive moves no line
		first := p.Line != line
		line = p.Line
		if !first {
			continue
		}
		switch tok {
		case token.CONST, token.VAR, token.TYPE, token.FUNC, token.IMPORT:
			out = append(out, file.Offset(pos))
		}
	}
}

// lostDecls returns the starts (declStarts) that no declaration of f
// begins at, nor a function literal, nor lie within a function's body (a
// local declaration): what the parser's recovery lost or swallowed.
func lostDecls(fset *token.FileSet, f *ast.File, starts []int) []int {
	if f == nil || !f.Package.IsValid() {
		return starts
	}
	tf := fset.File(f.Package)
	if tf == nil {
		return starts
	}
	parsed := map[int]bool{}
	var bodies [][2]int
	body := func(b *ast.BlockStmt) {
		if b != nil && b.Lbrace.IsValid() && b.Rbrace.IsValid() && b.Lbrace <= b.Rbrace && int(b.Rbrace) <= tf.Base()+tf.Size() {
			bodies = append(bodies, [2]int{tf.Offset(b.Lbrace), tf.Offset(b.Rbrace)})
		}
	}
	for _, d := range f.Decls {
		if d.Pos().IsValid() {
			parsed[tf.Offset(d.Pos())] = true
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			body(n.Body)
		case *ast.FuncLit:
			if n.Type != nil && n.Type.Func.IsValid() {
				parsed[tf.Offset(n.Type.Func)] = true
			}
			body(n.Body)
		}
		return true
	})
	var out []int
	for _, s := range starts {
		if parsed[s] || slices.ContainsFunc(bodies, func(b [2]int) bool { return b[0] < s && s < b[1] }) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// mendRegion returns the bytes [from, to) of the file to blank so that
// the next parse reads the declarations after them: the declaration that
// swallowed the first lost one, up to it; or, when the parser abandoned
// the file (nothing parsed, or it went past its nesting limit), the
// declaration holding the error's place, up to the next start. from >= to
// when there is nothing to blank.
func mendRegion(fset *token.FileSet, f *ast.File, err error, starts, lost []int, size int) (from, to int) {
	var tf *token.File
	if f != nil && f.Package.IsValid() {
		tf = fset.File(f.Package)
	}
	abandoned := tf == nil || len(f.Decls) == 0
	if el, ok := err.(goscanner.ErrorList); ok {
		for _, e := range el {
			if strings.Contains(e.Msg, "exceeded max nesting depth") {
				abandoned = true
			}
		}
	}
	if abandoned {
		at := -1
		if el, ok := err.(goscanner.ErrorList); ok && len(el) > 0 {
			at = el[len(el)-1].Pos.Offset
			for _, e := range el {
				if strings.Contains(e.Msg, "exceeded max nesting depth") {
					at = e.Pos.Offset // where the parser gave up, whatever came before
				}
			}
		}
		if at < 0 {
			return 0, 0
		}
		from, to = 0, size
		for _, s := range starts {
			if s <= at {
				from = s
			} else {
				to = s
				break
			}
		}
		if from == 0 && (len(starts) == 0 || starts[0] > at) {
			return 0, 0 // the error lies before every declaration: the header, which parseLenient mends
		}
		return from, to
	}
	first := lost[0]
	for _, d := range f.Decls {
		if !d.Pos().IsValid() {
			continue
		}
		p, e := tf.Offset(d.Pos()), size
		if d.End().IsValid() && int(d.End()) <= tf.Base()+tf.Size() {
			e = tf.Offset(d.End())
		}
		if p < first && first < e || p < first && !d.End().IsValid() {
			return p, first
		}
	}
	// Lost with no declaration over it: blank from the start before it.
	prev := -1
	for _, s := range starts {
		if s >= first {
			break
		}
		prev = s
	}
	if prev < 0 {
		return 0, 0
	}
	return prev, first
}

// GoCheckable reports whether the Go source src can be type-checked as
// ScanGoSource checks it: go/parser reads every declaration it shows
// (parseRecovered) and its generic types do not expand past the bound
// (typeWork). keyscan staged and pre-receive count a candidate file
// that cannot as one they could not type-check.
func GoCheckable(src []byte) bool {
	f, whole := parseRecovered(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	return whole && (f == nil || !typesExpandTooFar([]*ast.File{f}))
}
