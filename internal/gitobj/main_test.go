package gitobj

import (
	"testing"

	"github.com/keyscan/keyscan/internal/gittest"
)

// TestMain keeps the git repositories these tests build away from the
// repository the tests run in (see package gittest).
func TestMain(m *testing.M) { gittest.Main(m) }
