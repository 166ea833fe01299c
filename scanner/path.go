package scanner

import "github.com/keyscan/keyscan/rules"

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
