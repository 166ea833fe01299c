package scanner

import (
	"path"
	"regexp"
	"strings"
)

// Classify names the kind of the file called name with content data: by its
// name first (ClassifyFile), then by what it holds, so that a credentials
// file saved as aws_credentials or credentials.bak, a .env copy named
// env.production, a script without an extension or a Dockerfile under
// another name get the advice, and the rewrite by keyscan fix, of their kind.
// The matcher and the fixer share it so that both see the same kind.
func Classify(name string, data []byte) FileKind {
	name = strings.ReplaceAll(name, `\`, "/")
	plain := PlainName(name)
	k := sniffFile(ClassifyFile(plain), plain, data)
	if k != KindOther {
		return k
	}
	base := strings.ToLower(path.Base(plain))
	switch {
	case base == "env" || strings.HasPrefix(base, "env.") || base == "containerfile" || strings.HasPrefix(base, "containerfile."):
		if strings.HasPrefix(base, "env") {
			return KindEnv
		}
		return KindDocker
	}
	return sniffContent(data)
}

// backupSuffixes are what editors and people add to a file they keep a copy
// of, and what package managers leave beside a configuration file they
// would have replaced or removed (dpkg's and ucf's, rpm's, pacman's): the
// copy holds what the original held.
var backupSuffixes = []string{".bak", ".backup", ".orig", ".old", ".save", ".sav", ".copy", ".tmp", "~",
	".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-bak", ".ucf-old", ".ucf-dist", ".ucf-new",
	".rpmnew", ".rpmsave", ".rpmorig", ".pacnew", ".pacsave", ".prev", ".disabled"}

// templateSuffixes are what a file is named with when it is the template,
// the example or a set-aside copy of a file of its kind (Ansible's and
// Salt's settings.py.j2, autoconf's and CMake's config.py.in, Go's and
// Helm's .tpl, ERB's database.yml.erb, .env.example, phpunit.xml.dist):
// it holds that file's language (qa18 M2). Unlike a backup suffix, one is
// trimmed only where the name before it has an extension of its own
// (Makefile.in, header.tpl and app.erb stay as they are).
var templateSuffixes = []string{".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".in", ".erb", ".example", ".sample",
	".dist", ".default", ".off"}

// trimLast marks the last bytes, in lower case, of the names PlainName
// may trim: the suffixes', a numbered copy's digits and ~, an auto-save's #.
var trimLast = func() (t [256]bool) {
	for _, s := range append(backupSuffixes, templateSuffixes...) {
		t[s[len(s)-1]] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['#'] = true
	return t
}()

// trimPairs marks the last two bytes, in lower case (the first times 256
// plus the second), of the suffixes of two bytes or more: a name whose
// last byte trimLast marks but whose last two no suffix ends in (.json's
// "on", .yaml's "ml") is told at once. Digits, ~ and # are told by the last
// byte alone.
var trimPairs = func() *[1 << 16]bool {
	t := new([1 << 16]bool)
	for _, s := range append(backupSuffixes, templateSuffixes...) {
		if n := len(s); n >= 2 {
			t[uint16(s[n-2])<<8|uint16(s[n-1])] = true
		}
	}
	return t
}()

// mayTrim reports whether PlainName may trim an ASCII name's end by its last
// two bytes.
func mayTrim(name string) bool {
	n := len(name)
	c := name[n-1] | 0x20
	if !trimLast[c] {
		return false
	}
	if isDigit(name[n-1]) || name[n-1] == '~' || name[n-1] == '#' || n < 2 || name[n-2] >= 0x80 {
		return true
	}
	b := name[n-2]
	if isUpper(b) {
		b += 'a' - 'A'
	}
	return trimPairs[uint16(b)<<8|uint16(c)]
}

// PlainName returns the name of the file a copy or a template was made
// from: name without the suffixes of a backup copy (".bak", ".orig", "~",
// ".dpkg-old", ...), of a numbered copy (GNU cp's and Emacs' .~1~, a
// rotated .1 or a dated .20240101 after an extension), of an Emacs
// auto-save (#settings.py#) and of a template (templateSuffixes).
func PlainName(name string) string {
	for {
		t := trimCopy(name)
		if t == name {
			return name
		}
		name = t
	}
}

// trimCopy returns name without the last copy's or template's suffix
// PlainName trims, or name. It is asked of most names several times a
// file (every name that ends in a letter some suffix ends in: .json's n,
// .yaml's l): an ASCII name is told by one look-up of its folded extension,
// without a copy.
func trimCopy(name string) string {
	// Most names end in none of the suffixes' last bytes (a rune that
	// lower-cases to one, such as the Kelvin sign, ends in a byte above 0x7f).
	n := len(name)
	if n == 0 || name[n-1] < 0x80 && !mayTrim(name) {
		return name
	}
	base := name[strings.LastIndexByte(name, '/')+1:]
	if name[n-1] == '~' {
		if len(base) > 1 {
			return name[:n-1]
		}
		return name
	}
	if len(base) > 2 && base[0] == '#' && base[len(base)-1] == '#' {
		return name[:n-len(base)] + base[1:len(base)-1]
	}
	dot := strings.LastIndexByte(base, '.')
	if dot < 0 {
		return name
	}
	ext := base[dot:]
	var folded [12]byte
	if len(ext) > len(folded) {
		return name
	}
	for i := 0; i < len(ext); i++ {
		c := ext[i]
		if c >= 0x80 {
			return trimFolded(name) // strings.ToLower may fold it into ASCII
		}
		if isUpper(c) {
			c += 'a' - 'A'
		}
		folded[i] = c
	}
	switch suffixKinds[string(folded[:len(ext)])] {
	case backupSuffix:
		if len(base) > len(ext) {
			return name[:n-len(ext)]
		}
		return name
	case templateSuffix:
	default:
		if !allDigits(ext[1:]) && (len(ext) < 3 || ext[1] != '~' || !allDigits(ext[2:])) {
			return name // .1, .20240101, and .~1 whose ~ was trimmed, are a copy's
		}
	}
	if strings.IndexByte(base[:dot], '.') <= 0 {
		return name // no extension before the last: nothing more is a copy's
	}
	return name[:n-len(ext)]
}

// trimFolded is trimCopy's reading of the backup suffixes for a name whose
// extension holds a byte above 0x7f, which strings.ToLower may fold.
func trimFolded(name string) string {
	lower := strings.ToLower(name)
	for _, s := range backupSuffixes {
		if strings.HasSuffix(lower, s) && len(path.Base(name)) > len(s) {
			return name[:len(name)-len(s)]
		}
	}
	return name
}

// The kinds of suffix in suffixKinds.
const (
	backupSuffix = 1 + iota
	templateSuffix
)

// suffixKinds holds the suffixes that start with a dot, by kind.
var suffixKinds = func() map[string]int {
	m := map[string]int{}
	for _, s := range backupSuffixes {
		if s[0] == '.' {
			m[s] = backupSuffix
		}
	}
	for _, s := range templateSuffixes {
		m[s] = templateSuffix
	}
	return m
}()

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// plainName is the name of the file a notation keyed by the file's kind is
// told by (markup, shell words, RTF, a terminal recording, a registry
// export, a notebook, byte arrays, Ruby's chr, the languages whose
// literals are joined): the name before a copy's or template's suffix, so
// deploy.sh.bak, page.html~, Creds.kt.orig and settings.py.j2 are read as
// the files they were made from. Worked out once a file; a name that ends
// in none of the suffixes' last bytes is told without a copy.
func (m *match) plainName() string {
	if !m.plainKnown {
		m.plainKnown, m.plainAs = true, m.name
		if backupSuffixed(m.name) {
			m.plainAs = PlainName(m.name)
		}
	}
	return m.plainAs
}

// backupSuffixed reports whether PlainName may trim name, by its last
// byte: false only where PlainName would trim nothing (a name that ends in a
// rune folding to ASCII is left to it).
func backupSuffixed(name string) bool {
	n := len(name)
	return n > 0 && (name[n-1] >= 0x80 || mayTrim(name))
}

var (
	dotenvLine = regexp.MustCompile(`^(export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*=`)
	dockerLine = regexp.MustCompile(`(?i)^(FROM|RUN|ENV|ARG|COPY|ADD|WORKDIR|CMD|ENTRYPOINT|EXPOSE|USER|LABEL|VOLUME|HEALTHCHECK|SHELL|ONBUILD|STOPSIGNAL|MAINTAINER)([ \t]|$)`)
)

// sniffContent recognises, in a file its name says nothing about, a script
// by its #! line, a Dockerfile by its first instruction, and a .env file by
// every line being an assignment.
func sniffContent(data []byte) FileKind {
	head := string(data[:min(len(data), 4096)])
	if strings.HasPrefix(head, "#!") {
		first, _, _ := strings.Cut(head, "\n")
		switch f := path.Base(strings.Fields(first + " x")[0]); {
		case strings.Contains(first, "python"):
			return KindPython
		case strings.Contains(first, "node"):
			return KindJavaScript
		case strings.HasSuffix(f, "sh") || strings.Contains(first, "bash") || strings.Contains(first, "/env sh") || strings.Contains(first, "zsh"):
			return KindShell
		}
		return KindOther
	}
	lines := strings.Split(strings.ReplaceAll(head, "\r\n", "\n"), "\n")
	if len(data) > len(head) {
		lines = lines[:len(lines)-1] // the last may be cut
	}
	assignments, other, instructions := 0, 0, 0
	continued := false // the line before ended with a backslash
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		wasContinued := continued
		continued = strings.HasSuffix(t, `\`)
		switch {
		case instructions > 0:
			if !wasContinued && !dockerLine.MatchString(t) {
				return KindOther
			}
		case assignments == 0 && other == 0 && strings.HasPrefix(strings.ToUpper(t), "FROM "):
			instructions++
		case dotenvLine.MatchString(t):
			assignments++
		default:
			other++
		}
	}
	switch {
	case instructions > 0:
		return KindDocker
	case assignments > 0 && other == 0:
		return KindEnv
	}
	return KindOther
}
