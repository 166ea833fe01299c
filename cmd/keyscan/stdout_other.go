//go:build !unix

package main

// stdoutClosedAtStart reports false: the check is Unix's. On Windows the Go
// runtime puts nothing in place of a missing standard output: os.Stdout
// then holds no valid handle and every write to it fails, which
// checkedWriter keeps and run turns into exit 2 as for a closed stdout.
func stdoutClosedAtStart() bool { return false }
