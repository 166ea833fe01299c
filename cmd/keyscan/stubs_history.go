package main

import "context"

// runHistory is implemented by the history work (issue 4).
func runHistory(ctx context.Context, args []string, e *env) int { return notYet(e, "history") }
