//go:build !linux

package analyzer

import "time"

// startCheckClock: elsewhere than Linux a thread's CPU clock is not
// read, and the check's clock is the wall's (see checkclock_linux.go).
func startCheckClock() (used func() time.Duration, release func(), cpu bool) {
	used, release = wallCheckClock()
	return used, release, false
}

// threadCPU is the wall clock here (see checkclock_linux.go).
func threadCPU() time.Duration {
	return time.Duration(time.Now().UnixNano())
}

// processCPU is not read here: the watch uses the wall's clock (see
// checkclock_linux.go).
func processCPU() (time.Duration, bool) { return 0, false }
