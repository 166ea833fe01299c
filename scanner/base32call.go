package scanner

import (
	"bytes"
	"slices"
)

// Base32 in lower case (Python's b32decode(s, casefold=True), a run piped
// through tr a-z A-Z before base32 -d) and base32hex (RFC 4648's "extended
// hex" alphabet 0-9 A-V: Python's b32hexdecode, basenc --base32hex) hide
// a credentials file as upper-case base32 does, but no anchor can name
// them: their forms of AKIA or aws_ are lower-case letters and digits,
// which code is full of (each would let through thousands more places of
// Go source than the upper-case forms). As base85's are (base85.go), they
// are found by the calls that decode them, looked for in the files that
// make such calls: Python files (b32decode(, b32hexdecode() and shell
// scripts (base32 or basenc with -d or --decode on the line). The literal
// a call names is decoded; a call with a name reads every run of its
// alphabet in the file long enough to be data (minB85Run) that starts a
// line or a literal, lines of one width joined, in either case. Upper-case
// base32 is the anchors' (base32.go): a run of it is left to them.

// b32Alpha is one of the base32 alphabets, either case.
type b32Alpha uint8

const (
	b32Std b32Alpha = iota // A-Z 2-7
	b32Hex                 // 0-9 A-V
)

// b32CaseStops are each alphabet's tables of the bytes that end a run,
// either case, and b32CaseValues their characters' five bits.
var b32CaseStops, b32CaseValues = func() (st [2][256]uint8, vt [2][256]byte) {
	for k, alpha := range [2]string{"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV"} {
		for c := range 256 {
			st[k][c] = 1
		}
		for i := range len(alpha) {
			c := alpha[i]
			st[k][c], vt[k][c] = 0, byte(i)
			if 'A' <= c && c <= 'Z' {
				st[k][c|0x20], vt[k][c|0x20] = 0, byte(i)
			}
		}
	}
	return st, vt
}()

// b32CallSeeds appends to seeds the base32 decoding calls of a shell
// script (a Python file's are pyCallSeeds'): where each call's argument
// starts, its alphabet in the low bit (seed<<1 | alpha).
func b32CallSeeds(d []byte, seeds []int) []int {
	for _, tool := range [...]string{"base32", "basenc"} {
		for i := 0; ; {
			k := bytes.Index(d[i:], []byte(tool))
			if k < 0 {
				break
			}
			at := i + k
			le := bytes.IndexByte(d[at:], '\n')
			if le < 0 {
				le = len(d) - at
			}
			i = at + 6
			line := d[at : at+le]
			if !bytes.Contains(line, []byte(" -d")) && !bytes.Contains(line, []byte("--decode")) && !bytes.Contains(line, []byte(" -di")) {
				continue
			}
			alpha := b32Std
			if tool == "basenc" {
				switch {
				case bytes.Contains(line, []byte("--base32hex")):
					alpha = b32Hex
				case !bytes.Contains(line, []byte("--base32")):
					continue
				}
			}
			if w := echoedWord(d, lineStartWithin(d, at, 4096), at); w >= 0 {
				seeds = append(seeds, w<<1|int(alpha)) // echo RUN | base32 -d (qa19 L1)
			}
			seeds = append(seeds, len(d)<<1|int(alpha)) // no literal: the file's runs
		}
	}
	return seeds
}

// echoedWord returns where the unquoted word starts that an echo or a
// printf in d[ls:at] writes into the pipe to the decoding tool at at
// (echo RUN | basenc --base32hex -d, echo run | tr a-z A-Z | base32 -d:
// the shell's most common literal is a bare word), or -1. A quoted one is
// literalArg's.
func echoedWord(d []byte, ls, at int) int {
	line := d[ls:at]
	k := bytes.LastIndex(line, []byte("echo "))
	if k < 0 {
		if k = bytes.LastIndex(line, []byte("printf ")); k < 0 {
			return -1
		}
		k++
	}
	w := ls + k + len("echo ")
	for {
		for w < at && (d[w] == ' ' || d[w] == '\t') {
			w++
		}
		if w+1 < at && d[w] == '-' && (d[w+1] == 'n' || d[w+1] == 'e') {
			w += 2 // echo -n, echo -e
			continue
		}
		if hasAt(d, w, "%s ") || hasAt(d, w, "'%s' ") || hasAt(d, w, "\"%s\" ") {
			w = bytes.IndexByte(d[w:at], ' ') + w // printf %s RUN
			continue
		}
		break
	}
	if w >= at || d[w] == '"' || d[w] == '\'' || bytes.IndexByte(d[w:at], '|') < 0 {
		return -1
	}
	return w
}

// bareWord returns where the unquoted word of alpha's characters that
// starts at s ends, s when there is none.
func bareWord(d []byte, s int, alpha b32Alpha) int {
	e := s
	for e < len(d) && (b32CaseStops[alpha][d[e]] == 0 || d[e] == '=') {
		e++
	}
	if e < len(d) && d[e] != ' ' && d[e] != '\t' && d[e] != '|' && d[e] != '\n' {
		return s // a word that goes on with other bytes: no base32
	}
	return e
}

// decodeBase32Calls decodes what the calls b32CallSeeds and pyCallSeeds found
// (m.scratch.b32Calls) name.
func (m *match) decodeBase32Calls() {
	d := m.data
	var filed [2]bool
	done := 0
	slices.Sort(m.scratch.b32Calls) // in the file's order: base32's and basenc's calls were looked for apart
	for _, seed := range m.scratch.b32Calls {
		if m.spent() {
			return
		}
		arg, alpha := seed>>1, b32Alpha(seed&1)
		if arg < done {
			continue
		}
		if s, e, ok := literalArg(d, arg); arg < len(d) && ok {
			done = e
			m.decodeB32Literal(s, e, alpha)
		} else if e := bareWord(d, arg, alpha); arg < len(d) && e-arg >= minB85Run {
			done = e
			m.decodeB32Literal(arg, e, alpha)
		} else if !filed[alpha] {
			filed[alpha] = true
			m.decodeB32Runs(alpha)
		}
	}
}

// decodeB32Literal decodes a call's literal argument d[s:e], its blanks
// and line breaks skipped and its padding taken off, unless it is
// upper-case base32.
func (m *match) decodeB32Literal(s, e int, alpha b32Alpha) {
	d := m.data
	if alpha == b32Std && !hasLower(d[s:e]) {
		return // upper case: the anchors' (decodeBase32)
	}
	// padding, a quote, or no base32 ends it: the rest is not read
	if segs, end := literalSegs(d, s, e, &b32CaseStops[alpha]); len(segs) > 0 {
		m.decodeB32Segs(segs, end, alpha)
	}
}

// decodeB32Runs reads every run of the file in alpha (either case) long
// enough to be data that starts its line or a literal, lines of one width
// joined; an upper-case run of the standard alphabet is left to the
// anchors (decodeBase32).
func (m *match) decodeB32Runs(alpha b32Alpha) {
	m.dataRuns(&b32CaseStops[alpha], false, func(s, e int, segs []seg, end int) int {
		if alpha == b32Hex || hasLower(m.data[s:e]) {
			m.decodeB32Segs(segs, end, alpha)
		}
		return end
	})
}

// hasLower reports whether b holds a lower-case letter.
func hasLower(b []byte) bool {
	for _, c := range b {
		if 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}

// decodeB32Segs decodes the characters of segs (the last ending at end)
// from the first on and scans the text, or keeps the bytes as a member,
// as decodeBase32 does.
func (m *match) decodeB32Segs(segs []seg, end int, alpha b32Alpha) {
	last := segs[len(segs)-1]
	n := last.char + end - last.raw
	if n < minB32Run || !m.spendBytes(decodeStep, n, m.decodeCost()) {
		return
	}
	dec := m.scratch.hexBuf(n * 5 / 8)
	b32DecodeWith(m.data, segs, end, 0, dec, &b32CaseValues[alpha])
	m.b32Decoded(dec, segs, 0)
}

// lowerB32File reports whether d is lower-case base32 alone (interp35
// 6): a credentials file passed through base32 and tr A-Z a-z, or a
// Python b32encode(…).lower(), saved as a file of its own, which names no
// call. Its first line is a run of the alphabet at least minB85Run long
// with a lower-case letter, the lines after it are as wide, the last
// no wider, then padding and line breaks. Any other file is turned down
// at its first line's first byte outside the alphabet: a few bytes of
// most.
func lowerB32File(d []byte) bool {
	stop := &b32CaseStops[b32Std]
	w := 0
	for w < len(d) && stop[d[w]] == 0 {
		w++
	}
	if w < minB85Run || !hasLower(d[:w]) {
		return false
	}
	for i := 0; i < len(d); {
		e := i
		for e < len(d) && stop[d[e]] == 0 {
			e++
		}
		if e-i > w {
			return false
		}
		a := e
		for e < len(d) && d[e] == '=' && e-a < 7 {
			e++
		}
		k := e
		if k < len(d) && d[k] == '\r' {
			k++
		}
		if k < len(d) && d[k] != '\n' {
			return false
		}
		if a-i < w || e > a {
			// the last line: line breaks alone may follow
			for ; k < len(d); k++ {
				if d[k] != '\n' && d[k] != '\r' {
					return false
				}
			}
			return true
		}
		i = k + 1
	}
	return true
}
