package main

import "context"

// runStaged and runHook are implemented by the pre-commit work (issue 5).
func runStaged(ctx context.Context, args []string, e *env) int { return notYet(e, "staged") }
func runHook(ctx context.Context, args []string, e *env) int   { return notYet(e, "hook") }
