package scanner

import "bytes"

// MySQL sets a user variable from a query as well as by SET (qa22 M5):
//
//	SELECT '<secret>' INTO @s;
//	SELECT '<secret>', 'ci' INTO @s, @u FROM DUAL;
//	UPDATE creds SET aws_secret_access_key = @s;
//
// where the variable's name stands after the value, in the INTO list,
// and its value is the SELECT list's item at the same place. assignedAt
// asks selectIntoValue of an @name in a command that opens with SELECT;
// the index (assignments.command) asks it of every wanted name of such a
// command, so both find the same assignments.

// selectIntoValue reports whether the @name at at (the '@'), in the
// command d[cs:at+…] that opens with SELECT, is an item of the command's
// INTO list (ok), and where the literal it is given starts: the SELECT
// list's item at the same place, after its quote (-1 where that item is
// no literal of a secret's characters).
func selectIntoValue(d []byte, cs, at int) (v int, ok bool) {
	i := skipSpaceTab(d, cs, at)
	if !selectAt(d, i, at) {
		return -1, false
	}
	list := i + len("SELECT ")
	// the INTO list before the name: INTO, then @names and commas
	into := lastIndexFold(d[list:at], " INTO ")
	if into < 0 {
		return -1, false
	}
	into += list
	n := 0 // the name's place in the INTO list
	for _, c := range d[into+len(" INTO ") : at] {
		switch {
		case c == ',':
			n++
		case c == ' ' || c == '\t' || c == '@' || isWord(c):
		default:
			return -1, false
		}
	}
	// the SELECT list's item n: commas outside quotes part the items
	item, quote := list, byte(0)
	for k := list; k < into && n > 0; k++ {
		switch c := d[k]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ',':
			n--
			item = k + 1
		}
	}
	if n > 0 {
		return -1, true // fewer items than names
	}
	j := skipSpaceTab(d, item, into)
	if j+1 < into && d[j]|0x20 == 'n' && d[j+1] == '\'' {
		j++ // N'…'
	}
	if j >= into || d[j] != '\'' && d[j] != '"' {
		return -1, true // an expression, not a literal
	}
	j++
	if j >= into || !isSecretChar(d[j]) {
		return -1, true
	}
	return j, true
}

// skipSpaceTab returns where the blanks and tabs from i end, before e.
func skipSpaceTab(d []byte, i, e int) int {
	for i < e && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	return i
}

// selectAt reports whether d[i:e] opens with the word SELECT and a blank.
func selectAt(d []byte, i, e int) bool {
	return hasPrefixFold(d[i:e], "SELECT ") || hasPrefixFold(d[i:e], "SELECT\t")
}

// selectCommand reports whether the command d[cs:e] opens with SELECT and
// holds an @name: assignments.command then asks every wanted name in it.
func selectCommand(d []byte, cs, e int) bool {
	return selectAt(d, skipSpaceTab(d, cs, e), e) && bytes.IndexByte(d[cs:e], '@') >= 0
}
