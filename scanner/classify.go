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
// of; the copy holds what the original held.
var backupSuffixes = []string{".bak", ".backup", ".orig", ".old", ".save", ".sav", ".copy", ".tmp", "~"}

// backupLast marks the last bytes of backupSuffixes, in lower case.
var backupLast = func() (t [256]bool) {
	for _, s := range backupSuffixes {
		t[s[len(s)-1]] = true
	}
	return t
}()

// PlainName returns name without the suffixes of a backup copy (".bak",
// ".orig", "~", ...): the name of the file the copy was made from.
func PlainName(name string) string {
	// Most names end in none of the suffixes' last bytes (a rune that
	// lower-cases to one, such as the Kelvin sign, ends in a byte above 0x7f).
	if n := len(name); n > 0 && name[n-1] < 0x80 && !backupLast[name[n-1]|0x20] {
		return name
	}
	for {
		lower := strings.ToLower(name)
		trimmed := false
		for _, s := range backupSuffixes {
			if strings.HasSuffix(lower, s) && len(path.Base(name)) > len(s) {
				name, trimmed = name[:len(name)-len(s)], true
				break
			}
		}
		if !trimmed {
			return name
		}
	}
}

// plainName is the name of the file a notation keyed by the file's kind is
// told by (markup, shell words, RTF, a terminal recording, a registry
// export, a notebook, byte arrays, Ruby's chr): the name before a backup
// copy's suffix, so deploy.sh.bak, page.html~ and Creds.kt.orig are read
// as the files they were copied from. Worked out once a file; a name that
// ends in no suffix, nearly every one, is told without a copy.
func (m *match) plainName() string {
	if !m.plainKnown {
		m.plainKnown, m.plainAs = true, m.name
		if backupSuffixed(m.name) {
			m.plainAs = PlainName(m.name)
		}
	}
	return m.plainAs
}

// backupSuffixed reports whether name may end in a backup copy's suffix,
// in any case, without a copy of it: false only where PlainName would
// trim nothing (a name that ends in a rune folding to ASCII is left to it).
func backupSuffixed(name string) bool {
	n := len(name)
	if n == 0 {
		return false
	}
	if name[n-1] >= 0x80 {
		return true
	}
	if !backupLast[name[n-1]|0x20] {
		return false
	}
	for _, s := range backupSuffixes {
		if n > len(s) && strings.EqualFold(name[n-len(s):], s) {
			return true
		}
	}
	return false
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
