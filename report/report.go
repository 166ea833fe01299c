package report

import (
	"fmt"
	"io"

	"github.com/keyscan/keyscan/scanner"
)

// Options choose the format and the content of a report.
type Options struct {
	Format      string // "text", "json", "sarif"
	ShowSecrets bool
	Color       bool   // ANSI colour in text output (the caller decides: terminal, NO_COLOR, --no-color)
	Command     string // "scan", "history", "staged": SARIF automation details, text footer
	Version     string
	Quiet       bool // text: findings only, no summary footer
	// Verbose makes the text report print one block per finding, with its
	// context and its whole suggestion, instead of grouping by file.
	Verbose bool
}

// Write writes the findings to w in the format opts names.
func Write(w io.Writer, fs scanner.Findings, opts Options) error {
	switch opts.Format {
	case "", "text":
		return writeText(w, fs, opts)
	case "json":
		return writeJSON(w, fs, opts)
	case "sarif":
		return writeSARIF(w, fs, opts)
	}
	return fmt.Errorf("report format %q: unknown (want text, json or sarif)", opts.Format)
}

// secret returns the value as the report shows it.
func secret(f *scanner.Finding, opts Options) string {
	if opts.ShowSecrets {
		return f.Secret
	}
	return scanner.Redact(f.Secret)
}
