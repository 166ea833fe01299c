package rules

import (
	"fmt"
	"strings"
)

// docValues fill example templates for documentation with AWS's published
// example keys, which keyscan never reports: the docs show the shapes without
// holding a live-looking key.
var docValues = map[string]string{
	"ID": "AKIAIOSFODNN7EXAMPLE", "ID2": "AKIAI44QH8DHBEXAMPLE", "ASIA": "ASIAIOSFODNN7EXAMPLE",
	"TEST_ID": "AKIAQAAAAAAAAEXAMPLE", "DOC_ID": "AKIARZPUZDIKAEXAMPLE", // accounts 000000000000 and 123456789012
	"SECRET": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "SECRET2": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
	"TOKEN":       "IQoJb3JpZ2luX2VjEXAMPLE...",
	"ID_B64":      "QUtJQUlPU0ZPRE5ON0VYQU1QTEU=",
	"SECRET_B64":  "d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQ==",
	"CREDS_B64":   "W2RlZmF1bHRdCmF3c19hY2Nlc3Nfa2V5X2lkID0gQUtJQUlPU0ZPRE5ON0VYQU1QTEUK...",
	"SECRET_JS":   `wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY`,
	"SECRET_URL":  "wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY",
	"ID_TAIL":     "IOSFODNN7EXAMPLE",
	"ID_ESC":      escapeEach("AKIAIOSFODNN7EXAMPLE", `\u%04x`),
	"SECRET_HTML": escapeEach("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "&#%d;"),
	"SECRET_HEAD": "wJalrXUtnFEMI/K7MDEN", "SECRET_TAIL": "G/bPxRfiCYEXAMPLEKEY",
}

// escapeEach writes every character of s with format.
func escapeEach(s, format string) string {
	var b strings.Builder
	for i := range len(s) {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// Render fills an example for documentation.
func Render(ex Example) string { return Fill(ex.Text, docValues) }

// Doc is a rule's documentation as data (for `keyscan rules --format json`).
type Doc struct {
	ID             string       `json:"id"`
	Title          string       `json:"title"`
	Kind           string       `json:"kind"`
	Severity       string       `json:"severity"`
	Summary        string       `json:"summary"`
	Why            string       `json:"why"`
	Fix            string       `json:"fix"`
	Matches        string       `json:"matches"`
	TruePositives  []DocExample `json:"true_positives"`
	FalsePositives []DocExample `json:"false_positives"`
}

// DocExample is an example as documentation shows it. Key values in it are
// AWS's published examples, which keyscan never reports: they show where a
// key stands, not a key keyscan would flag (the tests use generated keys).
type DocExample struct {
	File   string `json:"file"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// Docs returns the documentation of every rule in s.
func Docs(s *Set) []Doc {
	var out []Doc
	for _, r := range s.Rules() {
		d := Doc{ID: r.ID, Title: r.Title, Kind: string(r.Kind), Severity: string(r.Severity), Summary: r.Summary, Why: r.Why, Fix: r.Fix, Matches: r.Matches}
		for _, ex := range r.TruePositives {
			d.TruePositives = append(d.TruePositives, DocExample{ex.Name, Render(ex), ex.Reason})
		}
		for _, ex := range r.FalsePositives {
			d.FalsePositives = append(d.FalsePositives, DocExample{ex.Name, Render(ex), ex.Reason})
		}
		out = append(out, d)
	}
	return out
}

// Text renders the rule set for a terminal.
func Text(s *Set) string {
	var b strings.Builder
	for i, r := range s.Rules() {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s  (%s, %s)\n  %s\n\n  Why: %s\n\n  Matches: %s\n\n  Fix: %s\n",
			r.ID, r.Kind, r.Severity, r.Title, r.Why, r.Matches, r.Fix)
	}
	return b.String()
}

// Markdown renders the README's rule table.
func Markdown(s *Set) string {
	var b strings.Builder
	b.WriteString("| rule | kind | severity | what it finds | how to fix |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range s.Rules() {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", r.ID, r.Kind, r.Severity, cell(r.Summary), cell(r.Fix))
	}
	return b.String()
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
