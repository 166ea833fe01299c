package scanner

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// build turns the accepted candidates into findings: pairing, fingerprints,
// positions, suggestions and inline allow directives.
func (m *match) build() {
	byStart := func(a, b cand) int { return a.start - b.start }
	all := m.keyIDs // in order of position, and usually all there is
	if len(m.secrets) > 0 || !slices.IsSortedFunc(all, byStart) {
		all = append(slices.Clone(m.keyIDs), m.secrets...)
		// Drop a candidate that overlaps an earlier one of the same kind
		// (a token keyword and a token prefix can find the same token).
		slices.SortStableFunc(all, byStart)
	}
	if len(all) == 0 {
		return
	}
	// The findings go straight into m.out (empty until now: the decoders
	// add theirs after), grown once.
	base := len(m.out)
	m.out = slices.Grow(m.out, len(all))
	// A fingerprint depends on the rule, the file and the value only, and
	// a value found again in the same input (a test file's fixture, a
	// secret copied into every block) has the same one: its SHA-256 is
	// taken once (fingerprints).
	var fps fingerprints
	for _, c := range all {
		if n := len(m.out); n > base && m.out[n-1].Kind == c.kind && c.start < m.out[n-1].EndOffset {
			continue
		}
		m.out = append(m.out, m.finding(c, &fps))
	}
}

// finding makes the finding of an accepted candidate.
func (m *match) finding(c cand, fps *fingerprints) Finding {
	r := m.s.byKind[c.kind]
	f := Finding{
		Rule: r.ID, Kind: c.kind, Severity: r.Severity, File: m.name,
		Offset: c.start, EndOffset: c.end, Secret: c.value, Encoding: c.encoding,
		Fingerprint: fps.of(r.ID, m.name, c.kind, c.value), Context: c.context,
		Suggestion: m.suggestion(c),
	}
	if c.kind == rules.AccessKeyID {
		f.setAccount()
		f.Context = keyIDKinds[c.value[:4]]
	}
	if c.level == ctxWeak {
		f.Severity = rules.Warning
	}
	return f
}

// withWordIDs adds to fs, sorted by offset, the key IDs keepWordID kept
// aside where fs holds a secret or a session token for them to pair with
// and no finding of their span, and returns fs sorted again. A word-like
// key ID beside a secret found on its own evidence is reported: the
// secret shows that credentials stand there, and a real key ID that
// happens to spell words (about once in 10^6 at most) is then kept.
func (m *match) withWordIDs(fs Findings) Findings {
	w := m.scratch.wordIDs
	if len(w) == 0 {
		return fs
	}
	slices.SortFunc(w, func(a, b cand) int { return a.start - b.start }) // for wordIDAt
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Kind != rules.AccessKeyID }) {
		return fs
	}
	var fps fingerprints
	n := len(fs)
	for _, c := range w {
		if slices.ContainsFunc(fs[:n], func(f Finding) bool { return f.Offset < c.end && c.start < f.EndOffset }) {
			continue
		}
		fs = append(fs, m.finding(c, &fps))
	}
	if len(fs) > n {
		slices.SortStableFunc(fs, func(a, b Finding) int { return a.Offset - b.Offset })
	}
	return fs
}

// wordIDLines is how far, in lines, a secret pairs with a word-like key
// ID: the pair of a credentials block, not any code of the file.
const wordIDLines = 5

// dropWordIDs removes from fs the word-like key IDs (withWordIDs) that no
// secret chose as its pair (pair).
func (m *match) dropWordIDs(fs Findings) Findings {
	if len(m.scratch.wordIDs) == 0 {
		return fs
	}
	return slices.DeleteFunc(fs, func(f Finding) bool {
		return f.Kind == rules.AccessKeyID && f.Pair == "" && m.wordIDAt(f.Offset, f.Secret)
	})
}

// fingerprints remembers the last fingerprints build took of one input's
// values, a few hundred, each in a slot chosen by a few of its bytes: a
// value found again takes its fingerprint from here, not from another
// SHA-256 (4,400 instructions, a tenth of the matcher on text with a
// secret every line). A map cost 5 % more on a file of distinct keys; a
// slot costs a compare.
type fingerprints [256]struct {
	kind      rules.Kind
	value, fp string
}

// of returns Fingerprint(rule, file, value), rule being kind's rule and
// file the same for every call.
func (fps *fingerprints) of(rule, file string, kind rules.Kind, value string) string {
	h := len(value)
	if n := len(value); n > 0 {
		h = h*31 + int(value[n-1])
		h = h*31 + int(value[n/2])
		h = h*31 + int(value[n/3])
	}
	e := &fps[h%len(fps)]
	if e.fp != "" && e.kind == kind && e.value == value {
		return e.fp
	}
	fp := Fingerprint(rule, file, value)
	e.kind, e.value, e.fp = kind, value, fp
	return fp
}

// keyIDKinds say what each credential prefix is: the reason a key ID is
// reported.
var keyIDKinds = map[string]string{
	"AKIA": "AKIA and 16 base32 characters: a long-term access key ID",
	"ASIA": "ASIA and 16 base32 characters: a temporary access key ID (works with its secret and session token)",
	"ABIA": "ABIA and 16 base32 characters: an STS service bearer token key ID",
	"ACCA": "ACCA and 16 base32 characters: a context-specific credential key ID",
}

// finish pairs the findings of the whole input (those decoded from base64
// included), places them, and applies inline allow directives.
func (m *match) finish() {
	fs := m.out
	if len(fs) == 0 {
		return
	}
	if !byOffset(fs) {
		slices.SortStableFunc(fs, func(a, b Finding) int { return a.Offset - b.Offset }) // the decoders' findings come after the data's
	}
	fs = m.withWordIDs(fs)
	m.pair(fs)
	fs = m.dropWordIDs(fs)
	m.out = fs
	m.markTestKeys(fs)
	respond(fs)
	m.positions(fs)
	out := fs[:0]
	for i := range fs {
		if !m.allowDirective(&fs[i]) {
			if len(out) < i {
				out = append(out, fs[i])
			} else {
				out = out[:i+1] // in place: no copy until one is dropped
			}
		}
	}
	m.out = out
}

// byOffset reports whether fs is sorted by offset.
func byOffset(fs Findings) bool {
	for i := 1; i < len(fs); i++ {
		if fs[i].Offset < fs[i-1].Offset {
			return false
		}
	}
	return true
}

// markTestKeys marks the key IDs of TestAccount, and the secrets and
// session tokens that are unambiguously their other half (testHalf): a
// secret beside a key ID that cannot authenticate is the other half of the
// same test fixture (a moto or LocalStack set-up), whatever its own name
// says. A zero-account key ID costs nothing to write, so when in doubt the
// secret is reported: a test ID in a comment, escaped, under a name that is
// no key ID's, or with a real key ID in the secret's reach hides nothing.
func (m *match) markTestKeys(fs Findings) {
	var test map[string][]int // fingerprint of a test key ID -> where it stands
	for i := range fs {
		// build has decoded every key ID's account (setAccount): a test
		// key ID is one of TestAccount (TestKeyID).
		if f := &fs[i]; f.Kind == rules.AccessKeyID && f.AccountID == TestAccount {
			f.TestKey = testKeyReason
			if test == nil {
				test = map[string][]int{}
			}
			test[f.Fingerprint] = append(test[f.Fingerprint], i)
		}
	}
	if len(test) == 0 {
		return
	}
	span := 0 // the longest finding: testHalf looks only at those that can reach its window
	for i := range fs {
		span = max(span, fs[i].EndOffset-fs[i].Offset)
	}
	for i := range fs {
		f := &fs[i]
		if f.Kind == rules.AccessKeyID || f.Pair == "" {
			continue
		}
		ks := test[f.Pair]
		if len(ks) == 0 {
			continue
		}
		k := ks[0] // the same test ID written twice: the nearest is the pair
		for _, j := range ks[1:] {
			if abs(fs[j].Offset-f.Offset) < abs(fs[k].Offset-f.Offset) {
				k = j
			}
		}
		if m.testHalf(fs, i, k, span) {
			f.TestKey = "paired with the test key ID " + Redact(fs[k].Secret) + " of account " + TestAccount + ", a test fixture"
		}
	}
}

// onlyBase64 reports whether an encoding is base64, one level or more
// ("base64+base64").
func onlyBase64(enc string) bool {
	for {
		rest, ok := strings.CutPrefix(enc, "base64")
		if !ok {
			return false
		}
		if rest == "" {
			return true
		}
		if enc, ok = strings.CutPrefix(rest, "+"); !ok {
			return false
		}
	}
}

// testHalfLines bounds how many lines may stand between a test key ID and
// the secret it hides (a Terraform block or a YAML mapping puts a few
// settings between them).
const testHalfLines = 4

// testHalf reports whether the secret fs[i] is unambiguously the other half
// of the test key ID fs[k]: the ID is written plain (or both are base64 of
// one document, or both concatenations), in a setting or argument and not in a comment, in the same
// call or object literal as the secret (one line) or in the same run of
// settings (a few lines, no blank line or INI header between), under a name
// that can be a key ID's; and no real key ID stands in the secret's reach.
func (m *match) testHalf(fs Findings, i, k, span int) bool {
	f, id := &fs[i], &fs[k]
	if id.Encoding != "" && (id.Encoding != f.Encoding || !onlyBase64(id.Encoding) && id.Encoding != "concatenation") {
		return false // escaped: written to be read by a program, not a fixture's plain pair
	}
	lo, hi := m.linesBack(f.Offset, 20, 4000), m.linesForward(f.EndOffset, 20, 4000)
	// fs is sorted by offset and no finding is longer than span: the ones
	// that reach [lo,hi] start at lo-span or after. (Reading them all was
	// quadratic: a file of test key pairs, 25,000 a megabyte, took 8 s.)
	for j := sort.Search(len(fs), func(j int) bool { return fs[j].Offset >= lo-span }); j < len(fs) && fs[j].Offset <= hi; j++ {
		if c := &fs[j]; c.Kind == rules.AccessKeyID && c.TestKey == "" && c.EndOffset >= lo && c.Offset <= hi && m.sameSection(c.Offset, f.Offset) {
			return false // a real key ID competes for the secret
		}
	}
	a, b := id, f
	if b.Offset < a.Offset {
		a, b = b, a
	}
	if a.EndOffset > b.Offset {
		return false
	}
	d := m.data
	la := *m.line(a.Offset)
	lb := *m.line(b.Offset)
	if la.start == lb.start {
		// One line: a call or an object literal, unless a comment separates them.
		// A closing brace, bracket or ';' between them ends the object or
		// statement: {"local":{"AccessKeyId":…},"prod":{"SecretAccessKey":…}}.
		between := d[a.EndOffset:b.Offset]
		return !commentIn(between) && !commentIn(d[la.start:a.Offset]) && !bytes.ContainsAny(between, "};]")
	}
	if !m.sameSection(a.Offset, b.Offset) {
		return false
	}
	// Lines apart: each half a setting or a bare argument of its own line,
	// a few lines apart with no blank line between.
	idName, ok := m.settingLine(id.Offset, true)
	if !ok {
		return false
	}
	secretName, ok := m.settingLine(f.Offset, false)
	if !ok || idName != "" && secretName != "" && credentialSet(idName, true) != credentialSet(secretName, false) {
		return false // LOCALSTACK_ACCESS_KEY_ID beside AWS_SECRET_ACCESS_KEY: two sets (a bare argument has no name to compare)
	}
	gap := d[la.end:lb.start] // "\n" when the lines are adjacent
	if len(gap) < 2 {
		return true
	}
	between := bytes.Split(gap[1:len(gap)-1], []byte{'\n'})
	if len(between) > testHalfLines {
		return false
	}
	for _, l := range between {
		if len(bytes.TrimSpace(l)) == 0 {
			return false
		}
	}
	return true
}

// settingLine reports whether the value at off stands in a setting of its
// line (name = value, name: value, name=value in a call) or is a bare
// literal argument on a line of its own, with no comment before it, and
// returns the setting's name ("" for a bare argument). For a key ID (isID)
// the name must be one a key ID can have.
func (m *match) settingLine(off int, isID bool) (string, bool) {
	l := m.line(off)
	d := m.data
	before := bytes.TrimLeft(d[l.start:off], " \t")
	if len(before) == 0 || commentIn(before) || isComment(before) || bytes.HasPrefix(before, []byte("*")) {
		return "", false
	}
	if len(bytes.Trim(before, "\"'`")) == 0 {
		return "", true // a bare literal: an argument of a call spread over lines
	}
	name := m.lineKey(off)
	if name == "" {
		// name=value inside a call: the name just before the value.
		t := bytes.TrimRight(before, "\"'` \t")
		if n := len(t); n == 0 || t[n-1] != '=' && t[n-1] != ':' {
			return "", false
		}
		t = bytes.TrimRight(t[:len(t)-1], "\"'] \t")
		j := len(t)
		for j > 0 && isIdentChar(t[j-1]) {
			j--
		}
		name = string(t[j:])
	}
	if name == "" {
		return "", false
	}
	if !isID {
		return name, true
	}
	n := strings.ToLower(name)
	return name, strings.Contains(n, "id") || strings.Contains(n, "key") || strings.Contains(n, "access") || strings.Contains(n, "user") || n == "value"
}

// credentialSet names the set of credentials a setting belongs to: its name
// in lower case, letters and digits only, without the words that say which
// half it is and without a leading "aws". AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, access_key and secret_key are all "";
// LOCALSTACK_ACCESS_KEY_ID is "localstack" and AWS_ACCESS_KEY_ID_TEST "test". A secret hides as a
// test key's other half only under the same set's name.
func credentialSet(name string, isID bool) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	n := b.String()
	halves := []string{"secretaccesskey", "accesskeysecret", "accesssecret", "sessiontoken", "securitytoken", "secretkey", "secret", "token"}
	if isID {
		halves = []string{"accesskeyid", "accesskey", "keyid", "accessid", "key", "id"}
	}
	for _, h := range halves {
		if i := strings.Index(n, h); i >= 0 {
			n = n[:i] + n[i+len(h):]
			break
		}
	}
	return strings.TrimPrefix(n, "aws") // aws_secret_access_key and secret_key are one set
}

// commentIn reports whether t holds a comment opener (#, //, /*, <!--) or
// an INI comment's ';' at its start.
func commentIn(t []byte) bool {
	return bytes.ContainsAny(t, "#") || bytes.Contains(t, []byte("//")) || bytes.Contains(t, []byte("/*")) || bytes.Contains(t, []byte("<!--"))
}

// pair links each secret and token to the nearest key ID (ASIA first for
// tokens) within twenty lines, and each key ID back to the nearest of the
// secrets that chose it. Entries under the same name in parallel lists
// (prod: ID ... prod: SECRET) pair first, whatever the distance.
func (m *match) pair(fs Findings) {
	keys := make([]string, len(fs)) // fs is sorted by offset: each line is read once
	for i := range fs {
		keys[i] = m.lineKey(fs[i].Offset)
	}
	cost := func(a, b int) int {
		if keys[a] != "" && keys[a] == keys[b] {
			return -1
		}
		return abs(fs[a].Offset - fs[b].Offset)
	}
	chosen := map[int]int{} // key ID index -> secret index
	// Only key IDs are paired with: their indexes in fs, so that a secret
	// looks at the key IDs of its window, not at every secret there (a long
	// line of secrets has a hundred in each window).
	var ids []int
	for j := range fs {
		if fs[j].Kind == rules.AccessKeyID {
			ids = append(ids, j)
		}
	}
	for i := range fs {
		f := &fs[i]
		if f.Kind == rules.AccessKeyID || len(ids) == 0 {
			continue
		}
		lo, hi := m.linesBack(f.Offset, 20, 4000), m.linesForward(f.EndOffset, 20, 4000)
		best, bestCost, bestWord := -1, 0, false
		// fs is sorted by offset: look only at the findings inside the window.
		a := sort.Search(len(fs), func(j int) bool { return fs[j].EndOffset >= lo })
		for _, j := range ids[sort.SearchInts(ids, a):] {
			k := &fs[j]
			if k.Offset > hi {
				break
			}
			if f.Kind == rules.SessionToken && !strings.HasPrefix(k.Secret, "ASIA") {
				continue
			}
			if !m.sameSection(k.Offset, f.Offset) {
				continue // a key ID pairs with the secrets of its own INI section
			}
			c, word := cost(i, j), m.wordIDAt(k.Offset, k.Secret)
			if word && (k.Offset < m.linesBack(f.Offset, wordIDLines, 1000) || k.Offset > m.linesForward(f.EndOffset, wordIDLines, 1000)) {
				continue // a code of the file, not the secret's key ID
			}
			// a key ID of random shape first, at any distance
			if best < 0 || !word && bestWord || word == bestWord && c < bestCost {
				best, bestCost, bestWord = j, c, word
			}
		}
		if best < 0 {
			continue
		}
		f.Pair = fs[best].Fingerprint
		f.Severity = rules.Error
		if f.Kind != rules.SecretAccessKey {
			continue
		}
		if prev, ok := chosen[best]; !ok || cost(i, best) < cost(prev, best) {
			chosen[best] = i
		}
	}
	for k, sec := range chosen {
		fs[k].Pair = fs[sec].Fingerprint
	}
}

// lineKey returns the name a line assigns to ("prod" in "  prod: AKIA..."),
// or "" when the line does not start with one before off.
func (m *match) lineKey(off int) string {
	l := m.line(off)
	if !l.keyRead {
		l.keyRead = true
		d, i := m.data, l.start
		for i < l.end && strings.IndexByte(" \t-\"'", d[i]) >= 0 {
			i++
		}
		k := i
		for i < l.end && isIdentChar(d[i]) {
			i++
		}
		name := d[k:i]
		for i < l.end && strings.IndexByte("\"' \t", d[i]) >= 0 {
			i++
		}
		if len(name) > 0 && i < l.end && (d[i] == ':' || d[i] == '=') {
			l.key, l.keySep = string(name), i
		}
		m.looked += i - l.start
	}
	if l.key == "" || l.keySep >= off {
		return ""
	}
	return l.key
}

// positions fills lines and columns from offsets in one pass.
func (m *match) positions(fs Findings) {
	type pos struct {
		off int
		dst *int
		col *int
	}
	ps := make([]pos, 0, 2*len(fs))
	for i := range fs {
		ps = append(ps, pos{fs[i].Offset, &fs[i].Line, &fs[i].Column}, pos{max(fs[i].EndOffset-1, fs[i].Offset), &fs[i].EndLine, &fs[i].EndColumn})
	}
	if byOff := func(a, b pos) int { return a.off - b.off }; !slices.IsSortedFunc(ps, byOff) {
		slices.SortFunc(ps, byOff) // only where values overlap
	}
	line, ls, at := 1, 0, 0
	for _, p := range ps {
		for {
			j := bytes.IndexByte(m.data[at:p.off], '\n')
			if j < 0 {
				break
			}
			line++
			at += j + 1
			ls = at
		}
		at = max(at, p.off) // no newline before p.off is left unread: each byte is read once
		*p.dst, *p.col = line, p.off-ls+1
	}
	for i := range fs { // end columns are exclusive: one past the last byte
		fs[i].EndColumn++
	}
}

// allowDirective reports whether the finding's line carries a valid
// directive; a directive without a reason leaves a note on the finding.
func (m *match) allowDirective(f *Finding) bool {
	allowed, note := m.lineAllowed(f.Offset, max(f.EndOffset, f.Offset))
	if note != "" {
		f.Note = note
	}
	return allowed
}

const directive = "keyscan:allow"

// allowReach is how far from a directive a finding on its line may start
// and still be allowed by it: the value a comment at the end of its line
// speaks of, not every key of a minified line 40 KB long.
const allowReach = 256

// lineAllowed applies the directives of the line holding position i that
// stand within allowReach of the value at [i,e) (an escaped value is long). The directives of the input are found
// once; a line is read only when one is on it.
func (m *match) lineAllowed(i, e int) (allowed bool, note string) {
	if m.noDirectives {
		return false, ""
	}
	if m.directives == nil {
		m.directives = []int{}
		for at := 0; ; {
			j := bytes.Index(m.data[at:], []byte(directive))
			if j < 0 {
				break
			}
			m.directives = append(m.directives, at+j)
			at += j + len(directive)
		}
	}
	if len(m.directives) == 0 {
		return false, ""
	}
	l := m.line(i)
	lo, hi := max(l.start, i-allowReach), min(l.end, e+allowReach)
	for k := sort.SearchInts(m.directives, lo); k < len(m.directives) && m.directives[k] < hi; k++ {
		reason, n := directiveAt(m.data[l.start:l.end], m.directives[k]-l.start)
		if reason != "" {
			return true, ""
		}
		if n != "" {
			note = n
		}
	}
	return false, note
}

// AllowDirective reads the inline directive "keyscan:allow <reason>" on a
// line of any file, in whatever comment syntax the file has: it counts only
// in a comment (after #, //, /*, <!--, --, ; or %), not inside a string or
// other text of the line. The reason is required: without one the directive
// does not count, and note says so.
func AllowDirective(line []byte) (allowed bool, note string) {
	for at := 0; ; {
		j := bytes.Index(line[at:], []byte(directive))
		if j < 0 {
			return false, note
		}
		reason, n := directiveAt(line, at+j)
		if reason != "" {
			return true, ""
		}
		if n != "" {
			note = n
		}
		at += j + len(directive)
	}
}

// directiveAt judges the directive starting at i of line: it allows when
// it gives a reason, which it returns.
func directiveAt(line []byte, i int) (reason, note string) {
	if !inComment(line[:i]) {
		return "", ""
	}
	rest := line[i+len(directive):]
	if j := bytes.Index(rest, []byte(directive)); j >= 0 {
		rest = rest[:j]
	}
	reason = strings.Trim(string(rest), " \t\r:-=\"'`*/#>;,)}]")
	reason = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(reason, "-->"), "*/"))
	if reason == "" {
		return "", "keyscan:allow needs a reason (keyscan:allow <reason>); the finding stands"
	}
	return reason, ""
}

// allowReason returns the reason of the directive that allows the value at
// [i,e) of data, as lineAllowed finds it (on the value's line, within
// allowReach), or "" when none does.
func allowReason(data []byte, i, e int) string {
	i = min(max(i, 0), len(data))
	ls := bytes.LastIndexByte(data[:i], '\n') + 1
	le := len(data)
	if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
		le = i + j
	}
	lo, hi := max(ls, i-allowReach), min(le, e+allowReach)
	for at := lo; at < hi; {
		j := bytes.Index(data[at:le], []byte(directive))
		if j < 0 || at+j >= hi {
			return ""
		}
		if reason, _ := directiveAt(data[ls:le], at+j-ls); reason != "" {
			return reason
		}
		at += j + len(directive)
	}
	return ""
}

// inComment reports whether what precedes a directive on its line ends
// with a comment opener (spaces, * and ! between allowed): "# ", "// ",
// "/* ", "<!-- ", "-- ", "; ", "% ", or a line that starts with the
// directive. An opener inside a string of the line is text, not a comment:
// `"note": "# keyscan:allow x"` in JSON, `MSG="# keyscan:allow x"` in a
// .env file, `"// keyscan:allow x"` in Go silence nothing.
func inComment(before []byte) bool {
	for _, t := range [][]byte{bytes.TrimRight(before, " \t"), bytes.TrimRight(before, " \t*!")} {
		if len(bytes.TrimSpace(t)) == 0 {
			return true
		}
		for _, o := range []string{"#", "//", "/*", "<!--", "--", ";", "%", "{#", "'"} {
			if bytes.HasSuffix(t, []byte(o)) && !inString(t[:len(t)-len(o)]) {
				return true
			}
		}
	}
	return false
}

// inString reports whether the end of a line's prefix lies inside a quoted
// string: ", ' or ` opened and not closed, a backslash escaping the next
// byte inside " and '. A ' (or `) opens a string only where a string can
// start, after a space, an operator or a bracket, so that the apostrophe
// of "don't" in prose or a comment is not taken for a quote. What a line
// cannot show (a string opened on an earlier line) is not known here.
func inString(b []byte) bool {
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"':
			quote = c
		case c == '\'' || c == '`':
			if i == 0 || !wordByte(b[i-1]) {
				quote = c
			}
		}
	}
	return quote != 0
}

// wordByte reports whether c is a letter, a digit or _ (or a byte of a
// UTF-8 sequence): a quote right after one is an apostrophe.
func wordByte(c byte) bool { return isWord(c) || c >= 0x80 }

// mostlyText reports whether decoded bytes look like text worth scanning:
// fewer than one byte in twenty a control byte. Every decoded run is read
// by it whole (a top-level run of 16 MiB, and again at each level of
// nesting), so it reads eight bytes at a time from a table: the count is
// the same as byte by byte, and so is the answer.
func mostlyText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	bad, i := 0, 0
	if haveRunKernel && len(b) >= minKernelRun {
		// The kernel counts 32 bytes in about a dozen instructions,
		// where a word of the loop below costs twelve: a block at a
		// time, the answer tested after each.
		for i+32 <= len(b) {
			n := min(len(b)-i, mostlyTextBlock) &^ 31
			bad += classCount(&b[i], n, &controlNibbles)
			if i += n; bad*20 >= len(b) {
				return false
			}
		}
	}
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// No byte under 0x20 and none 0x7f (a test that may err only
		// towards the table): most words of text.
		if (x-0x20*ones)&^x&highs == 0 && (x^0x7f*ones-ones)&^(x^0x7f*ones)&highs == 0 {
			continue
		}
		w := b[i : i+8 : i+8]
		bad += int(controlByte[w[0]] + controlByte[w[1]] + controlByte[w[2]] + controlByte[w[3]] +
			controlByte[w[4]] + controlByte[w[5]] + controlByte[w[6]] + controlByte[w[7]])
		if bad*20 >= len(b) {
			return false // the answer is known: binary bytes read no further
		}
	}
	for _, c := range b[i:] {
		bad += int(controlByte[c])
	}
	return bad*20 < len(b)
}

// mostlyTextBlock is how many bytes mostlyText has the kernel count
// before it tests the answer: binary bytes are read no further than a
// block past where the answer is known.
const mostlyTextBlock = 4 << 10

// controlByte is 1 for the bytes mostlyText counts against text: control
// bytes but tab, newline and carriage return, and DEL.
var controlByte = func() (t [256]uint8) {
	for c := range 256 {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			t[c] = 1
		}
	}
	return t
}()

func (m *match) findings() Findings {
	m.out.Sort()
	if m.limit > 0 && len(m.out) > m.limit {
		m.unlisted += len(m.out) - m.limit
		clear(m.out[m.limit:]) // their values are not kept alive by the array
		m.out = m.out[:m.limit]
	}
	return m.out
}
