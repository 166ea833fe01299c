package main

import "testing"

// The end-to-end run of go vet and go fix with the keyscan binary is
// TestGoVetAndGoFix in package analyzer; this checks the dispatch.
func TestIsUnitchecker(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"-json", "/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"-fix", "-diff", "/tmp/b001/vet.cfg"}, true},
		{[]string{"-keyscan.config=/x/.keyscan.toml", "-fix", "/tmp/b001/vet.cfg"}, true},
		{nil, false},
		{[]string{"scan", "settings.cfg"}, false},
		{[]string{"scan", "-flags"}, false},
		{[]string{"history", "."}, false},
		{[]string{"version"}, false},
		{[]string{"--version"}, false},
		{[]string{"app.cfg", "other.cfg"}, false},
		{[]string{"help"}, false},
	} {
		if got := isUnitchecker(tc.args); got != tc.want {
			t.Errorf("isUnitchecker(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
