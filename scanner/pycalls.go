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

func pyCallSeeds(d []byte, c *pyCalls) {
	var later [3][]int // decodebytes(, decodestring(, a2b_base64( seeds
	for i := 0; i < len(d); {
		k := bytes.IndexByte(d[i:], '(')
		if k < 0 {
			break
		}
		p := i + k
		i = p + 1
		if p == 0 {
			continue
		}
		switch d[p-1] {
		case 'e': // …decode(, decompress( ends in 's'
			switch {
			case hasAt(d, p-9, "b64decode"):
				c.b64 = append(c.b64, p+1)
			case hasAt(d, p-8, "85decode"):
				if at := p - 9; at >= 0 && (d[at] == 'a' || d[at] == 'b') {
					c.b85 = append(c.b85, at)
				}
			case hasAt(d, p-9, "b32decode"):
				c.b32 = append(c.b32, (p+1)<<1|int(b32Std))
			case hasAt(d, p-12, "b32hexdecode"):
				c.b32 = append(c.b32, (p+1)<<1|int(b32Hex))
			}
		case 's':
			switch {
			case hasAt(d, p-11, "decodebytes"):
				later[0] = append(later[0], p+1)
			case hasAt(d, p-10, "decompress"):
				c.inflates = append(c.inflates, p-len("decompress"))
			}
		case 'g':
			if hasAt(d, p-12, "decodestring") {
				later[1] = append(later[1], p+1)
			}
		case '4':
			if hasAt(d, p-10, "a2b_base64") {
				later[2] = append(later[2], p+1)
			}
		}
	}
	for _, l := range later {
		c.b64 = append(c.b64, l...)
	}
}
