package archive

import (
	"bytes"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A PDF form's field is a dictionary that names it (/T, partial names
// joined up its /Parent chain: aws.secret_access_key; /TU, the name a
// reader shows) and holds its value (/V), in any order and any string
// form: a literal, hex, UTF-16 (what Acrobat writes for any text it did
// not type in PDFDocEncoding). In the file's bytes the value may stand
// before its name, or far from it behind the widget's other keys, or in
// an object stream: none of which reads as a name given a value. So each
// field with a value is put as one line, "name = value", in a member of
// its own (handover.pdf!fields), after the streams.

// maxFieldDepth bounds the /Parent chain read for a field's full name.
const maxFieldDepth = 16

// pdfFields returns a line "name = value" for each field of the PDF that
// has a string value, by object number; nil when none. objs indexes the
// objects, packed ones too where the fonts were read. The lines come to at
// most twice the file's bytes and 64 KiB (a field's full name repeats its
// parents' names: a file of deep chains of long names could make far more);
// cut reports the lines past that.
//
// A field whose dictionary holds no string value (a flattened form keeps
// only what the widget shows) is given the text its normal appearance
// (/AP /N, a form XObject) draws, through appearance, when not nil.
func pdfFields(data []byte, objs pdfIndex, appearance func(obj string) []byte) (out []byte, cut bool) {
	if !bytes.Contains(data, []byte("/T")) && len(objs.packed) == 0 {
		return nil, false
	}
	limit := 2*len(data) + 64<<10
	if objs.at == nil {
		objs = pdfObjects(data)
	}
	nums := make([]int, 0, len(objs.at)+len(objs.packed))
	for _, m := range []map[string]int{objs.at} {
		for k := range m {
			if n, err := strconv.Atoi(k); err == nil {
				nums = append(nums, n)
			}
		}
	}
	for k := range objs.packed {
		if n, err := strconv.Atoi(k); err == nil {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	nums = slices.Compact(nums)
	for _, n := range nums {
		body := pdfObject(data, objs, strconv.Itoa(n))
		value := pdfTextString(pdfString(body, "/V"))
		if len(value) == 0 && appearance != nil && bytes.Contains(body, []byte("/T")) {
			if ap := bytes.Index(body, []byte("/AP")); ap >= 0 {
				if ref := pdfRef(body[ap:], "/N"); ref != "" {
					value = bytes.Join(bytes.Fields(appearance(ref)), []byte(" "))
				}
			}
		}
		if len(value) == 0 {
			continue
		}
		for _, name := range [][]byte{pdfFieldName(data, objs, strconv.Itoa(n), body), pdfTextString(pdfString(body, "/TU"))} {
			if len(name) == 0 {
				continue
			}
			if len(out)+len(name)+len(value)+4 > limit {
				return out, true
			}
			out = append(append(append(append(out, name...), " = "...), value...), '\n')
		}
	}
	return out, false
}

// pdfFieldName returns a field's full name: the partial names (/T) of its
// /Parent chain and its own, joined by dots, as PDF readers name it.
func pdfFieldName(data []byte, objs pdfIndex, obj string, body []byte) []byte {
	var parts [][]byte
	seen := map[string]bool{obj: true}
	for range maxFieldDepth {
		if t := pdfString(body, "/T"); len(t) > 0 {
			parts = append(parts, pdfTextString(t))
		}
		ref := pdfRef(body, "/Parent")
		if ref == "" || seen[ref] {
			break
		}
		seen[ref] = true
		body = pdfObject(data, objs, ref)
	}
	slices.Reverse(parts)
	return bytes.Join(parts, []byte("."))
}

// pdfTextString decodes a PDF text string: UTF-16BE behind its byte order
// mark (UTF-16LE behind its own, which some writers put), otherwise its
// bytes (PDFDocEncoding is ASCII there).
func pdfTextString(b []byte) []byte {
	if len(b) < 2 || !(b[0] == 0xfe && b[1] == 0xff || b[0] == 0xff && b[1] == 0xfe) {
		return b
	}
	u := make([]uint16, 0, len(b)/2)
	for k := 2; k+1 < len(b); k += 2 {
		if b[0] == 0xfe {
			u = append(u, uint16(b[k])<<8|uint16(b[k+1]))
		} else {
			u = append(u, uint16(b[k+1])<<8|uint16(b[k]))
		}
	}
	var out []byte
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out
}
