package content

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// biff12 writes BIFF12 records ([MS-XLSB] 2.1.4): a record type of one or
// two bytes and a size of one to four, seven bits a byte, the high bit
// saying another follows, then the data.
type biff12 []byte

func (b *biff12) rec(typ int, data ...[]byte) {
	if typ < 0x80 {
		*b = append(*b, byte(typ))
	} else {
		*b = append(*b, byte(typ&0x7f)|0x80, byte(typ>>7))
	}
	n := 0
	for _, d := range data {
		n += len(d)
	}
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n > 0 {
			c |= 0x80
		}
		*b = append(*b, c)
		if n == 0 {
			break
		}
	}
	for _, d := range data {
		*b = append(*b, d...)
	}
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// wide is an XLWideString: a count of UTF-16 code units, then the units.
func wide(s string) []byte {
	units := utf16.Encode([]rune(s))
	b := u32(uint32(len(units)))
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// xlsbOf writes a binary workbook of one sheet as Excel lays it out: text
// cells as shared strings in the order first typed (BrtCellIsst), or, with
// inline, as inline strings (BrtCellSt); numbers as RK values; with short,
// each cell after a row's first is a short cell (BrtShortIsst,
// BrtShortSt, BrtShortRk: no column, the one after the cell before), as
// Excel 2010 on writes them. An empty cell (nil) is a blank cell
// (BrtCellBlank), so that short cells keep their columns.
func xlsbOf(t *testing.T, rows [][]any, inline, short bool) []byte {
	t.Helper()
	var sheet, sst, book biff12
	style := u32(0)
	index := map[string]int{}
	var strs []string
	sheet.rec(129)                                                 // BrtBeginSheet
	sheet.rec(148, u32(0), u32(uint32(len(rows))), u32(0), u32(8)) // BrtWsDim
	sheet.rec(145)                                                 // BrtBeginSheetData
	for r, row := range rows {
		sheet.rec(0, u32(uint32(r)), u32(0), []byte{0x2c, 1, 0, 0, 0}, u32(1), u32(0), u32(uint32(len(row)))) // BrtRowHdr
		for c, v := range row {
			head := [][]byte{u32(uint32(c)), style}
			typ := 0
			if short && c > 0 {
				head, typ = [][]byte{style}, 11 // BrtShort* = BrtCell* + 11 (blank 1 -> 12, RK 2 -> 13, St 6 -> 17, Isst 7 -> 18)
			}
			switch v := v.(type) {
			case nil:
				sheet.rec(1+typ, head...)
			case int:
				sheet.rec(2+typ, append(head, u32(uint32(v)<<2|2))...)
			case string:
				if inline {
					sheet.rec(6+typ, append(head, wide(v))...)
					continue
				}
				i, ok := index[v]
				if !ok {
					i = len(strs)
					index[v] = i
					strs = append(strs, v)
				}
				sheet.rec(7+typ, append(head, u32(uint32(i)))...)
			}
		}
	}
	sheet.rec(146)                                               // BrtEndSheetData
	sheet.rec(130)                                               // BrtEndSheet
	sst.rec(159, u32(uint32(len(strs))), u32(uint32(len(strs)))) // BrtBeginSst
	for _, s := range strs {
		sst.rec(19, []byte{0}, wide(s)) // BrtSSTItem: flags, then the text
	}
	sst.rec(160)  // BrtEndSst
	book.rec(131) // BrtBeginBook
	book.rec(143) // BrtBeginBundleShs
	book.rec(156, u32(0), u32(1), wide("rId1"), wide("Users"))
	book.rec(144) // BrtEndBundleShs
	book.rec(132) // BrtEndBook
	members := []string{
		"[Content_Types].xml", xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/></Types>`,
		"_rels/.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>`,
		"xl/workbook.bin", string(book),
		"xl/_rels/workbook.bin.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.bin"/></Relationships>`,
		"xl/worksheets/sheet1.bin", string(sheet),
		"xl/sharedStrings.bin", string(sst),
	}
	return zipOf(t, members...)
}

// sheetJS returns the folder of SheetJS's xlsx package (npm's xlsx, a
// writer of binary workbooks) for node to load, from KEYSCAN_SHEETJS
// (.ci/run installs it), or "".
func sheetJS(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KEYSCAN_SHEETJS")
	if dir == "" {
		return ""
	}
	if _, err := exec.LookPath("node"); err != nil {
		return ""
	}
	return dir
}

// sheetJSWrite writes the rows as a binary workbook with SheetJS: its
// text cells as shared strings (sst) or inline strings.
func sheetJSWrite(t *testing.T, dir string, rows [][]any, sst bool) []byte {
	t.Helper()
	js, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "book.xlsb")
	script := `const X = require(process.argv[1]); const wb = X.utils.book_new();
X.utils.book_append_sheet(wb, X.utils.aoa_to_sheet(JSON.parse(process.argv[2])), "Users");
X.writeFile(wb, process.argv[3], {bookType: "xlsb", bookSST: process.argv[4] === "sst", compression: true});`
	mode := "inline"
	if sst {
		mode = "sst"
	}
	if b, err := exec.Command("node", "-e", script, dir, string(js), out, mode).CombinedOutput(); err != nil {
		t.Fatalf("node (SheetJS): %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestXlsbColumnHeader: a binary workbook's (.xlsb) rows are rebuilt from
// its BIFF12 records, its shared strings and its inline strings, full
// cells and short ones, so that a header names the values of its column
// as in an .xlsx (a key pair under "Access key ID" and "Secret access
// key"), and names nothing in another column. The workbooks are written
// from [MS-XLSB] here, and by SheetJS where KEYSCAN_SHEETJS names it.
func TestXlsbColumnHeader(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(2950)
	type book struct {
		name string
		data []byte
	}
	writers := []func(rows [][]any) []book{func(rows [][]any) (bs []book) {
		for _, inline := range []bool{false, true} {
			for _, short := range []bool{false, true} {
				bs = append(bs, book{fmt.Sprintf("spec inline %v short %v", inline, short), xlsbOf(t, rows, inline, short)})
			}
		}
		return bs
	}}
	if dir := sheetJS(t); dir != "" {
		writers = append(writers, func(rows [][]any) []book {
			return []book{{"SheetJS sst", sheetJSWrite(t, dir, rows, true)}, {"SheetJS inline", sheetJSWrite(t, dir, rows, false)}}
		})
	} else {
		t.Log("KEYSCAN_SHEETJS not set (or no node): the workbooks SheetJS writes are not read")
	}
	for _, header := range []string{"Secret access key", "aws_secret_access_key"} {
		for _, ids := range []bool{true, false} {
			rows, secrets := accounts(g, header, ids)
			for i := range rows[1:] {
				rows[i+1][4] = 2021 + i // a number (RK) cell, not a string
			}
			for _, w := range writers {
				for _, b := range w(rows) {
					r := Scan(context.Background(), sc, "users.xlsb", b.data, DefaultOptions())
					got := map[string]int{}
					for _, f := range r.Findings {
						got[f.Secret]++
					}
					for _, s := range secrets {
						if got[s] != 1 {
							t.Errorf("%s, %q (ids %v): secret found %d times, want once; findings %v", b.name, header, ids, got[s], r.Findings)
						}
					}
					if r.Archive.Unscanned != 0 {
						t.Errorf("%s: %d parts not scanned: %v", b.name, r.Archive.Unscanned, r.Warnings)
					}
				}
			}
		}
	}
	falses := map[string][][]any{
		"other-column":       {{"User name", "Secret access key", "Build ID"}, {"ci", "rotated, see the vault", g.Secret()}},
		"next-column":        {{"Secret access key", "Build ID"}, {nil, g.Secret()}},
		"below-left":         {{"Notes", "Secret access key"}, {g.Secret(), "in the vault"}},
		"value-word-between": {{"Secret access key", "Key"}, {nil, g.Secret()}},
	}
	for name, rows := range falses {
		for _, w := range writers {
			for _, b := range w(rows) {
				r := Scan(context.Background(), sc, name+".xlsb", b.data, DefaultOptions())
				for _, f := range r.Findings {
					t.Errorf("%s, %s: a value of another column reported: %s line %d: %s", name, b.name, f.File, f.Line, f.Context)
				}
			}
		}
	}
}
