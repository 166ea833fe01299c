//go:build unix

package readfile

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// OpenAt opens the regular file name in the open folder dirfd as Open
// does, and never follows a link there (O_NOFOLLOW): a walker holding its
// folders open reads each file from the folder it listed, so a folder
// swapped for a link after the listing cannot lead the read out of the
// tree. name is one path element. Errors are the bare cause (no path).
func OpenAt(dirfd int, name string) (*os.File, int64, error) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, 0, err
	}
	return regular(os.NewFile(uintptr(fd), name))
}

// ReadAt reads the regular file name in the open folder dirfd, opened as
// OpenAt opens it, into b's array (a larger one when b's capacity is
// short) and returns its bytes: at most the size fstat reported, never
// following a link. It is OpenAt and ReadOpen without an os.File, whose
// set-up costs two more system calls a file (fcntl, and epoll_ctl, which
// a regular file always refuses) and a finalizer: keyscan scan reads every
// file of a tree this way, and a small tree's scan is mostly those calls.
// A file it does not read itself (an irregular one, a procfs or sysfs
// file, whose size says 0, or one over limit) is returned open as f, nil
// data,
// with OpenAt's checks done and its size, for the caller to read by Into's
// rules (ReadOpen, HeadOpen) and close. Errors are the bare cause.
func ReadAt(b []byte, dirfd int, name string, limit int64) (data []byte, f *os.File, size int64, err error) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, 0, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, nil, 0, err
	}
	size = st.Size
	if st.Mode&unix.S_IFMT == unix.S_IFREG && size == 0 && emptyAt(fd) {
		unix.Close(fd)
		return b[:0], nil, 0, nil
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || size <= 0 || size > limit || uint64(size) > uint64(math.MaxInt) {
		f, size, err = regular(os.NewFile(uintptr(fd), name))
		return nil, f, size, err
	}
	if int64(cap(b)) < size {
		// Doubled, as bytes.Buffer grows, but never past what an int
		// holds (a 32-bit build).
		b = make([]byte, 0, max(size, min(2*int64(cap(b)), math.MaxInt)))
	}
	b = b[:size]
	n := 0
	for n < len(b) {
		k, err := unix.Read(fd, b[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return nil, nil, 0, err
		}
		if k == 0 {
			break // the file shrank since fstat: what is there
		}
		n += k
	}
	unix.Close(fd)
	return b[:n], nil, size, nil
}

// emptyAt reports whether the regular file open at fd, whose size says 0,
// is empty as into would judge it: not on procfs or sysfs, whose files all
// say 0 (pseudo, which reads nothing either: a FUSE file's read could
// wait). Most such files are plain empty ones (a package's __init__.py:
// 230 of moto's 3,441 files), and one fstatfs tells without the os.File
// that a pseudo-file's read needs (two system calls and a finalizer more);
// a pseudo-file, or an fstatfs that fails, goes the os.File way.
func emptyAt(fd int) bool {
	m := fsMagic(fd)
	return m != 0 && m != procMagic && m != sysfsMagic
}

// OpenDirAt opens the folder name in the open folder dirfd for listing,
// following no link (O_NOFOLLOW|O_DIRECTORY: a link swapped in is ELOOP,
// a file ENOTDIR). path is the folder's path from the working directory,
// which os.File uses only for the type of an entry the file system does
// not give with the listing.
func OpenDirAt(dirfd int, name, path string) (*os.File, error) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// OpenDir opens the folder at path for listing, following a link at path
// (a root the user names may be a link).
func OpenDir(path string) (*os.File, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// open opens the regular file at path without blocking (a FIFO swapped in
// cannot stall it) and returns it with its size. With noFollow a symlink at
// path is refused (ELOOP). Errors are the bare cause (no path).
func open(path string, noFollow bool) (*os.File, int64, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK
	if noFollow {
		flags |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		return nil, 0, UnwrapPath(err)
	}
	return regular(f)
}

// OpenBeneath opens rel, a '/'-separated path below the folder root, one
// element at a time from a descriptor of the folder above it (openat(2)),
// so that no path handed to the kernel is longer than one name: a tree
// nested past PATH_MAX is read like any other. No element is followed if it
// is a symlink (O_NOFOLLOW on every one, the folders opened O_DIRECTORY), so
// the open never leaves root, whatever is swapped in meanwhile; root itself
// is opened as named (a root the user names may be a link). With dir the
// last element must be a folder (for ReadDir); otherwise it is opened as
// Into opens a file (O_NONBLOCK, then fstat: only a regular file).
func OpenBeneath(root, rel string, dir bool) (*os.File, error) {
	if !dir {
		f, _, err := openBeneath(root, rel)
		return f, err
	}
	return openChain(root, rel, unix.O_RDONLY|unix.O_DIRECTORY)
}

func openBeneath(root, rel string) (*os.File, int64, error) {
	f, err := openChain(root, rel, unix.O_RDONLY|unix.O_NONBLOCK)
	if err != nil {
		return nil, 0, err
	}
	return regular(f)
}

// openChain opens root, then rel below it, the last element with flags;
// no element is followed if it is a symlink. The kernel resolves rel in
// pieces of at most chunk bytes with openat2(RESOLVE_NO_SYMLINKS |
// RESOLVE_BENEATH), so a path 13 KB long costs seven calls; a kernel
// without openat2 (before Linux 5.6, or a seccomp filter refusing it) gets
// one openat(O_NOFOLLOW) per element.
func openChain(root, rel string, flags int) (*os.File, error) {
	elems := strings.Split(rel, "/")
	for _, e := range elems {
		if e == "" || e == "." || e == ".." {
			return nil, fmt.Errorf("path element %q: not opened below the root", e)
		}
	}
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	for len(elems) > 0 {
		n, size := 0, 0
		for n < len(elems) && (n == 0 || size+1+len(elems[n]) <= chunk) {
			size += 1 + len(elems[n])
			n++
		}
		fl := unix.O_RDONLY | unix.O_DIRECTORY
		if n == len(elems) {
			fl = flags
		}
		next, err := openStep(fd, elems[:n], fl|unix.O_NOFOLLOW|unix.O_CLOEXEC)
		unix.Close(fd)
		if err != nil {
			return nil, err
		}
		fd = next
		elems = elems[n:]
	}
	return os.NewFile(uintptr(fd), root+"/"+rel), nil
}

// chunk is the longest piece of a path openChain hands the kernel at once,
// well under PATH_MAX (4096 on Linux).
const chunk = 2048

// openEach opens elems below the folder dirfd one openat(O_NOFOLLOW) at a
// time, the last with flags, the others as folders: openStep where openat2
// is missing.
func openEach(dirfd int, elems []string, flags int) (int, error) {
	fd := dirfd
	for i, e := range elems {
		fl := unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC
		if i == len(elems)-1 {
			fl = flags
		}
		next, err := unix.Openat(fd, e, fl, 0)
		if fd != dirfd {
			unix.Close(fd)
		}
		if err != nil {
			return -1, err
		}
		fd = next
	}
	return fd, nil
}

// ReadlinkBeneath reads the target of the symlink at rel below root (see
// OpenBeneath): the folder above it is opened element by element.
func ReadlinkBeneath(root, rel string) (string, error) {
	parent, name := ".", rel
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		parent, name = rel[:i], rel[i+1:]
	}
	var d *os.File
	var err error
	if parent == "." {
		fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return "", err
		}
		d = os.NewFile(uintptr(fd), root)
	} else if d, err = openChain(root, parent, unix.O_RDONLY|unix.O_DIRECTORY); err != nil {
		return "", err
	}
	defer d.Close()
	buf := make([]byte, 4096)
	n, err := unix.Readlinkat(int(d.Fd()), name, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// Filesystem magic numbers (statfs(2)) of the pseudo-filesystems read
// despite a size of 0.
const (
	procMagic  = 0x9fa0
	sysfsMagic = 0x62656572
)

// errKernelLog refuses /proc/kmsg, whose read consumes the kernel's log.
var errKernelLog = errors.New("the kernel's log, whose read consumes it: not read")

// pseudo reports whether f, whose size is 0, is a procfs or sysfs file,
// whose size says nothing of its content (errKernelLog for /proc/kmsg).
func pseudo(f *os.File) (bool, error) {
	switch fsMagic(int(f.Fd())) {
	case sysfsMagic:
		return true, nil
	case procMagic:
		if name, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", f.Fd())); err != nil || name == "/proc/kmsg" {
			return false, errKernelLog
		}
		return true, nil
	}
	return false, nil
}

// fsMagic returns the type of the file system fd is on, as fstatfs(2)
// gives it (0 when it fails).
func fsMagic(fd int) int64 {
	var st syscall.Statfs_t
	if syscall.Fstatfs(fd, &st) != nil {
		return 0
	}
	return int64(st.Type)
}

// linkOnPath reports whether err, from OpenBeneath's walk down a path, is
// a symbolic link met on the way (O_NOFOLLOW's ELOOP, openat2's EXDEV).
func linkOnPath(err error) bool {
	return errors.Is(err, unix.ELOOP) || errors.Is(err, unix.EXDEV)
}
