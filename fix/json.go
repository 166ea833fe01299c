package fix

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// JSON is fixed on the bytes: a small parser records where every member and
// element starts and ends, and the fix deletes spans, adjusting commas, so
// that the layout of everything else stays.

type jnode struct {
	start, end int
	kind       byte // '{', '[', '"', or 0 for other scalars
	members    []jmember
	elems      []*jnode
}

type jmember struct {
	start int // the key's opening quote
	key   string
	val   *jnode
}

type jparser struct {
	data []byte
	p    int
}

func (jp *jparser) ws() {
	for jp.p < len(jp.data) {
		switch jp.data[jp.p] {
		case ' ', '\t', '\r', '\n':
			jp.p++
		default:
			return
		}
	}
}

func (jp *jparser) value(depth int) (*jnode, error) {
	if depth > 1000 {
		return nil, fmt.Errorf("offset %d: nested too deeply", jp.p)
	}
	jp.ws()
	if jp.p >= len(jp.data) {
		return nil, fmt.Errorf("unexpected end of input")
	}
	n := &jnode{start: jp.p}
	switch c := jp.data[jp.p]; c {
	case '{':
		n.kind = '{'
		jp.p++
		jp.ws()
		if jp.p < len(jp.data) && jp.data[jp.p] == '}' {
			jp.p++
			break
		}
		for {
			jp.ws()
			ks := jp.p
			if jp.p >= len(jp.data) || jp.data[jp.p] != '"' {
				return nil, fmt.Errorf("offset %d: want a member name", jp.p)
			}
			if err := jp.str(); err != nil {
				return nil, err
			}
			var key string
			if err := json.Unmarshal(jp.data[ks:jp.p], &key); err != nil {
				return nil, fmt.Errorf("offset %d: %v", ks, err)
			}
			jp.ws()
			if jp.p >= len(jp.data) || jp.data[jp.p] != ':' {
				return nil, fmt.Errorf("offset %d: want ':'", jp.p)
			}
			jp.p++
			v, err := jp.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.members = append(n.members, jmember{start: ks, key: key, val: v})
			jp.ws()
			if jp.p < len(jp.data) && jp.data[jp.p] == ',' {
				jp.p++
				continue
			}
			if jp.p < len(jp.data) && jp.data[jp.p] == '}' {
				jp.p++
				break
			}
			return nil, fmt.Errorf("offset %d: want ',' or '}'", jp.p)
		}
	case '[':
		n.kind = '['
		jp.p++
		jp.ws()
		if jp.p < len(jp.data) && jp.data[jp.p] == ']' {
			jp.p++
			break
		}
		for {
			v, err := jp.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, v)
			jp.ws()
			if jp.p < len(jp.data) && jp.data[jp.p] == ',' {
				jp.p++
				continue
			}
			if jp.p < len(jp.data) && jp.data[jp.p] == ']' {
				jp.p++
				break
			}
			return nil, fmt.Errorf("offset %d: want ',' or ']'", jp.p)
		}
	case '"':
		n.kind = '"'
		if err := jp.str(); err != nil {
			return nil, err
		}
	default:
		for jp.p < len(jp.data) && !strings.ContainsRune(" \t\r\n,]}", rune(jp.data[jp.p])) {
			jp.p++
		}
		if jp.p == n.start {
			return nil, fmt.Errorf("offset %d: unexpected %q", jp.p, c)
		}
	}
	n.end = jp.p
	return n, nil
}

func (jp *jparser) str() error {
	start := jp.p
	jp.p++
	for jp.p < len(jp.data) {
		switch jp.data[jp.p] {
		case '\\':
			jp.p += 2
			continue
		case '"':
			jp.p++
			return nil
		}
		jp.p++
	}
	return fmt.Errorf("offset %d: unterminated string", start)
}

// jtarget is what a finding sits in: a string value, the member it is the
// value of (if any) and the containers above it, innermost last.
type jtarget struct {
	str   *jnode
	path  []*jnode // containers from the root, the innermost holds str
	index []int    // index of the next step in each container
}

func locate(root *jnode, off, end int) (jtarget, bool) {
	var t jtarget
	n := root
	for {
		if n.kind == '"' {
			if off >= n.start && end <= n.end {
				t.str = n
				return t, true
			}
			return t, false
		}
		found := false
		switch n.kind {
		case '{':
			for i, m := range n.members {
				if off >= m.val.start && end <= m.val.end {
					t.path, t.index = append(t.path, n), append(t.index, i)
					n, found = m.val, true
					break
				}
			}
		case '[':
			for i, v := range n.elems {
				if off >= v.start && end <= v.end {
					t.path, t.index = append(t.path, n), append(t.index, i)
					n, found = v, true
					break
				}
			}
		}
		if !found {
			return t, false
		}
	}
}

// removal is one item (member or element) to delete from a container.
type removal struct {
	container *jnode
	index     int
}

func applyJSON(name string, content []byte, fs scanner.Findings, res *Result) (*Result, error) {
	jp := &jparser{data: content}
	root, err := jp.value(0)
	if err == nil {
		jp.ws()
		if jp.p != len(content) {
			err = fmt.Errorf("offset %d: data after the value", jp.p)
		}
	}
	if err != nil {
		for _, f := range fs {
			res.Manual = append(res.Manual, Manual{f, "the file is not valid JSON (" + err.Error() + "); remove the key by hand. " + f.Suggestion})
		}
		return res, nil
	}
	var rm []removal
	for _, f := range fs {
		keys, _, _ := jsonKeysIn(root, f)
		reason := jsonIaCReason(name, keys, f)
		var r removal
		if reason == "" {
			r, reason = jsonRemoval(content, root, f)
		}
		if reason != "" {
			res.Manual = append(res.Manual, Manual{f, reason})
			continue
		}
		res.Fixed = append(res.Fixed, f)
		if tfvarsJSONFile(name) && len(keys) == 1 {
			res.Notes = append(res.Notes, tfvarsJSONNote(name, f, keys[0]))
		}
		if !slices.Contains(rm, r) {
			rm = append(rm, r)
		}
	}
	e := newEditor(content, JSON)
	byContainer := map[*jnode][]int{}
	var order []*jnode
	for _, r := range rm {
		if _, ok := byContainer[r.container]; !ok {
			order = append(order, r.container)
		}
		byContainer[r.container] = append(byContainer[r.container], r.index)
	}
	order = emptiedMembers(root, byContainer, order)
	for _, c := range order {
		if idx, ok := byContainer[c]; ok {
			e.removeItems(c, idx)
		}
	}
	out := e.apply()
	if !jsonValid(out) {
		return nil, fmt.Errorf("%s: removing the keys would leave invalid JSON; remove them by hand", name)
	}
	res.Content = out
	return res, nil
}

// emptiedMembers removes, in place of a container the change empties,
// the member named for credentials that holds it ("credentials": {}
// after its keys went): the SDKs take an empty credentials object as
// credentials given (the JavaScript SDK v3 rejects it, v2 builds empty
// Credentials) rather than walking the default chain. The parent is then
// looked at in turn; the root stays. A member of another name ("aws": {})
// keeps its empty value: a program may read a setting under it
// (cfg.aws.region), which a missing member would break. It returns the
// containers to edit, each with the items byContainer now lists for it.
func emptiedMembers(root *jnode, byContainer map[*jnode][]int, order []*jnode) []*jnode {
	type at struct {
		parent *jnode
		index  int
	}
	parents := map[*jnode]at{}
	var walk func(n *jnode)
	walk = func(n *jnode) {
		for i, m := range n.members {
			parents[m.val] = at{n, i}
			walk(m.val)
		}
		for i, v := range n.elems {
			parents[v] = at{n, i}
			walk(v)
		}
	}
	walk(root)
	gone := func(c *jnode) int {
		idx := slices.Clone(byContainer[c])
		slices.Sort(idx)
		return len(slices.Compact(idx))
	}
	for changed := true; changed; {
		changed = false
		for _, c := range slices.Clone(order) {
			idx, ok := byContainer[c]
			if !ok || c == root || len(idx) == 0 || gone(c) != itemCount(c) {
				continue
			}
			p, ok := parents[c]
			if !ok || p.parent.kind != '{' || slices.Contains(byContainer[p.parent], p.index) {
				continue
			}
			if !credentialsObject(p.parent.members[p.index].key) {
				continue
			}
			delete(byContainer, c)
			if _, ok := byContainer[p.parent]; !ok {
				order = append(order, p.parent)
			}
			byContainer[p.parent] = append(byContainer[p.parent], p.index)
			changed = true
		}
	}
	return order
}

// credentialsObject reports whether a key names an object of credentials
// (credentials, Credentials, awsCredentials, creds), which an SDK given
// it empty takes as credentials given.
func credentialsObject(key string) bool {
	return strings.Contains(strings.ToLower(key), "cred")
}

// jsonRemoval decides what to delete to remove f.
func jsonRemoval(data []byte, root *jnode, f scanner.Finding) (removal, string) {
	t, ok := locate(root, f.Offset, f.EndOffset)
	if !ok || len(t.path) == 0 {
		return removal{}, "the key is not a JSON string value; remove it by hand. " + f.Suggestion
	}
	var inner string
	if err := json.Unmarshal(data[t.str.start:t.str.end], &inner); err != nil {
		return removal{}, "the value does not decode; remove it by hand. " + f.Suggestion
	}
	written := string(data[f.Offset:f.EndOffset])
	exact := inner == f.Secret || string(data[t.str.start+1:t.str.end-1]) == written
	c, i := t.path[len(t.path)-1], t.index[len(t.index)-1]
	if c.kind == '{' {
		key := c.members[i].key
		// {"name": "AWS_SECRET_ACCESS_KEY", "value": "..."}: remove the pair
		// from the list it is in (ECS task definitions, CloudFormation, k8s JSON).
		if strings.EqualFold(key, "value") && len(c.members) == 2 && len(t.path) >= 2 && t.path[len(t.path)-2].kind == '[' {
			for _, m := range c.members {
				if strings.EqualFold(m.key, "name") && m.val.kind == '"' {
					var name string
					if json.Unmarshal(data[m.val.start:m.val.end], &name) == nil && credentialKey(name) {
						if !exact && inURL(inner) {
							return removal{}, inURLReason(name, f)
						}
						if !exact && strings.ContainsAny(inner, " \t") {
							return removal{}, "the key is part of a longer text (" + name + "); remove it by hand. " + f.Suggestion
						}
						return removal{t.path[len(t.path)-2], t.index[len(t.index)-2]}, ""
					}
				}
			}
		}
		if !exact && inURL(inner) {
			return removal{}, inURLReason(key, f)
		}
		if exact || (credentialKey(key) && !strings.ContainsAny(inner, " \t")) {
			return removal{c, i}, ""
		}
		return removal{}, "the key is part of the value of " + key + ", which also holds other things; remove it by hand. " + f.Suggestion
	}
	return removal{}, "the key is an element of a list (an argument list?); remove it by hand. " + f.Suggestion
}

// itemSpan is where item i of container c starts and ends.
func itemSpan(c *jnode, i int) (int, int) {
	if c.kind == '{' {
		return c.members[i].start, c.members[i].val.end
	}
	return c.elems[i].start, c.elems[i].end
}

func itemCount(c *jnode) int {
	if c.kind == '{' {
		return len(c.members)
	}
	return len(c.elems)
}

// removeItems deletes the given items of c, with their commas.
func (e *editor) removeItems(c *jnode, idx []int) {
	slices.Sort(idx)
	n := itemCount(c)
	gone := make([]bool, n)
	for _, i := range idx {
		gone[i] = true
	}
	for a := 0; a < n; a++ {
		if !gone[a] {
			continue
		}
		b := a
		for b+1 < n && gone[b+1] {
			b++
		}
		sa, _ := itemSpan(c, a)
		_, eb := itemSpan(c, b)
		switch {
		case b+1 < n: // a kept item follows: delete up to it
			next, _ := itemSpan(c, b+1)
			if e.startsLine(sa) && e.startsLine(next) {
				e.spans = append(e.spans, span{start: e.lineStart(sa), end: e.lineStart(next)})
			} else {
				e.spans = append(e.spans, span{start: sa, end: next})
			}
		case a > 0: // the last items: delete from the end of the kept one before
			_, prev := itemSpan(c, a-1)
			e.spans = append(e.spans, span{start: prev, end: eb})
		default: // every item
			if e.startsLine(sa) && e.endsLine(eb) {
				e.spans = append(e.spans, span{start: e.lineStart(sa), end: e.lineStart(eb) + e.lineLen(eb) + 1})
			} else {
				e.spans = append(e.spans, span{start: sa, end: eb})
			}
		}
		a = b
	}
}

func (e *editor) lineStart(off int) int { return e.lines[e.lineAt(off)].start }

func (e *editor) lineLen(off int) int {
	l := e.lines[e.lineAt(off)]
	return l.end - l.start
}

// startsLine reports whether only blanks precede off on its line.
func (e *editor) startsLine(off int) bool {
	return strings.Trim(string(e.data[e.lineStart(off):off]), " \t") == ""
}

// endsLine reports whether only blanks (and a '\r') follow end on its line.
func (e *editor) endsLine(end int) bool {
	l := e.lines[e.lineAt(end)]
	return strings.Trim(string(e.data[end:l.end]), " \t\r") == "" && l.end < len(e.data)
}
