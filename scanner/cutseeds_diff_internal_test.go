package scanner

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The functions as they stood before review16 bounded their
// reads: the differential tests below hold the new ones to the same
// answers on random and adversarial texts.

func oldB64Cut(d []byte, at int) int {
	if r := b64RunEnd(d, at); r-at <= cutReach && r < len(d) && fullLine(d, r) {
		if ns := nextCutLine(d, r); ns >= 0 {
			if a := cutAnchor(d, r, ns); a >= 0 {
				return a
			}
		}
	}
	s := escLineStart(d, classRunStart(d, at, &notSecret))
	if s <= at && at-s <= cutReach && s > 0 {
		if pe := prevCutLine(d, s); pe >= 0 && fullLine(d, pe) {
			return cutAnchor(d, pe, s)
		}
	}
	return -1
}

func oldMarkupPrefixSeeds(d []byte, kind markupKind, seeds []window) []window {
	for i := 0; i < len(d); {
		k := bytes.IndexByte(d[i:], '<')
		if k < 0 {
			break
		}
		p := i + k
		if w, ok := oldSplitPrefixAt(d, p, kind, finalView); ok {
			seeds = append(seeds, w)
		} else if kind == officeXML {
			// an office part's other views, each asked when the one
			// before found none
			for _, v := range officeViews(d) {
				if w, ok := oldSplitPrefixAt(d, p, kind, v); ok {
					seeds = append(seeds, w)
					break
				}
			}
		}
		i = p + 1
	}
	if kind == htmlMarkup {
		return seeds
	}
	for i := 0; i < len(d); {
		k := bytes.Index(d[i:], cdataEnd)
		if k < 0 {
			break
		}
		p := i + k
		if w, ok := oldSplitPrefixAt(d, p, kind, finalView); ok {
			seeds = append(seeds, w)
		}
		i = p + len(cdataEnd)
	}
	return seeds
}

func oldSplitPrefixAt(d []byte, p int, kind markupKind, view officeView) (window, bool) {
	j := p
	for j > 0 && p-j < 3 && isUpper(d[j-1]) {
		j--
	}
	if j == p || j > 0 && isWord(d[j-1]) {
		return window{}, false
	}
	var got [4]byte
	n := copy(got[:], d[j:p])
	for q, end := p, min(len(d), p+prefixReach(kind)); n < 4 && q < end; {
		if e := oldSkipMarkup(d[q:end], kind, view); e > 0 {
			q += e
			continue
		}
		if !isUpper(d[q]) {
			break
		}
		got[n] = d[q]
		n++
		q++
	}
	switch string(got[:n]) {
	case "AKIA", "ASIA", "ABIA", "ACCA":
		return window{j, p}, true
	}
	return window{}, false
}

func oldSkipMarkup(b []byte, kind markupKind, view officeView) int {
	xml := kind != htmlMarkup
	switch {
	case len(b) < 3:
		return 0
	case bytes.HasPrefix(b, []byte("<!--")):
		if e := bytes.Index(b[4:min(len(b), maxCommentBytes)], []byte("-->")); e >= 0 {
			return 4 + e + 3
		}
	case xml && bytes.HasPrefix(b, cdataEnd):
		return len(cdataEnd)
	case xml && bytes.HasPrefix(b, []byte("<![CDATA[")):
		return len("<![CDATA[")
	case kind != plainXML && b[0] == '<' && isTagStart(b[1]):
		if e := bytes.IndexByte(b[:min(len(b), 256)], '>'); e > 0 {
			if u := (&unseenCloses{view: view}).end(b, 0, e); kind == officeXML && u > 0 {
				return u // a deletion, a field's code
			}
			return e + 1
		}
	}
	return 0
}

// randomPieces joins n pieces drawn from pieces, with now and then a run
// of filler (so that reaches of 256 bytes, 1 KiB and 4 KiB are crossed).
func randomPieces(r *rand.Rand, pieces []string, filler string, n int) []byte {
	var b strings.Builder
	for range n {
		if r.IntN(40) == 0 {
			b.WriteString(strings.Repeat(filler, r.IntN(1200)))
			continue
		}
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return []byte(b.String())
}

// TestB64CutSameAsUnbounded: b64Cut, reading no more than its reach,
// answers as the version that read each piece's whole run did, at every
// place of random wrapped base64 (lines of every width near 60 to 76,
// plain, CRLF and escaped breaks, indentation, quotes and backslashes)
// and of long one-line runs.
func TestB64CutSameAsUnbounded(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 2))
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	breaks := []string{"\n", "\n", "\n", "\r\n", "\\n", "\\\\n", "\\r\\n", "\\u000a", "\\u000A", "\n  ", "\"\n+\"", "\n// ", " \n", "\\", "=", "\n\n", "-", "_", ".", " "}
	texts := [][]byte{[]byte(strings.Repeat("QUt", 3000)), []byte(strings.Repeat("\\nQUtJQ", 500))}
	words := []string{"AKIA", "ASIA", "aws_", "AWS_", "secret", "SECRET", "A\x00K\x00I\x00A\x00"}
	for range 400 {
		// base64 of text holding the words, at every shift, wrapped at
		// a width near the joined ones, the breaks drawn at random
		var raw strings.Builder
		for range 1 + r.IntN(6) {
			raw.WriteString(strings.Repeat("z", r.IntN(40)) + words[r.IntN(len(words))])
		}
		enc := base64.StdEncoding.EncodeToString([]byte(raw.String()))
		if r.IntN(3) == 0 {
			enc = strings.ReplaceAll(enc, "=", "")
		}
		width := 4 * (14 + r.IntN(6))
		if r.IntN(4) == 0 {
			width = 50 + r.IntN(30)
		}
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", r.IntN(3)) + string(alpha[r.IntN(len(alpha))]))
		for len(enc) > 0 {
			w := min(len(enc), width)
			if r.IntN(8) == 0 {
				w = min(len(enc), r.IntN(90))
			}
			b.WriteString(enc[:w])
			enc = enc[w:]
			b.WriteString(breaks[r.IntN(len(breaks))])
		}
		texts = append(texts, []byte(b.String()))
	}
	found := 0
	for ti, d := range texts {
		for at := range d {
			got, want := b64Cut(d, at), oldB64Cut(d, at)
			if got != want {
				t.Fatalf("text %d %q at %d: b64Cut %d, unbounded %d", ti, d, at, got, want)
			}
			if got >= 0 {
				found++
			}
		}
	}
	if found < 100 {
		t.Errorf("only %d places find a cut anchor: the texts test little", found)
	}
}

// TestMarkupPrefixSeedsSameAsPerSeed: markupPrefixSeeds, finding each
// comment's and tag's end once per file, seeds what the version that
// searched for them at every seed seeded, for each kind of markup, on
// random texts of key heads, markup and filler, and on the adversarial
// ones (unclosed openers repeated, seeds inside a comment an earlier seed
// skipped).
func TestMarkupPrefixSeedsSameAsPerSeed(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 3))
	pieces := []string{"A", "K", "I", "C", "B", "S", ">K", ">I", "[C", ">A", "-", "--->", "A<!---", "AK", "AKI", "S", " ", "x", "<", ">", "<!--", "-->", "--", "<b>", "</b>", "<b", "<!", "<![CDATA[", "]]>", "]]", "<br/>", "\n", "IA", "A<!--", "AK<!-- -->IA", "A<b></b>KIA", "<![CDATA[AK]]><![CDATA[IA",
		"<w:del>", "</w:del>", "AK<w:del>x</w:del>IA", "<w:r><w:rPr><w:vanish/></w:rPr>", "</w:r>", "<w:instrText>K"}
	texts := [][]byte{
		[]byte(strings.Repeat("A<!--", 2000)),
		[]byte(strings.Repeat("A<!-- ", 900) + "-->" + strings.Repeat("A<!-- -->", 500)),
		[]byte(strings.Repeat("A<b ", 1000) + ">" + strings.Repeat("AK<b>", 300)),
		[]byte(strings.Repeat("AK]]>", 1000)),
		[]byte("AK<!-- " + strings.Repeat("A<!-- ", 300) + "--><!-- -->IA<!-- -->" + strings.Repeat("x", 5000) + "-->"),
		// what letterAfterMarkup turns down at once, and what it lets
		// through to the walk (worst24)
		[]byte(strings.Repeat("A<!---->", 1000)),
		[]byte(strings.Repeat("A<b>", 1000)),
		[]byte(strings.Repeat("A<!---->K<!---->", 500)),
		[]byte(strings.Repeat("AC<b>C<b>A", 300) + strings.Repeat("AK<i>I<![CDATA[A]]>", 300)),
		[]byte(strings.Repeat("A<!-- >K -->x", 300) + strings.Repeat("A<b>[S", 300)),
		[]byte(strings.Repeat("A<!--", 300) + "-->" + strings.Repeat(" ", 1100) + "K" + strings.Repeat("A<b>", 300) + ">SIA"),
	}
	for range 400 {
		texts = append(texts, randomPieces(r, pieces, "y", 20+r.IntN(400)))
	}
	found := 0
	for ti, d := range texts {
		for _, kind := range []markupKind{htmlMarkup, officeXML, plainXML} {
			got, want := markupPrefixSeeds(d, kind, nil), oldMarkupPrefixSeeds(d, kind, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("text %d %q kind %d: seeds %v, per seed %v", ti, d, kind, got, want)
			}
			found += len(got)
		}
	}
	if found < 100 {
		t.Errorf("only %d seeds: the texts test little", found)
	}
}

// seedsEachAlone is markupPrefixSeeds with nothing carried from one seed
// to the next: every '<', Markdown marker and "]]>" asks splitPrefixAt
// with closes of its own, and no letterAfterMarkup turns a seed down.
func seedsEachAlone(d []byte, kind markupKind) []window {
	var seeds []window
	var views []officeView
	if kind == officeXML {
		views = officeViews(d)
	}
	at := func(p int) {
		c := newMarkupCloses()
		if w, ok := splitPrefixAt(d, p, kind, &c); ok {
			seeds = append(seeds, w)
			return
		}
		for _, v := range views {
			c := newMarkupCloses()
			c.unseen.view = v
			if w, ok := splitPrefixAt(d, p, kind, &c); ok {
				seeds = append(seeds, w)
				return
			}
		}
	}
	for p := range d {
		if d[p] == '<' {
			at(p)
		}
	}
	if kind == markdownMarkup {
		for p := range d {
			if mdMarker(d[p]) && (p == 0 || !mdMarker(d[p-1])) {
				at(p)
			}
		}
	}
	if kind.xml() {
		for i := 0; i < len(d); {
			k := bytes.Index(d[i:], cdataEnd)
			if k < 0 {
				break
			}
			at(i + k)
			i += k + len(cdataEnd)
		}
	}
	return seeds
}

// TestMarkupPrefixSeedsSameAlone: markupPrefixSeeds, which turns down
// heads whose next letter follows no end of markup within reach
// (letterAfterMarkup) and skips the '<' before such places, seeds what
// each seed asked alone seeds, for every kind of markup, Markdown's
// markers among the pieces (worst24).
func TestMarkupPrefixSeedsSameAlone(t *testing.T) {
	r := rand.New(rand.NewPCG(24, 5))
	pieces := []string{"A", "K", "I", "C", "B", "S", "AK", "AC", "ACC", "AKI", ">", "[", "<", "<!--", "-->", "<b>", "<b", "]]>", "<![CDATA[",
		"*", "**", "`", "~~", "*K", "`I", "~A", ">K", ">I", "[C", ">A", " ", "x", "\n", "AK<!-- -->IA", "A**KIA", "AS`IA`", "A<b></b>KIA"}
	texts := [][]byte{
		[]byte(strings.Repeat("A<!--", 400) + "-->" + strings.Repeat(" ", 1100) + "K" + strings.Repeat("A<b>", 300) + ">SIA"),
		[]byte(strings.Repeat("A<!---->K<!---->", 200) + "A**K**IA" + strings.Repeat("A<b>", 300)),
	}
	for range 600 {
		texts = append(texts, randomPieces(r, pieces, "y", 20+r.IntN(400)))
	}
	found := 0
	for ti, d := range texts {
		for _, kind := range []markupKind{htmlMarkup, markdownMarkup, officeXML, plainXML} {
			got, want := markupPrefixSeeds(d, kind, nil), seedsEachAlone(d, kind)
			slices.SortFunc(got, func(a, b window) int { return a.lo - b.lo })
			slices.SortFunc(want, func(a, b window) int { return a.lo - b.lo })
			if !slices.Equal(got, want) {
				t.Fatalf("text %d %q kind %d: seeds %v, alone %v", ti, d, kind, got, want)
			}
			found += len(got)
		}
	}
	if found < 200 {
		t.Errorf("only %d seeds: the texts test little", found)
	}
}

// oldCutAnchor is cutAnchor as it stood before it looked the anchors up by
// their first byte: each base64 anchor in patterns' order, at each place
// that holds characters on both sides of the break.
func oldCutAnchor(d []byte, pe, ns int) int {
	a := pe
	for a > 0 && pe-a < cutReach && isB64(d[a-1]) {
		a--
	}
	var buf [2 * cutReach]byte
	lt := copy(buf[:], d[a:pe])
	n := lt
	for i := ns; i < len(d) && i-ns < cutReach && isB64(d[i]); i++ {
		buf[n] = d[i]
		n++
	}
	w := buf[:n]
	for _, pt := range patterns {
		if pt.kind != anchorBase64 {
			continue
		}
		t := pt.text
		for p := max(0, lt-len(t)+1); p < lt && p+len(t) <= n; p++ {
			if string(w[p:p+len(t)]) == t {
				return a + p
			}
		}
	}
	return -1
}

// cutAnchorPairs are the two sides of a break: anchors cut at every
// place (the head before the break, the rest after it, most often of the
// same anchor, so that several anchors over one break test the order
// among them), between plain base64, pieces of other anchors and other
// bytes.
func cutAnchorPairs(r *rand.Rand, n int) [][2][]byte {
	var anchors []string
	for _, pt := range patterns {
		if pt.kind == anchorBase64 {
			anchors = append(anchors, pt.text)
		}
	}
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	filler := func() []byte {
		var b []byte
		for range r.IntN(6) {
			switch r.IntN(3) {
			case 0:
				b = append(b, alpha[r.IntN(len(alpha))])
			case 1:
				b = append(b, " \n-=\"\\"[r.IntN(6)])
			default:
				t := anchors[r.IntN(len(anchors))]
				b = append(b, t[:r.IntN(len(t))]...)
			}
		}
		return b
	}
	// two anchors that overlap where they agree, cut where both are cut:
	// the first in patterns' order must win, at its first place
	var both [][2][]byte
	for _, t := range anchors {
		for _, u := range anchors {
			for o := 0; o < len(t); o++ { // u starts o bytes after t
				end := max(len(t), o+len(u))
				if end-o > cutReach+cutReach || !strings.HasPrefix(u, t[o:min(len(t), o+len(u))]) {
					continue
				}
				s := t[:o] + u
				if len(t) > o+len(u) {
					s = t
				}
				for c := o + 1; c < min(len(t), o+len(u)); c++ {
					both = append(both, [2][]byte{[]byte(s[:c]), []byte(s[c:])})
				}
			}
		}
	}
	var pairs [][2][]byte
	for range n {
		if len(both) > 0 && r.IntN(4) == 0 {
			lr := both[r.IntN(len(both))]
			pairs = append(pairs, [2][]byte{append(filler(), lr[0]...), append(slices.Clone(lr[1]), filler()...)})
			continue
		}
		t, u := anchors[r.IntN(len(anchors))], anchors[r.IntN(len(anchors))]
		if r.IntN(3) > 0 {
			u = t
		}
		k := 1 + r.IntN(len(t)-1)
		pairs = append(pairs, [2][]byte{append(filler(), t[:k]...), append([]byte(u[min(k, len(u)):]), filler()...)})
	}
	return pairs
}

// TestCutAnchorSameAsEachAnchor: cutAnchor, trying each place once against
// the anchors its byte starts, answers as trying every anchor in turn did,
// at the break between texts made of anchors' pieces.
func TestCutAnchorSameAsEachAnchor(t *testing.T) {
	found := 0
	for _, lr := range cutAnchorPairs(rand.New(rand.NewPCG(26, 1)), 3000) {
		for _, br := range []string{"\n", "\r\n  ", ""} {
			d := slices.Concat(lr[0], []byte(br), lr[1])
			pe, ns := len(lr[0]), len(lr[0])+len(br)
			got, want := cutAnchor(d, pe, ns), oldCutAnchor(d, pe, ns)
			if got != want {
				t.Fatalf("%q cut at %d, %d: cutAnchor %d, each anchor %d", d, pe, ns, got, want)
			}
			if got >= 0 {
				found++
			}
		}
	}
	if found < 3000 {
		t.Errorf("only %d cuts hold an anchor: the texts test little", found)
	}
}

// FuzzCutAnchor holds cutAnchor to oldCutAnchor at every cut of any text.
func FuzzCutAnchor(f *testing.F) {
	for _, lr := range cutAnchorPairs(rand.New(rand.NewPCG(26, 2)), 20) {
		f.Add(slices.Concat(lr[0], []byte("\n"), lr[1]))
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		for pe := range len(d) + 1 {
			for ns := pe; ns <= min(len(d), pe+3); ns++ {
				if got, want := cutAnchor(d, pe, ns), oldCutAnchor(d, pe, ns); got != want {
					t.Fatalf("%q cut at %d, %d: cutAnchor %d, each anchor %d", d, pe, ns, got, want)
				}
			}
		}
	})
}

// TestLetterAfterMarkupFirst: first, which passes stretches without a
// letter of its set in the run kernel and jumps to the next byte that
// ends markup, answers as reading every byte does, for each set and both
// kinds of ends, asked in order at random steps, on texts with long
// stretches of ends without the set's letters, the set's letters
// without ends, bytes of 0x80 and more (which stop the kernel) and
// neither; with the kernel and without it.
func TestLetterAfterMarkupFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(26, 4))
	pieces := []string{">", "[", "*", "`", "~", "<b>", "<!---->", "A", "K", "S", "B", "C", "I", "x", " ", "\xc3\xa9", "\x80", "AKIA", ">K", "*S", "[C", "~A"}
	var texts [][]byte
	for range 300 {
		texts = append(texts, randomPieces(r, pieces, pieces[r.IntN(len(pieces))], 20+r.IntN(600)))
	}
	texts = append(texts, []byte(strings.Repeat("A<b>", 300)+">K"), []byte(strings.Repeat("\x80>", 100)+"[C"), []byte(strings.Repeat("K", 200)+">"+strings.Repeat("A<!---->", 100)+"*B"))
	naive := func(l *letterAfterMarkup, d []byte, x int) int {
		for y := x; y < len(d); y++ {
			if l.in[d[y]] && l.ends[d[y-1]] {
				return y
			}
		}
		return len(d)
	}
	defer setRunKernel(true)
	for _, kernel := range []bool{true, false} {
		setRunKernel(kernel)
		for _, set := range []string{"KSBCIA", "KSBC", "IC", "A"} {
			for _, ends := range []string{">[", ">[*`~"} {
				for ti, d := range texts {
					l := newLetterAfterMarkup(set, ends)
					for x := 1; x < len(d); x += 1 + r.IntN(40) {
						if got, want := l.first(d, x), naive(&l, d, x); got != want {
							t.Fatalf("text %d %q, set %s, ends %q, kernel %v: first(%d) %d, each byte %d", ti, d, set, ends, kernel, x, got, want)
						}
					}
				}
			}
		}
	}
}
