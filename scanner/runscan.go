package scanner

import "encoding/binary"

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

// hexRunEnd is classRunEnd for hex digits (notHex), eight bytes tested at
// once by their ranges in the word: hex text is read in runs as long as
// the input (xxd -p of a file), and the table read costs three times as
// much.
func hexRunEnd(d []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(d); i += 8 {
		x := binary.LittleEndian.Uint64(d[i:])
		y := x &^ highs // seven bits a byte: no sum below carries out of its byte
		l := y | 0x20*ones
		digit := (y + (0x80-'0')*ones) &^ (y + (0x80-'9'-1)*ones)
		letter := (l + (0x80-'a')*ones) &^ (l + (0x80-'f'-1)*ones)
		if (digit|letter)&^x&highs != highs {
			break
		}
	}
	for i < len(d) && notHex[d[i]] == 0 {
		i++
	}
	return i
}

// b64RunEnd is classRunEnd for base64 characters (notSecret: A-Za-z0-9+/),
// eight bytes tested at once by their ranges, as hexRunEnd tests hex:
// every base64 run decoded is read from its anchor to its end, and one
// may be the whole input.
func b64RunEnd(d []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(d); i += 8 {
		x := binary.LittleEndian.Uint64(d[i:])
		y := x &^ highs // seven bits a byte: no sum below carries out of its byte
		l := y | 0x20*ones
		digit := (y + (0x80-'0')*ones) &^ (y + (0x80-'9'-1)*ones)
		letter := (l + (0x80-'a')*ones) &^ (l + (0x80-'z'-1)*ones)
		sign := ^((y | 0x04*ones) ^ '/'*ones + 0x7f*ones) // + and / (0x2b, 0x2f): high bit where the byte is one
		if (digit|letter|sign)&^x&highs != highs {
			break
		}
	}
	for i < len(d) && notSecret[d[i]] == 0 {
		i++
	}
	return i
}
