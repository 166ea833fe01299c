package scanner

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goImportNameSlow is goImportName as it was before the quotes were
// asked instead of searching for suffix+`"`, and the list's end by its
// ')': the reference the fast one is held to.
func goImportNameSlow(d []byte, suffix string) []byte {
	head := d[:min(len(d), goImportHead)]
	at := 0
	for {
		k := bytes.Index(head[at:], []byte("import"))
		if k < 0 {
			return nil
		}
		at += k
		if at == 0 || head[at-1] == '\n' {
			break
		}
		at += len("import")
	}
	decl := d[at+len("import"):]
	end := bytes.IndexByte(decl, '\n')
	if t := bytes.TrimLeft(decl, " \t"); len(t) > 0 && t[0] == '(' {
		end = bytes.Index(decl, []byte("\n)"))
	}
	if end < 0 {
		end = len(decl)
	}
	decl = decl[:min(end, goImportHead)]
	q := []byte(suffix + `"`)
	for i := 0; ; {
		k := bytes.Index(decl[i:], q)
		if k < 0 {
			return nil
		}
		e := i + k + len(suffix)
		i = e
		s := bytes.LastIndexByte(decl[:e], '"')
		if s < 0 || bytes.IndexByte(decl[s:e], '\n') >= 0 {
			continue
		}
		ls := bytes.LastIndexAny(decl[:s], "\n(") + 1
		alias := bytes.TrimSpace(decl[ls:s])
		switch {
		case len(alias) == 0:
			return []byte(suffix[strings.LastIndexByte(suffix, '/')+1:])
		case string(alias) == "_" || string(alias) == ".":
			return nil
		}
		return alias
	}
}

func checkGoImportName(t *testing.T, d []byte) (found bool) {
	t.Helper()
	for _, suffix := range []string{"/flate", "/zlib"} {
		fast, slow := goImportName(d, suffix), goImportNameSlow(d, suffix)
		if !bytes.Equal(fast, slow) || (fast == nil) != (slow == nil) {
			t.Fatalf("goImportName(%q, %q) = %q, the slow reading %q", d, suffix, fast, slow)
		}
		found = found || fast != nil
	}
	return found
}

// randomGoHead builds the start of a Go file from pieces that make and
// break import declarations: import lines and lists, aliases, paths that
// end in /flate (or hold it inside), quotes, parentheses and comments
// in odd places, and lines of other text.
func randomGoHead(r *rand.Rand) []byte {
	pieces := []string{
		"package x\n", "\n", "import", "import ", "import (", "(\n", ")", "\n)", "\n)\n", " )", "\t",
		`"compress/flate"`, `fl "compress/flate"`, " \t (", "\t\t(\n", `"a/b/late"`, `"ate"`, `ate"`, `"flate" `, `"/ate"`, `_ "compress/flate"`, `. "compress/flate"`,
		`"github.com/klauspost/compress/flate"`, `"github.com/trufflesecurity/trufflehog/v3/pkg/detectors"`,
		`"fmt"`, `"/flate"`, `/flate"`, `"/flate`, `flate"`, `"x/flate/y"`, `"`, `""`, "//", "// import (flate)\n",
		"/* (\n) */", " ", "x", "\r\n", "func f() {}\n", `"compress/zlib"`, `z "compress/zlib"`, "(", "\"a\nb/flate\"",
	}
	var b bytes.Buffer
	for n := r.IntN(40); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.Bytes()
}

// TestGoImportNameAsBefore holds goImportName to its slow reading on
// generated heads (also past goImportHead, where the declaration's end is
// looked for in a bounded part) and on the Go files of GOROOT/src and of
// KEYSCAN_BENCH_DETECTORS (a trufflehog checkout) when set.
func TestGoImportNameAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 16))
	named := 0
	for range 50000 {
		d := randomGoHead(r)
		if checkGoImportName(t, d) {
			named++
		}
		if r.IntN(20) == 0 { // the declaration's end about goImportHead
			pad := bytes.Repeat([]byte("\"a/b\"\n"), (goImportHead-r.IntN(64))/6)
			checkGoImportName(t, append(append([]byte("import (\n"), pad...), d...))
		}
	}
	if named < 500 {
		t.Fatalf("only %d of the generated heads import a package named", named)
	}
	roots := []string{filepath.Join(runtime.GOROOT(), "src")}
	if dir := os.Getenv("KEYSCAN_BENCH_DETECTORS"); dir != "" {
		roots = append(roots, dir)
	}
	files := 0
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.Type().IsRegular() || !strings.HasSuffix(p, ".go") || files >= 20000 {
				return nil
			}
			if d, err := os.ReadFile(p); err == nil {
				files++
				checkGoImportName(t, d)
			}
			return nil
		})
	}
	t.Logf("%d real Go files", files)
}

// FuzzGoImportName: the fast reading answers as the slow one.
func FuzzGoImportName(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		f.Add(randomGoHead(r))
	}
	f.Add([]byte("package p\n\nimport (\n\tfl \"compress/flate\"\n)\n"))
	f.Fuzz(func(t *testing.T, d []byte) {
		checkGoImportName(t, d)
	})
}
