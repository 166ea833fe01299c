package analyzer

import (
	"github.com/keyscan/keyscan/scanner/content"
)

// CheckBound bounds the Go source one type check of keyscan scan reads
// (one package of ScanPackageDirShared, one package its importer reads
// from source, one of NotAWSKeysUnder), in tokens, comments not counted;
// 0 is no bound. In path order, a file that would take the package past it
// is left out of the type check, and said: the byte scan reads it as it
// reads every file.
//
// go/types holds a package's syntax and types at once, about 130 bytes and
// 1.5 µs a token: a generated 14.8 MB table of 3.2 million numbers beside a
// key folded from constants cost keyscan scan 10 CPU s and 850 MB, its
// bytes as a .txt 0.03 s, and a package of many such files held them all
// (qa29 M5). Counting tokens, not bytes, a comment or a long string does
// not take a file past the bound (qa29 M4).
type CheckBound int

// MaxCheckTokens is keyscan scan's bound of one package's type check:
// about 1.5 CPU s and 150 MB (two packages are checked at once). Real
// generated files come near it (golang.org/x/text's collate tables, 924,000
// tokens; the AWS SDK v1's EC2 API, 562,000) and are checked whole; a
// single file staged and pre-receive check alone is bounded lower
// (content.MaxGoTokens).
const MaxCheckTokens CheckBound = 4 * content.MaxGoTokens

// tokenBudget is a CheckBound being spent on one package's files.
type tokenBudget struct {
	bound CheckBound
	used  int
}

// admit reports whether the Go source src fits in what is left, and
// charges it if so. Its tokens are counted only up to what is left, so a
// file of millions of tokens costs no more to turn down than one at the
// bound.
func (b *tokenBudget) admit(src []byte) bool {
	if b.bound <= 0 {
		return true
	}
	left := max(int(b.bound)-b.used, 0)
	n := content.GoTokens(src, left)
	if n > left {
		return false
	}
	b.used += n
	return true
}
