package scanner

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// headerOfPlain is headerOf as it was before a header's line was read
// once for all its keywords (headerLine): every keyword read its line.
func headerOfPlain(d []byte, kws []keyword, k int, after byte) (h tableHeader, read int, ok bool) {
	kw := &kws[k]
	before := byte('\n')
	// The keyword starts its cell, or other words of its name do (AWS
	// Secret Access Key).
	i := kw.start
	for i > 0 && headerByte(d[i-1]) && kw.start-i < 64 {
		i--
	}
	if i > 0 {
		before = d[i-1]
	}
	var delim byte
	switch {
	case isCellDelim(before) && (after == before || after == '\n'):
		delim = before
	case before == '\n' && isCellDelim(after):
		delim = after
		if delim != '|' && i < len(d) && (d[i] == ' ' || d[i] == '\t') {
			return tableHeader{}, 0, false // indented: a JSON list's item ("secretAccessKey",)
		}
	default:
		return tableHeader{}, 0, false
	}
	// The line is neither indented (a JSON list's item: "secretAccessKey",)
	// nor code (f(a, aws_secret_access_key, b)). Its part from the keyword
	// on is read first; its start is searched for only when a delimiter
	// stands before the keyword's cell (else the cell starts the line).
	le := cellLineEnd(d, kw.end, 4096)
	if read = le - kw.start; bytes.ContainsAny(d[kw.start:le], "(){}=") {
		return tableHeader{}, read, false
	}
	ls := i
	if before != '\n' {
		ls = lineStartWithin(d, kw.start, 4096)
	}
	line := d[ls:le]
	if read = le - ls; delim != '|' && ls < le && (d[ls] == ' ' || d[ls] == '\t') || bytes.ContainsAny(d[ls:kw.start], "(){}=") {
		return tableHeader{}, read, false
	}
	cells := cellsOf(line, delim)
	if cells < 2 || le >= len(d) || filledCells(line, delim) < 2 {
		return tableHeader{}, read, false
	}
	next := le + 1
	nle := cellLineEnd(d, next, 4096)
	if delim == '|' && markdownRule(d[next:nle]) && nle < len(d) {
		next = nle + 1
		nle = cellLineEnd(d, next, 4096)
	}
	if read += nle - le; cellsOf(d[next:nle], delim) != cells {
		return tableHeader{}, read, false
	}
	return tableHeader{kw: k, col: cellIndex(d, ls, kw.start, delim), cells: cells, delim: delim, from: next, to: min(len(d), next+maxTableRows)}, read, true
}

// FuzzHeaderOfAsPlain: headerOf answers as headerOfPlain for every
// keyword of a text, in order, as findSecrets asks (the header, the bytes
// charged, whether it is one), but where the keyword's line starts or
// ends more than headerLineBytes from it, where it is no header.
func FuzzHeaderOfAsPlain(f *testing.F) {
	for _, s := range []string{
		"id,user,aws_secret_access_key,notes\n1,ci,S,x\n",
		"| user | secret access key | region |\n|---|---|---|\n| ci | S | eu |\n",
		"secret,secret,secret,secret\nsecret,secret,secret,secret\n",
		"\"a,b\",secret\tx\n\"c\",d\ty\n",
		"secret;(x);secret\na;b;c\n",
		"aws_secret_access_key\tkey_id\nS\tK\n",
		strings.Repeat("secret,", 1200) + "\n" + strings.Repeat("x,", 1200) + "\n",
		"  secret,a\nb,c\n",
	} {
		f.Add([]byte(s))
	}
	sc, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		var kws []keyword
		for _, w := range []string{"secret", "aws_secret_access_key"} {
			for i := 0; ; {
				j := bytes.Index(d[i:], []byte(w))
				if j < 0 {
					break
				}
				kws = append(kws, keyword{start: i + j, end: i + j + len(w)})
				i += j + 1
			}
		}
		slices.SortStableFunc(kws, func(a, b keyword) int { return a.start - b.start })
		m := newMatch(sc, "t.csv", d)
		m.keywords = kws
		for k := range kws {
			after := cellEndAfter(d, kws[k].end)
			if after == 0 || after == '<' || after == '!' {
				continue
			}
			h, read, ok := m.headerOf(k, after)
			ph, pread, pok := headerOfPlain(d, kws, k, after)
			ls, le := lineStartWithin(d, kws[k].start, len(d)), cellLineEnd(d, kws[k].end, len(d))
			if kws[k].start-ls > headerLineBytes || le-kws[k].end > headerLineBytes {
				if ok {
					t.Fatalf("keyword %d of %q on a line longer than a header's: a header %+v", k, d, h)
				}
				continue
			}
			if h != ph || read != pread || ok != pok {
				t.Fatalf("keyword %d of %q: headerOf %+v %d %v, headerOfPlain %+v %d %v", k, d, h, read, ok, ph, pread, pok)
			}
		}
	})
}
