package scanner

import (
	"encoding/binary"
	"fmt"
)

// A compiled Python module (.pyc) is read for its marshalled code, not
// only for its printable runs: the runs glue each constant to the marshal
// bytes around it, which are often printable (CPython 3's "z(" header of
// a 40-character string, 2.7's "s(\0\0\0", the "N)" of None and a tuple's
// end after a settings module's last constant), bytes constants
// (b"AKIA...") and 2.7's strings carry 4-byte lengths the short-string
// cuts of marshalled never looked for, and the name a constant is assigned
// to is stored in another table, far from its value: a secret 40 constants
// after its key ID had neither its keyword nor its key ID near (arch36).
//
// pycText walks the module's code objects (marshal's format, read with
// the code layout of the version the magic number names: 2.3 to 2.7, 3.0
// to 3.14) and writes each code object as a group: its string and bytes
// constants in their order, one a line, each assigned one written as
// NAME = "value" (the bytecode's LOAD_CONST then STORE_NAME, STORE_GLOBAL,
// STORE_FAST, STORE_DEREF (3.11 on), or STORE_ATTR one instruction later: the
// version's opcode numbers), then the names it uses. Every line maps back
// to the bytes it came from.
//
// The walk is bounded: every length is checked against the bytes left,
// nesting stops at pycMaxDepth, and the text at pycMaxText times the
// file. A file that names a known version and starts a code object but
// does not read whole (cut short, a type code marshal lacks, a length past
// the end) is not silently taken for clean: the caller scans its printable
// runs as before and counts it as not read whole (unread).

const (
	pycMaxDepth = 200 // marshal's own limit is 2000; real modules nest a few dozen deep
	pycMaxText  = 8   // text written is at most this many times the file, and 1 MiB
)

// pycVersion is what a .pyc's magic number says of its layout.
type pycVersion struct {
	header int  // bytes before the marshalled code object
	py2    bool // 2.x: strings are bytes, interned strings are referred back to by 'R'
	ints   int  // 4-byte fields before the code object's first object
	// objects before and after the first line number (an int32)
	before, after int
	// names, locals: which objects (counted from 0) are co_names and the
	// local variables' names (co_varnames, co_localsplusnames)
	names, locals int
	ops           pycOps
}

// pycOps are the opcode numbers pycAssigned follows; wordcode marks 3.6's
// two-byte instructions (before, an argument takes two bytes after the
// opcode, from argFrom on).
type pycOps struct {
	known                                                                      bool
	wordcode                                                                   bool
	argFrom, extended                                                          int
	loadConst, storeName, storeGlobal, storeFast, storeAttr, storeDeref, cache int
}

// pycVersionOf reads the magic number of data; ok is false for one that
// names no CPython version keyscan knows the layout of.
func pycVersionOf(data []byte) (v pycVersion, ok bool) {
	if len(data) < 8 || data[2] != '\r' || data[3] != '\n' {
		return v, false
	}
	magic := int(binary.LittleEndian.Uint16(data))
	classic := pycOps{known: true, argFrom: 90, loadConst: 100, storeName: 90, storeGlobal: 97, storeFast: 125, storeAttr: 95, storeDeref: -1, cache: -1}
	switch {
	case magic >= 62011 && magic <= 62211: // 2.3 to 2.7
		ops := classic
		ops.extended = 145
		return pycVersion{header: 8, py2: true, ints: 4, before: 8, after: 1, names: 2, locals: 3, ops: ops}, true
	case magic < 3000 || magic >= 3700:
		return v, false
	}
	v = pycVersion{header: 16, ints: 5, before: 8, after: 1, names: 2, locals: 3, ops: classic}
	v.ops.extended = 144
	switch {
	case magic < 3190: // 3.0 to 3.2: magic and mtime
		v.header = 8
	case magic < 3390: // 3.3 to 3.6: and the source's size
		v.header = 12
	}
	if magic >= 3361 { // 3.6: wordcode
		v.ops.wordcode = true
	}
	if magic >= 3400 && magic < 3450 { // 3.8 to 3.10: posonlyargcount
		v.ints = 6
	}
	if magic >= 3450 { // 3.11: co_localsplusnames and kinds, qualname; linetable and exception table
		v.after = 2
		v.ops.cache, v.ops.storeDeref = 0, 138 // a cell's name is in co_localsplusnames too
	}
	switch {
	case magic >= 3600: // 3.14: opcodes renumbered again; constants only
		v.ops.known = false
	case magic >= 3550: // 3.13
		v.ops = pycOps{known: true, wordcode: true, argFrom: 44, extended: 71, loadConst: 83, storeName: 114, storeGlobal: 113,
			storeFast: 110, storeAttr: 108, storeDeref: 109, cache: 0}
	}
	return v, true
}

// pycObj is a marshalled object as far as pycText needs it: a string's
// bytes and where they lie, a container's items, a code object's parts.
type pycObj struct {
	kind  byte // 's' a string or bytes, '(' a tuple, list, set or dict's items, 'c' a code object, 0 anything else
	off   int  // a string's first byte in the file
	s     []byte
	items []*pycObj
	code  *pycCode
	// written marks a string written bare: a reference to it repeats
	// nothing
	written bool
}

type pycCode struct {
	bytecode      []byte
	consts        []*pycObj
	names, locals []*pycObj
}

// pycReader reads marshal's format from data.
type pycReader struct {
	data     []byte
	v        pycVersion
	refs     []*pycObj // FLAG_REF objects (3.4 on), 'r' refers back to them
	interned []*pycObj // 2.x interned strings, 'R' refers back to them
	depth    int
	err      error // the first error
}

// fail keeps the first error: every read after it gives nothing.
func (r *pycReader) fail(at int, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s at byte %d", fmt.Sprintf(format, args...), at)
	}
}

// need reports whether n bytes are left at at, failing if not.
func (r *pycReader) need(at, n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || n > len(r.data)-at {
		r.fail(at, "marshalled data cut short (%d bytes needed, %d left)", n, len(r.data)-at)
		return false
	}
	return true
}

// skip passes n bytes at *at.
func (r *pycReader) skip(at *int, n int) {
	if r.need(*at, n) {
		*at += n
	}
}

func (r *pycReader) i32(at *int) int {
	if !r.need(*at, 4) {
		return 0
	}
	n := int(int32(binary.LittleEndian.Uint32(r.data[*at:])))
	*at += 4
	return n
}

// count reads a 4-byte count of things of at least one byte each, which
// must fit in what is left.
func (r *pycReader) count(at *int) int {
	p := *at
	n := r.i32(at)
	if r.err == nil && (n < 0 || n > len(r.data)-*at) {
		r.fail(p, "count %d past the end of the data", n)
	}
	if r.err != nil {
		return 0
	}
	return n
}

// short reads a 1-byte length and that many bytes: a short string's, a
// text float's.
func (r *pycReader) short(at *int) (int, int) {
	if !r.need(*at, 1) {
		return *at, 0
	}
	n := int(r.data[*at])
	*at++
	p := *at
	r.skip(at, n)
	return p, n
}

// object reads the object at *at; after an error (r.err) what it returns
// means nothing.
func (r *pycReader) object(at *int) *pycObj {
	if !r.need(*at, 1) {
		return &pycScalar
	}
	start := *at
	t := r.data[*at]
	*at++
	flag := t&0x80 != 0 && !r.v.py2
	t &= 0x7f
	if !flag && pycScalarCode[t] {
		// No text and no reference to it: one object stands for them all.
		r.scalar(at, start, t)
		return &pycScalar
	}
	o := &pycObj{}
	if r.depth >= pycMaxDepth {
		r.fail(start, "marshalled objects nested deeper than %d", pycMaxDepth)
		return o
	}
	r.depth++
	defer func() { r.depth-- }()
	if flag {
		r.refs = append(r.refs, o) // a container's items may refer to it
	}
	switch t {
	case '0', 'N', 'F', 'T', 'S', '.', 'i', 'I', 'g', 'y', 'f', 'x', 'l':
		r.scalar(at, start, t)
	case 's', 't', 'u', 'a', 'A':
		n := r.count(at)
		if r.err != nil {
			break
		}
		o.kind, o.off, o.s = 's', *at, r.data[*at:*at+n]
		*at += n
		if r.v.py2 && t == 't' {
			r.interned = append(r.interned, o)
		}
	case 'z', 'Z':
		p, n := r.short(at)
		if r.err == nil {
			o.kind, o.off, o.s = 's', p, r.data[p:p+n]
		}
	case 'R', 'r':
		list := r.refs
		if t == 'R' {
			if !r.v.py2 {
				r.fail(start, "marshal type code %q", t)
				break
			}
			list = r.interned
		}
		i := r.i32(at)
		if r.err == nil && (i < 0 || i >= len(list)) {
			r.fail(start, "reference %d of %d", i, len(list))
		}
		if r.err == nil {
			return list[i]
		}
	case '(', '[', '<', '>', ')':
		var n int
		if t == ')' {
			if r.need(*at, 1) {
				n = int(r.data[*at])
				*at++
			}
		} else {
			n = r.count(at)
		}
		o.kind = '('
		for range n {
			if r.err != nil {
				break
			}
			o.items = append(o.items, r.object(at))
		}
	case '{':
		o.kind = '('
		for r.need(*at, 1) && r.data[*at] != '0' {
			o.items = append(o.items, r.object(at), r.object(at))
		}
		r.skip(at, 1)
	case ':': // 3.14: a slice's start, stop and step
		o.kind = '('
		o.items = append(o.items, r.object(at), r.object(at), r.object(at))
	case 'c':
		r.code(o, at)
	default:
		r.fail(start, "marshal type code %#x", t)
	}
	return o
}

// pycScalar stands for every object that holds no text (numbers, None,
// True, False, Ellipsis) and is not referred to.
var pycScalar pycObj

// pycScalarCode marks the type codes of pycScalar's objects.
var pycScalarCode = func() (set [128]bool) {
	for _, c := range "0NFTS.iIgyfxl" {
		set[c] = true
	}
	return set
}()

// scalar passes the bytes of the object of type code t after its code.
func (r *pycReader) scalar(at *int, start int, t byte) {
	switch t {
	case 'i':
		r.skip(at, 4)
	case 'I', 'g':
		r.skip(at, 8)
	case 'y':
		r.skip(at, 16)
	case 'f':
		r.short(at)
	case 'x':
		r.short(at)
		r.short(at)
	case 'l':
		n := r.i32(at)
		if n < -1<<30 || n > 1<<30 {
			r.fail(start, "long of %d digits", n)
			return
		}
		r.skip(at, 2*max(n, -n))
	}
}

// code reads a code object's fields into o.
func (r *pycReader) code(o *pycObj, at *int) {
	o.kind, o.code = 'c', &pycCode{}
	r.skip(at, 4*r.v.ints)
	parts := make([]*pycObj, 0, r.v.before+r.v.after)
	for range r.v.before {
		parts = append(parts, r.object(at))
	}
	r.i32(at) // the first line number
	for range r.v.after {
		parts = append(parts, r.object(at))
	}
	if r.err != nil {
		return
	}
	c := o.code
	if p := parts[0]; p.kind == 's' {
		c.bytecode = p.s
	}
	c.consts = parts[1].items
	c.names = parts[r.v.names].items
	c.locals = parts[r.v.locals].items
}

// parsePyc reads the code object of the .pyc data; code is nil when data
// is not one (no known magic, or no code object after the header), and
// err says why one that is could not be read whole. end is where the
// code object ends.
func parsePyc(data []byte) (code *pycObj, v pycVersion, end int, err error) {
	v, ok := pycVersionOf(data)
	if !ok || len(data) <= v.header || data[v.header]&0x7f != 'c' {
		return nil, v, 0, nil
	}
	r := &pycReader{data: data, v: v}
	at := v.header
	code = r.object(&at)
	if r.err != nil {
		return nil, v, 0, r.err
	}
	return code, v, at, nil
}

// pycAssigned returns, for each constant index of code, the name the
// bytecode stores it to first (pycName.ok false: none): LOAD_CONST then a
// store, or LOAD_CONST, one instruction (the object's load) and
// STORE_ATTR.
func pycAssigned(code *pycCode, ops pycOps, out []pycName) []pycName {
	out = out[:0]
	if !ops.known || len(code.bytecode) == 0 || len(code.consts) == 0 {
		return out
	}
	for range code.consts {
		out = append(out, pycName{})
	}
	set := func(k, i int, local bool) {
		if k >= 0 && k < len(out) && !out[k].ok {
			out[k] = pycName{i: i, local: local, ok: true}
		}
	}
	type ins struct{ op, arg int }
	var last [2]ins // the two instructions before this one
	last[0].op, last[1].op = -1, -1
	bc := code.bytecode
	ext := 0
	for i := 0; i < len(bc); {
		op := int(bc[i])
		arg := 0
		if ops.wordcode {
			if i+1 >= len(bc) {
				break
			}
			arg = ext | int(bc[i+1])
			i += 2
		} else if op >= ops.argFrom {
			if i+2 >= len(bc) {
				break
			}
			arg = ext | int(bc[i+1]) | int(bc[i+2])<<8
			i += 3
		} else {
			i++
		}
		switch {
		case op == ops.extended:
			if ops.wordcode {
				ext = arg << 8
			} else {
				ext = arg << 16
			}
			continue
		case op == ops.cache && ops.wordcode:
			continue
		}
		ext = 0
		if last[1].op == ops.loadConst {
			switch op {
			case ops.storeName, ops.storeGlobal:
				set(last[1].arg, arg, false)
			case ops.storeFast, ops.storeDeref:
				set(last[1].arg, arg, true)
			}
		}
		if last[0].op == ops.loadConst && op == ops.storeAttr {
			set(last[0].arg, arg, false)
		}
		last[0], last[1] = last[1], ins{op, arg}
	}
	return out
}

// pycName is a name a constant is stored to: an index in co_names, or in
// the local variables' names.
type pycName struct {
	i         int
	local, ok bool
}

// pycText builds the text of the .pyc data: see the top of this file.
// ok is false when data is no .pyc pycText reads; unread says why one
// was not read whole (its runs are then the text, see ScanBinaryAllCounted).
func (b *binText) pycText(data []byte) (ok bool, unread string) {
	code, v, end, err := parsePyc(data)
	if err != nil {
		return false, fmt.Sprintf("compiled Python module (.pyc) not read whole: %v; its printable runs are scanned", err)
	}
	if code == nil {
		return false, ""
	}
	w := pycWriter{b: b, limit: pycMaxText*len(data) + 1<<20}
	w.code(code, v.ops)
	if w.over {
		return true, fmt.Sprintf("compiled Python module (.pyc) not read whole: its constants' text passed %d times its size", pycMaxText)
	}
	if len(data)-end >= minRun {
		// Bytes after the code object, which Python never reads: scanned
		// for their runs, as any binary's.
		b.lastEnd = -1 << 30
		b.runsFrom(data, end, false)
	}
	return true, ""
}

// pycWriter writes code objects' groups to b's text.
type pycWriter struct {
	b        *binText
	limit    int
	over     bool
	codes    []*pycObj
	assigned []pycName // pycAssigned's answer, reused
}

func (w *pycWriter) code(o *pycObj, ops pycOps) {
	w.codes = append(w.codes, o)
	for len(w.codes) > 0 && !w.over {
		c := w.codes[0].code
		w.codes = w.codes[1:]
		w.group(c, ops)
	}
}

// group writes one code object's constants and names.
func (w *pycWriter) group(c *pycCode, ops pycOps) {
	b := w.b
	first := true
	line := func() {
		n := 1
		if first {
			n = groupSep
		}
		first = false
		if len(b.text) == 0 {
			return
		}
		for range n {
			b.text = append(b.text, '\n')
		}
	}
	w.assigned = pycAssigned(c, ops, w.assigned)
	assigned := w.assigned
	var walk func(o *pycObj, name *pycObj, depth int)
	walk = func(o *pycObj, name *pycObj, depth int) {
		if w.over || depth > pycMaxDepth {
			return
		}
		switch o.kind {
		case 'c':
			w.codes = append(w.codes, o)
		case '(':
			for _, it := range o.items {
				walk(it, nil, depth+1)
			}
		case 's':
			if name == nil && (o.written || len(o.s) < minRun) {
				return
			}
			if len(b.text)+len(o.s)+64 > w.limit {
				w.over = true
				return
			}
			o.written = true
			line()
			if name != nil {
				b.segs = append(b.segs, segment{text: len(b.text), file: o.off, n: 1})
				b.text = append(b.text, name.s...)
				b.text = append(b.text, " = \""...)
			}
			// A line break is written as the literal's escape, as the
			// source spells a one-line string: a constant's lines read
			// as lines of their own made a test's "begin 644 t1\n" a uu
			// block cut short (test_uu.pyc, a gap). Other control bytes
			// end a run, as in a binary's runs.
			from := 0
			for i, ch := range o.s {
				if ch != '\n' && (printable[ch] || ch >= 0x80) {
					continue
				}
				if i > from {
					b.segs = append(b.segs, segment{text: len(b.text), file: o.off + from, n: i - from, step: 1})
					b.text = append(b.text, o.s[from:i]...)
				}
				if ch == '\n' {
					b.segs = append(b.segs, segment{text: len(b.text), file: o.off + i, n: 1})
					b.text = append(b.text, '\\', 'n')
				} else {
					b.text = append(b.text, '\n')
				}
				from = i + 1
			}
			if from < len(o.s) {
				b.segs = append(b.segs, segment{text: len(b.text), file: o.off + from, n: len(o.s) - from, step: 1})
				b.text = append(b.text, o.s[from:]...)
			}
			if name != nil {
				b.text = append(b.text, '"')
			}
		}
	}
	for i, k := range c.consts {
		var name *pycObj
		if i < len(assigned) && assigned[i].ok {
			n := assigned[i]
			list := c.names
			if n.local {
				list = c.locals
			}
			if n.i >= 0 && n.i < len(list) && list[n.i].kind == 's' && len(list[n.i].s) <= 256 {
				name = list[n.i]
			}
		}
		walk(k, name, 0)
	}
	for _, n := range c.names {
		walk(n, nil, 0)
	}
	for _, n := range c.locals {
		walk(n, nil, 0)
	}
}
