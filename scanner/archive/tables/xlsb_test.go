package tables

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// rec appends a BIFF12 record: its type and size seven bits a byte, then
// the data.
func rec(b []byte, typ int, data ...[]byte) []byte {
	if typ < 0x80 {
		b = append(b, byte(typ))
	} else {
		b = append(b, byte(typ&0x7f)|0x80, byte(typ>>7))
	}
	n := 0
	for _, d := range data {
		n += len(d)
	}
	for {
		c := byte(n & 0x7f)
		if n >>= 7; n > 0 {
			c |= 0x80
		}
		b = append(b, c)
		if n == 0 {
			break
		}
	}
	for _, d := range data {
		b = append(b, d...)
	}
	return b
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func xlWide(s string) []byte {
	units := utf16.Encode([]rune(s))
	b := le32(uint32(len(units)))
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// TestBinarySheetRows: a binary workbook's sheet is rebuilt as an XML
// one is: shared strings by index (BrtCellIsst, BrtShortIsst), inline
// strings (BrtCellSt, BrtShortSt, BrtCellRString), a formula's string
// (BrtFmlaString), RK and IEEE numbers, booleans; short cells in the
// column after the cell before; unknown records (a row's spans, a
// two-byte type) passed over; a rich item's runs not its text.
func TestBinarySheetRows(t *testing.T) {
	var sst []byte
	sst = rec(sst, 159, le32(3), le32(3))
	sst = rec(sst, 19, []byte{0}, xlWide("name"))
	sst = rec(sst, 19, []byte{1}, xlWide("secret key"), le32(1), []byte{0, 0, 0, 0}) // rich: one run after the text
	sst = rec(sst, 19, []byte{0}, xlWide("a\tb (c) \U0001F511"))
	sst = rec(sst, 160)
	cell := func(c uint32) []byte { return append(le32(c), 0, 0, 0, 0) }
	short := []byte{0, 0, 0, 0}
	var sheet []byte
	sheet = rec(sheet, 129)
	sheet = rec(sheet, 145)
	sheet = rec(sheet, 0, le32(0), make([]byte, 21))
	sheet = rec(sheet, 7, cell(1), le32(0))
	sheet = rec(sheet, 18, short, le32(1)) // C1
	sheet = rec(sheet, 1024, []byte{9, 9}) // a record of a type not read
	sheet = rec(sheet, 0, le32(2), make([]byte, 21))
	sheet = rec(sheet, 6, cell(1), xlWide("in"))
	sheet = rec(sheet, 13, short, le32(42<<2|2))                                             // C3: 42
	sheet = rec(sheet, 16, short, binary.LittleEndian.AppendUint64(nil, 0x4004000000000000)) // D3: 2.5
	sheet = rec(sheet, 15, short, []byte{1})                                                 // E3: TRUE
	sheet = rec(sheet, 0, le32(3), make([]byte, 21))
	sheet = rec(sheet, 62, cell(0), []byte{0}, xlWide("rich"))
	sheet = rec(sheet, 8, cell(3), xlWide("f"), []byte{0, 0})
	sheet = rec(sheet, 7, cell(4), le32(2))
	sheet = rec(sheet, 7, cell(5), le32(99))        // past the items: empty
	sheet = rec(sheet, 2, cell(2), le32(1234<<2|3)) // an RK integer in hundredths: 12.34
	sheet = rec(sheet, 146)
	got, whole := rows(t, 1<<20, "xl/sharedStrings.bin", string(sst), "xl/worksheets/sheet1.bin", string(sheet))
	want := "1\t\tname\tsecret key\t\t\n3\t\tin\t42\t2.5\tTRUE\n4\trich\t\t12.34\tf\ta b  c  \U0001F511\n"
	if !whole || got["xl/worksheets/sheet1.bin"] != want {
		t.Errorf("got %q (whole %v), want %q", got["xl/worksheets/sheet1.bin"], whole, want)
	}
	// Without a secret's or a token's word in its strings, no rows.
	if got, _ := rows(t, 1<<20, "xl/worksheets/sheet1.bin", string(rec(nil, 0, le32(0)))); len(got) != 0 {
		t.Errorf("a sheet that names nothing: %q", got)
	}
}

// TestBinarySheetHostile: counts, sizes and indices that run past the
// part, rows and columns past the sheet's bounds, and a part of a
// million short cells in one row are read within the part and the limit.
func TestBinarySheetHostile(t *testing.T) {
	var sst []byte
	sst = rec(sst, 19, []byte{0}, xlWide("secret"))
	sst = rec(sst, 19, []byte{0}, le32(0xffffffff), []byte("ab")) // a count past the part
	sst = append(sst, 0x93, 0x80, 0x80, 0x80, 0x80)               // a size of five bytes
	var sheet []byte
	sheet = rec(sheet, 0, le32(0xffffffff))
	sheet = rec(sheet, 7, le32(0xfffffff0), []byte{0, 0, 0, 0}, le32(0))
	sheet = rec(sheet, 6, le32(3), []byte{0, 0, 0, 0}, le32(0x7fffffff))
	for range 1 << 20 {
		sheet = rec(sheet, 18, []byte{0, 0, 0, 0}, le32(0))
	}
	sheet = append(sheet, 0x07, 0xff, 0xff, 0xff, 0x7f) // a record larger than the part
	for _, limit := range []int{1 << 20, 64 << 10} {
		got, whole := rows(t, limit, "xl/sharedStrings.bin", string(sst), "xl/worksheets/sheet1.bin", string(sheet))
		text := got["xl/worksheets/sheet1.bin"]
		if len(text) > limit || strings.Count(text, "\t") > maxColumn || whole != (limit == 1<<20) {
			t.Errorf("limit %d: %d bytes of rows, %d cells, whole %v: want the columns cut at the sheet's bound, and the rows at the limit", limit, len(text), strings.Count(text, "\t"), whole)
		}
	}
}

// FuzzBinarySheet: any bytes as a binary workbook's shared strings and
// sheet are read without a panic, within the limit.
func FuzzBinarySheet(f *testing.F) {
	var sst, sheet []byte
	sst = rec(sst, 19, []byte{0}, xlWide("Secret access key"))
	sheet = rec(sheet, 0, le32(0), make([]byte, 21))
	sheet = rec(sheet, 7, le32(0), []byte{0, 0, 0, 0}, le32(0))
	sheet = rec(sheet, 17, []byte{0, 0, 0, 0}, xlWide("v"))
	f.Add(sst, sheet)
	f.Add([]byte{0x13, 0x05, 0, 0xff, 0xff, 0xff, 0xff}, []byte{0x80, 0x80, 0x07, 0x0c})
	f.Fuzz(func(t *testing.T, sst, sheet []byte) {
		const limit = 64 << 10
		got, _ := rows(t, limit, "xl/sharedStrings.bin", string(sst), "xl/worksheets/sheet1.bin", "secret"+string(sheet))
		if n := len(got["xl/worksheets/sheet1.bin"]); n > limit {
			t.Fatalf("%d bytes of rows past the limit %d", n, limit)
		}
	})
}

// BenchmarkBinarySheet: a sheet of a million short cells of a shared
// string in rows of a thousand, rebuilt to at most 16 MiB of rows.
func BenchmarkBinarySheet(b *testing.B) {
	sst := rec(nil, 19, []byte{0}, xlWide("secret"))
	var sheet []byte
	for r := range 1000 {
		sheet = rec(sheet, 0, le32(uint32(r)), make([]byte, 21))
		for range 1000 {
			sheet = rec(sheet, 18, []byte{0, 0, 0, 0}, le32(0))
		}
	}
	b.SetBytes(int64(len(sheet)))
	b.ReportAllocs()
	for b.Loop() {
		var bk Book
		bk.Add("xl/sharedStrings.bin", BinSharedStrings, sst)
		bk.Add("xl/worksheets/sheet1.bin", BinSheet, sheet)
		bk.Rows(16 << 20)
	}
}

// TestTableManyCells: a table of many cells (its columns marked in a
// bitset, not sorted) is written as a small one is: each row as wide as
// the columns any row fills, every cell in its column's place.
func TestTableManyCells(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	var rows []row
	for n := 1; n <= 300; n++ {
		rw := row{n: n}
		for range 20 {
			rw.cells = append(rw.cells, cell{r.IntN(5000), []byte(strconv.Itoa(r.IntN(100)))})
		}
		slices.SortStableFunc(rw.cells, func(a, b cell) int { return a.col - b.col })
		rw.cells = slices.CompactFunc(rw.cells, func(a, b cell) bool { return a.col == b.col })
		rows = append(rows, rw)
	}
	// What the rows are, written the plain way.
	var cols []int
	for _, rw := range rows {
		for _, c := range rw.cells {
			cols = append(cols, c.col)
		}
	}
	slices.Sort(cols)
	cols = slices.Compact(cols)
	var want strings.Builder
	for _, rw := range rows {
		want.WriteString(strconv.Itoa(rw.n))
		k := 0
		for _, col := range cols {
			want.WriteByte('\t')
			if k < len(rw.cells) && rw.cells[k].col == col {
				want.Write(rw.cells[k].text)
				k++
			}
		}
		want.WriteByte('\n')
	}
	w := &writer{limit: 1 << 30}
	w.table(rows)
	if string(w.b) != want.String() {
		t.Errorf("a table of %d cells written otherwise than the plain way", 300*20)
	}
}
