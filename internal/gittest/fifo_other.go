//go:build !unix

package gittest

import "testing"

// ReplaceWithFIFO skips the test: outside Unix a file system holds no
// named pipes (Windows keeps them in their own namespace, \\.\pipe\).
func ReplaceWithFIFO(t testing.TB, p string) {
	t.Helper()
	t.Skipf("%s: no FIFO can be made in a file system on this system", p)
}
