package scanner

// LookedAround scans data as Scan does and returns how many bytes the
// matcher read around its candidates (lines, windows, directives): the work
// that must grow with the number of candidates, never with line length.
func LookedAround(s *Scanner, name string, data []byte) int {
	if u, ok := fromUTF16(data); ok {
		data = u
	}
	m := newMatch(s, name, data)
	m.run()
	return m.looked
}
