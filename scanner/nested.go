package scanner

import (
	"cmp"
	"slices"
	"strings"
)

// WithoutNested drops each finding of a Go file whose place lies within
// the place of another finding of the same file, rule and value: one key
// at one place is one finding. Two readings of a Go file meet there: the
// byte scan joins the literals of fmt.Sprint("AKIA…", "…") or
// strings.Join's list (encoding concatenation) from the first literal on,
// and the type checker folds the whole call from its start, where go vet
// reports it; keyscan scan, staged and pre-receive reported both (qa29
// L1). The outer place is kept, go vet's. Other files have one reading, whose places are the
// matcher's to choose, as keyscan history reads them; findings with no
// line (a path's) are left as they are, and so are two at the very same
// place (the commands' own deduplication keeps one). fs is sorted first.
func (fs Findings) WithoutNested() Findings {
	fs.Sort()
	drop := map[int]bool{}
	for start := 0; start < len(fs); {
		end := start + 1
		for end < len(fs) && fs[end].File == fs[start].File {
			end++
		}
		if end-start > 1 && strings.HasSuffix(fs[start].File, ".go") {
			nestedIn(fs[start:end], start, drop)
		}
		start = end
	}
	if len(drop) == 0 {
		return fs
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return slices.Clip(out)
}

// nestedIn marks in drop, by their index in the whole list (base is the
// index of file's first), the findings of one file whose place lies
// strictly within another's of the same rule and value. A file may hold
// one key thousands of times: each value's places are swept once, in
// order of start, not compared in pairs.
func nestedIn(file Findings, base int, drop map[int]bool) {
	byValue := map[[2]string][]int{}
	for i := range file {
		if file[i].Line > 0 && file[i].EndLine > 0 {
			k := [2]string{file[i].Rule, file[i].Secret}
			byValue[k] = append(byValue[k], i)
		}
	}
	for _, idx := range byValue {
		if len(idx) < 2 {
			continue
		}
		start := func(i int) int64 { return place(file[i].Line, file[i].Column) }
		end := func(i int) int64 { return place(file[i].EndLine, file[i].EndColumn) }
		// By start, and the longest first among those starting together.
		slices.SortFunc(idx, func(a, b int) int {
			if c := cmp.Compare(start(a), start(b)); c != 0 {
				return c
			}
			return cmp.Compare(end(b), end(a))
		})
		// outer is the place reaching furthest so far, the first to do so.
		outer := idx[0]
		for _, i := range idx[1:] {
			switch {
			case end(i) > end(outer):
				outer = i
			case start(i) != start(outer) || end(i) != end(outer):
				drop[base+i] = true // within outer, which starts no later
			}
		}
	}
}

// place orders a line and column.
func place(line, col int) int64 { return int64(line)<<32 | int64(uint32(col)) }
