package scanner

import (
	"encoding/binary"
	"slices"
)

// The decoders find the extent of every run they decode (b64Span,
// hexLines) by reading it from its anchor to both ends, and a run may be
// the whole input (a file of base64 lines of one width is one run): so
// they read eight bytes at a time from a class table, as readRun reads a
// secret's run, and step byte by byte only near the run's end.

// A run that goes on past its first word, with minKernelRun bytes or
// more left, is read on by the AVX2 kernel (classRun), 32 bytes in about
// a dozen instructions where a word of the loops below costs forty: a
// run of hex or base64 as long as the input (xxd -p of a file, base64(1)
// of one) was a sixth of the matcher's time on it, and a wrapped one is
// a call a line of 76. A run that ends in its first word (most runs a
// decoder or the secret reader asks about are a key or a token long)
// ends before the call would pay.
const (
	kernelAfterWords = 2
	minKernelRun     = 32
)

// kernelRun reads the run at i on with the kernel over the whole 32-byte
// blocks of d[i:]: it returns the run's end and true where the kernel
// found it, else where the blocks end (the caller reads the rest).
func kernelRun(d []byte, i int, t *[64]byte) (int, bool) {
	n := len(d) - i
	k := classRun(&d[i], n, t)
	return i + k, k < n&^31
}

// The nibble tables of the classes the kernels read: hex digits, base64
// characters (notSecret), and the bytes mostlyText counts (controlByte).
var (
	hexNibbles     = nibbleTables(func(c byte) bool { return notHex[c] == 0 })
	b64Nibbles     = nibbleTables(func(c byte) bool { return notSecret[c] == 0 })
	controlNibbles = nibbleTables(func(c byte) bool { return controlByte[c] != 0 })
)

// nibbleTables returns the two 16-byte lookup tables, each twice (the
// kernel's two lanes), by which the kernel tells a byte of the class in
// from others: a byte c is in it when table[c&15] and table[32+c>>4]
// share a bit. Each high nibble whose bytes in the class differ from
// another's gets a bit of its own; the class must have no byte of 0x80
// or more (the lookup gives those nothing) and eight such sets at most.
// It panics otherwise: the classes are fixed, and TestNibbleTables reads
// every byte of each.
func nibbleTables(in func(byte) bool) (t [64]byte) {
	var sets []uint16 // the low nibbles in the class, one set per bit
	for h := range 16 {
		var set uint16
		for l := range 16 {
			if in(byte(h<<4 | l)) {
				set |= 1 << l
			}
		}
		if set == 0 {
			continue
		}
		if h >= 8 {
			panic("nibbleTables: a byte of 0x80 or more in the class")
		}
		k := slices.Index(sets, set)
		if k < 0 {
			k, sets = len(sets), append(sets, set)
		}
		if k >= 8 {
			panic("nibbleTables: more than eight sets")
		}
		t[32+h], t[48+h] = t[32+h]|1<<k, t[48+h]|1<<k
		for l := range 16 {
			if set&(1<<l) != 0 {
				t[l], t[16+l] = t[l]|1<<k, t[16+l]|1<<k
			}
		}
	}
	return t
}

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

// b64RunStart is classRunStart for base64 characters (notSecret), read
// back by the kernel (classRunBack) past its first words: a reader that
// goes back from a line's end to its start (fullLine, for each piece of
// a cut anchor near the end) read a line of a one-line base64 text, as
// long as the input, eight bytes a step.
func b64RunStart(d []byte, i int) int {
	for n := 0; i >= 8; i -= 8 {
		if n++; n == kernelAfterWords && haveRunKernel && i >= minKernelRun {
			k := classRunBack(&d[0], i, &b64Nibbles)
			if k < i&^31 {
				return i - k
			}
			if i -= k; i < 8 {
				break
			}
		}
		b := d[i-8 : i : i]
		if notSecret[b[0]]|notSecret[b[1]]|notSecret[b[2]]|notSecret[b[3]]|notSecret[b[4]]|notSecret[b[5]]|notSecret[b[6]]|notSecret[b[7]] != 0 {
			break
		}
	}
	for i > 0 && notSecret[d[i-1]] == 0 {
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
	for n := 0; i+8 <= len(d); i += 8 {
		if n++; n == kernelAfterWords && haveRunKernel && len(d)-i >= minKernelRun {
			var done bool
			if i, done = kernelRun(d, i, &hexNibbles); done {
				return i
			}
			if i+8 > len(d) {
				break
			}
		}
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
	for n := 0; i+8 <= len(d); i += 8 {
		if n++; n == kernelAfterWords && haveRunKernel && len(d)-i >= minKernelRun {
			var done bool
			if i, done = kernelRun(d, i, &b64Nibbles); done {
				return i
			}
			if i+8 > len(d) {
				break
			}
		}
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
