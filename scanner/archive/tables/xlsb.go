package tables

import (
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf16"
)

// A binary workbook (.xlsb) keeps what an .xlsx keeps in XML as BIFF12
// records ([MS-XLSB] 2.1.4): each a record type (one or two bytes, seven
// bits each, the high bit saying another follows), a size (one to four
// bytes so), and that many bytes of data. Its shared strings
// (xl/sharedStrings.bin) are BrtSSTItem records, each a RichStr whose
// text is an XLWideString (a 32-bit count of UTF-16 code units, then the
// units); its sheets (xl/worksheets/sheet*.bin) a BrtRowHdr before each
// row's cells, each cell record led by its column (a 32-bit index, then
// the style) or, for the short cells Excel 2010 on writes, by the style
// alone, in the column after the cell before it. Only those records are
// read; every other record is passed over by its size, and a record
// whose size runs past the part ends the reading.

// The record types read ([MS-XLSB] 2.3.2).
const (
	brtRowHdr      = 0
	brtCellBlank   = 1
	brtCellRk      = 2
	brtCellError   = 3
	brtCellBool    = 4
	brtCellReal    = 5
	brtCellSt      = 6
	brtCellIsst    = 7
	brtFmlaString  = 8
	brtFmlaNum     = 9
	brtFmlaBool    = 10
	brtFmlaError   = 11
	brtShortBlank  = 12
	brtShortRk     = 13
	brtShortError  = 14
	brtShortBool   = 15
	brtShortReal   = 16
	brtShortSt     = 17
	brtShortIsst   = 18
	brtSSTItem     = 19
	brtCellRString = 62
)

// maxBinRow bounds a row's index ([MS-XLSB]: at most 1,048,575).
const maxBinRow = 1 << 20

// record reads the record at d[i:]: its type, its data, and where the
// next starts; ok is false at the part's end or where a record's header
// or size runs past it.
func record(d []byte, i int) (typ int, data []byte, next int, ok bool) {
	if i >= len(d) {
		return 0, nil, 0, false
	}
	typ = int(d[i] & 0x7f)
	if d[i]&0x80 != 0 {
		i++
		if i >= len(d) {
			return 0, nil, 0, false
		}
		typ |= int(d[i]&0x7f) << 7
	}
	i++
	size := 0
	for k := 0; ; k++ {
		if k == 4 || i >= len(d) {
			return 0, nil, 0, false
		}
		c := d[i]
		i++
		size |= int(c&0x7f) << (7 * k)
		if c&0x80 == 0 {
			break
		}
	}
	if size > len(d)-i {
		return 0, nil, 0, false
	}
	return typ, d[i : i+size], i + size, true
}

// wideString reads an XLWideString at b[0:] as a cell shows it (cellText),
// at most maxCell bytes of it, and reports where it ends; ok is false when
// its count runs past b.
func wideString(b []byte) (text []byte, end int, ok bool) {
	if len(b) < 4 {
		return nil, 0, false
	}
	n := uint64(binary.LittleEndian.Uint32(b))
	if n > uint64(len(b)-4)/2 {
		return nil, 0, false
	}
	units := b[4 : 4+2*n]
	var u [1]uint16
	var buf []byte
	for i := 0; i+1 < len(units) && len(buf) < maxCell; i += 2 {
		u[0] = binary.LittleEndian.Uint16(units[i:])
		r := rune(u[0])
		if utf16.IsSurrogate(r) && i+3 < len(units) {
			r = utf16.DecodeRune(r, rune(binary.LittleEndian.Uint16(units[i+2:])))
			i += 2
		}
		buf = append(buf, string(r)...)
	}
	return cellText(nil, buf), 4 + 2*int(n), true
}

// binSharedStrings returns the items of a binary workbook's shared strings
// (BrtSSTItem: a RichStr's flags byte, then its text; its runs and
// phonetic reading after it are not the text).
func binSharedStrings(d []byte) [][]byte {
	var items [][]byte
	for i := 0; ; {
		typ, data, next, ok := record(d, i)
		if !ok {
			return items
		}
		i = next
		if typ != brtSSTItem || len(data) < 1 {
			continue
		}
		t, _, ok := wideString(data[1:])
		if !ok {
			t = nil // an item all the same: the indices after it hold
		}
		items = append(items, trimBlank(t))
	}
}

// readBinSheet reads a binary sheet's rows as readSheet reads an XML one:
// a cell's value is its shared string (BrtCellIsst), its inline string
// (BrtCellSt, a rich one BrtCellRString, a formula's string result
// BrtFmlaString), its number (RK or IEEE double) or boolean.
func readBinSheet(d []byte, shared [][]byte, w *writer) {
	var (
		rows []row
		cur  row
		col  = -1
		size int
	)
	end := func() {
		if len(cur.cells) > 0 {
			rows = append(rows, cur)
		}
	}
	for i := 0; size <= w.limit; {
		typ, data, next, ok := record(d, i)
		if !ok {
			break
		}
		i = next
		if typ == brtRowHdr {
			if len(data) < 4 {
				continue
			}
			end()
			n := binary.LittleEndian.Uint32(data)
			// as many cells as the row before, room made once (rows
			// of a sheet are alike)
			cur, col = row{n: int(min(n, maxBinRow)) + 1, cells: make([]cell, 0, len(cur.cells))}, -1
			continue
		}
		short := brtShortBlank <= typ && typ <= brtShortIsst
		if !short && (typ < brtCellBlank || typ > brtFmlaError) && typ != brtCellRString {
			continue
		}
		// A cell: its column, then the value after the cell's head.
		head := 8
		if short {
			head = 4
			col++
		} else {
			if len(data) < 4 {
				continue
			}
			col = int(min(binary.LittleEndian.Uint32(data), maxColumn))
		}
		if len(data) < head {
			continue
		}
		text := binValue(typ, data[head:], shared)
		if len(text) > 0 && col < maxColumn && cur.n > 0 {
			cur.cells = append(cur.cells, cell{col, text})
			size += len(text) + 1
		}
	}
	end()
	w.table(rows)
}

// binValue is the text a binary sheet's cell of record type typ shows,
// v its value's bytes.
func binValue(typ int, v []byte, shared [][]byte) []byte {
	switch typ {
	case brtCellIsst, brtShortIsst:
		if len(v) < 4 {
			return nil
		}
		if i := binary.LittleEndian.Uint32(v); uint64(i) < uint64(len(shared)) {
			return shared[i]
		}
	case brtCellSt, brtShortSt, brtFmlaString:
		t, _, _ := wideString(v)
		return trimBlank(t)
	case brtCellRString:
		if len(v) < 1 {
			return nil
		}
		t, _, _ := wideString(v[1:])
		return trimBlank(t)
	case brtCellRk, brtShortRk:
		if len(v) < 4 {
			return nil
		}
		return strconv.AppendFloat(nil, rk(binary.LittleEndian.Uint32(v)), 'g', -1, 64)
	case brtCellReal, brtShortReal, brtFmlaNum:
		if len(v) < 8 {
			return nil
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(v))
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return strconv.AppendFloat(nil, f, 'g', -1, 64)
	case brtCellBool, brtShortBool, brtFmlaBool:
		if len(v) < 1 {
			return nil
		}
		if v[0] != 0 {
			return []byte("TRUE")
		}
		return []byte("FALSE")
	}
	return nil
}

// rk decodes an RkNumber ([MS-XLSB] 2.5.122): bit 0 says the value is a
// hundredth of it, bit 1 that it is a 30-bit signed integer, else the
// high 30 bits of a double.
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&^3) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// trimBlank drops the blanks around a cell's text.
func trimBlank(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}
