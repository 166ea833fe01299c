package staged

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// maxDiffLines bounds the lines a diff works on: go-diff numbers distinct
// lines with runes, and beyond this a file is treated as added whole, the
// safe side for a hook.
const maxDiffLines = 1_000_000

// lineCount returns how many lines data has (a last line without a newline
// counts).
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// addedLines marks, 1-based, the lines of new that old does not have: the
// inserted side of a line diff. Index 0 is unused.
//
// Lines are compared without their blanks (spaces, tabs, the CR of a CRLF
// ending, a missing final newline): a commit that only converts line
// endings (git add --renormalize) or reindents adds no line, so a key that
// HEAD already holds on such a line is not added by it (qa25 L2). A value
// such a change does make (a blank removed from inside a key) is still
// found: Scan counts a finding on a line left alone when no older version
// holds its value.
func addedLines(old, new []byte) []bool {
	n := lineCount(new)
	added := make([]bool, n+1)
	if len(old) == 0 || lineCount(old)+n > maxDiffLines {
		for i := 1; i <= n; i++ {
			added[i] = true
		}
		return added
	}
	dmp := diffmatchpatch.New()
	r1, r2, _ := dmp.DiffLinesToRunes(withoutBlanks(old), withoutBlanks(new))
	line := 1
	for _, d := range dmp.DiffMainRunes(r1, r2, false) {
		k := utf8.RuneCountInString(d.Text) // one rune per line
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			line += k
		case diffmatchpatch.DiffInsert:
			for i := line; i < line+k && i <= n; i++ {
				added[i] = true
			}
			line += k
		}
	}
	return added
}

// withoutBlanks returns data with the blanks of each line left out and
// every line ended by a newline: as many lines as lineCount counts, each
// compared by what it says.
func withoutBlanks(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + 1)
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		for _, c := range line {
			if c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f' {
				b.WriteByte(c)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// intersect keeps in a only the lines b marks too.
func intersect(a, b []bool) {
	for i := range a {
		a[i] = a[i] && i < len(b) && b[i]
	}
}

// touches reports whether any line from first to last is marked.
func touches(added []bool, first, last int) bool {
	if last < first {
		last = first
	}
	for l := max(first, 1); l <= last && l < len(added); l++ {
		if added[l] {
			return true
		}
	}
	return false
}

// similarity is the share of lines two texts have in common, from 0 to 1, the
// measure rename detection uses.
func similarity(a, b []byte) float64 {
	na, nb := lineCount(a), lineCount(b)
	if na+nb == 0 {
		return 1
	}
	if na+nb > maxDiffLines {
		return 0
	}
	dmp := diffmatchpatch.New()
	r1, r2, _ := dmp.DiffLinesToRunes(string(a), string(b))
	common := 0
	for _, d := range dmp.DiffMainRunes(r1, r2, false) {
		if d.Type == diffmatchpatch.DiffEqual {
			common += utf8.RuneCountInString(d.Text)
		}
	}
	return 2 * float64(common) / float64(na+nb)
}

// isBinary uses git's rule: a NUL byte in the first 8000 bytes.
func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0
}
