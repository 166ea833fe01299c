package main

import (
	"errors"
	"io"
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
