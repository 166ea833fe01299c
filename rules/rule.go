package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Kind names the kind of credential a rule finds. The values are the ones the
// JSON report uses in its "kind" field.
type Kind string

const (
	AccessKeyID     Kind = "access_key_id"
	SecretAccessKey Kind = "secret_access_key"
	SessionToken    Kind = "session_token"
)

// Severity ranks findings for reports (SARIF level, text colour).
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Example is one documented case of a rule: a file name (the matcher uses it
// to pick the file format) and its text with template placeholders.
type Example struct {
	Name string // file name, e.g. "config/app.yaml"; decides the format
	Text string // template; see Placeholders
	// Want is how many findings of this rule the text must yield; zero for a
	// false positive.
	Want int
	// Reason says why a false positive must stay silent, or what a true
	// positive shows. It is required on false positives.
	Reason string
}

// Rule is one detection rule with its documentation.
type Rule struct {
	ID       string
	Title    string
	Kind     Kind
	Severity Severity
	// Summary is a one-line description for tables.
	Summary string
	// Why explains why a leak of this credential matters.
	Why string
	// Fix says how to remove the credential and use the instance role instead.
	Fix string
	// Matches describes, in prose, what the matcher accepts and rejects.
	Matches string

	TruePositives  []Example
	FalsePositives []Example
}

// Placeholders lists the template names an example may use, with what each
// stands for. Tests fill them with generated fake keys; documentation fills
// them with AWS's published example keys.
var placeholderRE = regexp.MustCompile(`\{\{[A-Z0-9_]+\}\}`)

// PlaceholderNames are the placeholders an example may contain.
var placeholderNames = map[string]string{
	"{{ID}}":          "a long-term access key ID (AKIA...)",
	"{{ID2}}":         "a second long-term access key ID",
	"{{TEST_ID}}":     "a long-term access key ID of account 000000000000 (a test key)",
	"{{DOC_ID}}":      "a long-term access key ID of account 123456789012 (AWS's documentation account)",
	"{{ASIA}}":        "a temporary access key ID (ASIA...)",
	"{{WORDS_ID}}":    "upper-case words that start like an access key ID (AKIA and BANKHOLDINGSLTD2): no key",
	"{{CODE_ID}}":     "a business code that starts like an access key ID (ASIA and SOUTHEAST2Q3SALE): no key",
	"{{SECRET}}":      "a secret access key",
	"{{SECRET2}}":     "a second secret access key",
	"{{TOKEN}}":       "a session token",
	"{{ID_B64}}":      "the access key ID, base64-encoded",
	"{{SECRET_B64}}":  "the secret access key, base64-encoded",
	"{{CREDS_B64}}":   "a whole shared credentials file, base64-encoded",
	"{{SECRET_JS}}":   "the secret access key with / and + written as JSON escapes",
	"{{SECRET_URL}}":  "the secret access key URL-encoded",
	"{{ID_TAIL}}":     "the 16 characters of the access key ID after its prefix, to write a split key",
	"{{ID_ESC}}":      "the access key ID written one \\u escape per character",
	"{{SECRET_HTML}}": "the secret access key written one HTML character reference (&#65;) per character",
	"{{SECRET_HEAD}}": "the first 20 characters of the secret access key",
	"{{SECRET_TAIL}}": "the last 20 characters of the secret access key",
}

// Validate checks a rule's fields and examples; the error names the rule and the field.
func (r *Rule) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("rule %q: %s: %s", r.ID, field, fmt.Sprintf(format, args...)))
	}
	if !hyphenatedWords(r.ID) {
		bad("ID", "must be lowercase words joined by hyphens")
	}
	switch r.Kind {
	case AccessKeyID, SecretAccessKey, SessionToken:
	default:
		bad("Kind", "unknown kind %q", r.Kind)
	}
	switch r.Severity {
	case Error, Warning:
	default:
		bad("Severity", "must be %q or %q, not %q", Error, Warning, r.Severity)
	}
	for field, v := range map[string]string{"Title": r.Title, "Summary": r.Summary, "Why": r.Why, "Fix": r.Fix, "Matches": r.Matches} {
		if strings.TrimSpace(v) == "" {
			bad(field, "is empty")
		}
	}
	if len(r.TruePositives) == 0 {
		bad("TruePositives", "a rule needs at least one true-positive example")
	}
	if len(r.FalsePositives) == 0 {
		bad("FalsePositives", "a rule needs at least one false-positive example")
	}
	check := func(field string, i int, ex Example, tp bool) {
		where := fmt.Sprintf("%s[%d]", field, i)
		if ex.Name == "" {
			bad(where, "no file name")
		}
		if tp && ex.Want < 1 {
			bad(where, "a true positive must want at least one finding")
		}
		if !tp && ex.Want != 0 {
			bad(where, "a false positive must want no finding")
		}
		if !tp && strings.TrimSpace(ex.Reason) == "" {
			bad(where, "a false positive needs a reason")
		}
		for _, p := range placeholderRE.FindAllString(ex.Text, -1) {
			if _, ok := placeholderNames[p]; !ok {
				bad(where, "unknown placeholder %s", p)
			}
		}
	}
	for i, ex := range r.TruePositives {
		check("TruePositives", i, ex, true)
	}
	for i, ex := range r.FalsePositives {
		check("FalsePositives", i, ex, false)
	}
	return errors.Join(errs...)
}

// hyphenatedWords reports whether id is words of a-z and 0-9 joined by
// single hyphens (^[a-z0-9]+(-[a-z0-9]+)*$). A loop, not a regexp compiled
// for every rule: every keyscan run validates the built-in rules.
func hyphenatedWords(id string) bool {
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' && i > 0 && i < len(id)-1 && id[i-1] != '-':
		default:
			return false
		}
	}
	return id != ""
}

// Fill replaces the placeholders of an example text with values from vals,
// keyed by placeholder name without braces ("ID", "SECRET", ...).
func Fill(text string, vals map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(text, func(p string) string {
		if v, ok := vals[strings.Trim(p, "{}")]; ok {
			return v
		}
		return p
	})
}

// Set is a validated rule set.
type Set struct {
	rules []Rule
}

// NewSet validates rules and returns them as a set.
func NewSet(rs []Rule) (*Set, error) {
	seen := map[string]bool{}
	var errs []error
	for i := range rs {
		if err := rs[i].Validate(); err != nil {
			errs = append(errs, err)
		}
		if seen[rs[i].ID] {
			errs = append(errs, fmt.Errorf("rule %q: ID: duplicate", rs[i].ID))
		}
		seen[rs[i].ID] = true
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Set{rules: rs}, nil
}

// Rules returns the rules in their documented order.
func (s *Set) Rules() []Rule { return s.rules }

// Lookup returns the rule with the given ID.
func (s *Set) Lookup(id string) (Rule, bool) {
	for _, r := range s.rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// ForKind returns the rule that reports credentials of kind k.
func (s *Set) ForKind(k Kind) (Rule, bool) {
	for _, r := range s.rules {
		if r.Kind == k {
			return r, true
		}
	}
	return Rule{}, false
}
