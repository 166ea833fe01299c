package readfile

import (
	"strings"

	"golang.org/x/sys/unix"
)

// openStep opens elems below the folder dirfd, the last with flags, the
// others as folders, following no symlink: one openat2(RESOLVE_NO_SYMLINKS
// | RESOLVE_BENEATH), or openEach where the kernel lacks it.
func openStep(dirfd int, elems []string, flags int) (int, error) {
	how := unix.OpenHow{Flags: uint64(flags), Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH}
	fd, err := unix.Openat2(dirfd, strings.Join(elems, "/"), &how)
	if err != unix.ENOSYS && err != unix.EPERM {
		// EPERM: a container's seccomp filter that predates openat2
		// refuses it so; a real EPERM comes back from openat below too.
		return fd, err
	}
	return openEach(dirfd, elems, flags)
}
