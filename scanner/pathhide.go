package scanner

import (
	"slices"
	"strings"
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

// HidePaths returns fs with every key ID, secret and session token that a
// path a finding shows (File, RepoPath, Paths) holds redacted: those the
// findings of fs and extra found in paths, and those sc.ScanPath finds in
// the path (sc nil: only the former). fs is copied only when a path holds
// a value.
func (sc *Scanner) HidePaths(fs Findings, extra ...Findings) Findings {
	hide := sc.PathHider(append(extra, fs)...)
	return fs.Edited(func(f *Finding) bool {
		return hide(f.File) != f.File || hide(f.RepoPath) != f.RepoPath ||
			slices.ContainsFunc(f.Paths, func(p string) bool { return hide(p) != p })
	}, func(f *Finding) { f.MapPaths(hide) })
}

// PathHider returns the function HidePaths applies to each path: it
// redacts the key IDs, secrets and session tokens that the findings of lists found
// in paths, and those sc.ScanPath finds in the path itself (sc nil: only
// the former). It takes any text that shows paths, such as a warning
// ("keys/<secret>/fifo: not a regular file"), which the commands print
// unless --show-secrets, as they print the findings' paths.
//
// A secret with a '/' can be saved as folders: keys/<first part>/<rest>.
// The file that completes it is a finding, but its siblings in the first
// folder (keys/<first part>/creds.ini) show the first part, most of the
// value, and no scan of that path alone finds it. So a part of a known
// secret that ends a folder's name is redacted too, when it is long enough
// to matter (minPart).
func (sc *Scanner) PathHider(lists ...Findings) func(string) string {
	var known []string
	for _, list := range lists {
		for i := range list {
			if f := &list[i]; f.InPath && f.Secret != "" && !slices.Contains(known, f.Secret) {
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
				if f.Secret != "" {
					vs = append(vs, f.Secret)
				}
			}
			inFolder[prefix] = vs
		}
		return vs
	}
	memo := map[string]string{}
	return func(p string) string {
		if h, ok := memo[p]; ok {
			return h
		}
		h := redactValues(p, known)
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
			// A warning names the path first ("PATH: unreadable member"):
			// the path alone, whose extension then ends it (qa12 LOW-4).
			if i := strings.Index(h, ": "); i > 0 {
				found = append(found, valuesIn(h[:i])...)
			}
			h = redactValues(h, found)
		}
		memo[p] = h
		return h
	}
}

// minPart is the shortest part of a secret, split at one of its '/', that
// is redacted where it ends a folder's name: shorter parts tell little,
// and redacting them would garble ordinary paths.
const minPart = 8

// redactValues redacts each of values in p, whole, then each first part
// of one that a '/' of the value ends and that ends a folder's name in p.
// The longest values go first: a session token cut into folders is found
// at each folder as a value that the next one extends, and redacting a
// shorter one first would leave the rest of the longer in clear.
func redactValues(p string, values []string) string {
	if len(values) > 1 {
		values = slices.Clone(values)
		slices.SortStableFunc(values, func(a, b string) int { return len(b) - len(a) })
	}
	for _, v := range values {
		p = strings.ReplaceAll(p, v, Redact(v))
	}
	for _, v := range values {
		for k := len(v) - 1; k >= minPart; k-- {
			if v[k] == '/' {
				p = strings.ReplaceAll(p, v[:k+1], Redact(v[:k])+"/")
			}
		}
	}
	return p
}
