//go:build !unix

package scanner_test

import "time"

// cpuTime reports 0 outside Unix (getrusage is Unix's): reportCPU then
// leaves the MB per CPU second out of a benchmark's output.
func cpuTime() time.Duration { return 0 }
