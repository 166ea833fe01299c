package scanner

import "bytes"

// sqlColumnValue reports whether the value at v is the one a SQL statement
// gives the column the keyword (kwStart, kwEnd) names in its column list,
// by position (qa18 H2): the keyword is the n-th column, the value the n-th
// item of a row, whatever stands between them on how many lines.
//
//	INSERT INTO credentials (provider, aws_secret_access_key, created_at)
//	VALUES ('aws', 'S', now()), ('aws', 'S', now());
//	INSERT INTO credentials (id, aws_secret_access_key) SELECT 1, 'S';
//	MERGE … WHEN NOT MATCHED THEN INSERT (id, aws_secret_access_key) VALUES (1, 'S');
//	COPY public.credentials (id, aws_secret_access_key) FROM stdin;
//	1	S
//
// A row's items are read whole (strings with their doubled quotes, calls
// with their arguments, casts, comments), so that the count is the one SQL
// makes. The keyword must be a whole column of a list that INSERT, INSERT
// INTO, REPLACE INTO or COPY opens; the caller bounds the distance.
func sqlColumnValue(d []byte, kwStart, kwEnd, v int) bool {
	s, target, stmt := sqlColumnOf(d, kwStart, kwEnd, v)
	if target < 0 {
		return false
	}
	at := func() int { return v - len(s.b) }
	if stmt == "copy" {
		return copyRowValue(d, at(), v, target)
	}
	switch w := s.word(); {
	case equalLower(w, "values"):
		for s.next('(') { // one row after another: (…), (…)
			if hit, ok := rowItemAt(&s, at, v, target); hit || !ok || !s.next(')') || !s.next(',') {
				return hit
			}
		}
		return false
	case equalLower(w, "select"):
		hit, _ := rowItemAt(&s, at, v, target)
		return hit
	}
	return false
}

// sqlColumnOf reads the column list the keyword (kwStart, kwEnd) stands
// in, up to v, and returns the text after the
// list, the keyword's index among the columns (-1: it is no whole column
// of an INSERT's or COPY's list) and the statement ("insert", "copy").
func sqlColumnOf(d []byte, kwStart, kwEnd, v int) (sqlText, int, string) {
	if !sqlColumnMay(d, kwStart, kwEnd, v) {
		return sqlText{}, -1, ""
	}
	open := bytes.LastIndexByte(d[max(0, kwStart-sqlListBytes):kwStart], '(')
	if open < 0 {
		return sqlText{}, -1, ""
	}
	open += max(0, kwStart-sqlListBytes)
	if bytes.ContainsAny(d[open:kwStart], "');") {
		return sqlText{}, -1, ""
	}
	stmt, ok := sqlListOpener(d, open)
	if !ok {
		return sqlText{}, -1, ""
	}
	s := sqlText{b: d[open+1 : v]}
	at := func() int { return v - len(s.b) }
	target := -1
	for n := 0; ; n++ {
		s.blanks()
		p := at()
		if !s.column() {
			return sqlText{}, -1, ""
		}
		if p == kwStart && at() == kwEnd || p+1 == kwStart && at() == kwEnd+1 {
			target = n // the keyword is the whole column's name
		}
		if s.next(')') {
			break
		}
		if !s.next(',') {
			return sqlText{}, -1, ""
		}
	}
	if target < 0 {
		return sqlText{}, -1, ""
	}
	return s, target, stmt
}

// sqlRowBytes is how far after the keyword sqlColumnRef reads its
// statement's first row.
const sqlRowBytes = 600

// sqlListBytes is how far before the keyword sqlColumnOf looks for the
// '(' that opens its list.
const sqlListBytes = 400

// sqlColumnMay is sqlColumnOf's cheap tests: it is asked of every keyword
// near a value that no nearer name assigns. The keyword must stand between
// a "(" or "," and a "," or ")" (a quote may close it).
func sqlColumnMay(d []byte, kwStart, kwEnd, v int) bool {
	j := kwEnd
	if j < v && (d[j] == '"' || d[j] == '`' || d[j] == ']') {
		j++
	}
	for j < v && (d[j] == ' ' || d[j] == '\t' || d[j] == '\r' || d[j] == '\n') {
		j++
	}
	if j >= v || d[j] != ',' && d[j] != ')' {
		return false
	}
	i := kwStart
	if i > 0 && (d[i-1] == '"' || d[i-1] == '`' || d[i-1] == '[') {
		i--
	}
	for i > 0 && (d[i-1] == ' ' || d[i-1] == '\t' || d[i-1] == '\r' || d[i-1] == '\n') {
		i--
	}
	return i > 0 && (d[i-1] == ',' || d[i-1] == '(')
}

// sqlColumnRef returns the variable an INSERT gives the column the keyword
// (kwStart, kwEnd) names, in the first row of its VALUES or SELECT within
// 600 bytes, when that item is a reference alone (VALUES (1, @s), psql's
// :'s' or :s), for followRefs; nil otherwise.
func sqlColumnRef(d []byte, kwStart, kwEnd int) []byte {
	v := min(len(d), kwEnd+sqlRowBytes)
	s, target, stmt := sqlColumnOf(d, kwStart, kwEnd, v)
	if target < 0 || stmt != "insert" {
		return nil
	}
	switch w := s.word(); {
	case equalLower(w, "values"):
		if !s.next('(') {
			return nil
		}
	case !equalLower(w, "select"):
		return nil
	}
	for n := 0; ; n++ {
		b := s.blanks()
		if n == target {
			name, e := refAt(b, 0)
			if name == nil {
				return nil
			}
			rest := bytes.TrimLeft(b[e:], " \t\r\n")
			if len(rest) > 0 && rest[0] != ',' && rest[0] != ')' && rest[0] != ';' {
				return nil // @s + 1: more than the reference
			}
			return name
		}
		if !s.item() || !s.next(',') {
			return nil
		}
	}
}

// sqlListOpener reports whether the parenthesis at open opens the column
// list of an INSERT (INSERT INTO t (, INSERT t (, REPLACE INTO t (, MERGE's
// THEN INSERT () or of a COPY (COPY t (), and which ("copy" or "insert").
func sqlListOpener(d []byte, open int) (string, bool) {
	w, at := sqlWordBefore(d, open)
	if equalLower(w, "insert") {
		return "insert", true // MERGE … WHEN NOT MATCHED THEN INSERT (
	}
	if len(w) == 0 {
		return "", false
	}
	verb, _ := sqlWordBefore(d, at)
	switch {
	case equalLower(verb, "into"), equalLower(verb, "insert"):
		return "insert", true
	case equalLower(verb, "copy"):
		return "copy", true
	}
	return "", false
}

// sqlWordBefore returns the name that ends before i (blanks between), a
// table's qualified or quoted name whole ([dbo].[t], "public"."t"), and
// where it starts.
func sqlWordBefore(d []byte, i int) ([]byte, int) {
	lo := max(0, i-200)
	for i > lo && (d[i-1] == ' ' || d[i-1] == '\t' || d[i-1] == '\r' || d[i-1] == '\n') {
		i--
	}
	e := i
	for i > lo && (isWord(d[i-1]) || d[i-1] == '.' || d[i-1] == '"' || d[i-1] == '`' || d[i-1] == '[' || d[i-1] == ']') {
		i--
	}
	return d[i:e], i
}

// rowItemAt reads the items of a row (VALUES (…) or SELECT …) and reports
// whether its item number target is a string that starts at v (its quote
// just before, or N'…', E'…'), and else whether the row was read whole,
// up to its closing parenthesis.
func rowItemAt(s *sqlText, at func() int, v, target int) (hit, ok bool) {
	for n := 0; ; n++ {
		b := s.blanks()
		if p := at(); n == target && len(b) > 0 &&
			(p == v-1 && isQuote(b[0]) || p == v-2 && len(b) > 1 && isQuote(b[1]) && (b[0]|0x20 == 'n' || b[0]|0x20 == 'e')) {
			return true, true
		}
		if !s.item() {
			return false, false
		}
		if !s.next(',') {
			return false, true
		}
	}
}

// item reads one item of a row up to the comma or parenthesis that ends
// it: strings (their doubled quotes and backslash escapes too), calls with
// their arguments, casts, arithmetic.
func (s *sqlText) item() bool {
	b, depth, read := s.blanks(), 0, false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\'' || c == '"':
			k := closingQuote(b, i)
			if k < 0 {
				return false
			}
			i, read = k, true
		case c == '(':
			depth++
		case c == ')' || c == ',':
			if depth == 0 {
				s.b = b[i:]
				return read
			}
			if c == ')' {
				depth--
			}
		case c == ';':
			return false
		default:
			read = true
		}
	}
	return false
}

// closingQuote returns the index of the quote that closes the string
// opening at b[i], past doubled quotes ('it”s') and backslash escapes,
// or -1.
func closingQuote(b []byte, i int) int {
	q := b[i]
	for k := i + 1; k < len(b); k++ {
		switch b[k] {
		case '\\':
			k++
		case q:
			if k+1 < len(b) && b[k+1] == q {
				k++
				continue
			}
			return k
		}
	}
	return -1
}

// copyRowValue reports whether the value at v is field number target of a
// data row of the COPY … FROM stdin whose column list ends at listEnd: the
// statement's line ends in ;, the rows follow it, fields parted by tabs (or
// commas where the options say csv), no end-of-data line (\.) between.
func copyRowValue(d []byte, listEnd, v, target int) bool {
	nl := bytes.IndexByte(d[listEnd:v], '\n')
	if nl < 0 {
		return false
	}
	head := bytes.TrimRight(d[listEnd:listEnd+nl], " \t\r")
	opts, ok := bytes.CutSuffix(head, []byte(";"))
	if w, _ := leadingWord(bytes.TrimLeft(opts, " \t")); !ok || !equalLower(w, "from") {
		return false
	}
	sep := byte('\t')
	if bytes.Contains(bytes.ToLower(opts), []byte("csv")) {
		sep = ','
	}
	rows := d[listEnd+nl+1 : v]
	ls := bytes.LastIndexByte(rows, '\n') + 1
	if bytes.Contains(rows[:ls], []byte("\n\\.")) || bytes.HasPrefix(rows, []byte("\\.")) {
		return false
	}
	field := rows[ls:]
	if sep == ',' && len(field) > 0 && field[len(field)-1] == '"' {
		field = field[:len(field)-1] // "S" in a csv row
	}
	if len(field) > 0 && field[len(field)-1] != sep {
		return false // the value does not start its field
	}
	return bytes.Count(field, []byte{sep}) == target && bytes.IndexByte(field, '\r') < 0
}
