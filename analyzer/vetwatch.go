package analyzer

import "time"

// WatchProcess watches the process as a type check is watched
// (runWatched), for keyscan's go vet tool, which checks and analyses one
// package a process: once the process has used limit of CPU time since
// the call, stop is called from a goroutine of its own (once) with After
// that time and CPU set; one that has waited wallSlack times limit by the
// clock, its CPU time still short of it, is stopped too (Waited), so that
// the go command never waits on the tool for good. Where the CPU time
// cannot be read (not Linux), the clock's time past limit stops it.
//
// Why the process's CPU time: by the wall's clock, the verdict was the
// machine's load's, and on a loaded machine (go vet runs a tool process a
// package, several at once, beside the compiler) good packages were ended
// early (qa36 H1's, for scan). Unlike scan's checks, which share their
// process with the byte scan and count their thread's time alone, the
// tool's process does nothing but this package's check and analysis: all
// its threads' time is theirs (the analysis runs on goroutines of its own,
// the garbage collector on others).
func WatchProcess(limit time.Duration, stop func(Stall)) {
	t := time.NewTicker(watchTick)
	go func() {
		defer t.Stop()
		watchProcess(limit, processCPU, time.Now(), t.C, stop)
	}()
}

// watchProcess is WatchProcess with its clocks given: cpu the process's
// CPU time, read once at the start and once a tick, the ticks the clock's
// time from began. It returns once it has called stop, or the ticks end.
func watchProcess(limit time.Duration, cpu func() (time.Duration, bool), began time.Time, tick <-chan time.Time, stop func(Stall)) {
	start, onCPU := cpu()
	for at := range tick {
		wall := at.Sub(began)
		used, ok := cpu()
		switch {
		case onCPU && ok && used-start > limit:
			stop(Stall{After: used - start, CPU: true})
			return
		case (!onCPU || !ok) && wall > limit:
			stop(Stall{After: wall})
			return
		case wall > wallSlack*limit:
			stop(Stall{After: wall, Waited: true})
			return
		}
	}
}
