//go:build !linux

package walk

// pseudoKind names the pseudo-filesystem the open folder h is on: only
// Linux's are known (pseudofs_linux.go).
func pseudoKind(h handle) string { return "" }
