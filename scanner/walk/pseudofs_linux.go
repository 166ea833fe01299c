package walk

import "golang.org/x/sys/unix"

// pseudoKinds names the kernel's pseudo-filesystems by their magic
// (statfs(2) f_type; linux/magic.h): their files are the kernel's live
// state, made up at each read, not content anyone stored.
var pseudoKinds = map[int64]string{
	unix.PROC_SUPER_MAGIC:    "proc",
	unix.SYSFS_MAGIC:         "sysfs",
	unix.DEBUGFS_MAGIC:       "debugfs",
	unix.TRACEFS_MAGIC:       "tracefs",
	unix.SECURITYFS_MAGIC:    "securityfs",
	unix.CGROUP_SUPER_MAGIC:  "cgroup",
	unix.CGROUP2_SUPER_MAGIC: "cgroup2",
	unix.BPF_FS_MAGIC:        "bpf",
	0x62656570:               "configfs", // CONFIGFS_MAGIC
	unix.PSTOREFS_MAGIC:      "pstore",
	unix.EFIVARFS_MAGIC:      "efivarfs",
	unix.DEVPTS_SUPER_MAGIC:  "devpts",
}

// pseudoKind names the pseudo-filesystem the open folder h is on, "" for
// any other.
func pseudoKind(h handle) string {
	var st unix.Statfs_t
	if unix.Fstatfs(h.fd, &st) != nil {
		return ""
	}
	return pseudoKinds[int64(st.Type)]
}
