package archive

import (
	"bytes"
	"slices"
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
// annotation's appearance no page lists, a form no page draws) is read
// alone as before. A form's font names are its own (its /Resources: /F1
// may be another font than the page's /F1, each with its own /ToUnicode
// map), so a placed form's Tf operands are renamed for it (/F1@12: the
// font /F1 of form 12) and its fonts given to the page's text under those
// names: text a form or the page draws with a font whose codes say nothing
// without its map is read through the right map, joined (qa22 bin29: such
// a form was read alone). A form without /Resources draws with its page's.
//
// A widget (a form field's annotation) and any other annotation a page
// lists in /Annots shows its appearance (/AP /N, a form) at its /Rect on
// the page: the form's /BBox, through its /Matrix, fitted to the
// rectangle (PDF 32000-1 12.5.5). So each is placed at the end of its
// page's drawing, at that place: a field's value beside the label the
// page draws ("Secret access key:" then the field) is read on the label's
// line (qa22 bin29: it was read alone, apart from its label).
//
// The bytes placed are bounded (pdfForms.budget): past it, a Do is left as
// it stands, its form read alone, and that is said (a note: a value its
// page and the form draw apart is not joined).

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
	// annots are the appearances each page shows at their /Rect, by the
	// page's first content stream
	annots map[string][]pdfAnnot
}

// newPDFForms finds the forms each content stream of a PDF may draw. A PDF
// without forms costs one search.
func newPDFForms(data []byte, streams []pdfStreamAt, byObj map[string]pdfStreamAt, fonts pdfFontSet) *pdfForms {
	if !bytes.Contains(data, []byte("/Form")) && !bytes.Contains(data, []byte("/Annots")) {
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
	annots := pdfPageAnnots(data, objs, byObj)
	for _, as := range annots {
		for _, a := range as {
			drawable[a.form] = true
		}
	}
	return &pdfForms{pdf: data, of: of, fonts: fonts, byObj: byObj, data: map[string][]byte{}, placed: map[string]bool{},
		drawable: drawable, budget: 4*len(data) + 1<<20, annots: annots}
}

// pdfRenameFonts renames the fonts a placed form's content selects (the
// name before each Tf: /F1 12 Tf) for the form obj: /F1@obj. A name
// renamed already (a form inside it, placed before) is left.
func pdfRenameFonts(content []byte, obj string) []byte {
	var out []byte
	last := 0
	for at := 0; ; {
		i := pdfNextOperator(content, at, "Tf")
		if i < 0 {
			break
		}
		at = i + len("Tf")
		// Back over blanks, the size, blanks, to the name.
		j := i
		for j > last && pdfBlank(content[j-1]) {
			j--
		}
		for j > last && !pdfDelim(content[j-1]) {
			j--
		}
		for j > last && pdfBlank(content[j-1]) {
			j--
		}
		k := j
		for k > last && content[k-1] != '/' && !pdfDelim(content[k-1]) {
			k--
		}
		if k == last || content[k-1] != '/' || k == j || bytes.IndexByte(content[k:j], '@') >= 0 {
			continue
		}
		out = append(append(append(out, content[last:j]...), '@'), obj...)
		last = j
	}
	if out == nil {
		return content
	}
	return append(out, content[last:]...)
}

func pdfBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0
}

// isForm reports whether obj is a form some content stream may draw.
func (f *pdfForms) isForm(obj string) bool { return f != nil && f.drawable[obj] }

// pdfPlace returns the content stream obj (its decoded bytes, content)
// with the forms it draws placed in it, and the annotations' appearances
// its page shows, and the fonts to read it with (fonts, and the placed
// forms' under their new names); content and fonts themselves where it
// draws none.
func (w *walker) pdfPlace(name string, f *pdfForms, obj string, content []byte, fonts map[string]*pdfCMap, lv *level) ([]byte, map[string]*pdfCMap) {
	if f == nil || len(f.of[obj]) == 0 && len(f.annots[obj]) == 0 {
		return content, fonts
	}
	p := &pdfPlacing{name: name, f: f, lv: lv, open: map[string]bool{obj: true}, fonts: fonts}
	out := w.pdfPlaceIn(p, obj, content, 0)
	var shown []byte
	for _, a := range f.annots[obj] {
		drawn := w.pdfFormDrawn(p, a.form, 0)
		if drawn == nil {
			continue
		}
		shown = append(shown, "\nq "...)
		dict := f.byObj[a.form].dict
		shown = append(append(shown, pdfAnnotMatrix(dict, a.rect)...), " cm\n"...)
		if m := pdfMatrixOf(dict); m != nil {
			shown = append(append(shown, m...), " cm\n"...)
		}
		shown = append(append(shown, drawn...), "\nQ\n"...)
	}
	if shown != nil {
		out = append(slices.Clip(out), shown...) // content may be the file's own bytes: never written over
	}
	return out, p.fonts
}

// pdfPlacing is one content stream's placing of forms.
type pdfPlacing struct {
	name  string
	f     *pdfForms
	lv    *level
	open  map[string]bool            // the forms being placed: a form that draws itself is not placed again
	fonts map[string]*pdfCMap        // the stream's fonts, and the placed forms' renamed (a copy once one is)
	given map[string]map[string]bool // the forms whose fonts fonts has
}

// addFonts gives the text the fonts of the form obj under their new names
// (pdfRenameFonts).
func (p *pdfPlacing) addFonts(obj string) {
	own := p.f.fonts.of[obj]
	if len(own) == 0 || p.given[obj] != nil {
		return
	}
	if p.given == nil {
		p.given = map[string]map[string]bool{}
		m := make(map[string]*pdfCMap, len(p.fonts)+len(own))
		for k, v := range p.fonts {
			m[k] = v
		}
		p.fonts = m
	}
	p.given[obj] = map[string]bool{}
	for k, v := range own {
		p.fonts[k+"@"+obj] = v
	}
}

// pdfFormDrawn returns the content of the form obj as it is drawn: its own
// forms placed, its fonts renamed; nil where it is not placed (it draws
// itself, it cannot be read here, past the depth or the budget).
func (w *walker) pdfFormDrawn(p *pdfPlacing, form string, depth int) []byte {
	f := p.f
	if p.open[form] {
		return nil
	}
	drawn := f.formData(w, form, p.lv)
	if drawn == nil {
		return nil
	}
	if depth >= pdfFormDepth || f.budget < len(drawn) {
		if !f.over {
			f.over = true
			// read alone, as every form was before forms were
			// placed: no part is left unread, so not counted (a
			// thousand-page batch that draws one form on each page
			// failed --strict: qa20 M2)
			w.note(p.name, "PDF forms drawn past the limit (%d deep, or four times the file's bytes and 1 MiB in all): such a form is read alone, and a value its page and the form draw apart is not joined", pdfFormDepth)
		}
		return nil
	}
	if len(f.of[form]) > 0 {
		p.open[form] = true
		drawn = w.pdfPlaceIn(p, form, drawn, depth+1)
		delete(p.open, form)
	}
	if _, own := f.fonts.of[form]; own {
		// its own resources: its names are its own (a form without
		// resources draws with its page's)
		drawn = pdfRenameFonts(drawn, form)
		p.addFonts(form)
	}
	f.budget -= len(drawn)
	f.placed[form] = true
	return drawn
}

// pdfPlaceIn places the forms of the stream obj in its content; open holds
// the forms being placed (a form that draws itself is not placed again).
func (w *walker) pdfPlaceIn(p *pdfPlacing, obj string, content []byte, depth int) []byte {
	f := p.f
	forms := f.of[obj]
	var out []byte
	last := 0
	for at := 0; ; {
		i := pdfNextOperator(content, at, "Do")
		if i < 0 {
			break
		}
		at = i + len("Do")
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
		if !ok {
			continue
		}
		drawn := w.pdfFormDrawn(p, form, depth)
		if drawn == nil {
			continue
		}
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

// pdfNextOperator returns where the operator op next stands alone in
// content at or after at (a delimiter before it, and after it or the
// end), or -1: the scan for font selections (Tf) and placed forms (Do).
func pdfNextOperator(content []byte, at int, op string) int {
	for {
		i := bytes.Index(content[at:], []byte(op))
		if i < 0 {
			return -1
		}
		i += at
		at = i + len(op)
		if i > 0 && pdfDelim(content[i-1]) && (at >= len(content) || pdfDelim(content[at])) {
			return i
		}
	}
}
