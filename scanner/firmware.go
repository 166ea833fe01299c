package scanner

import (
	"bytes"
	"slices"
)

// Embedded builds ship and commit their firmware as Intel HEX
// (":LLAAAATT<data>CC" lines: avr-objcopy -O ihex, Arduino, STM32) or
// Motorola S-records ("S1"/"S2"/"S3" lines: objcopy -O srec), each line a
// record of 16 or 32 data bytes behind an address and before a checksum.
// A string the firmware holds is cut at every record, so no line of the
// file decodes to a key (qa16 HIGH-6). Such a file is known by its first
// line, a record whose checksum agrees; its data records are read in
// address order into the image the device's memory holds, a blank byte
// where the addresses leave a gap, and that image is handed on as a binary
// member of the file (embed: "fw.hex!intel-hex 1a2b3c4d"), read as the
// object file it was made from is. A line after the first that is no
// record, or whose checksum does not agree, is counted as not decoded
// whole: what the records around it hold is read all the same.

// firmwareKind is the record format of a firmware file.
type firmwareKind int

const (
	notFirmware firmwareKind = iota
	intelHex
	sRecord
)

// firmwareRecord is one data record: its address and where its data bytes
// stand in the decoded bytes.
type firmwareRecord struct {
	addr     uint64
	from, to int
}

// firmwareFile returns the format of data when its first line is a record
// of one of the two formats whose checksum agrees.
func firmwareFile(data []byte) firmwareKind {
	if len(data) < 11 || data[0] != ':' && data[0] != 'S' {
		return notFirmware // the usual answer: one byte read
	}
	line := data[:nextNewline(data, 0)]
	line = bytes.TrimRight(line, " \t\r")
	if _, _, _, ok := ihexRecord(line, nil); ok {
		return intelHex
	}
	if _, _, _, ok := srecRecord(line, nil); ok {
		return sRecord
	}
	return notFirmware
}

// decodeFirmware hands the image an Intel HEX or S-record file describes
// on as a member of the file.
func (m *match) decodeFirmware() {
	if m.wholeFile() != wholeFirmware {
		return
	}
	kind := firmwareFile(m.data) // its first line again
	d := m.data
	var (
		data    = make([]byte, 0, len(d)/3) // every record's data, in file order
		recs    []firmwareRecord
		base    uint64 // Intel HEX: the extended address records' base
		bad     bool
		encName = "intel-hex"
	)
	if kind == sRecord {
		encName = "srec"
	}
	for i := 0; i < len(d); {
		le := nextNewline(d, i)
		line := bytes.Trim(d[i:le], " \t\r")
		i = le + 1
		if len(line) == 0 {
			continue
		}
		n := len(data)
		var typ byte
		var addr uint64
		var ok bool
		if kind == intelHex {
			typ, addr, data, ok = ihexRecord(line, data)
		} else {
			typ, addr, data, ok = srecRecord(line, data)
		}
		if !ok {
			bad = true
			data = data[:n]
			continue
		}
		switch {
		case kind == intelHex && typ == 0:
			recs = append(recs, firmwareRecord{base + addr, n, len(data)})
		case kind == intelHex && typ == 2 && len(data)-n == 2: // segment base: the value times 16
			base = uint64(data[n])<<12 | uint64(data[n+1])<<4
			data = data[:n]
		case kind == intelHex && typ == 4 && len(data)-n == 2: // linear base: the upper 16 bits
			base = uint64(data[n])<<24 | uint64(data[n+1])<<16
			data = data[:n]
		case kind == sRecord && typ >= '1' && typ <= '3':
			recs = append(recs, firmwareRecord{addr, n, len(data)})
		default: // end, start address, header, count: no data of the image
			data = data[:n]
		}
	}
	if bad {
		m.undecoded++ // a line that is no record: counted, the rest read
	}
	if len(recs) == 0 {
		return
	}
	// The image in address order: the records of a file are usually in
	// order already; a gap between two becomes a NUL, which ends a string
	// as the device's blank memory would.
	slices.SortStableFunc(recs, func(a, b firmwareRecord) int {
		switch {
		case a.addr < b.addr:
			return -1
		case a.addr > b.addr:
			return 1
		}
		return 0
	})
	img := make([]byte, 0, len(data)+len(recs))
	next := recs[0].addr
	for _, r := range recs {
		if r.addr != next {
			img = append(img, 0)
		}
		img = append(img, data[r.from:r.to]...)
		next = r.addr + uint64(r.to-r.from)
	}
	m.embed(img, 0, encName)
}

// ihexRecord decodes an Intel HEX record, ":" then count, address, type,
// data and checksum in hex, appending its data to out. ok is false for a
// line that is no record or whose checksum does not agree.
func ihexRecord(line, out []byte) (typ byte, addr uint64, _ []byte, ok bool) {
	if len(line) < 11 || line[0] != ':' || len(line)%2 != 1 {
		return 0, 0, out, false
	}
	n, ok1 := hexByte(line, 1)
	if !ok1 || len(line) != 11+2*int(n) {
		return 0, 0, out, false
	}
	sum := n
	hdr := [3]byte{}
	for k := range hdr {
		b, ok := hexByte(line, 3+2*k)
		if !ok {
			return 0, 0, out, false
		}
		hdr[k], sum = b, sum+b
	}
	start := len(out)
	for k := 0; k <= int(n); k++ { // the data, then the checksum
		b, ok := hexByte(line, 9+2*k)
		if !ok {
			return 0, 0, out[:start], false
		}
		sum += b
		if k < int(n) {
			out = append(out, b)
		}
	}
	if sum != 0 || hdr[2] > 5 {
		return 0, 0, out[:start], false
	}
	return hdr[2], uint64(hdr[0])<<8 | uint64(hdr[1]), out, true
}

// srecRecord decodes a Motorola S-record, "S" and its type, then count,
// address (2, 3 or 4 bytes by type), data and checksum in hex, appending
// its data to out; typ is the type's digit.
func srecRecord(line, out []byte) (typ byte, addr uint64, _ []byte, ok bool) {
	if len(line) < 10 || line[0] != 'S' || line[1] < '0' || line[1] > '9' || line[1] == '4' {
		return 0, 0, out, false
	}
	typ = line[1]
	alen := [10]int{2, 2, 3, 4, 0, 2, 3, 4, 3, 2}[typ-'0'] // the address's bytes
	n, ok1 := hexByte(line, 2)
	if !ok1 || len(line) != 4+2*int(n) || int(n) < alen+1 {
		return 0, 0, out, false
	}
	sum := n
	start := len(out)
	for k := 0; k < int(n); k++ { // address, data, checksum
		b, ok := hexByte(line, 4+2*k)
		if !ok {
			return 0, 0, out[:start], false
		}
		sum += b
		switch {
		case k < alen:
			addr = addr<<8 | uint64(b)
		case k < int(n)-1:
			out = append(out, b)
		}
	}
	if sum != 0xFF {
		return 0, 0, out[:start], false
	}
	return typ, addr, out, true
}

// hexByte decodes the two hex digits at line[i:].
func hexByte(line []byte, i int) (byte, bool) {
	if i+1 >= len(line) || !isHex(line[i]) || !isHex(line[i+1]) {
		return 0, false
	}
	return hexVal(line[i])<<4 | hexVal(line[i+1]), true
}
