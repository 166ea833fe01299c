package scanner

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// The readers of lists as they were before their fast paths (qa14
// MEDIUM-13): every item through listItem, every separator through the
// loop.

func listSepBefore(d []byte, i int, chr bool) int {
	j, seps, lim := i, 0, i+64
	for j < len(d) && j < lim {
		switch d[j] {
		case ' ', '\t', '\n', '\r':
		case '#', '/': // comments between items (list31)
			n := listComment(d, j)
			if n == 0 {
				if seps != 1 {
					return 0
				}
				return j - i
			}
			j += n
			lim += n
			continue
		case ',':
			seps++
		case '+', '.':
			if !chr {
				return 0
			}
			seps++
		case '&', '|', '_':
			switch {
			case !chr: // no separator of a list of code points: the next item's first byte, or no item
				if seps != 1 {
					return 0
				}
				return j - i
			case d[j] == '&':
				seps++
			case d[j] == '|':
				if j+1 >= len(d) || d[j+1] != '|' {
					return 0
				}
				seps++
				j++
			case seps != 1: // VB's _ continues a line after its &
				return 0
			}
		default:
			if seps != 1 {
				return 0
			}
			return j - i
		}
		j++
	}
	return 0
}

func listRunBefore(d []byte, s int) (end, items int) {
	chr := s < len(d) && chrAt(d, s)
	i := s
	for {
		_, n := listItem(d, i)
		if n == 0 || chrItem(d, i, n) != chr {
			return end, items
		}
		items++
		end = i + n
		k := listSepBefore(d, end, chr)
		if k == 0 || end-s > maxRunBytes {
			return end, items
		}
		i = end + k
	}
}

func decodeListBefore(d []byte, w window) rewrite {
	sg := rewrite{start: w.lo, end: w.hi, encoding: "char-list"}
	chr := chrAt(d, w.lo)
	for i := w.lo; i < w.hi; {
		c, n := listItem(d, i)
		if n == 0 {
			break
		}
		sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, i), append(sg.to, i+n)
		i += n
		if i >= w.hi {
			break
		}
		i += listSepBefore(d, i, chr)
	}
	return sg
}

// listText is text of lists in every form the readers know, their
// separators, near misses of both, and key pairs written as lists.
func listText(r *rand.Rand, g *fakekey.Gen, n int) []byte {
	items := []string{"75", "73", "65", "83", "107", "32", "126", "0x41", "0X4b", "'A'", `"K"`, "chr(65)", "chr(0x41)",
		"7", "0", "012", "1234", "31", "127", "9_", "65x",
		// typed items and other chr calls (qa15 HIGH-7, MEDIUM-7)
		"b'A'", "u8'K'", "L'I'", "65u8", "0x41_u8", "75 as u8", "73 as", "0x4b.toByte()", "65.toB", "(byte)65", "(char) 0x41",
		"(byte)", "[char]65", "[char]", "byte(75)", "rune('A')", "UInt8(65)", "UInt8(ascii: \"A\")", "Chr(65)", "CHAR(75)",
		"ChrW(73)", "65.chr", "65.chrx", "65U", "65UL", "65i32", "65usize"}
	seps := []string{", ", ",", " , ", ",\n", ",\n\t", "  ,  ", "+", ".", " + ", ",,", " ", "\n", strings.Repeat(" ", 70) + ",",
		" & ", " & _\n ", "||", " || ", "|", "_"}
	other := []string{"x", "[", "]", "(", ")", "AKIA", `\1`, "&#", "=3D", "0041", "secret = ", "aws_access_key_id = ", "\n", "String.fromCharCode("}
	list := func(s string) string {
		parts := make([]string, len(s))
		for i := range len(s) {
			parts[i] = strconv.Itoa(int(s[i]))
		}
		return strings.Join(parts, ", ")
	}
	var b strings.Builder
	for b.Len() < n {
		switch r.IntN(10) {
		case 0:
			b.WriteString(strings.Repeat("75, 73, 65, ", 1+r.IntN(600)))
		case 1:
			b.WriteString("aws_access_key_id = bytes([" + list(g.KeyID("AKIA")) + "])\naws_secret_access_key = bytes([" + list(g.Secret()) + "])\n")
		case 2, 3:
			b.WriteString(other[r.IntN(len(other))])
		default:
			b.WriteString(items[r.IntN(len(items))])
			b.WriteString(seps[r.IntN(len(seps))])
		}
	}
	return []byte(b.String())
}

// TestListReadersAsBefore: the fast readers of lists (listSep's common
// separators, decimalItem, listRunPlain, listRunsFrom's one pass for two
// runs, decodeList) answer what the readers before them answer, at every
// place of texts of lists, separators and near misses.
func TestListReadersAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(91, 92))
	g := fakekey.New(93)
	runs, plains, pairs, chrPairs := 0, 0, 0, 0
	for k := range 20 {
		d := listText(r, g, 4<<10)
		if k >= 16 {
			d = chrListText(r, 4<<10)
		}
		for i := range d {
			for _, chr := range []bool{false, true} {
				if got, want := listSep(d, i, chr), listSepBefore(d, i, chr); got != want {
					t.Fatalf("listSep(%q, %v) = %d, want %d", d[i:min(len(d), i+8)], chr, got, want)
				}
			}
			if _, n := listItem(d, i); n == 0 {
				continue
			}
			end, items, plain := listRunPlain(d, i)
			wantEnd, wantItems := listRunBefore(d, i)
			if end != wantEnd || items != wantItems {
				t.Fatalf("listRunPlain at %d: [%d) %d items, want [%d) %d", i, end, items, wantEnd, wantItems)
			}
			if plain {
				plains++
				for _, c := range d[i:end] {
					if !isDigit(c) && c != ',' && !isListBlank(c) {
						t.Fatalf("plain run at %d holds %q: %q", i, c, d[i:end])
					}
				}
			}
			if items >= minListItems {
				runs++
				w := window{i, end}
				if got, want := decodeList(d, w), decodeListBefore(d, w); !reflect.DeepEqual(got, want) {
					t.Fatalf("decodeList at %d: %q, want %q", i, got.text, want.text)
				}
			}
			if s := listStart(d, i); s < i {
				pairs++
				if chrAt(d, s) {
					chrPairs++ // read in one pass too when i's item is a chr call
				}
				es, is, ek, ik, pk := listRunsFrom(d, s, i)
				wes, wis := listRunBefore(d, s)
				if es != wes || is != wis || ek != end || ik != items || pk != plain {
					t.Fatalf("listRunsFrom(%d, %d) = %d %d %d %d %v, want %d %d %d %d %v", s, i, es, is, ek, ik, pk, wes, wis, end, items, plain)
				}
			}
		}
	}
	if runs < 1000 || plains < 1000 || pairs < 1000 || chrPairs < 100 {
		t.Fatalf("%d runs, %d plain, %d two at once (%d of chr calls): the test compares too little", runs, plains, pairs, chrPairs)
	}
}

// TestListSkipMargin: what listSkipMargin's doc says of the patterns, on
// which the prefilter's pass over a plain run stands: every pattern is at
// most listSkipMargin bytes long, and none but "73," and spaced hex's
// A (" 41", ",41") is made of a plain run's bytes without four digits in
// a row.
func TestListSkipMargin(t *testing.T) {
	for _, p := range patterns {
		if len(p.text) > listSkipMargin {
			t.Errorf("pattern %q is longer than listSkipMargin (%d)", p.text, listSkipMargin)
		}
		plain, digits, run := true, 0, 0
		for _, c := range []byte(p.text) {
			if !isDigit(c) && c != ',' && !isListBlank(c) {
				plain = false
			}
			if isDigit(c) {
				run++
				digits = max(digits, run)
			} else {
				run = 0
			}
		}
		if plain && digits < 4 && p.text != "73," && p.kind != anchorSpacedHex {
			t.Errorf("pattern %q can stand in a plain run of code points, which the prefilter passes over", p.text)
		}
	}
}

// TestListsReadAsBefore: the scan of texts of lists finds what it finds
// reading lists as before (Scanner.listsPlain: the prefilter passes over
// no run, decodeLists reads again what listAnchor read), finding for
// finding, with and without a check budget, and is cut where it was.
func TestListsReadAsBefore(t *testing.T) {
	fast, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := New(Options{})
	before.listsPlain = true
	r := rand.New(rand.NewPCG(94, 95))
	g := fakekey.New(96)
	found, cut := 0, 0
	n := 300
	if testing.Short() {
		n = 60
	}
	for k := range n {
		d := listText(r, g, 4<<10+r.IntN(64<<10))
		scan := func(s *Scanner, allow int) (Findings, int) {
			m := newMatch(s, "t.py", d)
			if allow > 0 {
				m.workv = checkWork{allow: allow}
				m.work = &m.workv
			}
			m.run()
			un := 0
			if m.work != nil {
				un = m.work.unchecked
			}
			fs := m.findings()
			m.release()
			return fs, un
		}
		allow := 0
		if k%2 == 1 {
			allow = 1 + r.IntN(2*len(d))
		}
		want, wantUn := scan(before, allow)
		got, gotUn := scan(fast, allow)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("text %d: %d findings, reading as before %d\n%v\n%v", k, len(got), len(want), summarizeFindings(got), summarizeFindings(want))
		}
		if (gotUn > 0) != (wantUn > 0) {
			t.Fatalf("text %d: %d unchecked, reading as before %d", k, gotUn, wantUn)
		}
		found += len(want)
		if wantUn > 0 {
			cut++
		}
	}
	if found < 100 || cut < 10 {
		t.Fatalf("%d findings, %d texts cut: the test compares too little", found, cut)
	}
	t.Logf("%d findings, %d texts cut by the budget", found, cut)
}

func summarizeFindings(fs Findings) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+strconv.Itoa(f.Offset)+"-"+strconv.Itoa(f.EndOffset)+" "+f.Encoding)
	}
	return out
}

// FuzzListReaders: the readers of list items, typed and chr forms too
// (qa15 HIGH-7, MEDIUM-7), on any bytes: no panic, an item read lies in
// the text and is a printable character, a run's start is at or before
// where it is asked from and its end in the text, and a decoded run has
// one character an item.
func FuzzListReaders(f *testing.F) {
	for _, s := range []string{"b'A', b'K'", "65u8, 75u8", "0x41_u8,0x4b", "65 as u8, 75 as", "(byte) 0x41, (char)65",
		"[char]65 + [char]75", "Chr(65) & _\n Chr(75)", "CHR(65)||CHR(75)", "65.chr + 75.chr", "UInt8(ascii: \"A\"), UInt8(65)",
		"0x41.toByte(), 0x4b.toByte()", "rune('A'), byte(75)", "u8'A', L'K'", "[char]65+[char]75+[char]73+[char]65", "[Char]0x41 + [char]83 +\n [char]73+[char]65"} {
		f.Add([]byte(s))
	}
	f.Add([]byte("key_id = ['A', 'K', 'I', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q']"))
	f.Fuzz(func(t *testing.T, d []byte) {
		for i := range d {
			if d[i] == '\'' || d[i] == '"' { // quotedIDList: no panic; a key ID it spells is base32 (charlistid.go)
				if id, ok := quotedIDList(d, i); ok && (string(id[:4]) != "AKIA" && string(id[:4]) != "ASIA" || strings.Trim(string(id[4:]), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "") {
					t.Fatalf("quotedIDList(%q, %d): %q", d, i, id)
				}
			}
		}
		for _, k := range charCastSeeds(d, nil) {
			if c, n := listItem(d, k); n == 0 || c != 'K' && c != 'S' {
				t.Fatalf("charCastSeeds(%q): %d is no K or S", d, k)
			}
		}
		for i := range d {
			c, n := listItem(d, i)
			if n == 0 {
				continue
			}
			if i+n > len(d) || c < 0x20 || c >= 0x7f {
				t.Fatalf("listItem(%q) = %q, %d", d[i:], c, n)
			}
			if s := listStart(d, i); s > i || s < 0 {
				t.Fatalf("listStart(%q, %d) = %d", d, i, s)
			}
			end, items := listRun(d, i)
			if end > len(d) || end < i+n || items < 1 {
				t.Fatalf("listRun(%q, %d) = %d, %d", d, i, end, items)
			}
			if sg := decodeList(d, window{i, end}); len(sg.text) != items || len(sg.from) != items {
				t.Fatalf("decodeList(%q, [%d,%d)) = %q, want %d characters", d, i, end, sg.text, items)
			}
		}
	})
}

// itemEndingAtBefore is itemEndingAt as it read before itemAt turned
// down the bytes no item starts with by listFirst: every start asked was
// read by listItem.
func itemEndingAtBefore(d []byte, j int, chr bool) int {
	at := func(k int) bool {
		_, n := listItem(d, k)
		return n == j-k && chrItem(d, k, n) == chr && (k == 0 || !isWordByte(d[k-1]) || d[k] == '\'' || d[k] == '"')
	}
	p := -1
	for k := j - 1; k >= max(0, j-maxItemBytes); k-- {
		if at(k) {
			p = k
			break
		}
	}
	if p <= 0 {
		return p
	}
	if c := d[p-1]; c == ')' || c == ']' || isWordByte(c) || c == ' ' && p > 1 && d[p-2] == ')' {
		for k := p - 1; k >= max(0, j-maxItemBytes); k-- {
			if at(k) {
				return k
			}
		}
	}
	return p
}

// TestItemEndingAtAsBefore: itemEndingAt finds the item start it found
// when every byte was read by listItem, at every end of the list texts,
// for both kinds of list.
func TestItemEndingAtAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(97, 98))
	g := fakekey.New(99)
	found := 0
	for range 8 {
		d := listText(r, g, 4<<10)
		for j := range len(d) + 1 {
			for _, chr := range []bool{false, true} {
				got, want := itemEndingAt(d, j, chr), itemEndingAtBefore(d, j, chr)
				if got != want {
					t.Fatalf("itemEndingAt(%q, %v) = %d, want %d", d[max(0, j-maxItemBytes):j], chr, got, want)
				}
				if got >= 0 {
					found++
				}
			}
		}
	}
	if found < 1000 {
		t.Fatalf("%d items found: the test compares too little", found)
	}
}

// chrListText returns about n bytes of runs of chr calls and casts
// joined by the operators listSep reads between them (+ . & ||), with
// other bytes between runs: the lists listRunsFrom reads in one pass
// from a chr call (chr(65)+chr(75)+… repeated, issue 16).
func chrListText(r *rand.Rand, n int) []byte {
	items := []string{"chr(65)", "chr(75)", "chr(73)", "Chr(83)", "CHAR(65)", "ChrW(73)", "[char]65", "[char]0x4b", "65.chr", "chr(0x41)", "chr(7)", "65", "'A'",
		"chr(65", "chr(6", "chr(650)", "chr(65x)", "chr(031)", "chr(065)", "chr(126)", "chr(127)", "chr(31)"}
	seps := []string{"+", " + ", ".", " & ", " & _\n ", "||", " || ", ",", "", "|", "\n"}
	var b strings.Builder
	for b.Len() < n {
		for range 1 + r.IntN(40) {
			b.WriteString(items[r.IntN(len(items))])
			if r.IntN(8) > 0 {
				b.WriteString(seps[r.IntN(4)])
			} else {
				b.WriteString(seps[r.IntN(len(seps))])
			}
		}
		b.WriteString([]string{"\n", "x = ", " ", ")"}[r.IntN(4)])
	}
	return []byte(b.String())
}
