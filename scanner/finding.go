package scanner

import (
	"cmp"
	"slices"
	"time"

	"github.com/keyscan/keyscan/rules"
)

// Finding is one credential value found in one input.
//
// Positions are 1-based; columns count bytes, as go/token does. Offset and
// EndOffset are 0-based byte offsets into the scanned input and span the text
// as written (for an encoded value, the encoded text). Input that starts with
// a UTF-16 byte order mark is converted to UTF-8 to be scanned, but its
// findings' offsets and columns still count the input's bytes (two or four a
// character), and CharColumn and EndCharColumn count its characters.
type Finding struct {
	Rule      string     // rule ID, e.g. "aws-access-key-id"
	Kind      rules.Kind // access_key_id, secret_access_key or session_token
	Severity  rules.Severity
	File      string // path as given to Scan; the file walker makes it openable from the working directory
	Line      int
	Column    int
	EndLine   int
	EndColumn int
	Offset    int
	EndOffset int
	// CharColumn and EndCharColumn are set for a UTF-16 file, and in
	// UTF-8 text for a finding whose line holds a multi-byte character
	// before it, where Column and EndColumn count bytes and an editor
	// counts characters: the same columns in Unicode code points
	// (EndCharColumn one past the last), as SARIF's columnKind
	// unicodeCodePoints means them. Zero elsewhere: on an ASCII line the
	// byte columns are the same count.
	CharColumn    int
	EndCharColumn int

	// Secret is the decoded value, unredacted. Reports redact it unless asked
	// not to; see Redact.
	Secret string
	// Encoding names how the value was written when it was not written plainly:
	// "base64", "json-escape", "url", "unicode-escape", "css-escape",
	// "html-escape", "html-text" (highlighted code in an HTML page, read as
	// the text a reader sees), "xml-text" (an office document's paragraph,
	// its runs joined), "octal-escape", "hex", "uuencode", "quoted-printable",
	// "line-continuation", "concatenation",
	// "unicode-escape+concatenation"; a value found in decoded text names
	// the encodings from the outside in, joined by '+' ("base64+base64",
	// "base64+gzip", "base64+utf-16le").
	Encoding string
	// Fingerprint identifies the finding for baselines: it depends on the rule,
	// the file and the value, not on the line.
	Fingerprint string
	// Pair is the fingerprint of the matching key ID or secret, where one was found.
	Pair string
	// AccountID is the 12-digit AWS account decoded offline from a key ID.
	AccountID string
	// Context says what made the matcher believe the value is a credential
	// ("keyword aws_secret_access_key", "paired with key ID on line 3", ...).
	Context string
	// Suggestion says how to replace the value with the instance role
	// provider, for this kind of file.
	Suggestion string
	// Note carries a remark for the user, such as a keyscan:allow directive
	// that was ignored because it gave no reason, or that the key ID's
	// account is AWS's documentation account.
	Note string
	// TestKey, when set, says why the finding is not reported: a key ID of
	// TestAccount, or a secret or session token paired with one (a test
	// fixture's other half). Scan and ScanBinary never return such findings;
	// ScanAll and ScanBinaryAll return them too, for the callers that count
	// and list them (see Findings.Split).
	TestKey string
	// Allowed is the reason of the `keyscan:allow <reason>` directive that
	// allows the value. Only a Scanner made with Options.ReportAllowed
	// returns such findings; every other drops them.
	Allowed string

	// InPath marks a credential found in the file's path (its name, a
	// folder's, an archive member's), not in its content: Line is 0, and
	// Offset and EndOffset are byte offsets in File (see Scanner.ScanPath).
	InPath bool

	// RepoPath names the file from the top of the git work tree holding it
	// (else from the working directory), '/'-separated; the fingerprint and
	// SARIF URIs use it, so they do not change with where keyscan runs.
	// Empty when File is already such a path (history, staged, go vet).
	RepoPath string

	// Logical is set for a finding in what is no file of a tree, whose
	// File is then a pseudo-path ("commit <id> message", "ref <name>
	// (name)", ...): what holds it, as a SARIF logicalLocation kind names
	// it (LogicalCommitMessage and the others). A file of the tree can
	// bear such a name; this field cannot be set by one, so a report never
	// mistakes the one for the other.
	Logical string

	// Set by the history and staged scans.
	Commit        string
	Author        string
	Date          time.Time
	PresentAtHead *bool
	Commits       int      // how many commits contain the value
	Paths         []string // every path where the value appears
	LastCommit    string
	// PathFingerprints are the fingerprints of the value at each of
	// Paths, in its order: a baseline made from a history report records
	// every path that held an accepted value (baseline.FilterMoved).
	PathFingerprints []string
	// HeadPaths are the paths of Paths that HEAD's tree holds the value
	// at (history); nil when that is not known. A baseline tells a copy
	// from a rename by them (baseline.FilterMoved).
	HeadPaths []string

	// Set by --verify.
	Verified     string // active, inactive or unknown
	VerifiedARN  string
	VerifyReason string
}

// The kinds of Finding.Logical: the message or the header lines of a
// commit or an annotated tag, and a ref's name.
const (
	LogicalCommitMessage = "commitMessage"
	LogicalCommitHeader  = "commitHeader"
	LogicalTagMessage    = "tagMessage"
	LogicalTagHeader     = "tagHeader"
	LogicalRefName       = "refName"
)

// Findings is a list of findings. Its zero value is ready to use.
type Findings []Finding

// Split separates the findings that are reported from the test keys (those
// with TestKey set), keeping the order of each. The reported findings take
// fs's array (fs is not used after): the findings of a scan are its largest
// list, and it is not copied.
func (fs Findings) Split() (reported, test Findings) {
	for i := range fs {
		if fs[i].TestKey != "" {
			test = append(test, fs[i])
		}
	}
	return fs.reported(), test
}

// Reported returns the findings that are reported: the test keys (see
// Finding.TestKey) left out.
func (fs Findings) Reported() Findings { return fs.reported() }

// reported drops the test keys from fs, in place.
func (fs Findings) reported() Findings {
	out := fs[:0]
	for i := range fs {
		if fs[i].TestKey == "" {
			if len(out) < i {
				out = append(out, fs[i])
			} else {
				out = out[:i+1] // in place: no copy until one is dropped
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// setAccount records the account a key ID decodes to, and the note that
// goes with AWS's documentation account.
func (f *Finding) setAccount() {
	f.AccountID, _ = AccountID(f.Secret)
	if f.AccountID == DocumentationAccount {
		f.addNote(documentationNote)
	}
}

func (f *Finding) addNote(n string) {
	if f.Note == "" {
		f.Note = n
	} else {
		f.Note += "; " + n
	}
}

// Edited returns fs with edit applied to each finding from the first one
// that needs it (needs reports true) on, in a copy; fs itself when none
// does. A report of many findings is not held twice for a rewrite (a
// redaction, an escape) that none of them needs.
func (fs Findings) Edited(needs func(*Finding) bool, edit func(*Finding)) Findings {
	first := 0
	for first < len(fs) && !needs(&fs[first]) {
		first++
	}
	if first == len(fs) {
		return fs
	}
	out := slices.Clone(fs)
	for i := first; i < len(out); i++ {
		edit(&out[i])
	}
	return out
}

// MapPaths sets every path f shows (File, RepoPath, Paths, HeadPaths) to
// fn of itself; the lists are copied, not written in place, as findings
// share them.
func (f *Finding) MapPaths(fn func(string) string) {
	f.File, f.RepoPath = fn(f.File), fn(f.RepoPath)
	f.Paths = mapAll(f.Paths, fn)
	f.HeadPaths = mapAll(f.HeadPaths, fn)
}

// mapAll returns a copy of ps with fn applied to each; nil for nil.
func mapAll(ps []string, fn func(string) string) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for j, p := range ps {
		out[j] = fn(p)
	}
	return out
}

// KeyAdvice is what to do about the key of f, one of fs: the brief
// response to its exposure (rules.Respond), knowing the key ID paired with
// it in fs. A suggestion written for a place with no file to fix (a
// commit message, a ref's name) ends with it.
func (fs Findings) KeyAdvice(f Finding) string {
	var keyID string
	for _, g := range fs {
		if g.Fingerprint == f.Pair && g.Kind == rules.AccessKeyID {
			keyID = g.Secret
		}
	}
	return rules.Respond(rules.ExposureOf(f.Kind, f.Secret, keyID)).Brief
}

// Sort orders findings by file, line, column and rule, the order every report uses.
func (fs Findings) Sort() {
	if !fs.sorted() {
		slices.SortStableFunc(fs, compare)
	}
}

// sorted reports whether fs is in Sort's order: findings come sorted from
// each file, and are sorted again on their way to the report. The check
// compares in place; slices.IsSortedFunc would copy two findings (432
// bytes each) for every comparison.
func (fs Findings) sorted() bool {
	for i := 1; i < len(fs); i++ {
		if compareAt(&fs[i-1], &fs[i]) > 0 {
			return false
		}
	}
	return true
}

func compare(a, b Finding) int { return compareAt(&a, &b) }

func compareAt(a, b *Finding) int {
	// Field by field, stopping at the first that differs: cmp.Or would
	// compare every field, both strings included, on each of the n log n
	// comparisons of a sort.
	if c := cmp.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Column, b.Column); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Offset, b.Offset); c != 0 {
		return c
	}
	// Two values at one place: the folds of one expression in two builds
	// of its package (head_linux.go, head_windows.go), each a finding.
	return cmp.Compare(a.Secret, b.Secret)
}

// Redact hides the middle of a secret value: the first four and last four
// characters stay, the rest become asterisks (AKIA************WXYZ).
func Redact(s string) string {
	if len(s) <= 8 {
		return "********"
	}
	n := len(s) - 8
	if n > 32 {
		n = 32 // session tokens are long; keep the redacted form readable
	}
	b := make([]byte, 0, 8+n)
	b = append(b, s[:4]...)
	for range n {
		b = append(b, '*')
	}
	return string(append(b, s[len(s)-4:]...))
}

// joinEncodings names the encoding of a value found in text decoded from
// outer: the encodings from the outside in, joined by "+" (README: a
// finding's encoding), outer alone for a value written plainly there.
func joinEncodings(outer, inner string) string {
	if inner == "" {
		return outer
	}
	return outer + "+" + inner
}
