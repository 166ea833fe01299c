package scanner

import (
	"bytes"
	"slices"
	"testing"
)

// parentsByWalk is what parentIndex answers, read the slow way: the lines
// above the line holding i, nearest first, each indented less than the
// last taken (the nearest whatever its indentation), up to and with a
// header; returned outermost first.
func parentsByWalk(d []byte, i int) []openLine {
	i = min(i, len(d))
	s := bytes.LastIndexByte(d[:i], '\n') + 1
	var out []openLine
	limit := int(^uint(0) >> 1)
	for s > 0 {
		e := s - 1
		l := bytes.LastIndexByte(d[:e], '\n') + 1
		s = l
		line := d[l:e]
		t := bytes.TrimSpace(line)
		if len(t) == 0 || isComment(t) {
			continue
		}
		if iniHeader(line) {
			out = append(out, openLine{start: l, end: e, indent: -1})
			break
		}
		if in := indentOf(line); in < limit {
			out = append(out, openLine{start: l, end: e, indent: in})
			limit = in
		}
	}
	slices.Reverse(out)
	return out
}

// TestParentIndexShapes: the lines open at a line in YAML, JSON, TOML and
// HCL, asked in order, backwards (from a mark and from the start) and
// twice, are its parents.
func TestParentIndexShapes(t *testing.T) {
	texts := []string{
		"aws:\n  region: x\n  s3:\n    bucket: b\n\n    # c\n    secret: s\nstripe:\n  key: k\n",
		"{\n  \"aws\": {\n    \"a\": 1\n  },\n  \"stripe\": {\n    \"live\": {\n      \"secret\": \"s\"\n    }\n  }\n}\n",
		"[aws]\nregion = x\n\n[mail.ses]\n  indented = 1\nsecret = s\n",
		"mail {\n  ses {\n    secret_key = \"s\"\n  }\n}\nslack {\n  secret = \"s\"\n}",
		"a:\n b:\n  c:\n   d:\n  e:\nf:\n\r\n  g: \r\n",
	}
	for _, text := range texts {
		d := []byte(text)
		for _, every := range []int{0, 1, 7} {
			m := &match{data: d}
			m.parents.every = every
			var order []int
			for i := 0; i <= len(d); i++ {
				order = append(order, i)
			}
			for i := len(d); i >= 0; i -= 3 {
				order = append(order, i)
			}
			for _, i := range order {
				if got, want := m.openAt(i), parentsByWalk(d, i); !slices.Equal(got, want) {
					t.Fatalf("%q every %d at %d: open %v, want %v", text, every, i, got, want)
				}
			}
		}
	}
}

// FuzzParentIndex: whatever the text and the order of the questions, the
// lines open at a line are those the walk up finds, and asking never
// fails.
func FuzzParentIndex(f *testing.F) {
	f.Add([]byte("aws:\n  s3:\n    secret: x\n  b: 1\n[t]\n x\n"), []byte{9, 3, 30, 0, 12}, uint8(3))
	f.Add([]byte("{\n  \"a\": {\n    \"b\": 1\n  },\n  # c\n\t\tx\n"), []byte{40, 2, 200}, uint8(0))
	f.Fuzz(func(t *testing.T, d []byte, qs []byte, every uint8) {
		m := &match{data: d}
		m.parents.every = int(every)
		for k, q := range qs {
			i := int(q) * (len(d) + 1) / 256
			if k%2 == 1 {
				i = len(d) - i
			}
			if got, want := m.openAt(i), parentsByWalk(d, i); !slices.Equal(got, want) {
				t.Fatalf("%q at %d: open %v, want %v", d, i, got, want)
			}
		}
	})
}
