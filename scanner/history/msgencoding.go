package history

import (
	"bytes"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
)

// A commit or annotated tag may carry an encoding header (git commit with
// i18n.commitEncoding set, or any tool that writes objects): git log, git
// show and hosting sites re-encode the message from it, so a message in
// IBM037 (EBCDIC) or UTF-16 shows its keys in clear though its bytes hold
// no ASCII key (qa16 HIGH-24). The message is decoded by that header
// before it is scanned; a name keyscan cannot decode by (an unknown one)
// leaves the message not read, counted as undecoded, which --strict, the
// pre-push hooks and the gate fail on.

// maxEncodedMessage bounds what is decoded: a message is read up to
// max_file_size already (readText), and a decoder's output is at most a
// few times its input.
const maxEncodedMessage = 4 << 20

// objectEncoding returns the value of the encoding header of a commit or
// tag object, "" when it has none.
func objectEncoding(data []byte) string {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(line) == 0 {
			break // the message follows
		}
		if v, ok := bytes.CutPrefix(line, []byte("encoding ")); ok {
			return strings.TrimSpace(string(v))
		}
	}
	return ""
}

// decodeMessage returns msg decoded from the encoding named, and whether it
// is to be scanned besides the raw bytes (an encoding whose ASCII bytes are
// not ASCII: EBCDIC, UTF-16); ok is false when the name is not one keyscan
// decodes, or the message does not decode.
func decodeMessage(name string, msg []byte) (decoded []byte, also, ok bool) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "-")) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return nil, false, true
	}
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil || enc == nil {
		if enc, err = ianaindex.MIME.Encoding(name); err != nil || enc == nil {
			return nil, false, false
		}
	}
	if asciiCompatible(enc) {
		return nil, false, true // an ASCII key is the same bytes: the raw scan finds it
	}
	if len(msg) > maxEncodedMessage {
		msg = msg[:maxEncodedMessage]
	}
	out, err := enc.NewDecoder().Bytes(msg)
	if err != nil {
		return nil, false, false
	}
	return out, true, true
}

// asciiCompatible reports whether enc decodes every ASCII letter, digit and
// the punctuation of keys to itself.
func asciiCompatible(enc encoding.Encoding) bool {
	const probe = "AKIAaz09+/=_-:\"' \n"
	out, err := enc.NewDecoder().String(probe)
	return err == nil && out == probe
}
