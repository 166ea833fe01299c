package archive

import (
	"bytes"
	"strconv"
	"strings"
)

// ar reads the members of a Unix ar archive: a .deb (whose data.tar.xz and
// control.tar.gz are opened in turn), a static library. Members are slices
// of data: their sizes are checked against what is left of it. GNU ar keeps
// names of 16 bytes or more in a "//" member and refers to them as "/N";
// BSD ar writes "#1/N" and puts the name before the content. Symbol tables
// ("/", "/SYM64/", "__.SYMDEF") name functions, not files, and are not
// members; their bytes are read with the archive's own.
func (w *walker) ar(name string, data []byte, lv *level, depth int) {
	b := data[8:] // after "!<arch>\n"
	var long []byte
	for len(b) > 0 {
		if len(b) == 1 && b[0] == '\n' {
			return // the padding after an odd-sized last member
		}
		off := len(data) - len(b)
		if len(b) < 60 || b[58] != '`' || b[59] != '\n' {
			w.warn(name, "corrupt ar archive: no member header at offset %d", off)
			return
		}
		h, body := b[:60], b[60:]
		size, err := strconv.ParseUint(strings.TrimSpace(string(h[48:58])), 10, 63)
		if err != nil {
			w.warn(name, "corrupt ar archive: member size %q at offset %d", strings.TrimSpace(string(h[48:58])), off)
			return
		}
		truncated := size > uint64(len(body))
		content := body[:min(size, uint64(len(body)))]
		b = body[len(content):]
		if size%2 == 1 && len(b) > 0 {
			// An odd-sized member is padded to an even offset. GNU ar
			// pads with '\n', Go's toolchain (cmd/pack, the linker's
			// .a and .o files) with a NUL; ar and Go's own reader skip
			// the byte whatever it is, and so does this.
			b = b[1:]
		}
		raw := strings.TrimRight(string(h[:16]), " ")
		var member string
		switch {
		case raw == "/" || raw == "/SYM64/" || strings.HasPrefix(raw, "__.SYMDEF"):
			continue
		case raw == "//":
			long = content
			continue
		case strings.HasPrefix(raw, "#1/"):
			n, err := strconv.ParseUint(raw[3:], 10, 31)
			if err != nil || n > uint64(len(content)) {
				w.warn(name, "corrupt ar archive: BSD name length %q at offset %d", raw, off)
				return
			}
			member = strings.TrimRight(string(content[:n]), "\x00")
			content = content[n:]
		case len(raw) > 1 && raw[0] == '/':
			i, err := strconv.ParseUint(raw[1:], 10, 31)
			if err != nil || i >= uint64(len(long)) {
				w.warn(name, "corrupt ar archive: long name %q at offset %d outside the name table", raw, off)
				return
			}
			n := long[i:]
			if end := bytes.IndexByte(n, '\n'); end >= 0 {
				n = n[:end]
			}
			member = strings.TrimSuffix(string(n), "/")
		default:
			member = strings.TrimSuffix(raw, "/")
		}
		if truncated {
			w.warn(name+"!"+member, "member of %d bytes, %d left in the archive: truncated, read as far as it goes", size, len(content))
		}
		if !w.member(name, member, w.meter(bytes.NewReader(content), lv), depth) || lv.stopped || truncated {
			return
		}
	}
}
