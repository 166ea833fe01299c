//go:build unix

package main

import "syscall"

// mkfifo makes a FIFO at path, for tests that put one in a tree.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }

// cpuTime is the process's user and system time so far, in nanoseconds.
func cpuTime() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}
