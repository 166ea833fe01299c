//go:build !amd64 || purego

package scanner

// haveAVX2 is false where the AVX2 kernel is not built (another GOARCH, or
// the purego tag): the prefilter scans with the pure-Go loop.
func haveAVX2() bool { return false }

// scanAVX2 is not called where haveAVX2 is false; it leaves every block to
// the pure-Go loop.
func (p *prefilter) scanAVX2(*hits) int { return 0 }
