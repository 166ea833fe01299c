package scanner

import "bytes"

// nroff writes bold and underlined text for a terminal by overstriking:
// a bold c as c, backspace, c; an underlined c as _, backspace, c (qa22
// L2). A manual page formatted so (a preformatted cat page, man's output
// kept with MAN_KEEP_FORMATTING, grotty -c), or shown with cat -v, where
// each backspace is ^H, holds a key written in bold as A\bAK\bKI\bIA\bA…:
// no anchor of its text. Such a text is known by two overstruck
// characters in a row anywhere in it (a page's bold NAME heading, or a
// page captured into a log or a typescript below other lines: hide32, a
// page whose first 1 KiB held none was not read); it is read with each
// overstrike reduced to the character it shows, and scanned, each
// finding at the bytes that show it, with the encoding overstrike. The
// search is one pass of an AVX2 kernel for both a backspace (a byte no
// other text holds) and "^H" (backspaceRun), then, from the first block
// that holds one, one pass for each as memchr looks, each place asked
// about the bytes around it alone, so another file costs the kernel's
// pass and a place no more than five bytes.

// overstrikeFile reports whether data holds two overstruck characters in
// a row, and how its backspaces are written: "\b", or "^H" (cat -v).
func overstrikeFile(data []byte) (bs string, ok bool) {
	from := 0 // no backspace nor ^H starts before it
	if haveRunKernel && len(data) > 32 {
		// One pass of the AVX2 kernel for both, to the first block that
		// holds either: the two searches of the library cost the
		// detector tests' scan 3.5 % of its instructions, for files that
		// almost never hold one.
		from = backspaceRun(&data[0], len(data))
		// The block it stopped at holds the first one, or it is the tail
		// the blocks left, under 33 bytes: read a byte at a time, not by
		// the library's two searches (two calls for what most files
		// hold: none).
		if !backspaceIn(data[from:min(len(data), from+33)]) {
			return "", false
		}
	}
	for _, bs := range [...]string{"\b", "^H"} {
		for i := from; ; {
			k := bytes.Index(data[i:], []byte(bs))
			if k < 0 {
				break
			}
			k += i
			// two characters in a row (a bold or underlined word), not
			// a stray backspace between two bytes of a binary head
			if n := k + 2*len(bs) + 2; k > 0 && n < len(data) && overstruck(data[k-1], data[k+len(bs)]) &&
				hasAt(data, n-len(bs), bs) && overstruck(data[n-len(bs)-1], data[n]) {
				return bs, true
			}
			i = k + len(bs)
		}
	}
	return "", false
}

// backspaceIn reports whether b holds a backspace or a "^H".
func backspaceIn(b []byte) bool {
	for i, c := range b {
		if c == '\b' || c == '^' && i+1 < len(b) && b[i+1] == 'H' {
			return true
		}
	}
	return false
}

// overstruck reports whether c, a backspace, then s show s overstruck:
// bold (the same printable character twice) or underlined (_ first).
func overstruck(c, s byte) bool {
	return s > ' ' && s < 0x7f && (c == s || c == '_')
}

// decodeOverstrike reads an overstruck text (wholeOverstrike) as it
// shows, and scans it.
func (m *match) decodeOverstrike() {
	bs, ok := overstrikeFile(m.data)
	if !ok || m.wholeFile() != wholeOverstrike {
		return
	}
	d := m.data
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "overstrike"}
	t.dec = make([]byte, 0, len(d))
	// Where each overstruck run and each plain run or line starts: a
	// finding's start is exact there (a value is a bold or underlined
	// word), and within its line elsewhere. A segment a character cost
	// a tenth of a page's reading again.
	inRun := false
	for i := 0; i < len(d); {
		// c bs s, repeated (bold written twice over): s stands for all
		at := i
		for i+1+len(bs) < len(d) && d[i+1] == bs[0] && hasAt(d, i+1, bs) && overstruck(d[i], d[i+1+len(bs)]) {
			i += 1 + len(bs)
		}
		if run := i > at; run != inRun || at > 0 && d[at-1] == '\n' {
			t.pos.add(len(t.dec), at)
			inRun = run
		}
		t.dec = append(t.dec, d[i])
		i++
	}
	t.end = len(d)
	if !t.flush() {
		return
	}
}
