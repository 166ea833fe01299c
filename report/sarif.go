package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// The SARIF report follows SARIF 2.1.0 as GitHub code scanning reads it:
// rules carry help text and security-severity, results carry a
// partialFingerprints entry so that alerts follow a value across line moves.
//
// Secrets are always redacted in SARIF, --show-secrets or not: SARIF files
// are uploaded to code-scanning services and kept as build artifacts.
//
// Columns: keyscan counts bytes, as go/token does. SARIF has no byte column
// kind; the run declares unicodeCodePoints, and a finding whose line holds
// multi-byte characters before it (or in a UTF-16 file) carries its columns
// in code points too (scanner.Finding.CharColumn), which SARIF gives.

const (
	sarifSchema      = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion     = "2.1.0"
	fingerprintKey   = "keyscan/v1"
	informationURI   = "https://github.com/keyscan/keyscan"
	srcRoot          = "%SRCROOT%"
	securitySeverity = "9.1" // critical in GitHub's scale: a usable credential
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails *sarifAutomation  `json:"automationDetails,omitempty"`
	ColumnKind        string            `json:"columnKind"`
	Invocations       []sarifInvocation `json:"invocations"`
	Results           resultsMark       `json:"results"` // see writeSARIF
}

// sarifInvocation tells whether the run read all it was asked to:
// executionSuccessful is false for an incomplete run (see Gap), with a
// notification naming each gap.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string              `json:"level"`
	Message    sarifText           `json:"message"`
	Descriptor sarifDescriptor     `json:"descriptor"`
	Locations  []sarifLocationOnly `json:"locations,omitempty"`
	Properties map[string]any      `json:"properties,omitempty"`
}

// sarifDescriptor is a reportingDescriptorReference.
type sarifDescriptor struct {
	ID string `json:"id"`
}

// sarifLocationOnly is a location with no region: a path that could not
// be read.
type sarifLocationOnly struct {
	PhysicalLocation struct {
		ArtifactLocation sarifAL `json:"artifactLocation"`
	} `json:"physicalLocation"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	SemVer         string      `json:"semanticVersion,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifHelp      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical          `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

// sarifLogicalLocation is a logicalLocation: what holds a finding that is
// in no file of the tree (scanner.Finding.Logical).
type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind"`
}

type sarifPhysical struct {
	ArtifactLocation sarifAL     `json:"artifactLocation"`
	Region           sarifRegion `json:"region"`
}

// sarifAL is an artifactLocation.
type sarifAL struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// sarifRegion is a region: lines and columns in a text file, or, for a
// finding in a binary file (no lines), byteOffset and byteLength, which
// SARIF 2.1.0 (section 3.30) defines for binary artifacts.
type sarifRegion struct {
	StartLine   int        `json:"startLine,omitempty"`
	StartColumn int        `json:"startColumn,omitempty"`
	ByteOffset  *int       `json:"byteOffset,omitempty"`
	ByteLength  int        `json:"byteLength,omitempty"`
	EndLine     int        `json:"endLine,omitempty"`
	EndColumn   int        `json:"endColumn,omitempty"`
	Snippet     *sarifText `json:"snippet,omitempty"`
}

func writeSARIF(w io.Writer, fs scanner.Findings, opts Options) error {
	rs := rules.AWS()
	ruleIndex := map[string]int{}
	driver := sarifDriver{Name: "keyscan", InformationURI: informationURI, Rules: []sarifRule{}}
	if opts.Version != "" {
		driver.Version = opts.Version
		if v := strings.TrimPrefix(opts.Version, "v"); isSemver(v) {
			driver.SemVer = v
		}
	}
	for _, r := range rs {
		ruleIndex[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleFor(r))
	}
	ts := newTitles()
	for i := range fs {
		// A rule outside the built-in set: describe it from the finding so
		// that every result has its rule. The rules come before the results
		// in the log, so they are all known before the first result is written.
		if f := &fs[i]; !hasKey(ruleIndex, f.Rule) {
			ruleIndex[f.Rule] = len(driver.Rules)
			driver.Rules = append(driver.Rules, sarifRuleFor(rules.Rule{
				ID: f.Rule, Title: ts.of(f), Kind: f.Kind, Severity: f.Severity,
				Summary: ts.of(f), Fix: f.Suggestion,
			}))
		}
	}
	run := sarifRun{
		Tool:       sarifTool{Driver: driver},
		ColumnKind: "unicodeCodePoints",
		Results:    resultsMark{},
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, g := range opts.gaps() {
		inv.ExecutionSuccessful = false
		n := sarifNotification{
			Level:      "error",
			Message:    sarifText{Text: "not scanned: " + g.Message},
			Descriptor: sarifDescriptor{ID: "keyscan/incomplete/" + g.Reason},
		}
		if g.Count > 0 {
			n.Properties = map[string]any{"count": g.Count}
		}
		if g.Reason == "path" && g.Path != "" {
			var l sarifLocationOnly
			l.PhysicalLocation.ArtifactLocation = pathLocation(g.Path)
			n.Locations = []sarifLocationOnly{l}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []sarifInvocation{inv}
	if opts.Command != "" {
		// GitHub takes the part before the last slash as the analysis
		// category, so scan, history and staged uploads do not replace one another.
		run.AutomationDetails = &sarifAutomation{ID: "keyscan/" + opts.Command + "/"}
	}
	// The log is encoded around its results, which are written one by one
	// in their place (see arrayWriter): a report of many findings is never
	// held whole.
	var head bytes.Buffer
	if err := encodeJSON(&head, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return err
	}
	before, after, ok := bytes.Cut(head.Bytes(), []byte(resultsMarkText))
	if !ok {
		return fmt.Errorf("sarif: results not placed") // cannot happen: the log holds the mark
	}
	line := before[bytes.LastIndexByte(before, '\n')+1:]
	prefix := string(line[:len(line)-len(bytes.TrimLeft(line, " "))])
	bw := bufio.NewWriter(w)
	bw.Write(before)
	a := newArrayWriter(bw, prefix)
	for i := range fs {
		f := &fs[i]
		a.element(sarifResultFor(f, ruleIndex[f.Rule], ts.of(f)))
	}
	a.end()
	if _, err := bw.Write(after); a.err == nil {
		a.err = err
	}
	if err := bw.Flush(); a.err == nil {
		a.err = err
	}
	return a.err
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// resultsMark stands for the results in the encoded log: it encodes as
// resultsMarkText, which writeSARIF replaces with the results.
type resultsMark struct{}

const resultsMarkText = `"keyscan:results"`

func (resultsMark) MarshalJSON() ([]byte, error) { return []byte(resultsMarkText), nil }

func level(s rules.Severity) string {
	if s == rules.Warning {
		return "warning"
	}
	return "error"
}

func sarifRuleFor(r rules.Rule) sarifRule {
	full := strings.TrimSpace(r.Summary + ". " + r.Why)
	text := strings.Join(nonEmpty(r.Why, r.Fix, remediation, "What keyscan reports: "+r.Matches), "\n\n")
	var md strings.Builder
	fmt.Fprintf(&md, "## %s\n\n", r.Title)
	if r.Why != "" {
		fmt.Fprintf(&md, "%s\n\n", r.Why)
	}
	fmt.Fprintf(&md, "### How to fix\n\n%s\n\n%s\n\n", r.Fix, remediationMarkdown)
	if r.Matches != "" {
		fmt.Fprintf(&md, "### What keyscan reports\n\n%s\n", r.Matches)
	}
	return sarifRule{
		ID:                   r.ID,
		Name:                 ruleName(r.ID),
		ShortDescription:     sarifText{Text: r.Title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifHelp{Text: text, Markdown: strings.TrimSpace(md.String())},
		DefaultConfiguration: sarifConfig{Level: level(r.Severity)},
		Properties: map[string]any{
			"tags":              []string{"security", "secrets", "aws", "external/cwe/cwe-798"},
			"precision":         "high",
			"problem.severity":  level(r.Severity),
			"security-severity": securitySeverity,
		},
	}
}

// ruleName turns aws-access-key-id into AwsAccessKeyId, the SARIF habit for names.
func ruleName(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

const remediation = "Use the EC2 instance role instead of static keys. Go (aws-sdk-go-v2): drop the static provider and use " +
	"config.LoadDefaultConfig(ctx), whose chain ends in the instance role, or " +
	"config.WithCredentialsProvider(aws.NewCredentialsCache(ec2rolecreds.New())). Go (aws-sdk-go v1): omit Credentials or use " +
	"ec2rolecreds.NewCredentials(sess). Shared credentials files, .env, Docker, Kubernetes and CI files: remove the keys and " +
	"attach an IAM role to the instance (instance profile). Terraform provider \"aws\": delete access_key and secret_key. " +
	"CloudFormation: an AWS::IAM::InstanceProfile on the instance. `keyscan fix` and `go fix -fixtool=$(command -v keyscan)` " +
	"make these changes. Always deactivate and rotate the exposed key: scrubbing history does not un-leak it."

const remediationMarkdown = "| where | change |\n| --- | --- |\n" +
	"| Go, aws-sdk-go-v2 | drop the static provider: `config.LoadDefaultConfig(ctx)` (its chain ends in the instance role), or `config.WithCredentialsProvider(aws.NewCredentialsCache(ec2rolecreds.New()))` |\n" +
	"| Go, aws-sdk-go v1 | omit `Credentials` (the default chain ends in the EC2 role provider), or `ec2rolecreds.NewCredentials(sess)` |\n" +
	"| shared credentials/config, `.env`, Docker, Kubernetes, CI | remove the keys; attach an IAM role to the instance (instance profile) |\n" +
	"| Terraform `provider \"aws\"` | delete `access_key`/`secret_key`/`token`; the provider falls back to the instance profile |\n" +
	"| CloudFormation | an `AWS::IAM::InstanceProfile` on the instance |\n\n" +
	"`keyscan fix --diff` shows the change for configuration files; `go fix -fixtool=$(command -v keyscan) ./...` rewrites Go code.\n\n" +
	"**Always deactivate and rotate the exposed key** in IAM: deleting it from the file, or from git history, does not un-leak it."

func sarifResultFor(f *scanner.Finding, idx int, title string) sarifResult {
	msg := fmt.Sprintf("%s %s", title, scanner.Redact(f.Secret))
	if f.AccountID != "" {
		msg += " (account " + f.AccountID
		if f.AccountID == scanner.DocumentationAccount {
			msg += ", AWS's documentation account"
		}
		msg += ")"
	}
	if f.Commit != "" {
		msg += " introduced in commit " + shortHash(f.Commit)
	}
	if f.InPath {
		msg += " in the file's path (its name or a folder's), not its content"
	}
	msg += ". " + f.Suggestion
	r := sarifResult{
		RuleID:    f.Rule,
		RuleIndex: idx,
		Level:     level(f.Severity),
		Message:   sarifText{Text: strings.TrimSpace(msg)},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: artifactLocation(f),
			Region:           region(f),
		}}},
		PartialFingerprints: map[string]string{fingerprintKey: f.Fingerprint},
	}
	if f.Logical != "" {
		r.Locations[0].LogicalLocations = logicalLocations(f)
	}
	props := map[string]any{"kind": string(f.Kind)}
	add := func(k string, v any, ok bool) {
		if ok {
			props[k] = v
		}
	}
	add("inPath", true, f.InPath)
	add("pair", f.Pair, f.Pair != "")
	add("accountId", f.AccountID, f.AccountID != "")
	add("encoding", f.Encoding, f.Encoding != "")
	add("context", f.Context, f.Context != "")
	add("note", f.Note, f.Note != "")
	add("commit", f.Commit, f.Commit != "")
	add("author", f.Author, f.Author != "")
	add("date", formatDate(f.Date), !f.Date.IsZero())
	add("presentAtHead", f.PresentAtHead, f.PresentAtHead != nil)
	add("commits", f.Commits, f.Commits > 0)
	add("paths", f.Paths, len(f.Paths) > 0)
	if pb := pathname.BytesAll(f.Paths); pb != nil {
		add("pathsBytes", pb, true) // as JSON's paths_bytes: a name that is not UTF-8
	}
	add("lastCommit", f.LastCommit, f.LastCommit != "")
	add("verified", f.Verified, f.Verified != "")
	add("verifiedArn", f.VerifiedARN, f.VerifiedARN != "")
	add("verifyReason", f.VerifyReason, f.VerifyReason != "")
	r.Properties = props
	return r
}

func region(f *scanner.Finding) sarifRegion {
	if f.InPath { // the file's name: code scanning wants a line, the message says where
		return sarifRegion{StartLine: 1, Snippet: &sarifText{Text: scanner.Redact(f.Secret)}}
	}
	if f.Line == 0 { // found in a binary file: lines mean nothing there
		off := f.Offset
		return sarifRegion{ByteOffset: &off, ByteLength: max(f.EndOffset-f.Offset, 0),
			Snippet: &sarifText{Text: scanner.Redact(f.Secret)}}
	}
	line := max(f.Line, 1)
	r := sarifRegion{StartLine: line, Snippet: &sarifText{Text: scanner.Redact(f.Secret)}}
	// The run's columnKind is unicodeCodePoints: byte columns are those on
	// an ASCII line; elsewhere (multi-byte characters before the value, a
	// UTF-16 file) the scanner gives the columns in characters too.
	col, endCol := f.Column, f.EndColumn
	if f.CharColumn > 0 {
		col, endCol = f.CharColumn, f.EndCharColumn
	}
	if col > 0 {
		r.StartColumn = col
	}
	if f.EndLine >= line {
		r.EndLine = f.EndLine
		if endCol > 0 && (f.EndLine > line || endCol > r.StartColumn) {
			r.EndColumn = endCol
		}
	}
	return r
}

// artifactLocation names the file from the top of its work tree (the
// finding's RepoPath, see internal/pathname), which is what code scanning
// resolves URIs against; a file outside any work tree and outside the
// working directory gets an absolute file: URI.
//
// A finding in no file (a commit's message, a ref's name: Logical) has its
// pseudo-path under .git/, which no file of a tree can be (git refuses the
// path), so that the location names no file of the checkout, nor one an
// attacker named "commit <id> message" (qa15 LOW-3). It keeps a physical
// location all the same: GitHub code scanning refuses a whole log when a
// result's location has no artifact URI, and takes no scheme but file.
// What the location is, the result's logicalLocations say.
func artifactLocation(f *scanner.Finding) sarifAL {
	if f.Logical != "" {
		return sarifAL{URI: gitFolderURI + fileURI(f.File), URIBaseID: srcRoot}
	}
	p := f.RepoPath
	if p == "" {
		p = f.File
	}
	return pathLocation(p)
}

// gitFolderURI starts the URI of a finding in no file of the tree (see
// artifactLocation).
const gitFolderURI = ".git/"

// logicalLocations says what holds a finding in no file: the commit's or
// tag's message or header lines, or the ref's name, by the pseudo-path the
// other reports show (the commit's ID shortened, the name redacted) and,
// for a commit, its whole ID.
func logicalLocations(f *scanner.Finding) []sarifLogicalLocation {
	l := sarifLogicalLocation{Name: f.File, Kind: f.Logical}
	if short := len("commit ") + 12; len(f.Commit) > 12 && len(f.File) > short && f.File[:short] == "commit "+f.Commit[:12] {
		l.FullyQualifiedName = "commit " + f.Commit + f.File[short:]
	}
	return []sarifLogicalLocation{l}
}

// pathLocation is the artifactLocation of a report path (see
// artifactLocation).
func pathLocation(p string) sarifAL {
	if strings.HasPrefix(p, "/") {
		return sarifAL{URI: "file://" + fileURI(p)}
	}
	return sarifAL{URI: fileURI(p), URIBaseID: srcRoot}
}

// fileURI turns a report path into a relative URI reference: forward
// slashes, and characters that URIs reserve escaped. Report paths are
// '/'-separated already; a backslash is a separator only on Windows, and
// elsewhere a character of the name (escaped, %5C). A segment that is "."
// or ".." (an archive member's name, "slip.zip!../../etc/credentials",
// chosen by whoever made the archive) has its dots escaped (%2E): URI
// resolution would otherwise remove it with the segment before it and
// point the result at another file of the repository. A ':' in the first
// segment is escaped (%3A): a reference whose first segment holds one reads
// as having a scheme (RFC 3986 section 4.2), so "http:x.env" or "C:key.env"
// would point outside the checkout (qa14 LOW-1).
func fileURI(p string) string {
	if filepath.Separator == '\\' {
		p = strings.ReplaceAll(p, `\`, "/")
	}
	var b strings.Builder
	first := true // in the first segment
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '/' {
			first = false
		}
		if c == '.' && dotSegment(p, i) {
			b.WriteString("%2E")
			continue
		}
		if c == ':' && first {
			b.WriteString("%3A")
			continue
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// dotSegment reports whether the '.' at p[i] is part of a path segment
// that is "." or "..".
func dotSegment(p string, i int) bool {
	start := strings.LastIndexByte(p[:i], '/') + 1
	end := strings.IndexByte(p[i:], '/')
	if end < 0 {
		end = len(p)
	} else {
		end += i
	}
	seg := p[start:end]
	return seg == "." || seg == ".."
}

// isSemver reports whether v looks like MAJOR.MINOR.PATCH[-pre][+build].
func isSemver(v string) bool {
	core, _, _ := strings.Cut(v, "+")
	core, _, _ = strings.Cut(core, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}
