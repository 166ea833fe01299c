package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHookInstallSubmodules (qa15 MEDIUM-10): keyscan hook install in a
// superproject installs the hooks in each submodule checked out, nested
// ones too, since git runs a submodule's own hooks; a key committed in a
// submodule is then refused, and so is a push of one made with
// --no-verify, from the submodule and through git push
// --recurse-submodules=on-demand from the superproject. A submodule not
// checked out that keeps its git folder (deinit) gets the hooks there, which
// git runs once it is checked out again (install said it was "without
// hooks" and left an earlier install's hooks as they were); one never
// cloned here is named, and install run again after it is covers it;
// uninstall removes the hooks from the submodules too, checked out or
// not. All with the real git.
func TestHookInstallSubmodules(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(2110)
	root := t.TempDir()
	allow := []string{"-c", "protocol.file.allow=always"}
	bare := func(name, file string) string {
		src := filepath.Join(root, name+"-src")
		gitOK(t, root, "init", "-q", src)
		writeRepoFile(t, src, file, "x\n")
		gitOK(t, src, "add", ".")
		gitOK(t, src, "commit", "-q", "-m", name)
		srv := filepath.Join(root, name+".git")
		gitOK(t, root, "clone", "-q", "--bare", src, srv)
		return srv
	}
	deepSrv := bare("deep", "d.txt")
	libSrc := filepath.Join(root, "lib-src")
	libSrv := bare("lib", "l.txt")
	gitOK(t, libSrc, append(allow, "submodule", "add", "-q", deepSrv, "deep")...)
	gitOK(t, libSrc, "commit", "-q", "-m", "deep")
	gitOK(t, libSrc, "push", "-q", libSrv, "HEAD:refs/heads/main")
	otherSrv := bare("other", "o.txt")
	appSrv := filepath.Join(root, "app.git")
	gitOK(t, root, "init", "-q", "--bare", appSrv)
	app := filepath.Join(root, "app")
	gitOK(t, root, "clone", "-q", appSrv, app)
	gitOK(t, app, "commit", "-q", "--allow-empty", "-m", "start")
	gitOK(t, app, append(allow, "submodule", "add", "-q", libSrv, "lib")...)
	gitOK(t, app, append(allow, "submodule", "update", "-q", "--init", "--recursive")...)
	gitOK(t, app, append(allow, "submodule", "add", "-q", otherSrv, "other")...)
	gitOK(t, app, "commit", "-q", "-m", "submodules")
	gitOK(t, app, "push", "-q", "origin", "HEAD:refs/heads/main")
	gitOK(t, app, "submodule", "deinit", "-q", "other")

	r := runCmd(t, app, nil, "keyscan", "hook", "install")
	if r.code != 0 || !strings.Contains(r.stdout, "submodule lib: installed the keyscan pre-commit hook") ||
		!strings.Contains(r.stdout, "submodule lib/deep: installed the keyscan pre-commit hook") ||
		!strings.Contains(r.stdout, "has none until keyscan hook install runs again") ||
		!strings.Contains(r.stdout, "submodule other (not checked out; in its git folder "+filepath.Join(app, ".git", "modules", "other")+"): installed the keyscan pre-commit hook") ||
		strings.Contains(r.stdout, "without hooks") {
		t.Fatalf("hook install: exit %d, want the hooks in lib, lib/deep and other's git folder\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, app, nil, "keyscan", "hook", "install", "--type", "pre-push")
	if r.code != 0 || !strings.Contains(r.stdout, "submodule lib/deep: installed the keyscan pre-push hook") {
		t.Fatalf("hook install --type pre-push: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A commit in each submodule is refused; one made with --no-verify is
	// refused at the push.
	for _, sub := range []string{"lib", "lib/deep"} {
		dir := filepath.Join(app, filepath.FromSlash(sub))
		writeRepoFile(t, dir, "creds.ini", fakeCredsFile(g))
		gitOK(t, dir, "add", "creds.ini")
		if r := gitRun(t, dir, nil, "commit", "-q", "-m", "key"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "creds.ini") {
			t.Errorf("commit of a key in %s: exit %d, want it refused\n%s%s", sub, r.code, r.stdout, r.stderr)
		}
	}
	lib := filepath.Join(app, "lib")
	gitOK(t, lib, "commit", "-q", "--no-verify", "-m", "key")
	if r := gitRun(t, lib, nil, "push", "origin", "HEAD:refs/heads/main"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "creds.ini") {
		t.Errorf("push of a key from the submodule: exit %d, want it refused\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, app, "add", "lib")
	gitOK(t, app, "commit", "-q", "--no-verify", "-m", "bump lib")
	if r := gitRun(t, app, nil, "push", "--recurse-submodules=on-demand", "origin", "HEAD:refs/heads/main"); r.code == 0 ||
		!strings.Contains(r.stdout+r.stderr, "creds.ini") {
		t.Errorf("git push --recurse-submodules=on-demand: exit %d, want the submodule's push refused\n%s%s", r.code, r.stdout, r.stderr)
	}
	if out := gitOK(t, libSrv, "ls-tree", "-r", "--name-only", "main"); strings.Contains(out, "creds.ini") {
		t.Errorf("the key reached the submodule's remote:\n%s", out)
	}

	// The submodule checked out again runs the hooks its git folder kept.
	gitOK(t, app, append(allow, "submodule", "update", "-q", "--init", "other")...)
	other := filepath.Join(app, "other")
	writeRepoFile(t, other, "creds.ini", fakeCredsFile(g))
	gitOK(t, other, "add", "creds.ini")
	if r := gitRun(t, other, nil, "commit", "-q", "-m", "key"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "creds.ini") {
		t.Errorf("commit of a key in other, checked out again: exit %d, want it refused\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, other, "reset", "-q", "--hard")

	// A clone whose submodules were never checked out: they have no git
	// folder, are named, and are covered once install runs again after.
	clone := filepath.Join(root, "clone")
	gitOK(t, root, "clone", "-q", appSrv, clone)
	if r := runCmd(t, clone, nil, "keyscan", "hook", "install"); r.code != 0 || !strings.Contains(r.stdout, "never checked out here, so without hooks until then: lib, other") {
		t.Fatalf("hook install in a clone without its submodules: exit %d, want lib and other named\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, clone, append(allow, "submodule", "update", "-q", "--init", "other")...)
	if r := runCmd(t, clone, nil, "keyscan", "hook", "install"); r.code != 0 || !strings.Contains(r.stdout, "submodule other: installed") {
		t.Fatalf("hook install again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A submodule where install cannot write: the others are done, and the
	// exit status says the hooks do not cover it.
	gitOK(t, app, "config", "-f", filepath.Join(app, ".git", "modules", "other", "config"), "core.hooksPath", "/dev/null")
	r = runCmd(t, app, nil, "keyscan", "hook", "install", "--type", "pre-push")
	if r.code != 2 || !strings.Contains(r.stderr, "submodule other:") || !strings.Contains(r.stdout, "submodule lib: updated") {
		t.Errorf("hook install with a submodule whose hooks are off: exit %d, want 2 naming it\n%s%s", r.code, r.stdout, r.stderr)
	}

	gitOK(t, app, "config", "-f", filepath.Join(app, ".git", "modules", "other", "config"), "--unset", "core.hooksPath")
	gitOK(t, app, "submodule", "deinit", "-q", "other")
	r = runCmd(t, app, nil, "keyscan", "hook", "uninstall")
	if r.code != 0 || !strings.Contains(r.stdout, "submodule lib/deep: removed the keyscan pre-commit hook") {
		t.Fatalf("hook uninstall: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, sub := range []string{"lib", "lib/modules/deep", "other"} {
		if _, err := os.Stat(filepath.Join(app, ".git", "modules", filepath.FromSlash(sub), "hooks", "pre-commit")); err == nil {
			t.Errorf("%s: pre-commit left after uninstall", sub)
		}
	}
}

// TestHookInstallSuspiciousSubmoduleName: a .gitmodules the work tree
// holds is the tree's content, and a submodule name with ".." in it would
// make modules/NAME another repository's git folder: git ignores such a
// name, and hook install must not put its hooks there (nor uninstall
// remove that repository's own).
func TestHookInstallSuspiciousSubmoduleName(t *testing.T) {
	requireKeyscanOnPath(t)
	root := t.TempDir()
	allow := []string{"-c", "protocol.file.allow=always"}
	src := filepath.Join(root, "lib-src")
	gitOK(t, root, "init", "-q", src)
	writeRepoFile(t, src, "l.txt", "x\n")
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-q", "-m", "lib")
	other := filepath.Join(root, "other")
	gitOK(t, root, "init", "-q", other)
	app := filepath.Join(root, "app")
	gitOK(t, root, "init", "-q", app)
	gitOK(t, app, append(allow, "submodule", "add", "-q", src, "lib")...)
	gitOK(t, app, "commit", "-q", "-m", "lib")
	gitOK(t, app, "submodule", "deinit", "-q", "lib")
	// A section for the same path, named to climb out of modules/, first.
	gm := readRepoFile(t, app, ".gitmodules")
	writeRepoFile(t, app, ".gitmodules", "[submodule \"../../../other/.git\"]\n\tpath = lib\n\turl = "+src+"\n"+gm)

	r := runCmd(t, app, nil, "keyscan", "hook", "install")
	if r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, filepath.Join(other, ".git")) {
		t.Errorf("hook install names the other repository's git folder\n%s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(other, ".git", "hooks", "pre-commit")); err == nil {
		t.Errorf("hook install put a hook in %s, which a suspicious submodule name names\n%s", other, r.stdout)
	}
	if !strings.Contains(r.stdout, "submodule lib (not checked out; in its git folder "+filepath.Join(app, ".git", "modules", "lib")+"): installed") {
		t.Errorf("hook install did not install in lib's own git folder\n%s", r.stdout)
	}
}
