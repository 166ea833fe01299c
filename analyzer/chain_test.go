package analyzer_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestScanPackageDirChain: a key whose head is a constant of l3 that l2
// and l1 pass on (const P = l3.P) is folded at the importer, as go vet
// folds it from export data: the importer of the type-checked scan reads
// the packages an imported package's string constants name (fold35;
// before, an imported package's own imports were empty). Packages that
// import each other (no Go program, a crafted tree) read an empty package
// where the cycle closes, and the scan ends.
func TestScanPackageDirChain(t *testing.T) {
	g := fakekey.New(3502)
	id, id2 := g.KeyID("AKIA"), g.KeyID("ASIA")
	root := t.TempDir()
	files := map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.22\n",
		"l3/l3.go":       fmt.Sprintf("package l3\n\nconst P = %q\n", id[:6]),
		"l2/l2.go":       "package l2\n\nimport \"example.com/m/l3\"\n\nconst P = l3.P\n",
		"l1/l1.go":       "package l1\n\nimport \"example.com/m/l2\"\n\n// P is l2's, typed.\nconst P string = l2.P + \"\"\n",
		"app/app.go":     fmt.Sprintf("package app\n\nimport \"example.com/m/l1\"\n\nconst ID = l1.P + %q\n", id[6:]),
		"cyc/a/a.go":     fmt.Sprintf("package a\n\nimport \"example.com/m/cyc/b\"\n\nconst P = b.P\n\nconst Q = %q\n", id2[:8]),
		"cyc/b/b.go":     "package b\n\nimport \"example.com/m/cyc/a\"\n\nconst P = a.Q\n\nconst R = a.P\n",
		"cyc/use/use.go": fmt.Sprintf("package use\n\nimport \"example.com/m/cyc/b\"\n\nvar ID = b.P + %q\n", id2[8:]),
	}
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, file, id string }{
		{"app", "app/app.go", id},
		{"cyc/use", "cyc/use/use.go", id2},
	} {
		dir := filepath.Join(root, filepath.FromSlash(tc.dir))
		got, err := analyzer.ScanPackageDir(context.Background(), sc, dir, []string{filepath.Base(tc.file)}, root, root)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].File != tc.file || got[0].Secret != tc.id {
			t.Errorf("ScanPackageDir(%s) = %v, want %s at %s", tc.dir, got, scanner.Redact(tc.id), tc.file)
		}
	}
}

// TestScanPackageDirVendor: with a vendor/modules.txt, the go command
// builds another module's packages from vendor/ (the module's, or the
// go.work's in a workspace), and go vet folds their constants there: so
// does the type-checked scan, also for a module a go.work's replace puts
// in a folder (go work vendor copies it into vendor/). Without modules.txt
// the folder is not the build's, and is not read.
func TestScanPackageDirVendor(t *testing.T) {
	g := fakekey.New(3605)
	id := g.KeyID("AKIA")
	cfg := fmt.Sprintf("package cfg\n\nconst Head = %q\n\nconst Tail = %q\n", id[:6], id[6:])
	app := "package app\n\nimport \"example.com/lib/cfg\"\n\nvar ID = cfg.Head + cfg.Tail\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		dir   string // the package scanned
		found bool
	}{
		{"module", map[string]string{
			"go.mod":                            "module example.com/v\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
			"vendor/modules.txt":                "# example.com/lib v1.0.0\n## explicit\nexample.com/lib/cfg\n",
			"vendor/example.com/lib/cfg/cfg.go": cfg,
			"app/app.go":                        app,
		}, "app", true},
		{"workspace", map[string]string{
			"go.work":                           "go 1.22\n\nuse ./a\n",
			"a/go.mod":                          "module example.com/a\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
			"vendor/modules.txt":                "# example.com/lib v1.0.0\n## explicit\nexample.com/lib/cfg\n",
			"vendor/example.com/lib/cfg/cfg.go": cfg,
			"a/app/app.go":                      app,
		}, "a/app", true},
		// A go.work's replace to a folder is vendored by go work vendor
		// too (qa37 M1): the build reads vendor/, not the folder.
		{"workspace-replace", map[string]string{
			"go.work":                           "go 1.22\n\nuse ./a\n\nreplace example.com/lib => ./localdep\n",
			"a/go.mod":                          "module example.com/a\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
			"vendor/modules.txt":                "## workspace\n# example.com/lib v1.0.0 => ./localdep\n## explicit\nexample.com/lib/cfg\n",
			"vendor/example.com/lib/cfg/cfg.go": cfg,
			"localdep/go.mod":                   "module example.com/lib\n\ngo 1.22\n",
			"localdep/cfg/cfg.go":               "package cfg\n\nconst Head = \"eu-west\"\n\nconst Tail = \"\"\n",
			"a/app/app.go":                      app,
		}, "a/app", true},
		{"workspace-replace-folder-only", map[string]string{
			"go.work":                           "go 1.22\n\nuse ./a\n\nreplace example.com/lib => ./localdep\n",
			"a/go.mod":                          "module example.com/a\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
			"vendor/modules.txt":                "## workspace\n# example.com/lib v1.0.0 => ./localdep\n## explicit\nexample.com/lib/cfg\n",
			"vendor/example.com/lib/cfg/cfg.go": "package cfg\n\nconst Head = \"eu-west\"\n\nconst Tail = \"\"\n",
			"localdep/go.mod":                   "module example.com/lib\n\ngo 1.22\n",
			"localdep/cfg/cfg.go":               cfg,
			"a/app/app.go":                      app,
		}, "a/app", false},
		{"nomodulestxt", map[string]string{
			"go.mod":                            "module example.com/v\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
			"vendor/example.com/lib/cfg/cfg.go": cfg,
			"app/app.go":                        app,
		}, "app", false},
	} {
		root := t.TempDir()
		for name, src := range tc.files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		sc, err := scanner.New(scanner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := analyzer.ScanPackageDir(context.Background(), sc, filepath.Join(root, filepath.FromSlash(tc.dir)), []string{"app.go"}, root, root)
		if err != nil {
			t.Fatal(err)
		}
		if found := len(got) == 1 && got[0].Secret == id; found != tc.found || len(got) > 1 {
			t.Errorf("%s: ScanPackageDir = %v, want the key: %v", tc.name, got, tc.found)
		}
	}
}

// TestScanPackageDirWorkVendorChain: a key whose head b declares, passed
// on by a (const P = b.P) and completed in app's literal, with a and b in
// the vendor/ folder go work vendor writes beside the go.work: the go
// command builds a's import of b from there too, and go vet folds the
// chain. That folder has no go.mod above it, and the scan's importer left
// b unresolved from a (scan, staged and pre-receive missed the key). The
// packages may be of one module or two; a module's own vendor/ is the
// control. ImportResolver.Dir, which picks scan's candidates, resolves a's
// import of b as the type check does.
func TestScanPackageDirWorkVendorChain(t *testing.T) {
	g := fakekey.New(3607)
	id := g.KeyID("AKIA")
	b := fmt.Sprintf("package b\n\nconst P = %q\n", id[:8])
	app := func(a string) string {
		return fmt.Sprintf("package app\n\nimport %q\n\nvar ID = a.P + %q\n", a, id[8:])
	}
	for _, tc := range []struct {
		name     string
		files    map[string]string
		dir      string // the package scanned
		a, b, bv string // a's folder, its import of b, and b's folder
	}{
		{"workspace", map[string]string{
			"go.work":                       "go 1.22\n\nuse ./app\n\nreplace example.com/lib v1.0.0 => ../deps/lib\n",
			"app/go.mod":                    "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
			"vendor/modules.txt":            "## workspace\n# example.com/lib v1.0.0 => ../deps/lib\n## explicit; go 1.22\nexample.com/lib/a\nexample.com/lib/b\n",
			"vendor/example.com/lib/a/a.go": "package a\n\nimport \"example.com/lib/b\"\n\nconst P = b.P\n",
			"vendor/example.com/lib/b/b.go": b,
			"app/app.go":                    app("example.com/lib/a"),
		}, "app", "vendor/example.com/lib/a", "example.com/lib/b", "vendor/example.com/lib/b"},
		{"workspace-two-modules", map[string]string{
			"go.work":                        "go 1.22\n\nuse ./app\n",
			"app/go.mod":                     "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/liba v1.0.0\n\texample.com/libb v1.0.0 // indirect\n)\n",
			"vendor/modules.txt":             "## workspace\n# example.com/liba v1.0.0\n## explicit; go 1.22\nexample.com/liba/a\n# example.com/libb v1.0.0\n## explicit; go 1.22\nexample.com/libb/b\n",
			"vendor/example.com/liba/a/a.go": "package a\n\nimport \"example.com/libb/b\"\n\nconst P = b.P\n",
			"vendor/example.com/libb/b/b.go": b,
			"app/app.go":                     app("example.com/liba/a"),
		}, "app", "vendor/example.com/liba/a", "example.com/libb/b", "vendor/example.com/libb/b"},
		{"module", map[string]string{
			"go.mod":                        "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
			"vendor/modules.txt":            "# example.com/lib v1.0.0\n## explicit; go 1.22\nexample.com/lib/a\nexample.com/lib/b\n",
			"vendor/example.com/lib/a/a.go": "package a\n\nimport \"example.com/lib/b\"\n\nconst P = b.P\n",
			"vendor/example.com/lib/b/b.go": b,
			"app/app.go":                    app("example.com/lib/a"),
		}, "app", "vendor/example.com/lib/a", "example.com/lib/b", "vendor/example.com/lib/b"},
	} {
		root := t.TempDir()
		for name, src := range tc.files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		at := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
		if got := analyzer.NewImportResolver().Dir(root, at(tc.a), tc.b); got != at(tc.bv) {
			t.Errorf("%s: Dir(%s, %s) = %q, want %q", tc.name, tc.a, tc.b, got, at(tc.bv))
		}
		sc, err := scanner.New(scanner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := analyzer.ScanPackageDir(context.Background(), sc, at(tc.dir), []string{"app.go"}, root, root)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Secret != id || got[0].File != "app/app.go" {
			t.Errorf("%s: ScanPackageDir = %v, want %s at app/app.go", tc.name, got, scanner.Redact(id))
		}
	}
}

// TestResolveReplaceVersions: keyscan scan reads an imported package from
// the folder the replace directive go vet's build applies names
// (modreplace.Pick), each case's folder the one go list -deps -f
// '{{.Dir}}' named for a real workspace (go 1.26, local modules and a file
// GOPROXY): a directive for another version than the required one does
// not apply, the go.work's for one version leaves the go.mod's for all,
// the later workspace module's wins, and a go.work's replacement by a
// module version leaves the path out of the tree. Before, scan read x in
// each (the go.work's directive, else the importer's go.mod's, whatever
// the version).
func TestResolveReplaceVersions(t *testing.T) {
	const req = "require example.com/lib v1.0.0\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // the folder, "" for none
	}{
		{"work-other-version", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib v1.2.0 => ./x\n",
			"app/go.mod": "module example.com/app\n\n" + req,
		}, ""},
		{"work-version", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib v1.2.0 => ./x\n",
			"app/go.mod": "module example.com/app\n\nrequire example.com/lib v1.2.0\n",
		}, "x/cfg"},
		{"work-other-version-mod", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib v1.2.0 => ./x\n",
			"app/go.mod": "module example.com/app\n\n" + req + "\nreplace example.com/lib => ../y\n",
		}, "y/cfg"},
		{"mod-other-version", map[string]string{
			"app/go.mod": "module example.com/app\n\n" + req + "\nreplace example.com/lib v1.2.0 => ../x\n",
		}, ""},
		{"mod-version", map[string]string{
			"app/go.mod": "module example.com/app\n\n" + req + "\nreplace (\n\texample.com/lib => ../x\n\texample.com/lib v1.0.0 => ../y\n)\n",
		}, "y/cfg"},
		{"later-module", map[string]string{
			"go.work":      "go 1.22\n\nuse (\n\t./app\n\t./other\n)\n",
			"app/go.mod":   "module example.com/app\n\n" + req + "\nreplace example.com/lib v1.0.0 => ../y\n",
			"other/go.mod": "module example.com/other\n\nreplace example.com/lib => ../x\n",
		}, "x/cfg"},
		{"work-module-version", map[string]string{
			"go.work":    "go 1.22\n\nuse ./app\n\nreplace example.com/lib => example.com/lib v1.2.0\n",
			"app/go.mod": "module example.com/app\n\n" + req + "\nreplace example.com/lib => ../y\n",
		}, ""},
	} {
		root := t.TempDir()
		files := map[string]string{
			"app/main.go": "package main\n",
			"x/go.mod":    "module example.com/lib\n", "x/cfg/cfg.go": "package cfg\n",
			"y/go.mod": "module example.com/lib\n", "y/cfg/cfg.go": "package cfg\n",
		}
		maps.Copy(files, tc.files)
		for name, src := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want := ""
		if tc.want != "" {
			want = filepath.Join(root, filepath.FromSlash(tc.want))
		}
		if got := analyzer.NewImportResolver().Dir(root, filepath.Join(root, "app"), "example.com/lib/cfg"); got != want {
			t.Errorf("%s: Dir = %q, want %q", tc.name, got, want)
		}
	}
}

// replaceChainTree is a module app replacing example.com/lib with the
// folder x, whose go.mod replaces example.com/lib2 with ../safe (key
// false) or ../z (key true), x's cfg passing on lib2's head that app
// completes; app's own go.mod replaces lib2 with ../z when appZ.
func replaceChainTree(t *testing.T, id string, xz, appZ bool) string {
	t.Helper()
	pick := func(z bool) string {
		if z {
			return "../z"
		}
		return "../safe"
	}
	app := "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/lib v1.0.0\n\texample.com/lib2 v1.0.0\n)\n\nreplace example.com/lib => ../x\n"
	if appZ {
		app += "\nreplace example.com/lib2 => ../z\n"
	}
	root := t.TempDir()
	for name, src := range map[string]string{
		"app/go.mod":   app,
		"app/app.go":   fmt.Sprintf("package app\n\nimport \"example.com/lib/cfg\"\n\nvar ID = cfg.Head + %q\n", id[8:]),
		"x/go.mod":     "module example.com/lib\n\ngo 1.22\n\nrequire example.com/lib2 v1.0.0\n\nreplace example.com/lib2 => " + pick(xz) + "\n",
		"x/cfg/cfg.go": "package cfg\n\nimport \"example.com/lib2/p\"\n\nconst Head = p.Head\n",
		"z/go.mod":     "module example.com/lib2\n\ngo 1.22\n",
		"z/p/p.go":     fmt.Sprintf("package p\n\nconst Head = %q\n", id[:8]),
		"safe/go.mod":  "module example.com/lib2\n\ngo 1.22\n",
		"safe/p/p.go":  "package p\n\nconst Head = \"hello\"\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestScanPackageDirReplaceChain: the go command builds app's imports,
// their own imports too, in app's build: a replace directive of x's
// go.mod (lib, replaced by x, is no main module) is not the build's. x's
// replace of lib2 with ../z, app's none (lib2 from the module cache):
// go vet reports nothing, and scan reported z's head completed in app;
// app's replace with ../z, x's with ../safe: go vet folds z's head, and
// scan read safe's (checked with go list -deps and go vet -vettool on the
// tree, go 1.26, a file GOPROXY holding lib2).
func TestScanPackageDirReplaceChain(t *testing.T) {
	id := fakekey.New(3608).KeyID("AKIA")
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		xz, appZ   bool
		wantTheKey bool
	}{
		{"dependency-replace", true, false, false},
		{"main-replace", false, true, true},
		{"both", true, true, true},
	} {
		root := replaceChainTree(t, id, tc.xz, tc.appZ)
		got, err := analyzer.ScanPackageDir(context.Background(), sc, filepath.Join(root, "app"), []string{"app.go"}, root, root)
		if err != nil {
			t.Fatal(err)
		}
		if found := len(got) == 1 && got[0].Secret == id; found != tc.wantTheKey || len(got) > 1 {
			t.Errorf("%s: ScanPackageDir = %v, want the key: %v", tc.name, got, tc.wantTheKey)
		}
	}
}
