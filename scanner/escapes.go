package scanner

// decodeEscapes decodes text written as escape sequences (\u0041\u004b...,
// \\u0041, %u0041, \u{41}, \x41) around the escaped 'A's the prefilter found, and
// scans what it says. A key written one escape per character is an encoded
// form like base64; findings point at the escaped text.
func (m *match) decodeEscapes() {
	d := m.data
	done := -1
	for _, at := range m.esc {
		if at < done {
			continue
		}
		// at is the u of \u0041 or the x of \x41: back up to the escape's start.
		s := at
		for _, back := range []int{2, 1} {
			if at-back >= 0 {
				if _, n := escapedByte(d, at-back); n > 0 {
					s = at - back
					break
				}
			}
		}
		for {
			if p, ok := escapeBefore(d, s); ok {
				s = p
				continue
			}
			if s > 0 && isSecretChar(d[s-1]) {
				s--
				continue
			}
			break
		}
		// Measure first, decode only text worth it: most anchors are stray.
		escapes, chars := 0, 0
		e := s
		for e < len(d) {
			if _, n := escapedByte(d, e); n > 0 {
				e += n
				escapes++
				chars++
				continue
			}
			if isSecretChar(d[e]) || d[e] == '=' {
				e++
				chars++
				continue
			}
			break
		}
		done = e
		if escapes < 4 || chars < 20 {
			continue // a stray escape: the plain scan sees the rest
		}
		dec := make([]byte, 0, chars)
		offs := make([]int, 0, chars+1) // offs[i]: where decoded byte i starts in the data
		for i := s; i < e; {
			if c, n := escapedByte(d, i); n > 0 {
				dec, offs = append(dec, c), append(offs, i)
				i += n
				continue
			}
			dec, offs = append(dec, d[i]), append(offs, i)
			i++
		}
		offs = append(offs, e)
		m.subScan(dec, "unicode-escape",
			func(i int) int { return offs[min(i, len(offs)-1)] },
			func(i int) int { return offs[min(i, len(offs)-1)] })
	}
}

// escapedByte decodes one escape for an ASCII character at i: \uXXXX,
// \\uXXXX (escaped twice), %uXXXX or \xXX. n is its length, 0 for none.
func escapedByte(d []byte, i int) (c byte, n int) {
	j := i
	switch {
	case j+1 < len(d) && d[j] == '\\' && d[j+1] == '\\':
		j += 2
	case j < len(d) && (d[j] == '\\' || d[j] == '%'):
		j++
	default:
		return 0, 0
	}
	if j < len(d) && d[j] == 'x' && d[i] == '\\' {
		if j+2 < len(d) && isHex(d[j+1]) && isHex(d[j+2]) {
			if v := hexVal(d[j+1])<<4 | hexVal(d[j+2]); v < 0x80 {
				return v, j + 3 - i
			}
		}
		return 0, 0
	}
	if j+1 < len(d) && d[j] == 'u' && d[j+1] == '{' { // \u{41}: JavaScript, Rust, Swift
		k, v := j+2, 0
		for k < len(d) && k < j+8 && isHex(d[k]) {
			v = v<<4 | int(hexVal(d[k]))
			k++
		}
		if k == j+2 || k >= len(d) || d[k] != '}' || v >= 0x80 {
			return 0, 0
		}
		return byte(v), k + 1 - i
	}
	if j+4 >= len(d) || d[j] != 'u' || d[j+1] != '0' || d[j+2] != '0' || !isHex(d[j+3]) || !isHex(d[j+4]) {
		return 0, 0
	}
	v := hexVal(d[j+3])<<4 | hexVal(d[j+4])
	if v >= 0x80 {
		return 0, 0
	}
	return v, j + 5 - i
}

// escapeBefore returns where an escape that ends at i starts.
func escapeBefore(d []byte, i int) (int, bool) {
	if i == 0 || !isHex(d[i-1]) && d[i-1] != '}' {
		return 0, false // every escape ends in a hex digit or '}'
	}
	for _, n := range [...]int{7, 6, 5, 4, 8, 9} { // \\uXXXX, \uXXXX or %uXXXX, \u{XX}, \xXX...
		if i-n >= 0 && (d[i-n] == '\\' || d[i-n] == '%') { // and starts with one of these
			if _, m := escapedByte(d, i-n); m == n {
				return i - n, true
			}
		}
	}
	return 0, false
}

func hexVal(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return c | 0x20 - 'a' + 10
	}
	return 0
}
