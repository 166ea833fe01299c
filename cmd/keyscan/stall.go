package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/report"
)

// The type check of a Go package can run for good on a few hundred bytes
// an attacker writes (analyzer.Stall says why), and go/types cannot be
// stopped once started. A command's checks are watched: one that passes
// typecheck_timeout (plus its share for the tokens it reads), or the heap
// bound, is abandoned (its goroutine runs on, never waited for) and the
// rest of the run goes on: its files are read by the byte scan as every
// file is, keys found elsewhere are reported, and the package is a
// `typecheck-stall` gap in every format (stallGaps), so the run exits 2
// with its whole report, in bounded time, instead of being held (qa33 M5:
// it used to end at the first stall with no report at all). main's
// os.Exit, once the report is written, ends the abandoned checks. Only
// the keyscan binary is watched (main sets withStallExit): a run inside a
// test's process is not, for it cannot end its process.

type stallExitKey struct{}

// withStallExit returns ctx marked for the watch: abandoned checks end
// with the process, and past analyzer.MaxRunHeap the process is ended,
// said on stderr.
func withStallExit(ctx context.Context, stderr io.Writer) context.Context {
	return context.WithValue(ctx, stallExitKey{}, stderr)
}

// watchTypeChecks returns ctx with the watch of type checks under cfg's
// typecheck_timeout, when ctx is marked (withStallExit).
func watchTypeChecks(ctx context.Context, cfg *config.Config) context.Context {
	stderr, ok := ctx.Value(stallExitKey{}).(io.Writer)
	if !ok {
		return ctx
	}
	base := time.Duration(cfg.TypecheckTimeout) * time.Second
	return analyzer.WithStallHandler(ctx, base, func(s analyzer.Stall) {
		if !s.Fatal {
			return // said with the report (stallGaps)
		}
		// The last resort: abandoned checks still allocating would take
		// the machine's memory before the report is written.
		fmt.Fprintf(stderr, "keyscan: abandoned Go type checks hold %d MB of memory, past %d MB: stopped before the report was written: exit 2 (%s)\n",
			s.Heap>>20, analyzer.MaxRunHeap>>20, stallAdvice(cfg))
		os.Exit(exitError) // go/types cannot be stopped: only the process's end frees its goroutines
	})
}

// stallAdvice says what may make a check stall, and the setting.
func stallAdvice(cfg *config.Config) string {
	return fmt.Sprintf("its types are too costly for Go's type checker: an input made to stall it, or a machine far slower than expected: typecheck_timeout = %d seconds in .keyscan.toml, up to %d",
		cfg.TypecheckTimeout, config.MaxTypecheckTimeout)
}

// stallMessages says what the watch of ctx abandoned or did not start,
// one line each, for the report and stderr; none when the run's checks
// all ended.
func stallMessages(ctx context.Context, cfg *config.Config) []report.Gap {
	st := analyzer.StallsOf(ctx)
	var out []report.Gap
	for _, s := range st.Abandoned {
		why := fmt.Sprintf("has run %s without ending", s.After.Round(time.Second))
		switch {
		case s.Memory:
			why = fmt.Sprintf("holds %d MB of memory", s.Heap>>20)
		case s.CPU:
			why = fmt.Sprintf("has run %s of CPU time without ending", s.After.Round(time.Second))
		case s.Waited:
			why = fmt.Sprintf("has waited %s without ending, far short of its CPU time", s.After.Round(time.Second))
		}
		out = append(out, report.Gap{Reason: "typecheck-stall", Count: 1, Message: fmt.Sprintf(
			"the Go type check of %s %s (%s): abandoned, its Go files read by the byte scan only: a key built from constants there is not known",
			s.What, why, stallAdvice(cfg))})
	}
	if st.Skipped > 0 {
		why := st.Why
		out = append(out, report.Gap{Reason: "typecheck-stall", Count: st.Skipped, Message: fmt.Sprintf(
			"%s not made (the first: %s): %s; their Go files read by the byte scan only: a key built from constants there is not known",
			report.Count(st.Skipped, "more Go type check", "more Go type checks"), st.FirstSkipped, why)})
	}
	return out
}

// stallGaps records the watch's gaps (stallMessages) in c, each said on
// stderr, and reports whether there were any: the run exits 2.
func (c *commonFlags) stallGaps(ctx context.Context, cfg *config.Config, w io.Writer, command string) bool {
	gaps := stallMessages(ctx, cfg)
	for _, g := range gaps {
		fmt.Fprintf(w, "keyscan %s: %s\n", command, g.Message)
	}
	c.gaps = append(c.gaps, gaps...)
	return len(gaps) > 0
}
