//go:build unix && !linux

package readfile

// openStep opens elems below the folder dirfd, the last with flags, the
// others as folders, following no symlink: openat2 is Linux's, so one
// openat(O_NOFOLLOW) per element.
func openStep(dirfd int, elems []string, flags int) (int, error) {
	return openEach(dirfd, elems, flags)
}
