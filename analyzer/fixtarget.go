package analyzer

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/keyscan/keyscan/internal/pathname"
)

// go fix (Go 1.26 runs the analyzer's suggested fixes itself), gopls and
// any other driver write an edit to the file its position names, by that
// name: a Go file of the package that is a symbolic link is written where
// the link points, which may be outside the module (qa33 M2: mod/creds.go
// -> /outside/creds.go lost its Credentials field), and one with more
// than one hard link is changed under its other names too. keyscan fix
// refuses both (fix.WriteFileUnder); the analyzer cannot choose how the
// driver writes, so it offers no edit to such a file, and the diagnostic
// still reports the key and says why there is no fix.

//
// A driver may also name the file by the path a link resolves to (an
// editor that opened it through the link): then the file's real path lies
// outside the module, or the package's files lie in more than one folder,
// which the go command never gives; either is no fix too.

// Advice appended to the no-fix advice for a file the fix is not offered to.
const (
	adviceLinked     = " (the file is a symbolic link to %s: keyscan offers go fix and gopls no edit to a file through a link, which may lead out of the module; make the change by hand in the file it points to)"
	adviceHardLinked = " (the file has %d hard links: an edit would change the file under its other names too; keyscan offers go fix and gopls no edit to it; make the change by hand)"
	adviceReadOnly   = " (the file is read-only: keyscan offers go fix and gopls no edit to it, as keyscan fix does not rewrite it; make it writable or make the change by hand)"
	adviceOutside    = " (the file lies at %s, outside the module at %s: keyscan offers go fix and gopls no edit to it; make the change by hand)"
	adviceSplit      = " (the package's files lie in more than one folder, %s and %s, as a link resolved would put them: keyscan offers go fix and gopls no edit to it; make the change by hand)"
)

// unwritable returns why the files fix edits must not be written through
// their names (a symbolic link, more than one hard link), as advice to
// append, or "" when every one is a plain file.
func (c *checker) unwritable(fix *analysis.SuggestedFix) string {
	seen := map[string]bool{}
	for _, e := range fix.TextEdits {
		tf := c.pass.Fset.File(e.Pos)
		if tf == nil || seen[tf.Name()] {
			continue
		}
		seen[tf.Name()] = true
		if why := fileUnwritable(tf.Name()); why != "" {
			return why
		}
		if why := c.outsideModule(tf.Name()); why != "" {
			return why
		}
	}
	if a, b := packageFolders(c.pass); b != "" {
		return fmt.Sprintf(adviceSplit, a, b)
	}
	return ""
}

// outsideModule says why name, whose real path (links resolved) lies
// outside the real path of the module root, gets no edit ("" when inside,
// or when the module root is unknown).
func (c *checker) outsideModule(name string) string {
	if c.root == "" || !filepath.IsAbs(name) {
		return ""
	}
	realRoot, err := filepath.EvalSymlinks(c.root)
	if err != nil {
		return ""
	}
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return ""
	}
	if !pathname.Within(realRoot, real) {
		return fmt.Sprintf(adviceOutside, real, c.root)
	}
	return ""
}

// packageFolders returns two folders the package's own files (not cgo's
// output) lie in when they lie in more than one, else "", "".
func packageFolders(pass *analysis.Pass) (string, string) {
	first := ""
	for _, f := range pass.Files {
		name := pass.Fset.File(f.FileStart).Name()
		if strings.HasPrefix(filepath.Base(name), "_cgo_") || strings.HasSuffix(name, ".cgo1.go") || !filepath.IsAbs(name) {
			continue
		}
		switch d := filepath.Dir(name); {
		case first == "":
			first = d
		case d != first:
			return first, d
		}
	}
	return "", ""
}

// fileUnwritable says why the file at name must not be edited in place
// ("" when it is a regular file with one name, or cannot be looked at:
// then the driver's write fails as well).
func fileUnwritable(name string) string {
	st, err := os.Lstat(name)
	if err != nil {
		return ""
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		dest, err := os.Readlink(name)
		if err != nil {
			dest = "?"
		}
		return fmt.Sprintf(adviceLinked, dest)
	}
	if n := linkCount(st); n > 1 {
		return fmt.Sprintf(adviceHardLinked, n)
	}
	if st.Mode().Perm()&0o222 == 0 {
		return adviceReadOnly // as keyscan fix refuses it (fix/write.go): someone made it so (qa33)
	}
	return ""
}
