package scanner_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// nearMissLines is n lines that each cost a secret's context check and
// hold no finding: a secret-shaped value under a name that says secret
// key only beside AWS words, and none near.
func nearMissLines(g *fakekey.Gen, n int) []byte {
	var b bytes.Buffer
	for range n {
		fmt.Fprintf(&b, "secret_key = %s\n", g.Secret())
	}
	return b.Bytes()
}

// keyPair is a credentials file's profile, far enough from the lines
// before to take nothing from them, and its two values.
func keyPair(g *fakekey.Gen) (text string, values []string) {
	id, secret := g.KeyID("AKIA"), g.Secret()
	return strings.Repeat("\n# notes\n", 50) + fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", id, secret),
		[]string{id, secret}
}

// found counts the findings of fs whose value is one of values.
func found(fs scanner.Findings, values []string) int {
	n := 0
	for _, f := range fs {
		if slices.Contains(values, f.Secret) {
			n++
		}
	}
	return n
}

// TestCheckBudget: a file whose checks cost more than its allowance is
// checked up to where the budget runs out and counts the rest
// (Counts.Unchecked): the secret after that point is not found. A file
// whose checks cost less is checked whole, and so is any file with no
// budget (CheckBudget 0, the zero Options).
func TestCheckBudget(t *testing.T) {
	g := fakekey.New(41)
	plain := newScanner(t, scanner.Options{})
	budget := newScanner(t, scanner.Options{CheckBudget: 1})
	for _, c := range []struct {
		lines int
		over  bool
	}{{100, false}, {2000, false}, {20000, true}} {
		pair, values := keyPair(g)
		data := append(nearMissLines(g, c.lines), pair...)
		spent, allow, _, _ := scanner.CheckWork(plain, "near.txt", data, 0, 0)
		if over := spent > allow; over != c.over {
			t.Fatalf("%d lines: work %d against an allowance of %d, want over %v", c.lines, spent, allow, c.over)
		}
		all := plain.ScanAll("near.txt", data)
		if found(all, values) != 2 {
			t.Fatalf("%d lines, no budget: the key pair at the end not found", c.lines)
		}
		got, counts := budget.ScanAllCounted("near.txt", data, 0)
		switch {
		case !c.over && (counts.Unchecked != 0 || !cmp.Equal(got, all)):
			t.Errorf("%d lines, under the budget: %d unchecked and %d findings, want none and the %d of no budget", c.lines, counts.Unchecked, len(got), len(all))
		case c.over && (counts.Unchecked == 0 || found(got, values) == 2):
			// The key ID may be found: key IDs are checked as the anchors
			// are found, before the secrets' contexts spend the budget.
			t.Errorf("%d lines, over the budget: %d unchecked, %d of the key pair found; want some unchecked and the secret not reached", c.lines, counts.Unchecked, found(got, values))
		}
		if _, n := plain.ScanAllCounted("near.txt", data, 0); n.Unchecked != 0 {
			t.Errorf("%d lines, no budget: %d unchecked", c.lines, n.Unchecked)
		}
	}
	// At the edge: the most lines whose work is under the allowance are
	// checked whole, and one line more is not.
	lines := nearMissLines(fakekey.New(53), 20000)
	prefix := func(n int) []byte { // the first n lines
		k := 0
		for range n {
			k += bytes.IndexByte(lines[k:], '\n') + 1
		}
		return lines[:k]
	}
	under := func(n int) bool {
		spent, allow, _, _ := scanner.CheckWork(plain, "near.txt", prefix(n), 0, 0)
		return spent < allow
	}
	lo, hi := 100, 20000 // under(lo), not under(hi)
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; under(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	if _, c := budget.ScanAllCounted("near.txt", prefix(lo), 0); c.Unchecked != 0 {
		t.Errorf("%d lines, just under the budget: %d unchecked, want none", lo, c.Unchecked)
	}
	if _, c := budget.ScanAllCounted("near.txt", prefix(hi+1), 0); c.Unchecked == 0 {
		t.Errorf("%d lines, just over the budget: nothing unchecked", hi+1)
	}
}

// TestCheckBudgetDeterministic: the budget counts steps, not time, so a
// scan past it gives the same findings and the same count at any
// GOMAXPROCS and however often it runs.
func TestCheckBudgetDeterministic(t *testing.T) {
	g := fakekey.New(43)
	var b strings.Builder
	for range 10 {
		pair, _ := keyPair(g)
		b.WriteString(pair)
		b.Write(nearMissLines(g, 2000))
	}
	data := []byte(b.String())
	sc := newScanner(t, scanner.Options{CheckBudget: 1})
	type result struct {
		fs scanner.Findings
		c  scanner.Counts
	}
	var first *result
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4, 1, 2} {
		runtime.GOMAXPROCS(procs)
		fs, c := sc.ScanAllCounted("signs.txt", data, 10000)
		if c.Unchecked == 0 {
			t.Fatalf("GOMAXPROCS %d: nothing unchecked; the text must be over its budget", procs)
		}
		if first == nil {
			first = &result{fs, c}
			continue
		}
		if diff := cmp.Diff(first, &result{fs, c}, cmp.AllowUnexported(result{})); diff != "" {
			t.Errorf("GOMAXPROCS %d: not as the first scan (-first +this):\n%s", procs, diff)
		}
	}
}

// TestEscapeBytesAsPlain: the budget's count of escape bytes is the same
// from the byte masks as read byte by byte, so that a build without the
// masks' kernel (purego, other architectures) spends the same budget.
func TestEscapeBytesAsPlain(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte(`ab\%&+"` + "\n")
	for range 200 {
		data := make([]byte, 256+r.IntN(9000))
		for i := range data {
			data[i] = alphabet[r.IntN(len(alphabet))]
		}
		for range 20 {
			lo := r.IntN(len(data))
			hi := lo + r.IntN(len(data)-lo+1)
			masked, ok, plain := scanner.EscapeBytes(sc, data, lo, hi)
			if ok && masked != plain {
				t.Fatalf("[%d,%d) of %d bytes: %d from the masks, %d byte by byte", lo, hi, len(data), masked, plain)
			}
		}
	}
}
