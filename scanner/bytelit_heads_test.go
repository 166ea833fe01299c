package scanner

import (
	"strings"
	"testing"
)

// TestListHeadsShareStart: byteListHeads finds every head by searching for
// headStart once, so each head must begin with it.
func TestListHeadsShareStart(t *testing.T) {
	for _, set := range [][]string{listHeads, javaHeads, kotlinHeads, sqlHeads} {
		for _, h := range set {
			if !strings.HasPrefix(h, string(headStart)) {
				t.Errorf("head %q does not begin with %q", h, headStart)
			}
		}
	}
}
