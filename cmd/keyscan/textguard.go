package main

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/keyscan/keyscan/report"
)

// textGuard is standard error as keyscan writes to it: every message a
// person reads there may quote text that a scanned repository chose (a file
// name, a ref, a baseline entry a pull request edited, an error that wraps a
// path), and such text must not reach the terminal raw: an escape sequence
// clears the screen or sets the title, a line feed forges the next line
// (qa26 M6). The messages quote names through report.Printable where they
// are written; the guard is the backstop for the ones that do not, so one
// forgotten call is not a hole. It escapes, as report.Printable does, every
// control or format character of a write except the line feeds and tabs that
// keyscan's own messages are made of. keyscan writes no colour to standard
// error, so nothing of its own is lost.
type textGuard struct{ w io.Writer }

func (g textGuard) Write(p []byte) (int, error) {
	if !needsGuard(p) {
		return g.w.Write(p)
	}
	var b strings.Builder
	for i, line := range bytes.Split(p, []byte{'\n'}) {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, part := range bytes.Split(line, []byte{'\t'}) {
			if j > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(report.Printable(string(part)))
		}
	}
	if _, err := io.WriteString(g.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// needsGuard reports whether p holds a byte or rune report.Printable would
// escape, other than a line feed or a tab: the common message is plain ASCII
// and is written as it is.
func needsGuard(p []byte) bool {
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && n == 1 || report.Printable(string(r)) != string(r) {
			return true
		}
		i += n
	}
	return false
}

// unguarded returns the writer under a textGuard: for the terminal test and
// for the history progress bar, which draws with carriage returns and
// escapes of its own and prints no scanned text.
func unguarded(w io.Writer) io.Writer {
	if g, ok := w.(textGuard); ok {
		return g.w
	}
	return w
}

// progressOut is where the pre-receive progress line is drawn: past the
// guard, whose escaping of its \r showed the pusher one line growing by a
// copy a second ("…(1s)\x0dkeyscan: …(2s)\x0d…", qa29 L3). The line is
// keyscan's own text and counts (receive.ProgressLine), no scanned text,
// so no \r of a repository's reaches the terminal this way.
func progressOut(stderr io.Writer) io.Writer { return unguarded(stderr) }
