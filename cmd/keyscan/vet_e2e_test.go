package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
		{[]string{"-tags", "integration", "-json", "/tmp/b001/vet.cfg"}, true},
		{[]string{"-c", "2", "-keyscan.config", "/x/.keyscan.toml", "/tmp/b001/vet.cfg"}, true},
		{[]string{"--tags", "a,b", "/tmp/b001/vet.cfg"}, true},
		{[]string{"-tags", "/tmp/b001/vet.cfg"}, false},
		{[]string{"-json", "integration", "/tmp/b001/vet.cfg"}, false},
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

// TestToolIDFollowsConfig: go vet caches results by the tool's ID, so the ID
// must change when the module's .keyscan.toml does.
func TestToolIDFollowsConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
	t.Chdir(dir)
	id := func() string {
		var b strings.Builder
		printToolID(&b)
		if !strings.HasPrefix(b.String(), "keyscan version devel ") || !strings.Contains(b.String(), " buildID=") {
			t.Fatalf("-V=full answer %q is not what the go command parses", b.String())
		}
		return b.String()
	}
	none := id()
	os.WriteFile(filepath.Join(dir, ".keyscan.toml"), []byte(`exclude = ["a/**"]`), 0o644)
	one := id()
	os.WriteFile(filepath.Join(dir, ".keyscan.toml"), []byte(`exclude = ["b/**"]`), 0o644)
	two := id()
	if none == one || one == two {
		t.Errorf("tool ID did not follow the configuration: %q, %q, %q", none, one, two)
	}
	if id() != two {
		t.Error("tool ID is not stable")
	}
}

// TestToolIDFollowsTopConfig: a module kept in a folder of a git work
// tree is judged by the top's .keyscan.toml (config.Scope), above its
// go.mod: go vet's cache must see an edit of that file too.
func TestToolIDFollowsTopConfig(t *testing.T) {
	top := t.TempDir()
	svc := filepath.Join(top, "svc")
	os.MkdirAll(filepath.Join(top, ".git"), 0o755)
	os.MkdirAll(svc, 0o755)
	os.WriteFile(filepath.Join(top, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	os.WriteFile(filepath.Join(svc, "go.mod"), []byte("module example.com/svc\n"), 0o644)
	t.Chdir(svc)
	id := func() string {
		var b strings.Builder
		printToolID(&b)
		return b.String()
	}
	os.WriteFile(filepath.Join(top, ".keyscan.toml"), []byte(`exclude = ["a/**"]`), 0o644)
	one := id()
	os.WriteFile(filepath.Join(top, ".keyscan.toml"), []byte(`exclude = ["b/**"]`), 0o644)
	if two := id(); one == two {
		t.Errorf("tool ID did not follow the work tree's top configuration: %q", one)
	}
}

// TestNamedConfig: the configuration the go command's arguments name, as
// the tool ID hashes it.
func TestNamedConfig(t *testing.T) {
	wd := filepath.FromSlash("/src/m")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"go", "vet", "-vettool=/bin/keyscan", "-keyscan.config=/ci/k.toml", "./..."}, "/ci/k.toml"},
		{[]string{"go", "fix", "--keyscan.config", "/ci/k.toml", "./..."}, "/ci/k.toml"},
		{[]string{"go", "vet", "-keyscan.config=ci/k.toml", "./..."}, "/src/m/ci/k.toml"},
		{[]string{"go", "vet", "-keyscan.config=/a.toml", "-keyscan.config=/b.toml", "./..."}, "/b.toml"},
		{[]string{"go", "vet", "-vettool=/bin/keyscan", "./..."}, ""},
		{[]string{"go", "run", ".", "--", "-keyscan.config=/x.toml"}, ""},
		{[]string{"go", "vet", "-keyscan.config"}, ""},
		{nil, ""},
	} {
		want := tc.want
		if want != "" {
			want = filepath.FromSlash(want)
		}
		if got := namedConfig(tc.args, wd); got != want {
			t.Errorf("namedConfig(%q) = %q, want %q", tc.args, got, want)
		}
	}
}

// TestVetxOnlyDeclarations: the go command's runs for the packages a
// vetted package depends on (VetxOnly) check their declarations only
// (package vetx), so a type error in a function body, which the full check
// of a package the user vets still reports, costs them nothing.
func TestVetxOnlyDeclarations(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "dep.go")
	if err := os.WriteFile(src, []byte("package dep\n\nconst Name = \"dep\"\n\nfunc F() { var n int = Name; _ = n }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vetxOut := filepath.Join(dir, "vet.out")
	writeCfg := func(vetxOnly bool) string {
		name := filepath.Join(dir, "vet.cfg")
		data, err := json.Marshal(map[string]any{
			"ID": "example.com/dep", "ImportPath": "example.com/dep", "GoVersion": "go1.26",
			"GoFiles": []string{src}, "ImportMap": map[string]string{}, "PackageVetx": map[string]string{},
			"VetxOnly": vetxOnly, "VetxOutput": vetxOut, "Stdout": filepath.Join(dir, "vet.stdout"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}

	r := keyscanIn(t, dir, "-json", writeCfg(true))
	data, err := os.ReadFile(vetxOut)
	if r.code != 0 || err != nil || !strings.HasPrefix(string(data), "vetx") {
		t.Fatalf("keyscan on a dependency's vet.cfg: exit %d, vetx file %.4q (%v), stderr:\n%s", r.code, data, err, r.stderr)
	}
	os.Remove(vetxOut)
	r = keyscanIn(t, dir, "-json", writeCfg(false))
	if r.code == 0 || !strings.Contains(r.stderr, "cannot use Name") {
		t.Errorf("keyscan on a vetted package's vet.cfg: exit %d, want the body's type error; stderr:\n%s", r.code, r.stderr)
	}
}
