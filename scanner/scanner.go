package scanner

import (
	"fmt"
	"regexp"
	"sync"

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
}

// New returns a Scanner for opts.
func New(opts Options) (*Scanner, error) {
	s := &Scanner{rules: opts.Rules, allow: map[string]bool{}, allowRE: opts.AllowPatterns, byKind: map[rules.Kind]rules.Rule{},
		names: &nameCache{}}
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
// the first in Scan's order; unlisted counts the values found past the
// limit (at least that many more findings or test keys). The matcher stops
// keeping candidates once its lists hold limit each, so its memory is
// bounded by the limit, not by the input: a file made of key IDs is a
// finding a line. Past the limit the count is of the values found, before
// pairing, allow directives and test keys are settled.
func (s *Scanner) ScanAllLimited(name string, data []byte, limit int) (fs Findings, unlisted int) {
	u, wide := fromUTF16(data)
	if wide {
		data = u
	}
	m := newMatch(s, name, data)
	m.limit, m.cut = limit, len(data)
	m.run()
	fs = m.findings()
	unlisted = m.unlisted
	m.release()
	if wide {
		utf16Positions(fs, data)
	}
	return fs, unlisted
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
