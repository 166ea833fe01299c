// Package rdb finds the LZF-compressed strings of a Redis dump (qa16
// MEDIUM-3). Redis saves every string value over 20 bytes LZF-compressed
// when that shortens it (rdbcompression yes, the default): an 0xC3 byte,
// the compressed and the plain length in RDB's length encoding, then the
// LZF data, whose literal runs are at most 32 bytes, each after a control
// byte, so that a secret of 40 characters is always cut in the file.
// Values of every type hold such strings (a list's or a hash's ziplist or
// listpack is one), so the dump is not parsed type by type, which each
// Redis version extends: every 0xC3 whose lengths fit and whose data
// decodes to exactly the plain length, using exactly the compressed one,
// is taken. No chance bytes pass both.
package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// IsDump reports whether data starts as a Redis dump: "REDIS" and a
// four-digit version.
func IsDump(data []byte) bool {
	if len(data) < 9 || !bytes.HasPrefix(data, []byte("REDIS")) {
		return false
	}
	for _, c := range data[5:9] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// String is one LZF string of a dump: where its marker is, and its text.
type String struct {
	Offset int
	Data   []byte
}

// ErrBudget is returned when the strings tried decoded to more than the
// budget given to Strings: the ones after are not read.
var ErrBudget = errors.New("LZF strings decoded past the budget")

// Strings calls yield with each LZF string of the dump data, in order,
// until it returns false: each at most maxLen bytes once decoded (larger
// ones are skipped, counted in tooLarge), decoding no more than budget
// bytes in all, the candidates that fail included, so that a file of
// markers costs no more than its budget (past it: ErrBudget). The strings
// too large to keep are walked, not decoded, no more bytes in all than
// data and 1 MiB (review15 B-4: every marker inside one claimed string
// walked the rest of it again, quadratic, 4 MB 24.6 s; past it:
// ErrBudget too). One string at a time is held.
func Strings(data []byte, maxLen, budget int64, yield func(String) bool) (tooLarge int, err error) {
	walk := int64(len(data)) + 1<<20
	for p := 9; p < len(data); {
		i := bytes.IndexByte(data[p:], 0xc3)
		if i < 0 {
			break
		}
		at := p + i
		p = at + 1
		clen, n1 := length(data[at+1:])
		if n1 == 0 {
			continue
		}
		ulen, n2 := length(data[at+1+n1:])
		if n2 == 0 {
			continue
		}
		start := at + 1 + n1 + n2
		// LZF gives at most 264 bytes for 2 (a back reference). Redis
		// writes one only where it saves bytes, but loads any: a dump
		// made by hand may hold literal runs alone.
		if clen == 0 || ulen == 0 || clen > uint64(len(data)-start) || ulen > 132*clen+32 {
			continue
		}
		in := data[start : start+int(clen)]
		if int64(ulen) > maxLen {
			if walk < 0 {
				return tooLarge, ErrBudget
			}
			ok, walked := decodes(in, ulen)
			if walk -= int64(walked); ok {
				tooLarge++
				p = start + int(clen)
			}
			continue
		}
		if budget < 0 {
			return tooLarge, ErrBudget
		}
		out, ok := Decompress(in, int(ulen))
		budget -= int64(len(out))
		if !ok {
			continue
		}
		if !yield(String{Offset: at, Data: out}) {
			break
		}
		p = start + int(clen)
	}
	return tooLarge, nil
}

// decodes reports whether in is LZF of n bytes, without keeping them:
// the check for a string too large to be read. ip is how far it read.
func decodes(in []byte, n uint64) (ok bool, ip int) {
	var op uint64
	for ip < len(in) {
		c := in[ip]
		ip++
		if c < 32 {
			op += uint64(c) + 1
			ip += int(c) + 1
			if ip > len(in) {
				return false, ip
			}
			continue
		}
		l := uint64(c >> 5)
		if l == 7 {
			if ip >= len(in) {
				return false, ip
			}
			l += uint64(in[ip])
			ip++
		}
		if ip >= len(in) {
			return false, ip
		}
		back := uint64(c&0x1f)<<8 | uint64(in[ip])
		ip++
		if back >= op {
			return false, ip
		}
		op += l + 2
	}
	return op == n, ip
}

// length reads an RDB length: 6 bits, 14 bits, or a 32- or 64-bit
// big-endian number after 0x80 or 0x81; n is the bytes it took, 0 when b
// starts none (an encoded integer, a cut field).
func length(b []byte) (v uint64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	switch b[0] >> 6 {
	case 0:
		return uint64(b[0] & 0x3f), 1
	case 1:
		if len(b) < 2 {
			return 0, 0
		}
		return uint64(b[0]&0x3f)<<8 | uint64(b[1]), 2
	}
	switch {
	case b[0] == 0x80 && len(b) >= 5:
		return uint64(binary.BigEndian.Uint32(b[1:])), 5
	case b[0] == 0x81 && len(b) >= 9:
		return binary.BigEndian.Uint64(b[1:]), 9
	}
	return 0, 0
}

// Decompress decodes the LZF data in (liblzf's format: a control byte
// under 32 starts a literal run of it plus one bytes; above, its top three
// bits are a length less two, 7 meaning one more byte of it, and the rest
// with the next byte how far back the copy starts, less one). ok is false
// unless in decodes to exactly n bytes; out is then what was decoded
// before it failed, which tells the cost.
func Decompress(in []byte, n int) (out []byte, ok bool) {
	out = make([]byte, 0, min(n, 4096))
	for ip := 0; ip < len(in); {
		c := int(in[ip])
		ip++
		if c < 32 {
			c++
			if ip+c > len(in) || len(out)+c > n {
				return out, false
			}
			out = append(out, in[ip:ip+c]...)
			ip += c
			continue
		}
		l := c >> 5
		if l == 7 {
			if ip >= len(in) {
				return out, false
			}
			l += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return out, false
		}
		ref := len(out) - (c&0x1f)<<8 - int(in[ip]) - 1
		ip++
		l += 2
		if ref < 0 || len(out)+l > n {
			return out, false
		}
		for range l {
			out = append(out, out[ref])
			ref++
		}
	}
	return out, len(out) == n
}
