package scanner

import (
	"slices"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// A credential can be in a path: a file named after a key ID, a secret
// saved as a folder's name (ScanPath, Finding.InPath). Redacting a
// finding's value is then not enough: its file, and the file of every
// finding below that folder, spell the value out, and the path's own
// finding need not be in the same report (the gate reports a file a push
// adds below a folder an earlier push made). So the paths a report shows
// are scanned themselves, and what they hold is redacted with the same
// Redact; the fingerprint still tells findings apart. Text and JSON show
// paths whole with --show-secrets; SARIF, the baseline and the pre-receive
// refusal and audit log never hold a secret.

// HidePaths returns fs with every secret and session token that a path a
// finding shows (File, RepoPath, Paths) holds redacted: those the findings
// of fs and extra found in paths, and those sc.ScanPath finds in the path
// (sc nil: only the former). A key ID alone grants nothing and the text report shows
// it whole, so a file named after one keeps its name, which is what the
// person renaming it needs. fs is copied only when a path holds a value.
func (sc *Scanner) HidePaths(fs Findings, extra ...Findings) Findings {
	var known []string
	for _, list := range append(extra, fs) {
		for i := range list {
			if f := &list[i]; f.InPath && f.Kind != rules.AccessKeyID && f.Secret != "" && !slices.Contains(known, f.Secret) {
				known = append(known, f.Secret)
			}
		}
	}
	// The values in a folder's path, asked once for every path below it.
	inFolder := map[string][]string{}
	valuesIn := func(prefix string) []string {
		vs, ok := inFolder[prefix]
		if !ok {
			for _, f := range sc.ScanPath(prefix, 0) { // nothing unless a run of 20 could be a value
				if f.Kind != rules.AccessKeyID && f.Secret != "" {
					vs = append(vs, f.Secret)
				}
			}
			inFolder[prefix] = vs
		}
		return vs
	}
	memo := map[string]string{}
	hide := func(p string) string {
		if h, ok := memo[p]; ok {
			return h
		}
		h := p
		for _, v := range known {
			h = strings.ReplaceAll(h, v, Redact(v))
		}
		if sc != nil {
			// Each folder on the path, as the walk scans it, and the
			// whole: a secret whose '/' made folders of it ends at a
			// folder's end, and the name below it makes the run too long.
			var found []string
			for end := 0; end < len(h); {
				next := strings.IndexByte(h[end+1:], '/')
				if next < 0 {
					end = len(h)
				} else {
					end += 1 + next
				}
				found = append(found, valuesIn(h[:end])...)
			}
			for _, v := range found {
				h = strings.ReplaceAll(h, v, Redact(v))
			}
		}
		memo[p] = h
		return h
	}
	return fs.Edited(func(f *Finding) bool {
		return hide(f.File) != f.File || hide(f.RepoPath) != f.RepoPath ||
			slices.ContainsFunc(f.Paths, func(p string) bool { return hide(p) != p })
	}, func(f *Finding) { f.MapPaths(hide) })
}
