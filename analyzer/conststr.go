package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// Bounds on the string constants the analyzer reads. go/constant keeps a
// concatenation lazy and builds the string only when it is read, so a
// kilobyte of source (const c1 = c0 + c0; ... const c33 = c32 + c32) holds a
// constant of hundreds of gigabytes that reading would build. A credential
// is 20, 40 or some 400 bytes, and even a whole configuration file folded
// from constants fits in maxConstLen many times over: a longer constant is
// never read. maxConstBytes bounds what one package (one pass, one package
// of keyscan scan) reads in all, so that many constants just under the
// bound cannot add up to the same effect.
const (
	maxConstLen   = 64 << 10
	maxConstBytes = 16 << 20
)

// constStrings reads the string constants of one type-checked package, each
// only once its length, worked out from the syntax that folds it, is within
// maxConstLen. Every read of a constant's value in the analyzer goes through
// it. It is not safe for concurrent use.
//
// A length is the sum of the lengths of the literals a concatenation joins,
// through parentheses, conversions and the constants it names, followed to
// their declarations in files (a constant of a const block that repeats the
// previous expression included). Go's only other constant string
// expressions are min and max of strings (the longest operand bounds them)
// and a conversion from a rune (at most 4 bytes). A constant declared
// elsewhere has its length from imported (keyscan scan's importer, which
// reads the packages of the scanned tree from source); without it, the
// value came from export data, where it is already one string.
type constStrings struct {
	info     *types.Info // needs Types and Uses
	files    []*ast.File
	imported func(*types.Const) (int64, bool)

	decls  map[token.Pos]ast.Expr // a constant's name -> the expression it is declared with
	lens   map[ast.Expr]int64     // lengths worked out, -1 for none
	consts map[*types.Const]int64 // the same per constant; -2 while in progress
	read   map[constant.Value]bool
	spent  int64 // bytes of the values read, see maxConstBytes
}

func newConstStrings(info *types.Info, files []*ast.File, imported func(*types.Const) (int64, bool)) *constStrings {
	return &constStrings{info: info, files: files, imported: imported}
}

// value returns the value of e when it is a string constant short enough to
// read, and the package's budget allows it.
func (cs *constStrings) value(e ast.Expr) (string, bool) {
	if cs == nil || cs.info == nil {
		return "", false
	}
	tv, ok := cs.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	n := cs.length(e)
	if n < 0 || n > maxConstLen {
		return "", false
	}
	if !cs.read[tv.Value] {
		if cs.spent+n > maxConstBytes {
			return "", false
		}
		if cs.read == nil {
			cs.read = map[constant.Value]bool{}
		}
		cs.read[tv.Value] = true
		cs.spent += n
	}
	return constant.StringVal(tv.Value), true
}

// length is the length of the string constant e, capped just above
// maxConstLen; -1 when it cannot be told without reading the value.
func (cs *constStrings) length(e ast.Expr) int64 {
	if n, ok := cs.lens[e]; ok {
		return n
	}
	n := cs.measure(e)
	if cs.lens == nil {
		cs.lens = map[ast.Expr]int64{}
	}
	cs.lens[e] = n
	return n
}

func (cs *constStrings) measure(e ast.Expr) int64 {
	tv, ok := cs.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return -1
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return cs.length(e.X)
	case *ast.BasicLit:
		return int64(len(constant.StringVal(tv.Value))) // a literal's value is one string already
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return -1
		}
		x, y := cs.length(e.X), cs.length(e.Y)
		if x < 0 || y < 0 {
			return -1
		}
		return min(x+y, maxConstLen+1)
	case *ast.CallExpr:
		fun, ok := cs.info.Types[ast.Unparen(e.Fun)]
		switch {
		case ok && fun.IsType() && len(e.Args) == 1:
			if arg, ok := cs.info.Types[e.Args[0]]; ok && arg.Value != nil && arg.Value.Kind() != constant.String {
				return 4 // string(rune): one UTF-8 encoded rune
			}
			return cs.length(e.Args[0])
		case ok && fun.IsBuiltin():
			var n int64 // min or max of strings: one of them
			for _, a := range e.Args {
				l := cs.length(a)
				if l < 0 {
					return -1
				}
				n = max(n, l)
			}
			return n
		}
		return -1
	case *ast.Ident:
		return cs.constLen(cs.info.Uses[e])
	case *ast.SelectorExpr:
		return cs.constLen(cs.info.Uses[e.Sel])
	}
	return -1
}

// constLen is the length of the string constant obj, -1 when unknown.
func (cs *constStrings) constLen(obj types.Object) int64 {
	c, ok := obj.(*types.Const)
	if !ok || c.Val().Kind() != constant.String {
		return -1
	}
	if n, ok := cs.consts[c]; ok {
		if n == -2 {
			return -1 // a cycle: the type checker has reported it
		}
		return n
	}
	if cs.consts == nil {
		cs.consts = map[*types.Const]int64{}
	}
	cs.consts[c] = -2
	n := int64(-1)
	if e, ok := cs.declarations()[c.Pos()]; ok {
		n = cs.length(e)
	} else if cs.imported != nil {
		if l, ok := cs.imported(c); ok {
			n = l
		}
	} else {
		// From export data: one string already, reading builds nothing.
		n = min(int64(len(constant.StringVal(c.Val()))), maxConstLen+1)
	}
	cs.consts[c] = n
	return n
}

// declarations maps the names of the constants declared in the files to
// their expressions, including those of a const block that repeat the
// previous line's.
func (cs *constStrings) declarations() map[token.Pos]ast.Expr {
	if cs.decls != nil {
		return cs.decls
	}
	cs.decls = map[token.Pos]ast.Expr{}
	eachConst(cs.files, func(name *ast.Ident, value ast.Expr) { cs.decls[name.Pos()] = value })
	return cs.decls
}

// eachConst calls fn with the name and the expression of every constant
// declared in the files, in a function or not, including those of a const
// block that repeat the previous line's expressions (iota blocks).
func eachConst(files []*ast.File, fn func(name *ast.Ident, value ast.Expr)) {
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			g, ok := n.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				return true
			}
			var last []ast.Expr
			for _, spec := range g.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				if len(vs.Values) > 0 {
					last = vs.Values
				}
				for i, name := range vs.Names {
					if i < len(last) {
						fn(name, last[i])
					}
				}
			}
			return false // a const declaration holds no other
		})
	}
}

// constStrings returns the pass's reader of string constants. go vet gives
// a pass the other packages from export data, so their constants have no
// lengths to look up.
func (c *checker) constStrings() *constStrings {
	if c.strs == nil {
		c.strs = newConstStrings(c.pass.TypesInfo, c.pass.Files, nil)
	}
	return c.strs
}
