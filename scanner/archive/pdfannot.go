package archive

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
)

// A page shows each annotation it lists in /Annots (a form field's
// widget, a free-text note, a stamp) through the annotation's appearance
// (/AP /N, a form XObject) at its /Rect: pdfForms places those in the
// page's text (pdfPlace), as it places the forms a page draws with Do.
// This file finds them.

// pdfAnnot is an annotation's appearance a page shows.
type pdfAnnot struct {
	form string     // the appearance stream's object (/AP /N)
	rect [4]float64 // where (/Rect: llx lly urx ury)
}

// maxPageAnnots bounds the annotations of a page placed in its text.
const maxPageAnnots = 4096

// pdfPageAnnots returns the appearances each page shows (/Annots: each
// annotation's /AP /N stream, a picture's left out, and its /Rect), by the
// page's first content stream. An annotation is read once however many
// pages list it.
func pdfPageAnnots(data []byte, objs pdfIndex, byObj map[string]pdfStreamAt) map[string][]pdfAnnot {
	if !bytes.Contains(data, []byte("/Annots")) {
		return nil
	}
	out := map[string][]pdfAnnot{}
	known := map[string]*pdfAnnot{} // by the annotation's object; nil: none
	page := func(body []byte) {
		if !bytes.Contains(body, []byte("/Annots")) || !pdfIsPage(body) {
			return
		}
		contents := pdfRefs(body, "/Contents")
		if len(contents) == 0 {
			return
		}
		arr := pdfArray(body, "/Annots")
		if arr == nil {
			// /Annots 12 0 R: an array object, or one annotation
			r := pdfRef(body, "/Annots")
			if r == "" {
				return
			}
			if arr = pdfArray(append([]byte("/A "), pdfObject(data, objs, r)...), "/A"); arr == nil {
				arr = []byte(r + " 0 R")
			}
		}
		seen := map[string]bool{} // an annotation listed twice shows the same text twice: placed once
		var last []byte
		pdfEachRef(arr, func(r []byte) bool {
			if bytes.Equal(r, last) {
				return true // the one before again: no lookup
			}
			last = r
			if seen[string(r)] {
				return true
			}
			seen[string(r)] = true
			if len(seen) > maxPageAnnots {
				return false
			}
			a, ok := known[string(r)]
			if !ok {
				a = pdfAnnotOf(data, objs, byObj, pdfObject(data, objs, string(r)))
				known[string(r)] = a
			}
			if a != nil {
				out[contents[0]] = append(out[contents[0]], *a)
			}
			return true
		})
	}
	for num := range objs.at {
		page(pdfObject(data, objs, num))
	}
	for _, body := range objs.packed {
		page(body)
	}
	return out
}

// pdfArray returns what the array key has in dict holds, between its
// brackets, or nil.
func pdfArray(dict []byte, key string) []byte { return pdfArrayWithin(dict, key, 0) }

// pdfArrayWithin is pdfArray for an array whose closing bracket stands
// within its first within bytes (0: anywhere), nil when it does not.
func pdfArrayWithin(dict []byte, key string, within int) []byte {
	i := bytes.Index(dict, []byte(key))
	if i < 0 {
		return nil
	}
	rest := bytes.TrimLeft(dict[i+len(key):], " \t\r\n\f")
	if len(rest) == 0 || rest[0] != '[' {
		return nil
	}
	look := rest
	if within > 0 {
		look = rest[:min(len(rest), within)]
	}
	e := bytes.IndexByte(look, ']')
	if e < 0 {
		return nil
	}
	return rest[1:e]
}

// pdfEachRef calls yield with the object number of each reference (12 0
// R) in arr, in order, until yield returns false. Nothing is allocated,
// and the array is searched for its Rs, not read a byte at a time: a page
// may list a million.
func pdfEachRef(arr []byte, yield func(obj []byte) bool) {
	for at := 0; ; {
		k := bytes.IndexByte(arr[at:], 'R')
		if k < 0 {
			return
		}
		k += at
		at = k + 1
		if k+1 < len(arr) && !pdfBlank(arr[k+1]) && !pdfDelim(arr[k+1]) {
			continue // a word that holds an R
		}
		// Back over blanks, the generation, blanks, the object number.
		j := k
		for j > 0 && pdfBlank(arr[j-1]) {
			j--
		}
		g := j
		for g > 0 && arr[g-1] >= '0' && arr[g-1] <= '9' {
			g--
		}
		if g == j || g == k || g == 0 || !pdfBlank(arr[g-1]) {
			continue
		}
		e := g
		for e > 0 && pdfBlank(arr[e-1]) {
			e--
		}
		o := e
		for o > 0 && arr[o-1] >= '0' && arr[o-1] <= '9' {
			o--
		}
		if o == e || o > 0 && !pdfBlank(arr[o-1]) && !pdfDelim(arr[o-1]) {
			continue
		}
		if !yield(arr[o:e]) {
			return
		}
	}
}

// pdfAnnotOf returns the appearance an annotation's dictionary shows, or
// nil: its normal appearance (/AP << /N 9 0 R >>, not a dictionary of
// states, a check box's) when it is a stream of the file and no picture,
// and its /Rect.
func pdfAnnotOf(data []byte, objs pdfIndex, byObj map[string]pdfStreamAt, dict []byte) *pdfAnnot {
	ap := pdfValue(data, objs, dict, "/AP")
	if ap == nil {
		return nil
	}
	st, ok := byObj[pdfRef(ap, "/N")]
	if !ok || pdfPictureDict(st.dict) {
		return nil
	}
	r := pdfNumbers(dict, "/Rect")
	if len(r) != 4 {
		return nil
	}
	return &pdfAnnot{form: st.obj, rect: [4]float64{min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])}}
}

// pdfNumbers returns the numbers of the array key has in dict ([0 0 612
// 792]), or nil.
func pdfNumbers(dict []byte, key string) []float64 {
	arr := pdfArrayWithin(dict, key, 256)
	if arr == nil {
		return nil
	}
	var out []float64
	for _, f := range bytes.Fields(arr) {
		v, err := strconv.ParseFloat(string(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// pdfAnnotMatrix returns the matrix that shows the appearance form (its
// dictionary dict) at rect: its /BBox, through its /Matrix, fitted to the
// rectangle, as six numbers for cm.
func pdfAnnotMatrix(dict []byte, rect [4]float64) []byte {
	m := pdfIdentity
	if n := pdfNumbers(dict, "/Matrix"); len(n) == 6 {
		m = pdfMatrix{n[0], n[1], n[2], n[3], n[4], n[5]}
	}
	b := pdfNumbers(dict, "/BBox")
	if len(b) != 4 {
		b = []float64{0, 0, rect[2] - rect[0], rect[3] - rect[1]}
	}
	x0, y0 := math.Inf(1), math.Inf(1)
	x1, y1 := math.Inf(-1), math.Inf(-1)
	for _, c := range [][2]float64{{b[0], b[1]}, {b[2], b[1]}, {b[0], b[3]}, {b[2], b[3]}} {
		x, y := m.apply(c[0], c[1])
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
	}
	sx, sy := 1.0, 1.0
	if x1-x0 > 1e-9 {
		sx = (rect[2] - rect[0]) / (x1 - x0)
	}
	if y1-y0 > 1e-9 {
		sy = (rect[3] - rect[1]) / (y1 - y0)
	}
	return fmt.Appendf(nil, "%g 0 0 %g %g %g", sx, sy, rect[0]-x0*sx, rect[1]-y0*sy)
}
