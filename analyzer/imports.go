package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// importNames returns the names under which the file can refer to each
// path at pos, and the import specs ("name" "path") it must add for those it
// does not import yet, or whose name something else hides at pos (a
// parameter called aws, a loop variable called ec2rolecreds): the path is
// then imported a second time under a free name, which Go allows.
func (fs *fileState) importNames(pos token.Pos, paths ...string) (names, add []string) {
	info := fs.c.pass.TypesInfo
	names = make([]string, len(paths))
	taken := map[string]bool{}
	for i, p := range paths {
		for _, spec := range fs.file.Imports {
			if pn := importedName(info, spec); pn != nil && pkgPath(pn.Imported()) == p && pn.Name() != "_" && pn.Name() != "." && fs.means(pn.Name(), pos, pn) {
				names[i] = pn.Name()
				break
			}
		}
		if names[i] != "" {
			continue
		}
		base := path.Base(p)
		name := base
		for n := 2; fs.nameTaken(name, pos) || taken[name]; n++ {
			name = base + strconv.Itoa(n)
		}
		taken[name] = true
		names[i] = name
		spec := strconv.Quote(p)
		if name != base {
			spec = name + " " + spec
		}
		add = append(add, spec)
	}
	return names, add
}

// means reports whether name, written at pos, refers to obj.
func (fs *fileState) means(name string, pos token.Pos, obj types.Object) bool {
	inner := fs.c.pass.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return false
	}
	_, found := inner.LookupParent(name, pos)
	return found == obj
}

// nameTaken reports whether name already means something at pos.
func (fs *fileState) nameTaken(name string, pos token.Pos) bool {
	if fs.c.pass.Pkg.Scope().Lookup(name) != nil {
		return true
	}
	if s := fs.c.pass.TypesInfo.Scopes[fs.file]; s != nil && s.Lookup(name) != nil {
		return true
	}
	if inner := fs.c.pass.Pkg.Scope().Innermost(pos); inner != nil {
		if _, obj := inner.LookupParent(name, pos); obj != nil && obj.Parent() != types.Universe {
			return true
		}
	}
	return false
}

func importedName(info *types.Info, spec *ast.ImportSpec) *types.PkgName {
	var obj types.Object
	if spec.Name != nil {
		obj = info.Defs[spec.Name]
	} else {
		obj = info.Implicits[spec]
	}
	pn, _ := obj.(*types.PkgName)
	return pn
}

// unusedImports returns the import specs whose every use lies in
// [start, end), except those of the paths the fix itself refers to.
func (fs *fileState) unusedImports(start, end token.Pos, keep ...string) []*ast.ImportSpec {
	info := fs.c.pass.TypesInfo
	uses := fs.c.index.file(fs.file)
	var out []*ast.ImportSpec
	for _, spec := range fs.file.Imports {
		pn := importedName(info, spec)
		if pn != nil && pn.Name() == "." {
			if fs.dotImportUnused(pn.Imported(), start, end) {
				out = append(out, spec)
			}
			continue
		}
		if pn == nil || pn.Name() == "_" || contains(keep, pkgPath(pn.Imported())) {
			continue
		}
		total := uses[pn]
		if total == 0 {
			continue
		}
		inside := 0
		ast.Inspect(fs.file, func(n ast.Node) bool {
			if n == nil || n.End() <= start || n.Pos() >= end {
				return false
			}
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == pn {
				inside++
			}
			return true
		})
		if inside == total {
			out = append(out, spec)
		}
	}
	return out
}

// dotImportUnused reports whether every name the file takes from the
// dot-imported package pkg lies in [start, end): the fix removes that
// text, and a dot import left with no use does not compile (fix24: go
// fix left . "…/credentials" behind NewStaticCredentialsProvider's
// removal). The fix itself never refers through a dot import
// (importNames imports the path by name).
func (fs *fileState) dotImportUnused(pkg *types.Package, start, end token.Pos) bool {
	info := fs.c.pass.TypesInfo
	inside, outside := 0, 0
	ast.Inspect(fs.file, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		// A bare name of another package's scope comes through a dot
		// import; a field or method named after a selector is no use.
		if obj := info.Uses[id]; obj != nil && obj.Pkg() == pkg && obj.Parent() == pkg.Scope() {
			if id.Pos() >= start && id.End() <= end {
				inside++
			} else {
				outside++
			}
		}
		return true
	})
	return inside > 0 && outside == 0
}

// importEdits adds the specs in add after the file's last import (so they
// join the group of third-party imports, where gofmt sorts them) and deletes
// the specs in remove. Where the last import is itself removed, the new
// ones take its place, so that no two edits overlap.
func (fs *fileState) importEdits(add []string, remove []*ast.ImportSpec) []analysis.TextEdit {
	var edits []analysis.TextEdit
	var decl *ast.GenDecl
	for _, d := range fs.file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			decl = g // the last import declaration
		}
	}
	var anchor *ast.ImportSpec
	if decl != nil && len(decl.Specs) > 0 {
		anchor = decl.Specs[len(decl.Specs)-1].(*ast.ImportSpec)
	}
	anchorRemoved := false
	for _, spec := range remove {
		if spec == anchor && len(add) > 0 {
			anchorRemoved = true
			continue
		}
		var s, e token.Pos
		if d := declOf(fs.file, spec); d != nil && !d.Lparen.IsValid() {
			s, e = fs.lineSpan(d.Pos(), d.End()) // import "x": the whole declaration
		} else {
			s, e = fs.lineSpan(spec.Pos(), spec.End())
		}
		edits = append(edits, analysis.TextEdit{Pos: s, End: e})
	}
	if len(add) == 0 {
		return edits
	}
	specs := strings.Join(add, "\n\t")
	switch {
	case anchorRemoved && decl.Lparen.IsValid():
		edits = append(edits, analysis.TextEdit{Pos: anchor.Pos(), End: anchor.End(), NewText: []byte(specs)})
	case anchorRemoved:
		edits = append(edits, analysis.TextEdit{Pos: decl.Pos(), End: decl.End(), NewText: []byte("import (\n\t" + specs + "\n)")})
	case anchor != nil && decl.Lparen.IsValid():
		edits = append(edits, analysis.TextEdit{Pos: anchor.End(), End: anchor.End(), NewText: []byte("\n\t" + specs)})
	default:
		at := fs.file.Name.End()
		if decl != nil {
			at = decl.End()
		}
		edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte("\n\nimport (\n\t" + specs + "\n)")})
	}
	return edits
}

func declOf(f *ast.File, spec *ast.ImportSpec) *ast.GenDecl {
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			for _, s := range g.Specs {
				if s == spec {
					return g
				}
			}
		}
	}
	return nil
}
