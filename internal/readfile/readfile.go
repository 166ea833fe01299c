// Package readfile reads a file a user or a tree names without letting the
// file decide how long the read takes or how much it returns.
//
// keyscan runs unattended on trees written by strangers, and on paths named
// in CI scripts, so a "file" may be a FIFO, a device, or a procfs file such
// as /proc/kmsg: a regular file whose size reads as 0 and whose read(2)
// blocks until the kernel logs something, and cannot be interrupted. The
// rules here make every such read finish:
//
//   - The file is opened O_NONBLOCK (a FIFO put in place cannot block the
//     open) and, when asked, O_NOFOLLOW; then fstat says what was opened,
//     and anything but a regular file is refused without a read.
//   - At most the size fstat reported is read, and a file whose size is 0
//     is not read at all: a real file's bytes are all there. A file that
//     grows while it is read is read up to the size it had.
//   - Except on procfs and sysfs, whose files all report size 0 and hold
//     what a host leaks (/proc/PID/environ, /proc/PID/cmdline): there a
//     file is read without waiting (the O_NONBLOCK of the open: a read that
//     would wait is an error), up to the caller's limit. /proc/kmsg is never
//     read: its read consumes the kernel's log.
//   - A size over the caller's limit is refused before any read.
//
// Those are the Unix rules (readfile_unix.go). Windows has neither openat
// nor FIFOs in a file system: readfile_other.go says what stands in there.
package readfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ErrTooLarge is returned for a file over the limit.
var ErrTooLarge = errors.New("too large")

// NotRegularError is a FIFO, socket, device or folder that was refused
// without a read.
type NotRegularError struct{ Mode fs.FileMode }

func (n NotRegularError) Error() string {
	return "not a regular file (" + ModeName(n.Mode) + "): skipped without opening it"
}

// ModeName says what kind of file a mode is, in words.
func ModeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsDir():
		return "a folder"
	}
	return "an irregular file"
}

// Into reads the regular file at path into buf (reset first), at most max
// bytes (ErrTooLarge beyond). With noFollow a symlink at path is refused
// (ELOOP) rather than followed. Errors are the bare cause (no path).
func Into(buf *bytes.Buffer, path string, noFollow bool, max int64) error {
	f, size, err := open(path, noFollow)
	if err != nil {
		return err
	}
	defer f.Close()
	return into(buf, f, size, max)
}

// IntoBeneath reads the regular file at rel, a '/'-separated path below the
// folder root, as Into does with noFollow: for a file whose full path is
// longer than the system's PATH_MAX (a tree nested thousands of folders
// deep), which open(2) refuses (ENAMETOOLONG) however it is written. See
// OpenBeneath.
func IntoBeneath(buf *bytes.Buffer, root, rel string, max int64) error {
	f, size, err := openBeneath(root, rel)
	if err != nil {
		return err
	}
	defer f.Close()
	return into(buf, f, size, max)
}

// into reads f, a regular file of the given size, into buf under Into's rules.
func into(buf *bytes.Buffer, f *os.File, size, max int64) error {
	if size > max {
		return ErrTooLarge
	}
	buf.Reset()
	if size == 0 {
		if ok, err := pseudo(f); !ok || err != nil {
			return err
		}
		return readPseudo(buf, f, max)
	}
	buf.Grow(int(size))
	if _, err := io.Copy(buf, io.LimitReader(f, size)); err != nil {
		return UnwrapPath(err)
	}
	return nil
}

// Open opens the regular file at path as Into does (without blocking, a
// FIFO, socket, device or folder refused with NotRegularError) and returns
// it with the size fstat reported, for a caller that reads it in its own
// way (at offsets, a stream): it must read no further than that size.
// Errors are the bare cause (no path).
func Open(path string, noFollow bool) (*os.File, int64, error) { return open(path, noFollow) }

// ReadOpen reads f, a regular file of the given size just opened by Open,
// OpenAt or OpenBeneath, into buf under Into's rules. It reads from f's
// offset: to read f again, Seek to its start first.
func ReadOpen(buf *bytes.Buffer, f *os.File, size, max int64) error {
	return into(buf, f, size, max)
}

// HeadOpen reads at most n leading bytes of f, a regular file of the given
// size just opened by Open, OpenAt or OpenBeneath (or sought to its
// start), under Head's rules.
func HeadOpen(f *os.File, size int64, n int) ([]byte, error) {
	return head(f, size, n)
}

// regular returns the open file f with its size when it is a regular file,
// and closes it otherwise.
func regular(f *os.File) (*os.File, int64, error) {
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, UnwrapPath(err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, NotRegularError{fi.Mode()}
	}
	return f, fi.Size(), nil
}

// Head reads at most n leading bytes of the regular file at path, with
// Into's rules for symlinks and irregular files.
func Head(path string, noFollow bool, n int) ([]byte, error) {
	f, size, err := open(path, noFollow)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return head(f, size, n)
}

// HeadBeneath is Head for the file at rel below root (see IntoBeneath).
func HeadBeneath(root, rel string, n int) ([]byte, error) {
	f, size, err := openBeneath(root, rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return head(f, size, n)
}

// head reads at most n leading bytes of f, a regular file of the given size.
func head(f *os.File, size int64, n int) ([]byte, error) {
	if size == 0 {
		// As in Into: an empty file has no head, a pseudo-file is read
		// without waiting, and the kernel's log never.
		if ok, err := pseudo(f); !ok || err != nil {
			return nil, err
		}
	} else if int64(n) > size {
		n = int(size)
	}
	b := make([]byte, n)
	k, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, UnwrapPath(err)
	}
	return b[:k], nil
}

// File reads the regular file at path as Into does and returns its bytes;
// errors name the path.
func File(path string, noFollow bool, max int64) ([]byte, error) {
	var buf bytes.Buffer
	if err := Into(&buf, path, noFollow, max); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, &TooLargeError{Path: path, Max: max}
		}
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return buf.Bytes(), nil
}

// TooLargeError is File's and FileBeneath's error for a file over the
// limit: it names the file and the limit, and is ErrTooLarge (errors.Is),
// so that a caller can tell a file too large from one it could not read.
type TooLargeError struct {
	Path string
	Max  int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d bytes: not read", e.Path, e.Max)
}

// Unwrap makes errors.Is(e, ErrTooLarge) true.
func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// FileBeneath reads the regular file at rel, a '/'-separated path below
// the folder root, as File does, opening it from root following no link on
// the way (see OpenBeneath): for a file a walk found under root, read again
// later, when a folder of its path may have been swapped for a link since.
// Errors name the file's path.
func FileBeneath(root, rel string, max int64) ([]byte, error) {
	var buf bytes.Buffer
	name := root + "/" + rel
	if err := IntoBeneath(&buf, root, rel, max); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, &TooLargeError{Path: name, Max: max}
		}
		if linkOnPath(err) {
			err = errors.New("a symbolic link on its path (put there since it was found): not followed")
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return buf.Bytes(), nil
}

// UnwrapPath returns the cause inside a *fs.PathError, or err itself.
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// pseudoChunk is the most a pseudo-file is asked for in one read. A
// procfs sysctl file (/proc/sys/...) makes the kernel allocate a buffer of
// the size asked for, and a scan's reused buffer may offer megabytes: such
// a read fails with ENOMEM ("cannot allocate memory"), so every sysctl of a
// scan of /proc was unread (qa10 LOW-4). Their content is a few bytes.
const pseudoChunk = 64 << 10

// readPseudo reads a pseudo-file to its end, at most max bytes
// (ErrTooLarge beyond), without waiting: f was opened O_NONBLOCK, and a
// read that would wait is an error. Reads ask for pseudoChunk at most.
func readPseudo(buf *bytes.Buffer, f *os.File, max int64) error {
	n, err := io.CopyBuffer(onlyWriter{buf}, io.LimitReader(f, max+1), make([]byte, pseudoChunk))
	if err != nil {
		buf.Reset()
		if errors.Is(err, syscall.EAGAIN) {
			return errors.New("a pseudo-file whose read would wait: not read")
		}
		return UnwrapPath(err)
	}
	if n > max {
		buf.Reset()
		return ErrTooLarge
	}
	return nil
}

// onlyWriter hides a bytes.Buffer's ReadFrom, so that io.CopyBuffer reads
// into its own buffer, pseudoChunk at a time, instead of into the
// Buffer's free space, however large.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }
