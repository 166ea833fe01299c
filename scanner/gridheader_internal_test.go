package scanner

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// gridHeaderOfSlow is gridHeaderOf as it was before the line's start was
// found only in the cases that read it.
func gridHeaderOfSlow(d []byte, kws []keyword, k int, after byte) (h tableHeader, read int, ok bool) {
	kw := &kws[k]
	i := kw.start // the cell's text starts at i (AWS Secret Access Key)
	for i > 0 && headerByte(d[i-1]) && kw.start-i < 64 {
		i--
	}
	j := kw.end // and its padding ends at j
	for j < len(d) && cellPad(d[j]) && j-kw.end < 16 {
		j++
	}
	if i == 0 {
		return h, 0, false
	}
	ls := lineStartWithin(d, i, 4096)
	h.kw = k
	switch d[i-1] {
	case '>':
		if after != '<' {
			return h, 0, false
		}
		return htmlHeader(d, h, i, j)
	case '!':
		if after != '!' && after != '\n' || after == '!' && (j+1 >= len(d) || d[j+1] != '!') {
			return h, 0, false
		}
		return wikiHeader(d, h, ls, i)
	case '|':
		if after != '|' && after != '\n' {
			return h, 0, false
		}
		line := bytes.TrimLeft(d[ls:i], " \t")
		if bytes.HasPrefix(line, []byte("||")) && i >= 2 && d[i-2] == '|' {
			// Confluence: the cells before are the "||"s before, less one
			h.grid, h.col = gridConfluence, bytes.Count(d[ls:i], []byte("||"))-1
			h.from = cellLineEnd(d, j, 4096) + 1
			if h.from > len(d) {
				return h, j - ls, false
			}
			h.to = rowsEnd(d, h.from)
			return h, j - ls + h.to - h.from, h.to > h.from // rows below
		}
		if len(line) > 0 && line[0] == '|' && ls > 0 {
			// AsciiDoc: the line above opens the table
			up := lineStartWithin(d, ls-1, 64)
			if !bytes.Equal(bytes.TrimRight(d[up:ls-1], " \t\r"), []byte("|===")) {
				return h, i - up, false
			}
			le := cellLineEnd(d, j, 4096)
			h.grid, h.col, h.cells = gridAsciiDoc, bytes.Count(d[ls:i-1], []byte("|")), bytes.Count(d[ls:le], []byte("|"))
			h.from = le + 1
			if h.from > len(d) || h.cells < 2 {
				return h, le - up, false
			}
			h = tableEnd(d, h, "\n|===")
			return h, le - up + h.to - h.from, bytes.IndexByte(d[h.from:h.to], '|') >= 0 // cells below
		}
	}
	return h, 0, false
}

// checkGridHeaderOf asks both readings about every "ecret" of text, taken
// as a keyword's name the way secretKeyword takes it, for every answer
// cellEndAfter may give.
func checkGridHeaderOf(t *testing.T, d []byte) (oks int) {
	t.Helper()
	var kws []keyword
	for at := 1; at+5 <= len(d); at++ {
		if bytes.HasPrefix(d[at:], []byte("ecret")) {
			s, e := identAround(d, at-1, at+5)
			kws = append(kws, keyword{start: s, end: e})
		}
	}
	for k := range kws {
		for _, after := range []byte{'<', '!', '\n', '|', ',', 0} {
			h, read, ok := gridHeaderOf(d, kws, k, after)
			wh, wread, wok := gridHeaderOfSlow(d, kws, k, after)
			if h != wh || read != wread || ok != wok {
				t.Fatalf("%q, keyword %d, after %q: %+v %d %v; before %+v %d %v", d, k, after, h, read, ok, wh, wread, wok)
			}
			if ok {
				oks++
			}
		}
	}
	return oks
}

// TestGridHeaderOfAsBefore: the header found, the bytes read and the
// answer are the reading before's, on generated Confluence, wiki, AsciiDoc,
// HTML and JSON text.
func TestGridHeaderOfAsBefore(t *testing.T) {
	pieces := []string{"||", "|", "!", "!!", ">", "<", "<th>", "</th>", "|===\n", "\n", " ", "\t", "Secret access key",
		"secret", "\"SecretAccessKey\":", "AWS ", "ci", "x", "\r", "=", "==",
		"||User||Secret access key||\n", "|ci|AKIA|\n", "!Secret!", "|User |Secret\n", "<td>Secret</td>"}
	r := rand.New(rand.NewPCG(29, 9))
	oks := 0
	for range 20000 {
		var b []byte
		for range r.IntN(24) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		oks += checkGridHeaderOf(t, b)
	}
	if oks < 100 {
		t.Fatalf("only %d headers found", oks)
	}
}

// FuzzGridHeaderOf: the two readings agree.
func FuzzGridHeaderOf(f *testing.F) {
	f.Add([]byte("||User||Secret access key||\n|ci|x|\n"))
	f.Add([]byte("|===\n|User |Secret\n|ci |x\n|===\n"))
	f.Fuzz(func(t *testing.T, d []byte) {
		if len(d) > 600 {
			d = d[:600]
		}
		checkGridHeaderOf(t, d)
	})
}
