package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// ANSI escapes, used only when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
)

// textWriter writes the text report. It writes through a bufio.Writer, whose
// first error sticks and is returned by Flush, so the layout code stays linear.
type textWriter struct {
	w      *bufio.Writer
	opts   Options
	titles titles
}

func (t *textWriter) style(code, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) printf(format string, args ...any) {
	fmt.Fprintf(t.w, format, args...)
}

func writeText(w io.Writer, fs scanner.Findings, opts Options) error {
	fs = printable(fs)
	t := &textWriter{w: bufio.NewWriter(w), opts: opts, titles: newTitles()}
	var adviceList []string
	if opts.Verbose {
		byFP := indexByFingerprint(fs)
		for i := range fs {
			t.finding(&fs[i], fs, byFP)
		}
	} else {
		adviceList = t.grouped(fs)
	}
	if !opts.Quiet {
		if len(fs) > 0 {
			t.printf("\n")
		}
		t.summary(fs)
		t.adviceSection(adviceList)
		t.rotation(fs)
	} else if inc := t.incomplete(); inc != "" {
		// --quiet drops the summary, not the gaps: an empty report of a
		// run that skipped a file (over max_file_size, exit 0 without
		// --strict) would read as clean, and the warnings that named it
		// are dropped too.
		t.printf("%s: incomplete: %s\n", t.prefix(), inc)
	}
	return t.w.Flush()
}

// Printable returns s with its control characters written as \xNN
// escapes, and the marks that reorder or hide text (bidi overrides and
// isolates, zero-width characters) as \uNNNN, for text from the scanned
// material that a command prints to a terminal (see printable).
func Printable(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r > 0xff && unsafeRune(r):
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		case unsafeRune(r):
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// printable returns a copy of fs whose text from the scanned material (file
// names, authors, notes) cannot move the cursor or colour the terminal: a
// history scan of an untrusted repository prints names its authors chose.
// Control characters become \xNN escapes.
func printable(fs scanner.Findings) scanner.Findings {
	clean := Printable
	unsafe := func(f *scanner.Finding) bool {
		if slices.ContainsFunc([]string{f.File, f.Author, f.Note, f.Context}, func(s string) bool { return strings.ContainsFunc(s, unsafeRune) }) {
			return true
		}
		return slices.ContainsFunc(f.Paths, func(s string) bool { return strings.ContainsFunc(s, unsafeRune) })
	}
	return fs.Edited(unsafe, func(f *scanner.Finding) {
		f.Author, f.Note, f.Context = clean(f.Author), clean(f.Note), clean(f.Context)
		f.MapPaths(clean)
	})
}

func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0:
		return true
	case r < 0xad:
		return false
	}
	// A file named keys\u202Evne.txt reads keystxt.env on a terminal or
	// in a CI log (qa17 L1): the format characters (Unicode's Cf: bidi
	// marks, embeddings, overrides and isolates, zero-width characters,
	// the soft hyphen, tags) and the line and paragraph separators are
	// shown as escapes.
	return r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r)
}

// WriteRotation writes only the list of keys to deactivate and rotate, with
// the reminder that a leaked key stays compromised until rotated. keyscan fix
// ends with it: the fix removes the key from the file, not from the attacker's
// hands. It writes nothing when no finding calls for a rotation.
func WriteRotation(w io.Writer, fs scanner.Findings, opts Options) error {
	t := &textWriter{w: bufio.NewWriter(w), opts: opts, titles: newTitles()}
	t.rotation(fs)
	return t.w.Flush()
}

func indexByFingerprint(fs scanner.Findings) map[string]int {
	m := make(map[string]int, len(fs))
	for i := range fs {
		if _, ok := m[fs[i].Fingerprint]; !ok && fs[i].Fingerprint != "" {
			m[fs[i].Fingerprint] = i
		}
	}
	return m
}

func (t *textWriter) finding(f *scanner.Finding, fs scanner.Findings, byFP map[string]int) {
	color := ansiRed
	if f.Severity == rules.Warning {
		color = ansiYellow
	}
	rule := f.Rule
	if f.Severity == rules.Warning {
		rule += " (warning)" // said in words too: colour is lost in a log
	}
	t.printf("%s: %s: %s %s\n", t.style(ansiBold, position(f)), t.style(color, rule), t.titles.of(f), secret(f, t.opts))
	detail := func(label, value string) {
		if value != "" {
			t.printf("    %s %s\n", t.style(ansiDim, label+":"), value)
		}
	}
	detail("account", f.AccountID)
	if f.Pair != "" {
		if j, ok := byFP[f.Pair]; ok {
			p := &fs[j]
			detail("paired with", fmt.Sprintf("%s %s at %s", p.Rule, secret(p, t.opts), position(p)))
		} else {
			detail("paired with", "fingerprint "+f.Pair)
		}
	}
	detail("context", f.Context)
	detail("encoding", f.Encoding)
	detail("note", f.Note)
	detail("commit", commitLine(f))
	if len(f.Paths) > 1 {
		detail("paths", strings.Join(f.Paths, ", "))
	}
	if f.Verified != "" {
		v := f.Verified
		if f.VerifiedARN != "" {
			v += " (" + f.VerifiedARN + ")"
		}
		if f.VerifyReason != "" {
			v += ": " + f.VerifyReason
		}
		detail("verified", v)
	}
	detail("fix", f.Suggestion)
}

func position(f *scanner.Finding) string {
	if f.InPath {
		return f.File + " (in the path)"
	}
	if f.Line == 0 { // found in a binary file: lines mean nothing there
		return fmt.Sprintf("%s (byte %d)", f.File, f.Offset)
	}
	return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
}

// titles maps rule IDs to titles, built once per report.
type titles map[string]string

func newTitles() titles {
	t := titles{}
	for _, r := range rules.AWS() {
		t[r.ID] = r.Title
	}
	return t
}

// of is the rule's title; findings made by hand may carry a rule ID the
// built-in set does not know, and then the kind stands in.
func (t titles) of(f *scanner.Finding) string {
	if s, ok := t[f.Rule]; ok {
		return s
	}
	return strings.ReplaceAll(string(f.Kind), "_", " ")
}

// commitLine describes where in history a value was found; empty for a
// working-tree finding.
func commitLine(f *scanner.Finding) string {
	if f.Commit == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(shortHash(f.Commit))
	if f.Author != "" {
		b.WriteString(" by " + f.Author)
	}
	if !f.Date.IsZero() {
		b.WriteString(" on " + f.Date.Format("2006-01-02"))
	}
	var extra []string
	if f.PresentAtHead != nil {
		if *f.PresentAtHead {
			extra = append(extra, "still present at HEAD")
		} else {
			extra = append(extra, "not in HEAD's tree")
		}
	}
	if f.Commits > 0 {
		extra = append(extra, plural(f.Commits, "commit", "commits"))
	}
	if len(f.Paths) > 0 {
		extra = append(extra, plural(len(f.Paths), "path", "paths"))
	}
	if f.LastCommit != "" && f.LastCommit != f.Commit {
		extra = append(extra, "last in "+shortHash(f.LastCommit))
	}
	if len(extra) > 0 {
		b.WriteString(" (" + strings.Join(extra, "; ") + ")")
	}
	return b.String()
}

func shortHash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// Count writes n with the singular or the plural noun: "1 file", "2 files".
// Every message that counts uses it, so that none says "1 files".
func Count(n int, one, many string) string { return plural(n, one, many) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

var kindNames = []struct {
	kind      rules.Kind
	one, many string
}{
	{rules.AccessKeyID, "access key ID", "access key IDs"},
	{rules.SecretAccessKey, "secret access key", "secret access keys"},
	{rules.SessionToken, "session token", "session tokens"},
}

// incomplete says what the run could not read (Options.Gaps), or "":
// the paths named first, as "could not read a, b and 2 more (not
// scanned)", then each other gap. A gap of values not listed is left to
// the summary's "not listed" line.
func (t *textWriter) incomplete() string {
	var parts []string
	if failed := t.opts.Coverage.FailedList(); failed != "" {
		parts = append(parts, "could not read "+failed+" (not scanned)")
	}
	for _, g := range t.opts.Gaps {
		if g.Reason != "unlisted" {
			parts = append(parts, g.Message)
		}
	}
	return strings.Join(parts, "; ")
}

// prefix starts the report's own lines: "keyscan scan".
func (t *textWriter) prefix() string {
	if t.opts.Command != "" {
		return "keyscan " + t.opts.Command
	}
	return "keyscan"
}

func (t *textWriter) summary(fs scanner.Findings) {
	prefix := t.prefix()
	if ns := t.opts.Coverage.NotScanned(); ns != "" {
		defer t.printf("%s: not scanned: %s\n", prefix, ns)
	}
	if n := t.opts.Unlisted; n > 0 {
		defer t.printf("%s: not listed: %s past max_findings_per_file in a file, not checked (see the warnings)\n", prefix, plural(n, "more candidate value", "more candidate values"))
		if len(fs) == 0 {
			return
		}
	}
	if tk := testKeySummary(t.opts.TestKeys); tk != "" {
		defer t.printf("%s: %s\n", prefix, tk)
	}
	if inc := t.incomplete(); inc != "" {
		// A path the user named was not read, or part of the work was
		// left unread (with --strict or without): "no credentials found"
		// would read as clean to a person or a CI log grep.
		defer t.printf("%s: incomplete: %s\n", prefix, inc)
		if len(fs) == 0 {
			return
		}
	}
	if len(fs) == 0 {
		t.printf("%s: no credentials found\n", prefix)
		return
	}
	counts := map[rules.Kind]int{}
	files := map[string]bool{}
	for i := range fs {
		counts[fs[i].Kind]++
		files[fs[i].File] = true
	}
	var parts []string
	for _, k := range kindNames {
		if n := counts[k.kind]; n > 0 {
			parts = append(parts, plural(n, k.one, k.many))
			delete(counts, k.kind)
		}
	}
	for k, n := range counts { // kinds outside the built-in three; at most a few
		parts = append(parts, fmt.Sprintf("%d %s", n, k))
	}
	t.printf("%s: %s in %s: %s\n", prefix, plural(len(fs), "finding", "findings"),
		plural(len(files), "file", "files"), strings.Join(parts, ", "))
}

// testKeySummary counts the test keys left out, as "2 test key IDs of
// account 000000000000 skipped (and 1 secret paired with them)"; "" when
// there are none.
func testKeySummary(tests scanner.Findings) string {
	ids, others := 0, 0
	for i := range tests {
		if tests[i].Kind == rules.AccessKeyID {
			ids++
		} else {
			others++
		}
	}
	if ids+others == 0 {
		return ""
	}
	s := fmt.Sprintf("%s of account %s skipped", plural(ids, "test key ID", "test key IDs"), scanner.TestAccount)
	if others > 0 {
		s += fmt.Sprintf(" (and %s paired with them)", plural(others, "secret or token", "secrets or tokens"))
	}
	return s + "; --format json --test-keys lists them"
}

// rotationEntry is one credential to revoke: a key ID, or a secret or
// session token whose key ID the report does not hold.
type rotationEntry struct {
	exposure rules.Exposure
	what     string
}

// rotationList gathers the credentials to revoke, once each, in report order.
func rotationList(fs scanner.Findings, opts Options) []rotationEntry {
	var out []rotationEntry
	seen := map[string]bool{}
	ids := map[string]string{} // fingerprint -> key ID
	for i := range fs {
		if fs[i].Kind == rules.AccessKeyID {
			ids[fs[i].Fingerprint] = fs[i].Secret
		}
	}
	// Revoking a key ID revokes the secret and token that go with it, here
	// or wherever else the same value was found.
	for i := range fs {
		if fs[i].Kind != rules.AccessKeyID && ids[fs[i].Pair] != "" {
			seen[fs[i].Secret] = true
		}
	}
	for i := range fs {
		f := &fs[i]
		if seen[f.Secret] {
			continue
		}
		seen[f.Secret] = true
		e := rotationEntry{exposure: rules.ExposureOf(f.Kind, f.Secret, ""), what: shortValue(f, opts)}
		var about []string
		if f.AccountID != "" {
			about = append(about, "account "+f.AccountID)
		}
		if role := rules.RoleOf(f.VerifiedARN); role != "" {
			about = append(about, "role "+role)
		}
		if len(about) > 0 {
			e.what += " (" + strings.Join(about, ", ") + ")"
		}
		out = append(out, e)
	}
	return out
}

// rotation writes the credentials to revoke, grouped by what can be done
// about them (rules.Responses), each group's steps once. The keys are packed
// several to a line: the findings above give each one's file, line and
// commits.
func (t *textWriter) rotation(fs scanner.Findings) {
	entries := rotationList(fs, t.opts)
	if len(entries) == 0 {
		return
	}
	t.printf("\n%s\n", t.style(ansiBold, "Revoke these keys: removing a key from the files, or from git history, does not un-leak it."))
	for _, r := range rules.Responses() {
		var keys []string
		for _, e := range entries {
			if e.exposure == r.Exposure {
				keys = append(keys, e.what)
			}
		}
		if len(keys) == 0 {
			continue
		}
		t.wrap(strings.Join(keys, ", "), "  "+upperFirst(r.Heading)+": ", "    ")
		t.wrap(r.Steps, "    ", "    ")
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// wrapWidth is where the text report breaks its paragraphs of advice: a
// terminal that wraps by itself breaks words and loses the indentation.
const wrapWidth = 100

// wrap writes text as lines of at most wrapWidth characters, the first
// after first and the others after indent. A `command` in backquotes is
// never broken, so that it can be copied whole.
func (t *textWriter) wrap(text, first, indent string) {
	var words []string
	for w := range strings.FieldsSeq(text) {
		if n := len(words); n > 0 && strings.Count(words[n-1], "`")%2 == 1 {
			words[n-1] += " " + w
			continue
		}
		words = append(words, w)
	}
	line, empty := first, true
	for _, w := range words {
		if !empty && len(line)+1+len(w) > wrapWidth {
			t.printf("%s\n", line)
			line, empty = indent, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	if !empty {
		t.printf("%s\n", line)
	}
}
