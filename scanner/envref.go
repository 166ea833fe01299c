package scanner

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// maxRefs bounds the values a file's references are followed to: a file
// of thousands of them (a generated script) is not how a secret is handed
// on, and each value found is a window read.
const maxRefs = 16

// envRef is a value assigned to a name that a keyword's value refers to.
type envRef struct {
	value int     // where the value starts
	kw    keyword // the keyword whose value refers to it
	name  string  // the name referred to
}

// followRefs finds the assignments the keywords' references point to.
// The names referred to are gathered first and the file's assignments of
// them indexed in one pass (assignments), so a file of thousands of
// references (a generated script, a SQL seed of @name parameters) costs
// the file once, not once per reference (qa22 H3). The references are
// read twice rather than listed: a file of them has one on every line
// (aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}, issue 16's near
// misses), most name nothing the file assigns, and a list of them all
// cost more than reading each again; when none of the names is assigned
// the second pass is not taken at all.
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
	want := map[string]bool{}
	aliases := false
	m.eachRef(func(kw *keyword, name []byte, anchor bool) bool {
		// An alias's anchor is searched for apart (yamlAnchorOf). The
		// lookup first: most references name a name already wanted, and
		// the lookup makes no string.
		if anchor {
			aliases = true
		} else if !want[string(name)] {
			want[string(name)] = true
		}
		return true
	})
	var index assignments
	if len(want) > 0 {
		index = indexAssignments(d, want)
	}
	if len(index) == 0 && !aliases {
		return // no name referred to is assigned in the file
	}
	anchors := map[string]int{} // a YAML anchor's scalar by its name: each searched for once, at most maxRefs
	m.eachRef(func(kw *keyword, name []byte, anchor bool) bool {
		if len(m.refs) == maxRefs {
			return false
		}
		v := -1
		if !anchor {
			v = index.of(d, name, kw.start)
		} else if at, ok := anchors[string(name)]; ok {
			v = at
		} else if len(anchors) < maxRefs {
			v = yamlAnchorOf(d, name)
			anchors[string(name)] = v
		}
		if v >= 0 {
			m.refs = append(m.refs, envRef{value: v, kw: *kw, name: string(name)})
		}
		return true
	})
}

// eachRef calls fn, in order, for every keyword whose value refers to a
// name (or, anchor true, is a YAML alias of an anchor's name), until fn
// returns false.
func (m *match) eachRef(fn func(kw *keyword, name []byte, anchor bool) bool) {
	d := m.data
	// The last '$' and '(' before the keyword, found going forward (the
	// keywords are in order): refNamedAfter reads a keyword's line back
	// for a '$', 256 bytes and the search for each keyword of a line of
	// them (a table of AWS_SECRET_ACCESS_KEY rows, issue 16), and
	// sqlColumnRef 400 bytes back for its list's '(' ("secret," repeated),
	// where most files hold neither.
	dollar, paren := lastByte{c: '$', at: -1}, lastByte{c: '(', at: -1}
	for i := range m.keywords {
		kw := &m.keywords[i]
		if kw.token || kw.other || kw.call > 0 {
			continue
		}
		name := refAfter(d, kw.end)
		if name == nil && dollar.within(d, kw.start, refLineBytes) {
			name = refNamedAfter(d, kw)
		}
		if name == nil && sqlColumnMay(d, kw.start, kw.end, min(len(d), kw.end+sqlRowBytes)) && paren.within(d, kw.start, sqlListBytes) {
			name = sqlColumnRef(d, kw.start, kw.end) // INSERT … (id, aws_secret_access_key) VALUES (1, @s)
		}
		anchor := false
		if name == nil {
			name = yamlAliasAfter(d, kw.end) // aws_secret_access_key: *ci (qa21 L2)
			anchor = name != nil
		}
		if name != nil && !fn(kw, name, anchor) {
			return
		}
	}
}

// refAfter returns the name that the value assigned after a keyword ending
// at i refers to, when that value is a reference alone: =$NAME, ="${NAME}",
// : ${NAME:-default}, ENV's blank, Make's := $(NAME), batch's =%NAME%,
// SQL's = @name, PowerShell's = $name, a command's argument after a blank
// (aws configure set aws_secret_access_key "$S") or a call's after a comma
// (SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", $tok)); nil otherwise.
func refAfter(d []byte, i int) []byte {
	j, blank := i, false
	for j < len(d) && j-i < 8 && (d[j] == '"' || d[j] == '\'' || d[j] == ' ' || d[j] == '\t') {
		blank = blank || d[j] == ' ' || d[j] == '\t'
		j++
	}
	switch {
	case j+1 < len(d) && (d[j] == ':' || d[j] == '?') && d[j+1] == '=':
		j += 2 // Make's := and ?=
	case j < len(d) && (d[j] == '=' || d[j] == ':' || d[j] == ',' && j > i && (d[j-1] == '"' || d[j-1] == '\'')):
		j++
	case !blank:
		return nil // ENV NAME value: a blank alone assigns
	}
	for j < len(d) && j-i < 16 && (d[j] == '"' || d[j] == '\'' || d[j] == ' ' || d[j] == '\t') {
		j++
	}
	name, e := refAt(d, j)
	if name == nil {
		return nil
	}
	if q := d[j-1]; (q == '"' || q == '\'') && e < len(d) && d[e] == q {
		e++ // the reference's closing quote
	} else if q == '"' || q == '\'' {
		return nil // "prefix-${X}", "$X $Y": a value made of more than the reference
	}
	if e < len(d) && strings.IndexByte(" \t\r\n;#,)|&\"'", d[e]) < 0 {
		return nil // $X.suffix, $X/path: a value made of more than the reference
	}
	return name
}

// yamlAliasAfter returns the anchor's name when the value a YAML key ending
// at i maps to is an alias alone (aws_secret_access_key: *ci, also in a
// flow mapping: {aws_secret_access_key: *ci}); nil otherwise (qa21 L2).
func yamlAliasAfter(d []byte, i int) []byte {
	j := i
	for j < len(d) && j-i < 8 && (d[j] == '"' || d[j] == '\'' || d[j] == ' ' || d[j] == '\t') {
		j++
	}
	if j >= len(d) || d[j] != ':' {
		return nil
	}
	j++
	for j < len(d) && j-i < 16 && (d[j] == ' ' || d[j] == '\t') {
		j++
	}
	if j >= len(d) || d[j] != '*' {
		return nil
	}
	name, e := anchorName(d, j+1)
	if name == nil || e < len(d) && strings.IndexByte(" \t\r\n,}]#", d[e]) < 0 {
		return nil
	}
	return name
}

// anchorName reads a YAML anchor's or alias's name at d[j] (letters,
// digits, _ - .; at most 128), returning it and where it ends, or nil.
func anchorName(d []byte, j int) ([]byte, int) {
	s := j
	for j < len(d) && j-s < 128 && (isAlnum(d[j]) || d[j] == '_' || d[j] == '-' || d[j] == '.') {
		j++
	}
	if j == s {
		return nil, 0
	}
	return d[s:j], j
}

// yamlAnchorOf returns where the scalar starts that the YAML anchor &name
// names (ci_value: &ci <value>, - &ci "<value>"), or -1. The anchor
// stands after a key's colon, a list's dash, a flow collection's opening
// or comma, or a line's blanks.
func yamlAnchorOf(d, name []byte) int {
	anchor := append([]byte{'&'}, name...) // searched whole: a file of aliases holds the name alone everywhere
	for at := 0; ; {
		k := bytes.Index(d[at:], anchor)
		if k < 0 {
			return -1
		}
		s := at + k + 1
		at = s + len(name)
		if s < 2 || strings.IndexByte(" \t\n:-[{,", d[s-2]) < 0 {
			continue
		}
		if _, e := anchorName(d, s); e != at {
			continue // &ci_value when &ci is asked for
		}
		j := at
		for j < len(d) && j-at < 16 && (d[j] == ' ' || d[j] == '\t') {
			j++
		}
		if j == at {
			continue
		}
		if j < len(d) && (d[j] == '"' || d[j] == '\'') {
			j++
		}
		if j < len(d) && isSecretChar(d[j]) {
			return j
		}
	}
}

// lastByte is the last place of c before upto that questions may still
// ask about (-1: none), read going forward.
type lastByte struct {
	c        byte
	at, upto int
}

// within reports whether c may stand in the n bytes before x: it does
// when x is not behind the last question (else it may). Only the bytes
// of those n not read for the last question are read: no more than the
// search it spares, and each byte once.
func (l *lastByte) within(d []byte, x, n int) bool {
	if x < l.upto {
		return true
	}
	// Forward, with IndexByte's vector loop (LastIndexByte reads a byte
	// at a time): the last of them is the one kept.
	for lo := max(l.upto, x-n, 0); ; {
		k := bytes.IndexByte(d[lo:x], l.c)
		if k < 0 {
			break
		}
		l.at = lo + k
		lo = l.at + 1
	}
	l.upto = x
	return l.at >= x-n
}

// refLineBytes is how far back refNamedAfter reads a keyword's line.
const refLineBytes = 256

// refNamedAfter returns the name whose value a command on the keyword's
// line writes to what the keyword names after it (namedAfter): V=S; echo
// "$V" | docker secret create aws_secret_access_key -, echo "$V" >
// /run/secrets/aws_secret_access_key; nil otherwise.
func refNamedAfter(d []byte, kw *keyword) []byte {
	ls := lineStartWithin(d, kw.start, refLineBytes)
	for i := ls; ; i++ {
		k := bytes.IndexByte(d[i:kw.start], '$')
		if k < 0 {
			return nil
		}
		i += k
		if name, e := refAt(d, i); name != nil && e <= kw.start && namedAfter(d, e, kw) {
			return name
		}
	}
}

// refAt reads a reference to a variable at d[j]: $NAME, ${NAME},
// ${NAME:-default}, $(NAME) (make), %NAME% (batch), @name (SQL), :'name',
// :"name" and :name (psql's, of \set name). It returns the name and where
// the reference ends, or nil.
func refAt(d []byte, j int) ([]byte, int) {
	if j+1 >= len(d) || d[j] != '$' && d[j] != '%' && d[j] != '@' && d[j] != ':' {
		return nil, 0
	}
	sigil := d[j]
	j++
	closing := byte(0)
	switch {
	case sigil == '$' && d[j] == '{':
		closing = '}'
	case sigil == '$' && d[j] == '(':
		closing = ')'
	case sigil == '%':
		closing = '%'
	case sigil == ':' && (d[j] == '\'' || d[j] == '"'):
		closing = d[j]
	}
	if closing != 0 && (sigil == '$' || sigil == ':') {
		j++
	}
	s := j
	for j < len(d) && j-s < 128 && (isAlnum(d[j]) || d[j] == '_') {
		j++
	}
	if j == s || isDigit(d[s]) {
		return nil, 0
	}
	name := d[s:j]
	switch {
	case closing == '}':
		if j >= len(d) || d[j] != '}' && d[j] != ':' && d[j] != '-' {
			return nil, 0
		}
		e := bytes.IndexByte(d[j:min(len(d), j+256)], '}')
		if e < 0 {
			return nil, 0
		}
		j += e + 1
	case closing != 0:
		if j >= len(d) || d[j] != closing {
			return nil, 0
		}
		j++
	}
	return name, j
}

// assignmentOf returns where the value starts of the last assignment of
// name at a command's start before the keyword at kw (NAME=, export NAME=,
// ENV NAME=, ENV NAME value, ARG NAME=, declare -x NAME=, readonly NAME=,
// local NAME=, make's NAME := value, batch's set NAME=, set "NAME=, setx
// NAME value, PowerShell's $name = value, SQL's SET @name = value and
// DECLARE @name TYPE = value), or of the first after it; -1 when there is
// none. On the keyword's own line only an assignment before it counts,
// as a command of its own (S=…; aws configure set … "$S").
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
		if v := assignedAt(d, s, len(name)); v >= 0 && (s < kw || lineStartWithin(d, s, 256) != lineStartWithin(d, kw, 256)) {
			best = v
		}
	}
}

// assignments are a file's assignments of the names some references
// name, each name's in the order they stand (indexAssignments).
type assignments map[string][]assignment

// assignment is one: where the name and its value start.
type assignment struct{ name, value int }

// indexAssignments finds, in one pass, every assignment of a wanted name
// that assignmentOf would find. An assignment's name stands in a command
// (a line's part after its start, a ; or a &) behind nothing but
// assignPrefixes (and IFS=), so only the identifiers of a command's words
// up to its first other word are asked of assignedAt.
//
// With few names, only the commands that hold one are read: a command
// assigns a name only if it holds the name's bytes, and the names are
// found by bytes.Index faster than the commands are stepped through (a
// file of near misses with a reference on every eighth line spent a
// fifth of its scan here, issue 16). Commands are read in order, so each
// name's assignments are listed in the order they stand, as the pass
// over every command lists them (indexAssignmentsAll).
func indexAssignments(d []byte, want map[string]bool) assignments {
	if len(want) > maxSearchedNames {
		return indexAssignmentsAll(d, want)
	}
	var at []int
	for name := range want {
		if name == "" {
			return indexAssignmentsAll(d, want)
		}
		for i := 0; ; {
			k := bytes.Index(d[i:], []byte(name))
			if k < 0 {
				break
			}
			at = append(at, i+k)
			i += k + len(name)
		}
	}
	slices.Sort(at)
	a := assignments{}
	done := 0 // the commands before it were read
	for _, p := range at {
		if p < done {
			continue // in the command read last
		}
		cs := p
		for cs > done && !commandEnd(d[cs-1]) {
			cs--
		}
		e := p
		for e < len(d) && !commandEnd(d[e]) {
			e++
		}
		a.command(d, cs, e, want)
		done = e + 1
	}
	return a
}

// maxSearchedNames bounds the names indexAssignments finds by searching
// for each: more are read in one pass over every command.
const maxSearchedNames = 4

// commandEnd reports whether c ends a command for indexAssignments.
func commandEnd(c byte) bool { return c == '\n' || c == ';' || c == '&' }

// indexAssignmentsAll is indexAssignments reading every command.
func indexAssignmentsAll(d []byte, want map[string]bool) assignments {
	a := assignments{}
	for cs := 0; cs < len(d); {
		e := cs
		for e < len(d) && d[e] != '\n' && d[e] != ';' && d[e] != '&' {
			e++
		}
		a.command(d, cs, e, want)
		cs = e + 1
	}
	return a
}

// identifiers indexes the assignments of the wanted names among the
// identifiers that start in d[from:to] (one may run on past to).
func (a assignments) identifiers(d []byte, from, to int, want map[string]bool) {
	for k := from; k < to; k++ {
		if !isWord(d[k]) || k > 0 && isWord(d[k-1]) {
			continue
		}
		r := k
		for r < len(d) && isWord(d[r]) {
			r++
		}
		if want[string(d[k:r])] {
			if v := assignedAt(d, k, r-k); v >= 0 {
				a[string(d[k:r])] = append(a[string(d[k:r])], assignment{k, v})
			}
		}
		k = r - 1
	}
}

// command indexes the assignments of the command in d[cs:e].
func (a assignments) command(d []byte, cs, e int, want map[string]bool) {
	if selectCommand(d, cs, e) {
		// SELECT … INTO @name: any name of the command may be assigned
		// (sqlinto.go), and assignedAt tells which
		a.identifiers(d, cs, e, want)
		return
	}
	prefixed := false
	for i := cs; ; {
		i = spaceRun(d, i, e, true)
		if i >= e {
			return
		}
		ws := i
		i = spaceRun(d, i, e, false)
		a.identifiers(d, ws, i, want) // each identifier of the word
		w := d[ws:i]
		switch {
		case isAssignPrefix(w):
			prefixed = true
		case !prefixed && string(w) == "IFS=":
		default:
			return
		}
	}
}

// spaceRun returns where the run of white space (space true) or of other
// characters (false) from d[i] ends, before e: white space as bytes.Fields
// tells it (unicode.IsSpace), so that command's words are assignedAt's.
func spaceRun(d []byte, i, e int, space bool) int {
	for i < e {
		r, n := rune(d[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(d[i:e])
		}
		if unicode.IsSpace(r) != space {
			break
		}
		i += n
	}
	return i
}

// of answers as assignmentOf(d, name, kw) does, from the index.
func (a assignments) of(d, name []byte, kw int) int {
	list := a[string(name)]
	i, _ := slices.BinarySearchFunc(list, kw, func(x assignment, kw int) int { return x.name - kw })
	if i > 0 {
		return list[i-1].value // the last before the keyword
	}
	line := lineStartWithin(d, kw, 256)
	for _, x := range list[i:] { // or the first after it, on another line
		if x.name > kw && lineStartWithin(d, x.name, 256) != line {
			return x.value
		}
	}
	return -1
}

// assignPrefixes are the words that may stand before a name its command
// assigns (read's before the name a here-string assigns, read -r tok <<<;
// psql's \set before a name and its value; T-SQL's SELECT @s = …; bash's
// printf -v NAME).
var assignPrefixes = []string{"export", "ENV", "ARG", "declare", "typeset", "readonly", "local", "-x", "-r", "-g",
	"set", "SET", "setx", "override", "DECLARE", "Set", "read", "-s", "-rs", "-d", "''", "\\set",
	"SELECT", "select", "printf", "-v"}

// isAssignPrefix reports whether w is one of assignPrefixes.
func isAssignPrefix(w []byte) bool {
	for _, pre := range assignPrefixes {
		if string(w) == pre {
			return true
		}
	}
	return false
}

// assignedAt returns where the value starts when the name at s (n bytes)
// is what its command assigns, or -1.
func assignedAt(d []byte, s, n int) int {
	if s > 0 && isWord(d[s-1]) || s+n < len(d) && isWord(d[s+n]) {
		return -1 // a longer name (DECLARE @ab = … is not @a's)
	}
	ls := lineStartWithin(d, s, 256)
	if ls == s-256 && s >= 256 {
		return -1
	}
	p, sigil := s, byte(0)
	if p > ls && (d[p-1] == '$' || d[p-1] == '@' || d[p-1] == '"') {
		p, sigil = p-1, d[p-1] // $name = (PowerShell), SET @name = (SQL), set "NAME= (batch)
	}
	cs := ls // the command's start: after the last ; or && before it
	if k := bytes.LastIndexAny(d[ls:p], ";&"); k >= 0 {
		cs = ls + k + 1
	}
	if sigil == '@' {
		if v, ok := selectIntoValue(d, cs, p); ok {
			return v // SELECT 'value' INTO @name (sqlinto.go)
		}
	}
	var first []byte
	for _, w := range bytes.Fields(d[cs:p]) {
		if first == nil && string(w) == "IFS=" {
			continue // IFS= read -r tok <<< …
		}
		if !isAssignPrefix(w) {
			return -1
		}
		if first == nil {
			first = w
		}
	}
	if sigil == '$' && len(first) > 0 || sigil == '@' && len(first) == 0 {
		return -1 // $name is PowerShell's alone; @name is set by SET or DECLARE
	}
	j := s + n
	if sigil == '@' && equalLower(first, "declare") {
		j = skipSQLType(d, j)
	}
	k := j
	for k < len(d) && (d[k] == ' ' || d[k] == '\t') {
		k++
	}
	switch {
	case k < len(d) && d[k] == '=':
		j = k + 1
	case k+1 < len(d) && (d[k] == ':' || d[k] == '?') && d[k+1] == '=':
		j = k + 2
	case k > j && (bytes.HasPrefix(bytes.TrimLeft(d[cs:s], " \t"), []byte("ENV")) || equalLower(first, "setx") || string(first) == "\\set"):
		j = k // ENV NAME value, setx NAME value, psql's \set name value
	case k > j && string(first) == "printf" && bytes.HasSuffix(bytes.TrimRight(d[cs:s], " \t"), []byte(" -v")):
		j = printfValue(d, k) // printf -v NAME "%s" "value", printf -v NAME value
	case k+3 < len(d) && string(d[k:k+3]) == "<<<" && string(first) == "read":
		j = k + 3 // read -r tok <<< "value"
	case k+2 < len(d) && string(d[k:k+2]) == "<<" && string(first) == "read":
		if j = hereDocBody(d, k); j < 0 { // read -r -d '' tok <<'EOF'
			return -1
		}
	default:
		return -1
	}
	for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
		j++
	}
	if hasPrefixFold(d[j:], "CONVERTTO-SECURESTRING ") {
		// $sk = ConvertTo-SecureString "value" -AsPlainText -Force
		// (PowerShell), handed on as -SecretKey $sk
		j = skipBlanks(d, j+len("CONVERTTO-SECURESTRING "))
		if hasPrefixFold(d[j:], "-STRING ") {
			j = skipBlanks(d, j+len("-STRING "))
		}
	}
	q := j
	if q < len(d) && d[q] == '"' {
		q++
	}
	if bytes.HasPrefix(d[q:], []byte("$(cat <<")) {
		// tok=$(cat <<'EOF' … EOF): the document's first line
		if j = hereDocBody(d, q+len("$(cat ")); j < 0 {
			return -1
		}
	}
	if j+1 < len(d) && d[j]|0x20 == 'n' && d[j+1] == '\'' {
		j++ // N'…'
	}
	for j < len(d) && (d[j] == '"' || d[j] == '\'') {
		j++
	}
	if j >= len(d) || !isSecretChar(d[j]) {
		return -1
	}
	return j
}

// printfValue returns where the value of printf -v NAME starts, the
// blanks after the name at k: the argument after a format of %s alone
// ("%s", '%s', %s), or the format itself.
func printfValue(d []byte, k int) int {
	k = skipBlanks(d, k)
	for _, f := range [...]string{`"%s" `, `'%s' `, `%s `} {
		if bytes.HasPrefix(d[k:], []byte(f)) {
			return skipBlanks(d, k+len(f))
		}
	}
	return k
}

// hereDocBody returns where the first line of the body of the
// here-document whose << is at i starts (<<EOF, <<-'EOF', <<"END", and
// nothing after the marker but blanks), its tabs passed over, or -1.
func hereDocBody(d []byte, i int) int {
	le := nextNewline(d, i)
	if le >= len(d) {
		return -1
	}
	marker := bytes.TrimRight(d[i+2:le], " \t\r")
	marker = bytes.TrimPrefix(marker, []byte("-"))
	if len(marker) > 2 && (marker[0] == '\'' || marker[0] == '"') && marker[len(marker)-1] == marker[0] {
		marker = marker[1 : len(marker)-1]
	}
	if w, rest := leadingWord(marker); len(w) == 0 || len(rest) > 0 {
		return -1
	}
	j := le + 1
	for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
		j++
	}
	return j
}

// skipSQLType skips the type a SQL DECLARE gives a variable, from i:
// NVARCHAR(40), TEXT.
func skipSQLType(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	w, rest := leadingWord(d[i:min(len(d), i+64)])
	i += len(w)
	if len(rest) > 0 && rest[0] == '(' {
		if k := bytes.IndexByte(rest, ')'); k >= 0 {
			i += k + 1
		}
	}
	return i
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
