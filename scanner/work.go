package scanner

// The check budget bounds the matcher's time on one input, whatever it
// holds. The prefilter and the reading of runs cost a constant per byte;
// what does not is the work around each anchor and candidate: a keyword's
// name and windows, a key ID's line, a secret's context (its lines, its
// block, the signs of other services in them, up to a few KiB each). Text
// dense with keywords or near misses (an anchor every few bytes, a
// candidate every 80) multiplies that work by the density, and ran at 10
// MB per CPU second. So every such step is charged to the input's budget,
// in units that stand for the bytes it reads (see the costs below), and
// the budget is a fixed part and a part proportional to the input's size
// (see allowance): every input costs at most the fixed part plus a
// constant per byte. Once the budget is spent, the anchors and candidates
// left are counted, not checked (Counts.Unchecked): a gap, never silent,
// which the commands report as they report an unread part of a file.
//
// The measure is a count of steps, never a clock, so that a scan gives
// the same findings and the same gap on any machine, at any load. No real
// file comes near the allowance: README ("Files made of keys") gives the
// highest ratio of work to allowance found over every blob of four
// repositories' histories and the Go tree.

// The costs of the steps, in units of about a byte of context read (a
// nanosecond or two): measured on the worst texts known (BenchmarkSlowest,
// BenchmarkHostileLines), each is what the step costs there at most, on
// average, so that the allowance bounds the time of any input.
type step uint8

const (
	keywordStep step = iota // a keyword anchor: its identifier and its windows
	keyIDStep               // a key ID that passed its value tests: its line
	secretStep              // a secret candidate's name: the keyword that assigns it (nearKeywordCost a keyword near it besides)
	signsStep               // and when signs of other services stand near it, its block and theirs (signByteCost a byte of their lines besides; see foreign)
	decodeStep              // a base64 or hex run decoded: a sub-scan's setup, and decodedByteCost a byte of the run
	tokenStep               // a session token's run read: tokenByteCost a byte of it besides
	inflateStep             // a gzip stream in base64 inflated: inflatedByteCost a byte of its output besides
	nearStep                // a secret candidate's context past its name: its lines, AWS words, logins and key IDs near it
	steps
)

// A secret candidate's context check is charged by what it reads (qa13
// MEDIUM-11): its name (secretStep) and, only when that does not decide,
// the lines and words around it (nearStep); the signs of other services
// near it (signsStep) and each byte of the lines of signs it reads. A flat
// 2,048 units a candidate and 16,384 beside signs (their worst cost, in
// text built against them) put harmless files over their allowance: a log
// of 5,000 client_secret= lines, whose name alone turns each value down,
// and an rclone.conf of 600 MinIO remotes, each decided by its own section.
var stepCost = [steps]int{keywordStep: 128, keyIDStep: 1024, secretStep: 256, signsStep: 2048,
	decodeStep: 512, tokenStep: 256, inflateStep: 1024, nearStep: 1792}

// The costs per unit of what a context check reads: each keyword near a
// secret candidate (its name is the nearest that assigns it; each is
// tested), and each byte of the lines of signs foreign reads, up to
// maxSignsCost for a candidate with signsStep (the flat charge before
// MEDIUM-11, measured on the worst texts of signs).
const (
	nearKeywordCost = 32
	signByteCost    = 16
	maxSignsCost    = 16384
)

// headerByteCost is the cost of a byte of the lines headerOf reads for a
// keyword that may head a table's column (its line and the next, up to
// 4 KiB each side of it): it reads them four or five times over (the
// line's start, code brackets, its cells twice, the next row's).
const headerByteCost = 4

// The costs per byte of the steps that read a stretch as long as the
// input (so that no count of steps bounds them): a base64 or hex run is
// read, decoded, tested for text and scanned again (the prefilter, the
// masks) in its decoded form, at every level of decoding; a session
// token's run is read, its bytes counted and its entropy measured, from
// each prefix or keyword that starts one; a gzip stream's output is
// inflated and scanned. A token's byte costs what it costs in the worst
// text known (attack_test.go). A run's byte in the input costs a unit,
// the allowance's own per byte, not the 3 to 6 ns it takes: a file that
// is one base64 blob (an image in a notebook) holding an anchor by chance
// must stay under its budget. The runs inside decoded text (base64 in
// base64, hex in base64), rare in real files, cost what they take.
const (
	decodedByteCost  = 1
	nestedByteCost   = 8
	tokenByteCost    = 8
	inflatedByteCost = 4
)

// decodeCost is the cost a byte of a run to decode at the match's depth.
func (m *match) decodeCost() int {
	if m.depth == 0 {
		return decodedByteCost
	}
	return nestedByteCost
}

// The costs of reading windows, for each byte that may start an escape
// (see afford; every byte costs a unit besides): the windows where secrets
// are looked for (runsIn, and the decoders' marks after), those where
// escaped text is (escapeRuns), and the regions scanned again with
// rewrites (scanRegion; the steps of their scan are charged as well).
const (
	windowEscapeCost = 16
	escapeEscapeCost = 64
	regionEscapeCost = 16
)

// The allowance of an input of n bytes is allowanceFixed +
// allowancePerByte*n units, times Options.CheckBudget.
const (
	allowanceFixed   = 8 << 20
	allowancePerByte = 1
)

// allowance returns the check budget of an input of n bytes for a scale of
// budget (Options.CheckBudget; 0: no limit).
func allowance(n, budget int) int {
	if budget <= 0 {
		return 0
	}
	return budget * (allowanceFixed + allowancePerByte*n)
}

// checkWork is the check budget of one input, shared by its sub-scans
// (decoded runs and rewritten regions are scanned as the input's).
type checkWork struct {
	spent, allow int
	// unchecked counts the anchors and candidates passed over once spent
	// reached allow.
	unchecked int
	taken     [steps]int // the steps taken, of each kind
	// kept counts the candidates refunded (see refund), in the input and
	// its sub-scans together.
	kept int
	// reported counts the anchors the prefilter reported, for the tests
	// that it stops (see scanStop).
	reported int
	// The escape bytes of the secret windows (lazy, at lazyCost units
	// each) not yet counted, and at most what they can cost (see
	// affordLazy).
	lazy     []window
	lazyCost int
	lazyMax  int
}

// affordLazy is afford for the secret windows of findSecrets, which
// stay in m.windows: when all of them fit whatever they hold, each byte
// is charged now and their escape bytes (the cost of reading them a byte
// at a time) only when a decision needs the exact sum: when the budget
// could be spent counting them (lazyMax), when a candidate marks the
// budget for a refund (workMark), and before a sub-scan shares the
// budget. The decisions are those of counting at once (every test of
// the budget counts first when the count could change its answer), and
// most files, which spend a small part of their allowance and hold no
// candidate, never count: counting cost 0.8 M instructions a pass of
// the detector tests, through the commands' path.
func (m *match) affordLazy(ws []window, cost int) []window {
	w := m.work
	if w == nil {
		return ws
	}
	m.resolve()
	n := 0
	for _, x := range ws {
		n += x.hi - x.lo
	}
	if len(ws) == 0 || m.limit > 0 && ws[len(ws)-1].hi > m.cut || n*(1+cost) > w.allow-w.spent {
		return m.afford(ws, cost)
	}
	w.spent += n
	w.lazy, w.lazyCost, w.lazyMax = ws, cost, n*cost
	return ws
}

// resolve counts the escape bytes affordLazy left, and charges them.
func (m *match) resolve() {
	w := m.work
	if w == nil || w.lazy == nil {
		return
	}
	masks := m.byteMasks()
	for _, x := range w.lazy {
		if x.lo >= x.hi {
			continue
		}
		if masks != nil {
			masks.ensure(x.lo, x.hi)
			w.spent += w.lazyCost * masks.specials(x.lo, x.hi)
		} else {
			w.spent += w.lazyCost * m.escapeBytes(x.lo, x.hi)
		}
	}
	w.lazy, w.lazyMax = nil, 0
}

// afford returns what of the windows ws, in order, the input's check
// budget affords, charging it: the windows up to where the budget runs
// out, the last cut there (one window may be as long as the input: the
// keywords' windows on one long line merge). The windows, or parts, left
// are counted unchecked. A window costs a unit a byte and cost units for
// each byte that may start an escape (\ % & +): where those are dense the
// readers of windows (runsIn, markWindows, escapeRuns) step a byte at a
// time, and cost ten times what they cost elsewhere.
func (m *match) afford(ws []window, cost int) []window {
	w := m.work
	if w == nil {
		return ws
	}
	m.resolve()
	masks := m.byteMasks()
	for i, x := range ws {
		if m.limit > 0 && x.lo >= m.cut {
			break // past the limit: what the rest finds is counted, not checked
		}
		if w.spent >= w.allow {
			w.unchecked += len(ws) - i
			return ws[:i]
		}
		if n := x.hi - x.lo; n*(1+cost) <= w.allow-w.spent { // it fits whatever it holds
			if masks != nil && n > 0 {
				// escapeBytes, without its calls: a window costs this
				// much per keyword (perf17.md: 8,300 windows a pass of
				// the detector tests, 250 bytes each).
				masks.ensure(x.lo, x.hi)
				n += cost * masks.specials(x.lo, x.hi)
			} else {
				n += cost * m.escapeBytes(x.lo, x.hi)
			}
			w.spent += n
			continue
		}
		// 64 bytes at a time, up to where the budget runs out.
		for lo := x.lo; lo < x.hi; {
			hi := min(x.hi, (lo+64)&^63)
			w.spent += hi - lo + cost*m.escapeBytes(lo, hi)
			lo = hi
			if w.spent >= w.allow && lo < x.hi {
				w.unchecked += len(ws) - i
				ws[i].hi = lo
				return ws[:i+1]
			}
		}
	}
	return ws
}

// escapeBytes counts the bytes of data[lo:hi] that may start an escape
// (\ % & +): from the masks where there are, else byte by byte (the same
// count: masks_test.go).
func (m *match) escapeBytes(lo, hi int) int {
	if lo >= hi {
		return 0
	}
	if x := m.byteMasks(); x != nil {
		x.ensure(lo, hi)
		return x.specials(lo, hi)
	}
	n := 0
	for _, c := range m.data[lo:hi] {
		if c == '\\' || c == '%' || c == '&' || c == '+' {
			n++
		}
	}
	return n
}

// spent reports whether the input's check budget is spent, and counts the
// step asked about as unchecked then.
func (m *match) spent() bool {
	w := m.work
	if w == nil || w.spent+w.lazyMax < w.allow { // inlined: most questions
		return false
	}
	return m.spentNear()
}

// spentNear is spent once the budget is near its end: the escape bytes
// not yet counted are counted first (see affordLazy).
func (m *match) spentNear() bool {
	m.resolve()
	if w := m.work; w.spent >= w.allow {
		w.unchecked++
		return true
	}
	return false
}

// spend charges cost to the input's check budget and reports whether the
// step may be taken: false, and the step counted unchecked, once the
// budget is spent. Without a budget every step may be taken.
func (m *match) spend(s step) bool {
	w := m.work
	if w == nil {
		return true
	}
	if w.spent+w.lazyMax >= w.allow && m.spentNear() {
		return false
	}
	w.spent += stepCost[s]
	w.taken[s]++
	return true
}

// queueCost is what an anchor that queues later work (a base64 or hex
// run to decode, a session token's run to read) costs when the prefilter
// reports it: about what the prefilter spends on it. Text made of such
// anchors (a small hex run every 21 bytes) then spends its budget while
// the prefilter runs, which stops it (scanStop); the work they queue is
// charged again when it is done (decodeStep, tokenStep).
const queueCost = 64

// escapedACost is what an escaped A (\u0041, \x41, &#65;) costs as the
// prefilter reports it: the anchors in a row make one window of the
// escape decoder, charged when it is read (escapeEscapeCost), but the
// prefilter spends 30 ns on each (a chain of escaped key-ID heads on
// every line ran at 130 MB per CPU second at 16 MiB).
const escapedACost = 32

// queue charges cost for an anchor that queues work. It is not counted
// as a step: the spent budget stops the prefilter at the next anchor
// (run).
func (m *match) queue(cost int) {
	if w := m.work; w != nil {
		w.spent += cost
	}
}

// spendBytes is spend for a step that reads n bytes besides, at per
// units a byte.
func (m *match) spendBytes(s step, n, per int) bool {
	if !m.spend(s) {
		return false
	}
	m.costBytes(n, per)
	return true
}

// costBytes charges n bytes read, at per units a byte, to a step already
// under way (see spendBytes): what a step reads is known only once read.
func (m *match) costBytes(n, per int) {
	if w := m.work; w != nil {
		w.spent += n * per
	}
}

// workLeft is how many units the input's check budget still holds, or -1
// where there is no budget.
func (m *match) workLeft() int {
	if m.work == nil {
		return -1
	}
	m.resolve()
	return max(0, m.work.allow-m.work.spent)
}

// spendAt is spend for a step at position at, which is free past the cut
// of max_findings_per_file: what it finds there is counted unchecked
// (match.past), a constant a byte, not kept.
func (m *match) spendAt(at int, s step) bool {
	if m.limit > 0 && at >= m.cut {
		return true
	}
	return m.spend(s)
}

// workMark is where the input's budget stands, for refund.
func (m *match) workMark() int {
	if m.work == nil {
		return 0
	}
	m.resolve() // what was spent before the mark stays spent
	return m.work.spent
}

// refund gives back what the steps since mark cost, for a candidate that
// is kept: the candidates kept are bounded by max_findings_per_file, so a
// file made of keys costs what the limit allows, and its keys do not
// spend the budget meant for checks that find nothing. The refunds are
// bounded so too, for the input and its sub-scans together: each decoded
// run is scanned with a limit of its own, and text of base64 runs each
// holding a few keys had every check of every run refunded. The bound is
// the limit, not one for key IDs and one for secrets: a file of more
// than limit/2 key pairs is made of keys, and a kept candidate costs 5 to
// 10 µs (hex of key pairs ran at 110 MB per CPU second at 16 MiB).
func (m *match) refund(mark int) {
	if w := m.work; w != nil && m.limit > 0 && w.kept < m.limit {
		w.spent = mark
		w.kept++
	}
}

// cost charges a step of a check already under way (see spend).
func (m *match) cost(s step) {
	if w := m.work; w != nil {
		w.spent += stepCost[s]
		w.taken[s]++
	}
}
