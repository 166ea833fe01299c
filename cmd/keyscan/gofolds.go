package main

import (
	"bytes"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/analyzer"
)

// A key folded from the constants of other packages leaves nothing at the
// place where it is spelled for the byte test to see: cfg.Head + cfg.Tail,
// fmt.Sprint(cfg.Head, cfg.Tail), strings.ReplaceAll(cfg.Dashed, "-", ""),
// or lib.Head + "…" where lib's Head is lib2's Pre. go vet folds all of
// them from export data (fold35: keyscan scan and staged missed each).
//
// So each package says, from its bytes, whether its constants may carry a
// piece of a key (fragments: a key ID's prefix at the end of a literal, a
// prefix glued to letters, cut by separators or in lower case, the rest of
// a prefix with the ID's characters), and each file which packages it
// folds with (foldImports: a name qualified by an import next to a +, the
// value of a declaration or an assignment, an argument of a call that
// builds a string). A package that folds with one that carries carries
// too, and is type-checked: the importer graph is followed until nothing
// changes, each package's bytes read once, by the walk.
//
// The test stays narrow where it costs: a literal added to an imported
// constant (lib.Pre + "…") keeps the precise test of crossCandidates (the
// literal must complete a head of lib's), and packages whose literals are
// plain words carry nothing, however their importers fold them.

// keyFragment reports whether the body of an interpreted string literal,
// up to its closing quote, may be a piece of a key ID that only folding
// with another constant makes whole, beyond the plain heads keyHeads reads
// ("AKIA", "AK"): a piece of a prefix after a separator at its end
// ("id=AKIA12", "x-AK"); a prefix in upper case glued to up to eight
// letters or digits ("xxAKIA…", TrimPrefix's), followed by separators
// ("AKIA-…", ReplaceAll's) or in lower case ("akia…", ToUpper's); or the
// rest of a prefix followed by at least eight of the ID's characters
// ("KIA…", after a constant "A").
func keyFragment(body []byte) bool {
	end := bytes.IndexByte(body[:min(len(body), 65)], '"')
	if end < 1 {
		return false
	}
	c := body[:end]
	if bytes.IndexByte(c, '\\') >= 0 {
		return false // escapes: escapedKeyStart's
	}
	for i := 1; i+2 <= len(c); i++ {
		if !isAlnumByte(c[i-1]) && c[i] == 'A' && isKeyIDPrefix(c[i:]) && (len(c)-i >= 4 || c[i+1] == 'K') {
			// A head after a separator, at the literal's end ("id=AKIA12",
			// "x-AK"): of the pieces shorter than a prefix only AKIA's,
			// "unknown ABI" and "RLIMIT_AS" being common words.
			return true
		}
	}
	for i := 0; i+4 <= len(c); i++ {
		if c[i]|0x20 != 'a' || i > 0 && isAlnumByte(c[i-1]) && (i > 8 || !slices.Contains(keyPrefixes[:], string(c[i:i+4]))) {
			continue
		}
		p := c[i : i+4]
		upper := slices.Contains(keyPrefixes[:], string(p))
		if !upper && !slices.ContainsFunc(keyPrefixes[:], func(k string) bool { return strings.ToLower(k) == string(p) }) {
			continue // "Asia": a word
		}
		if i+4 == len(c) {
			if i > 0 && upper {
				return true // "xxAKIA", "id=AKIA": a plain "AKIA" is a head
			}
			continue
		}
		next := c[i+4]
		if !upper && !isAlnumByte(next) || upper && !isAlnumByte(next) && (next == '/' || next == ' ' || i+5 >= len(c) || !isAlnumByte(c[i+5])) {
			continue // "asia/tokyo", "ASIA PACIFIC"…: no key goes on
		}
		if i > 0 || !isKeyIDPrefix(c) {
			return true // glued, cut or lower case: not a plain head
		}
	}
	for _, r := range [...]string{"KIA", "SIA", "BIA", "CCA", "IA", "CA"} {
		rest, ok := bytes.CutPrefix(c, []byte(r))
		if !ok || len(rest) < 8 || bytes.ContainsFunc(rest[:min(len(rest), 16)], func(r rune) bool { return r > 0x7f || !isBase32(byte(r)) }) {
			continue
		}
		if len(r) == 3 || len(rest) == 16 { // "IA…" the whole rest of a key ID: "IAM…" is a word
			return true
		}
	}
	return false
}

// carryingHeads reports whether heads (keyHeads) may start a key ID whose
// rest another package's constant holds: a whole prefix, or a piece of
// AKIA's. "AS", "AB", "AC" and "ABI" are common literals (SQL, "unknown
// ABI"), whose importers would be type-checked for nothing.
func carryingHeads(heads []string) bool {
	return slices.ContainsFunc(heads, func(h string) bool { return len(h) >= 4 || strings.HasPrefix(h, "AK") })
}

// holdsFragment reports whether a literal of data is a keyFragment.
func holdsFragment(data []byte) bool {
	return literalStarts(data, func(s int) bool { return keyFragment(data[s:]) })
}

// literalStarts reports whether at is true of the start of an interpreted
// string literal of data: the byte after a '"' that no backslash escapes.
func literalStarts(data []byte, at func(s int) bool) bool {
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '"')
		if i < 0 {
			return false
		}
		q := off + i
		off = q + 1
		if (q == 0 || data[q-1] != '\\') && q+1 < len(data) && at(q+1) {
			return true
		}
	}
}

// foldQualifiers returns the names that qualify an operand data folds
// (pkg in pkg.Name: next to a +, the whole value of a declaration or an
// assignment, an argument of a call that builds strings), each once, and
// whether a bare name is so folded (a package imported with a dot names
// its constants so). pkg.Name + "…", a literal added after the constant,
// is crossTails': it is not one of them.
//
// consts are those of them folded in a constant's declaration (const Head
// = lib2.Pre, const ID = lib.Head + lib.Tail): only a constant passes a
// piece on to the packages that import this one, go vet reading no
// variable's value across packages.
func foldQualifiers(data []byte) (quals, consts [][]byte, bare bool) {
	at := 0 // the offset of the operand being noted
	var regions [][2]int
	if bytes.Contains(data, []byte("const")) {
		regions = constRegions(data)
	}
	add := func(list [][]byte, q []byte) [][]byte {
		if !slices.ContainsFunc(list, func(o []byte) bool { return bytes.Equal(o, q) }) {
			list = append(list, q)
		}
		return list
	}
	note := func(q []byte) {
		if q == nil {
			bare = true
			return
		}
		quals = add(quals, q)
		if slices.ContainsFunc(regions, func(r [2]int) bool { return r[0] <= at && at < r[1] }) {
			consts = add(consts, q)
		}
	}
	// The + of the file; the = only where a value given may be passed on:
	// in a constant's declaration, or in a file that grows a string with
	// += (k := cfg.Head; k += cfg.Tail). Go code has many =, few of them
	// there.
	grows := bytes.Contains(data, []byte("+="))
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '+')
		if i < 0 {
			break
		}
		i += off
		off = i + 1
		at = i
		next := byte(0)
		if i+1 < len(data) {
			next = data[i+1]
		}
		switch next {
		case '+': // x++
			off = i + 2
		case '=': // k += pkg.Name
			off = i + 2
			if q, ok := operandAfter(data, i+2); ok {
				note(q)
			}
		default:
			after := bytes.TrimLeft(data[i+1:], " \t\r\n")
			if q, ok := operandQualifier(trimSpaceEnd(data[:i])); ok && (len(after) == 0 || after[0] != '"' && after[0] != '`') {
				note(q)
			}
			if q, ok := operandAfter(data, i+1); ok {
				note(q)
			}
		}
	}
	assigned := func(from, to int) {
		for off := from; off < to; {
			i := bytes.IndexByte(data[off:to], '=')
			if i < 0 {
				return
			}
			i += off
			off = i + 1
			at = i
			switch {
			case i+1 < len(data) && data[i+1] == '=': // ==
				off = i + 2
			case i > 0 && strings.IndexByte("!<>=+-*/%&|^", data[i-1]) >= 0: // !=, <=, -=…
			default:
				// const Head = lib2.Pre, k := cfg.Head: the whole value.
				if q, ok := operandAfter(data, i+1); ok && valueEnds(data, i+1) {
					note(q)
				}
			}
		}
	}
	if grows {
		assigned(0, len(data))
	} else {
		for _, r := range regions {
			assigned(r[0], r[1])
		}
	}
	// The calls in one pass over the dots (six searches cost more).
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '.')
		if i < 0 || off+i+1 >= len(data) {
			break
		}
		off += i + 1
		if strings.IndexByte("JSRT", data[off]) < 0 {
			continue
		}
		for _, c := range foldCalls {
			if !bytes.HasPrefix(data[off-1:], []byte(c)) {
				continue
			}
			off += len(c) - 1
			at = off
			open := bytes.IndexByte(data[off:min(len(data), off+16)], '(')
			if open < 0 {
				break
			}
			args := data[off+open : min(len(data), off+open+512)]
			if end := bytes.IndexByte(args, ')'); end >= 0 {
				args = args[:end+1]
			}
			for j, b := range args {
				if b != '(' && b != ',' && b != '{' {
					continue
				}
				if q, ok := operandAfter(args, j+1); ok && q != nil {
					note(q)
				}
			}
			break
		}
	}
	return quals, consts, bare
}

// constRegions returns where data declares constants, as gofmt lays a
// declaration out: a line that starts with const, to the line's end, or
// "const (" to the ")" that closes it at the left margin.
func constRegions(data []byte) [][2]int {
	var out [][2]int
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("const"))
		if i < 0 {
			return out
		}
		i += off
		off = i + 5
		if i > 0 && data[i-1] != '\n' || i+5 >= len(data) {
			continue
		}
		rest := bytes.TrimLeft(data[i+5:], " \t")
		end := bytes.IndexByte(data[i:], '\n')
		if end < 0 {
			end = len(data) - i
		}
		if len(rest) > 0 && rest[0] == '(' {
			if e := bytes.Index(data[i:], []byte("\n)")); e >= 0 {
				end = e
			} else {
				end = len(data) - i
			}
		} else if data[i+5] != ' ' && data[i+5] != '\t' {
			continue // constants, a name
		}
		out = append(out, [2]int{i, i + end})
		off = i + end
	}
}

// foldCalls are the calls whose arguments the analyzer folds
// (stringBuilders), as the bytes spell them.
var foldCalls = []string{".Join", ".Sprint", ".Replace", ".ToUpper", ".ToLower", ".Trim"}

// operandAfter reads the operand that starts data[i:] after blanks: a
// name or pkg.Name, perhaps converted (T(pkg.Name)), not called. It
// returns pkg, nil for a bare name; false for any other operand.
func operandAfter(data []byte, i int) ([]byte, bool) {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	name := func(j int) int {
		for j < len(data) && (data[j] == '_' || 'a' <= data[j]|0x20 && data[j]|0x20 <= 'z' || '0' <= data[j] && data[j] <= '9' || data[j] >= 0x80) {
			j++
		}
		return j
	}
	e := name(i)
	if e == i || '0' <= data[i] && data[i] <= '9' {
		return nil, false
	}
	if e < len(data) && data[e] == '(' { // a conversion: T(x)
		return operandAfter(data, e+1)
	}
	var qual []byte
	if e < len(data) && data[e] == '.' {
		qual = data[i:e]
		s := e + 1
		e = name(s)
		if e == s {
			return nil, false
		}
		if e < len(data) && data[e] == '.' {
			return nil, false // x.y.z: a field
		}
	}
	if e < len(data) && (data[e] == '(' || data[e] == '{' || data[e] == '[') {
		return nil, false // a call, a literal, an index
	}
	if qual == nil {
		switch string(data[i:e]) {
		case "nil", "true", "false", "iota", "func", "struct", "map", "chan", "interface":
			return nil, false
		}
	}
	return qual, true
}

// valueEnds reports whether the operand after data[i:] is the whole value
// of its line: what follows it is a line's end, a comment, ; or ).
func valueEnds(data []byte, i int) bool {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	for i < len(data) && (data[i] == '_' || data[i] == '.' || 'a' <= data[i]|0x20 && data[i]|0x20 <= 'z' || '0' <= data[i] && data[i] <= '9' || data[i] >= 0x80) {
		i++
	}
	if i < len(data) && data[i] == ')' {
		i++ // string(pkg.Name)
	}
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	return i >= len(data) || data[i] == '\n' || data[i] == '\r' || data[i] == ';' || data[i] == ')' || bytes.HasPrefix(data[i:], []byte("//"))
}

// foldImports returns the import paths of the packages data folds with
// (foldQualifiers matched to the file's imports; a bare name, each import
// with a dot). The imports are parsed only for a file that folds a
// qualified name.
//
// consts are those of them whose constants the file's own constants fold
// (foldQualifiers' consts; with a dot import, all of them when a constant
// folds a bare name): what the package passes on to its importers.
func foldImports(data []byte) (all, consts []string) {
	quals, constQuals, bare := foldQualifiers(data)
	dot := bare && (bytes.Contains(data, []byte(". \"")) || bytes.Contains(data, []byte(".\t\"")))
	if len(quals) == 0 && !dot {
		return nil, nil
	}
	imports := analyzer.FileImports(data)
	add := func(out []string, ps []string) []string {
		for _, p := range ps {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
		return out
	}
	for _, q := range quals {
		all = add(all, imports[string(q)])
	}
	for _, q := range constQuals {
		consts = add(consts, imports[string(q)])
	}
	if dot {
		all = add(all, imports["."])
		if bytes.Contains(data, []byte("const")) {
			consts = add(consts, imports["."])
		}
	}
	return all, consts
}
