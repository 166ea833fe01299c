package main

import (
	"slices"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestKeyFragment: the literals that make a package carry a piece of a key
// to the packages that fold its constants, and the common ones that do
// not (each of those would have its importers type-checked for nothing).
func TestKeyFragment(t *testing.T) {
	id := fakekey.New(3503).KeyID("AKIA")
	for _, tc := range []struct {
		lit  string
		want bool
	}{
		{"id=" + id[:6], true},           // a head after a separator
		{"x-AK", true},                   // a piece of AKIA's prefix after one
		{"xx" + id, true},                // glued: TrimPrefix cuts it out
		{id[:4] + "-" + id[4:12], true},  // cut by a dash: ReplaceAll
		{"akiaqrstuvwxyz234567", true},   // lower case: ToUpper
		{id[1:], true},                   // "KIA…": after a constant "A"
		{id[2:], true},                   // "IA" and the ID's 16 characters
		{id[:8], false},                  // a plain head: keyHeads'
		{"unknown ABI", false},           // a word
		{"RLIMIT_AS", false},             // a word
		{"%AB", false},                   // an escape of a URL
		{"A", false},                     // too common (DNS, formats)
		{"SE Asia Standard Time", false}, // a time zone
		{"Asia/Tokyo", false},            // a time zone
		{"ASIA PACIFIC", false},          // no key goes on after a blank
		{"IAMROLENAME", false},           // "IA" not followed by a whole rest
		{"Caucasian", false},             // a prefix in lower case glued to letters
		{`\x41KIA` + id[4:], false},      // escapes: escapedKeyStart's
	} {
		if got := keyFragment([]byte(tc.lit + `"`)); got != tc.want {
			t.Errorf("keyFragment(%q) = %v, want %v", tc.lit, got, tc.want)
		}
	}
}

// TestFoldImports: the packages a file folds with, and those its
// constants pass on.
func TestFoldImports(t *testing.T) {
	for _, tc := range []struct {
		name, src   string
		all, consts []string
	}{
		{"plus", "package a\n\nimport \"m/cfg\"\n\nvar ID = cfg.Head + cfg.Tail\n", []string{"m/cfg"}, nil},
		{"const", "package a\n\nimport \"m/lib2\"\n\nconst Head = lib2.Pre\n", []string{"m/lib2"}, []string{"m/lib2"}},
		{"block", "package a\n\nimport \"m/lib2\"\n\nconst (\n\tA = 1\n\tHead = lib2.Pre + lib2.Mid\n)\n", []string{"m/lib2"}, []string{"m/lib2"}},
		{"named", "package a\n\nimport c2 \"m/cfg\"\n\nvar ID = string(c2.Head) + c2.Tail\n", []string{"m/cfg"}, nil},
		{"dot", "package a\n\nimport . \"m/cfg\"\n\nvar ID = Head + Tail\n", []string{"m/cfg"}, nil},
		{"sprint", "package a\n\nimport (\n\t\"fmt\"\n\t\"m/cfg\"\n)\n\nvar ID = fmt.Sprint(cfg.Head, cfg.Tail)\n", []string{"m/cfg"}, nil},
		{"join", "package a\n\nimport (\n\t\"strings\"\n\t\"m/cfg\"\n)\n\nvar ID = strings.Join([]string{cfg.Head, cfg.Tail}, \"\")\n", []string{"m/cfg"}, nil},
		{"pluseq", "package a\n\nimport \"m/cfg\"\n\nfunc F() string {\n\tk := cfg.Head\n\tk += cfg.Tail\n\treturn k\n}\n", []string{"m/cfg"}, nil},
		// A literal after the constant is crossTails' (it must complete
		// a head of cfg's); a call is no constant; x.y.z is a field.
		{"tail", "package a\n\nimport \"m/cfg\"\n\nvar ID = cfg.Head + \"QRST\"\n", nil, nil},
		{"call", "package a\n\nimport \"m/cfg\"\n\nvar ID = cfg.Name() + x\n", nil, nil},
		{"field", "package a\n\nimport \"m/cfg\"\n\nvar ID = cfg.V.Name + x\n\nvar _ = cfg.V\n", nil, nil},
		{"assign", "package a\n\nimport \"m/cfg\"\n\nfunc F() { x := cfg.Head; _ = x }\n", nil, nil},
	} {
		all, consts := foldImports([]byte(tc.src))
		if !slices.Equal(all, tc.all) || !slices.Equal(consts, tc.consts) {
			t.Errorf("%s: foldImports = %q, %q; want %q, %q", tc.name, all, consts, tc.all, tc.consts)
		}
	}
}
