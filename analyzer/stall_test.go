package analyzer

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestWatchCheck: a check that runs past its deadline calls the handler
// (with what it checks), one that ends before it does not, and a context
// without a handler is not watched.
func TestWatchCheck(t *testing.T) {
	called := make(chan string, 1)
	ctx := WithStallHandler(context.Background(), 10*time.Millisecond, func(what string, after time.Duration, heap uint64) {
		called <- what
	})
	stop := watchCheck(ctx, "package p", func() int64 { return 0 })
	select {
	case what := <-called:
		if what != "package p" {
			t.Errorf("handler called for %q", what)
		}
	case <-time.After(time.Minute):
		t.Fatal("a check past its deadline was not reported")
	}
	stop()

	quiet := WithStallHandler(context.Background(), time.Hour, func(what string, after time.Duration, heap uint64) {
		t.Errorf("a check within its deadline was reported: %s", what)
	})
	watchCheck(quiet, "package q", func() int64 { return 1 << 20 })()
	watchCheck(context.Background(), "package r", func() int64 { return 0 })()
}

// TestWatchRun: checks each within their own deadline are stopped once
// together they pass the run's (runChecks bases beyond their tokens'
// share): many files each just under the bound cannot hold a hook.
func TestWatchRun(t *testing.T) {
	called := make(chan string, 1)
	base := 400 * time.Millisecond
	ctx := WithStallHandler(context.Background(), base, func(what string, after time.Duration, heap uint64) {
		select {
		case called <- what:
		default:
		}
	})
	for i := 0; i <= 1000; i++ {
		stop := watchCheck(ctx, fmt.Sprintf("file %d", i), func() int64 { return 0 })
		time.Sleep(3 * perCheck)
		stop()
		select {
		case what := <-called:
			if !strings.Contains(what, "together") {
				t.Errorf("stopped for %q, want the run's checks together", what)
			}
			return
		default:
		}
	}
	t.Fatal("the run's checks together were never stopped")
}
