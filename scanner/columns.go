package scanner

import (
	"encoding/binary"
	"slices"
	"unicode/utf8"
)

// codePointColumns gives the findings of UTF-8 text data whose line holds a
// multi-byte character before them their columns in Unicode code points
// (CharColumn, EndCharColumn), as SARIF's columnKind unicodeCodePoints
// means them; Column and EndColumn stay byte columns, as go/token counts.
// A key itself is ASCII, but the line before it need not be: minified JSON
// with a description in German, a comment in Japanese. On an ASCII line the
// two counts agree and nothing is set. Findings whose offsets and byte
// columns disagree (a position inside a character, a value found in
// decoded text and placed otherwise) are left as they are.
//
// One pass over data up to the last finding, whatever the number of
// findings on a line (a file of one long line may hold many), which reads
// only the lines that hold findings.
func codePointColumns(fs Findings, data []byte) {
	type pos struct {
		off, i int
		end    bool
	}
	var ps []pos
	for i := range fs {
		f := &fs[i]
		if f.Line == 0 || f.InPath || f.CharColumn > 0 || f.Offset < 0 || f.EndOffset < f.Offset || f.EndOffset > len(data) {
			continue
		}
		ps = append(ps, pos{f.Offset, i, false}, pos{f.EndOffset, i, true})
	}
	if len(ps) == 0 {
		return
	}
	slices.SortFunc(ps, func(a, b pos) int { return a.off - b.off })
	type cols struct{ start, end int } // code-point columns, 0: unknown
	got := make([]cols, len(fs))
	wide := make([]bool, len(fs)) // a multi-byte character before the start or the end
	lineStart, chars, multi, at := 0, 0, false, 0
	for _, p := range ps {
		f := &fs[p.i]
		col := f.Column
		if p.end {
			col = f.EndColumn
		}
		// Straight to the position's line where its byte column says that
		// line starts further on: the walk would start it afresh there,
		// and the text between (most of a file) is not read.
		if ls := p.off - col + 1; ls > at && ls <= p.off && data[ls-1] == '\n' {
			lineStart, chars, multi, at = ls, 0, false, ls
		}
		for at < p.off {
			// Eight bytes at a time where they are ASCII and hold no
			// newline: most of the text before a finding is (the loop
			// below cost 3.6 % of the detector tests' scan).
			for ; at+8 <= p.off; at, chars = at+8, chars+8 {
				w := binary.LittleEndian.Uint64(data[at:])
				nl := w ^ 0x0a0a0a0a0a0a0a0a
				if w&0x8080808080808080 != 0 || (nl-0x0101010101010101)&^nl&0x8080808080808080 != 0 {
					break
				}
			}
			if at >= p.off {
				break
			}
			b := data[at]
			switch {
			case b == '\n':
				lineStart, chars, multi = at+1, 0, false
				at++
			case b < utf8.RuneSelf:
				chars++
				at++
			default:
				_, n := utf8.DecodeRune(data[at:])
				chars++
				at += n
				multi = true
			}
		}
		if at != p.off || col != p.off-lineStart+1 {
			continue // inside a character, or placed by other columns
		}
		if p.end {
			got[p.i].end = chars + 1
		} else {
			got[p.i].start = chars + 1
		}
		wide[p.i] = wide[p.i] || multi
	}
	for i := range fs {
		if wide[i] && got[i].start > 0 && got[i].end > 0 {
			fs[i].CharColumn, fs[i].EndCharColumn = got[i].start, got[i].end
		}
	}
}
