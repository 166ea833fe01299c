package main

import (
	"context"
	"fmt"

	"github.com/keyscan/keyscan/scanner"
)

// verifyFindings is implemented by the verification work (issue 7).
func verifyFindings(ctx context.Context, fs scanner.Findings, c *commonFlags, e *env) error {
	return fmt.Errorf("not implemented yet")
}
