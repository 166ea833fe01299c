package scanner

import "bytes"

// A secret kept under a neutral name and handed to the AWS name by
// reference, in the shell's and its kin's words (qa18 M10):
//
//	export PROD_TOKEN=<secret>
//	export AWS_SECRET_ACCESS_KEY="${PROD_TOKEN}"
//
// in a .env written to be sourced, a direnv .envrc, a script, a
// Dockerfile's ENV or ARG, a CI file, a YAML or text file (not in Go,
// Python, JavaScript, TypeScript, Java or Terraform source, whose
// references are not the shell's). The value stands where no keyword is near, and
// the keyword holds no value: the keyword's reference ($NAME, ${NAME},
// ${NAME:-…}, quoted or not) is followed to the assignment of NAME in the
// same file, whose value is looked at (a window, as a generic name's is)
// and judged as assigned to the keyword.

// maxRefs bounds the references followed in a file: each costs a search of
// the file, and a file of thousands of them (a generated script) is not
// how a secret is handed on.
const maxRefs = 16

// envRef is a value assigned to a name that a keyword's value refers to.
type envRef struct {
	value int     // where the value starts
	kw    keyword // the keyword whose value refers to it
	name  string  // the name referred to
}

// followRefs finds the assignments the keywords' references point to.
func (m *match) followRefs() {
	d := m.data
	if m.depth > 0 || len(m.keywords) == 0 {
		return
	}
	if !shellRefs(m.plainName()) {
		// A language whose variables are not the shell's: a Go or Python
		// file of keywords (secret scanners' tests) would pay for nothing.
		return
	}
	for i := range m.keywords {
		kw := m.keywords[i]
		if kw.token || kw.other || kw.call > 0 {
			continue
		}
		name := refAfter(d, kw.end)
		if name == nil {
			continue
		}
		if len(m.refs) == maxRefs {
			return
		}
		if v := assignmentOf(d, name, kw.start); v >= 0 {
			m.refs = append(m.refs, envRef{value: v, kw: kw, name: string(name)})
		}
	}
}

// refAfter returns the name that the value assigned after a keyword ending
// at i refers to, when that value is a reference alone: =$NAME, ="${NAME}",
// : ${NAME:-default}, ENV's blank; nil otherwise.
func refAfter(d []byte, i int) []byte {
	j := i
	for j < len(d) && j-i < 8 && (d[j] == '"' || d[j] == '\'' || d[j] == ' ' || d[j] == '\t') {
		j++
	}
	if j < len(d) && (d[j] == '=' || d[j] == ':') {
		j++
	} else if j == i || d[j-1] != ' ' && d[j-1] != '\t' {
		return nil // ENV NAME value: a blank alone assigns
	}
	for j < len(d) && j-i < 16 && (d[j] == '"' || d[j] == '\'' || d[j] == ' ' || d[j] == '\t') {
		j++
	}
	if j+1 >= len(d) || d[j] != '$' {
		return nil
	}
	j++
	braced := d[j] == '{'
	if braced {
		j++
	}
	s := j
	for j < len(d) && j-s < 128 && (isAlnum(d[j]) || d[j] == '_') {
		j++
	}
	if j == s || isDigit(d[s]) {
		return nil
	}
	name := d[s:j]
	if braced {
		if j >= len(d) || d[j] != '}' && d[j] != ':' && d[j] != '-' {
			return nil
		}
		e := bytes.IndexByte(d[j:min(len(d), j+256)], '}')
		if e < 0 {
			return nil
		}
		j += e + 1
	}
	for j < len(d) && (d[j] == '"' || d[j] == '\'' || d[j] == ' ' || d[j] == '\t' || d[j] == '\r') {
		j++
	}
	if j < len(d) && d[j] != '\n' && d[j] != ';' && d[j] != '#' {
		return nil // a value made of more than the reference
	}
	return name
}

// assignmentOf returns where the value starts of the last assignment of
// name at a line's start before the keyword at kw (NAME=, export NAME=,
// ENV NAME=, ENV NAME value, ARG NAME=, declare -x NAME=, readonly NAME=,
// local NAME=), or of the first after it; -1 when there is none.
func assignmentOf(d, name []byte, kw int) int {
	best := -1
	for at := 0; ; {
		k := bytes.Index(d[at:], name)
		if k < 0 {
			return best
		}
		s := at + k
		at = s + len(name)
		if best >= 0 && s > kw {
			return best
		}
		if v := assignedAt(d, s, len(name)); v >= 0 && lineStartWithin(d, s, 256) != lineStartWithin(d, kw, 256) {
			best = v
		}
	}
}

// assignPrefixes are the words that may stand before a name its line
// assigns.
var assignPrefixes = []string{"export", "ENV", "ARG", "declare", "typeset", "readonly", "local", "-x", "-r", "-g"}

// assignedAt returns where the value starts when the name at s (n bytes)
// is what its line assigns, or -1.
func assignedAt(d []byte, s, n int) int {
	if s > 0 && (isAlnum(d[s-1]) || d[s-1] == '_') {
		return -1
	}
	ls := lineStartWithin(d, s, 256)
	if ls == s-256 && s >= 256 {
		return -1
	}
	for _, w := range bytes.Fields(d[ls:s]) {
		ok := false
		for _, p := range assignPrefixes {
			ok = ok || string(w) == p
		}
		if !ok {
			return -1
		}
	}
	j := s + n
	switch {
	case j < len(d) && d[j] == '=':
		j++
	case j < len(d) && (d[j] == ' ' || d[j] == '\t') && bytes.HasPrefix(bytes.TrimLeft(d[ls:s], " \t"), []byte("ENV")):
		for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
			j++
		}
	default:
		return -1
	}
	for j < len(d) && (d[j] == '"' || d[j] == '\'') {
		j++
	}
	if j >= len(d) || !isSecretChar(d[j]) {
		return -1
	}
	return j
}

// referredBy returns the keyword a value at v is handed to by reference,
// and the name it is kept under.
func (m *match) referredBy(v int) (*keyword, string) {
	for i := range m.refs {
		if m.refs[i].value == v {
			return &m.refs[i].kw, m.refs[i].name
		}
	}
	return nil, ""
}

// codeExtensions are the extensions of languages whose variables are not
// the shell's, told without a copy of the name.
var codeExtensions = []string{".go", ".py", ".js", ".ts", ".java", ".tf", ".kt", ".rs", ".c", ".h", ".cc", ".cpp", ".cs",
	".json"} // JSON names its values "NAME": …, never NAME= at a line's start

// shellRefs reports whether a file of this name may hand a value on by a
// shell reference: every file but source code of codeExtensions.
func shellRefs(name string) bool {
	for _, e := range codeExtensions {
		if len(name) > len(e) && name[len(name)-len(e):] == e {
			return false
		}
	}
	return true
}
