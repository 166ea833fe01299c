package lazyre

import (
	"sync"
	"testing"
)

// TestCompiledOnFirstUse checks that outside a test binary New does not
// compile (a bad expression panics only when used, String never compiles)
// and that the first uses, concurrent, all see one compiled expression.
func TestCompiledOnFirstUse(t *testing.T) {
	defer func(was bool) { inTest = was }(inTest)
	inTest = false
	bad := New(`a(b`)
	if bad.String() != `a(b` || bad.rx != nil {
		t.Fatal("New or String compiled the expression")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("a bad expression did not panic at its first use")
			}
		}()
		bad.MatchString("ab")
	}()

	r := New(`^x(\d+)$`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m := r.FindStringSubmatch("x42"); len(m) != 2 || m[1] != "42" {
				t.Errorf("FindStringSubmatch = %q", m)
			}
		}()
	}
	wg.Wait()
	if r.Re() != r.Re() {
		t.Fatal("compiled more than once")
	}
}

// TestCompiledAtOnceInTests checks that in a test binary New compiles at
// once, so a bad expression fails its package's tests at start-up.
func TestCompiledAtOnceInTests(t *testing.T) {
	if !inTest {
		t.Fatalf("inTest is false in a test binary")
	}
	defer func() {
		if recover() == nil {
			t.Error("New of a bad expression did not panic in a test binary")
		}
	}()
	New(`a(b`)
}
