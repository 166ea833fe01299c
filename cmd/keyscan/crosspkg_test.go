package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/scanner"
)

func TestKeyHeads(t *testing.T) {
	id := fakekey.New(71).KeyID("AKIA")
	src := fmt.Sprintf("const (\n\ta = %q\n\tb = %q\n\tc = \"AS\"\n\td = \"A\"\n\te = \"AX\"\n\tf = %q\n\tg = \"akia\"\n)\n", id[:7], id[:19], id)
	got := keyHeads([]byte(src))
	want := []string{id[:7], id[:19], "AS"} // not "A", "AX", a whole key ID or lower case
	if !slices.Equal(got, want) {
		t.Errorf("keyHeads = %q, want %q", got, want)
	}
}

func TestCrossTails(t *testing.T) {
	id := fakekey.New(72).KeyID("AKIA")
	for _, tc := range []struct {
		src  string
		want []goTail
	}{
		{fmt.Sprintf("package m\n\nimport \"example.com/m/lib\"\n\nvar ID = lib.Pre + %q\n", id[6:]),
			[]goTail{{"example.com/m/lib", id[6:], false}}},
		{fmt.Sprintf("package m\n\nimport l \"example.com/m/lib\"\n\nvar ID = string(l.Pre) +\n\t%q + x\n", id[3:]),
			[]goTail{{"example.com/m/lib", id[3:], true}}},
		{fmt.Sprintf("package m\n\nimport (\n\t. \"example.com/m/lib\"\n\t. \"example.com/m/lib2\"\n)\n\nconst ID = Pre + %q\n", id[10:]),
			[]goTail{{"example.com/m/lib", id[10:], false}, {"example.com/m/lib2", id[10:], false}}},
		// A bare name without a dot import: the package's own constant.
		{fmt.Sprintf("package m\n\nimport \"example.com/m/lib\"\n\nvar ID = pre + %q\n", id[6:]), nil},
		// A field (x.y.z), a name that is no import, lower case, no +.
		{fmt.Sprintf("package m\n\nimport \"example.com/m/lib\"\n\nvar A = lib.S.F + %q\nvar B = other.Pre + %q\nvar C = lib.Pre + \"abc\"\nvar D = %q\n", id[6:], id[6:], id[6:]), nil},
		// Only the first 19 characters are kept.
		{"package m\n\nimport \"example.com/m/lib\"\n\nvar ID = lib.Pre + \"ABCDEFGHIJKLMNOPQRSTUVWXYZ\"\n",
			[]goTail{{"example.com/m/lib", "ABCDEFGHIJKLMNOPQRS", false}}},
	} {
		if diff := cmp.Diff(tc.want, crossTails([]byte(tc.src)), cmp.AllowUnexported(goTail{})); diff != "" {
			t.Errorf("crossTails(%q): -want +got\n%s", tc.src, diff)
		}
	}
}

func TestCompletes(t *testing.T) {
	id := fakekey.New(73).KeyID("AKIA")
	for _, tc := range []struct {
		head string
		tail goTail
		want bool
	}{
		{id[:2], goTail{text: id[2:]}, true},
		{id[:4], goTail{text: id[4:]}, true},
		{id[:18], goTail{text: id[18:]}, true},
		{id[:10], goTail{text: id[10:] + "-rest"}, true}, // more after the key
		{id[:10], goTail{text: id[10:15]}, false},        // too short to end the key
		{id[:10], goTail{text: id[10:15], open: true}, true},
		{"AK", goTail{text: "CA" + id[4:]}, false}, // AKCA is no prefix
		{"AS", goTail{text: "IA" + id[4:]}, true},
		{id[:10], goTail{text: "abcdefghij"}, false},
	} {
		if got := completes(tc.head, tc.tail); got != tc.want {
			t.Errorf("completes(%q, %q) = %v, want %v", tc.head, tc.tail.text, got, tc.want)
		}
	}
}

// TestCrossCandidates: a package is a candidate when its tail completes a
// head of the package it imports, or follows a package that builds a head
// from pieces (lib3) or one the walk did not read; not when the tail is too short for the head, follows a package
// without heads or one outside the tree (lib is a candidate for its head).
func TestCrossCandidates(t *testing.T) {
	id := fakekey.New(74).KeyID("AKIA")
	top := t.TempDir()
	files := map[string]string{
		"go.mod":          "module example.com/m\n\ngo 1.24\n",
		"lib/lib.go":      fmt.Sprintf("package lib\n\nconst Pre = %q\n", id[:8]),
		"lib2/lib.go":     "package lib2\n\nconst Other = \"ZZ\"\n",
		"lib3/lib.go":     fmt.Sprintf("package lib3\n\nconst Pre = \"AK\" + %q\n", id[2:5]),
		"built/main.go":   fmt.Sprintf("package built\n\nimport \"example.com/m/lib3\"\n\nvar ID = lib3.Pre + %q\n", id[5:]),
		"fits/main.go":    fmt.Sprintf("package fits\n\nimport \"example.com/m/lib\"\n\nvar ID = lib.Pre + %q\n", id[8:]),
		"short/main.go":   fmt.Sprintf("package short\n\nimport \"example.com/m/lib\"\n\nvar ID = lib.Pre + %q\n", id[8:12]),
		"other/main.go":   fmt.Sprintf("package other\n\nimport \"example.com/m/lib2\"\n\nvar ID = lib2.Other + %q\n", id[8:]),
		"unread/main.go":  fmt.Sprintf("package unread\n\nimport \"example.com/m/gone\"\n\nvar ID = gone.Pre + %q\n", id[8:]),
		"gone/x.go":       "package gone\n",
		"outside/main.go": fmt.Sprintf("package outside\n\nimport \"example.org/elsewhere\"\n\nvar ID = elsewhere.Pre + %q\n", id[8:]),
	}
	writeTree(t, top, files)
	g := newGoCollector(pathname.NewNamer(top), []string{top})
	for name, data := range files {
		if name != "gone/x.go" { // as if a config excluded it
			g.add(filepath.Join(top, name), name, []byte(data))
		}
	}
	g.crossCandidates()
	var got []string
	for _, shown := range g.dirs {
		got = append(got, shown)
	}
	slices.Sort(got)
	if want := []string{"built", "fits", "lib", "lib3", "unread"}; !slices.Equal(got, want) {
		t.Errorf("candidates %q, want %q", got, want)
	}
}

// TestCrossCandidatesReplaceChain: app completes a head that x's cfg
// passes on from lib2, which app's go.mod replaces with z (the head) and
// x's, lib's folder, with safe: the go command builds lib2 from z in
// app's build, x being no main module, so app is a candidate (it was
// not: x/cfg's import was followed in x's own build only, to safe).
func TestCrossCandidatesReplaceChain(t *testing.T) {
	id := fakekey.New(76).KeyID("AKIA")
	top := t.TempDir()
	files := map[string]string{
		"app/go.mod":   "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/lib v1.0.0\n\texample.com/lib2 v1.0.0\n)\n\nreplace example.com/lib => ../x\n\nreplace example.com/lib2 => ../z\n",
		"app/app.go":   fmt.Sprintf("package app\n\nimport \"example.com/lib/cfg\"\n\nvar ID = cfg.Head + %q\n", id[8:]),
		"x/go.mod":     "module example.com/lib\n\ngo 1.22\n\nrequire example.com/lib2 v1.0.0\n\nreplace example.com/lib2 => ../safe\n",
		"x/cfg/cfg.go": "package cfg\n\nimport \"example.com/lib2/p\"\n\nconst Head = p.Head\n",
		"z/go.mod":     "module example.com/lib2\n\ngo 1.22\n",
		"z/p/p.go":     fmt.Sprintf("package p\n\nconst Head = %q\n", id[:8]),
		"safe/go.mod":  "module example.com/lib2\n\ngo 1.22\n",
		"safe/p/p.go":  "package p\n\nconst Head = \"hello\"\n",
	}
	writeTree(t, top, files)
	g := newGoCollector(pathname.NewNamer(top), []string{top})
	for name, data := range files {
		g.add(filepath.Join(top, name), name, []byte(data))
	}
	g.crossCandidates()
	var got []string
	for _, shown := range g.dirs {
		got = append(got, shown)
	}
	if !slices.Contains(got, "app") {
		t.Errorf("candidates %q, want app among them", got)
	}
}

// TestScanDotImportBomb: the constants of a package imported with a dot
// are read now (qa9 MEDIUM-6), so their lengths bound the folded strings
// as another package's qualified constants do: doubling one 33 times and
// measuring it (160 GiB once built) does not crash the scan, and the key
// split with the same package's head is found.
func TestScanDotImportBomb(t *testing.T) {
	id := fakekey.New(75).KeyID("AKIA")
	src := fmt.Sprintf("package main\n\nimport . \"example.com/dotbomb/lib\"\n\nconst ID = Pre + %q\n\nconst c0 = Big\n", id[6:])
	for i := 1; i <= 33; i++ {
		src += fmt.Sprintf("const c%d = c%d + c%d\n", i, i-1, i-1)
	}
	src += "\nvar n = len(c33)\n\nfunc main() { println(ID, n) }\n"
	root := filepath.Join(t.TempDir(), "dotbomb")
	writeTree(t, root, map[string]string{
		"go.mod":     "module example.com/dotbomb\n\ngo 1.24\n",
		"lib/lib.go": fmt.Sprintf("package lib\n\nconst Pre = %q\n\nconst Big = %q\n", id[:6], strings.Repeat("x", 1024)),
		"main.go":    src,
	})
	fs := scanJSON(t, root)
	if len(fs) != 1 || fs[0].Secret != id || filepath.Base(fs[0].File) != "main.go" || fs[0].Line != 5 {
		t.Errorf("findings %+v, want %s at main.go:5", fs, scanner.Redact(id))
	}
}
