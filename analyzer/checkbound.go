package analyzer

import (
	"cmp"
	"slices"

	"github.com/keyscan/keyscan/scanner/content"
)

// CheckBound bounds the Go source one type check of keyscan scan reads
// (one package of ScanPackageDirShared, one package its importer reads
// from source, one of NotAWSKeysUnder), in tokens, comments not counted;
// 0 is no bound. Smallest first, a file that would take the package past
// it is left out of the type check, and said: the byte scan reads it as it
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
// about 1.5 CPU s and 150 to 350 MB (a table of constants the costliest;
// the scan's checks together hold at most this many tokens at once). Real
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

// goSource is a Go file read for a type check: its path and bytes.
type goSource struct {
	name string
	src  []byte
}

// admitSmallest charges files to b smallest first and reports which it
// admitted. A package's files go in by size, not by name: a generated
// table just under the bound, named first, would otherwise push a small
// file (where a key is written by hand and folded from constants) out of
// the type check (qa30 M3), and any file an attacker pads to the bound
// would decide which others are checked.
//
// A token takes a byte at least (a semicolon Go inserts, its line's end or
// the file's), so files whose bytes, one more each, fit in what is left
// are admitted without being tokenized: nearly every package, which the
// parser tokenizes anyway.
func (b *tokenBudget) admitSmallest(files []goSource) []bool {
	admitted := make([]bool, len(files))
	most := 0
	for _, f := range files {
		most += len(f.src) + 1
	}
	if b.bound <= 0 || b.used+most <= int(b.bound) {
		for i := range admitted {
			admitted[i] = true
		}
		b.used += most
		return admitted
	}
	byLen := make([]int, len(files))
	for i := range byLen {
		byLen[i] = i
	}
	slices.SortStableFunc(byLen, func(i, j int) int { return cmp.Compare(len(files[i].src), len(files[j].src)) })
	for _, i := range byLen {
		admitted[i] = b.admit(files[i].src)
	}
	return admitted
}
