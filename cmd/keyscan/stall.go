package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/config"
)

// The type check of a Go package can run for good on a few hundred bytes
// an attacker writes (analyzer.StallHandler says why), and go/types cannot
// be stopped once started. A command's checks are watched: one that passes
// typecheck_timeout (plus its share for the tokens it reads) or the heap
// bound ends the run here, with the package named and exit 2, so that a
// CI job, a commit hook or a push is refused in bounded time instead of
// held. Only the keyscan binary exits so (main sets stallExit); a run
// inside a test's process is not watched.

type stallExitKey struct{}

// withStallExit returns ctx marked for the watch: the process may end on a
// stalled check, said on stderr.
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
	return analyzer.WithStallHandler(ctx, base, func(what string, after time.Duration, heap uint64) {
		why := fmt.Sprintf("has run %s without ending", after.Round(time.Second))
		if heap > analyzer.MaxCheckHeap {
			why = fmt.Sprintf("holds %d MB of memory", heap>>20)
		}
		fmt.Fprintf(stderr, "keyscan: the Go type check of %s %s: its types are too costly for Go's type checker (an input made to stall it, or a machine far slower than expected: typecheck_timeout = %d seconds in .keyscan.toml, up to %d); stopped, so nothing was reported: exit 2\n",
			what, why, cfg.TypecheckTimeout, config.MaxTypecheckTimeout)
		os.Exit(exitError) // go/types cannot be stopped: only the process's end frees its goroutine
	})
}
