package main

import (
	"bytes"
	"context"
	"os"
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

// TestSelfHistory: no commit of keyscan's own history ever held a key outside
// the excluded fixtures. Skipped when the tree is not a git clone.
func TestSelfHistory(t *testing.T) {
	if _, err := os.Stat("../../.git"); err != nil {
		t.Skip("not a git clone:", err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"history", "--no-color", "../.."}, nil, &out, &errb)
	if code != exitClean {
		t.Errorf("keyscan history of the project exits %d, want 0\n%s\n%s", code, out.String(), errb.String())
	}
}

// TestSelfReadmeNoGap: the README names archives' magics in code spans
// (`PK\x03\x04`, `\x1f\x8b`), which a byte literal's reading took for an
// archive that did not open: a part "not scanned" where keyscan read every
// byte. --strict fails on such a part.
func TestSelfReadmeNoGap(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"scan", "--strict", "--no-color", "../../README.md"}, nil, &out, &errb)
	if code != exitClean {
		t.Errorf("keyscan scan --strict README.md exits %d, want 0\n%s\n%s", code, out.String(), errb.String())
	}
}
