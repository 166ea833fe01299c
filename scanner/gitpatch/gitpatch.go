// Package gitpatch reads the files a git binary patch carries.
//
// git writes a file it takes for binary (a NUL anywhere: a credentials
// file with one stray NUL, a SQLite database, an .xlsx) into a patch made
// with --binary (git format-patch --binary, git diff --binary) as
// "GIT binary patch", then hunks of zlib-deflated bytes written in base85,
// a line at a time: "literal N" holds the whole file of N bytes, "delta N"
// a git delta against the file before. git apply writes the file back out,
// so a key in it is as exposed as in a patch of text; but the patch's own
// bytes show nothing of it (qa12 HIGH-8). Hunks reads each hunk back: a
// literal is the file itself, and a delta's inflated bytes hold every byte
// the change inserts, in clear, between its copy instructions.
//
// The format is git's (apply.c, base85.c): each line starts with a
// length byte ('A'..'Z' for 1..26 bytes, 'a'..'z' for 27..52) followed by
// five base85 characters per four bytes; a blank line ends a hunk. A
// patch holds the hunk of the change and, after it, the hunk that undoes
// it. Nothing read is trusted: a hunk is inflated to no more than its
// header says and no more than the caller's limit, and a hunk that does
// not decode is returned with its error, never dropped and never a panic.
package gitpatch

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
)

// Marker is the line that starts the binary part of a file's diff.
const Marker = "GIT binary patch"

// Hunk is one hunk of a binary patch.
type Hunk struct {
	// Path is the file the hunk writes: the b/ path of the diff header
	// for the change, the a/ path for the hunk that undoes it, with its
	// prefix ("b/creds.bin"); "" when no header names one.
	Path string
	// Delta marks a delta hunk: Data is the inflated delta, not the file.
	Delta bool
	// Data is the hunk's bytes, inflated; nil when Err is set.
	Data []byte
	// Err says why the hunk could not be read.
	Err error
	// Offset is where the hunk's header line starts in the patch.
	Offset int
}

// Hunks returns the hunks of every binary patch in data, each inflated to
// at most limit bytes (a larger one is an error). It holds them all at
// once: a scan reads them one at a time (All).
func Hunks(data []byte, limit int64) []Hunk {
	var out []Hunk
	for h := range All(data, limit, nil) {
		out = append(out, h)
	}
	return out
}

// ErrNotTaken is the error of a hunk that All did not inflate because its
// caller's take said no (a budget for the patch's hunks together).
var ErrNotTaken = errors.New("not inflated: past the limits for the patch's hunks together")

// All yields the hunks of every binary patch in data, one at a time, so
// that no more than one is held inflated: a patch of a hundred hunks of
// zlib-deflated zeros is a few KiB that would inflate to gigabytes (qa13
// HIGH-5). Each is inflated to at most limit bytes (a larger one is an
// error), and only when take, if set, accepts the size its header
// declares, which bounds what inflating gives; otherwise its Err is
// ErrNotTaken. A hunk's Data is the caller's only during the yield.
func All(data []byte, limit int64, take func(size int64) bool) iter.Seq[Hunk] {
	return func(yield func(Hunk) bool) {
		var a, b string // the paths of the diff being read
		var q []byte    // the quote before the lines of the binary patch being read
		inBinary, undo := false, false
		for off := 0; off < len(data); {
			line, next := lineAt(data, off)
			if inBinary {
				line = unquote(line, q)
			}
			switch {
			case bytes.HasPrefix(line, []byte("diff --git ")):
				a, b = diffPaths(string(line[len("diff --git "):]))
				inBinary = false
			case bytes.HasSuffix(bytes.TrimRight(line, "\r"), []byte(Marker)):
				p := bytes.TrimRight(line, "\r")
				p = p[:len(p)-len(Marker)]
				if !isQuote(p) {
					break
				}
				inBinary, undo, q = true, false, p
				if i := bytes.LastIndex(data[max(0, off-4096):off], []byte("diff --git ")); i >= 0 && len(p) > 0 {
					// The header of a quoted patch, as the case above reads
					// an unquoted one.
					i += max(0, off-4096)
					if s := i - len(p); s >= 0 && bytes.Equal(data[s:i], p) && (s == 0 || data[s-1] == '\n') {
						h, _ := lineAt(data, i)
						a, b = diffPaths(string(h[len("diff --git "):]))
					}
				}
			case inBinary && (bytes.HasPrefix(line, []byte("literal ")) || bytes.HasPrefix(line, []byte("delta "))):
				h := Hunk{Path: b, Delta: line[0] == 'd', Offset: off}
				if undo {
					h.Path = a
				}
				undo = true
				size, err := strconv.ParseInt(strings.TrimSpace(string(line[bytes.IndexByte(line, ' ')+1:])), 10, 64)
				var body []byte
				body, next, err = readBody(data, next, err, q)
				switch {
				case err != nil:
					h.Err = err
				case size < 0 || size > limit:
					h.Err = fmt.Errorf("hunk of %d bytes, over the limit of %d", size, limit)
				case take != nil && !take(size):
					h.Err = ErrNotTaken
				default:
					h.Data, h.Err = inflate(body, size)
				}
				if !yield(h) {
					return
				}
			}
			off = next
		}
	}
}

// lineAt returns the line of data at off (without its newline) and where
// the next starts.
func lineAt(data []byte, off int) ([]byte, int) {
	if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
		return data[off : off+i], off + i + 1
	}
	return data[off:], len(data)
}

// diffPaths returns the a/ and b/ paths of a diff header's rest
// ("a/x b/x"), prefixes kept; a quoted header (a name with special
// characters) gives them as git quotes them.
func diffPaths(rest string) (a, b string) {
	rest = strings.TrimRight(rest, "\r")
	if i := strings.Index(rest, " b/"); i >= 0 {
		return rest[:i], rest[i+1:]
	}
	if i := strings.Index(rest, `" "b/`); i >= 0 {
		return rest[:i+1], rest[i+2:]
	}
	return "", ""
}

// isQuote reports whether p may be what stands before every line of a
// patch quoted in a mail reply ("> ", ">> "), indented as a Markdown code
// block (four blanks, a tab) or commented out ("# ", "// "): a few
// blanks and quoting characters (qa14 MEDIUM-2).
func isQuote(p []byte) bool {
	if len(p) > 16 {
		return false
	}
	for _, c := range p {
		if !strings.ContainsRune(" \t>#/|;*", rune(c)) {
			return false
		}
	}
	return true
}

// unquote returns line without the quote q; a line that carries only the
// quote's own characters (a mailer's ">" for a blank line, a blank line
// of an indented block) is blank.
func unquote(line, q []byte) []byte {
	if len(q) == 0 {
		return line
	}
	if rest, ok := bytes.CutPrefix(line, q); ok {
		return rest
	}
	if t := bytes.TrimRight(line, " \t\r"); len(t) <= len(q) && bytes.HasPrefix(q, t) {
		return nil
	}
	return line
}

// readBody decodes the base85 lines of a hunk from off to its blank line,
// each without the quote q.
func readBody(data []byte, off int, err error, q []byte) ([]byte, int, error) {
	var body []byte
	for off < len(data) {
		line, next := lineAt(data, off)
		line = bytes.TrimRight(unquote(line, q), " \t\r")
		if len(line) == 0 {
			return body, next, err
		}
		off = next
		if err != nil {
			continue // the hunk is unreadable: its lines are skipped still
		}
		n := lineLength(line[0])
		if n == 0 || len(line)-1 != (n+3)/4*5 {
			err = errors.New("corrupt line in a binary patch hunk")
			continue
		}
		var buf [52 + 3]byte
		if !decode85(buf[:(n+3)/4*4], line[1:]) {
			err = errors.New("corrupt base85 in a binary patch hunk")
			continue
		}
		body = append(body, buf[:n]...)
	}
	if err == nil {
		err = errors.New("binary patch hunk cut short")
	}
	return body, off, err
}

// lineLength is the byte count a line's first byte gives, 0 if invalid.
func lineLength(c byte) int {
	switch {
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 1
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 27
	}
	return 0
}

// alphabet is git's base85 alphabet (base85.c).
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"

var digit = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

// decode85 decodes src (five characters per four bytes) into dst.
func decode85(dst, src []byte) bool {
	for len(dst) >= 4 {
		var v uint64
		for i := 0; i < 5; i++ {
			d := digit[src[i]]
			if d < 0 {
				return false
			}
			v = v*85 + uint64(d)
		}
		if v > 0xffffffff {
			return false
		}
		dst[0], dst[1], dst[2], dst[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		dst, src = dst[4:], src[5:]
	}
	return true
}

// inflate returns the zlib stream z inflated, which must be size bytes.
func inflate(z []byte, size int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("binary patch hunk: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, size+1))
	if err != nil {
		return nil, fmt.Errorf("binary patch hunk: %w", err)
	}
	if int64(len(out)) != size {
		return nil, fmt.Errorf("binary patch hunk: %d bytes, its header says %d", len(out), size)
	}
	return out, nil
}
