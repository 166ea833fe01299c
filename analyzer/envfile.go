package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// An env-file loader (github.com/joho/godotenv, github.com/subosito/gotenv
// and their forks) copies a file's variables into the process environment:
// godotenv.Load() reads .env, which is where a developer's
// AWS_ENDPOINT_URL=http://localhost:9000 for MinIO lives (qa15 HIGH-6).
// aws-sdk-go-v2 reads that variable, so such a call is an environment write
// whose names keyscan cannot read, as os.Setenv(k, v) is. The file itself
// is not read: where the program runs from decides which file it loads,
// and the .env of a developer is often not in the repository at all.

// isEnvFileLoader reports whether the package at importPath loads env files
// into the environment: its last element (a major version suffix aside)
// names dotenv or gotenv.
func isEnvFileLoader(importPath string) bool {
	base := strings.ToLower(lastElem(importPath))
	return strings.Contains(base, "dotenv") || strings.Contains(base, "gotenv")
}

// envFileReaders are the functions of the loaders that return what a file
// holds without writing the environment (godotenv.Read, gotenv.Parse, ...),
// or run another process with it (godotenv.Exec): a call of any other
// function of a loader counts as a write.
var envFileReaders = map[string]bool{
	"Parse": true, "StrictParse": true, "Read": true, "Unmarshal": true,
	"UnmarshalBytes": true, "Marshal": true, "Write": true, "Exec": true,
}

// isAutoload reports whether importing importPath for its effect loads an
// env file: github.com/joho/godotenv/autoload, whose init calls Load.
func isAutoload(importPath string) bool {
	return path.Base(importPath) == "autoload" && isEnvFileLoader(path.Dir(importPath))
}

// envFileWrite is envSetting's answer for a call of fn (named name) of the
// package at importPath, or "" when it writes no environment variable.
func envFileWrite(importPath, name string, fset *token.FileSet, call *ast.CallExpr) string {
	if !isEnvFileLoader(importPath) || envFileReaders[name] || !ast.IsExported(name) {
		return ""
	}
	pos := fset.PositionFor(call.Pos(), false)
	return fmt.Sprintf("%senvironment variables loaded from a file by %s at %s:%d (it may set AWS_ENDPOINT_URL)",
		opaqueMark, exprString(call.Fun), filepath.Base(pos.Filename), pos.Line)
}

// autoloadImport returns envSetting's answer for a file that imports an
// autoload package, or "".
func autoloadImport(fset *token.FileSet, f *ast.File) string {
	for _, is := range f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil || !isAutoload(p) {
			continue
		}
		pos := fset.PositionFor(is.Pos(), false)
		return fmt.Sprintf("%senvironment variables loaded from a file by the import of %s at %s:%d (it may set AWS_ENDPOINT_URL)",
			opaqueMark, p, filepath.Base(pos.Filename), pos.Line)
	}
	return ""
}

// untypedEnvWrite is envSetting's answer for a call of a file read without
// types: os.Setenv and the like by the selector's name (see envWrite), a
// loader's function by the import path the selector's package name stands
// for in f.
func untypedEnvWrite(fset *token.FileSet, f *ast.File, call *ast.CallExpr) string {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if x, ok := sel.X.(*ast.Ident); ok {
		if p := importPathOf(f, x.Name); p != "" {
			if why := envFileWrite(p, sel.Sel.Name, fset, call); why != "" {
				return why
			}
		}
	}
	if sel.Sel.Name != "Setenv" || len(call.Args) != 2 {
		return ""
	}
	v, known := stringLit(call.Args[0])
	return envWrite(v, known, fset, call)
}

// stringLit returns the value of e when it is a string literal.
func stringLit(e ast.Expr) (string, bool) {
	lit, ok := ast.Unparen(e).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

// importPathOf returns the import path that name stands for in f, or "".
// An import without a name is taken to be called by its path's last
// element, or the one before a major version suffix.
func importPathOf(f *ast.File, name string) string {
	for _, is := range f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		if is.Name != nil {
			if is.Name.Name == name {
				return p
			}
			continue
		}
		if base := lastElem(p); base == name || strings.TrimPrefix(base, "go-") == name {
			return p
		}
	}
	return ""
}

// lastElem returns the last element of an import path, or the one before a
// major version suffix (gopkg.in-style .vN aside).
func lastElem(importPath string) string {
	base := path.Base(importPath)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(importPath))
	}
	return base
}
