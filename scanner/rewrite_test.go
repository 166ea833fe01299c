package scanner

import (
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"
)

// concatenatesBefore is concatenates as it was written before its fast
// path: the reference TestConcatenatesAsFolded holds it to.
func concatenatesBefore(name string) bool {
	base := strings.ToLower(path.Base(PlainName(name)))
	if strings.HasPrefix(base, "jenkinsfile") || strings.HasPrefix(base, "dockerfile") || strings.HasSuffix(base, ".dockerfile") ||
		strings.HasPrefix(base, "sconstruct") || strings.HasPrefix(base, "sconscript") || base == "wscript" {
		return true
	}
	switch path.Ext(base) {
	case ".pyx", ".pxd", ".pxi", ".ipy", ".bzl", ".star", ".bazel", ".gyp", ".gypi", ".rmd", ".qmd", ".adoc", ".asciidoc", ".org":
		return true
	case ".md", ".markdown", ".mdx", ".rst", ".html", ".htm", ".txt", ".erb", ".ejs", ".jsp", ".pl", ".pm",
		".lua", ".r", ".jl", ".ex", ".exs", ".tf", ".hcl":
		return true
	case ".go", ".py", ".pyw", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte",
		".java", ".kt", ".kts", ".scala", ".groovy", ".gradle", ".cs", ".c", ".h", ".cc", ".cpp", ".hpp", ".m",
		".swift", ".rs", ".dart", ".rb", ".php", ".sh", ".bash", ".zsh", ".ps1":
		return true
	}
	return false
}

// TestConcatenatesAsFolded: concatenates' reading of ASCII names from the
// end answers as folding the whole name with strings.ToLower did, on names
// of extensions in any case, backup suffixes, Jenkinsfile and Dockerfile
// names, non-ASCII bytes (the Kelvin sign folds to k), dots and slashes.
func TestConcatenatesAsFolded(t *testing.T) {
	pieces := []string{"", "/", "//", ".", "..", "a", "src/", "x.y/", "Jenkinsfile", "JENKINSFILE", "jenkinsfile.prod",
		"Dockerfile", "dockerFILE", "app.Dockerfile", ".dockerfile", "dockerfil", "\u212aotlin", "JEN\u212aINSFILE",
		".\u212at", ".\u212aTS", "é", "\xff", "_test", "~", ".bak", ".BAK", ".orig", ".Old", ".tmp", ".copy", "-",
		".markdown", ".MARKDOWN", ".markdowns", ".mdx", ".Go", ".GO", ".go", ".py", ".PYW", ".svelte", ".gradle",
		".groovy", ".ps1", ".PS1", ".c", ".C", ".h", ".m", ".r", ".R", ".json", ".yaml", ".toml", ".rs", ".zsh",
		".tf", ".HCL", ".exs", ".e", ".goo", ".g", ".txt", ".ТXT", ".Rmd", ".qmd", ".PYX", ".adoc", ".j2", ".in", ".~1~",
		"SConstruct", "wscript", "wscripts", ".bazel"}
	r := rand.New(rand.NewPCG(7, 8))
	names := 0
	for range 200000 {
		var b strings.Builder
		for range 1 + r.IntN(5) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		name := b.String()
		names++
		if got, want := concatenates(name), concatenatesBefore(name); got != want {
			t.Fatalf("concatenates(%q) = %v, before %v", name, got, want)
		}
	}
	for _, p := range pieces {
		for _, q := range pieces {
			if got, want := concatenates(p+q), concatenatesBefore(p+q); got != want {
				t.Fatalf("concatenates(%q) = %v, before %v", p+q, got, want)
			}
		}
	}
}

// TestRegionMapAsArrays: regionMap answers, for every byte of a region's
// text, what the arrays scanRegion built byte by byte said: the rewrite's
// from and to inside one, the byte's own place in the plain text around.
func TestRegionMapAsArrays(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		lo := r.IntN(50)
		at := lo
		var segs []rewrite
		for range r.IntN(6) {
			start := at + r.IntN(20)
			if r.IntN(4) == 0 {
				start = at // a rewrite right after the one before, or at the start
			}
			end := start + r.IntN(30)
			n := r.IntN(12) // its text may be empty, shorter or longer than the raw stretch
			sg := rewrite{start: start, end: end, text: make([]byte, n), from: make([]int, n), to: make([]int, n)}
			for i := range n {
				sg.from[i] = start + r.IntN(max(1, end-start))
				sg.to[i] = sg.from[i] + 1 + r.IntN(5)
			}
			segs = append(segs, sg)
			at = end
		}
		hi := at + r.IntN(20)
		// The arrays as scanRegion built them.
		var from, to []int
		var spans []regionSpan
		p := lo
		for _, sg := range segs {
			for i := p; i < sg.start; i++ {
				from, to = append(from, i), append(to, i+1)
			}
			spans = append(spans, regionSpan{len(from), len(from) + len(sg.text), sg.encoding})
			from, to = append(from, sg.from...), append(to, sg.to...)
			p = sg.end
		}
		for i := p; i < hi; i++ {
			from, to = append(from, i), append(to, i+1)
		}
		where := regionMap{lo, spans, segs}
		for k := range from {
			if where.from(k) != from[k] || where.to(k) != to[k] {
				t.Fatalf("segs %+v, lo %d: byte %d at [%d,%d), arrays [%d,%d)", segs, lo, k, where.from(k), where.to(k), from[k], to[k])
			}
		}
	}
}

// FuzzConcatenates holds concatenates to the code it replaced on fuzzed
// names.
func FuzzConcatenates(f *testing.F) {
	for _, name := range []string{"a/b.go", "Jenkinsfile", "x/app.Dockerfile", "README.MD", "k.\u212aT", "a/", ""} {
		f.Add(name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := concatenates(name), concatenatesBefore(name); got != want {
			t.Fatalf("concatenates(%q) = %v, before %v", name, got, want)
		}
	})
}

// TestMarkListOpensAsPlain: markListOpens on the byte masks marks what it
// marks reading the bytes one by one (where there are no masks). The texts
// are dense in brackets, newlines, code points and keywords, some long
// (their ends out of order), some of the kinds markListOpens skips.
func TestMarkListOpensAsPlain(t *testing.T) {
	if !haveMaskKernel {
		t.Skip("no mask kernel on this machine")
	}
	r := rand.New(rand.NewPCG(19, 16))
	pieces := []string{"(", "[", "{", "\n", " ", "  ", "\t", "65", ", ", "0x41", "chr(", ")", ".", "+", "x", "secret", "(\n 75,\n", "bytes([", "\r", "'A', "}
	for n := range 3000 {
		var b strings.Builder
		for b.Len() < 256+r.IntN(600) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		// Code-point lists now and then, so that marks are made.
		if r.IntN(2) == 0 {
			b.WriteString("(" + strings.Repeat("75, ", minListItems+1) + "73)")
		}
		d := []byte(b.String())
		var kws []keyword
		for range 1 + r.IntN(40) {
			s := r.IntN(len(d))
			e := min(len(d), s+r.IntN(12))
			if r.IntN(4) == 0 { // a long identifier: keywords whose ends are out of order
				e = min(len(d), s+r.IntN(300))
			}
			kws = append(kws, keyword{start: s, end: e, token: r.IntN(8) == 0, other: r.IntN(8) == 0, login: r.IntN(8) == 0})
		}
		slices.SortStableFunc(kws, func(a, b keyword) int { return a.start - b.start })
		got, want := &match{s: &Scanner{}, name: "x.go", data: d, keywords: kws}, &match{data: d, keywords: kws, masksMade: true}
		got.markListOpens()
		want.markListOpens()
		if got.masks == nil || got.masks.open == nil {
			t.Fatal("no byte mask of brackets")
		}
		if g, w := got.lists, want.lists; !slices.Equal(g, w) {
			t.Fatalf("text %d %q, keywords %v: marks %v, want %v", n, d, kws, g, w)
		}
	}
}
