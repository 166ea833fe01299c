package archive

import (
	"bytes"
)

// A page can draw part of its text through a form XObject (/Fm1 Do: a
// stamp, a letterhead, a template's field, the text box a PDF editor
// adds): the form's content stream is drawn where the page invokes it,
// through the form's /Matrix. Read alone, the page's text and the form's
// are two members, and a key whose halves they draw apart is in neither
// (CLOSING17, bin24's leftover). So in a content stream whose resources
// name forms, each "/Name Do" of one is replaced by what a renderer draws
// there: q, the form's /Matrix as cm, the form's content (its own forms
// placed in turn, pdfFormDepth deep at most), Q. A form so placed is not
// read alone again, its text being its page's; a form placed nowhere (an
// annotation's appearance, a form no page draws) is read alone as before.
// A form is placed only where neither it nor the stream that draws it has
// fonts with a /ToUnicode map: one map is read for a whole stream, and the
// form's names are its own (it is read alone, as before, where either
// has). The bytes placed are bounded (pdfForms.budget): past it, a Do is
// left as it stands, its form read alone, and that is counted (a warning:
// a value its page and the form draw apart is not joined).

// pdfFormDepth is how deep forms drawn by forms are placed.
const pdfFormDepth = 8

// pdfForms are a PDF's form XObjects and where they are drawn.
type pdfForms struct {
	pdf    []byte                       // the file
	of     map[string]map[string]string // by content stream: its resources' forms, name to object
	fonts  pdfFontSet
	byObj  map[string]pdfStreamAt
	data   map[string][]byte // forms decoded, by object; nil: not readable
	placed map[string]bool   // forms drawn into another stream's text
	// drawable are the forms some content stream's resources name
	drawable map[string]bool
	budget   int  // bytes left to place
	over     bool // a Do left for the budget or the depth (warned once)
}

// newPDFForms finds the forms each content stream of a PDF may draw. A PDF
// without forms costs one search.
func newPDFForms(data []byte, streams []pdfStreamAt, byObj map[string]pdfStreamAt, fonts pdfFontSet) *pdfForms {
	if !bytes.Contains(data, []byte("/Form")) {
		return nil
	}
	objs := fonts.objs
	if objs.at == nil {
		objs = pdfObjects(data) // no object streams: pdfFonts read none
	}
	byDict := map[string]map[string]string{}
	of, _ := pdfStreamResources(data, objs, streams, func(resources []byte) map[string]string {
		m, _ := pdfDictIn(data, objs, byDict, resources, "/XObject", func(xd []byte) map[string]string {
			m := map[string]string{}
			pdfNames(xd, func(name, ref string) {
				if st, ok := byObj[ref]; ok && pdfNameIs(st.dict, "/Subtype", "/Form") {
					m[name] = ref
				}
			})
			return m
		})
		return m
	})
	drawable := map[string]bool{}
	for _, m := range of {
		for _, o := range m {
			drawable[o] = true
		}
	}
	return &pdfForms{pdf: data, of: of, fonts: fonts, byObj: byObj, data: map[string][]byte{}, placed: map[string]bool{},
		drawable: drawable, budget: 4*len(data) + 1<<20}
}

// isForm reports whether obj is a form some content stream may draw.
func (f *pdfForms) isForm(obj string) bool { return f != nil && f.drawable[obj] }

// place returns the content stream obj (its decoded bytes, content) with
// the forms it draws placed in it; content itself where it draws none.
func (w *walker) pdfPlace(name string, f *pdfForms, obj string, content []byte, lv *level) []byte {
	if f == nil || len(f.of[obj]) == 0 || len(f.fonts.of[obj]) > 0 {
		return content
	}
	return w.pdfPlaceIn(name, f, obj, content, lv, map[string]bool{obj: true}, 0)
}

// pdfPlaceIn places the forms of the stream obj in its content; open holds
// the forms being placed (a form that draws itself is not placed again).
func (w *walker) pdfPlaceIn(name string, f *pdfForms, obj string, content []byte, lv *level, open map[string]bool, depth int) []byte {
	forms := f.of[obj]
	var out []byte
	last := 0
	for at := 0; ; {
		i := bytes.Index(content[at:], []byte("Do"))
		if i < 0 {
			break
		}
		i += at
		at = i + 2
		if i == 0 || !pdfDelim(content[i-1]) || at < len(content) && !pdfDelim(content[at]) {
			continue
		}
		// The operand: a name before the operator, blanks between.
		j := i
		for j > last && (content[j-1] == ' ' || content[j-1] == '\t' || content[j-1] == '\r' || content[j-1] == '\n') {
			j--
		}
		k := j
		for k > last && content[k-1] != '/' && !pdfDelim(content[k-1]) {
			k--
		}
		if k == last || content[k-1] != '/' || k == j {
			continue
		}
		form, ok := forms[string(pdfName(content[k:j]))]
		if !ok || open[form] || len(f.fonts.of[form]) > 0 {
			continue
		}
		drawn := f.formData(w, form, lv)
		if drawn == nil {
			continue
		}
		if depth >= pdfFormDepth || f.budget < len(drawn) {
			if !f.over {
				f.over = true
				// read alone, as every form was before forms were
				// placed: no part is left unread, so not counted (a
				// thousand-page batch that draws one form on each page
				// failed --strict: qa20 M2)
				w.note(name, "PDF forms drawn past the limit (%d deep, or four times the file's bytes and 1 MiB in all): such a form is read alone, and a value its page and the form draw apart is not joined", pdfFormDepth)
			}
			continue
		}
		if len(f.of[form]) > 0 {
			open[form] = true
			drawn = w.pdfPlaceIn(name, f, form, drawn, lv, open, depth+1)
			delete(open, form)
		}
		f.budget -= len(drawn)
		f.placed[form] = true
		out = append(out, content[last:k-1]...)
		out = append(out, "\nq "...)
		if m := pdfMatrixOf(f.byObj[form].dict); m != nil {
			out = append(append(out, m...), " cm\n"...)
		}
		out = append(append(out, drawn...), "\nQ\n"...)
		last = at
	}
	if out == nil {
		return content
	}
	return append(out, content[last:]...)
}

// formData returns the form obj's content, decoded once; nil where it
// cannot be read here (a filter or predictor not decoded, a corrupt
// stream, a limit): it is then read alone, which says so.
func (f *pdfForms) formData(w *walker, obj string, lv *level) []byte {
	if d, ok := f.data[obj]; ok {
		return d
	}
	st := f.byObj[obj]
	d := st.bytes(f.pdf)
	if len(pdfFilters(st.dict)) > 0 {
		dec, err := w.pdfDecode(st.dict, d, lv)
		d = dec
		if err != nil || pdfParam(st.dict, "/Predictor", 1) > 1 {
			d = nil
		}
	}
	f.data[obj] = d
	return d
}

// pdfMatrixOf returns a form dictionary's /Matrix, its six numbers as
// written, or nil (the identity).
func pdfMatrixOf(dict []byte) []byte {
	i := bytes.Index(dict, []byte("/Matrix"))
	if i < 0 {
		return nil
	}
	rest := bytes.TrimLeft(dict[i+len("/Matrix"):], " \t\r\n\f")
	if len(rest) == 0 || rest[0] != '[' {
		return nil
	}
	e := bytes.IndexByte(rest, ']')
	if e < 0 {
		return nil
	}
	f := bytes.Fields(rest[1:e])
	if len(f) != 6 {
		return nil
	}
	for _, n := range f {
		for _, c := range n {
			if c != '-' && c != '+' && c != '.' && (c < '0' || c > '9') {
				return nil
			}
		}
	}
	return bytes.Join(f, []byte(" "))
}
