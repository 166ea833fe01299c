package gosnap_test

import (
	"bytes"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/gosnap"
)

// snapshot makes a snapshot of files (path -> content) and counts the
// blobs it reads.
func snapshot(files map[string]string, budget *content.GoBudget) (*gosnap.Snapshot, map[gitobj.ID]int) {
	blobs := map[gitobj.ID][]byte{}
	var ents []gitobj.IndexEntry
	for p, c := range files {
		id := gitobj.HashObject(gitobj.Blob, []byte(c))
		blobs[id] = []byte(c)
		ents = append(ents, gitobj.IndexEntry{Path: p, ID: id, Mode: 0o100644})
	}
	slices.SortFunc(ents, func(a, b gitobj.IndexEntry) int {
		if a.Path < b.Path {
			return -1
		}
		return 1
	})
	reads := map[gitobj.ID]int{}
	return gosnap.New(gosnap.IndexLister(ents), func(id gitobj.ID) ([]byte, error) {
		reads[id]++
		return blobs[id], nil
	}, budget), reads
}

func names(fs []content.GoFile) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

// TestPackage: an import inside the module of the go.mod nearest above
// the file is its folder's non-test Go files; another module's (a nested
// go.mod's, a dependency, the standard library) is not the snapshot's.
func TestPackage(t *testing.T) {
	snap, _ := snapshot(map[string]string{
		"go.mod":            "module example.com/shop\n",
		"cfg/cfg.go":        "package cfg\n",
		"cfg/cfg_test.go":   "package cfg\n",
		"cfg/README.md":     "x",
		"app/app.go":        "package app\n",
		"tools/go.mod":      "module example.com/shop/tools\n",
		"tools/gen/gen.go":  "package gen\n",
		"tools/cmd/main.go": "package main\n",
	}, nil)
	for _, c := range []struct {
		from, imp string
		ok        bool
		want      []string
	}{
		{"app/app.go", "example.com/shop/cfg", true, []string{"cfg/cfg.go"}},
		{"app/app.go", "example.com/shop/none", true, nil},
		{"app/app.go", "example.com/shopping/cfg", false, nil},
		{"app/app.go", "fmt", false, nil},
		{"tools/cmd/main.go", "example.com/shop/tools/gen", true, []string{"tools/gen/gen.go"}},
		{"tools/cmd/main.go", "example.com/shop/cfg", false, nil}, // another module's, for tools
	} {
		fs, ok, err := snap.Package(c.from, c.imp)
		if err != nil || ok != c.ok || !slices.Equal(names(fs), c.want) {
			t.Errorf("Package(%s, %s) = %q, %v, %v; want %q, %v", c.from, c.imp, names(fs), ok, err, c.want, c.ok)
		}
	}
}

// TestChargedOnce: a file given to several candidates is charged to the
// budget and read once; Peek charges nothing; a sibling is given only
// when it names one of the candidate's names.
func TestChargedOnce(t *testing.T) {
	// 20 tokens: cfg.go and b.go take 8 each, once; a second charge of
	// either, or Peek's, would be past it.
	budget := content.NewGoBudget(20)
	snap, reads := snapshot(map[string]string{
		"go.mod":     "module m\n",
		"cfg/cfg.go": "package cfg\n\nconst Head = \"x\"\n",
		"app/a.go":   "package app\n\nconst A = B + \"x\"\n",
		"app/b.go":   "package app\n\nconst B = \"y\"\n",
		"app/c.go":   "package app\n\nconst C = \"z\"\n",
	}, budget)
	if _, _, err := snap.Peek("app/a.go", "m/cfg"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, _, err := snap.Package("app/a.go", "m/cfg"); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := snap.Folder("app/a.go", []string{"B"})
	if err != nil || !slices.Equal(names(fs), []string{"app/b.go"}) {
		t.Errorf("Folder = %q, %v; want app/b.go", names(fs), err)
	}
	for id, n := range reads {
		if n != 1 {
			t.Errorf("blob %s read %d times", id, n)
		}
	}
	if n, _ := budget.Left(); n != 0 {
		t.Errorf("the budget turned %d files down", n)
	}
}

// imports reads a Go file's import paths for the tests.
func imports(data []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", data, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		out = append(out, p)
	}
	return out
}

// TestImporters: the Go files importing a changed package of the module
// are found, tests too, and through an importer whose package passes
// starts (it may carry a head on) the files importing it; not through one
// that does not, nor in another module (a nested go.mod), nor for a
// changed package that does not pass starts.
func TestImporters(t *testing.T) {
	starts := func(data []byte) bool { return bytes.Contains(data, []byte("HEAD")) }
	snap, _ := snapshot(map[string]string{
		"go.mod":                "module example.com/shop\n",
		"cfg/cfg.go":            "package cfg\n\nconst Head = \"HEAD\"\n",
		"cfg/cfg_ext_test.go":   "package cfg_test\n\nimport \"example.com/shop/cfg\"\n",
		"app/app.go":            "package app\n\nimport \"example.com/shop/cfg\"\n\nconst Mid = cfg.Head + \"HEAD\"\n",
		"app/app_test.go":       "package app\n\nimport \"example.com/shop/cfg\"\n",
		"api/api.go":            "package api\n\nimport \"example.com/shop/app\"\n",
		"quiet/quiet.go":        "package quiet\n\nimport \"example.com/shop/cfg\"\n",
		"deep/deep.go":          "package deep\n\nimport \"example.com/shop/quiet\"\n",
		"plain/plain.go":        "package plain\n",
		"user/user.go":          "package user\n\nimport \"example.com/shop/plain\"\n",
		"tools/go.mod":          "module example.com/shop/tools\n",
		"tools/gen/gen.go":      "package gen\n\nimport \"example.com/shop/cfg\"\n",
		"vendor/x/y/y.go":       "package y\n\nimport \"fmt\"\n",
		"sub/dir/more/more.go":  "package more\n\nimport c \"example.com/shop/cfg\"\n",
		"sub/dir/more/notgo.md": "import \"example.com/shop/cfg\"\n",
	}, nil)
	got, err := snap.Importers([]string{"cfg", "plain"}, starts, imports)
	if err != nil {
		t.Fatal(err)
	}
	paths := entryPaths(got)
	want := []string{"api/api.go", "app/app.go", "app/app_test.go", "cfg/cfg_ext_test.go", "quiet/quiet.go", "sub/dir/more/more.go"}
	if !slices.Equal(paths, want) {
		t.Errorf("Importers = %q, want %q", paths, want)
	}
}

// TestImportersCharged: the walk of a module for importers is charged to
// the budget, a token a folder and a file; past it, the walk is a gap
// (content.ErrGoBudget, counted by the budget).
func TestImportersCharged(t *testing.T) {
	files := map[string]string{
		"go.mod":     "module m\n",
		"cfg/cfg.go": "package cfg\n\nconst Head = \"HEAD\"\n",
	}
	for i := range 30 {
		files[fmt.Sprintf("p%02d/p.go", i)] = "package p\n\nimport \"m/cfg\"\n"
	}
	starts := func(data []byte) bool { return bytes.Contains(data, []byte("HEAD")) }
	budget := content.NewGoBudget(20)
	snap, _ := snapshot(files, budget)
	if _, err := snap.Importers([]string{"cfg"}, starts, imports); !errors.Is(err, content.ErrGoBudget) {
		t.Errorf("Importers past the budget: %v, want ErrGoBudget", err)
	}
	if n, _ := budget.Left(); n != 1 {
		t.Errorf("the budget counted %d left, want 1", n)
	}
	snap, _ = snapshot(files, content.NewGoBudget(1000))
	if got, err := snap.Importers([]string{"cfg"}, starts, imports); err != nil || len(got) != 30 {
		t.Errorf("Importers within the budget: %d files, %v; want 30", len(got), err)
	}
}

// TestPackageReplace: an import of a module the go.mod's replace
// directives put in a folder of the snapshot, or one a go.work uses, is
// read from there; a replacement outside the snapshot (../../../etc, an
// absolute path) is never read, and the import stays unresolved. In a
// workspace the go command's order decides (qa36 M8): a workspace module
// wins over a go.mod's replacing it (lib2), the go.work's replace over a
// go.mod's (lib3), and another workspace module's go.mod replaces too
// (lib4).
func TestPackageReplace(t *testing.T) {
	snap, reads := snapshot(map[string]string{
		"go.work":        "go 1.22\n\nuse (\n\t./app\n\t./lib2\n\t../../outside\n)\n\nreplace example.com/lib3 => ./lib3\n",
		"app/go.mod":     "module example.com/app\n\nreplace example.com/lib => ../lib\n\nreplace (\n\texample.com/evil => ../../../etc\n\texample.com/abs => /etc\n\texample.com/lib2 => ../safe\n\texample.com/lib3 => ../safe\n)\n",
		"app/main.go":    "package main\n",
		"lib/go.mod":     "module example.com/lib\n",
		"lib/cfg/cfg.go": "package cfg\n",
		"lib2/go.mod":    "module example.com/lib2\n\nreplace example.com/lib4 => ../lib4\n",
		"lib2/p/p.go":    "package p\n",
		"lib3/go.mod":    "module example.com/lib3\n",
		"lib3/p/p.go":    "package p\n",
		"lib4/go.mod":    "module example.com/lib4\n",
		"lib4/p/p.go":    "package p\n",
		"safe/go.mod":    "module example.com/safe\n",
		"safe/p/p.go":    "package p\n",
	}, nil)
	for _, c := range []struct {
		imp  string
		ok   bool
		want []string
	}{
		{"example.com/lib/cfg", true, []string{"lib/cfg/cfg.go"}},
		{"example.com/lib2/p", true, []string{"lib2/p/p.go"}},
		{"example.com/lib3/p", true, []string{"lib3/p/p.go"}},
		{"example.com/lib4/p", true, []string{"lib4/p/p.go"}},
		{"example.com/evil/passwd", false, nil},
		{"example.com/abs/passwd", false, nil},
		{"example.com/other", false, nil},
	} {
		fs, ok, err := snap.Package("app/main.go", c.imp)
		if err != nil || ok != c.ok || !slices.Equal(names(fs), c.want) {
			t.Errorf("Package(app/main.go, %s) = %q, %v, %v; want %q, %v", c.imp, names(fs), ok, err, c.want, c.ok)
		}
	}
	_ = reads
}

// TestPackageReplaceVersions: the replace directive go vet's build
// applies (modreplace.Pick), each case's folder the one go list -deps
// -f '{{.Dir}}' named for a real workspace (go 1.26, local modules and a
// file GOPROXY): a directive for another version than the required one
// does not apply, the go.work's for one version leaves the go.mod's for
// all, the later workspace module's wins, and a go.work's replacement by
// a module version leaves the path out of the snapshot. Before, staged
// and pre-receive read x in each (the first directive of the path).
func TestPackageReplaceVersions(t *testing.T) {
	const req = "require example.com/lib v1.0.0\n"
	lib := map[string]string{
		"x/go.mod": "module example.com/lib\n", "x/cfg/cfg.go": "package cfg\n",
		"y/go.mod": "module example.com/lib\n", "y/cfg/cfg.go": "package cfg\n",
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // nil: not in the snapshot
	}{
		{"work-other-version", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib v1.2.0 => ./x\n",
			"app/go.mod": "module example.com/app\n\n" + req,
		}, nil},
		{"work-version", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib v1.2.0 => ./x\n",
			"app/go.mod": "module example.com/app\n\nrequire example.com/lib v1.2.0\n",
		}, []string{"x/cfg/cfg.go"}},
		{"work-other-version-mod", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib v1.2.0 => ./x\n",
			"app/go.mod": "module example.com/app\n\n" + req + "\nreplace example.com/lib => ../y\n",
		}, []string{"y/cfg/cfg.go"}},
		{"mod-other-version", map[string]string{
			"app/go.mod": "module example.com/app\n\n" + req + "\nreplace example.com/lib v1.2.0 => ../x\n",
		}, nil},
		{"later-module", map[string]string{
			"go.work":      "go 1.22\n\nuse (\n\t./app\n\t./other\n)\n",
			"app/go.mod":   "module example.com/app\n\n" + req + "\nreplace example.com/lib v1.0.0 => ../y\n",
			"other/go.mod": "module example.com/other\n\nreplace example.com/lib => ../x\n",
		}, []string{"x/cfg/cfg.go"}},
		{"work-module-version", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib => example.com/lib v1.2.0\n",
			"app/go.mod": "module example.com/app\n\n" + req + "\nreplace example.com/lib => ../y\n",
		}, nil},
	} {
		files := map[string]string{"app/main.go": "package main\n"}
		maps.Copy(files, lib)
		maps.Copy(files, tc.files)
		snap, _ := snapshot(files, nil)
		fs, ok, err := snap.Package("app/main.go", "example.com/lib/cfg")
		if err != nil || ok != (tc.want != nil) || !slices.Equal(names(fs), tc.want) {
			t.Errorf("%s: Package = %q, %v, %v; want %q", tc.name, names(fs), ok, err, tc.want)
		}
	}
}

// TestWithin: a relative folder path is resolved inside the snapshot
// only.
func TestWithin(t *testing.T) {
	for _, c := range []struct {
		dir, rel, want string
		ok             bool
	}{
		{"app", "../lib", "lib", true},
		{"a/b", "./c", "a/b/c", true},
		{"app", "../../etc", "", false},
		{".", "../x", "", false},
		{"app", "/etc", "", false},
		{"app", "example.com/lib", "", false}, // a module path, no folder
	} {
		if got, ok := gosnap.Within(c.dir, c.rel); got != c.want || ok != c.ok {
			t.Errorf("Within(%q, %q) = %q, %v; want %q, %v", c.dir, c.rel, got, ok, c.want, c.ok)
		}
	}
}

// TestImportersReplaced: a module of the snapshot whose replace
// directive (or go.work) puts the changed package's module in its folder
// imports it from there; one that does not (a dependency of the same
// path, fetched) does not.
func TestImportersReplaced(t *testing.T) {
	starts := func(data []byte) bool { return bytes.Contains(data, []byte("HEAD")) }
	snap, _ := snapshot(map[string]string{
		"lib/go.mod":       "module example.com/lib\n",
		"lib/cfg/cfg.go":   "package cfg\n\nconst Head = \"HEAD\"\n",
		"app/go.mod":       "module example.com/app\n\nreplace example.com/lib => ../lib\n",
		"app/main.go":      "package main\n\nimport \"example.com/lib/cfg\"\n",
		"ws/go.work":       "go 1.22\n\nuse (\n\t./tool\n\t../lib\n)\n",
		"ws/tool/go.mod":   "module example.com/tool\n",
		"ws/tool/tool.go":  "package tool\n\nimport \"example.com/lib/cfg\"\n",
		"other/go.mod":     "module example.com/other\n\nrequire example.com/lib v1.0.0\n",
		"other/other.go":   "package other\n\nimport \"example.com/lib/cfg\"\n",
		"lib/user/user.go": "package user\n\nimport \"example.com/lib/cfg\"\n",
	}, nil)
	got, err := snap.Importers([]string{"lib/cfg"}, starts, imports)
	if err != nil {
		t.Fatal(err)
	}
	paths := entryPaths(got)
	want := []string{"app/main.go", "lib/user/user.go", "ws/tool/tool.go"}
	if !slices.Equal(paths, want) {
		t.Errorf("Importers = %q, want %q", paths, want)
	}
}

// TestReresolved: the import paths a module resolves otherwise after a
// go.mod, go.work or vendor/modules.txt change are given by module
// folder; a go.mod whose module path and replacements are as they were
// (a require bumped) gives none, nor do files IsModFile does not name.
func TestReresolved(t *testing.T) {
	base := map[string]string{
		"go.mod":         "module example.com/app\n\nrequire example.com/lib v1.0.0\n",
		"main.go":        "package main\n\nimport \"example.com/lib\"\n",
		"xlib/go.mod":    "module example.com/lib\n",
		"xlib/lib.go":    "package lib\n",
		"tool/go.mod":    "module example.com/tool\n",
		"tool/tool.go":   "package tool\n",
		"vend/go.mod":    "module example.com/vend\n",
		"vend/v.go":      "package v\n\nimport \"example.com/dep/x\"\n",
		"vend/vendor/ok": "x",
	}
	with := func(changes map[string]string) map[string]string {
		out := maps.Clone(base)
		for p, c := range changes {
			if c == "" {
				delete(out, p)
			} else {
				out[p] = c
			}
		}
		return out
	}
	for _, c := range []struct {
		name    string
		changes map[string]string
		changed []string
		want    gosnap.Resolved
	}{
		{"replace added", map[string]string{"go.mod": base["go.mod"] + "\nreplace example.com/lib => ./xlib\n"}, []string{"go.mod"},
			gosnap.Resolved{".": {"example.com/lib"}}},
		{"require bumped", map[string]string{"go.mod": "module example.com/app\n\nrequire example.com/lib v1.2.0\n"}, []string{"go.mod"},
			gosnap.Resolved{}},
		{"not a mod file", map[string]string{"main.go": "package main\n"}, []string{"main.go"}, gosnap.Resolved{}},
		{"module renamed", map[string]string{"tool/go.mod": "module example.com/tools\n"}, []string{"tool/go.mod"},
			gosnap.Resolved{"tool": {"example.com/tool", "example.com/tools"}}},
		{"go.work", map[string]string{"go.work": "go 1.22\n\nuse (\n\t.\n\t./xlib\n)\n"}, []string{"go.work"},
			// every module below the go.work reads its modules, as Package does
			gosnap.Resolved{".": {"example.com/lib"}, "xlib": {"example.com/app"}, "tool": {"example.com/app", "example.com/lib"}, "vend": {"example.com/app", "example.com/lib"}}},
		{"vendored", map[string]string{"vend/vendor/modules.txt": "# example.com/dep v1.0.0\n## explicit\nexample.com/dep/x\n"}, []string{"vend/vendor/modules.txt"},
			gosnap.Resolved{"vend": {gosnap.VendorMode, "example.com/dep/x"}}},
		{"go.mod removed", map[string]string{"tool/go.mod": ""}, []string{"tool/go.mod"},
			gosnap.Resolved{".": {"example.com/app", "example.com/tool"}}},
	} {
		old, _ := snapshot(base, nil)
		snap, _ := snapshot(with(c.changes), nil)
		got, err := snap.Reresolved(old, c.changed)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !maps.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("%s: Reresolved = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestReresolvedWorkspaceReplace: in a workspace a module's go.mod replace
// directives are every workspace module's (Package), so one changed
// re-resolves the other modules' imports too; outside a workspace only
// its own module's.
func TestReresolvedWorkspaceReplace(t *testing.T) {
	base := map[string]string{
		"go.work":     "go 1.22\n\nuse (\n\t./app\n\t./lib2\n)\n",
		"app/go.mod":  "module example.com/app\n",
		"app/main.go": "package main\n\nimport \"example.com/lib4\"\n",
		"lib2/go.mod": "module example.com/lib2\n",
		"lib4/go.mod": "module example.com/lib4\n",
	}
	changed := maps.Clone(base)
	changed["lib2/go.mod"] = "module example.com/lib2\n\nreplace example.com/lib4 => ../lib4\n"
	for _, c := range []struct {
		name      string
		old, snap map[string]string
		want      gosnap.Resolved
	}{
		{"in a workspace", base, changed, gosnap.Resolved{"app": {"example.com/lib4"}, "lib2": {"example.com/lib4"}}},
		{"no go.work", without(base, "go.work"), without(changed, "go.work"), gosnap.Resolved{"lib2": {"example.com/lib4"}}},
	} {
		old, _ := snapshot(c.old, nil)
		snap, _ := snapshot(c.snap, nil)
		got, err := snap.Reresolved(old, []string{"lib2/go.mod"})
		if err != nil || !maps.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("%s: Reresolved = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

// TestReresolvedRequireVersion: in a workspace whose go.work replaces
// example.com/lib at v1.2.0 only, tool's go.mod requiring v1.2.0 instead
// of v1.0.0 moves the selected version onto the replacement: app, which
// did not change, reads lib from x now (go vet's build), and is
// re-resolved. Without a versioned directive a require bumped walks
// nothing, as before.
func TestReresolvedRequireVersion(t *testing.T) {
	base := map[string]string{
		"go.work":     "go 1.22\n\nuse (\n\t./app\n\t./tool\n)\n\nreplace example.com/lib v1.2.0 => ./x\n",
		"app/go.mod":  "module example.com/app\n\nrequire example.com/lib v1.0.0\n",
		"app/main.go": "package main\n\nimport \"example.com/lib/cfg\"\n",
		"tool/go.mod": "module example.com/tool\n\nrequire example.com/lib v1.0.0\n",
		"x/go.mod":    "module example.com/lib\n",
	}
	changed := maps.Clone(base)
	changed["tool/go.mod"] = "module example.com/tool\n\nrequire example.com/lib v1.2.0\n"
	unversioned := maps.Clone(base)
	unversioned["go.work"] = "go 1.22\n\nuse (\n\t./app\n\t./tool\n)\n"
	unversionedChanged := maps.Clone(changed)
	unversionedChanged["go.work"] = unversioned["go.work"]
	for _, c := range []struct {
		name      string
		old, snap map[string]string
		want      gosnap.Resolved
	}{
		{"versioned", base, changed, gosnap.Resolved{"app": {"example.com/lib"}, "tool": {"example.com/lib"}}},
		{"unversioned", unversioned, unversionedChanged, gosnap.Resolved{}},
	} {
		old, _ := snapshot(c.old, nil)
		snap, _ := snapshot(c.snap, nil)
		got, err := snap.Reresolved(old, []string{"tool/go.mod"})
		if err != nil || !maps.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("%s: Reresolved = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func without(files map[string]string, name string) map[string]string {
	out := maps.Clone(files)
	delete(out, name)
	return out
}

// TestImportersWith: the files of a module that import a path it
// resolves otherwise are found, and through a package of theirs that
// passes starts, the files importing it; a file importing another path
// is not.
func TestImportersWith(t *testing.T) {
	starts := func(data []byte) bool { return bytes.Contains(data, []byte("HEAD")) }
	snap, _ := snapshot(map[string]string{
		"go.mod":        "module example.com/app\n\nreplace example.com/lib => ./xlib\n",
		"main.go":       "package main\n\nimport \"example.com/lib\"\n",
		"mid/mid.go":    "package mid\n\nimport \"example.com/lib/sub\"\n\nconst Mid = sub.X + \"HEAD\"\n",
		"top/top.go":    "package top\n\nimport \"example.com/app/mid\"\n",
		"other/o.go":    "package other\n\nimport \"example.com/libs\"\n",
		"xlib/go.mod":   "module example.com/lib\n",
		"xlib/lib.go":   "package lib\n",
		"xlib/user.go":  "package lib\n\nimport \"example.com/lib/sub\"\n",
		"xlib/sub/s.go": "package sub\n",
	}, nil)
	got, err := snap.ImportersWith(nil, gosnap.Resolved{".": {"example.com/lib"}}, starts, imports)
	if err != nil {
		t.Fatal(err)
	}
	paths := entryPaths(got)
	if want := []string{"main.go", "mid/mid.go", "top/top.go"}; !slices.Equal(paths, want) {
		t.Errorf("ImportersWith = %q, want %q", paths, want)
	}
}

// TestImportersWithCharged: the walk for a go.mod's importers is
// charged to the budget as Importers' is: past it, a gap.
func TestImportersWithCharged(t *testing.T) {
	files := map[string]string{"go.mod": "module m\n\nreplace example.com/lib => ./xlib\n"}
	for i := range 30 {
		files[fmt.Sprintf("p%02d/p.go", i)] = "package p\n\nimport \"example.com/lib\"\n"
	}
	budget := content.NewGoBudget(20)
	snap, _ := snapshot(files, budget)
	if _, err := snap.ImportersWith(nil, gosnap.Resolved{".": {"example.com/lib"}}, func([]byte) bool { return true }, imports); !errors.Is(err, content.ErrGoBudget) {
		t.Errorf("ImportersWith past the budget: %v, want ErrGoBudget", err)
	}
	if n, _ := budget.Left(); n != 1 {
		t.Errorf("the budget counted %d left, want 1", n)
	}
}

// TestPackageVendor: another module's package is read from the vendor
// folder of a module with a vendor/modules.txt, as the go command builds
// it, a replaced module's too; a folder without files stays unresolved.
// Under a go.work the vendor/ beside the go.work is the one read (go work
// vendor's, as keyscan scan reads it), a module's own is not.
func TestPackageVendor(t *testing.T) {
	files := map[string]string{
		"go.mod":                        "module example.com/app\n\nreplace example.com/dep => ./dep\n",
		"dep/go.mod":                    "module example.com/dep\n",
		"dep/x/x.go":                    "package x\n",
		"dep/z/z.go":                    "package z\n",
		"main.go":                       "package main\n",
		"vendor/modules.txt":            "# example.com/dep v1.0.0\n## explicit\nexample.com/dep/x\n",
		"vendor/example.com/dep/x/x.go": "package x\n",
		"vendor/example.com/dep/y/y.go": "package y\n",
	}
	snap, _ := snapshot(files, nil)
	for _, c := range []struct {
		imp  string
		ok   bool
		want []string
	}{
		{"example.com/dep/x", true, []string{"vendor/example.com/dep/x/x.go"}},
		{"example.com/dep/y", true, []string{"vendor/example.com/dep/y/y.go"}},
		{"example.com/dep/z", true, []string{"dep/z/z.go"}},
		{"example.com/dep", true, nil},
		{"example.com/other", false, nil},
	} {
		fs, ok, err := snap.Package("main.go", c.imp)
		if err != nil || ok != c.ok || !slices.Equal(names(fs), c.want) {
			t.Errorf("Package(main.go, %s) = %q, %v, %v; want %q, %v", c.imp, names(fs), ok, err, c.want, c.ok)
		}
	}
	files["go.work"] = "go 1.22\n\nuse .\n"
	snap, _ = snapshot(files, nil)
	if fs, ok, err := snap.Package("main.go", "example.com/dep/x"); !ok || err != nil || !slices.Equal(names(fs), []string{"vendor/example.com/dep/x/x.go"}) {
		t.Errorf("Package under a go.work with its vendor/ = %q, %v, %v; want the vendored copy", names(fs), ok, err)
	}
	work := map[string]string{"go.work": "go 1.22\n\nuse ./app\n"}
	for name, body := range files {
		if name != "go.work" {
			work["app/"+name] = strings.ReplaceAll(body, "./dep", "../dep")
		}
	}
	work["dep/go.mod"], work["dep/x/x.go"] = files["dep/go.mod"], files["dep/x/x.go"]
	snap, _ = snapshot(work, nil)
	if fs, ok, err := snap.Package("app/main.go", "example.com/dep/x"); !ok || err != nil || !slices.Equal(names(fs), []string{"dep/x/x.go"}) {
		t.Errorf("Package under a go.work above the module's vendor/ = %q, %v, %v; want the replacement's", names(fs), ok, err)
	}
}

// TestImportersVendored: a changed vendored package's importers are the
// files of the module that vendors it.
func TestImportersVendored(t *testing.T) {
	starts := func(data []byte) bool { return bytes.Contains(data, []byte("HEAD")) }
	snap, _ := snapshot(map[string]string{
		"go.mod":                        "module example.com/app\n",
		"main.go":                       "package main\n\nimport \"example.com/dep/x\"\n",
		"plain.go":                      "package main\n\nimport \"example.com/dep/y\"\n",
		"vendor/modules.txt":            "# example.com/dep v1.0.0\nexample.com/dep/x\nexample.com/dep/y\n",
		"vendor/example.com/dep/x/x.go": "package x\n\nconst Head = \"HEAD\"\n",
		"vendor/example.com/dep/y/y.go": "package y\n",
	}, nil)
	got, err := snap.Importers([]string{"vendor/example.com/dep/x"}, starts, imports)
	if err != nil {
		t.Fatal(err)
	}
	paths := entryPaths(got)
	if want := []string{"main.go"}; !slices.Equal(paths, want) {
		t.Errorf("Importers = %q, want %q", paths, want)
	}
}

// TestImportersWorkVendored: a changed package of a go.work's vendor/
// (go work vendor) has its importers in each workspace module; a
// vendor/modules.txt added beside the go.work re-resolves them all.
func TestImportersWorkVendored(t *testing.T) {
	starts := func(data []byte) bool { return bytes.Contains(data, []byte("HEAD")) }
	files := map[string]string{
		"go.work":                       "go 1.22\n\nuse (\n\t./app\n\t./tool\n)\n",
		"app/go.mod":                    "module example.com/app\n",
		"app/main.go":                   "package main\n\nimport \"example.com/dep/x\"\n",
		"tool/go.mod":                   "module example.com/tool\n",
		"tool/t.go":                     "package tool\n\nimport \"example.com/dep/x\"\n",
		"vendor/modules.txt":            "# example.com/dep v1.0.0\nexample.com/dep/x\n",
		"vendor/example.com/dep/x/x.go": "package x\n\nconst Head = \"HEAD\"\n",
	}
	snap, _ := snapshot(files, nil)
	got, err := snap.Importers([]string{"vendor/example.com/dep/x"}, starts, imports)
	if err != nil {
		t.Fatal(err)
	}
	paths := entryPaths(got)
	if want := []string{"app/main.go", "tool/t.go"}; !slices.Equal(paths, want) {
		t.Errorf("Importers = %q, want %q", paths, want)
	}
	old, _ := snapshot(without(files, "vendor/modules.txt"), nil)
	re, err := snap.Reresolved(old, []string{"vendor/modules.txt"})
	want := gosnap.Resolved{"app": {gosnap.VendorMode, "example.com/dep/x"}, "tool": {gosnap.VendorMode, "example.com/dep/x"}}
	if err != nil || !maps.EqualFunc(re, want, slices.Equal) {
		t.Errorf("Reresolved, the go.work's vendor/modules.txt added = %v, %v; want %v", re, err, want)
	}
}

// TestImportersWorkVendoredChain: a changed package b of a go.work's
// vendor/ that another vendored package a passes on (const P = b.P) has
// a for an importer, and app importing a: the folder belongs to no
// module, so no module's walk read a, and a key app's literal completed
// through the chain was missed by staged and pre-receive.
func TestImportersWorkVendoredChain(t *testing.T) {
	starts := func(data []byte) bool {
		return bytes.Contains(data, []byte("HEAD")) || bytes.Contains(data, []byte("b.P"))
	}
	snap, _ := snapshot(map[string]string{
		"go.work":                       "go 1.22\n\nuse ./app\n",
		"app/go.mod":                    "module example.com/app\n",
		"app/main.go":                   "package main\n\nimport \"example.com/dep/a\"\n",
		"app/other.go":                  "package main\n\nimport \"example.com/dep/c\"\n",
		"vendor/modules.txt":            "# example.com/dep v1.0.0\nexample.com/dep/a\nexample.com/dep/b\nexample.com/dep/c\n",
		"vendor/example.com/dep/a/a.go": "package a\n\nimport \"example.com/dep/b\"\n\nconst P = b.P\n",
		"vendor/example.com/dep/b/b.go": "package b\n\nconst P = \"HEAD\"\n",
		"vendor/example.com/dep/c/c.go": "package c\n",
	}, nil)
	got, err := snap.Importers([]string{"vendor/example.com/dep/b"}, starts, imports)
	if err != nil {
		t.Fatal(err)
	}
	paths := entryPaths(got)
	if want := []string{"app/main.go", "vendor/example.com/dep/a/a.go"}; !slices.Equal(paths, want) {
		t.Errorf("Importers = %q, want %q", paths, want)
	}
}

// TestImportersReplaceChain: app's build reads lib from x and lib2 from
// z; x's cfg passes on z's head. A commit changing only z has x/cfg and
// app.go for importers: in app's build x's packages import lib2 from z,
// whatever x's go.mod replaces it with (safe), and before neither was
// found (x does not read z itself).
func TestImportersReplaceChain(t *testing.T) {
	starts := func(data []byte) bool {
		return bytes.Contains(data, []byte("HEAD")) || bytes.Contains(data, []byte("p.Head"))
	}
	snap, _ := snapshot(map[string]string{
		"app/go.mod":   "module example.com/app\n\nrequire (\n\texample.com/lib v1.0.0\n\texample.com/lib2 v1.0.0\n)\n\nreplace example.com/lib => ../x\n\nreplace example.com/lib2 => ../z\n",
		"app/app.go":   "package app\n\nimport \"example.com/lib/cfg\"\n",
		"x/go.mod":     "module example.com/lib\n\nreplace example.com/lib2 => ../safe\n",
		"x/cfg/cfg.go": "package cfg\n\nimport \"example.com/lib2/p\"\n\nconst Head = p.Head\n",
		"z/go.mod":     "module example.com/lib2\n",
		"z/p/p.go":     "package p\n\nconst Head = \"HEAD\"\n",
		"safe/go.mod":  "module example.com/lib2\n",
		"safe/p/p.go":  "package p\n",
	}, nil)
	got, err := snap.Importers([]string{"z/p"}, starts, imports)
	if err != nil {
		t.Fatal(err)
	}
	if paths, want := entryPaths(got), []string{"app/app.go", "x/cfg/cfg.go"}; !slices.Equal(paths, want) {
		t.Errorf("Importers = %q, want %q", paths, want)
	}
}

// TestImportersVendorMode: a vendor/modules.txt added makes every file
// of the module importing another module's package an importer, not one
// importing the standard library or the module's own.
func TestImportersVendorMode(t *testing.T) {
	snap, _ := snapshot(map[string]string{
		"go.mod":      "module example.com/app\n",
		"a.go":        "package app\n\nimport \"example.com/dep/y\"\n",
		"b.go":        "package app\n\nimport \"fmt\"\n",
		"own/own.go":  "package own\n\nimport \"example.com/app/b\"\n",
		"c/c.go":      "package c\n\nimport \"golang.org/x/mod/modfile\"\n",
		"vendor/m.go": "package m\n",
	}, nil)
	got, err := snap.ImportersWith(nil, gosnap.Resolved{".": {gosnap.VendorMode}}, func([]byte) bool { return false }, imports)
	if err != nil {
		t.Fatal(err)
	}
	paths := entryPaths(got)
	if want := []string{"a.go", "c/c.go"}; !slices.Equal(paths, want) {
		t.Errorf("ImportersWith = %q, want %q", paths, want)
	}
}

// TestReresolvedWalks: a go.mod whose module path stays (a require
// bumped) walks no folder of the snapshot; one renamed walks them for
// the modules whose go.work reads it, charged to the budget.
func TestReresolvedWalks(t *testing.T) {
	files := map[string]string{"go.mod": "module example.com/app\n\nrequire example.com/lib v1.0.0\n"}
	for i := range 40 {
		files[fmt.Sprintf("p%02d/p.go", i)] = "package p\n"
	}
	old, _ := snapshot(files, nil)
	for _, c := range []struct {
		gomod string
		walk  bool
	}{
		{"module example.com/app\n\nrequire example.com/lib v1.2.0\n", false},
		{"module example.com/app2\n", true},
	} {
		files["go.mod"] = c.gomod
		budget := content.NewGoBudget(5)
		snap, _ := snapshot(files, budget)
		_, err := snap.Reresolved(old, []string{"go.mod"})
		if walked := errors.Is(err, content.ErrGoBudget); walked != c.walk || err != nil && !walked {
			t.Errorf("Reresolved with go.mod %q: %v; want a walk %v", c.gomod, err, c.walk)
		}
	}
}

// entryPaths lists the paths of entries, in their order.
func entryPaths(entries []gosnap.Entry) []string {
	var paths []string
	for _, e := range entries {
		paths = append(paths, e.Path)
	}
	return paths
}
