// Package plist reads the string settings of an XML property list, the
// file launchd runs a macOS program from (EnvironmentVariables:
// <key>AWS_ENDPOINT_URL</key><string>http://minio:9000</string>).
// keyscan fix and go vet read a program's start environment from it as
// they read a systemd unit's Environment= lines; both take the pairs from
// here, so the format has one reader.
package plist

import (
	"bytes"
	"strings"
)

// Pair is a <key> followed by a <string>: the key's text, the string's
// text with XML's five entities decoded, and the offset of the <key> in
// the data.
type Pair struct {
	Key, Value string
	Offset     int
}

// Binary reports whether data is a binary property list (bplist00),
// which Pairs cannot read: a caller counts it as not read.
func Binary(data []byte) bool { return bytes.HasPrefix(data, []byte("bplist")) }

// BinaryNames reports whether data, a binary property list, holds a key
// or string that contains word (ASCII, matched without case): the format
// keeps an ASCII string as it is, and a string with other characters in
// UTF-16 (big-endian), where the word's letters stand behind zero bytes.
func BinaryNames(data []byte, word string) bool {
	low := bytes.ToLower(data)
	w := strings.ToLower(word)
	wide := make([]byte, 0, 2*len(w))
	for i := 0; i < len(w); i++ {
		wide = append(wide, 0, w[i])
	}
	return bytes.Contains(low, []byte(w)) || bytes.Contains(low, wide)
}

// entities decodes the entities an XML writer puts in a plist's text.
var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'")

// Pairs returns every <key> of data that a <string> follows, with only
// blanks and comments between them, in order. A key followed by another
// element (a <dict>, <true/>, <integer>) is passed over. Each byte is read
// a bounded number of times: the search goes on from the end of what was
// read.
func Pairs(data []byte) []Pair {
	var out []Pair
	for p := 0; p < len(data); {
		i := bytes.Index(data[p:], []byte("<key>"))
		if i < 0 {
			break
		}
		at := p + i
		k0 := at + len("<key>")
		j := bytes.Index(data[k0:], []byte("</key>"))
		if j < 0 {
			break
		}
		key := data[k0 : k0+j]
		p = k0 + j + len("</key>")
		if bytes.IndexByte(key, '<') >= 0 {
			continue
		}
		q := skipBlanksAndComments(data, p)
		if p = q; !bytes.HasPrefix(data[q:], []byte("<string>")) {
			continue // a comment is passed over once, whatever follows it
		}
		v0 := q + len("<string>")
		e := bytes.Index(data[v0:], []byte("</string>"))
		if e < 0 {
			break
		}
		p = v0 + e + len("</string>")
		out = append(out, Pair{
			Key:    entities.Replace(strings.TrimSpace(string(key))),
			Value:  entities.Replace(strings.TrimSpace(string(data[v0 : v0+e]))),
			Offset: at,
		})
	}
	return out
}

// skipBlanksAndComments returns the offset of the first byte at or after
// p that is neither a blank nor inside an XML comment.
func skipBlanksAndComments(data []byte, p int) int {
	for p < len(data) {
		switch data[p] {
		case ' ', '\t', '\r', '\n':
			p++
			continue
		}
		if !bytes.HasPrefix(data[p:], []byte("<!--")) {
			return p
		}
		e := bytes.Index(data[p+4:], []byte("-->"))
		if e < 0 {
			return len(data)
		}
		p += 4 + e + 3
	}
	return p
}

// Settings writes the pairs of data as "key = value" lines, one a line,
// for readers of INI-like settings: a value's line breaks become blanks.
func Settings(data []byte) []byte {
	var b bytes.Buffer
	for _, pr := range Pairs(data) {
		b.WriteString(pr.Key)
		b.WriteString(" = ")
		b.WriteString(strings.Join(strings.Fields(pr.Value), " "))
		b.WriteByte('\n')
	}
	return b.Bytes()
}
