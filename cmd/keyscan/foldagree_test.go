package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// foldShape is one package of foldModule: the files of its folder shape/
// as templates, {{k:a:b}} standing for the piece [a:b] of its key ID
// ({{k::}} all of it, {{s:a:b}} of its secret; {{K:a:b}} a piece written
// in the harmless commit too, so that the commit bringing the keys leaves
// its file unchanged), {{lower}} for the key ID in lower case, {{dashed}}
// for it cut by dashes; M is the module's path.
type foldShape struct {
	name  string
	files map[string]string
	// found: whether go vet reports a key in the shape (some shapes fold
	// in ways go vet does not: both must then be silent).
	found bool
}

// foldShapes are keys folded from constants of other packages of the
// module, with no literal that looks like a piece of a key where they are
// spelled (fold35): scan, staged and pre-receive missed each, go vet found
// each. The last ones go vet does not fold, and neither may scan.
var foldShapes = []foldShape{
	{"plus", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import \"M/plus/cfg\"\n\nvar ID = cfg.Head + cfg.Tail\n"}, true},
	{"plus3", map[string]string{"cfg": "const (\n\tHead = \"{{k:0:6}}\"\n\tMid  = \"{{k:6:12}}\"\n\tTail = \"{{k:12:}}\"\n)\n", "app": "import \"M/plus3/cfg\"\n\nconst ID = cfg.Head + cfg.Mid + cfg.Tail\n"}, true},
	{"mixed", map[string]string{"cfg": "const Head = \"{{k:0:6}}\"\n\nconst Mid = \"{{k:6:12}}\"\n", "app": "import \"M/mixed/cfg\"\n\nvar ID = cfg.Head + cfg.Mid + \"{{k:12:}}\"\n"}, true},
	{"two", map[string]string{"a": "const Head = \"{{k:0:9}}\"\n", "b": "const Tail = \"{{k:9:}}\"\n", "app": "import (\n\t\"M/two/a\"\n\t\"M/two/b\"\n)\n\nvar ID = a.Head + b.Tail\n"}, true},
	{"chain", map[string]string{"lib2": "const Pre = \"{{k:0:7}}\"\n", "lib": "import \"M/chain/lib2\"\n\nconst Head = lib2.Pre\n", "app": "import \"M/chain/lib\"\n\nvar ID = lib.Head + \"{{k:7:}}\"\n"}, true},
	{"chainfold", map[string]string{"lib2": "const Pre = \"{{k:0:5}}\"\n\nconst Mid = \"{{k:5:10}}\"\n", "lib": "import \"M/chainfold/lib2\"\n\nconst Head = lib2.Pre + lib2.Mid\n\nconst Tail = \"{{k:10:}}\"\n", "app": "import \"M/chainfold/lib\"\n\nvar ID = lib.Head + lib.Tail\n"}, true},
	// A few characters a package: only c changes in the commit bringing
	// the key (imp36: go vet's alone).
	{"chaintail", map[string]string{"c": "const Head = \"{{k:0:4}}\"\n", "b": "import \"M/chaintail/c\"\n\nconst Mid = c.Head + \"{{K:4:8}}\"\n", "app": "import \"M/chaintail/b\"\n\nvar ID = b.Mid + \"{{K:8:}}\"\n"}, true},
	{"chain3", map[string]string{"l3": "const P = \"{{k:0:6}}\"\n", "l2": "import \"M/chain3/l3\"\n\nconst P = l3.P\n", "l1": "import \"M/chain3/l2\"\n\n// P is l2's.\nconst P string = l2.P\n", "app": "import \"M/chain3/l1\"\n\nconst ID = l1.P + \"{{k:6:}}\"\n"}, true},
	{"sprint", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import (\n\t\"fmt\"\n\n\t\"M/sprint/cfg\"\n)\n\nvar ID = fmt.Sprint(cfg.Head, cfg.Tail)\n"}, true},
	{"join", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import (\n\t\"strings\"\n\n\t\"M/join/cfg\"\n)\n\nvar ID = strings.Join([]string{cfg.Head, cfg.Tail}, \"\")\n"}, true},
	{"replaceall", map[string]string{"cfg": "const Dashed = \"{{dashed}}\"\n", "app": "import (\n\t\"strings\"\n\n\t\"M/replaceall/cfg\"\n)\n\nvar ID = strings.ReplaceAll(cfg.Dashed, \"-\", \"\")\n"}, true},
	{"upper", map[string]string{"cfg": "const Lower = \"{{lower}}\"\n", "app": "import (\n\t\"strings\"\n\n\t\"M/upper/cfg\"\n)\n\nvar ID = strings.ToUpper(cfg.Lower)\n"}, true},
	{"trim", map[string]string{"cfg": "const Padded = \"xx{{k::}}\"\n", "app": "import (\n\t\"strings\"\n\n\t\"M/trim/cfg\"\n)\n\nvar ID = strings.TrimPrefix(cfg.Padded, \"xx\")\n"}, true},
	{"typed", map[string]string{"cfg": "// Part is a piece.\ntype Part string\n\nconst Head Part = \"{{k:0:10}}\"\n\nconst Tail Part = \"{{k:10:}}\"\n", "app": "import \"M/typed/cfg\"\n\nvar ID = string(cfg.Head + cfg.Tail)\n"}, true},
	{"block", map[string]string{"cfg": "const (\n\tA = iota\n\tHead = \"{{k:0:8}}\"\n\tTail = \"{{k:8:}}\"\n)\n", "app": "import \"M/block/cfg\"\n\nconst (\n\th  = cfg.Head\n\tID = h + cfg.Tail\n)\n"}, true},
	{"dot", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import . \"M/dot/cfg\"\n\nvar ID = Head + Tail\n"}, true},
	{"named", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import c2 \"M/named/cfg\"\n\nvar ID = c2.Head + c2.Tail\n"}, true},
	{"local", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import \"M/local/cfg\"\n\n// F returns the key.\nfunc F() string { return cfg.Head + cfg.Tail }\n"}, true},
	{"pluseq", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import \"M/pluseq/cfg\"\n\n// F returns the key.\nfunc F() string {\n\tk := cfg.Head\n\tk += cfg.Tail\n\treturn k\n}\n"}, true},
	{"onea", map[string]string{"cfg": "const Rest = \"{{k:1:}}\"\n", "app": "import \"M/onea/cfg\"\n\nvar ID = \"A\" + cfg.Rest\n"}, true},
	{"glued", map[string]string{"cfg": "const Pre = \"id={{k:0:6}}\"\n\nconst Tail = \"{{k:6:}}\"\n", "app": "import \"M/glued/cfg\"\n\nvar ID = cfg.Pre + cfg.Tail\n"}, true},
	{"generic", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import \"M/generic/cfg\"\n\nfunc id[T any](x T) T { return x }\n\nvar ID = id(cfg.Head) + cfg.Tail\n"}, false},
	{"sprintf", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Tail = \"{{k:8:}}\"\n", "app": "import (\n\t\"fmt\"\n\n\t\"M/sprintf/cfg\"\n)\n\nvar ID = fmt.Sprintf(\"%s%s\", cfg.Head, cfg.Tail)\n"}, true},
	{"secret", map[string]string{"cfg": "const S1 = \"{{s:0:20}}\"\n\nconst S2 = \"{{s:20:}}\"\n", "app": "import \"M/secret/cfg\"\n\nvar awsAccessKeyID = \"{{k::}}\"\n\nvar awsSecretAccessKey = cfg.S1 + cfg.S2\n"}, true},
	{"methodvalue", map[string]string{"cfg": "const Lower = \"{{lower}}\"\n", "app": "import (\n\t\"strings\"\n\n\t\"M/methodvalue/cfg\"\n)\n\nvar up = strings.ToUpper\n\nvar ID = up(cfg.Lower)\n"}, false},
	{"libvar", map[string]string{"cfg": "var Head = \"{{k:0:8}}\"\n\nvar Tail = \"{{k:8:}}\"\n", "app": "import \"M/libvar/cfg\"\n\nvar ID = cfg.Head + cfg.Tail\n"}, false},
	{"short", map[string]string{"cfg": "const Head = \"{{k:0:8}}\"\n\nconst Mid = \"{{k:8:12}}\"\n", "app": "import \"M/short/cfg\"\n\nvar ID = cfg.Head + cfg.Mid\n"}, false},
}

var foldHole = regexp.MustCompile(`\{\{(k|s|K):(\d*):(\d*)\}\}|\{\{lower\}\}|\{\{dashed\}\}`)

// fillFoldHoles fills the holes of body with the pieces of id and secret
// (harmless: each hole "z").
func fillFoldHoles(body, id, secret string, harmless bool) string {
	return foldHole.ReplaceAllStringFunc(body, func(h string) string {
		if harmless && !strings.HasPrefix(h, "{{K:") {
			return "z"
		}
		switch h {
		case "{{lower}}":
			return strings.ToLower(id)
		case "{{dashed}}":
			return id[:4] + "-" + id[4:12] + "-" + id[12:]
		}
		m := foldHole.FindStringSubmatch(h)
		v := id
		if m[1] == "s" {
			v = secret
		}
		a, b := 0, len(v)
		fmt.Sscan(m[2], &a)
		fmt.Sscan(m[3], &b)
		return v[a:b]
	})
}

// writeFoldModule writes foldShapes into dir as the module example.com/m,
// each shape's key drawn from g, and the modules of foldModules beside
// them; harmless writes every piece as "z" (the commit before the keys
// arrive).
func writeFoldModule(t *testing.T, dir string, g *fakekey.Gen, harmless bool) {
	t.Helper()
	writeRepoFile(t, dir, "go.mod", "module example.com/m\n\ngo 1.22\n")
	for _, s := range foldShapes {
		id, secret := g.KeyID("AKIA"), g.Secret()
		for pkg, body := range s.files {
			body = strings.ReplaceAll(body, "M/", "example.com/m/")
			writeRepoFile(t, dir, s.name+"/"+pkg+"/"+pkg+".go", "package "+pkg+"\n\n"+fillFoldHoles(body, id, secret, harmless))
		}
	}
	for _, m := range foldModules {
		id, secret := g.KeyID("AKIA"), g.Secret()
		for name, body := range m.files {
			if harmless && name == m.later {
				continue
			}
			writeRepoFile(t, dir, m.dir+"/"+name, fillFoldHoles(body, id, secret, harmless))
		}
	}
}

// foldModules are modules of their own beside example.com/m, each vetted
// in its folder: the pieces of a key in another module, vendored (the go
// command builds it from vendor/) or put in a folder of the tree by a
// replace directive, folded at app's lines 8 and 10, directly and through
// a constant of another package of that module (const H = cfg.Head: in
// workvend, a go.work's vendor/ as go work vendor writes it, mid imports
// cfg from there, which scan, staged and pre-receive missed); and
// a workspace whose go.work, the only file the commit bringing the keys
// adds there, decides where app's imports are (qa36 M8): its use entry
// wins over app's go.mod replacing example.com/lib with ../safelib (line
// 8), its replace directive over app's replacing example.com/lib2 (10),
// and another workspace module's go.mod replacing example.com/lib3 is the
// build's too (app3.go).
var foldModules = []struct {
	dir   string
	files map[string]string
	env   string // go vet's GOFLAGS (GOWORK= lets go vet read the go.work)
	later string // a file the harmless commit leaves out
	vet   string // the folder below dir go vet runs in ("": dir)
}{
	{"vend", map[string]string{
		"go.mod":                            "module example.com/vend\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
		"vendor/modules.txt":                "# example.com/lib v1.0.0\n## explicit\nexample.com/lib/cfg\nexample.com/lib/mid\n",
		"vendor/example.com/lib/cfg/cfg.go": foldLibCfg,
		"vendor/example.com/lib/mid/mid.go": foldLibMid,
		"app/app.go":                        foldLibApp,
	}, "GOFLAGS=-mod=vendor", "", ""},
	{"repl", map[string]string{
		"go.mod":         "module example.com/repl\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ./lib\n",
		"lib/go.mod":     "module example.com/lib\n\ngo 1.22\n",
		"lib/cfg/cfg.go": foldLibCfg,
		"lib/mid/mid.go": foldLibMid,
		"app/app.go":     foldLibApp,
	}, "GOFLAGS=-mod=mod", "", ""},
	{"work", map[string]string{
		"go.work":         "go 1.22\n\nuse (\n\t./app\n\t./xlib\n\t./other\n)\n\nreplace example.com/lib2 => ./xlib2\n",
		"app/go.mod":      "module example.com/wapp\n\ngo 1.22\n\nrequire (\n\texample.com/lib v1.0.0\n\texample.com/lib2 v1.0.0\n\texample.com/lib3 v1.0.0\n)\n\nreplace example.com/lib => ../safelib\n\nreplace example.com/lib2 => ../safelib2\n",
		"app/app.go":      "package app\n\nimport (\n\t\"example.com/lib\"\n\t\"example.com/lib2\"\n)\n\nvar ID = lib.Head + \"{{K:6:}}\"\n\nvar ID2 = lib2.Head + \"{{K:6:}}\"\n",
		"app/app3.go":     "package app\n\nimport \"example.com/lib3\"\n\nvar ID3 = lib3.Head + \"{{K:6:}}\"\n",
		"other/go.mod":    "module example.com/other\n\ngo 1.22\n\nreplace example.com/lib3 => ../xlib3\n",
		"xlib3/go.mod":    "module example.com/lib3\n\ngo 1.22\n",
		"xlib3/lib.go":    "package lib3\n\nconst Head = \"{{K:0:6}}\"\n",
		"xlib/go.mod":     "module example.com/lib\n\ngo 1.22\n",
		"xlib/lib.go":     "package lib\n\nconst Head = \"{{K:0:6}}\"\n",
		"xlib2/go.mod":    "module example.com/lib2\n\ngo 1.22\n",
		"xlib2/lib.go":    "package lib2\n\nconst Head = \"{{K:0:6}}\"\n",
		"safelib/go.mod":  "module example.com/lib\n\ngo 1.22\n",
		"safelib/lib.go":  "package lib\n\nconst Head = \"hello\"\n",
		"safelib2/go.mod": "module example.com/lib2\n\ngo 1.22\n",
		"safelib2/lib.go": "package lib2\n\nconst Head = \"hello\"\n",
	}, "GOWORK=", "go.work", "app"},
	{"workvend", map[string]string{
		"go.work":                           "go 1.22\n\nuse ./app\n",
		"app/go.mod":                        "module example.com/wvapp\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n",
		"vendor/modules.txt":                "## workspace\n# example.com/lib v1.0.0\n## explicit; go 1.22\nexample.com/lib/cfg\nexample.com/lib/mid\n",
		"vendor/example.com/lib/cfg/cfg.go": foldLibCfg,
		"vendor/example.com/lib/mid/mid.go": foldLibMid,
		"app/app.go":                        foldLibApp,
	}, "GOWORK=", "", "app"},
}

const (
	foldLibCfg = "package cfg\n\nconst Head = \"{{k:0:6}}\"\n\nconst Tail = \"{{k:6:}}\"\n"
	foldLibMid = "package mid\n\nimport \"example.com/lib/cfg\"\n\n// H is cfg's.\nconst H = cfg.Head\n"
	foldLibApp = "package app\n\nimport (\n\t\"example.com/lib/cfg\"\n\t\"example.com/lib/mid\"\n)\n\nvar ID = cfg.Head + cfg.Tail\n\nvar ID2 = mid.H + cfg.Tail\n"
)

// TestFoldAgreesAcrossPackages is the README's property on keys folded
// across packages: keyscan scan, go vet -vettool=keyscan, keyscan staged
// of a commit that changes the imported packages (most importers
// unchanged: staged checks them, importers.go), or only adds a go.work,
// and keyscan pre-receive of its push report the same file:line set, over
// foldShapes and foldModules.
func TestFoldAgreesAcrossPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	requireKeyscanOnPath(t)
	ks, err := exec.LookPath("keyscan")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t)
	dir := srv.clone
	writeFoldModule(t, dir, fakekey.New(3501), true)
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "harmless")
	srv.mustPush("origin", "main")
	writeFoldModule(t, dir, fakekey.New(3501), false)
	writeRepoFile(t, dir, "empty.toml", "")

	places := func(out string) map[string]bool {
		t.Helper()
		var found []struct {
			File string `json:"file"`
			Line int    `json:"line"`
		}
		if err := json.Unmarshal([]byte(out), &found); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		m := map[string]bool{}
		for _, f := range found {
			if f.File != "" {
				m[fmt.Sprintf("%s:%d", f.File, f.Line)] = true
			}
		}
		return m
	}
	r := runCmd(t, dir, nil, "keyscan", "scan", "--config", "empty.toml", "--format", "json", ".")
	if r.code != exitFindings {
		t.Fatalf("scan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	scan := places(r.stdout)

	vet := map[string]bool{}
	vetIn := func(sub, flags string) {
		t.Helper()
		r := runCmd(t, path.Join(dir, sub), []string{"GOPROXY=off", "GOWORK=off", flags}, "go", "vet", "-vettool="+ks, "./...")
		n := 0
		for _, m := range regexp.MustCompile(`(?m)^(?:\./)?(\S+\.go):(\d+):\d+: `).FindAllStringSubmatch(r.stderr, -1) {
			vet[path.Join(sub, m[1])+":"+m[2]] = true
			n++
		}
		if n == 0 {
			t.Fatalf("go vet in %s: exit %d, no findings\n%s%s", sub, r.code, r.stdout, r.stderr)
		}
	}
	vetIn(".", "GOFLAGS=-mod=mod")
	for _, m := range foldModules {
		vetIn(path.Join(m.dir, m.vet), m.env)
		for _, at := range []string{m.dir + "/app/app.go:8", m.dir + "/app/app.go:10"} { // and work's app3.go:5
			if !vet[at] {
				t.Errorf("go vet does not report %s (the module is not what it says)", at)
			}
		}
	}
	if !vet["work/app/app3.go:5"] {
		t.Errorf("go vet does not report work/app/app3.go:5 (the workspace is not what it says)")
	}
	var want []string
	for _, s := range foldShapes {
		at := s.name + "/app/app.go"
		has := slices.ContainsFunc(slices.Collect(maps.Keys(vet)), func(p string) bool { return strings.HasPrefix(p, at+":") })
		if has != s.found {
			t.Errorf("go vet reports a key in %s: %v, want %v (the shape is not what it says)", at, has, s.found)
		}
		if s.found {
			want = append(want, at)
		}
	}

	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--config", "empty.toml", "--format", "json")
	if r.code != exitFindings {
		t.Fatalf("staged: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	staged := places(r.stdout)

	// The same change pushed: the gate's audit log names what it refused.
	gitOK(t, dir, "commit", "-q", "-m", "keys")
	srv.mustRefuse(nil, "origin", "main")
	gate := map[string]bool{}
	if log := srv.auditLines(); len(log) > 0 {
		for _, f := range log[len(log)-1].Findings {
			gate[fmt.Sprintf("%s:%d", f.File, f.Line)] = true
		}
	}
	for name, got := range map[string]map[string]bool{"keyscan scan": scan, "keyscan staged": staged, "keyscan pre-receive": gate} {
		for _, p := range slices.Sorted(maps.Keys(vet)) {
			if !got[p] {
				t.Errorf("go vet reports %s; %s does not", p, name)
			}
		}
		for _, p := range slices.Sorted(maps.Keys(got)) {
			if !vet[p] && path.Ext(strings.Split(p, ":")[0]) == ".go" {
				t.Errorf("%s reports %s; go vet does not", name, p)
			}
		}
	}
	if t.Failed() {
		t.Logf("shapes with a key go vet reports: %q", want)
	}
}

// TestScanFoldCycle: packages whose constants name each other through
// imports (a crafted tree: go build refuses the cycle) are read once each
// by keyscan scan, the cycle closing on an empty package, and the scan
// ends with the key folded through them (b.P is a.Q) at its importer.
func TestScanFoldCycle(t *testing.T) {
	requireKeyscanOnPath(t)
	id := fakekey.New(3604).KeyID("ASIA")
	dir := t.TempDir()
	for name, src := range map[string]string{
		"go.mod":     "module example.com/c\n\ngo 1.22\n",
		"a/a.go":     "package a\n\nimport \"example.com/c/b\"\n\nconst P = b.P\n\nconst Q = \"" + id[:8] + "\"\n",
		"b/b.go":     "package b\n\nimport \"example.com/c/a\"\n\nconst P = a.Q\n\nconst R = a.P\n",
		"use/use.go": "package use\n\nimport \"example.com/c/b\"\n\nvar ID = b.P + \"" + id[8:] + "\"\n",
	} {
		writeRepoFile(t, dir, name, src)
	}
	r := runCmd(t, dir, nil, "keyscan", "scan", "--format", "json", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, `"file": "use/use.go"`) {
		t.Errorf("scan: exit %d, want %d with use/use.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
}

// TestScanExcludedVendor: a vendored package's constants fold into its
// importer (go vet's finding, and scan's), unless the configuration
// excludes vendor/: then, unlike another package of the tree the walk
// did not read, it makes no importer a candidate (every package folding
// a vendored constant would be type-checked for it).
func TestScanExcludedVendor(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := t.TempDir()
	m := foldModules[0]
	id, secret := fakekey.New(3606).KeyID("AKIA"), ""
	for name, body := range m.files {
		writeRepoFile(t, dir, name, fillFoldHoles(body, id, secret, false))
	}
	writeRepoFile(t, dir, "empty.toml", "")
	writeRepoFile(t, dir, "novendor.toml", "exclude = [\"vendor/**\"]\n")
	if r := runCmd(t, dir, nil, "keyscan", "scan", "--config", "empty.toml", "--format", "json", "."); r.code != exitFindings || !strings.Contains(r.stdout, `"file": "app/app.go"`) {
		t.Errorf("scan: exit %d, want %d with app/app.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "scan", "--config", "novendor.toml", "--format", "json", "."); r.code != exitClean {
		t.Errorf("scan excluding vendor/: exit %d, want %d\n%s%s", r.code, exitClean, r.stdout, r.stderr)
	}
}
