package scanner_test

import (
	"fmt"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestSheetCellNames: in an .xlsx part (its shared strings, a sheet) a
// keyword names a value in its own cell only, and in a table's rebuilt
// rows the value of the cell beside it on its row; the same bytes in
// another part or file read as before.
func TestSheetCellNames(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(2930)
	s := g.Secret()
	items := fmt.Sprintf(`<sst count="3" uniqueCount="3"><si><t>Secret access key</t></si><si><t>Build ID</t></si><si><t>%s</t></si></sst>`, s)
	cell := fmt.Sprintf(`<sst count="1" uniqueCount="1"><si><r><t>aws_secret_access_key</t></r><r><rPr><b/></rPr><t xml:space="preserve"> = %s</t></r></si></sst>`, s)
	inline := fmt.Sprintf(`<worksheet><sheetData><row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Secret access key</x:t></x:is></x:c></row><row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>%s</x:t></x:is></x:c></row></sheetData></worksheet>`, s)
	for _, tc := range []struct {
		name, data string
		want       int
	}{
		{"book.xlsx!xl/sharedStrings.xml", items, 0},
		{"book.xlsx!XL/SharedStrings.xml", items, 0},
		{"book.xlsx!xl/worksheets/sheet1.xml", inline, 0},
		{"book.xlsx!xl/sharedStrings.xml", cell, 1},
		{"notes.xml", items, 1}, // no workbook's part: its items are no cells
		{"book.xlsx!xl/worksheets/sheet1.xml rows", "1\tSecret access key\n2\t\t" + s + "\n", 0},
		{"book.xlsx!xl/worksheets/sheet1.xml rows", "1\tSecret access key\tBuild ID\t" + s + "\n", 0},
		{"book.xlsx!xl/worksheets/sheet1.xml rows", "1\tci\tSecret access key\t" + s + "\n", 1},
		{"book.xlsx!xl/worksheets/sheet1.xml rows", "1\tSecret access key\n2\t" + s + "\n", 1}, // a column under its header
	} {
		if got := len(sc.Scan(tc.name, []byte(tc.data))); got != tc.want {
			t.Errorf("%s %q: %d findings, want %d", tc.name, tc.data, got, tc.want)
		}
	}
}

// FuzzSheetCells: an .xlsx part and a table's rows, whatever their bytes,
// scan within the invariants; a key pair typed in one cell is found.
func FuzzSheetCells(f *testing.F) {
	g := fakekey.New(2931)
	f.Add([]byte(`<sst><si><t>Secret access key</t></si><si><t>` + g.Secret() + `</t></si></sst>`))
	f.Add([]byte(`<row r="1"><c r="A1" t="inlineStr"><is><t>aws_secret_access_key</t></is></c></row><row><c><is><t>` + g.Secret() + `</t></is></c></row>`))
	f.Add([]byte("1\tSecret access key\tKey\n2\t\t" + g.Secret() + "\n"))
	f.Add([]byte(`<si><t>AWS_SESSION_TOKEN</t></si><x:si></x:c></row ></c/><c`))
	sc := newScanner(f, scanner.Options{})
	id, secret := g.KeyID("AKIA"), g.Secret()
	pair := []byte(`<si><t>aws_access_key_id = ` + id + ` aws_secret_access_key = ` + secret + `</t></si>`)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"b.xlsx!xl/sharedStrings.xml", "b.xlsx!xl/worksheets/sheet1.xml rows"} {
			checkInvariants(t, name, data, sc.Scan(name, data))
			planted := append(append([]byte(nil), pair...), data...)
			fs := sc.Scan(name, planted)
			checkInvariants(t, name, planted, fs)
			found := false
			for _, fd := range fs {
				found = found || fd.Secret == secret
			}
			if !found {
				t.Fatalf("%s: the pair typed in the first cell not found: %v", name, fs)
			}
		}
	})
}
