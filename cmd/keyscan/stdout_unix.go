//go:build unix

package main

import "golang.org/x/sys/unix"

// stdoutClosedAtStart reports whether file descriptor 1 was closed when the
// process started. The Go runtime (runtime/fds_unix.go) opens /dev/null
// read-write in place of a closed standard descriptor, so writes to a closed
// stdout would vanish without an error; a shell's `>/dev/null` opens it
// write-only. So /dev/null open for reading and writing on fd 1 is taken as
// a closed stdout (`1<>/dev/null` reads the same, and is refused the same).
func stdoutClosedAtStart() bool {
	var st, null unix.Stat_t
	if unix.Fstat(1, &st) != nil || unix.Stat("/dev/null", &null) != nil {
		return false
	}
	if st.Mode&unix.S_IFMT != unix.S_IFCHR || st.Rdev != null.Rdev {
		return false
	}
	fl, err := unix.FcntlInt(1, unix.F_GETFL, 0)
	return err == nil && fl&unix.O_ACCMODE == unix.O_RDWR
}
