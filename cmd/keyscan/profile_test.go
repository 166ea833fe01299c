package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestStartProfile: KEYSCAN_CPUPROFILE's file holds a CPU profile once the
// run stops it; no name writes nothing; a file that cannot be made is said
// and the run goes on.
func TestStartProfile(t *testing.T) {
	var stderr bytes.Buffer
	startProfile("", &stderr)()
	if stderr.Len() != 0 {
		t.Errorf("no profile asked for: %q", stderr.String())
	}
	p := filepath.Join(t.TempDir(), "cpu.prof")
	stop := startProfile(p, &stderr)
	for i := range 1 << 20 {
		_ = i * i
	}
	stop()
	if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
		t.Errorf("profile %s: %v", p, err)
	}
	startProfile(filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.prof"), &stderr)()
	if !bytes.Contains(stderr.Bytes(), []byte(profileEnv)) {
		t.Errorf("a profile that cannot be written is not said: %q", stderr.String())
	}
}
