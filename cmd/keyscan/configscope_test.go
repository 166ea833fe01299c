package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// scopeRepo builds a git work tree with a configuration at its top (a
// keyword of its own, exclusions, an allowed value) and a .keyscan.toml in
// two of its folders that would exclude everything there (qa34 5b: the
// one an attacker adds beside a key). Everything but README.md is staged,
// not committed. It returns the repository and the files every command
// that reads them must report, by their path from the top.
func scopeRepo(t *testing.T) (string, []string) {
	t.Helper()
	g := fakekey.New(3501)
	repo := t.TempDir()
	gitOK(t, repo, "init", "-q")
	writeRepoFile(t, repo, "README.md", "# project\n")
	gitOK(t, repo, "add", ".")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "initial")
	allowed := g.Secret()
	writeRepoFile(t, repo, ".keyscan.toml", "keywords = [\"storage_pass\"]\n"+
		"exclude = [\"svc/fixtures/**\", \"sub/fixture.env\"]\n"+
		"[allow]\nvalues = [\""+allowed+"\"]\n")
	writeRepoFile(t, repo, "sub/.keyscan.toml", "exclude = [\"**\"]\n")
	writeRepoFile(t, repo, "svc/.keyscan.toml", "exclude = [\"**\"]\n")
	writeRepoFile(t, repo, "sub/app.cfg", "storage_pass = "+g.Secret()+"\n") // a key only by the top's keyword
	writeRepoFile(t, repo, "sub/creds.env", fakeCredsFile(g))
	writeRepoFile(t, repo, "sub/fixture.env", fakeCredsFile(g))                        // excluded at the top
	writeRepoFile(t, repo, "sub/allowed.cfg", "aws_secret_access_key = "+allowed+"\n") // allowed at the top
	writeRepoFile(t, repo, "svc/go.mod", "module example.com/svc\n\ngo 1.22\n")
	goKeys := func(pkg string) string {
		return "package " + pkg + "\n\nconst (\n\tkeyID  = \"" + g.KeyID("AKIA") + "\"\n\tsecret = \"" + g.Secret() + "\"\n)\n\nvar _ = keyID + secret\n"
	}
	writeRepoFile(t, repo, "svc/app.go", goKeys("svc"))
	writeRepoFile(t, repo, "svc/fixtures/keys.go", goKeys("fixtures")) // excluded at the top
	gitOK(t, repo, "add", "-A")
	return repo, []string{"sub/app.cfg", "sub/creds.env", "svc/app.go"}
}

// reported is the set of files a JSON report names, by their path from
// top: a path as shown is opened from dir (or absolute), links resolved.
func reported(t *testing.T, top, dir, stdout string, fromTop bool) []string {
	t.Helper()
	var fs []struct {
		File string `json:"file"`
	}
	if err := json.Unmarshal([]byte(stdout), &fs); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout)
	}
	var out []string
	for _, f := range fs {
		out = append(out, fromTopPath(t, top, dir, f.File, fromTop))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func fromTopPath(t *testing.T, top, dir, p string, fromTop bool) string {
	t.Helper()
	if fromTop {
		return p
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, filepath.FromSlash(p))
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatalf("reported path %s: %v", p, err)
	}
	realTop, err := filepath.EvalSymlinks(top)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(realTop, real)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

// TestOneConfigScope is qa34 5b: every command judges a file of a work tree
// by the top's .keyscan.toml with its path from the top, whatever path
// names it and wherever keyscan runs; a .keyscan.toml below the top
// governs nothing (its exclude = ["**"] silences no key) and a warning says
// so, also when the run only names files below it. Each command form must report the same files: those the top's
// keyword finds, not those the top excludes or allows.
func TestOneConfigScope(t *testing.T) {
	requireKeyscanOnPath(t)
	repo, want := scopeRepo(t)
	elsewhere := t.TempDir()
	link := filepath.Join(elsewhere, "link") // a link to the work tree
	if err := os.Symlink(repo, link); err != nil {
		t.Fatal(err)
	}
	subLink := filepath.Join(elsewhere, "sublink") // a link to one of its folders
	if err := os.Symlink(filepath.Join(repo, "sub"), subLink); err != nil {
		t.Fatal(err)
	}
	files := []string{"README.md", ".keyscan.toml", "sub/.keyscan.toml", "svc/.keyscan.toml", "sub/app.cfg", "sub/creds.env",
		"sub/fixture.env", "sub/allowed.cfg", "svc/go.mod", "svc/app.go", "svc/fixtures/keys.go"}
	type run struct {
		name string
		dirs []string // folders it runs in, one run each, their findings joined
		args []string // after keyscan; --format json is added
		from bool     // the report's paths are from the top (history)
		warn bool     // the run reads a nested .keyscan.toml, or names a file below one: the warning is wanted
	}
	runs := []run{
		{name: "scan .", dirs: []string{repo}, args: []string{"scan", "."}, warn: true},
		{name: "scan sub svc", dirs: []string{repo}, args: []string{"scan", "sub", "svc"}, warn: true},
		{name: "scan FILES", dirs: []string{repo}, args: append([]string{"scan"}, files...), warn: true},
		// No nested .keyscan.toml is read, but sub's and svc's lie above
		// the files named, which they governed once: the warning names them.
		{name: "scan sub/file", dirs: []string{repo}, args: []string{"scan", "sub/app.cfg", "sub/creds.env", "sub/fixture.env", "sub/allowed.cfg", "svc/app.go", "svc/fixtures/keys.go"}, warn: true},
		{name: "cd sub && scan .; cd svc && scan .", dirs: []string{filepath.Join(repo, "sub"), filepath.Join(repo, "svc")}, args: []string{"scan", "."}, warn: true},
		{name: "cd sub && scan ../sub ../svc", dirs: []string{filepath.Join(repo, "sub")}, args: []string{"scan", "../sub", "../svc"}, warn: true},
		{name: "scan /abs/path", dirs: []string{elsewhere}, args: []string{"scan", filepath.Join(repo, "sub"), filepath.Join(repo, "svc")}, warn: true},
		{name: "scan link", dirs: []string{elsewhere}, args: []string{"scan", "link"}, warn: true},
		{name: "scan link/sub link/svc/app.go", dirs: []string{elsewhere}, args: []string{"scan", "link/sub", "link/svc/app.go", "link/svc/fixtures/keys.go"}, warn: true},
		{name: "scan sublink", dirs: []string{elsewhere}, args: []string{"scan", "sublink", filepath.Join(repo, "svc")}, warn: true},
		{name: "staged FILES", dirs: []string{repo}, args: append([]string{"staged"}, files...), warn: true},
		{name: "cd sub && staged FILES", dirs: []string{filepath.Join(repo, "sub")}, args: []string{"staged", "app.cfg", "creds.env", "fixture.env", "allowed.cfg", ".keyscan.toml", "../svc/app.go", "../svc/fixtures/keys.go"}, warn: true},
		{name: "staged", dirs: []string{repo}, args: []string{"staged"}, from: true, warn: true},
		{name: "cd sub && staged", dirs: []string{filepath.Join(repo, "sub")}, args: []string{"staged"}, from: true, warn: true},
	}
	check := func(r run) {
		t.Helper()
		var got []string
		for _, dir := range r.dirs {
			args := append(append([]string{}, r.args[0], "--format", "json"), r.args[1:]...)
			res := runCmd(t, dir, nil, "keyscan", args...)
			if res.code != exitFindings {
				t.Errorf("%s (in %s): exit %d, want %d\n%s%s", r.name, dir, res.code, exitFindings, res.stdout, res.stderr)
				return
			}
			got = append(got, reported(t, repo, dir, res.stdout, r.from)...)
			if nested := strings.Contains(res.stderr, "not read as a configuration"); nested != r.warn {
				t.Errorf("%s: warning about a nested .keyscan.toml: %v, want %v\n%s", r.name, nested, r.warn, res.stderr)
			}
		}
		slices.Sort(got)
		got = slices.Compact(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: reported %q, want %q", r.name, got, want)
		}
	}
	for _, r := range runs {
		check(r)
	}

	// The same files once committed, as history reads them (by HEAD's
	// .keyscan.toml, from the top), and as go vet reads the module in svc.
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "all")
	for _, r := range []run{
		{name: "history", dirs: []string{repo}, args: []string{"history", "."}, from: true},
		{name: "cd sub && history", dirs: []string{filepath.Join(repo, "sub")}, args: []string{"history"}, from: true},
	} {
		check(r)
	}
	goVetScope(t, repo)
}

// goVetScope runs go vet -vettool=keyscan in the module kept in svc/ of
// the work tree TestOneConfigScope builds: the top's configuration
// governs it (its exclusion of svc/fixtures/**, from the top), not the
// svc/.keyscan.toml beside its go.mod.
func goVetScope(t *testing.T, repo string) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Log("go is not installed: go vet not run")
		return
	}
	ks, err := exec.LookPath("keyscan")
	if err != nil {
		t.Fatal(err)
	}
	svc := filepath.Join(repo, "svc")
	res := runCmd(t, svc, []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"}, gobin, "vet", "-vettool="+ks, "./...")
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^(\S+\.go):\d+:\d+: `).FindAllStringSubmatch(res.stderr, -1) {
		got = append(got, fromTopPath(t, repo, svc, m[1], false))
	}
	slices.Sort(got)
	got = slices.Compact(got)
	if want := []string{"svc/app.go"}; res.code == 0 || !slices.Equal(got, want) {
		t.Errorf("go vet -vettool=keyscan in svc: exit %d, reported %q, want %q\n%s%s", res.code, got, want, res.stdout, res.stderr)
	}
}

// TestConfigLinkOutOfTree: the top's .keyscan.toml as a link out of the
// work tree is refused (exit 2) by every command form that it governs,
// naming it, never read: scan of the top, of a folder and of a file below
// it, and staged FILES. Before, scan sub and scan sub/file read no
// configuration at all and exited 0 or 1.
func TestConfigLinkOutOfTree(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3502)
	repo := newCommittedRepo(t)
	outside := filepath.Join(t.TempDir(), "outside.toml")
	if err := os.WriteFile(outside, []byte("exclude = [\"**\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(repo, ".keyscan.toml")); err != nil {
		t.Fatal(err)
	}
	writeRepoFile(t, repo, "sub/creds.env", fakeCredsFile(g))
	for _, args := range [][]string{
		{"scan", "."}, {"scan", "sub"}, {"scan", "sub/creds.env"}, {"staged", "sub/creds.env"},
	} {
		r := runCmd(t, repo, nil, "keyscan", args...)
		if r.code != exitError || !strings.Contains(r.stderr, "outside the scan root") {
			t.Errorf("keyscan %s: exit %d, want %d refusing the link out of the tree\n%s%s", strings.Join(args, " "), r.code, exitError, r.stdout, r.stderr)
		}
	}
	if r := runCmd(t, filepath.Join(repo, "sub"), nil, "keyscan", "scan", "."); r.code != exitError {
		t.Errorf("cd sub && keyscan scan .: exit %d, want %d\n%s%s", r.code, exitError, r.stdout, r.stderr)
	}
}

// TestConfigScopeOutsideWorkTree: outside a git work tree the nearest
// .keyscan.toml at or above the folder named governs, with paths from its
// folder, so that scan DIR, scan DIR/sub and scan DIR/sub/FILE agree; one
// below a folder named is not read there, and a warning says so.
func TestConfigScopeOutsideWorkTree(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3503)
	dir := filepath.Join(t.TempDir(), "tree")
	writeRepoFile(t, dir, ".keyscan.toml", "keywords = [\"storage_pass\"]\nexclude = [\"sub/fixture.env\"]\n")
	writeRepoFile(t, dir, "sub/app.cfg", "storage_pass = "+g.Secret()+"\n")
	writeRepoFile(t, dir, "sub/fixture.env", fakeCredsFile(g))
	writeRepoFile(t, dir, "other/.keyscan.toml", "exclude = [\"**\"]\n")
	writeRepoFile(t, dir, "other/creds.env", fakeCredsFile(g))
	for _, c := range []struct {
		in   string
		args []string
		want []string
	}{
		{dir, []string{"."}, []string{"other/creds.env", "sub/app.cfg"}},
		{dir, []string{"sub"}, []string{"sub/app.cfg"}},
		{dir, []string{"sub/app.cfg", "sub/fixture.env"}, []string{"sub/app.cfg"}},
		{filepath.Join(dir, "sub"), []string{"."}, []string{"sub/app.cfg"}},
		{filepath.Dir(dir), []string{"tree/sub/app.cfg", "tree/sub/fixture.env"}, []string{"sub/app.cfg"}},
	} {
		r := runCmd(t, c.in, nil, "keyscan", append([]string{"scan", "--format", "json"}, c.args...)...)
		if r.code != exitFindings {
			t.Errorf("scan %q in %s: exit %d, want %d\n%s%s", c.args, c.in, r.code, exitFindings, r.stdout, r.stderr)
			continue
		}
		if got := reported(t, dir, c.in, r.stdout, false); !slices.Equal(got, c.want) {
			t.Errorf("scan %q in %s: reported %q, want %q", c.args, c.in, got, c.want)
		}
		if nested := strings.Contains(r.stderr, "other/.keyscan.toml: not read as a configuration"); nested != (c.args[0] == "." && c.in == dir) {
			t.Errorf("scan %q in %s: warning about other/.keyscan.toml: %v\n%s", c.args, c.in, nested, r.stderr)
		}
	}
}
