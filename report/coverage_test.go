package report

import "testing"

// TestNotScanned: what a scan left out is said, with plurals that agree.
func TestNotScanned(t *testing.T) {
	for _, c := range []struct {
		cov  *Coverage
		want string
	}{
		{nil, ""},
		{&Coverage{Files: 3}, ""},
		{&Coverage{Excluded: 2, Binary: 1, Unreadable: 1, Special: 1, OutsideLinks: 1},
			"2 excluded, 1 binary, 1 unreadable, 1 special file (FIFO, socket or device), 1 symlink out of the scan root"},
		{&Coverage{TooLarge: 2, Special: 3, OutsideLinks: 2},
			"2 over the size limit, 3 special files (FIFOs, sockets, devices), 2 symlinks out of the scan root"},
	} {
		if got := c.cov.NotScanned(); got != c.want {
			t.Errorf("NotScanned(%+v) = %q, want %q", c.cov, got, c.want)
		}
	}
}
