package scanner

import "bytes"

// pyCallSeeds finds, in one pass over a Python file's opening
// parentheses, the calls fileSeeds reads there: base64's decoders that
// drop foreign bytes (b64decode(, decodebytes(, decodestring(,
// a2b_base64(: b64call.go), base85's (a85decode(, b85decode(: base85.go),
// lower-case base32's (b32decode(, b32hexdecode(: base32call.go) and
// decompress( (deflate.go). Each was a search of its own over the whole
// file, seven in all, and a search for a name that starts with a common
// letter reads a file at about three instructions a byte (moto's scan:
// 0.92 G instructions became 1.13 G when three were added); a Python file
// holds an opening parenthesis every hundred bytes or so, each tested by
// the few bytes before it. The lists come out as the searches made them:
// b64 in the order of the four names, then by place; the others by place.
type pyCalls struct {
	b64, b85, b32, inflates []int
}

// pyB64Calls are the names of b64CallSeeds' calls, in its order.
var pyB64Calls = [...]string{"b64decode", "decodebytes", "decodestring", "a2b_base64"}

func pyCallSeeds(d []byte, c *pyCalls) {
	var later [len(pyB64Calls)][]int // the other names' b64 seeds, by name
	for i := 0; i < len(d); {
		k := bytes.IndexByte(d[i:], '(')
		if k < 0 {
			break
		}
		p := i + k
		i = p + 1
		if p < 8 {
			continue
		}
		switch d[p-1] {
		case 'e': // …decode(, decompress( ends in 's'
			switch {
			case hasSuffixAt(d, p, "b64decode"):
				c.b64 = append(c.b64, p+1)
			case hasSuffixAt(d, p, "85decode"):
				if at := p - 9; at >= 0 && (d[at] == 'a' || d[at] == 'b') {
					c.b85 = append(c.b85, at)
				}
			case hasSuffixAt(d, p, "b32decode"):
				c.b32 = append(c.b32, (p+1)<<1|int(b32Std))
			case hasSuffixAt(d, p, "b32hexdecode"):
				c.b32 = append(c.b32, (p+1)<<1|int(b32Hex))
			}
		case 's':
			switch {
			case hasSuffixAt(d, p, "decodebytes"):
				later[1] = append(later[1], p+1)
			case hasSuffixAt(d, p, "decompress"):
				c.inflates = append(c.inflates, p-len("decompress"))
			}
		case 'g':
			if hasSuffixAt(d, p, "decodestring") {
				later[2] = append(later[2], p+1)
			}
		case '4':
			if hasSuffixAt(d, p, "a2b_base64") {
				later[3] = append(later[3], p+1)
			}
		}
	}
	for _, l := range later[1:] {
		c.b64 = append(c.b64, l...)
	}
}

// hasSuffixAt reports whether d[:p] ends in s.
func hasSuffixAt(d []byte, p int, s string) bool {
	return p >= len(s) && string(d[p-len(s):p]) == s
}
