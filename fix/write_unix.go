//go:build unix

package fix

import (
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func ownerOf(fi fs.FileInfo) (owner, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return owner{}, false
	}
	return owner{uid: int(st.Uid), gid: int(st.Gid), links: uint64(st.Nlink)}, true
}

// keepOwner gives f the owner and group o, when they differ from f's.
func keepOwner(f *os.File, o owner) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if cur, ok := ownerOf(fi); ok && cur.uid == o.uid && cur.gid == o.gid {
		return nil
	}
	return f.Chown(o.uid, o.gid)
}

// canWrite asks the kernel whether the user may write the file: the mode
// bits alone do not say it for another user's file, ACLs or a read-only mount.
func canWrite(name string) bool {
	return unix.Access(name, unix.W_OK) == nil
}
