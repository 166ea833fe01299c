package scanner

import (
	"bytes"
)

// Dumps pasted into other text (hide32). od -c's characters, od -b's
// octal bytes and the little-endian words of od -x, od -t x4, hexdump and
// xxd -e hold a key in no anchor of their text (oddump.go), so only a file
// that is such a dump from its first line was read back (hexdumpFile): the
// same dump pasted into a Markdown page under a heading, into a ticket, or
// logged line by line behind a log's prefix, was missed. Such a dump is
// known as the file is, by its first line: an offset of six to eight zeros
// (od's 0000000, od -A x's 000000, hexdump's and xxd's 00000000), which
// stands at the line's start or after a blank or a sign (a prefix's
// end), and after it the cells, octal bytes or words of a first line. The
// lines below whose offset stands at the same column are read back with
// it (readDump), up to the first line that is none (the fence that closes
// a code block, a blank line, the log's next message); the prefix before
// each offset is passed over, so a log's time stamps of one width do not
// matter.
//
// The search is one pass of the library's substring search for six zeros
// over the input; a place whose zeros follow a letter or a digit, or are
// not followed by a blank or xxd's colon, is passed at once, with the rest
// of its run of zeros, and only one place a line is asked about its line
// (the first that passes those tests), so a file of zeros costs a pass,
// not a pass a place. It is asked of the files a dump is pasted into
// (dumpPasteName: Markdown and other pages, text, logs, mail, and names
// without an extension), not of source code or data, whose zeros (0x0000,
// 1000000) would cost it a pass of every file for dumps that are pasted
// into notes, tickets and logs. Dumps of pairs of hex digits in the bytes' order
// (xxd, hexdump -C, od -t x1) are read where their pairs spell a key's
// head (spacedhex.go), not here. At most maxPastedDumps dumps are read in
// one input; past them each is counted as not decoded.

// dumpPasteExtensions are the extensions of the files a dump is looked for
// in below other text: pages, notes, logs and mail.
var dumpPasteExtensions = []string{".md", ".markdown", ".mdx", ".rmd", ".qmd", ".txt", ".text", ".log", ".out", ".err",
	".rst", ".adoc", ".asciidoc", ".org", ".wiki", ".textile", ".eml", ".mbox", ".html", ".htm"}

// dumpPasteLast marks the last bytes of dumpPasteExtensions, in either
// case, and the digits a rotated log's name ends in.
var dumpPasteLast = func() (t [128]bool) {
	for _, e := range dumpPasteExtensions {
		c := e[len(e)-1]
		t[c|0x20], t[c&^0x20] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	return t
}()

// dumpPasteName reports whether a dump pasted into a file of this name is
// looked for: one of dumpPasteExtensions, a rotated log (app.log.1), or a
// name without an extension (README, a typescript, a log).
func dumpPasteName(name string) bool {
	ext := nameExt(name)
	if ext == "" {
		return true
	}
	// Most names (.go, .json) end in a byte no extension of the list ends
	// in, nor a rotated log's number: told in one look, as endsIn tells
	// them, not by comparing the name with twenty extensions.
	if c := ext[len(ext)-1]; c < 0x80 && !dumpPasteLast[c] {
		return false
	}
	if extIn(ext, dumpPasteExtensions) {
		return true
	}
	rest := name[:len(name)-len(ext)]
	// allDigits, not strings.Trim, which built its set of digits for
	// every file's name (a tenth of an ordinary file's fixed cost)
	return allDigits(ext[1:]) && extIn(nameExt(rest), []string{".log"})
}

// maxPastedDumps is how many dumps pasted into other text one input has
// read back.
const maxPastedDumps = 64

// maxDumpLine is the longest line whose first offset is asked whether it
// starts a dump (xxd -c 256 writes lines of about 1,200 bytes).
const maxDumpLine = 4 << 10

// offsetZeros is how many zeros in a row a dump's first offset holds at
// least.
const offsetZeros = 6

// indexZeros returns the index of the first run of offsetZeros zeros in d
// at or after from, or -1. It asks the last byte of each window first
// (Horspool's rule for a needle of one byte repeated): where that is no
// zero, no run includes it and the next window starts past it, so text
// with few zeros is read a byte in six.
func indexZeros(d []byte, from int) int {
	for i := from; i+offsetZeros <= len(d); {
		if d[i+offsetZeros-1] != '0' {
			i += offsetZeros
			continue
		}
		j := i + offsetZeros - 2
		for j >= i && d[j] == '0' {
			j--
		}
		if j < i {
			return i
		}
		i = j + 1
	}
	return -1
}

// pastedDumpAt returns the first dump pasted into d at or after from, a
// line's start: the start of its first line, the column of its offset,
// and its notation; at is -1 where there is none.
func pastedDumpAt(d []byte, from int) (at, col int, f dumpFormat) {
	for i := from; i < len(d); {
		k := indexZeros(d, i)
		if k < 0 {
			return -1, 0, f
		}
		ls := bytes.LastIndexByte(d[i:k], '\n') + 1 + i
		z := k + offsetZeros
		for z < len(d) && d[z] == '0' {
			z++
		}
		if k > ls && (isAlnum(d[k-1]) || d[k-1] == '_' || d[k-1] == '.') || z-k > 8 || z == len(d) || d[z] != ' ' && d[z] != ':' {
			i = z // not an offset: the run of zeros passed
			continue
		}
		le := nextNewline(d, k)
		if le-k <= maxDumpLine {
			f = hexdumpFile(d[k:le])
			switch f.kind {
			case dumpChars, dumpOctal, dumpHexLE:
				return ls, k - ls, f
			}
		}
		i = le + 1 // one place a line
	}
	return -1, 0, f
}

// decodePastedDumps reads back each dump pasted into the input (see
// above), unless the input is a dump itself; it reports whether it read
// one.
func (m *match) decodePastedDumps() bool {
	if m.depth > 0 || !dumpPasteName(m.plainName()) || m.wholeFile() == wholeHexdump {
		return false
	}
	read := 0
	for i := 0; i < len(m.data); {
		at, col, f := pastedDumpAt(m.data, i)
		if at < 0 {
			break
		}
		if read >= maxPastedDumps {
			m.undecoded++
			i = nextNewline(m.data, at) + 1
			continue
		}
		read++
		end := m.readDump(f, at, col, true)
		i = max(end, nextNewline(m.data, at)+1)
	}
	if read > 0 {
		m.oncePerDumpLine()
	}
	return read > 0
}
