package gitpatch_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/gittest"
)

// TestMain keeps the git these tests run off the developer's repository
// and configuration (gittest.Hermetic): run from a git hook, they failed.
func TestMain(m *testing.M) { gittest.Main(m) }
