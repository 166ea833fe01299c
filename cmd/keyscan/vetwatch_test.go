package main

import (
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/analyzer"
)

// TestVetStallWhy: the go vet tool's message says which clock ended the
// check, as stallMessages does for scan's.
func TestVetStallWhy(t *testing.T) {
	for _, tc := range []struct {
		s    analyzer.Stall
		want string
	}{
		{analyzer.Stall{After: 5034 * time.Millisecond, CPU: true}, "has run 5.034s of CPU time"},
		{analyzer.Stall{After: 151 * time.Second, Waited: true}, "has waited 2m31s, far short of its CPU time,"},
		{analyzer.Stall{After: 5001 * time.Millisecond}, "has run 5.001s"},
	} {
		if got := vetStallWhy(tc.s); got != tc.want || strings.Contains(got, "CPU") != (tc.s.CPU || tc.s.Waited) {
			t.Errorf("vetStallWhy(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}
