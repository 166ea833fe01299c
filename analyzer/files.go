package analyzer

import (
	"context"
	"go/ast"
	"go/token"
	"golang.org/x/tools/go/analysis"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/scanner/content"
)

// foldedAndEscaped reports keys only the type checker's view shows: strings
// assembled by constant folding and literals whose escapes hide a key.
func (fs *fileState) foldedAndEscaped() {
	s := exprScan{
		sc: fs.c.sc, info: fs.c.pass.TypesInfo, strs: fs.c.constStrings(), tf: fs.tf, name: filepath.Base(fs.tf.Name()),
		lit: func(l *ast.BasicLit) { fs.lits = append(fs.lits, l) },
		src: func() []byte { return fs.src },
	}
	xs := s.file(fs.file)
	for _, g := range s.gaps {
		fs.c.gap(g.pos, g.msg)
	}
	for _, x := range xs {
		r := report{pos: x.pos, end: x.end, f: x.f, rank: rankLiteral, where: "in a string literal", advice: adviceLiteral}
		switch {
		case x.member:
			r.rank, r.where, r.advice = rankFolded, "in "+x.f.File+", an archive this Go value holds", adviceArchive
		case x.folded:
			r.rank, r.where, r.advice = rankFolded, "assembled by constant folding", adviceFolded
		}
		fs.reports = append(fs.reports, r)
	}
}

// extraFiles scans what the package carries besides its Go files: the files
// it embeds with //go:embed, its non-Go files (.syso objects too), and the
// files its build constraints leave out. go vet lists the latter two in the pass; embedded
// files it does not list, so they are found from the directives.
func (c *checker) extraFiles() {
	seen := map[string]bool{}
	for _, f := range c.pass.Files {
		seen[c.pass.Fset.File(f.FileStart).Name()] = true
	}
	for _, f := range c.pass.Files {
		dir := filepath.Dir(c.pass.Fset.File(f.FileStart).Name())
		for _, name := range embeddedFiles(dir, f) {
			if !seen[name] && !c.excluded(name) {
				seen[name] = true
				c.scanFile(name, dir, "in embedded file", adviceEmbedded)
			}
		}
	}
	// go vet lists no .syso file, which the linker puts into the binary
	// as it is (Windows resources, prebuilt objects), and for a cgo
	// package none of its C, C++, Objective-C, Fortran or assembly files:
	// its vet configuration holds the Go files cgo made instead. Nor does
	// it list the Go files the go command ignores by their name (_old.go,
	// .backup.go: go help packages), which keyscan scan reads as any other
	// Go file. They are found in the package's folder, the folder of its
	// Go sources as they were written (cgo's output names them in line
	// directives).
	var more []string
	if dir := sourceDir(c.pass); dir != "" {
		for _, pat := range nonGoSources {
			m, _ := filepath.Glob(filepath.Join(dir, pat))
			more = append(more, m...)
		}
	}
	for _, name := range slices.Concat(c.pass.OtherFiles, c.pass.IgnoredFiles, more) {
		if !seen[name] && !c.excluded(name) {
			seen[name] = true
			c.scanFile(name, filepath.Dir(name), "in", adviceOther)
		}
	}
}

// nonGoSources are the files besides Go sources that go build uses from a
// package's folder (go help c; cmd/go's list of source kinds), .syso, and
// the Go files it ignores because their names start with _ or .
var nonGoSources = []string{"*.syso", "*.c", "*.h", "*.cc", "*.cpp", "*.cxx", "*.hh", "*.hpp", "*.hxx",
	"*.m", "*.s", "*.S", "*.sx", "*.f", "*.F", "*.for", "*.f90", "*.swig", "*.swigcxx", "_*.go", ".*.go"}

// sourceDir is the folder of the package's Go sources as written, ""
// when the package has no Go file. A Go file that is on disk as written is
// its own folder's, whatever its line directives say: a directive can name
// any folder, and the folder decides which files are read and which
// configuration applies (qa11 MEDIUM-8: a //line above the package clause
// made vet read another folder's C files). In a cgo package the files are
// cgo's output, in the build's temporary folder: the source is named by
// cgo's own line directive, the first in the file, and read at the line
// after it, which no directive of the source (they come later) can move.
func sourceDir(pass *analysis.Pass) string {
	for _, f := range pass.Files {
		name := pass.Fset.File(f.FileStart).Name() // as on disk, no directive applied
		if strings.HasPrefix(filepath.Base(name), "_cgo_") || strings.HasSuffix(name, ".cgo1.go") || !filepath.IsAbs(name) {
			continue
		}
		return filepath.Dir(name)
	}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if !strings.HasSuffix(tf.Name(), ".cgo1.go") {
			continue
		}
		for _, g := range f.Comments {
			if c := g.List[0]; strings.HasPrefix(c.Text, "//line ") {
				if l := tf.Line(c.Pos()) + 1; l <= tf.LineCount() {
					if p := pass.Fset.PositionFor(tf.LineStart(l), true); filepath.IsAbs(p.Filename) {
						return filepath.Dir(p.Filename)
					}
				}
				break
			}
		}
	}
	return ""
}

// scanFile reports the keys in a file that is not among the parsed Go files,
// with positions in that file. It is read as keyscan scan reads a file
// (scanner/content): an embedded zip or tarball has its members scanned, a
// binary its printable runs. A finding in an archive member is reported at
// the file's start, naming the member.
func (c *checker) scanFile(name, dir, where, advice string) {
	data := c.readFile(name)
	if data == nil {
		return
	}
	rel, err := filepath.Rel(dir, name)
	if err != nil {
		rel = filepath.Base(name)
	}
	rel = filepath.ToSlash(rel)
	res := content.Scan(context.Background(), c.sc, rel, data, content.DefaultOptions())
	found, _ := res.Findings.Split()
	gap := contentGap(rel, res)
	if len(found) == 0 && gap == "" {
		return
	}
	tf := c.pass.Fset.AddFile(name, -1, len(data))
	tf.SetLinesForContent(data)
	if gap != "" {
		c.gap(tf.Pos(0), gap)
	}
	for _, f := range found {
		pos, end := f.Offset, f.EndOffset
		if f.File != rel || f.InPath || end > len(data) || pos > end {
			pos, end = 0, 0 // in a member, or in a member's name
		}
		c.reportOne(report{
			pos: tf.Pos(pos), end: tf.Pos(end), f: f,
			where: where + " " + f.File, advice: advice,
		})
	}
}

// embeddedFiles resolves the //go:embed patterns of f against dir, as the go
// command does: a pattern names files or directories (taken whole, except
// names starting with . or _ unless the pattern has the all: prefix).
func embeddedFiles(dir string, f *ast.File) []string {
	var out []string
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			rest, ok := strings.CutPrefix(c.Text, "//go:embed")
			if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue
			}
			for _, pat := range embedPatterns(rest) {
				all := strings.HasPrefix(pat, "all:")
				pat = strings.TrimPrefix(pat, "all:")
				if !iofs.ValidPath(pat) {
					continue
				}
				matches, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pat)))
				for _, m := range matches {
					out = append(out, walkEmbed(m, all)...)
				}
			}
		}
	}
	return out
}

func walkEmbed(root string, all bool) []string {
	info, err := os.Stat(root)
	if err != nil {
		return nil
	}
	if info.Mode().IsRegular() {
		return []string{root}
	}
	var out []string
	filepath.WalkDir(root, func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != root && !all && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// embedPatterns splits the arguments of a //go:embed line: space-separated,
// each possibly a Go string literal.
func embedPatterns(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		var pat string
		switch s[0] {
		case '"', '`':
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return out
			}
			s = s[len(q):]
			pat, _ = strconv.Unquote(q)
		default:
			i := strings.IndexAny(s, " \t")
			if i < 0 {
				i = len(s)
			}
			pat, s = s[:i], s[i:]
		}
		if pat != "" {
			out = append(out, path.Clean(pat))
		}
	}
	return out
}

// litAt returns the string literal holding pos, if any.
func (fs *fileState) litAt(pos token.Pos) *ast.BasicLit {
	i, _ := slices.BinarySearchFunc(fs.lits, pos, func(l *ast.BasicLit, p token.Pos) int {
		if l.End() <= p {
			return -1
		}
		if l.Pos() > p {
			return 1
		}
		return 0
	})
	if i < len(fs.lits) && fs.lits[i].Pos() <= pos && pos < fs.lits[i].End() {
		return fs.lits[i]
	}
	return nil
}
