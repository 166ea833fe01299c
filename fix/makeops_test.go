package fix

import (
	"bytes"
	"testing"
)

// FuzzMakeAssignments: make's operators become =, line for line, and
// nothing else of a Makefile changes.
func FuzzMakeAssignments(f *testing.F) {
	for _, s := range []string{
		"export AWS_ENDPOINT_URL?=http://localhost:4566\n",
		"AWS_ENDPOINT_URL ::= x\nB:::=y\n  override C += z\nD != echo e\n",
		"test:\n\tcurl -d a=b http://x\nX = 1\n",
		"a?=\n?=\n=\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := makeAssignments(data)
		if bytes.Count(got, []byte("\n")) != bytes.Count(data, []byte("\n")) {
			t.Fatalf("lines changed:\n%q\n%q", data, got)
		}
		if len(got) > len(data) {
			t.Fatalf("grew: %q -> %q", data, got)
		}
		strip := func(b []byte) []byte {
			return bytes.Map(func(r rune) rune {
				switch r {
				case ' ', '\t', '?', '+', '!', ':', '=':
					return -1
				}
				return r
			}, b)
		}
		if !bytes.Equal(strip(got), strip(data)) {
			t.Fatalf("changed more than operators and blanks:\n%q\n%q", data, got)
		}
	})
}

func TestMakeAssignments(t *testing.T) {
	for in, want := range map[string]string{
		"export AWS_ENDPOINT_URL?=http://localhost:4566\n": "export AWS_ENDPOINT_URL=http://localhost:4566\n",
		"AWS_ENDPOINT_URL ?= http://x\n":                   "AWS_ENDPOINT_URL=http://x\n",
		"override A_B += y\n":                              "override A_B=y\n",
		"X ::= 1\nY:::=2\nZ != cmd\n":                      "X=1\nY=2\nZ=cmd\n",
		"test:\n\tFOO?=1 make x\n":                         "test:\n\tFOO=1 make x\n",
		"if [ a != b ]; then x; fi\n":                      "if [ a != b ]; then x; fi\n",
	} {
		if got := string(makeAssignments([]byte(in))); got != want {
			t.Errorf("makeAssignments(%q) = %q, want %q", in, got, want)
		}
	}
}
