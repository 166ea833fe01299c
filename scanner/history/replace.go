package history

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ReplaceMarker is what a history rewrite puts in place of each value.
const ReplaceMarker = "***REMOVED***"

// WriteReplaceText writes an expressions file for `git filter-repo
// --replace-text`: one "literal==>***REMOVED***" line per literal (see
// Result.Literals). The file holds the secrets themselves, by necessity.
func WriteReplaceText(w io.Writer, literals []string) error {
	bw := bufio.NewWriter(w)
	for _, l := range literals {
		// filter-repo reads one expression per line and treats a line
		// starting with "regex:" or "glob:" specially; credential values
		// and their encodings hold neither newlines nor colons, but refuse
		// rather than write an expression that means something else.
		if l == "" || strings.ContainsAny(l, "\r\n") || strings.Contains(l, "==>") ||
			strings.HasPrefix(l, "regex:") || strings.HasPrefix(l, "glob:") || strings.HasPrefix(l, "literal:") {
			return fmt.Errorf("value %q cannot be written as a filter-repo literal", redactLiteral(l))
		}
		fmt.Fprintf(bw, "%s==>%s\n", l, ReplaceMarker)
	}
	return bw.Flush()
}

func redactLiteral(s string) string {
	if len(s) <= 8 {
		return "********"
	}
	return s[:4] + "…" + s[len(s)-4:]
}
