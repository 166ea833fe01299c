// Package vba reads the source of a VBA project's modules (qa16 HIGH-9):
// Office keeps each module's source in a stream of the project's
// compound file (vbaProject.bin in .xlsm, .docm and .pptm; the Macros or
// _VBA_PROJECT_CUR storage of .doc and .xls), compressed as [MS-OVBA]
// 2.4.1 lays out: a 0x01 byte, then chunks of at most 4096 bytes, each a
// flag byte before every 8 tokens, so even a key that compresses to
// literals is cut into 8-byte pieces. The project's dir stream (itself
// compressed) names each module's stream and where its source starts
// (MODULEOFFSET): a cache of compiled code comes first.
package vba

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
)

// ErrCorrupt is returned for a compressed container that does not decode.
var ErrCorrupt = errors.New("corrupt VBA compressed container")

// Decompress decodes the compressed container in ([MS-OVBA] 2.4.1.3.1),
// at most limit bytes of it: more is ErrCorrupt too, the caller's limit.
// Where the chunks' sizes do not hold, it decodes again as a lenient
// reader would: each compressed chunk ends where it has given 4096 bytes
// (what every chunk but the last gives), whatever its header says (a
// writer that packs 4096 literals, 4608 bytes, into one chunk overflows
// the header's 12 bits). NULs after the last chunk (a stream padded to
// its sectors) end it.
func Decompress(in []byte, limit int) ([]byte, error) {
	var spent int
	return DecompressCharged(in, limit, &spent)
}

// DecompressCharged is Decompress adding to *spent the bytes both of its
// passes decoded, kept or not: a caller that bounds its work by a budget
// charges a failed lenient pass as well (review15 B2-2: dir streams whose
// strict pass fails at once and whose lenient pass decodes far before
// failing were charged nothing).
func DecompressCharged(in []byte, limit int, spent *int) ([]byte, error) {
	out, err := decompress(in, limit, false)
	*spent += len(out)
	if err != nil && err != errLimit {
		o, e := decompress(in, limit, true)
		*spent += len(o)
		if e == nil {
			return o, nil
		}
	}
	if err == errLimit {
		err = ErrCorrupt
	}
	return out, err
}

// errLimit is a container past the caller's limit: not decoded again.
var errLimit = errors.New("past the limit")

func decompress(in []byte, limit int, lenient bool) ([]byte, error) {
	if len(in) == 0 || in[0] != 1 {
		return nil, ErrCorrupt
	}
	last := len(in) - 1 // the last byte that is not a NUL
	for last >= 0 && in[last] == 0 {
		last--
	}
	var out []byte
	for p := 1; p < len(in) && p <= last; {
		if p+2 > len(in) {
			return out, ErrCorrupt
		}
		h := binary.LittleEndian.Uint16(in[p:])
		size := int(h&0x0fff) + 3
		if h>>12&7 != 3 {
			return out, ErrCorrupt
		}
		end := min(p+size, len(in)) // the last chunk may be cut at the stream's end
		chunk := len(out)
		if h&0x8000 == 0 {
			// Raw: 4096 bytes as they are.
			if size != 4098 {
				return out, ErrCorrupt
			}
			out = append(out, in[p+2:end]...)
			if len(out) > limit {
				return out[:limit], errLimit
			}
			p = end
			continue
		}
		if lenient {
			end = len(in)
		}
		q := p + 2
	chunk:
		for q < end && q <= last {
			flags := in[q]
			q++
			for i := 0; i < 8 && q < end; i++ {
				if flags>>i&1 == 0 {
					out = append(out, in[q])
					q++
				} else {
					if q+2 > end {
						return out, ErrCorrupt
					}
					tok := int(binary.LittleEndian.Uint16(in[q:]))
					q += 2
					if len(out) == chunk {
						return out, ErrCorrupt // nothing to copy from yet
					}
					// The split of a copy token between offset and length
					// follows how much of the chunk is decoded so far.
					n := max(bits.Len(uint(len(out)-chunk-1)), 4)
					off := tok>>(16-n) + 1
					length := tok&(0xffff>>n) + 3
					from := len(out) - off
					if from < chunk {
						return out, ErrCorrupt
					}
					for range length {
						out = append(out, out[from])
						from++
					}
				}
				if lenient && len(out)-chunk >= 4096 {
					break chunk
				}
			}
			if len(out) > limit {
				return out[:limit], errLimit
			}
			if len(out)-chunk > 4096 {
				return out, ErrCorrupt
			}
		}
		if lenient {
			end = q
		}
		if len(out) > limit {
			return out[:limit], errLimit
		}
		p = end
	}
	return out, nil
}

// Module is one module of a project: the stream holding it, named
// relative to the project's VBA storage, and where its source starts.
type Module struct {
	Stream string
	Offset int
}

// Modules reads the project's decompressed dir stream ([MS-OVBA] 2.3.4.2):
// records of a 2-byte id and a 4-byte size, MODULESTREAMNAME (0x1A) naming
// a module's stream in the code page's bytes (ASCII in every project seen;
// the Unicode form follows as 0x32) and MODULEOFFSET (0x31) where its
// source starts. PROJECTVERSION (0x09) alone has 6 bytes after a size of 4.
func Modules(dir []byte) ([]Module, error) {
	var ms []Module
	var name []byte
	for p := 0; p+6 <= len(dir); {
		id, size := binary.LittleEndian.Uint16(dir[p:]), int(binary.LittleEndian.Uint32(dir[p+2:]))
		p += 6
		if id == 0x09 {
			size = 6
		}
		if size < 0 || size > len(dir)-p {
			return ms, ErrCorrupt
		}
		v := dir[p : p+size]
		p += size
		switch id {
		case 0x1a:
			name = v
		case 0x31:
			if size != 4 || name == nil {
				return ms, ErrCorrupt
			}
			ms = append(ms, Module{Stream: string(name), Offset: int(binary.LittleEndian.Uint32(v))})
			name = nil
		case 0x10:
			return ms, nil // the end of the project's records
		}
	}
	return ms, nil
}

// ErrBudget is returned by Find once the bytes it decoded, over every
// stream its caller gave the same budget, reached it.
var ErrBudget = errors.New("VBA source searched past the budget")

// Find returns where a compressed container whose first chunk holds
// (signature bits, a flag byte) and which decodes to the end of stream
// starts in a module stream whose dir stream is missing or unreadable,
// and its decoded bytes: the source is the stream's last part. At most
// tries places are tried, from the stream's start, each decoding at most
// limit bytes. Every byte decoded, the tries that fail included, takes
// one from *budget, which the caller shares over a file's streams
// (review15 B-5: 64 tries, two decodes each, per stream, and any number
// of streams sharing one chain: a 46 KB .doc took 5.4 s). None found:
// -1 and ErrCorrupt, or ErrBudget once the budget is spent; a container
// found past limit: where it starts and ErrCorrupt.
//
// A start found in the compiled code before the source (random-looking
// bytes that pass the signature test by chance) can decode to the end of
// the stream too, swallowing the real container as garbage: so a decode
// that holds control bytes no source text has is kept only as the answer
// of last resort, and the search goes on to the next place.
func Find(stream []byte, limit, tries int, budget *int) (int, []byte, error) {
	at, found := -1, []byte(nil)
	fallback := func(err error) (int, []byte, error) {
		if at >= 0 {
			return at, found, nil
		}
		return -1, nil, err
	}
	for p := 0; tries > 0; p++ {
		i := bytes.IndexByte(stream[p:], 1)
		if i < 0 {
			break
		}
		p += i
		if p+3 < len(stream) && stream[p+2]>>4&7 == 3 {
			tries--
			for _, lenient := range []bool{false, true} {
				if *budget <= 0 {
					return fallback(ErrBudget)
				}
				out, err := decompress(stream[p:], min(limit, *budget), lenient)
				*budget -= len(out)
				switch {
				case err == nil && isText(out):
					return p, out, nil
				case err == nil:
					if at < 0 {
						at, found = p, out
					}
				case err == errLimit && len(out) == limit:
					return p, nil, ErrCorrupt // found, larger than the limit
				case err == errLimit:
					return fallback(ErrBudget)
				}
				if err == nil {
					break
				}
			}
		}
	}
	return fallback(ErrCorrupt)
}

// isText reports whether b holds no control byte but the tab, line
// ends, form feed and Ctrl-Z that module source text may hold.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1a {
			return false
		}
	}
	return true
}
