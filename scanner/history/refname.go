package history

import (
	"slices"
	"strings"

	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// A ref's name is published as its objects are: every clone, fetch and
// git ls-remote lists it, and a branch named after a key ID publishes the
// key ID. So a scan reads the names of the refs it starts from as it reads
// their messages (see tips), and the pre-receive gate (scanner/receive)
// the names of the refs a push creates, with the same functions: a
// developer's scan, the pre-push hook and the gate judge a name alike, and
// give its finding the same path and fingerprint. Nothing that shows a ref
// name (a finding's path, the gate's refusal and audit log) may show the
// key, so a name that holds a finding is shown with each value redacted.

// RefNamePath is the pseudo-path of a finding in a ref's name:
// "ref <name> (name)", the name redacted (see RedactRef).
func RefNamePath(redacted string) string { return "ref " + redacted + " (name)" }

// IsRefNamePath reports whether p is the pseudo-path of a finding in a
// ref's name.
func IsRefNamePath(p string) bool {
	return strings.HasPrefix(p, "ref ") && strings.HasSuffix(p, " (name)")
}

// ScanRefName scans the full name of a ref (refs/heads/x, as git names it)
// as a one-line file, read as a name (scanner.Scanner.ScanName: '_'
// separates a key ID as in a path). It returns the findings, at RefNamePath of the
// redacted name, and the redacted name; none for a name that holds no
// credential.
func ScanRefName(sc *scanner.Scanner, name string) (scanner.Findings, string) {
	text := refText(name)
	fs := withoutKeyIDSecrets(sc.ScanName("ref", text))
	if len(fs) == 0 {
		return nil, ""
	}
	r := RedactRef(name, fs)
	// Scanned again under the path the report shows: a finding's
	// fingerprint depends on its path.
	fs = withoutKeyIDSecrets(sc.ScanName(RefNamePath(r), text))
	for i := range fs {
		fs[i].Paths = []string{fs[i].File}
		fs[i].Logical = scanner.LogicalRefName
		fs[i].Suggestion = refSuggestion(fs[i], fs)
	}
	return fs, r
}

// refText returns the text a ref's name is scanned as: the name, with the
// separator between a secret's name or a key ID and a secret-shaped value
// read as an assignment. A name's components are one text, but a ref name
// cannot hold '=', ':' or a space, so a secret is put in one after a word
// (refs/heads/aws_secret_access_key/SECRET, refs/tags/
// AWS_SECRET_ACCESS_KEY-SECRET) or after its key ID (refs/heads/AKIA…/
// SECRET) with '/', '-', '_' or '.', which the matcher takes for no
// assignment at all (and a '/' before it, in the secret's alphabet, makes
// the run too long to be one; qa24 L3). Such a separator, followed by 40
// characters of a secret's alphabet that end the name or a component, is
// read as '=' (and the '/' that ends it as a space): the text keeps the
// name's length, so every column is the name's. Whether the word names a
// secret, whether the ID is a key ID and the value a secret is the
// matcher's judgement, as for "aws_secret_access_key=…" in a file; a
// 40-character component with no such neighbour is left as it is.
func refText(name string) []byte {
	t := []byte(name)
	for p := 1; p+secretLen < len(name); p++ {
		if !isRefSeparator(name[p]) || !afterSecretNameOrKeyID(name[:p]) {
			continue
		}
		v, end := name[p+1:p+1+secretLen], p+1+secretLen
		if strings.IndexFunc(v, notSecretByte) >= 0 || (end < len(name) && name[end] != '/') {
			continue
		}
		t[p] = '='
		if end < len(name) {
			t[end] = ' '
		}
	}
	return t
}

func isRefSeparator(c byte) bool { return c == '/' || c == '-' || c == '_' || c == '.' }

func notSecretByte(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '+' || r == '/')
}

// afterSecretNameOrKeyID reports whether s ends in a word that may name a
// secret (…key, …secret, any case) or in 20 capitals and digits that may be
// a key ID (AKIA…): only there is a separator taken for an assignment.
func afterSecretNameOrKeyID(s string) bool {
	w := len(s)
	for w > 0 && (isLetter(s[w-1]) || '0' <= s[w-1] && s[w-1] <= '9') {
		w--
	}
	word := strings.ToLower(s[w:])
	if strings.HasSuffix(word, "key") || strings.HasSuffix(word, "secret") {
		return true
	}
	if len(s)-w != 20 || s[w] != 'A' {
		return false
	}
	for i := w; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// withoutKeyIDSecrets drops the secrets that hold a key ID found in the
// same name, and the pairing to them: a ref name of 40 characters ending
// in a key ID (refs/remotes/origin/AKIA...) is secret-shaped, but no
// random secret holds a key ID. (The matcher takes such a run for a
// secret in any text; in a ref name it is the common case.)
func withoutKeyIDSecrets(fs scanner.Findings) scanner.Findings {
	var ids []string
	for _, f := range fs {
		if f.Kind == rules.AccessKeyID {
			ids = append(ids, f.Secret)
		}
	}
	dropped := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if f.Kind == rules.SecretAccessKey && slices.ContainsFunc(ids, func(id string) bool { return strings.Contains(f.Secret, id) }) {
			dropped[f.Fingerprint] = true
			continue
		}
		out = append(out, f)
	}
	for i := range out {
		if dropped[out[i].Pair] {
			out[i].Pair = ""
		}
	}
	return out
}

// RefNames returns the findings in the names of refs as a history scan
// reports them, each name once: like a message's, with no commit and
// present_at_head false, and a note for a remote-tracking ref, whose name
// the remote had when it was last fetched.
func RefNames(sc *scanner.Scanner, names []string) scanner.Findings {
	var out scanner.Findings
	no := false
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		fs, _ := ScanRefName(sc, name)
		for _, f := range fs {
			f.PresentAtHead = &no
			if strings.HasPrefix(name, "refs/remotes/") {
				f.Note = joinNote(f.Note, "a remote-tracking ref: the remote had a ref of that name when it was last fetched")
			}
			out = append(out, f)
		}
	}
	out.Sort()
	return out
}

// refName adds name to the names of refs the scan reads (a scan narrowed
// to blob paths reads none, as it reads no message).
func (s *scan) refName(name string) {
	if !s.messagesOn() || s.refNameSeen[name] {
		return
	}
	if s.refNameSeen == nil {
		s.refNameSeen = map[string]bool{}
	}
	s.refNameSeen[name] = true
	s.refNameList = append(s.refNameList, name)
}

// RedactRef returns ref name s, which holds the findings fs, with nothing
// of a value left but what a report shows of it: after the namespace
// (refs/heads/, refs/tags/, refs/<kind>/), a component that holds a whole
// value is redacted as a value is (AKIA************XXEC), and any other
// component of 8 bytes or more, which may hold part of a value (a secret
// holds '/'), is hidden.
func RedactRef(s string, fs scanner.Findings) string {
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

// refSuggestion says how to take a credential out of a ref's name: rename
// the ref everywhere it is (git filter-repo rewrites objects, not names);
// and, as for any finding, what to do about the key.
func refSuggestion(f scanner.Finding, all scanner.Findings) string {
	return "The credential is in a ref's name (a branch, a tag, a notes or other ref), which every clone, fetch and " +
		"`git ls-remote` lists: rename the branch (`git branch -m`) or re-create the tag under another name, and delete " +
		"the old name on every remote that has it (`git push REMOTE --delete NAME`; `git push --mirror` deletes what " +
		"the mirror no longer has). " + all.KeyAdvice(f)
}
