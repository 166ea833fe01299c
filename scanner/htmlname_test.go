package scanner

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"
)

// htmlNamePlain is htmlName as it was before it looked at the last byte
// first: the reference of TestHTMLNameAsPlain.
func htmlNamePlain(name string) bool {
	if i := strings.LastIndexByte(name, '!'); i >= 0 {
		name = name[i+1:]
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	}
	return false
}

// randomHTMLName builds a name from pieces of HTML extensions, archive
// separators, folders and the runes that lower-case to ASCII letters or
// from them (the Kelvin sign, the dotted capital I, the long s).
func randomHTMLName(r *rand.Rand) string {
	pieces := []string{".html", ".HTM", ".xHtml", ".htm", "l", "L", "m", "M", "h", "t", "x", ".", "/", "!", "a",
		"page", "\u212a", "\u0130", "\u017f", "\u212b", "\xff", "\xe2\x84", ".go", "_test", ".md", " "}
	var b strings.Builder
	for range r.IntN(8) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestHTMLNameAsPlain: htmlName answers as the reading it replaced, on
// 200,000 random names and on every name of up to three bytes of a small
// alphabet.
func TestHTMLNameAsPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for range 200000 {
		name := randomHTMLName(r)
		if got, want := htmlName(name), htmlNamePlain(name); got != want {
			t.Fatalf("htmlName(%q) = %v, want %v", name, got, want)
		}
	}
	alphabet := []byte("lLmM.!/h\x80\xff")
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		for _, suffix := range []string{"", ".html", ".htm", ".xhtml", ".HTML"} {
			name := string(prefix) + suffix
			if got, want := htmlName(name), htmlNamePlain(name); got != want {
				t.Fatalf("htmlName(%q) = %v, want %v", name, got, want)
			}
		}
		if len(prefix) == 3 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c))
		}
	}
	walk(nil)
}

func FuzzHTMLName(f *testing.F) {
	for _, s := range []string{"a.html", "x.zip!b.HTM", "p.xhtml", "k.go", "\u212a.html", "a.htm\u017f", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := htmlName(name), htmlNamePlain(name); got != want {
			t.Fatalf("htmlName(%q) = %v, want %v", name, got, want)
		}
	})
}
