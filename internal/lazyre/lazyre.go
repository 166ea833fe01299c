// Package lazyre holds regular expressions that are compiled the first time
// one is used rather than when its package is initialised.
//
// Package-level regexp.MustCompile runs in every process that links the
// package, whatever command it runs: keyscan fix's ~70 expressions cost ~8 M
// instructions (a third of the start-up) in every keyscan scan and in the
// pre-commit hook (keyscan staged), which never use them. A Regexp here has
// the methods of regexp.Regexp that keyscan calls and compiles on the first
// of them. In a test binary (its name ends in .test) New compiles at once, so
// that a bad expression still fails the tests of its package at start-up, as
// regexp.MustCompile did.
package lazyre

import (
	"os"
	"regexp"
	"strings"
	"sync"
)

// Regexp is a regular expression compiled on first use; safe for concurrent
// use, as regexp.Regexp is.
type Regexp struct {
	expr string
	once sync.Once
	rx   *regexp.Regexp
}

// New returns expr, to be compiled (regexp.MustCompile: it panics on a bad
// expression) when the Regexp is first used.
func New(expr string) *Regexp {
	r := &Regexp{expr: expr}
	if inTest {
		r.Re()
	}
	return r
}

// inTest is true in a test binary, where New compiles at once.
var inTest = len(os.Args) > 0 && strings.HasSuffix(strings.TrimSuffix(os.Args[0], ".exe"), ".test")

// Re returns the compiled expression.
func (r *Regexp) Re() *regexp.Regexp {
	r.once.Do(func() { r.rx = regexp.MustCompile(r.expr) })
	return r.rx
}

// String returns the source text, without compiling it.
func (r *Regexp) String() string { return r.expr }

// The methods below are regexp.Regexp's of the same names.

func (r *Regexp) Match(b []byte) bool        { return r.Re().Match(b) }
func (r *Regexp) MatchString(s string) bool  { return r.Re().MatchString(s) }
func (r *Regexp) Find(b []byte) []byte       { return r.Re().Find(b) }
func (r *Regexp) FindIndex(b []byte) []int   { return r.Re().FindIndex(b) }
func (r *Regexp) FindString(s string) string { return r.Re().FindString(s) }
func (r *Regexp) FindStringIndex(s string) []int {
	return r.Re().FindStringIndex(s)
}
func (r *Regexp) FindStringSubmatch(s string) []string {
	return r.Re().FindStringSubmatch(s)
}
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	return r.Re().FindStringSubmatchIndex(s)
}
func (r *Regexp) FindAllString(s string, n int) []string {
	return r.Re().FindAllString(s, n)
}
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.Re().FindAllStringIndex(s, n)
}
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Re().FindAllStringSubmatch(s, n)
}
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.Re().FindAllStringSubmatchIndex(s, n)
}
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.Re().ReplaceAllString(src, repl)
}
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.Re().ReplaceAllStringFunc(src, repl)
}
func (r *Regexp) SubexpIndex(name string) int      { return r.Re().SubexpIndex(name) }
func (r *Regexp) FindSubmatch(b []byte) [][]byte   { return r.Re().FindSubmatch(b) }
func (r *Regexp) FindSubmatchIndex(b []byte) []int { return r.Re().FindSubmatchIndex(b) }
func (r *Regexp) FindAll(b []byte, n int) [][]byte { return r.Re().FindAll(b, n) }
func (r *Regexp) FindAllIndex(b []byte, n int) [][]int {
	return r.Re().FindAllIndex(b, n)
}
func (r *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return r.Re().FindAllSubmatch(b, n)
}
func (r *Regexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return r.Re().FindAllSubmatchIndex(b, n)
}
func (r *Regexp) ReplaceAll(src, repl []byte) []byte { return r.Re().ReplaceAll(src, repl) }
func (r *Regexp) NumSubexp() int                     { return r.Re().NumSubexp() }
