package analyzer

import (
	"bytes"
	"go/token"
	"strconv"
	"unicode/utf8"

	"github.com/keyscan/keyscan/scanner"
)

// decodeLit returns the value of a Go string literal as written in source
// (quotes included) and, for each byte of the value, the offset in the
// source text where the character producing it starts; offs[len(val)] is the
// offset of the closing quote. Offsets let a finding in the value be reported
// at the key's own line and column, through escapes and raw-string newlines.
func decodeLit(src string) (val []byte, offs []int, ok bool) {
	if len(src) < 2 || src[0] != src[len(src)-1] {
		return nil, nil, false
	}
	q := src[0]
	body := src[1 : len(src)-1]
	val = make([]byte, 0, len(body))
	offs = make([]int, 0, len(body)+1)
	switch q {
	case '`':
		for i := 0; i < len(body); i++ {
			if body[i] == '\r' { // raw strings drop carriage returns
				continue
			}
			val = append(val, body[i])
			offs = append(offs, 1+i)
		}
	case '"':
		for i := 0; i < len(body); {
			if body[i] != '\\' {
				val = append(val, body[i])
				offs = append(offs, 1+i)
				i++
				continue
			}
			r, multibyte, tail, err := strconv.UnquoteChar(body[i:], '"')
			if err != nil {
				return nil, nil, false
			}
			n := len(body) - i - len(tail)
			if r < utf8.RuneSelf || !multibyte {
				val = append(val, byte(r))
				offs = append(offs, 1+i)
			} else {
				var b [utf8.UTFMax]byte
				for _, c := range b[:utf8.EncodeRune(b[:], r)] {
					val = append(val, c)
					offs = append(offs, 1+i)
				}
			}
			i += n
		}
	default:
		return nil, nil, false
	}
	return val, append(offs, len(src)-1), true
}

// allowDirective reports whether the line holding pos carries a
// "keyscan:allow <reason>" comment, the directive the matcher honours in
// every file. Without a reason the directive does not count; note says so.
func allowDirective(src []byte, tf *token.File, pos token.Pos) (allowed bool, note string) {
	if src == nil {
		return false, ""
	}
	off := tf.Offset(pos)
	if off > len(src) {
		return false, ""
	}
	s := bytes.LastIndexByte(src[:off], '\n') + 1
	e := bytes.IndexByte(src[off:], '\n')
	if e < 0 {
		e = len(src)
	} else {
		e += off
	}
	return scanner.AllowDirective(src[s:e])
}
