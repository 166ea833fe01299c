package scanner

import (
	"slices"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// pathAdvice starts the suggestion of a credential found in a path.
const pathAdvice = "The credential is in a file or folder name: rename it (git keeps the old name in its history, and listings, logs and archives show names to anyone)."

// ScanPath scans a path, a file's, an archive member's or a tree entry's,
// as text: a file named after a key ID, or `aws_secret_access_key=<secret>`
// saved as a name, leaks the key as its content would. name is the path as
// findings name it ('/'-separated; archive members after '!'); only the
// findings that reach past byte from of name are kept, so that a folder's
// name, scanned once as its own entry, is not reported again for every
// file below it, while a secret whose '/' split it into folders is still
// found at the file that ends it. Findings have InPath set, no line, and
// Offset and EndOffset in name; test keys are marked as ScanAll marks them.
func (s *Scanner) ScanPath(name string, from int) Findings {
	if !credentialRun(name) {
		return nil
	}
	fs := s.ScanAll(name, []byte(name))
	if stem := withoutExtension(name); stem != name {
		// keys/aws_secret_access_key=<secret>.txt: a value the matcher
		// does not end at a '.' and letters (in text they may go on a
		// file name or a host) ends at the extension of a name (qa12
		// LOW-4). The stem is a prefix of name: offsets hold.
		for _, f := range s.ScanAll(name, []byte(stem)) {
			dup := false
			for _, g := range fs {
				dup = dup || g.Rule == f.Rule && g.Offset == f.Offset
			}
			if !dup {
				fs = append(fs, f)
			}
		}
	}
	fs = s.withUnderscoredKeyIDs(name, []byte(name), fs)
	out := fs[:0]
	for _, f := range fs {
		if f.EndOffset <= from {
			continue
		}
		f.InPath = true
		f.Line, f.Column, f.EndLine, f.EndColumn = 0, 0, 0, 0
		e := rules.ExposureOf(f.Kind, f.Secret, "")
		if e == rules.SecretOnly {
			e = rules.LongTermKey
		}
		f.Suggestion = withResponse(pathAdvice, e)
		out = append(out, f)
	}
	return out
}

// ScanName is Scan for a text that is a name, not a file's content: a
// ref's (refs/heads/feature_<key ID>), which is published as a path is and
// is made of words the same separators join. So a name follows the path
// rule for '_' (see withUnderscoredKeyIDs): one rule for every name, or a
// branch named as a refused file is would pass the gate (qa37 M6).
func (s *Scanner) ScanName(name string, text []byte) Findings {
	return s.withUnderscoredKeyIDs(name, text, s.ScanAll(name, text)).reported()
}

// withUnderscoredKeyIDs adds to fs, the findings of ScanAll(name, text),
// the key IDs text holds joined to a word by '_'. backup_<key ID>.csv: in
// a name '_' joins words as '-' and '.' do (qa36 M6), while in text it is
// a word's letter, and a key ID glued to one (prod_<key ID> in code)
// follows the text rules. So text is read again with the '_' beside a
// whole 20-character token as '-', for key IDs only: the same length, so
// offsets hold, and the matcher still judges the token.
func (s *Scanner) withUnderscoredKeyIDs(name string, text []byte, fs Findings) Findings {
	sep := underscoreKeyIDs(string(text))
	if sep == string(text) {
		return fs
	}
	for _, f := range s.ScanAll(name, []byte(sep)) {
		if f.Kind != rules.AccessKeyID || slices.ContainsFunc(fs, func(g Finding) bool { return g.Rule == f.Rule && g.Offset == f.Offset }) {
			continue
		}
		fs = append(fs, f)
	}
	return fs
}

// underscoreKeyIDs returns name with each '_' that touches a token of
// exactly 20 upper-case letters and digits (a key ID's shape; tokens end
// at any other character) made a '-'; name itself when there is none.
func underscoreKeyIDs(name string) string {
	var b []byte
	for i := 0; i < len(name); {
		if !keyIDChar(name[i]) {
			i++
			continue
		}
		j := i
		upper := true
		for j < len(name) && isAlnum(name[j]) {
			upper = upper && keyIDChar(name[j])
			j++
		}
		if upper && j-i == 20 && (i > 0 && name[i-1] == '_' || j < len(name) && name[j] == '_') {
			if b == nil {
				b = []byte(name)
			}
			if i > 0 && b[i-1] == '_' {
				b[i-1] = '-'
			}
			if j < len(b) && b[j] == '_' {
				b[j] = '-'
			}
		}
		i = j
	}
	if b == nil {
		return name
	}
	return string(b)
}

// keyIDChar reports whether c is an upper-case letter or a digit.
func keyIDChar(c byte) bool { return isUpper(c) || isDigit(c) }

// withoutExtension returns name without the extension of its last
// component (after the last '/' or '!'): a '.' then 1 to 8 letters or
// digits, after a character of a key's alphabet; name itself when it has
// none.
func withoutExtension(name string) string {
	dot := strings.LastIndexByte(name, '.')
	if dot < 1 || strings.LastIndexAny(name, "/!") > dot || len(name)-dot-1 < 1 || len(name)-dot-1 > 8 {
		return name
	}
	for i := dot + 1; i < len(name); i++ {
		if c := name[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return name
		}
	}
	if c := name[dot-1]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '+' || c == '=') {
		return name
	}
	return name[:dot]
}

// credentialRun reports whether p holds a run of at least 20 characters of
// a key's alphabet (letters, digits, '+', '/', '='): a key ID is 20 of them,
// a secret 40, even when its '/' made folders of it. Most paths have none
// and are not scanned.
func credentialRun(p string) bool {
	run := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '+' || c == '/' || c == '=' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			if run++; run >= 20 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// WithoutPathPrefixes returns fs without the findings in paths that a
// longer finding of the same rule extends from the same place of a path
// below theirs. A session token has no fixed length and holds '/' many
// times: saved as a path, it is cut into folders, and each folder whose
// name ends a long enough part of it is a finding of its own, the token
// cut short there (ScanPath keeps what reaches into an entry's own name).
// The deepest finding holds the whole token (and the name of the file
// below it, which a run of base64 takes in): it is kept, or, where the
// token's last folder holds several files, that folder's finding. A secret (40 characters) is found at one level only and is never
// dropped. fs's array is reused.
func (fs Findings) WithoutPathPrefixes() Findings {
	var in []int
	for i := range fs {
		if f := &fs[i]; f.InPath && f.Kind != rules.AccessKeyID && f.Secret != "" {
			in = append(in, i)
		}
	}
	if len(in) < 2 {
		return fs
	}
	// In the order of their values, the values that extend one follow it.
	slices.SortFunc(in, func(a, b int) int { return strings.Compare(fs[a].Secret, fs[b].Secret) })
	drop := map[int]bool{}
	for k, i := range in {
		f := &fs[i]
		for _, j := range in[k+1:] {
			g := &fs[j]
			if !strings.HasPrefix(g.Secret, f.Secret) {
				break
			}
			if extendsInPath(f, g) {
				drop[i] = true
				break
			}
		}
	}
	if len(drop) == 0 {
		return fs
	}
	// A folder the token ends in that holds several files is found once
	// for each, the token with the file's name after it: the folder's own
	// finding stands for them (the deepest such folder first).
	for k := len(in) - 1; k >= 0; k-- {
		f := &fs[in[k]]
		if !drop[in[k]] {
			continue
		}
		var below []int
		for _, j := range in[k+1:] {
			if g := &fs[j]; !strings.HasPrefix(g.Secret, f.Secret) {
				break
			} else if !drop[j] && extendsInPath(f, g) {
				below = append(below, j)
			}
		}
		if len(below) >= 2 {
			delete(drop, in[k])
			for _, j := range below {
				drop[j] = true
			}
		}
	}
	out := fs[:0]
	for i := range fs {
		if !drop[i] {
			out = append(out, fs[i])
		}
	}
	return out
}

// extendsInPath reports whether g, a finding in a path, is f's value found
// further down the same path: same rule, same start, a longer value, and
// g's path the same as f's up to the end of f's value.
func extendsInPath(f, g *Finding) bool {
	pf, pg := f.RepoPath, g.RepoPath
	if pf == "" || pg == "" {
		pf, pg = f.File, g.File
	}
	return g.Rule == f.Rule && g.Offset == f.Offset && len(g.Secret) > len(f.Secret) &&
		f.EndOffset <= len(pf) && f.EndOffset < len(pg) && pf[:f.EndOffset] == pg[:f.EndOffset]
}
