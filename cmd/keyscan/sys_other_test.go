//go:build !unix

package main

import "errors"

// mkfifo: this system has no FIFOs in its file system.
func mkfifo(string) error { return errors.New("no FIFOs on this system") }

// cpuTime: 0 where getrusage is not at hand (the benchmark's cpu-ns/op
// metric is then 0).
func cpuTime() int64 { return 0 }
