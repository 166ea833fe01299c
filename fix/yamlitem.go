package fix

// A list item whose first key is a mapping named for credentials
// ("- credentials:", then "region:" under it at the item's indentation)
// cannot lose that key by deleting its line: the item's "- " is on it.
// When every entry under it went, credentialsItem deletes the line and
// moves the "- " to the item's next key, so that the item keeps its other
// settings and has no credentials key (left as null, a program takes it as
// credentials given, not as none; see yamlCleanup).

// credentialsItem removes the emptied credentials mapping that opens the
// list item on line p, as yamlCleanup removes one elsewhere; it reports
// whether it did.
func (e *editor) credentialsItem(p int) bool {
	if e.del[p] {
		return false
	}
	if _, item := e.itemIndent(p); !item || !e.opensBlock(p) || !e.credentialsBlock(p) {
		return false
	}
	ci := e.contentIndent(p)
	if ci > len(e.text(p)) {
		return false
	}
	next := -1
	for j := p + 1; j < len(e.lines); j++ {
		if e.del[j] || !e.isContent(j) {
			continue
		}
		dj := indentOf(e.text(j))
		if dj > ci {
			return false // an entry of the mapping is kept
		}
		if dj == ci {
			next = j // the item's next key
		}
		break
	}
	if next >= 0 {
		if _, item := e.itemIndent(next); item {
			return false // a list under the key, not a key of the item
		}
		if _, ok := e.parseAssign(next); !ok {
			return false
		}
	}
	e.deleteLine(p)
	if next >= 0 {
		e.spans = append(e.spans, span{start: e.lines[next].start, end: e.lines[next].start + ci, text: e.text(p)[:ci]})
	} else {
		e.markParent(p)
	}
	return true
}
