package main

import (
	"errors"
	"io"

	"golang.org/x/sys/unix"
)

// errStdoutClosed is the write error of a standard output that was closed
// when keyscan started (`keyscan scan . >&-`).
var errStdoutClosed = errors.New("standard output is closed (>&-): what keyscan writes there is lost")

// checkedWriter is standard output as the commands see it. It keeps the
// first write error, so that run can turn a report lost on the way out
// into exit 2 for every command, including those that print with fmt and
// never look at what it returns (rules, fake, fix --diff, usage).
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

// closedWriter fails every write with errStdoutClosed.
type closedWriter struct{}

func (closedWriter) Write([]byte) (int, error) { return 0, errStdoutClosed }

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
