package main

import (
	"bytes"
	"context"
	"testing"
)

// TestSelfScan: keyscan's own tree is clean. Its test fixtures hold fake keys
// on purpose and are excluded by the project's .keyscan.toml, not by code.
func TestSelfScan(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"scan", "--no-color", "../.."}, nil, &out, &errb)
	if code != exitClean {
		t.Errorf("keyscan scan of the project exits %d, want 0\n%s\n%s", code, out.String(), errb.String())
	}
}
