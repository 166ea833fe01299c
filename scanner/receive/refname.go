package receive

import (
	"strconv"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
)

// A ref name is pushed content too (see scanner/history's refname.go, which
// scans it for the gate as for keyscan history and the pre-push hook): the
// names of the refs a push creates are scanned; a ref that already exists
// was checked when it was created.

// scanRefNames returns the findings in the names of the refs updates
// create (history.ScanRefName), and the redacted form of each name that
// holds one.
func scanRefNames(sc *scanner.Scanner, updates []Update) (scanner.Findings, map[string]string) {
	var out scanner.Findings
	redacted := map[string]string{}
	for _, u := range updates {
		if !u.Creates() || redacted[u.Ref] != "" {
			continue
		}
		fs, r := history.ScanRefName(sc, u.Ref)
		if len(fs) == 0 {
			continue
		}
		redacted[u.Ref] = r
		for _, f := range fs {
			f.Note = joinNote(f.Note, "in the name of a ref the push creates")
			out = append(out, f)
		}
	}
	return out, redacted
}

// redactToken quotes at most a short, redacted prefix of a token from
// standard input that is not what git sends: a malformed line may hold
// anything, a secret included, and the error is shown and logged.
// No AWS key is 8 bytes or shorter, so such a token is quoted whole.
func redactToken(s string) string {
	if len(s) <= 8 {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:4]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
