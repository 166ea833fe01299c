package analyzer

import (
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/tools/go/analysis"
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

// Advice appended to the no-fix advice for a file the fix is not offered to.
const (
	adviceLinked     = " (the file is a symbolic link to %s: keyscan offers go fix and gopls no edit to a file through a link, which may lead out of the module; make the change by hand in the file it points to)"
	adviceHardLinked = " (the file has %d hard links: an edit would change the file under its other names too; keyscan offers go fix and gopls no edit to it; make the change by hand)"
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
	}
	return ""
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
	return ""
}
