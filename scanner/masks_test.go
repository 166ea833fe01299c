package scanner

import (
	"bytes"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// masksInput is random bytes weighted towards the classes the masks mark,
// n long.
func masksInput(r *rand.Rand, n int) []byte {
	const common = "\n\\%&+\"'`#;/=: aAzZ09u_\t\r"
	d := make([]byte, n)
	for i := range d {
		if r.IntN(3) == 0 {
			d[i] = byte(r.IntN(256))
		} else {
			d[i] = common[r.IntN(len(common))]
		}
	}
	return d
}

// dirtyPool returns a pool holding masks whose memory is garbage, as a
// pool's masks are after another input: newByteMasks does not clear it, and
// a question must read only the blocks it built (ensure).
func dirtyPool(r *rand.Rand, n int) *sync.Pool {
	p := new(sync.Pool)
	x := &byteMasks{pool: p, buf: make([]uint64, 4*((n+63)/64))}
	for i := range x.buf {
		if r.IntN(2) == 0 {
			x.buf[i] = ^uint64(0)
		} else {
			x.buf[i] = r.Uint64() | r.Uint64()
		}
	}
	p.Put(x)
	return p
}

// TestMaskKernelMatchesBytes: the kernel's masks (where there is one) are
// the byte-by-byte ones, for every byte value and on random inputs of
// every length around the block sizes.
func TestMaskKernelMatchesBytes(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	r := rand.New(rand.NewPCG(1, 9))
	inputs := [][]byte{all}
	for _, n := range []int{1, 63, 64, 65, 127, 128, 4095, 4096, 4097, 8192 + 77, 20000} {
		inputs = append(inputs, masksInput(r, n))
	}
	for _, d := range inputs {
		for _, open := range []bool{true, false} { // the brackets asked for, or not
			x := &byteMasks{data: d}
			w := (len(d) + 63) / 64
			x.nl, x.special, x.quote, x.stop = make([]uint64, w), make([]uint64, w), make([]uint64, w), make([]uint64, w)
			if open {
				x.open = make([]uint64, w)
			}
			x.built, x.esc = make([]bool, len(d)>>maskBlockShift+1), make([]bool, len(d)>>maskBlockShift+1)
			x.ensure(0, len(d))
			checkEscBlocks(t, x, d)
			for k := 0; k < w; k++ {
				var nl, sp, q, st, op uint64
				maskWords(d[k*64:min(len(d), k*64+64)], &nl, &sp, &q, &st, &op)
				xop := op // no open mask: nothing to compare
				if open {
					xop = x.open[k]
				}
				if x.nl[k] != nl || x.special[k] != sp || x.quote[k] != q || x.stop[k] != st || xop != op {
					t.Fatalf("len %d word %d open %v: kernel %x %x %x %x %x, bytes %x %x %x %x %x", len(d), k, open, x.nl[k], x.special[k], x.quote[k], x.stop[k], xop, nl, sp, q, st, op)
				}
			}
		}
	}
}

// TestMasksAnswerAsBytes: the line, stop and special questions answered on
// the masks give the answers of the byte-reading code they replace.
func TestMasksAnswerAsBytes(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		d := masksInput(r, 1+r.IntN(9000))
		if r.IntN(4) == 0 { // long lines
			for i := range d {
				if d[i] == '\n' && r.IntN(8) != 0 {
					d[i] = 'x'
				}
			}
		}
		x := newByteMasks(d, dirtyPool(r, len(d)), true)
		var li lineIndex
		for range 200 {
			i := r.IntN(len(d) + 1)
			n := r.IntN(10)
			hi := min(len(d), i+r.IntN(1300))
			if got, want := x.forwardNL(i, n, hi), li.forward(d, i, n, hi); got != want {
				t.Fatalf("forward(%d, %d, %d) = %d, want %d", i, n, hi, got, want)
			}
			lo := max(0, i-r.IntN(1300))
			if got, want := x.backNL(i, n, lo), li.back(d, i, n, lo); got != want {
				t.Fatalf("back(%d, %d, %d) = %d, want %d", i, n, lo, got, want)
			}
			if i+40 <= len(d) {
				if got, want := x.lastStop(d, i), lastStop(d, i); got != want {
					t.Fatalf("lastStop(%d) = %d, want %d", i, got, want)
				}
			}
		}
	}
}

// escapesInput is masksInput with escapes (\u0041, \u{41}, %41, &#65;, U+0041),
// joined literals and long runs of key characters spliced in: the text
// runsIn and markWindows read differently on the masks.
func escapesInput(r *rand.Rand, n int) []byte {
	d := masksInput(r, n)
	pieces := []string{`\u0041`, `\u{41}`, `\u`, `\\u00`, `%41`, `%u0041`, `&#65;`, `U+0041`, `u+`, `\x41`, `\n`, `"ab" + "cd"`, `'x' 'y'`, "`a`+", `" . "`,
		"a\u200bb", "Z\u00ad9", "a\ufeffb", "x\u2060y", "a<wbr>b", "a&shy;b", "a&#8203;b", "a&ZeroWidthSpace;b", "\u2014", "\u00e9", "'A', 'K', ", `"x","y",`,
		`a\-b`, `a\allowbreak b`, `a{\hskip0pt}b`, `a\nobreak\hspace{0pt}b`, "a%\nb", "a% cut\n  b", `a\penalty0 b`, `a\linebreak[0]b`,
		`join("", ["ab", "cd"])`, `"".join(['ab', 'cd'])`, `["ab", "cd"].join("")`, `"ab${"cd"}ef"`, `{"a": ["b"], "c"}`,
		"A\x1b[01;31m\x1b[KKIA", "\x1b[m\x1b[K"}
	for k := r.IntN(n/8 + 1); k > 0; k-- {
		at := r.IntN(len(d))
		if r.IntN(3) == 0 {
			for j := at; j < min(len(d), at+30+r.IntN(40)); j++ {
				d[j] = "abcXYZ019+/"[r.IntN(11)]
			}
		} else {
			copy(d[at:], pieces[r.IntN(len(pieces))])
		}
	}
	return d
}

// TestLongStartsAnswersAsBits: longStarts marks exactly the bits with 40
// clear stop bits from them on, across the word edge, for random and sparse words.
func TestLongStartsAnswersAsBits(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	sparse := func() uint64 {
		var w uint64
		for k := r.IntN(4); k > 0; k-- {
			w |= 1 << r.IntN(64)
		}
		return w
	}
	for n := range 20000 {
		stop, next := r.Uint64(), r.Uint64()
		if n%2 == 0 {
			stop, next = sparse(), sparse()
		}
		var want uint64
		for b := range 64 {
			clear := true
			for k := b; k < b+40; k++ {
				word := stop
				if k >= 64 {
					word = next
				}
				if word>>(k&63)&1 != 0 {
					clear = false
				}
			}
			if clear {
				want |= 1 << b
			}
		}
		if got := longStarts(stop, next); got != want {
			t.Fatalf("longStarts(%x, %x) = %x, want %x", stop, next, got, want)
		}
	}
}

// TestMaskedWindowsAnswerAsBytes: runsIn and markWindows on the masks find
// the runs and make the marks, in the same order, that they do reading the
// bytes, around every block and word edge.
func TestMaskedWindowsAnswerAsBytes(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(7, 8))
	runs := func(d []byte, x *byteMasks, lo, hi int) (out []run) {
		runsIn(d, x, lo, hi, 54, func(r run) { out = append(out, r) })
		return out
	}
	for n := range 400 {
		d := escapesInput(r, 1+r.IntN(9000))
		if n%5 == 0 { // lines of key characters and escapes only
			for i := range d {
				if !inRun[d[i]] && r.IntN(6) != 0 {
					d[i] = "aZ\\u0"[r.IntN(5)]
				}
			}
		}
		if n%4 == 1 { // ESC in the first block only: markCSI reads the others' windows not at all
			for i := 1 << maskBlockShift; i < len(d); i++ {
				if d[i] == 0x1b {
					d[i] = ' '
				}
			}
		}
		x := newByteMasks(d, dirtyPool(r, len(d)), true)
		var ws []window
		for at := 0; at < len(d); {
			lo := at + r.IntN(300)
			hi := min(len(d), lo+r.IntN(2000))
			if r.IntN(8) == 0 {
				lo = (lo &^ 63) + []int{0, 1, 63}[r.IntN(3)]
				hi = max(lo, min(len(d), lo+r.IntN(130)))
			}
			if lo > len(d) {
				break
			}
			ws = append(ws, window{lo, hi})
			at = hi + 1
			if got, want := runs(d, x, lo, hi), runs(d, nil, lo, hi); !reflect.DeepEqual(got, want) {
				t.Fatalf("runsIn(%d, %d) on the masks: %v, reading the bytes: %v", lo, hi, got, want)
			}
		}
		masked := &match{data: d, windows: ws, joins: 2, masks: x, masksMade: true}
		plain := &match{data: d, windows: ws, joins: 2, masksMade: true}
		masked.markWindows()
		plain.markWindows()
		if !slices.Equal(masked.escMarks, plain.escMarks) || !slices.Equal(masked.joinMarks, plain.joinMarks) || !slices.Equal(masked.lists, plain.lists) {
			t.Fatalf("marks on the masks: %v %v, reading the bytes: %v %v", masked.escMarks, masked.joinMarks, plain.escMarks, plain.joinMarks)
		}
	}
}

// TestMaskedJoinAtAsBytes: at every quote of text full of quotes, joins and
// line breaks, joinAt on the masks says what joinAt reading the bytes says.
func TestMaskedJoinAtAsBytes(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(17, 18))
	const pieces = "\"'`+ .\n\t/#abc"
	for range 300 {
		d := make([]byte, 1+r.IntN(3000))
		for i := range d {
			switch r.IntN(4) {
			case 0:
				d[i] = pieces[r.IntN(len(pieces))]
			case 1:
				d[i] = byte(r.IntN(256))
			default:
				d[i] = "ab_ cd"[r.IntN(6)]
			}
		}
		switch r.IntN(3) {
		case 0: // long lines: the quote that opens a literal far back
			for i := range d {
				if d[i] == '\n' {
					d[i] = ' '
				}
			}
		case 1: // literals about maxLiteralBytes long, joined
			for i := range d {
				d[i] = "a b"[r.IntN(3)]
			}
			for i := r.IntN(20); i+4 < len(d); i += maxLiteralBytes - 4 + r.IntN(10) {
				copy(d[i:], `" + "`)
			}
		}
		x := newByteMasks(d, new(sync.Pool), true)
		for i, c := range d {
			if quoteClass[c] == 0 {
				continue
			}
			gk, gok := x.joinAt(d, i)
			wk, wok := joinAt(d, i)
			if gok != wok || gok && gk != wk {
				t.Fatalf("%q: joinAt(%d) on the masks %d %v, reading the bytes %d %v", d, i, gk, gok, wk, wok)
			}
		}
	}
}

// TestReusedMasksAnswerAsFresh: the masks of a scan come from the pool
// holding a previous scan's, whose blocks hold that input's bits; a scan
// through a used Scanner finds what a fresh one finds.
func TestReusedMasksAnswerAsFresh(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	g := fakekey.New(6)
	used, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for range 40 {
		// A large input full of the marked bytes, then a smaller one.
		used.ScanAll("big.txt", masksInput(r, 20000+r.IntN(20000)))
		small := masksInput(r, 300+r.IntN(9000))
		copy(small[r.IntN(len(small)-70):], "\naws_secret_access_key = \""+g.Secret()+"\"\n")
		fresh, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, want := used.ScanAll("s.env", small), fresh.ScanAll("s.env", small)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("a used Scanner found %v, a fresh one %v", got, want)
		}
		found += len(want)
	}
	if found == 0 {
		t.Fatal("no secret found in any input: the test compares nothing")
	}
}

// nextLongFresh is nextLong as it was before the \u cursor: it reads the
// special words from i's on at every question (the reference for
// TestNextLongAnswersAsFresh).
func (x *byteMasks) nextLongFresh(d []byte, i, end int) (p, q int) {
	p, q = end, -1
	stop, special := x.stop, x.special
	first := ^uint64(0) << (i & 63)
	last := (end + 38) >> 6
	for w := i >> 6; w <= last && w < len(special); w++ {
		for b := special[w] & first; b != 0; b &= b - 1 {
			if k := w<<6 + bits.TrailingZeros64(b); d[k] == '\\' && k+1 < len(d) && d[k+1] == 'u' {
				return p, k
			}
		}
		if w<<6 >= p {
			continue
		}
		var next uint64
		if w+1 < len(stop) {
			next = stop[w+1]
		}
		if l := longStarts(stop[w], next) & first; l != 0 {
			p = min(end, w<<6+bits.TrailingZeros64(l))
			last = (p + 38) >> 6
		}
		first = ^uint64(0)
	}
	return p, q
}

// TestNextLongAnswersAsFresh: leap (nextLong), with its \u cursor carried from
// question to question as runsIn carries it, answers every question as
// reading the words afresh does, on text of long runs, backslashes and
// \u escapes, with questions a byte to a few hundred bytes apart.
func TestNextLongAnswersAsFresh(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(21, 22))
	asked := 0
	for n := range 600 {
		d := escapesInput(r, 40+r.IntN(6000))
		switch n % 3 {
		case 0: // stretches of backslashes, key characters and \u
			for i := range d {
				if r.IntN(12) != 0 {
					d[i] = `\\\\\\aZ0u`[r.IntN(10)]
				}
			}
		case 1: // mostly run bytes, a stop now and then
			for i := range d {
				if !inRun[d[i]] && r.IntN(20) != 0 {
					d[i] = `\a%&`[r.IntN(4)]
				}
			}
		}
		x := newByteMasks(d, new(sync.Pool), true)
		if len(d) < 40 {
			continue
		}
		for range 4 {
			lo := r.IntN(len(d) - 39)
			hi := min(len(d), lo+1+r.IntN(3000))
			end := min(hi, len(d)-39)
			x.ensure(lo, end+39)
			var u uCursor
			for i := lo; i < end; i += 1 + r.IntN([]int{2, 8, 300}[r.IntN(3)]) {
				p, q := x.leap(d, i, end, &u)
				wp, wq := x.nextLongFresh(d, i, end)
				if q != wq || q < 0 && p != wp {
					t.Fatalf("len %d, nextLong(%d, %d) = %d, %d; read afresh: %d, %d", len(d), i, end, p, q, wp, wq)
				}
				asked++
			}
		}
	}
	if asked < 10000 {
		t.Fatalf("only %d questions asked", asked)
	}
}

// FuzzMasks holds the mask kernel to maskWords, word by word, and joinAt on
// the masks to joinAt reading the bytes, at every quote, on fuzzed bytes.
func FuzzMasks(f *testing.F) {
	if !haveMaskKernel {
		f.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{1, 63, 64, 65, 300, 4097} {
		f.Add(masksInput(r, n))
	}
	f.Add([]byte(`x := "AK" + "IA" + 'q'` + "\n\t\"a\" +\n \"b\""))
	f.Fuzz(func(t *testing.T, d []byte) {
		if len(d) == 0 {
			return
		}
		x := newByteMasks(d, new(sync.Pool), true)
		x.ensure(0, len(d))
		checkEscBlocks(t, x, d)
		for k := 0; k < len(x.nl); k++ {
			var nl, sp, q, st, op uint64
			maskWords(d[k*64:min(len(d), k*64+64)], &nl, &sp, &q, &st, &op)
			if x.nl[k] != nl || x.special[k] != sp || x.quote[k] != q || x.stop[k] != st || x.open[k] != op {
				t.Fatalf("word %d: kernel %x %x %x %x %x, bytes %x %x %x %x %x", k, x.nl[k], x.special[k], x.quote[k], x.stop[k], x.open[k], nl, sp, q, st, op)
			}
		}
		checkLineQuestions(t, x, d)
		for i, c := range d {
			if quoteClass[c] == 0 {
				continue
			}
			gk, gok := x.joinAt(d, i)
			wk, wok := joinAt(d, i)
			if gok != wok || gok && gk != wk {
				t.Fatalf("joinAt(%d) on the masks %d %v, reading the bytes %d %v", i, gk, gok, wk, wok)
			}
		}
	})
}

// TestRunsInAtBlockEdges: a window that ends just before a block of the
// masks, with a run that starts in the window and goes on into that block,
// not built yet (its memory garbage): runsIn on the masks finds the run
// that reading the bytes finds, and none that is not there.
// checkEscBlocks holds the kernel's ESC flag of each block built (all of
// d's) to a search of the block's bytes, and escIn of random spans to the
// flags.
func checkEscBlocks(t *testing.T, x *byteMasks, d []byte) {
	t.Helper()
	for b := 0; b<<maskBlockShift < len(d); b++ {
		blk := d[b<<maskBlockShift : min(len(d), (b+1)<<maskBlockShift)]
		if want := bytes.IndexByte(blk, 0x1b) >= 0; x.esc[b] != want {
			t.Fatalf("block %d of %d bytes: ESC flag %v, the bytes say %v", b, len(d), x.esc[b], want)
		}
	}
	for lo := 0; lo < len(d); lo += 1 + lo/3 {
		for _, hi := range []int{lo + 1, lo + 64, lo + 4096, lo + 9000} {
			hi = min(hi, len(d))
			want := bytes.IndexByte(d[lo>>maskBlockShift<<maskBlockShift:min(len(d), (hi-1)>>maskBlockShift<<maskBlockShift+1<<maskBlockShift)], 0x1b) >= 0
			if got := x.escIn(lo, hi); got != want {
				t.Fatalf("escIn(%d, %d) of %d bytes = %v, the blocks' bytes say %v", lo, hi, len(d), got, want)
			}
		}
	}
}

// checkLineQuestions holds forwardNL and backNL to the byte search at
// every 7th place of d, with findSecrets' questions (8 lines on within 600
// bytes, one back within 200) and the extremes.
func checkLineQuestions(t *testing.T, x *byteMasks, d []byte) {
	t.Helper()
	var li lineIndex
	for i := 0; i <= len(d); i += 7 {
		for _, q := range [...][2]int{{0, 0}, {1, 200}, {8, 600}, {20, len(d)}} {
			hi, lo := min(len(d), i+q[1]), max(0, i-q[1])
			if got, want := x.forwardNL(i, q[0], hi), li.forward(d, i, q[0], hi); got != want {
				t.Fatalf("forwardNL(%d, %d, %d) = %d, the bytes say %d", i, q[0], hi, got, want)
			}
			if got, want := x.backNL(i, q[0], lo), li.back(d, i, q[0], lo); got != want {
				t.Fatalf("backNL(%d, %d, %d) = %d, the bytes say %d", i, q[0], lo, got, want)
			}
		}
	}
}

func TestRunsInAtBlockEdges(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(17, 18))
	edge := 1 << maskBlockShift
	for _, long := range []int{39, 40, 41, 60} {
		for start := edge - 45; start < edge; start++ {
			d := masksInput(r, 3*edge)
			for i := range d {
				if inRun[d[i]] && r.IntN(3) != 0 {
					d[i] = ' ' // short runs only, but for the one placed below
				}
			}
			d[start-1], d[start+long] = ' ', ' '
			for i := start; i < start+long; i++ {
				d[i] = "aZ09+/"[r.IntN(6)]
			}
			for _, lo := range []int{start - 30, start, start + 1} {
				for _, hi := range []int{start, start + 1, edge - 1, edge} {
					if hi < lo {
						continue
					}
					var got, want []run
					x := newByteMasks(d, dirtyPool(r, len(d)), true)
					runsIn(d, x, lo, hi, 54, func(r run) { got = append(got, r) })
					runsIn(d, nil, lo, hi, 54, func(r run) { want = append(want, r) })
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("run of %d at %d, runsIn(%d, %d) on the masks: %v, reading the bytes: %v", long, start, lo, hi, got, want)
					}
				}
			}
		}
	}
}

// TestBitsAtAsBytes: bitsAt's bits for [lo, hi) are the newlines of those
// bytes, with only the blocks holding them built (the memory after them
// garbage from the pool), at every offset in a word and across block edges.
func TestBitsAtAsBytes(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(25, 1))
	for range 300 {
		n := 1 + r.IntN(3<<maskBlockShift)
		d := masksInput(r, n)
		for range 40 {
			x := newByteMasks(d, dirtyPool(r, n), false)
			lo := r.IntN(n)
			if r.IntN(3) == 0 { // at a block's end
				lo = max(0, min(n-1, (lo>>maskBlockShift+1)<<maskBlockShift-r.IntN(70)))
			}
			hi := min(n, lo+1+r.IntN(64))
			x.ensure(lo, hi)
			var want uint64
			for i := lo; i < hi; i++ {
				if d[i] == '\n' {
					want |= 1 << (i - lo)
				}
			}
			if got := x.bitsAt(x.nl, lo, hi); got != want {
				t.Fatalf("len %d: bitsAt(nl, %d, %d) = %#x, want %#x", n, lo, hi, got, want)
			}
		}
	}
}

// TestSecretWindowsAsWithoutMasks: findSecrets on the byte masks (the
// lines around the keywords counted by forwardNL and backNL, and a keyword
// on the line of the one before taking its answers: sameLines) opens the
// windows, and charges the bytes looked at, that it opens and charges
// reading the bytes, for keyword-dense text: keywords on every line,
// several on one, lines short and long and blank, across blocks.
func TestSecretWindowsAsWithoutMasks(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(41, 42))
	g := fakekey.New(43)
	names := []string{"secret_key", "aws_secret_access_key", "client_secret", "SecretAccessKey", "secret", "password", "AWS_SESSION_TOKEN", "x"}
	windows := 0
	for n := range 150 {
		var b bytes.Buffer
		for b.Len() < 300+r.IntN(12000) {
			switch r.IntN(6) {
			case 0: // two keywords on one line
				b.WriteString(names[r.IntN(len(names))] + " = " + names[r.IntN(len(names))] + "\n")
			case 1: // a long line
				b.WriteString(names[r.IntN(len(names))] + ": " + strings.Repeat("word ", r.IntN(300)) + "\n")
			case 2: // blank lines
				b.WriteString(strings.Repeat("\n", r.IntN(12)))
			default:
				b.WriteString(strings.Repeat(" ", r.IntN(8)) + names[r.IntN(len(names))] + ` = "` + g.Secret() + `"` + "\n")
			}
		}
		d := b.Bytes()
		m, p := newMatch(sc, "a.cfg", d), newMatch(sc, "a.cfg", d)
		p.masksMade = true // the way without byte masks
		m.run()
		p.run()
		if m.masks == nil {
			t.Fatalf("text %d: no masks made", n)
		}
		if !slices.Equal(m.windows, p.windows) || m.looked != p.looked {
			t.Fatalf("text %d: windows on the masks %v (looked %d), reading the bytes %v (looked %d)", n, m.windows, m.looked, p.windows, p.looked)
		}
		windows += len(m.windows)
		m.release()
		p.release()
	}
	if windows < 150 {
		t.Fatalf("only %d windows: the texts do not test findSecrets", windows)
	}
}
