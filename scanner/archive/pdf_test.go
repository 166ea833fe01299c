package archive

import (
	"bytes"
	"compress/flate"
	"encoding/ascii85"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestPDF: a PDF's streams are its members, decoded through the filters
// they name, and a stream that draws text is handed on as the text a
// reader sees, its pieces joined.
func TestPDF(t *testing.T) {
	const line = "aws_secret_access_key = abc/DEF+ghi"
	page := []byte("BT /F1 12 Tf 72 712 Td (" + line + ") Tj ET")
	// The same line drawn in kerned pieces, one with an escaped
	// parenthesis and an octal escape, then a second line by T*.
	kerned := []byte("BT /F1 12 Tf 72 712 Td [(aws_secret_)-12(access_key = abc)30(/DEF\\053ghi)] TJ T* <6E657874> Tj ET")
	catalog := archivetest.PDFObject{Dict: "/Type /Catalog /Pages 2 0 R"}
	zipped := archivetest.Zip(t, archivetest.F("conf/app.env", []byte(line+"\n")))
	for _, tt := range []struct {
		name string
		objs []archivetest.PDFObject
		want map[string]string
	}{
		{"flate.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, page)}},
			map[string]string{"flate.pdf!object 2 text": line + "\n"}},
		{"kerned.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter [/FlateDecode]", Stream: archivetest.Zlib(t, 9, kerned)}},
			map[string]string{"kerned.pdf!object 2 text": "aws_secret_access_key = abc/DEF+ghi\nnext\n"}},
		// Unfiltered: the file's own bytes hold it, but only in pieces.
		{"plain.pdf", []archivetest.PDFObject{catalog, {Dict: "", Stream: kerned}},
			map[string]string{"plain.pdf!object 2 text": "aws_secret_access_key = abc/DEF+ghi\nnext\n"}},
		{"chain.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter [/AHx /Fl]", Stream: []byte(hex.EncodeToString(archivetest.Zlib(t, 6, page)) + ">")}},
			map[string]string{"chain.pdf!object 2 text": line + "\n"}},
		{"a85.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter [/ASCII85Decode /FlateDecode]", Stream: a85(archivetest.Zlib(t, 6, page))}},
			map[string]string{"a85.pdf!object 2 text": line + "\n"}},
		{"raw-deflate.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode", Stream: rawDeflate(t, page)}},
			map[string]string{"raw-deflate.pdf!object 2 text": line + "\n"}},
		// An object stream (PDF 1.5) holds dictionaries, not text: as it is.
		{"objstm.pdf", []archivetest.PDFObject{catalog, {Dict: "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
			Stream: archivetest.Zlib(t, 6, []byte("3 0 << /Author ("+line+") >>"))}},
			map[string]string{"objstm.pdf!object 2": "3 0 << /Author (" + line + ") >>"}},
		// An attached file is an archive of its own.
		{"attached.pdf", []archivetest.PDFObject{catalog, {Dict: "/Type /EmbeddedFile /Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, zipped)}},
			map[string]string{"attached.pdf!object 2!conf/app.env": line + "\n"}},
		// Pictures and cross-reference streams are not read, and not
		// warned about.
		{"photo.pdf", []archivetest.PDFObject{catalog, {Dict: "/Subtype /Image /Width 9 /Filter /DCTDecode", Stream: []byte("\xff\xd8\xff\xe0 JFIF")},
			{Dict: "/Subtype /Image /Width 9 /Height 1 /Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(line))},
			{Dict: "/Type /XRef /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>", Stream: archivetest.Zlib(t, 6, []byte(line))}},
			map[string]string{}},
		// What a dictionary says of a stream that a writer can put on any
		// stream does not keep it unread (qa11 MEDIUM-1): a font's
		// /Length1, a font program's first bytes.
		{"font.pdf", []archivetest.PDFObject{catalog,
			{Dict: "/Length1 120 /Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(line))},
			{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte("\x00\x01\x00\x00\x00\x0fglyf "+line))}},
			map[string]string{"font.pdf!object 2": line, "font.pdf!object 3": "\x00\x01\x00\x00\x00\x0fglyf " + line}},
		// An attached file stored without a filter (poppler's pdfattach)
		// is opened as the archive it is (qa11 HIGH-2).
		{"pdfattach.pdf", []archivetest.PDFObject{catalog, {Dict: "/Type /EmbeddedFile /Params << /Size 9 >>", Stream: zipped}},
			map[string]string{"pdfattach.pdf!object 2!conf/app.env": line + "\n"}},
		// Predictors: 1 is none; PNG (10-15) and TIFF (2) are undone.
		{"pred1.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode /DecodeParms << /Predictor 1 >>", Stream: archivetest.Zlib(t, 6, page)}},
			map[string]string{"pred1.pdf!object 2 text": line + "\n"}},
		{"png.pdf", []archivetest.PDFObject{catalog, {Dict: "/Type /EmbeddedFile /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>",
			Stream: archivetest.Zlib(t, 6, pngUp([]byte(line), 7))}},
			map[string]string{"png.pdf!object 2": line}},
		{"tiff.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 5 >>",
			Stream: archivetest.Zlib(t, 6, tiffDiff([]byte(line), 5))}},
			map[string]string{"tiff.pdf!object 2": line}},
		// A name holding "obj" in the stream's dictionary is no object
		// keyword: the filter before it is kept.
		{"objname.pdf", []archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode /X /myobj", Stream: archivetest.Zlib(t, 6, page)}},
			map[string]string{"objname.pdf!object 2 text": line + "\n"}},
		// Strings written as UTF-16 in the file's own dictionaries and in
		// an object stream (qa11 MEDIUM-2).
		{"utf16.pdf", []archivetest.PDFObject{{Dict: "/Type /Catalog /Subject <" + strings.ToUpper(hex.EncodeToString(utf16be("key "+line))) + "> /Keywords (" + octalEscapes(utf16be(line)) + ")"},
			{Dict: "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte("3 0 << /V <"+hex.EncodeToString(utf16be(line))+"> >>"))}},
			map[string]string{"utf16.pdf!strings": "key " + line + "\n" + line + "\n",
				"utf16.pdf!object 2 strings": line + "\n", "utf16.pdf!object 2": "3 0 << /V <" + hex.EncodeToString(utf16be(line)) + "> >>"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := archivetest.PDF(tt.objs, "")
			if f := Detect(data); f != Pdf {
				t.Fatalf("Detect = %v, want pdf", f)
			}
			got, warns, _ := walk(t, tt.name, data, DefaultLimits())
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warns)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("members (-want +got):\n%s", d)
			}
		})
	}
}

// TestPDFNotRead: what a PDF holds that keyscan cannot read is said and
// counted, so --strict and the gate fail closed on it.
func TestPDFNotRead(t *testing.T) {
	page := []byte("BT (x) Tj ET")
	catalog := archivetest.PDFObject{Dict: "/Type /Catalog"}
	for _, tt := range []struct {
		name  string
		data  []byte
		warn  string
		count int
	}{
		{"encrypted.pdf", archivetest.PDF([]archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode", Stream: []byte("\x93\x11 rc4 bytes")}}, "/Encrypt 9 0 R"),
			"encrypted PDF", 1},
		{"lzw.pdf", archivetest.PDF([]archivetest.PDFObject{catalog, {Dict: "/Filter /LZWDecode", Stream: []byte("\x80\x0b\x60\x50")}}, ""),
			"filter LZWDecode not decoded", 1},
		{"corrupt.pdf", archivetest.PDF([]archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode", Stream: []byte("x\x9c\xff\xff\xff\xff")}}, ""),
			"corrupt PDF stream", 1},
		{"cut.pdf", archivetest.PDF([]archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 0, page)[:9]}}, ""),
			"damaged after", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, warns, st := walk(t, tt.name, tt.data, DefaultLimits())
			if len(warns) != 1 || !strings.Contains(warns[0], tt.warn) || st.Unscanned != tt.count {
				t.Errorf("warnings %q, %d unscanned; want one with %q, %d unscanned", warns, st.Unscanned, tt.warn, tt.count)
			}
		})
	}
	// Blank lines or a byte order mark before the header, as readers accept.
	for _, pre := range []string{"\n", "\r\n\r\n", "\xef\xbb\xbf", "\xef\xbb\xbf\n", "  \x00"} {
		if f := Detect([]byte(pre + "%PDF-1.7\n")); f != Pdf {
			t.Errorf("Detect(%q + header) = %v, want pdf", pre, f)
		}
	}
	// A text file that names the header stays a text file.
	for _, s := range []string{"see %PDF-1.4 for the header", "%PDF-x", "%PDF-"} {
		if f := Detect([]byte(s)); f != None {
			t.Errorf("Detect(%q) = %v", s, f)
		}
	}
}

// TestPDFBomb: a deflated stream is held to the archive byte budget.
func TestPDFBomb(t *testing.T) {
	bomb := archivetest.Zlib(t, 9, make([]byte, 64<<20))
	data := archivetest.PDF([]archivetest.PDFObject{{Dict: "/Type /Catalog"}, {Dict: "/Filter /FlateDecode", Stream: bomb}}, "")
	lim := DefaultLimits()
	lim.MaxBytes = 1 << 20
	_, warns, st := walk(t, "bomb.pdf", data, lim)
	if st.Bytes > lim.MaxBytes || st.Unscanned == 0 || len(warns) == 0 {
		t.Errorf("read %d bytes (cap %d), %d unscanned, warnings %q", st.Bytes, lim.MaxBytes, st.Unscanned, warns)
	}
}

func a85(b []byte) []byte {
	out := make([]byte, ascii85.MaxEncodedLen(len(b)))
	n := ascii85.Encode(out, b)
	return append(out[:n], "~>"...)
}

func rawDeflate(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, 6)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// FuzzPDFText: the text of a content stream never panics and is never
// longer than the stream (each byte gives at most one), so it cannot
// exceed the member size the stream was held to.
func FuzzPDFText(f *testing.F) {
	f.Add([]byte("BT /F1 12 Tf 72 712 Td [(aws_)-12(secret)300(x\\053\\(y\\))] TJ T* <6E6578> Tj 1 0 0 1 0 5 Tm (c) ' ET"))
	f.Add([]byte("BT ((nested (deep)) \\\r\n) Tj 0 0 Td (a) \" ET % comment\n[<41 42 4>] TJ"))
	f.Add([]byte("BT /F1 9 Tf 0 1 -1 0 300 100 Tm (a) Tj 0.7 0.7 -0.7 0.7 300 106 Tm (b) Tj 3 Tc 150 Tz 6 0 Td (c) Tj 1 2 (d) \" ET q 0 -1 1 0 9 9 cm BT (e) Tj ET Q"))
	f.Add([]byte("BT /F1 10 Tf [(a) -300 (b) -300 (c) -300 (d) -900 (ef) -300 (g)] TJ ET"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, _ := pdfText(data, nil)
		if len(text) > len(data) {
			t.Errorf("%d bytes of text from %d bytes", len(text), len(data))
		}
	})
}

// TestPDFToUnicode: most writers draw text with an embedded font's glyph
// IDs, two bytes each, which say nothing until the font's /ToUnicode map
// turns them back into characters (qa10 MEDIUM-8). The map's three forms
// (bfchar, bfrange counting up, bfrange with an array) are read, and a
// font named by an indirect /Font dictionary too.
func TestPDFToUnicode(t *testing.T) {
	const line = "aws_secret_access_key = abc/DEF+ghi"
	glyph := map[rune]int{}
	var order []rune
	for _, r := range line {
		if _, ok := glyph[r]; !ok {
			glyph[r] = 3 + 2*len(order) // sparse IDs, as subset fonts have
			order = append(order, r)
		}
	}
	var bfchar, bfrange strings.Builder
	for i, r := range order {
		switch i % 3 {
		case 0, 1:
			fmt.Fprintf(&bfchar, "<%04X> <%04X>\n", glyph[r], r)
		case 2:
			// A range of one code counting up, and an array of two where
			// the second code is unused.
			fmt.Fprintf(&bfrange, "<%04X> <%04X> <%04X>\n<%04X> <%04X> [<%04X> <0020>]\n", glyph[r], glyph[r], r, glyph[r], glyph[r]+1, r)
		}
	}
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
		"begincmap\n" + fmt.Sprint(len(order)) + " beginbfchar\n" + bfchar.String() + "endbfchar\n" +
		"1 beginbfrange\n" + bfrange.String() + "endbfrange\nendcmap\n"
	var hexText strings.Builder
	for i, r := range line {
		fmt.Fprintf(&hexText, "%04X", glyph[r])
		if i == 10 {
			hexText.WriteString("> -15 <") // kerned in two pieces
		}
	}
	page := []byte("BT /F1 11 Tf 72 700 Td [<" + hexText.String() + ">] TJ /F2 11 Tf 0 -14 Td <" + hexText.String()[:8] + "> Tj ET")
	for _, tt := range []struct {
		name  string
		fonts string
		want  string
	}{
		// F2 has no map: its codes are read as bytes.
		{"inline.pdf", "/Font << /F1 3 0 R >>", line + "\n\x00\x03\x00\x05\n"},
		{"indirect.pdf", "/Font 6 0 R", line + "\n\x00\x03\x00\x05\n"},
		// The page and the font in an object stream (qa11 MEDIUM-5).
		{"objstm.pdf", "", line + "\n\x00\x03\x00\x05\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fonts == "" {
				pageDict := "<< /Type /Page /Resources << /Font << /F1 21 0 R >> >> /Contents 5 0 R >>"
				fontDict := "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 4 0 R >>"
				packed := fmt.Sprintf("20 0 21 %d ", len(pageDict)+1)
				body := []byte(packed + pageDict + " " + fontDict)
				objs := []archivetest.PDFObject{
					{Dict: "/Type /Catalog /Pages 20 0 R"},
					{Dict: fmt.Sprintf("/Type /ObjStm /N 2 /First %d /Filter /FlateDecode", len(packed)), Stream: archivetest.Zlib(t, 6, body)},
					{Dict: "/Producer (x)"},
					{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(cmap))},
					{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, page)},
				}
				got, _, _ := walk(t, tt.name, archivetest.PDF(objs, ""), DefaultLimits())
				if text := got[tt.name+"!object 5 text"]; text != tt.want {
					t.Errorf("page text %q, want %q; members %q", text, tt.want, got)
				}
				return
			}
			objs := []archivetest.PDFObject{
				{Dict: "/Type /Catalog /Pages 2 0 R"},
				{Dict: "/Type /Page /Resources << " + tt.fonts + " >> /Contents 5 0 R"},
				{Dict: "/Type /Font /Subtype /Type0 /BaseFont /ABCDEF+DejaVuSans /Encoding /Identity-H /ToUnicode 4 0 R"},
				{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(cmap))},
				{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, page)},
				{Dict: "/F1 3 0 R"},
			}
			got, warns, _ := walk(t, tt.name, archivetest.PDF(objs, ""), DefaultLimits())
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warns)
			}
			text := got[tt.name+"!object 5 text"]
			if text != tt.want {
				t.Errorf("page text %q, want %q; members %q", text, tt.want, got)
			}
		})
	}
}

// TestPDFWrapAtSlash: a layout wraps a long word after a '/', and a
// reader who copies the text joins it again.
func TestPDFWrapAtSlash(t *testing.T) {
	page := []byte("BT /F1 12 Tf 1 0 0 1 72 700 Tm (aws_secret_access_key = abc/) Tj 1 0 0 1 72 686 Tm (DEF+ghi and/) Tj 1 0 0 1 72 672 Tm (or more) Tj ET")
	data := archivetest.PDF([]archivetest.PDFObject{{Dict: "/Type /Catalog"}, {Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, page)}}, "")
	got, _, _ := walk(t, "wrap.pdf", data, DefaultLimits())
	if want := "aws_secret_access_key = abc/DEF+ghi and/or more\n"; got["wrap.pdf!object 2 text"] != want {
		t.Errorf("text %q, want %q", got["wrap.pdf!object 2 text"], want)
	}
}

// TestPDFCMapWorkBounded: a map that gives the whole code space again and
// again (qa15 HIGH-4: a thousand ranges deflate to 910 bytes) is read up to
// maxCMapCodes mappings, not one mapping a code a range; the rest is cut,
// and the walk says so and counts it.
func TestPDFCMapWorkBounded(t *testing.T) {
	one := "1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange <0000> <FFFF> <0041> endbfrange\n"
	m := parseCMap([]byte(strings.Repeat(one, 1000)))
	if m.work != maxCMapCodes || !m.cut {
		t.Fatalf("work %d, cut %v: want %d and cut", m.work, m.cut, maxCMapCodes)
	}
	if m := parseCMap([]byte(one)); m.cut || len(m.to) != 1<<16 {
		t.Fatalf("one range: %d codes, cut %v", len(m.to), m.cut)
	}
	page := []byte("BT /F1 12 Tf <00410042> Tj ET")
	data := archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog"},
		{Dict: "/Type /Page /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R"},
		{Dict: "/Type /Font /Subtype /Type0 /ToUnicode 5 0 R"},
		{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, page)},
		{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 9, []byte(strings.Repeat(one, 1000)))},
	}, "")
	_, warns, stats := walk(t, "cmap.pdf", data, DefaultLimits())
	found := false
	for _, w := range warns {
		found = found || strings.Contains(w, "character map maps more than")
	}
	if !found || stats.Unscanned == 0 {
		t.Errorf("warnings %v, %d parts not scanned: want the cut map said and counted", warns, stats.Unscanned)
	}
}

// FuzzPDFCMap: a ToUnicode map never panics, holds at most maxCMapCodes
// codes, and the text it makes of n bytes is at most n/width*maxDest
// characters.
func FuzzPDFCMap(f *testing.F) {
	f.Add([]byte("1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <01> <0041> <02> <D83DDE00> endbfchar"), []byte("\x01\x02\x03"))
	f.Add([]byte("1 beginbfrange <0000> <FFFF> <0020> endbfrange 1 beginbfrange <0001> <0003> [<0041> <0042>] endbfrange"), []byte("\x00\x01\x00\x02"))
	f.Fuzz(func(t *testing.T, cmap, text []byte) {
		m := parseCMap(cmap)
		if len(m.to) > maxCMapCodes || m.work > maxCMapCodes {
			t.Errorf("%d codes, %d mapped", len(m.to), m.work)
		}
		if out := m.decode(text); utf8.RuneCount(out) > len(text)/m.width*maxDest {
			t.Errorf("%d characters from %d bytes", utf8.RuneCount(out), len(text))
		}
	})
}

// TestPDFHexChunks: ASCIIHexDecode gives every byte whatever the sizes
// its reader and its caller read in, blanks between digits, and a lone
// last digit followed by 0.
func TestPDFHexChunks(t *testing.T) {
	want := []byte("aws_secret_access_key = abc/DEF+ghi\x00\xff")
	digits := hex.EncodeToString(want)
	spaced := ""
	for i, c := range digits {
		spaced += string(c)
		if i%3 == 0 {
			spaced += " \n"
		}
	}
	for _, in := range []string{digits + ">", spaced + ">trailing", spaced} {
		for size := 1; size <= 7; size++ {
			h := &pdfHex{r: iotest.OneByteReader(strings.NewReader(in))}
			var got []byte
			buf := make([]byte, size)
			for {
				n, err := h.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%q in %d-byte reads: %q", in[:10], size, got)
			}
		}
	}
	if got, _ := io.ReadAll(&pdfHex{r: strings.NewReader("414>")}); string(got) != "A@" {
		t.Errorf("lone last digit: %q, want \"A@\"", got)
	}
}

// TestPDFPredictorRows is qa14 HIGH-9: a predictor's row is sized by the
// dictionary (/Colors 64 /BitsPerComponent 16 /Columns 2^24: 2 GiB) and
// was allocated so over a stream of a few bytes; fifty such streams took
// 4.2 GB. A row longer than the data is the data, read as one row.
func TestPDFPredictorRows(t *testing.T) {
	line := "aws_secret_access_key = abc/DEF+ghi"
	parms := "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Colors 64 /BitsPerComponent 16 /Columns 16777216 >>"
	objs := []archivetest.PDFObject{{Dict: "/Type /Catalog"}}
	for range 20 {
		objs = append(objs, archivetest.PDFObject{Dict: "/Type /EmbeddedFile " + parms, Stream: archivetest.Zlib(t, 6, pngUp([]byte(line), 1<<20))})
	}
	data := archivetest.PDF(objs, "")
	var got map[string]string
	var warns []string
	mem := allocated(func() { got, warns, _ = walk(t, "rows.pdf", data, DefaultLimits()) })
	if got["rows.pdf!object 2"] != line || len(got) != 20 || len(warns) > 0 {
		t.Errorf("members %q, warnings %q", got, warns)
	}
	if mem > 8<<20 {
		t.Errorf("20 streams of %d bytes took %d bytes", len(line), mem)
	}
}

// pngUp encodes b as rows of cols bytes with the PNG Up filter (type 2),
// as a writer with /Predictor 12 does.
func pngUp(b []byte, cols int) []byte {
	var out []byte
	prev := make([]byte, cols)
	for r := 0; r < len(b); r += cols {
		row := b[r:min(len(b), r+cols)]
		out = append(out, 2)
		for k, c := range row {
			out = append(out, c-prev[k])
		}
		copy(prev, row)
	}
	return out
}

// tiffDiff encodes b with TIFF predictor 2 (8-bit, one color), rows of
// cols bytes.
func tiffDiff(b []byte, cols int) []byte {
	out := bytes.Clone(b)
	for r := 0; r < len(b); r += cols {
		for k := min(len(b), r+cols) - 1; k > r; k-- {
			out[k] = b[k] - b[k-1]
		}
	}
	return out
}

// utf16be is s as a PDF text string in UTF-16: a byte order mark, then
// big-endian units.
func utf16be(s string) []byte {
	out := []byte{0xfe, 0xff}
	for _, r := range s {
		out = append(out, byte(r>>8), byte(r))
	}
	return out
}

// octalEscapes writes b as a literal string's octal escapes (\376\377\000a...).
func octalEscapes(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		fmt.Fprintf(&sb, "\\%03o", c)
	}
	return sb.String()
}

// TestPDFStreamLength: a stream's data ends at its /Length when that lands
// on "endstream" (direct or by reference), so deflated data holding the
// bytes "endstream" is read whole (qa11 MEDIUM-1).
func TestPDFStreamLength(t *testing.T) {
	const line = "aws_secret_access_key = abc/DEF+ghi"
	// A stored block holding "endstream", then the line compressed.
	var b bytes.Buffer
	zw, _ := flate.NewWriter(&b, flate.NoCompression)
	zw.Write([]byte("\nendstream\n"))
	zw.Flush()
	zw2, _ := flate.NewWriter(&b, 9)
	zw2.Write([]byte(line))
	zw2.Close()
	raw := b.Bytes()
	direct := []byte("%PDF-1.7\n1 0 obj\n<< /Type /EmbeddedFile /Filter /FlateDecode /Length " + fmt.Sprint(len(raw)) + " >>\nstream\n")
	direct = append(append(direct, raw...), "\nendstream\nendobj\n%%EOF\n"...)
	indirect := []byte("%PDF-1.7\n1 0 obj\n<< /Type /EmbeddedFile /Filter /FlateDecode /Length 2 0 R >>\nstream\n")
	indirect = append(append(indirect, raw...), "\nendstream\nendobj\n2 0 obj\n"+fmt.Sprint(len(raw))+"\nendobj\n%%EOF\n"...)
	// The filter by reference too, as the SHAttered PDFs give it.
	byRef := []byte("%PDF-1.7\n1 0 obj\n<< /Type /EmbeddedFile /Filter 3 0 R /Length 2 0 R >>\nstream\n")
	byRef = append(append(byRef, raw...), "\nendstream\nendobj\n2 0 obj\n"+fmt.Sprint(len(raw))+"\nendobj\n3 0 obj\n/FlateDecode\nendobj\n%%EOF\n"...)
	for name, data := range map[string][]byte{"direct.pdf": direct, "indirect.pdf": indirect, "filter-ref.pdf": byRef} {
		got, warns, _ := walk(t, name, data, DefaultLimits())
		if len(warns) > 0 || !strings.Contains(got[name+"!object 1"], line) {
			t.Errorf("%s: members %q, warnings %q; want the line whole", name, got, warns)
		}
	}
}

// TestPDFHostileShapes: shapes that made the font lookup and the stream
// dictionary search quadratic (qa11 HIGH-1) are read, and what they hold
// is found. BenchmarkPDFHostile measures their speed.
func TestPDFHostileShapes(t *testing.T) {
	for name, data := range pdfHostile(2000) {
		if _, _, st := walk(t, name, data, DefaultLimits()); st.Archives != 1 {
			t.Errorf("%s: not read as a PDF: %+v", name, st)
		}
	}
}

// pdfHostile returns PDFs of n repeats of qa11's quadratic shapes.
func pdfHostile(n int) map[string][]byte {
	head := "%PDF-1.4\n/ToUnicode\n"
	return map[string][]byte{
		"fontref.pdf":  []byte(head + "5 0 obj\n<< /F1 6 0 R >>\n" + strings.Repeat("/Font 5 0 R\n", n)),
		"fontopen.pdf": []byte(head + strings.Repeat("/Font << /F1 6 0 R\n", n)),
		"noobj.pdf":    []byte(head + strings.Repeat("<<>>stream\nendstream\n", n)),
		"fontdistinct.pdf": func() []byte {
			var b strings.Builder
			b.WriteString(head)
			for i := range n {
				fmt.Fprintf(&b, "%d 0 obj\n<< /F%d %d 0 R\n/Font %d 0 R\n", i+10, i, i+11, i+10)
			}
			return []byte(b.String())
		}(),
	}
}

func BenchmarkPDFHostile(b *testing.B) {
	for name, data := range pdfHostile(50000) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				walk(b, name, data, DefaultLimits())
			}
		})
	}
}

// TestPDFQA11: what qa11 found after the first round of PDF fixes.
func TestPDFQA11(t *testing.T) {
	const line = "aws_secret_access_key = abc/DEF+ghi"
	catalog := archivetest.PDFObject{Dict: "/Type /Catalog"}
	page := []byte("BT /F1 12 Tf 72 712 Td (" + line + ") Tj ET")
	// MEDIUM-10: a stream inflated whole whose Adler-32 is wrong or
	// missing is whole: no warning.
	z := archivetest.Zlib(t, 6, page)
	for name, stream := range map[string][]byte{"adler-bad.pdf": append(bytes.Clone(z[:len(z)-4]), 0, 0, 0, 0), "adler-missing.pdf": z[:len(z)-4]} {
		got, warns, st := walk(t, name, archivetest.PDF([]archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode", Stream: stream}}, ""), DefaultLimits())
		if got[name+"!object 2 text"] != line+"\n" || len(warns) > 0 || st.Unscanned != 0 {
			t.Errorf("%s: members %q, warnings %q", name, got, warns)
		}
	}
	// HIGH-7: an attached script that holds "BTRFS" and shell quotes is
	// read as the file it is, not as a page's drawing.
	script := "#!/bin/sh\n# BTRFS snapshot\nSNAP=\"$(date +%F)\"\n" + line + "\n"
	got, _, _ := walk(t, "att.pdf", archivetest.PDF([]archivetest.PDFObject{catalog,
		{Dict: "/Type /EmbeddedFile /Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(script))}}, ""), DefaultLimits())
	if got["att.pdf!object 2"] != script {
		t.Errorf("attached script: members %q, want it whole", got)
	}
	// MEDIUM-11: an encrypted PDF attached as it is does not make the
	// PDF around it encrypted.
	inner := archivetest.PDF([]archivetest.PDFObject{catalog, {Dict: "/Filter /FlateDecode", Stream: []byte("x")}}, "/Encrypt 9 0 R")
	got, warns, _ := walk(t, "outer.pdf", archivetest.PDF([]archivetest.PDFObject{catalog,
		{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, page)},
		{Dict: "/Type /EmbeddedFile", Stream: inner}}, ""), DefaultLimits())
	if got["outer.pdf!object 2 text"] != line+"\n" || !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "outer.pdf!object 3: encrypted PDF") }) {
		t.Errorf("outer PDF with an encrypted one attached: members %q, warnings %q", got, warns)
	}
	// HIGH-6: a hundred fonts with maps of the whole code space: bounded,
	// said and counted.
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	cm := archivetest.Zlib(t, 6, []byte("begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0041> endbfrange"))
	var res strings.Builder
	for i := range 100 {
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Font /ToUnicode %d 0 R >>\nendobj\n%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n", 10+2*i, 11+2*i, 11+2*i, len(cm), cm)
		fmt.Fprintf(&res, "/F%d %d 0 R ", i, 10+2*i)
	}
	b.WriteString("3 0 obj\n<< /Type /Page /Resources << /Font << " + res.String() + ">> >> >>\nendobj\n%%EOF\n")
	_, warns, st := walk(t, "bomb.pdf", []byte(b.String()), DefaultLimits())
	if st.Unscanned != 1 || !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "character maps over the limit") }) {
		t.Errorf("map bomb: warnings %q, %d unscanned", warns, st.Unscanned)
	}
}
