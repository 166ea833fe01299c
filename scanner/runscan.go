package scanner

// The decoders find the extent of every run they decode (b64Span,
// hexLines) by reading it from its anchor to both ends, and a run may be
// the whole input (a file of base64 lines of one width is one run): so
// they read eight bytes at a time from a class table, as readRun reads a
// secret's run, and step byte by byte only near the run's end.

// classRunEnd returns the end of the run of bytes not in stop (a table that is
// nonzero for the bytes that end it) that starts at or before i.
func classRunEnd(d []byte, i int, stop *[256]uint8) int {
	for ; i+8 <= len(d); i += 8 {
		b := d[i : i+8 : i+8]
		if stop[b[0]]|stop[b[1]]|stop[b[2]]|stop[b[3]]|stop[b[4]]|stop[b[5]]|stop[b[6]]|stop[b[7]] != 0 {
			break
		}
	}
	for i < len(d) && stop[d[i]] == 0 {
		i++
	}
	return i
}

// classRunStart returns where the run of bytes not in stop that ends at i
// starts (i itself when d[i-1] is in stop).
func classRunStart(d []byte, i int, stop *[256]uint8) int {
	for ; i >= 8; i -= 8 {
		b := d[i-8 : i : i]
		if stop[b[0]]|stop[b[1]]|stop[b[2]]|stop[b[3]]|stop[b[4]]|stop[b[5]]|stop[b[6]]|stop[b[7]] != 0 {
			break
		}
	}
	for i > 0 && stop[d[i-1]] == 0 {
		i--
	}
	return i
}

// notHex marks the bytes that are not hex digits (hexLines).
var notHex = func() (t [256]uint8) {
	for c := range 256 {
		if !isHex(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()
