package analyzer

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner"
)

// ScanPackageDir gives keyscan scan what go vet's pass sees beyond the bytes
// of a file: it parses the Go files of dir (names relative to dir, or
// absolute), type-checks them one package at a time, and returns the keys
// that exist only in values the type checker computes: strings assembled by
// constant folding and literals whose escapes hide a key. It returns only
// those: keys written plainly in a file are the byte scan's to report. File
// paths in the findings are relative to relTo and '/'-separated.
//
// Imports of packages that lie under root (the scanned tree: a package of
// the same module, found through the go.mod under root, of a module its
// replace directives put in a local directory under root or a go.work under
// root uses, or of a GOPATH-style src folder) are read from source, their constant and type declarations
// only, so that a key assembled with another package's constant is found as
// go vet finds it. Any other import is an empty package, and the errors that
// follow are ignored: the standard library and the module cache are not
// read, and nothing outside root is. An empty root resolves no import.
//
// A file that cannot be read or parsed is skipped (the byte scan reports
// on it); the error is only ever the context's. The type check is bounded
// by MaxCheckTokens, and the files left out for it are not named:
// ScanPackageDirShared names them.
func ScanPackageDir(ctx context.Context, sc *scanner.Scanner, dir string, files []string, relTo, root string) (scanner.Findings, error) {
	fs, _, err := ScanPackageDirShared(ctx, sc, dir, files, relTo, root, nil, MaxCheckTokens)
	return fs, err
}

// ScanPackageDirShared is ScanPackageDir with the imported packages shared
// through cache between the calls of one scan (which may run in parallel):
// each package of the tree is read and type-checked once however many
// candidate packages import it, so a crafted tree (one big package imported
// by hundreds) costs the sum of its packages, not their product. A nil
// cache shares nothing.
//
// Each package's type check, and each imported package's, reads no more
// than bound allows: the Go files it leaves out (dir's, by the names
// given; an imported package's, by their path on disk) are returned, in
// the order met, with why, for the caller to say that a key they build is
// not known.
// The smallest files are admitted first (tokenBudget.admitSmallest).
func ScanPackageDirShared(ctx context.Context, sc *scanner.Scanner, dir string, files []string, relTo, root string, cache *ImportCache, bound CheckBound) (scanner.Findings, []LeftOut, error) {
	fset := token.NewFileSet()
	if cache != nil {
		fset = cache.fset
	}
	byPkg := map[string][]*ast.File{}
	// One budget for the folder's files, counted before they are parsed:
	// a folder's second package (x_test) is seldom large.
	budget := &tokenBudget{bound: bound}
	var order, skipped []string
	var over []LeftOut
	var read []goSource
	var parsed []*token.File
	keep := map[*token.File]bool{}
	if cache != nil {
		// The file set is the scan's: the files of a package checked
		// leave it, or a scan of many packages would hold every line
		// table to its end.
		// The files of a check abandoned (keep) stay: its goroutine
		// still reads their positions.
		defer func() {
			for _, tf := range parsed {
				if !keep[tf] {
					fset.RemoveFile(tf)
				}
			}
		}()
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		src, err := readGoFile(root, name)
		if err != nil {
			continue
		}
		read = append(read, goSource{name, src})
	}
	admitted := budget.admitSmallest(read)
	if cache != nil && bound > 0 {
		end, err := cache.startCheck(ctx, bound, budget.used)
		if err != nil {
			return nil, nil, err
		}
		defer end()
	}
	for i, gs := range read {
		name, src := gs.name, gs.src
		if !admitted[i] {
			over = append(over, LeftOut{name, LeftBound})
			continue
		}
		f, whole := parseGoSource(fset, name, src)
		if f != nil {
			parsed = append(parsed, fset.File(f.FileStart))
		}
		if !whole {
			// Declarations the parser could not read (qa31 F13): what it
			// read is folded, and the file is named with those left out.
			over = append(over, LeftOut{name, LeftUnparsed})
		}
		if f == nil {
			continue
		}
		pkg := f.Name.Name
		if _, ok := byPkg[pkg]; !ok {
			order = append(order, pkg)
		}
		byPkg[pkg] = append(byPkg[pkg], f)
	}
	var out scanner.Findings
	for _, pkg := range order {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if !slices.ContainsFunc(byPkg[pkg], mayFold) {
			continue
		}
		if typesExpandTooFar(byPkg[pkg]) { // a crash of go/types, not a check (qa31 F3): named as left out
			for _, f := range byPkg[pkg] {
				over = append(over, LeftOut{fset.File(f.Package).Name(), LeftBound})
			}
			continue
		}
		// check type-checks files and scans those of them that scan
		// says; it returns the files that lost a declaration to another
		// file of the package (a name declared twice).
		// It reports tooFar, and checks nothing, when the types of files
		// with those they import would cost go/types' walk past the
		// bound (typeWorkWith).
		//
		// It reports stalled when the watch of type checks abandoned the
		// check or did not start it (runWatched): the package is the
		// watch's gap (StallsOf), not one of over. An abandoned check's
		// goroutine goes on with the files, its importer and the packages
		// it holds in cache: none of them is restored, released or read
		// again, and its files stay in the file set.
		check := func(files []*ast.File, scan func(f *ast.File, lost map[*ast.File]bool) bool) (lost map[*ast.File]bool, tooFar, stalled bool) {
			restore := skipBodies(files)
			imp := newSourceImporter(fset, root, foldedImports(files))
			imp.cache = cache
			imp.bound = bound
			imp.setMain(dir)
			if typesExpandTooFarWith(files, imp.typeCost(fset), imp.objectOf(fset)) {
				restore()
				imp.done()
				return nil, true, false
			}
			info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
			// The check's own map: the caller's lost is not written by
			// an abandoned check's goroutine.
			redeclared := map[*ast.File]bool{}
			conf := types.Config{
				Importer: imp,
				Error: func(err error) { // keep going: unresolved imports are expected
					if te, ok := err.(types.Error); ok && strings.HasSuffix(te.Msg, "redeclared in this block") {
						name := fset.PositionFor(te.Pos, false).Filename
						for _, f := range files {
							if fset.File(f.Package).Name() == name {
								redeclared[f] = true
							}
						}
					}
				},
				FakeImportC: true,
			}
			uncut := cutLongStrings(files, imp.importedLen(fset))
			own := int64(budget.used)
			switch runWatched(ctx, "package "+pkg+" in "+dir, func() int64 { return own + imp.read.Load() }, func() {
				conf.Check(pkg, fset, files, info) // errors ignored, see Error
			}) {
			case checkAbandoned:
				for _, f := range files {
					keep[fset.File(f.FileStart)] = true
				}
				return nil, false, true
			case checkRefused:
				uncut()
				restore()
				imp.done()
				return nil, false, true
			}
			uncut()
			restore()
			strs := newConstStrings(info, files, imp.constLen)
			for _, f := range files {
				if scan(f, redeclared) {
					out = append(out, scanFolded(sc, fset, info, strs, f, relTo, root)...)
				}
			}
			imp.done()
			for _, f := range imp.skipped { // the type checker may ask for a package it got empty again
				if !slices.Contains(skipped, f) {
					skipped = append(skipped, f)
				}
			}
			return redeclared, false, false
		}
		// A file whose declarations another file of the folder made
		// redeclarations (creds_linux.go and creds_windows.go, or
		// //go:build prod and !prod, each declaring the same constants:
		// one build of the package holds only one of them) had its
		// constants never folded: a key it built was lost, silently (qa31
		// F9). Each such file is checked again with the files that declare
		// none of its names, and scanned then; past MaxVariants, the rest
		// are named as left out.
		lost, tooFar, stalled := check(byPkg[pkg], func(f *ast.File, lost map[*ast.File]bool) bool { return !lost[f] })
		if stalled {
			continue
		}
		if tooFar { // with the types it imports (qa32 G3): named as left out
			for _, f := range byPkg[pkg] {
				over = append(over, LeftOut{fset.File(f.Package).Name(), LeftBound})
			}
			continue
		}
		rechecked := false
		n := 0
		for _, f := range byPkg[pkg] {
			if !lost[f] {
				continue
			}
			if n++; n > MaxVariants {
				over = append(over, LeftOut{fset.File(f.Package).Name(), LeftVariants})
				continue
			}
			mine := declaredNames(f)
			group := []*ast.File{f}
			for _, o := range byPkg[pkg] {
				if o != f && !sharesName(mine, o) {
					group = append(group, o)
				}
			}
			// Every file of the group is scanned again: a shared file
			// (use.go: head + "…") folds the variant's constant only
			// here (qa32 G1); what it found before is dropped below.
			_, tooFar, stalled := check(group, func(*ast.File, map[*ast.File]bool) bool { return true })
			if stalled {
				break // the watch's gap; what the first check found stays
			}
			if tooFar {
				over = append(over, LeftOut{fset.File(f.Package).Name(), LeftBound})
				continue
			}
			rechecked = true
		}
		if rechecked {
			out = dropRepeated(out)
		}
	}
	out.Sort()
	for _, f := range skipped { // an imported package's
		over = append(over, LeftOut{f, LeftBound})
	}
	return out, over, nil
}

// ScanGoSource is ScanPackageDir's reading of one Go file given as its
// source, alone: a package of that file only, whose imports are all empty
// packages. keyscan staged and pre-receive read a Go blob so
// (content.Options.Go), where no package's other files or imports are at
// hand: a key built within the file (folded constants, joins, a builder's
// writes, escapes) is found as keyscan scan and go vet find it; one built
// with another file's or package's constant is not. name names the file in
// the findings, as the byte scan names it. A file that does not parse is
// read from the parser's partial syntax, as ScanPackageDir reads one.
func ScanGoSource(ctx context.Context, sc *scanner.Scanner, name string, src []byte) scanner.Findings {
	if ctx.Err() != nil {
		return nil
	}
	fset := token.NewFileSet()
	f, _ := parseRecovered(fset, name, src, parser.SkipObjectResolution)
	// A blob that does not parse (a commit's broken state, or one stray
	// byte an attacker adds) is folded from the partial syntax the parser
	// returns, as keyscan scan folds such a file: leaving it to the byte
	// scan let one syntax error hide a built key from staged and
	// pre-receive (qa28 M1). A package clause that does not parse is
	// mended first (parseLenient, qa29 H5).
	if f == nil || !mayFold(f) {
		return nil
	}
	files := []*ast.File{f}
	if typesExpandTooFar(files) {
		return nil // GoCheckable says so to the caller, which counts it (qa31 F3)
	}
	restore := skipBodies(files)
	imp := newSourceImporter(fset, "", foldedImports(files))
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: imp, Error: func(error) {}, FakeImportC: true}
	uncut := cutLongStrings(files, imp.importedLen(fset))
	switch runWatched(ctx, name, func() int64 { return int64(len(src) / 4) }, func() {
		conf.Check(f.Name.Name, fset, files, info) // errors ignored, as in ScanPackageDirShared
	}) {
	case checkAbandoned:
		return nil // the watch's gap (StallsOf); the check's goroutine keeps f
	case checkRefused:
		uncut()
		restore()
		return nil
	}
	uncut()
	restore()
	out := scanFoldedAs(sc, fset, info, newConstStrings(info, files, imp.constLen), f, name, func() []byte { return src })
	out.Sort()
	return out
}

// mayFold reports whether a file has anything that could hide a key from
// the byte scan: an addition (string concatenation, for all the parser
// knows), an escaped string literal, or a list of numbers that may be an
// archive's bytes. Type checking is skipped for
// packages with neither.
func mayFold(f *ast.File) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.ADD {
				found = true
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING && strings.Contains(n.Value, `\`) {
				found = true
			}
		case *ast.CompositeLit:
			found = numberList(n)
		case *ast.CallExpr, *ast.AssignStmt:
			found = buildsString(n)
		}
		// Stop the whole walk at the first such node: returning false only
		// skips n's children, and a sibling visited next would set found
		// back to false (qa29 H3: `f(head+tail, os.Getenv("X"))` left the
		// file to the byte scan, which cannot join named constants).
		return !found
	})
	return found
}

// buildsString reports whether n may build a string from pieces the
// analyzer reads (strcalls.go): a call of strings' or fmt's functions that
// do, bytes.Join, a builder's write of a literal (builder.go), or a +=.
func buildsString(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		return n.Tok == token.ADD_ASSIGN
	case *ast.CallExpr:
		sel, ok := n.Fun.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		pkg, ok := sel.X.(*ast.Ident)
		switch {
		case !ok:
			return false
		case pkg.Name == "bytes" && sel.Sel.Name == "Join":
			return true
		case builderWriters[sel.Sel.Name] && len(n.Args) == 1:
			return literalWrite(n.Args[0]) // b.WriteString("…"): perhaps a builder's
		}
		return (pkg.Name == "strings" || pkg.Name == "fmt") && stringBuilders[sel.Sel.Name]
	}
	return false
}

// literalWrite reports whether a write's argument is a literal: a
// string, a character, or a string converted to bytes.
func literalWrite(arg ast.Expr) bool {
	if call, ok := ast.Unparen(arg).(*ast.CallExpr); ok && len(call.Args) == 1 && byteSlice(call.Fun) {
		arg = call.Args[0]
	}
	lit, ok := ast.Unparen(arg).(*ast.BasicLit)
	return ok && (lit.Kind == token.STRING || lit.Kind == token.CHAR)
}

// stringBuilders are the functions of strings and fmt whose value the
// analyzer works out from constant arguments (callString).
var stringBuilders = map[string]bool{"Join": true, "ToUpper": true, "ToLower": true, "TrimSpace": true, "Trim": true, "TrimLeft": true, "TrimRight": true,
	"TrimPrefix": true, "TrimSuffix": true, "Replace": true, "ReplaceAll": true, "Sprint": true, "Sprintln": true, "Sprintf": true}

// numberList reports whether a composite literal may be bytes the type
// checker reads as an archive (archives.go): long enough, and its first
// element a number.
func numberList(cl *ast.CompositeLit) bool {
	if len(cl.Elts) < minArchiveLen {
		return false
	}
	lit, ok := cl.Elts[0].(*ast.BasicLit)
	return ok && (lit.Kind == token.INT || lit.Kind == token.CHAR)
}

// skipBodies hides from the type checker the function bodies in which
// nothing can fold into a key: no addition with a string literal or a
// constant among its operands, no local constant. Type-checking bodies is
// most of the cost, and most bodies hold no such thing. The bodies come back
// with restore, for the literal scan; only their folding is skipped.
func skipBodies(files []*ast.File) (restore func()) {
	consts := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						consts[n.Name] = true
					}
				}
			}
		}
	}
	type saved struct {
		fd   *ast.FuncDecl
		body *ast.BlockStmt
	}
	var hidden []saved
	for _, f := range files {
		imported := importNames(f)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && !mayFoldIn(fd.Body, consts, imported) {
				hidden = append(hidden, saved{fd, fd.Body})
				fd.Body = nil
			}
		}
	}
	return func() {
		for _, h := range hidden {
			h.fd.Body = h.body
		}
	}
}

// mayFoldIn reports whether body has a local constant or an addition one of
// whose operands (through a conversion) is a string literal, a name of a
// package constant or a name qualified by an imported package, which may be
// another package's constant.
func mayFoldIn(body *ast.BlockStmt, consts, imported map[string]bool) bool {
	found := false
	locals := map[string]bool{} // variables a string literal initialises
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GenDecl:
			found = found || n.Tok == token.CONST
		case *ast.CompositeLit:
			found = found || numberList(n)
		case *ast.CallExpr:
			found = found || buildsString(n)
		case *ast.AssignStmt:
			found = found || buildsString(n)
			if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if _, lit := stringLit(n.Rhs[i]); lit {
						if id, ok := l.(*ast.Ident); ok {
							locals[id.Name] = true
						}
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names[:min(len(n.Names), len(n.Values))] {
				if _, lit := stringLit(n.Values[i]); lit {
					locals[id.Name] = true
				}
			}
		case *ast.BinaryExpr:
			if n.Op == token.ADD {
				for _, x := range []ast.Expr{n.X, n.Y} {
					x = ast.Unparen(x)
					// A conversion, string(head), is looked through.
					if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 1 {
						x = ast.Unparen(call.Args[0])
					}
					switch x := x.(type) {
					case *ast.BasicLit:
						found = found || x.Kind == token.STRING
					case *ast.Ident:
						// A name of the package's, or of a package the
						// file imports with a dot.
						found = found || consts[x.Name] || locals[x.Name] || imported["."]
					case *ast.SelectorExpr:
						id, ok := x.X.(*ast.Ident)
						found = found || ok && imported[id.Name] // perhaps another package's constant
					}
				}
			}
		}
		return !found
	})
	return found
}

// scanFolded runs the shared expression scan on one file and turns what it
// finds into findings located the way the walker locates them. The file's
// bytes, for its keyscan:allow comments, are read again as parseGoFile
// read them.
func scanFolded(sc *scanner.Scanner, fset *token.FileSet, info *types.Info, strs *constStrings, f *ast.File, relTo, root string) scanner.Findings {
	tf := fset.File(f.FileStart)
	rel := tf.Name()
	if r, err := filepath.Rel(relTo, rel); err == nil {
		rel = r
	}
	rel = filepath.ToSlash(rel)
	var src []byte // read lazily, for keyscan:allow and the archives the byte scan opens
	read := func() []byte {
		if src == nil {
			src, _ = readGoFile(root, tf.Name())
		}
		return src
	}
	return scanFoldedAs(sc, fset, info, strs, f, rel, read)
}

// scanFoldedAs is scanFolded for the file named rel in the findings, whose
// source read gives.
func scanFoldedAs(sc *scanner.Scanner, fset *token.FileSet, info *types.Info, strs *constStrings, f *ast.File, rel string, read func() []byte) scanner.Findings {
	tf := fset.File(f.FileStart)
	var src []byte
	s := exprScan{sc: sc, info: info, strs: strs, tf: tf, name: path.Base(rel), src: read}
	var out scanner.Findings
	for _, x := range s.file(f) {
		if x.member {
			// In an archive a Go value holds: named by its member, as the
			// byte scan names those it opens.
			g := x.f
			g.File = rel + strings.TrimPrefix(g.File, s.name)
			out = append(out, g)
			continue
		}
		src = read()
		if ok, _ := allowDirective(src, tf, x.pos); ok {
			continue
		}
		g := sc.NewFinding(x.f.Kind, rel, x.f.Secret)
		g.Severity, g.Pair, g.Note = x.f.Severity, "", x.f.Note
		g.Context = "assembled by constant folding"
		if !x.folded {
			g.Context = "in a string literal, through escapes"
		}
		if x.f.Context != "" {
			g.Context += "; " + x.f.Context
		}
		start, end := fset.PositionFor(x.pos, false), fset.PositionFor(x.end, false) // the file's own lines: a //line directive names another place (qa31 F12)
		g.Line, g.Column, g.EndLine, g.EndColumn = start.Line, start.Column, end.Line, end.Column
		g.Offset, g.EndOffset = start.Offset, end.Offset
		out = append(out, g)
	}
	return out
}

// emptyImporter stands in for every import with an empty package: folding
// needs only the package's own constants, and resolving imports would need
// the module cache and a build.
type emptyImporter struct{}

func (emptyImporter) Import(p string) (*types.Package, error) {
	pkg := types.NewPackage(p, guessName(p))
	pkg.MarkComplete()
	return pkg, nil
}

// guessName is the usual name of the package at import path p.
func guessName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		if d := path.Dir(p); d != "." {
			base = path.Base(d) // example.com/mod/v2
		}
	}
	if i := strings.Index(base, ".v"); i > 0 {
		base = base[:i] // gopkg.in/yaml.v3
	}
	base = strings.TrimPrefix(base, "go-")
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '.' {
			return '_'
		}
		return r
	}, base)
}

// specName returns the name a file refers to an import by (its own name,
// else the package's usual one) and its path; ok is false when the path
// does not unquote.
func specName(spec *ast.ImportSpec) (name, path string, ok bool) {
	path, err := strconv.Unquote(spec.Path.Value)
	if err != nil {
		return "", "", false
	}
	if spec.Name != nil {
		return spec.Name.Name, path, true
	}
	return guessName(path), path, true
}

// importNames returns the names under which f refers to its imports.
func importNames(f *ast.File) map[string]bool {
	m := map[string]bool{}
	for _, spec := range f.Imports {
		if name, _, ok := specName(spec); ok {
			m[name] = true
		}
	}
	return m
}

// foldedImports returns the import paths of the package whose names appear
// as operands of a string concatenation, in a constant declaration, as
// arguments of a call that builds a string from its arguments (buildsString:
// fmt.Sprint(cfg.Head, cfg.Tail), strings.Join, ReplaceAll, ToUpper) or as
// the value a variable is given (k := cfg.Head before k += cfg.Tail): the
// only imports whose constants can take part in a key. The importer reads
// those from source and leaves the others empty, which keeps the cost of a
// package to the packages it folds with. A package imported with a dot
// names its constants without a qualifier, so it is read whenever its file
// concatenates or declares a constant at all.
func foldedImports(files []*ast.File) map[string]bool {
	out := map[string]bool{}
	for _, f := range files {
		byName := map[string]string{}
		var dotted []string
		for _, spec := range f.Imports {
			name, p, ok := specName(spec)
			if !ok {
				continue
			}
			if name == "." {
				dotted = append(dotted, p)
				continue
			}
			byName[name] = p
		}
		if len(byName) == 0 && len(dotted) == 0 {
			continue
		}
		// builds: the file grows a string with += (k := cfg.Head; k +=
		// cfg.Tail), whose first value an assignment gives.
		builds := false
		ast.Inspect(f, func(n ast.Node) bool {
			if a, ok := n.(*ast.AssignStmt); ok && a.Tok == token.ADD_ASSIGN {
				builds = true
			}
			return !builds
		})
		note := func(e ast.Node) {
			for _, p := range dotted {
				out[p] = true
			}
			ast.Inspect(e, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && byName[id.Name] != "" {
						out[byName[id.Name]] = true
					}
				}
				return true
			})
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op == token.ADD {
					note(n)
					return false
				}
			case *ast.GenDecl:
				if n.Tok == token.CONST {
					note(n)
					return false
				}
			case *ast.CallExpr:
				if buildsString(n) {
					for _, a := range n.Args {
						noteValues(a, note)
					}
				}
			case *ast.AssignStmt:
				if n.Tok == token.ADD_ASSIGN || builds {
					for _, r := range n.Rhs {
						noteValues(r, note)
					}
				}
			case *ast.ValueSpec:
				if builds {
					for _, r := range n.Values {
						noteValues(r, note)
					}
				}
			}
			return true
		})
	}
	return out
}

// noteValues calls note with the values e gives that may be another
// package's constants: e itself when it is pkg.Name or a conversion of it
// (string(pkg.Name)), the elements of a composite literal
// ([]string{cfg.Head, cfg.Tail}), each of those once.
func noteValues(e ast.Expr, note func(ast.Node)) {
	e = ast.Unparen(e)
	if cl, ok := e.(*ast.CompositeLit); ok {
		for _, el := range cl.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			noteValues(el, note)
		}
		return
	}
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		e = ast.Unparen(call.Args[0])
	}
	switch x := e.(type) {
	case *ast.SelectorExpr:
		if _, ok := x.X.(*ast.Ident); ok {
			note(x)
		}
	case *ast.Ident:
		note(x) // a dot import's constant
	}
}

// constFoldedImports is foldedImports for a package the importer reads
// for another (sourceImporter.below): the imports its constants' values
// name, but for constants of a numeric or boolean type (O_RDONLY int =
// syscall.O_RDONLY), which hold no string. The standard library's os, read
// for a candidate of the tree, would read syscall whole otherwise.
func constFoldedImports(files []*ast.File) map[string]bool {
	out := map[string]bool{}
	declared := map[string]ast.Expr{} // the package's types: name -> type
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, spec := range g.Specs {
					ts := spec.(*ast.TypeSpec)
					declared[ts.Name.Name] = ts.Type
				}
			}
		}
	}
	for _, f := range files {
		byName := map[string]string{}
		var dotted []string
		for _, spec := range f.Imports {
			name, p, ok := specName(spec)
			switch {
			case !ok:
			case name == ".":
				dotted = append(dotted, p)
			default:
				byName[name] = p
			}
		}
		if len(byName) == 0 && len(dotted) == 0 {
			continue
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				if vs.Type != nil && !mayBeString(vs.Type, declared, 0) {
					continue
				}
				for _, v := range vs.Values {
					if !stringShaped(v) {
						continue
					}
					ast.Inspect(v, func(n ast.Node) bool {
						switch n := n.(type) {
						case *ast.SelectorExpr:
							if id, ok := n.X.(*ast.Ident); ok && byName[id.Name] != "" {
								out[byName[id.Name]] = true
							}
							return false
						case *ast.Ident:
							for _, p := range dotted {
								out[p] = true
							}
						}
						return true
					})
				}
			}
		}
	}
	return out
}

// stringShaped reports whether a constant's value may be a string folded
// from names: names, pkg.Name, string literals, + and conversions of them
// (const Head = lib2.Pre, lib2.Pre + lib2.Mid, Part(lib2.Pre)). A number,
// another operator or a call (unsafe.Sizeof(x), goos.IsWindows*4096)
// makes no string: runtime's constants name a dozen packages so.
func stringShaped(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return true
	case *ast.BasicLit:
		return e.Kind == token.STRING
	case *ast.ParenExpr:
		return stringShaped(e.X)
	case *ast.BinaryExpr:
		return e.Op == token.ADD && stringShaped(e.X) && stringShaped(e.Y)
	case *ast.CallExpr:
		if len(e.Args) != 1 {
			return false
		}
		switch f := e.Fun.(type) {
		case *ast.Ident:
			if notString[f.Name] || f.Name == "len" || f.Name == "cap" || f.Name == "real" || f.Name == "imag" {
				return false
			}
		case *ast.SelectorExpr:
			if x, ok := f.X.(*ast.Ident); ok && x.Name == "unsafe" {
				return false
			}
		default:
			return false
		}
		return stringShaped(e.Args[0])
	}
	return false
}

// mayBeString reports whether a constant of type t may hold a string: t is
// string, another package's type, or a type of the package (declared)
// whose underlying type may be a string; not a number's type, nor an
// interface (os.Signal = syscall.SIGINT).
func mayBeString(t ast.Expr, declared map[string]ast.Expr, depth int) bool {
	switch t := ast.Unparen(t).(type) {
	case *ast.Ident:
		if notString[t.Name] {
			return false
		}
		if u, ok := declared[t.Name]; ok && depth < 8 {
			return mayBeString(u, declared, depth+1)
		}
		return true
	case *ast.SelectorExpr:
		return true
	}
	return false
}

// notString are the predeclared types of constants that hold no string.
var notString = map[string]bool{"bool": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true, "byte": true, "rune": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true}

// parseGoFile reads and parses the Go file name for a scan without the go
// command; nil when it cannot be read or holds nothing a package could use
// (a file with syntax errors still counts when its declarations parsed).
// The file is read as the walk read it (readGoFile).
func parseGoFile(fset *token.FileSet, root, name string) *ast.File {
	src, err := readGoFile(root, name)
	if err != nil {
		return nil
	}
	f, _ := parseGoSource(fset, name, src)
	return f
}

// parseGoSource is parseGoFile for the source src already read. whole is
// false when declarations the file's tokens show were not read
// (parseRecovered): a key built there is not known, and the caller says so.
func parseGoSource(fset *token.FileSet, name string, src []byte) (f *ast.File, whole bool) {
	f, whole = parseRecovered(fset, name, src, parser.SkipObjectResolution)
	if f == nil || f.Name == nil || !f.Package.IsValid() || len(f.Decls) == 0 {
		return nil, whole
	}
	return f, whole
}

// maxParsedFile bounds a Go file read for type checking: the walk read it
// within max_file_size, and one put in its place since is held to this.
const maxParsedFile = 64 << 20

// readGoFile reads a Go file the walk found, again: without blocking, only
// a regular file, up to a bound (internal/readfile), and, below root, opened
// from root following no link on the way (readfile.FileBeneath), so that a
// folder swapped for a link since the walk does not lead the read out of
// the tree. Outside root (or with no root) only a link at name itself is
// refused.
func readGoFile(root, name string) ([]byte, error) {
	if root != "" && pathname.Within(root, name) {
		if rel, err := filepath.Rel(root, name); err == nil && rel != "." {
			return readfile.FileBeneath(root, filepath.ToSlash(rel), maxParsedFile)
		}
	}
	return readfile.File(name, true, maxParsedFile)
}

// FileImports returns the import paths of the Go source src by the name
// the file refers to each by ("." for those it imports with a dot, which
// may be several), as the type-checked scan names them; nil when the
// package clause or imports do not parse. Only the imports are parsed.
func FileImports(src []byte) map[string][]string {
	f, err := parseLenient(token.NewFileSet(), "", src, parser.ImportsOnly|parser.SkipObjectResolution)
	if f == nil || err != nil && len(f.Imports) == 0 {
		return nil
	}
	out := map[string][]string{}
	for _, spec := range f.Imports {
		if name, p, ok := specName(spec); ok {
			out[name] = append(out[name], p)
		}
	}
	return out
}

// parseLenient is parser.ParseFile for a file keyscan reads though it may
// not build. go/parser gives no syntax at all (an empty file) when the
// package clause does not parse ("don't bother parsing the rest"), so one stray line before
// `package` or a name such as `9main` hid every key the file builds from
// constants (qa29 H5), while the partial syntax of any later error is
// folded (qa28 M1). When the parse gives nothing, the source is mended and
// parsed again: everything before the first line that starts with
// `package` is blanked, the clause's name is made an identifier and the
// rest of its line is blanked (or, with no such line, the first line is
// written over with a package clause when it is long enough). Bytes are
// replaced, never removed or added, and line breaks are kept, so every
// offset, line and column of the mended file is the original's and the
// findings point at the file as it is.
func parseLenient(fset *token.FileSet, name string, src []byte, mode parser.Mode) (*ast.File, error) {
	// AllErrors: without it go/parser gives up after ten errors on
	// different lines and returns an empty file, so a dozen broken lines
	// after a key built from constants hid it (qa31 F13).
	mode |= parser.AllErrors
	f, err := parser.ParseFile(fset, name, src, mode)
	if err == nil || f != nil && f.Package.IsValid() {
		return f, err
	}
	fixed := mendPackageClause(src)
	if fixed == nil {
		return f, err
	}
	g, gerr := parser.ParseFile(fset, name, fixed, mode)
	if g != nil && g.Package.IsValid() {
		if f != nil {
			fset.RemoveFile(fset.File(f.FileStart)) // one file in the set for one parsed
		}
		return g, gerr
	}
	if g != nil {
		fset.RemoveFile(fset.File(g.FileStart))
	}
	return f, err
}

// mendPackageClause returns src with a package clause the parser can read
// and every offset kept (parseLenient), or nil when it cannot make one.
func mendPackageClause(src []byte) []byte {
	out := slices.Clone(src)
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	for at := 0; at < len(out); {
		end := len(out)
		if i := slices.Index(out[at:], byte('\n')); i >= 0 {
			end = at + i
		}
		line := out[at:end]
		lead := len(line) - len(strings.TrimLeft(string(line), " \t\ufeff"))
		rest := line[lead:]
		if len(rest) > len("package") && string(rest[:len("package")]) == "package" && (rest[7] == ' ' || rest[7] == '\t') {
			blank(0, at+lead) // and the line's lead: a second byte order mark there is no Go (qa31 F13)
			n := at + lead + len("package")
			for n < end && (out[n] == ' ' || out[n] == '\t') {
				n++
			}
			m := n
			for m < end && out[m] != ' ' && out[m] != '\t' && out[m] != '\r' && out[m] != ';' {
				m++
			}
			if m == n {
				return nil
			}
			for i := n; i < m; i++ {
				if c := out[i]; !(c == '_' || isASCIILetter(c) || '0' <= c && c <= '9') {
					out[i] = '_'
				}
			}
			if '0' <= out[n] && out[n] <= '9' {
				out[n] = '_'
			}
			if m == n+1 && out[n] == '_' {
				out[n] = 'p'
			}
			if m == end || out[m] != ';' {
				blank(m, end) // `package main extra`, or a comment opened there
			}
			return out
		}
		at = end + 1
	}
	// No line starts a package clause: write one over the first line.
	const clause = "package p"
	end := slices.Index(out, byte('\n'))
	if end < len(clause) {
		return nil
	}
	blank(0, end)
	copy(out, clause)
	return out
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// declaredNames returns the names f declares at the package level: its
// constants, variables, types and functions (not methods).
func declaredNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name != "init" && d.Name.Name != "_" {
				names[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch sp := spec.(type) {
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						if n.Name != "_" {
							names[n.Name] = true
						}
					}
				case *ast.TypeSpec:
					names[sp.Name.Name] = true
				}
			}
		}
	}
	return names
}

// sharesName reports whether f declares any of names at the package level.
func sharesName(names map[string]bool, f *ast.File) bool {
	for n := range declaredNames(f) {
		if names[n] {
			return true
		}
	}
	return false
}

// dropRepeated returns fs without the findings at the same place, of the
// same rule and value, as one before them.
func dropRepeated(fs scanner.Findings) scanner.Findings {
	type place struct {
		file, rule, secret string
		line, col          int
	}
	seen := map[place]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := place{f.File, f.Rule, f.Secret, f.Line, f.Column}
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}
