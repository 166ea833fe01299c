package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

// hostileSigns returns text for foreign's memos: secrets beside signs on
// one long line and on lines (BenchmarkHostileLines' shapes), every
// trigger (the hosts, provider "x", GOOG and YCAJ access IDs, overlapping
// GOOGOOG, IDs glued to a letter), newlines from none to one every few
// bytes, and lines around the lengths foreign reads (1, 2 and 8 KiB).
func hostileSigns(r *rand.Rand, g *fakekey.Gen) []byte {
	pieces := []func() string{
		func() string { return "aws_secret_access_key=" + g.Secret() },
		func() string { return " GOOG endpoint " },
		func() string { return "GOOG1E" + strings.Repeat("ABCDEFGH23", 2) },
		func() string { return "xGOOG1E" + strings.Repeat("ABCDEFGH23", 2) },
		func() string { return "GOOGOOG1E" + strings.Repeat("ABCDEFGH23", 2) },
		func() string { return "GOOG1E" + strings.Repeat("AB", 7) },
		func() string { return "YCAJ" + strings.Repeat("aB-_9", 4) },
		func() string { return "aws_access_key_id = GOOG1E" + strings.Repeat("ABCDEFGH23", 2) + " " },
		func() string { return foreignHosts[r.IntN(len(foreignHosts))].host },
		func() string { h := foreignHosts[r.IntN(len(foreignHosts))].host; return h[:r.IntN(len(h))] },
		func() string { return `provider "` },
		func() string { return `provider "huaweicloud" {` },
		func() string { return "rovider \"" },
		func() string { return "provider = minio " },
		func() string { return "endpoint = http://minio:9000 " },
		func() string { return "endpoint: $ENDPOINT " },
		func() string { return "- name: AWS_ENDPOINT_URL\n  value: http://localhost:4566\n" },
		func() string { return "endpoints {\n  s3 = \"http://minio:9000\"\n}\n" },
		func() string { return "[remote]\n" },
		func() string { return "  " },
		func() string { return strings.Repeat(" pad", r.IntN(300)) },
		func() string { return "host_base = nyc3.digitaloceanspaces.com " },
		func() string { return "\n" },
	}
	nl := []int{0, 2, 20, 200, 3000}[r.IntN(5)] // a newline about every nl pieces (0: none)
	var b strings.Builder
	for n := 20 + r.IntN(1500); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))]())
		if nl > 0 && r.IntN(nl) == 0 {
			b.WriteByte('\n')
		}
	}
	d := []byte(b.String())
	if nl == 0 {
		d = bytes.ReplaceAll(d, []byte("\n"), []byte(" "))
	}
	return d
}

// TestForeignAnswersAsPlain holds foreign, with its memos (the stretch
// without newlines that lineStart and lineEnd keep, the skips over
// triggers, signIndex, triggersIn and the masks' block summaries), to
// the same match read as before them (foreignPlain), for questions asked
// as secrets ask (moving down the text) and at random.
func TestForeignAnswersAsPlain(t *testing.T) {
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(21, 22))
	g := fakekey.New(23)
	asked, said := 0, 0
	for n := range 120 {
		var d []byte
		if n%3 == 0 {
			d = signText(r, g)
		} else {
			d = hostileSigns(r, g)
		}
		m, p := newMatch(sc, "a.txt", d), newMatch(sc, "a.txt", d)
		p.foreignPlain = true
		if n%4 == 1 { // the way without byte masks
			m.masksMade, p.masksMade = true, true
		}
		step := 1 + len(d)/300
		for k := range 600 {
			s := r.IntN(len(d))
			if k < 300 { // as the secrets of a file ask
				s = min(len(d)-1, k*step+r.IntN(step))
			}
			e := min(len(d), s+1+r.IntN(60))
			byName := r.IntN(2) == 0
			want := p.foreign(s, e, byName)
			if got := m.foreign(s, e, byName); got != want {
				t.Fatalf("text %d: foreign(%d, %d, %v) = %q, read as before %q", n, s, e, byName, got, want)
			}
			lo := max(0, s-r.IntN(5000))
			hi := min(len(d), e+r.IntN(5000))
			want = p.foreignSignIn(lo, hi, byName)
			if got := m.foreignSignIn(lo, hi, byName); got != want {
				t.Fatalf("text %d: foreignSignIn(%d, %d, %v) = %q, read as before %q", n, lo, hi, byName, got, want)
			}
			asked += 2
			if want != "" {
				said++
			}
		}
		m.release()
		p.release()
	}
	if said < asked/20 {
		t.Fatalf("only %d of %d questions found a sign: the texts do not test the signs", said, asked)
	}
	t.Logf("%d questions, %d found a sign", asked, said)
}

// TestLineBoundsAnswerAsSearched holds lineStart and lineEnd, which keep a
// stretch known to hold no newline (noNL), to lineStartWithin and
// lineEndBefore, which search the bytes, for every question of long
// sequences: moving forward as foreign asks (around a position, then
// 8 KiB each way, then on), moving back, and at random; with the byte
// masks and without.
func TestLineBoundsAnswerAsSearched(t *testing.T) {
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(31, 32))
	for n := range 300 {
		d := masksInput(r, 1+r.IntN(40000))
		keep := []int{0, 1, 8, 200, 5000}[r.IntN(5)] // one newline in keep is kept (0: none)
		for i := range d {
			if d[i] == '\n' && (keep == 0 || r.IntN(keep) != 0) {
				d[i] = 'x'
			}
		}
		m := newMatch(sc, "a.txt", d)
		if n%2 == 1 {
			m.masksMade = true // no masks
		}
		pos := r.IntN(len(d) + 1)
		for k := range 400 {
			var i int
			switch mode := k / 100; {
			case mode == 0 || mode == 2: // forward, with jumps each way
				pos = min(len(d), pos+r.IntN(100))
				i = pos
				if r.IntN(3) == 0 {
					i = min(len(d), max(0, pos+r.IntN(20000)-10000))
				}
			case mode == 1: // back
				pos = max(0, pos-r.IntN(100))
				i = pos
			default:
				i = r.IntN(len(d) + 1)
			}
			limit := r.IntN(3000)
			if got, want := m.lineStart(i, limit), lineStartWithin(d, i, limit); got != want {
				t.Fatalf("text %d, question %d: lineStart(%d, %d) = %d, want %d", n, k, i, limit, got, want)
			}
			hi := min(len(d), i+r.IntN(3000))
			if got, want := m.lineEnd(i, hi), lineEndBefore(d, i, hi); got != want {
				t.Fatalf("text %d, question %d: lineEnd(%d, %d) = %d, want %d", n, k, i, hi, got, want)
			}
		}
		m.release()
	}
}

// TestMasksPassLongLines holds forwardNL and backNL, which pass words
// without a newline a block at a time (nlWords), to lineIndex on long
// inputs with few newlines or none, reaching across many blocks.
func TestMasksPassLongLines(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(41, 42))
	for range 200 {
		d := masksInput(r, 1+r.IntN(60000))
		keep := []int{0, 1, 50, 2000, 20000}[r.IntN(5)]
		for i := range d {
			if d[i] == '\n' && (keep == 0 || r.IntN(keep) != 0) {
				d[i] = 'x'
			}
		}
		x := newByteMasks(d, new(sync.Pool), true)
		var li lineIndex
		for range 300 {
			i := r.IntN(len(d) + 1)
			n := r.IntN(4)
			hi := min(len(d), i+r.IntN(30000))
			if got, want := x.forwardNL(i, n, hi), li.forward(d, i, n, hi); got != want {
				t.Fatalf("forward(%d, %d, %d) = %d, want %d", i, n, hi, got, want)
			}
			lo := max(0, i-r.IntN(30000))
			if got, want := x.backNL(i, n, lo), li.back(d, i, n, lo); got != want {
				t.Fatalf("back(%d, %d, %d) = %d, want %d", i, n, lo, got, want)
			}
		}
	}
}

// TestTriggersAnswerAsBytes holds triggersIn to the searches of the bytes
// it replaced (the first of foreignHosts, provider ", foreignID), and
// signIndex to a binary search of all the triggers, on every window
// around the triggers of sign-dense texts, the windows that cut them too.
func TestTriggersAnswerAsBytes(t *testing.T) {
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(51, 52))
	g := fakekey.New(53)
	hosts, ids, providers := 0, 0, 0
	for range 100 {
		d := hostileSigns(r, g)
		m := newMatch(sc, "a.txt", d)
		for at := 0; at <= len(d)+2; at++ {
			want := sort.Search(len(m.signAt), func(k int) bool { return m.signAt[k].at >= at })
			if at == 0 {
				want = 0 // signIndex finds the triggers first
			}
			if got := m.signIndex(at); got != want {
				t.Fatalf("signIndex(%d) = %d, want %d", at, got, want)
			}
		}
		for range 400 {
			var lo, hi int
			if len(m.signAt) > 0 && r.IntN(4) != 0 { // at a trigger's edges
				tr := m.signAt[r.IntN(len(m.signAt))]
				lo = max(0, tr.at-r.IntN(3)-30*r.IntN(2))
				hi = min(len(d), tr.at+tr.n+r.IntN(5)-2+30*r.IntN(2))
				hi = max(lo, hi)
			} else {
				lo = r.IntN(len(d))
				hi = min(len(d), lo+r.IntN(3000))
			}
			line := d[lo:hi]
			host, provider, id := m.triggersIn(lo, hi)
			if want := hostIn(line); host != want {
				t.Fatalf("triggersIn(%d, %d) host %d, want %d: %q", lo, hi, host, want, line)
			}
			if want := bytes.Contains(line, []byte(`provider "`)); provider != want {
				t.Fatalf("triggersIn(%d, %d) provider %v, want %v: %q", lo, hi, provider, want, line)
			}
			if want := foreignID(line); id != want {
				t.Fatalf("triggersIn(%d, %d) id %q, want %q: %q", lo, hi, id, want, line)
			}
			if host >= 0 {
				hosts++
			}
			if provider {
				providers++
			}
			if id != "" {
				ids++
			}
		}
		m.release()
	}
	if hosts == 0 || ids == 0 || providers == 0 {
		t.Fatalf("found %d hosts, %d IDs, %d provider blocks: the texts do not test them", hosts, ids, providers)
	}
}

// TestContainsFoldAsBefore holds containsFold, which finds a word's last
// byte first when it is not a letter, to the compare at every byte it
// replaced, on text of the word's pieces in both cases and their
// neighbours in the byte table.
func TestContainsFoldAsBefore(t *testing.T) {
	before := func(s []byte, w string) bool {
		for i := 0; i+len(w) <= len(s); i++ {
			j := 0
			for ; j < len(w); j++ {
				c := s[i+j]
				if 'a' <= c && c <= 'z' {
					c -= 'a' - 'A'
				}
				if c != w[j] {
					break
				}
			}
			if j == len(w) {
				return true
			}
		}
		return false
	}
	r := rand.New(rand.NewPCG(61, 62))
	const alphabet = "NAMEnameMmOo:;9[{@`\x00\xff \n"
	found := 0
	for _, w := range []string{"NAME:", "NAME", ":", "A:", "X-Y:"} {
		for range 20000 {
			s := make([]byte, r.IntN(24))
			for i := range s {
				s[i] = alphabet[r.IntN(len(alphabet))]
			}
			got, want := containsFold(s, w), before(s, w)
			if got != want {
				t.Fatalf("containsFold(%q, %q) = %v, want %v", s, w, got, want)
			}
			if want {
				found++
			}
		}
	}
	if found < 1000 {
		t.Fatalf("only %d texts held the word", found)
	}
}

// TestMaySignNameAsRead holds maySignName, which lets otherSign pass over
// a setting before normalising its name, to what otherSign does with the
// names it passes over: nothing (neither a storage endpoint nor a
// provider name), on names made of the words those hold, cut and cased
// every way, with separators.
func TestMaySignNameAsRead(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 72))
	words := []string{"end", "point", "End", "POINT", "endpoint", "ENDPOINT", "host", "HOST", "_b", "base", "bucket",
		"provider", "PROVIDER", "pro", "vider", "s3", "aws", "storage", "url", "_", "-", ".", "x", "9", "Endpoints",
		strings.Repeat("a", 60)}
	passed, kept := 0, 0
	for range 50000 {
		var b strings.Builder
		for n := 1 + r.IntN(5); n > 0; n-- {
			b.WriteString(words[r.IntN(len(words))])
		}
		n := []byte(b.String())
		name := normalizeKeyword(string(n))
		reads := storageEndpointName(name) || name == "provider" || strings.HasSuffix(name, "provider") && containsAny(name, storageWords)
		if maySignName(n) {
			kept++
			continue
		}
		passed++
		if reads {
			t.Fatalf("maySignName(%q) = false, but otherSign reads %q", n, name)
		}
	}
	if passed < 1000 || kept < 1000 {
		t.Fatalf("%d names passed over, %d kept: the names do not test both", passed, kept)
	}
}

// pairBefore is pair as it was before it kept the key IDs' indexes: each
// secret looked at every finding of its window.
func pairBefore(m *match, fs Findings) {
	keys := make([]string, len(fs))
	for i := range fs {
		keys[i] = m.lineKey(fs[i].Offset)
	}
	cost := func(a, b int) int {
		if keys[a] != "" && keys[a] == keys[b] {
			return -1
		}
		return abs(fs[a].Offset - fs[b].Offset)
	}
	chosen := map[int]int{}
	for i := range fs {
		f := &fs[i]
		if f.Kind == rules.AccessKeyID {
			continue
		}
		lo, hi := m.linesBack(f.Offset, 20, 4000), m.linesForward(f.EndOffset, 20, 4000)
		best, bestCost := -1, 0
		a := sort.Search(len(fs), func(j int) bool { return fs[j].EndOffset >= lo })
		for j := a; j < len(fs) && fs[j].Offset <= hi; j++ {
			k := &fs[j]
			if k.Kind != rules.AccessKeyID || f.Kind == rules.SessionToken && !strings.HasPrefix(k.Secret, "ASIA") {
				continue
			}
			if !m.sameSection(k.Offset, f.Offset) {
				continue
			}
			if c := cost(i, j); best < 0 || c < bestCost {
				best, bestCost = j, c
			}
		}
		if best < 0 {
			continue
		}
		f.Pair = fs[best].Fingerprint
		f.Severity = rules.Error
		if f.Kind != rules.SecretAccessKey {
			continue
		}
		if prev, ok := chosen[best]; !ok || cost(i, best) < cost(prev, best) {
			chosen[best] = i
		}
	}
	for k, sec := range chosen {
		fs[k].Pair = fs[sec].Fingerprint
	}
}

// TestPairAsBefore holds pair, which looks only at the key IDs of a
// secret's window, to pairBefore, on findings of every kind (ASIA and
// AKIA key IDs, secrets, session tokens) placed densely and sparsely over
// text with lines of every length, parallel names and INI sections.
func TestPairAsBefore(t *testing.T) {
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(81, 82))
	paired := 0
	for n := range 150 {
		pieces := []string{"prod: x ", "dev: y ", "\n", "\n  ", "[sec]\n", "[other]\n", "pad pad pad ", strings.Repeat("z", 200)}
		var b strings.Builder
		for k := 100 + r.IntN(3000); k > 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		d := []byte(b.String())
		var fs Findings
		for at := r.IntN(50); at < len(d)-40; at += 1 + r.IntN([]int{30, 300, 3000}[n%3]) {
			if r.IntN(3) == 0 { // on a window's edge: a newline, or 4,000 bytes past a finding
				if k := bytes.IndexByte(d[at:len(d)-40], '\n'); k >= 0 {
					at += k
				}
				if len(fs) > 0 && r.IntN(2) == 0 && fs[len(fs)-1].EndOffset+4000 >= at && fs[len(fs)-1].EndOffset+4000 < len(d)-40 {
					at = fs[len(fs)-1].EndOffset + 4000
				}
			}
			f := Finding{Offset: at, EndOffset: at + 20 + r.IntN(20), Fingerprint: string(rune('a'+len(fs)%26)) + strings.Repeat("f", len(fs)%7)}
			switch r.IntN(4) {
			case 0:
				f.Kind, f.Secret = rules.AccessKeyID, []string{"AKIA", "ASIA"}[r.IntN(2)]+"X"
			case 1:
				f.Kind = rules.SessionToken
			default:
				f.Kind = rules.SecretAccessKey
			}
			fs = append(fs, f)
		}
		m, p := newMatch(sc, "a.txt", d), newMatch(sc, "a.txt", d)
		want := slices.Clone(fs)
		m.pair(fs)
		pairBefore(p, want)
		for i := range fs {
			if fs[i].Pair != want[i].Pair || fs[i].Severity != want[i].Severity {
				t.Fatalf("text %d, finding %d (%v at %d): pair %q %v, before %q %v", n, i, fs[i].Kind, fs[i].Offset,
					fs[i].Pair, fs[i].Severity, want[i].Pair, want[i].Severity)
			}
			if fs[i].Pair != "" {
				paired++
			}
		}
		m.release()
		p.release()
	}
	if paired < 1000 {
		t.Fatalf("only %d findings paired: the texts do not test pair", paired)
	}
	// A key ID on the last byte of a secret's window (4,000 bytes on).
	d := []byte(strings.Repeat("x", 9000))
	fs := Findings{{Kind: rules.SecretAccessKey, Offset: 10, EndOffset: 50, Fingerprint: "s"},
		{Kind: rules.AccessKeyID, Offset: 4050, EndOffset: 4070, Fingerprint: "k", Secret: "AKIAX"}}
	m := newMatch(sc, "a.txt", d)
	defer m.release()
	m.pair(fs)
	if fs[0].Pair != "k" {
		t.Fatalf("a key ID on the last byte of the window: secret paired with %q, want k", fs[0].Pair)
	}
}

// TestIndentBlockAsPlain holds indentBlock, which reads whole lines from
// m.indents, to indentBlock reading every line's bounds, blankness and
// indentation from the bytes (foreignPlain): texts of indented lines,
// list items, blank lines and lines of blanks (a no-break space among
// them), tabs, CRLF, lines longer than foreign reads, and none; blocks
// asked as foreign asks (moving down the text, and a parent's head) and
// at random.
func TestIndentBlockAsPlain(t *testing.T) {
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(41, 42))
	pieces := []string{"\n", "\n", "\n", "  ", "    ", "\t", "- ", "-", " - x", "\r\n", "\u00a0", "\u00a0\n", "  \n", "key: v", "x = 1",
		"aws_secret_access_key=AbCd", "{", "}"}
	for n := range 400 {
		var b strings.Builder
		for k := 20 + r.IntN(3000); k > 0; k-- {
			if r.IntN(200) == 0 {
				b.WriteString(strings.Repeat("y", r.IntN(6000)))
			}
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		d := []byte(b.String())
		if n%10 == 0 {
			d = bytes.ReplaceAll(d, []byte("\n"), []byte(" "))
		}
		m, p := newMatch(sc, "a.txt", d), newMatch(sc, "a.txt", d)
		p.foreignPlain = true
		if n%4 == 1 {
			m.masksMade, p.masksMade = true, true
		}
		step := 1 + len(d)/300
		for k := range 600 {
			s := r.IntN(len(d) + 1)
			if k < 300 {
				s = min(len(d), k*step+r.IntN(step))
			}
			e := min(len(d), s+r.IntN(60))
			ls, le := lineStartWithin(d, s, 1024), lineEndBefore(d, e, min(len(d), e+1024))
			if k%3 == 2 { // any span, as a parent's head and its line end
				ls = r.IntN(len(d) + 1)
				le = min(len(d), ls+r.IntN(200))
			}
			lo, hi, head := m.indentBlock(ls, le)
			wlo, whi, whead := p.indentBlock(ls, le)
			if lo != wlo || hi != whi || head != whead {
				t.Fatalf("text %d: indentBlock(%d, %d) = %d, %d, %d; read as before %d, %d, %d", n, ls, le, lo, hi, head, wlo, whi, whead)
			}
		}
		m.release()
		p.release()
	}
}
