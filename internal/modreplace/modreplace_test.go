package modreplace

import "testing"

// TestPick: the go command's choice, each case checked against go list
// -deps -f '{{.Dir}}' of a real workspace (go 1.26; local modules and a
// file GOPROXY holding example.com/lib v1.0.0 and v1.2.0).
func TestPick(t *testing.T) {
	const lib = "example.com/lib"
	x := Directive{lib, "v1.2.0", "x"}
	xAll := Directive{lib, "", "x"}
	y := Directive{lib, "", "y"}
	yV1 := Directive{lib, "v1.0.0", "y"}
	fork := Directive{lib, "", ""}
	for _, tc := range []struct {
		name    string
		version string
		work    []Directive
		mods    [][]Directive
		want    Directive
		ok      bool
	}{
		// go.work replace lib v1.2.0 => ./x, v1.0.0 selected: the cache's
		{"work-other-version", "v1.0.0", []Directive{x}, nil, Directive{}, false},
		{"work-version", "v1.2.0", []Directive{x}, nil, x, true},
		// and app's go.mod replace lib => ../y: y
		{"work-other-version-mod", "v1.0.0", []Directive{x}, [][]Directive{{y}}, y, true},
		// app's go.mod replace lib v1.2.0 => ../x, v1.0.0 selected
		{"mod-other-version", "v1.0.0", nil, [][]Directive{{x}}, Directive{}, false},
		// go.work replace lib => ./x over app's replace lib v1.0.0 => ../y
		{"work-over-mod-version", "v1.0.0", []Directive{xAll}, [][]Directive{{yV1}}, xAll, true},
		// use ./app ./other: app replace lib v1.0.0 => ../y, other
		// replace lib => ../x: the later module's
		{"later-module", "v1.0.0", nil, [][]Directive{{yV1}, {xAll}}, xAll, true},
		// one go.mod: its version's before all versions'
		{"version-first", "v1.0.0", nil, [][]Directive{{y, Directive{lib, "v1.0.0", "z"}}}, Directive{lib, "v1.0.0", "z"}, true},
		// go.work replace lib => example.com/fork v1.0.0: out of the tree
		{"work-module", "v1.0.0", []Directive{fork}, [][]Directive{{y}}, fork, true},
		{"unknown-version", "", []Directive{x}, nil, x, true},
	} {
		got, ok := Pick(lib, tc.version, tc.work, tc.mods)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: Pick = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSelected(t *testing.T) {
	req := [][2]string{{"example.com/a", "v1.0.0"}, {"example.com/lib", "v1.2.0"}, {"example.com/lib", "v1.10.0"}, {"example.com/lib", "v1.9.0"}}
	if got := Selected("example.com/lib", req); got != "v1.10.0" {
		t.Errorf("Selected = %q, want v1.10.0", got)
	}
	if got := Selected("example.com/none", req); got != "" {
		t.Errorf("Selected of a module none requires = %q", got)
	}
}
