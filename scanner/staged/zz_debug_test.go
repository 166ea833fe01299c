package staged

import (
	"context"
	"testing"
	"time"

	"github.com/keyscan/keyscan/scanner"
)

func TestZZDebugTiming(t *testing.T) {
	dir := "/tmp/ks5/bench/repo"
	t0 := time.Now()
	sc, _ := scanner.New(scanner.Options{})
	t.Logf("scanner.New %v", time.Since(t0))
	for range 200 {
		t0 := time.Now()
		res, err := Scan(context.Background(), dir, sc, Options{})
		_ = t0; _ = res; _ = err 
	}
}
