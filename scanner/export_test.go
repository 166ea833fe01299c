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

// CheckWork scans data as ScanAllCounted's plain scan does, with the check
// budget scaled by budget (0: none), and returns the work it spent, the
// input's allowance at scale 1 and the steps left unchecked.
func CheckWork(s *Scanner, name string, data []byte, limit, budget int) (spent, allow, unchecked int, taken [steps]int) {
	m := newMatch(s, name, data)
	m.limit, m.cut = limit, len(data)
	m.work = &checkWork{allow: allowance(len(data), budget)}
	if budget == 0 {
		m.work.allow = 1 << 62
	} else if budget < 0 {
		m.work.allow = -budget // an allowance in units, for calibration
	}
	m.run()
	m.findings()
	m.resolve()
	spent, unchecked, taken = m.work.spent, m.work.unchecked, m.work.taken
	m.release()
	return spent, allowance(len(data), 1), unchecked, taken
}

// EscapeBytes returns escapeBytes(lo, hi) of data from the byte masks (0
// and false where no kernel makes them) and read byte by byte.
func EscapeBytes(s *Scanner, data []byte, lo, hi int) (masked int, ok bool, plain int) {
	m := newMatch(s, "x.txt", data)
	defer m.release()
	if m.byteMasks() != nil {
		masked, ok = m.escapeBytes(lo, hi), true
	}
	m.masks, m.masksMade = nil, true
	return masked, ok, m.escapeBytes(lo, hi)
}

// PrefilterReports scans data as CheckWork does, with the check budget
// scaled by budget, and returns how many anchors the prefilter reported
// (in the input and its sub-scans): fewer than the input holds once the
// budget stops it.
func PrefilterReports(s *Scanner, name string, data []byte, limit, budget int) int {
	m := newMatch(s, name, data)
	m.limit, m.cut = limit, len(data)
	m.work = &checkWork{allow: allowance(len(data), budget)}
	if budget == 0 {
		m.work.allow = 1 << 62
	}
	m.run()
	n := m.work.reported
	m.release()
	return n
}
