package scanner

import "strings"

// Go's joins of literals with nothing between them (qa19 M6), read as the
// other languages' joins are (concat.go): strings.Join([]string{"…", "…"},
// ""), fmt.Sprint("…", "…") (fmt puts no blank between two strings), and
// fmt.Sprintf whose format is only %s and %v verbs, one for each literal
// after it ("%s%s", "…", "…"). go vet and keyscan scan work these out from
// the types too (the analyzer's callString); this is what a byte scan of a
// Go file sees where nothing is type-checked (keyscan history, staged).

// goJoinBefore is joinBefore for strings.Join: the literal at q is the first
// item of the []string{ whose brace is at open, which is strings.Join's
// first argument, and the join's delimiter after the list is empty. It
// returns where the call starts and what closes it.
func goJoinBefore(d []byte, q, open int) (int, string, bool) {
	k := backBlanks(d, open)
	if k < 8 || string(d[k-8:k]) != "[]string" {
		return 0, "", false
	}
	k = backBlanks(d, k-8)
	if k < 5 || d[k-1] != '(' || string(d[k-5:k-1]) != "Join" {
		return 0, "", false
	}
	lo := goCallStart(d, k-5)
	if string(d[lo:k-1]) != "strings.Join" {
		return 0, "", false
	}
	const closers = `},"")`
	if end := listItemsEnd(d, q); end < 0 || closeList(d, end, closers) < 0 {
		return 0, "", false
	}
	return lo, closers, true
}

// goCallStart returns where a call's name that starts at i starts with its
// package's qualifier (strings.Join, fmt.Sprint).
func goCallStart(d []byte, i int) int {
	for i > 0 && (isWord(d[i-1]) || d[i-1] == '.') {
		i--
	}
	return i
}

// goFormatBefore is joinBefore for fmt.Sprint and fmt.Sprintf: the literal
// at q is the call's first argument (Sprint) or the first after a format
// made of %s and %v verbs only, as many as the literals after it
// (Sprintf). open is the bracket or the comma before q.
func goFormatBefore(d []byte, q, open int) (int, string, bool) {
	if d[open] == '(' {
		if open < 6 || string(d[open-6:open]) != "Sprint" {
			return 0, "", false
		}
		if end := listItemsEnd(d, q); end < 0 || closeList(d, end, ")") < 0 {
			return 0, "", false
		}
		lo := goCallStart(d, open-6)
		return lo, ")", string(d[lo:open]) == "fmt.Sprint"
	}
	// "%s%v", "…": the format before the comma
	k := backBlanks(d, open)
	if k < 4 || d[k-1] != '"' || d[k-3] != '%' || d[k-2] != 's' && d[k-2] != 'v' {
		return 0, "", false
	}
	verbs := 0
	j := k - 1
	for j >= 2 && d[j-2] == '%' && (d[j-1] == 's' || d[j-1] == 'v') {
		j -= 2
		verbs++
	}
	if j == 0 || d[j-1] != '"' {
		return 0, "", false
	}
	b := backBlanks(d, j-1)
	if b < 8 || d[b-1] != '(' || string(d[b-8:b-1]) != "Sprintf" {
		return 0, "", false
	}
	items, end := 0, q
	for n := 0; n < maxChainParts; n++ {
		_, e, ok := literalAt(d, end)
		if !ok {
			return 0, "", false
		}
		items++
		next, ok := nextListItem(d, e+1)
		if !ok {
			end = e + 1
			break
		}
		end = next
	}
	if items != verbs || closeList(d, end, ")") < 0 {
		return 0, "", false
	}
	lo := goCallStart(d, b-8)
	return lo, ")", string(d[lo:b-1]) == "fmt.Sprintf"
}

// markGoJoins marks, in a Go file, where the chains of Go's joins open
// that a keyword's value is: the first item of strings.Join's list,
// fmt.Sprint's first argument, the first argument after fmt.Sprintf's
// format (secretAccessKey = strings.Join([]string{"…", "…"}, ""),
// SecretAccessKey: fmt.Sprintf("%s%s", "…", "…")). A secret has no anchor
// of its own; a key ID's head finds its chain without these. A few bytes
// are read after a keyword that names an AWS secret, or any in a file
// with a key ID or its head, not the windows' quotes one by one (the
// detector tests are Go, and call fmt.Sprintf everywhere).
func (m *match) markGoJoins() {
	near := len(m.keyIDs) > 0 || len(m.heads) > 0 // a key ID to pair a secret with
	// Held, not read again from m past each append.
	d, kws := m.data, m.keywords
	for i := range kws {
		if kw := &kws[i]; near || kw.strong || kw.ifAWS {
			if q, ok := goJoinAfter(d, kw.end); ok {
				m.joinMarks = append(m.joinMarks, q)
			}
		}
	}
}

// goJoinAfter returns where the chain of a Go join opens that is the value
// assigned to the name that ends at j (see markGoJoins).
func goJoinAfter(d []byte, j int) (int, bool) {
	if j < len(d) && d[j] == '"' {
		j++ // a map's key
	}
	if j = goBlanks(d, j); j+1 >= len(d) || d[j] != '=' && d[j] != ':' {
		return 0, false
	}
	if j++; d[j] == '=' {
		j++ // :=
	}
	if j = goBlanks(d, j); j < len(d) && (d[j] == 's' || d[j] == 'f') {
		return goJoinStart(d, j)
	}
	return 0, false
}

// goBlanks skips the blanks gofmt aligns names and values with.
func goBlanks(d []byte, j int) int {
	for k := j; j < len(d) && j-k < 24 && d[j] == ' '; j++ {
	}
	return j
}

// goJoinStart returns where the chain of the Go join that starts at j
// opens (see markGoJoins).
func goJoinStart(d []byte, j int) (int, bool) {
	format := false
	switch {
	case hasAt(d, j, "strings.Join("):
		j = skipBlanks(d, j+len("strings.Join("))
		if !hasAt(d, j, "[]string{") {
			return 0, false
		}
		j += len("[]string{")
	case hasAt(d, j, "fmt.Sprintf("):
		j, format = j+len("fmt.Sprintf("), true
	case hasAt(d, j, "fmt.Sprint("):
		j += len("fmt.Sprint(")
	default:
		return 0, false
	}
	j = skipBlanks(d, j)
	if format {
		_, e, ok := literalAt(d, j)
		if !ok {
			return 0, false
		}
		if j = skipBlanks(d, e+1); j >= len(d) || d[j] != ',' {
			return 0, false
		}
		j = skipBlanks(d, j+1)
	}
	return j, j < len(d) && isQuote(d[j]) && joinListAt(d, j)
}

// goName reports whether a file of this name is Go source.
func goName(name string) bool { return strings.HasSuffix(name, ".go") }
