package analyzer

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// doubling returns const declarations c0 = head, c1 = c0 + c0, ... cN:
// cN is len(head) << N bytes once read.
func doubling(head string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "const c0 = %q\n", head)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "const c%d = c%d + c%d\n", i, i-1, i-1)
	}
	return b.String()
}

// TestConstStrings holds constStrings to its bounds: the length of a string
// constant is worked out without reading it, through every form of constant
// string expression, and a constant longer than maxConstLen, or past the
// package's maxConstBytes, is not read.
func TestConstStrings(t *testing.T) {
	src := "package p\n\n" + doubling("0123456789abcdef", 40) + `
type S string

const (
	paren   = (c10 + "x")
	conv    = S(c11) + S("y")
	rune1   = string(rune(0x10348)) + c0
	maxed   = max(c2, c13)
	mined   = min(c2, c11)
	repeat1 = c11 + "z"
	repeat2
	long    = c12 + c0
	huge    = c40 + c40 + c40 + c40
	cross   = huge + c0
)

var local = func() string {
	const l = c5 + c5
	return l
}()
`
	for i := range 400 {
		src += fmt.Sprintf("const budget%d = c11 + c10 + \"%03d\"\n", i, i)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	exprs := map[string]ast.Expr{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					exprs[name.Name] = vs.Values[i]
				}
			}
		}
		return true
	})
	cs := newConstStrings(info, []*ast.File{f}, nil)
	for _, c := range []struct {
		name string
		len  int
	}{
		{"c0", 16},
		{"c12", 16 << 12},
		{"paren", 16<<10 + 1},
		{"conv", 16<<11 + 1},
		{"rune1", 4 + 16},
		{"maxed", 16 << 13},
		{"mined", 16 << 11}, // the longest operand bounds it
		{"repeat1", 16<<11 + 1},
		{"l", 16 << 6},
		{"huge", -1},
	} {
		n := cs.length(exprs[c.name])
		if c.len > maxConstLen || c.len < 0 {
			if n <= maxConstLen {
				t.Errorf("length(%s) = %d, want more than %d", c.name, n, maxConstLen)
			}
		} else if n != int64(c.len) {
			t.Errorf("length(%s) = %d, want %d", c.name, n, c.len)
		}
		v, ok := cs.value(exprs[c.name])
		if want := c.len >= 0 && c.len <= maxConstLen; ok != want || ok && len(v) > c.len {
			t.Errorf("value(%s): %d bytes, %v; want at most %d bytes, %v", c.name, len(v), ok, c.len, want)
		}
	}
	for _, name := range []string{"long", "huge", "cross"} {
		if _, ok := cs.value(exprs[name]); ok {
			t.Errorf("value(%s) read a constant longer than %d bytes", name, maxConstLen)
		}
	}
	// repeat2 repeats repeat1's expression: the same length, read once.
	obj := info.Defs[findIdent(f, "repeat2")].(*types.Const)
	if n := cs.constLen(obj); n != 16<<11+1 {
		t.Errorf("constLen(repeat2) = %d, want %d", n, 16<<11+1)
	}

	// The package's budget: constants within the bound are read until
	// maxConstBytes is spent, and no further.
	read, before := 0, cs.spent
	each := int64(16<<11 + 16<<10 + 3)
	for i := range 400 {
		if v, ok := cs.value(exprs[fmt.Sprintf("budget%d", i)]); ok {
			read++
			if int64(len(v)) != each {
				t.Fatalf("budget%d: %d bytes, want %d", i, len(v), each)
			}
		}
	}
	if want := int((maxConstBytes - before) / each); read != want || read == 400 {
		t.Errorf("read %d of 400 constants of %d bytes under the budget, want %d", read, each, want)
	}
	if cs.spent > maxConstBytes {
		t.Errorf("read %d bytes, more than the budget of %d", cs.spent, maxConstBytes)
	}
}

func findIdent(f *ast.File, name string) *ast.Ident {
	var id *ast.Ident
	ast.Inspect(f, func(n ast.Node) bool {
		if x, ok := n.(*ast.Ident); ok && x.Name == name && id == nil {
			id = x
		}
		return id == nil
	})
	return id
}
