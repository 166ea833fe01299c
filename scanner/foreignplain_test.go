package scanner

import (
	"bytes"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
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
		x := newByteMasks(d, new(sync.Pool))
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
