package scanner

// LookedAround scans data as Scan does and returns how many bytes the
// matcher read around its candidates (lines, windows, directives): the work
// that must grow with the number of candidates, never with line length.
func LookedAround(s *Scanner, name string, data []byte) int {
	if u, unit := fromWide(data); unit != 0 {
		data = u
	}
	m := newMatch(s, name, data)
	m.run()
	return m.looked
}

// PrefilterCounter returns a function that runs a prefilter over data and
// counts the occurrences it reports; simd asks for the AVX2 kernel and is
// ignored where the machine has none.
func PrefilterCounter(simd bool) func(data []byte) int {
	p := buildPrefilter(patterns, simd)
	return func(data []byte) int {
		n := 0
		p.scan(data, func(int, int) { n++ })
		return n
	}
}
