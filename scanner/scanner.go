package scanner

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/keyscan/keyscan/rules"
)

// Options configure a Scanner. The zero value scans with the built-in AWS rules.
type Options struct {
	// Rules is the rule set; nil means rules.AWS().
	Rules *rules.Set
	// Keywords are extra names that mark the value assigned to them as a
	// secret access key, in addition to the built-in ones (matched the way
	// built-in keywords are: case, '_', '-', '.' and spaces do not matter).
	Keywords []string
	// AllowValues are values never reported (exact match on the decoded value).
	AllowValues []string
	// AllowPatterns are regular expressions; a value any of them matches is
	// never reported.
	AllowPatterns []*regexp.Regexp
	// ReportAllowed returns the values a `keyscan:allow <reason>` directive
	// allows too, with Finding.Allowed set to its reason, instead of
	// dropping them: for the server gate, which records every value it
	// lets through and may refuse them (README, "The server-side gate").
	// The other findings are the same either way.
	ReportAllowed bool
	// CheckBudget scales the check budget of each input (work.go): an
	// input of n bytes may cost CheckBudget times a fixed part and a part
	// proportional to n of checks; past it the anchors and candidates left
	// are counted in Counts.Unchecked, not checked. 0: no limit (the zero
	// Options scan everything, as before the budget).
	CheckBudget int
}

// Scanner finds AWS credentials in bytes. It is safe for concurrent use.
type Scanner struct {
	rules    *rules.Set
	keywords []string // normalised extra keywords
	userRE   *regexp.Regexp
	allow    map[string]bool
	allowRE  []*regexp.Regexp
	byKind   map[rules.Kind]rules.Rule
	names    *nameCache // see classify
	masks    sync.Pool  // of *byteMasks, reused by the scans
	scratch  sync.Pool  // of *scratch: the lists of a match, reused
	matches  sync.Pool  // of *match: the state of a scan, reused (see recycle)

	reportAllowed bool // see Options.ReportAllowed
	checkBudget   int  // see Options.CheckBudget
	// tests only: lists of code points are read as before their fast
	// paths: the prefilter passes over none, and decodeLists reads again
	// what listAnchor read (TestListsReadAsBefore)
	listsPlain bool
	// tests only: runs of key IDs past the cut are not counted at once
	// (keyIDRun), each is reported and counted on its own
	// (TestKeyIDRunsCountAsBefore)
	keyIDsPlain bool
	// tests only: the prefilter reports every glued key head
	// (gluedHeads passes over none; TestGluedHeadsAsBefore)
	gluedPlain bool
}

// New returns a Scanner for opts.
func New(opts Options) (*Scanner, error) {
	s := &Scanner{rules: opts.Rules, allow: map[string]bool{}, allowRE: opts.AllowPatterns, byKind: map[rules.Kind]rules.Rule{},
		names: &nameCache{}, reportAllowed: opts.ReportAllowed, checkBudget: opts.CheckBudget}
	if s.rules == nil {
		set, err := rules.NewSet(rules.AWS())
		if err != nil {
			return nil, err
		}
		s.rules = set
	}
	for _, k := range []rules.Kind{rules.AccessKeyID, rules.SecretAccessKey, rules.SessionToken} {
		r, ok := s.rules.ForKind(k)
		if !ok {
			return nil, fmt.Errorf("rule set has no rule for %s", k)
		}
		s.byKind[k] = r
	}
	for _, kw := range opts.Keywords {
		n := normalizeKeyword(kw)
		if len(n) < 3 {
			return nil, fmt.Errorf("keyword %q: too short to be useful", kw)
		}
		s.keywords = append(s.keywords, n)
	}
	s.userRE = keywordRE(s.keywords)
	for _, v := range opts.AllowValues {
		s.allow[v] = true
	}
	return s, nil
}

// Rules returns the rule set the scanner reports with.
func (s *Scanner) Rules() *rules.Set { return s.rules }

// Scan returns the credentials found in data, which was read from the file
// called name (a path relative to the scan root; its base name and extension
// choose the format-specific context and the suggestion). Findings are sorted.
// Test keys (see Finding.TestKey) are left out.
func (s *Scanner) Scan(name string, data []byte) Findings {
	return s.ScanAll(name, data).reported()
}

// ScanAll is Scan, with the test keys it leaves out returned too, marked
// with TestKey: for the callers that count and list them.
func (s *Scanner) ScanAll(name string, data []byte) Findings {
	fs, _ := s.ScanAllLimited(name, data, 0)
	return fs
}

// ScanAllLimited is ScanAll keeping at most limit findings (0: no limit),
// the first in Scan's order; unlisted counts the candidate values past the
// limit. The matcher stops keeping candidates once its lists hold limit
// each, so its memory is bounded by the limit, not by the input: a file
// made of key IDs is a finding a line. Past the limit a candidate (a key
// ID's shape, a secret's length and letters) is counted without its value
// tests (not an example, placeholder or allowed value) or its context
// check (see match.past), so that its time is bounded too: the count is
// of candidates, before those tests, pairing, allow directives and test
// keys are settled, and some of them would not be findings.
func (s *Scanner) ScanAllLimited(name string, data []byte, limit int) (fs Findings, unlisted int) {
	fs, c := s.ScanAllCounted(name, data, limit)
	return fs, c.Unlisted
}

// Counts say what a scan of one input could not report or read whole.
type Counts struct {
	// Unlisted counts the candidate values past the limit of findings
	// (see ScanAllLimited).
	Unlisted int
	// Undecoded counts the encoded runs (base64, hex, gzip in base64, at
	// any level) that were not decoded, or whose text was cut short,
	// because the input's decode budget (four times the input and 1 MiB)
	// was spent or a gzip stream expands past its ratio: what they hold
	// was not scanned, so the input is not known to be clean.
	Undecoded int
	// Embedded are the archives and compressed streams that encoded runs
	// of the input decode to (a tar.gz or a zip in base64: an install
	// script's here-document, cloud-init's write_files, a Kubernetes
	// Secret's data): bytes the matcher does not read, since they are no
	// text, and which the caller opens as an archive member (see
	// scanner/content). At most maxEmbedded per input; past that, or past
	// the decode budget, a run is counted in Undecoded.
	Embedded []Embedded
	// Unchecked counts the anchors and candidates (keywords, key IDs,
	// secret-shaped values) not checked because the input's check budget
	// was spent (Options.CheckBudget): from there on the input is not
	// known to be clean. A lower bound: soon after the budget is spent
	// the matcher stops reading the input.
	Unchecked int
	// GitPatch reports that the input holds the line git writes before a
	// binary file in a patch ("GIT binary patch"): the files the patch
	// carries are deflated base85, which the matcher does not read, and
	// the caller opens them (scanner/gitpatch, scanner/content). The
	// prefilter finds the line in its one pass over the input, so a file
	// without it costs nothing more.
	GitPatch bool
	// Unread says what part of an executable (ELF, PE, Mach-O, a
	// universal Mach-O, WebAssembly) was not read for the string
	// references that bound a Go program's packed constants: cut short,
	// malformed, or past a bound (ScanBinary). Its printable runs were
	// read; a key whose bounds only the references give may be missed,
	// so the input is not known to be clean.
	Unread string
}

// Embedded is an archive decoded from an encoded run of the input.
type Embedded struct {
	Data     []byte
	Offset   int    // where the encoded run starts in the input
	Encoding string // how it was encoded: "base64", "hex"
	// Patch marks decoded text that holds a git binary patch (a patch
	// mailed in base64, a MIME part of a .patch or .eml: qa13 MEDIUM-1).
	// Its text was scanned with the input; the caller reads the files its
	// hunks carry, as Counts.GitPatch asks of the input's own text. The
	// decoded text's own scan finds the patch's line in its prefilter
	// pass, so this costs nothing more.
	Patch bool
}

// ScanAllCounted is ScanAllLimited with every count of what was left out.
func (s *Scanner) ScanAllCounted(name string, data []byte, limit int) (fs Findings, c Counts) {
	return s.scanAllCounted(name, data, limit, false)
}

// ScanMemberCounted is ScanAllCounted for text no review shows as it is
// scanned: an archive's member (a diff says "Binary files differ"). A
// keyscan:allow comment there is the word of whoever made the archive, read
// by no reviewer, so it allows nothing (qa12 MEDIUM-10): the values are
// reported as if the text held no directive.
func (s *Scanner) ScanMemberCounted(name string, data []byte, limit int) (fs Findings, c Counts) {
	return s.scanAllCounted(name, data, limit, true)
}

func (s *Scanner) scanAllCounted(name string, data []byte, limit int, noDirectives bool) (fs Findings, c Counts) {
	text, unit := fromWide(data)
	ebcdicAt := -1 // where EBCDIC text starts (ebcdic.go)
	if unit == 0 && ebcdicText(data) {
		ebcdicAt = 0
	} else if unit == 0 {
		ebcdicAt = ebcdicBelow(data)
	}
	switch {
	case ebcdicAt >= 0:
		// Transcoded byte for byte (ebcdic.go): positions are the file's.
		// Text above EBCDIC text that starts below it is kept as it is.
		text = fromEBCDIC(data)
		copy(text[:ebcdicAt], data)
		fs, c = s.scanPlain(name, text, limit, noDirectives)
		codePointColumns(fs, text)
		for i := range fs {
			if fs[i].Offset >= ebcdicAt {
				fs[i].Encoding = joinEncodings("ebcdic", fs[i].Encoding)
			}
		}
	case unit == 0:
		fs, c = s.scanPlain(name, data, limit, noDirectives)
		if odfPart(name, data) {
			fs, c = s.odfOriginal(name, data, limit, noDirectives, fs, c)
		}
		codePointColumns(fs, data)
		return fs, c
	default:
		fs, c = s.scanPlain(name, text, limit, noDirectives)
		widePositions(fs, text, unit)
	}
	// The bytes as they are, too: a byte order mark proves nothing of what
	// follows it (see fromWide), nor an EBCDIC head of the rest. A value
	// both readings give is reported once, as the decoded text gives it.
	raw, n := s.scanPlain(name, data, limit, noDirectives)
	c.Undecoded += n.Undecoded
	c.Unchecked += n.Unchecked
	c.GitPatch = c.GitPatch || n.GitPatch
	if len(c.Embedded) == 0 {
		c.Embedded = n.Embedded
	}
	if len(raw) == 0 {
		return fs, c
	}
	type value struct {
		kind    rules.Kind
		secret  string
		testKey string
	}
	seen := make(map[value]bool, len(fs))
	for i := range fs {
		seen[value{fs[i].Kind, fs[i].Secret, fs[i].TestKey}] = true
	}
	added := false
	for _, f := range raw {
		if !seen[value{f.Kind, f.Secret, f.TestKey}] {
			fs = append(fs, f)
			added = true
		}
	}
	if !added {
		return fs, c
	}
	fs.Sort()
	c.Unlisted += n.Unlisted
	if limit > 0 && len(fs) > limit {
		c.Unlisted += len(fs) - limit
		fs = fs[:limit]
	}
	return fs, c
}

// scanPlain scans data as text, with the values allow directives let
// through when the scanner reports them (Options.ReportAllowed);
// noDirectives reads it as if it held none.
func (s *Scanner) scanPlain(name string, data []byte, limit int, noDirectives bool) (Findings, Counts) {
	fs, c := s.scanText(name, data, limit, noDirectives)
	if s.reportAllowed && !noDirectives && bytes.Contains(data, []byte(directive)) {
		fs = s.withAllowed(name, data, limit, fs)
	}
	return fs, c
}

// maxReason bounds a directive's reason as Finding.Allowed gives it.
const maxReason = 200

// shownReason is a directive's reason as findings give it, for logs that
// must not hold a secret: cut to maxReason bytes (at a character's start),
// and every run of 16 or more characters of a key's alphabet (a key ID is
// 20, a secret 40) redacted.
func shownReason(r string) string {
	if len(r) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8.RuneStart(r[cut]) {
			cut--
		}
		r = r[:cut] + "..."
	}
	var b strings.Builder
	for i := 0; i < len(r); {
		j := i
		for j < len(r) && keyAlphabet(r[j]) {
			j++
		}
		if j-i >= 16 {
			b.WriteString(Redact(r[i:j]))
		} else {
			b.WriteString(r[i:j])
		}
		if j < len(r) {
			b.WriteByte(r[j])
			j++
		}
		i = j
	}
	return b.String()
}

func keyAlphabet(c byte) bool {
	return c == '+' || c == '/' || c == '=' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// scanText runs the matcher over data; noDirectives reads it as if it held
// no keyscan:allow directive.
func (s *Scanner) scanText(name string, data []byte, limit int, noDirectives bool) (Findings, Counts) {
	m := newMatch(s, name, data)
	m.limit, m.cut, m.noDirectives = limit, len(data), noDirectives
	if s.checkBudget > 0 {
		m.workv = checkWork{allow: allowance(len(data), s.checkBudget)}
		m.work = &m.workv
	}
	m.byteListHeads() // before run, which reads them with the prefilter's
	m.run()
	fs := m.findings()
	c := Counts{Unlisted: m.unlisted, Undecoded: m.undecoded, Embedded: m.embedded, GitPatch: m.gitPatch}
	if m.work != nil {
		c.Unchecked = m.work.unchecked
	}
	m.release()
	m.recycle()
	return fs, c
}

// withAllowed adds to fs, the findings of data, the values that directives
// allowed, with Allowed set to the reason. Data is scanned again as if it
// held no directive, and what that scan finds beyond fs is what they
// allowed: a value on a directive's line, and one whose line has none but
// whose pair does (a secret that only its allowed key ID made a secret),
// with its pair's reason. A scan twice over is for the few inputs that hold
// a directive; fs itself is what Scan returns without ReportAllowed, so the
// gate refuses exactly what every other command reports.
func (s *Scanner) withAllowed(name string, data []byte, limit int, fs Findings) Findings {
	all, _ := s.scanText(name, data, limit, true)
	type place struct {
		rule, secret string
		off, end     int
	}
	seen := make(map[place]bool, len(fs))
	for _, f := range fs {
		seen[place{f.Rule, f.Secret, f.Offset, f.EndOffset}] = true
	}
	reasons := map[string]string{} // fingerprint -> reason, of the values on a directive's line
	var extra Findings
	for _, f := range all {
		if seen[place{f.Rule, f.Secret, f.Offset, f.EndOffset}] {
			continue
		}
		if r := allowReason(data, f.Offset, max(f.EndOffset, f.Offset)); r != "" {
			reasons[f.Fingerprint] = shownReason(r)
		}
		extra = append(extra, f)
	}
	if len(extra) == 0 {
		return fs
	}
	for _, f := range extra {
		r, ok := reasons[f.Fingerprint]
		if !ok {
			r, ok = reasons[f.Pair]
		}
		if ok {
			f.Allowed = r
			fs = append(fs, f)
		}
	}
	fs.Sort()
	return fs
}

// Check reports whether value, known from the structure around it (say, the
// secret argument of credentials.NewStaticCredentials) to be a credential of
// kind k, is one that keyscan reports: right charset and length, not an
// example, placeholder, or allowed value, nor a test key ID (TestKeyID).
// The reason says why not.
func (s *Scanner) Check(k rules.Kind, value string) (ok bool, reason string) {
	if ok, reason := s.check(k, value, ctxStrong); !ok {
		return false, reason
	}
	if k == rules.AccessKeyID {
		if reason, test := TestKeyID(value); test {
			return false, reason
		}
	}
	return true, ""
}

// NewFinding builds a finding for a value of kind k found at the given place
// by a caller that located it itself (the analyzer, for a constant-folded
// string). The caller sets the positions.
func (s *Scanner) NewFinding(k rules.Kind, file, value string) Finding {
	r := s.byKind[k]
	f := Finding{Rule: r.ID, Kind: k, Severity: r.Severity, File: file, Secret: value,
		Fingerprint: Fingerprint(r.ID, file, value), Suggestion: Suggestion(file, k, value)}
	if k == rules.AccessKeyID {
		f.setAccount()
	}
	return f
}
