//go:build !unix

package analyzer

import "io/fs"

// linkCount is 1: os.Lstat's answer outside Unix carries no link count.
func linkCount(fs.FileInfo) uint64 { return 1 }
