package receive

import (
	"slices"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// A ref name is pushed content too: every clone lists it, and a branch named
// after a key ID publishes the key ID. The names of the refs a push creates
// are scanned like a one-line file; a ref that already exists was checked
// when it was created. Nothing that shows a ref name (the refusal, the audit
// log, a finding's path) may show the key, so a name that holds a finding is
// shown with each value redacted.

// refNamePath is the pseudo-path of a finding in a created ref's name:
// "ref <name> (name)", the name redacted.
func refNamePath(redacted string) string { return "ref " + redacted + " (name)" }

// scanRefNames returns the findings in the names of the refs updates
// create, and the redacted form of each name that holds one.
func scanRefNames(sc *scanner.Scanner, updates []Update) (scanner.Findings, map[string]string) {
	var out scanner.Findings
	redacted := map[string]string{}
	for _, u := range updates {
		if !u.Creates() || redacted[u.Ref] != "" {
			continue
		}
		fs := sc.Scan("ref", []byte(u.Ref))
		if len(fs) == 0 {
			continue
		}
		r := redactRef(u.Ref, fs)
		redacted[u.Ref] = r
		// Scanned again under the path the report shows: a finding's
		// fingerprint depends on its path.
		for _, f := range sc.Scan(refNamePath(r), []byte(u.Ref)) {
			f.Note = joinNote(f.Note, "in the name of a ref the push creates")
			f.Paths = []string{f.File}
			out = append(out, f)
		}
	}
	return out, redacted
}

// redactRef returns ref name s, which holds the findings fs, with nothing
// of a value left but what a report shows of it: after the namespace
// (refs/heads/, refs/tags/, refs/<kind>/), a component that holds a whole
// value is redacted as a value is (AKIA************XXEC), and any other
// component of 8 bytes or more, which may hold part of a value (a secret
// holds '/'), is hidden.
func redactRef(s string, fs scanner.Findings) string {
	parts := strings.Split(s, "/")
	keep := min(len(parts)-1, 2) // "refs", its kind
	for i := keep; i < len(parts); i++ {
		p := parts[i]
		if len(p) < 8 {
			continue
		}
		whole := slices.ContainsFunc(fs, func(f scanner.Finding) bool {
			return f.Secret != "" && strings.Contains(p, f.Secret)
		})
		if whole {
			parts[i] = scanner.Redact(p)
		} else {
			parts[i] = "********"
		}
	}
	return strings.Join(parts, "/")
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
