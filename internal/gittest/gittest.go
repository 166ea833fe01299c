// Package gittest keeps the tests that run git away from the repository the
// tests themselves live in.
//
// git obeys GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY and
// their kin before it looks at the folder it runs in. When `go test` is run
// from a git hook, from `git rebase --exec` or from `git bisect run`, those
// variables point at the developer's own repository, and a test that makes a
// throw-away repository in a temporary folder would then commit into the
// developer's branch instead. Every test package that runs git calls Hermetic
// from its TestMain, so each git it starts sees only what the test sets.
package gittest

import (
	"os"
	"strings"
	"testing"
)

// Hermetic removes every GIT_* variable from the process environment, so
// that git subprocesses (and go-git, which reads some of them) act on the
// folders the tests name and on nothing else. It then turns off git's
// system and global configuration (GIT_CONFIG_NOSYSTEM, GIT_CONFIG_GLOBAL
// set to the null device): a developer's commit.gpgsign, diff.noprefix,
// core.hooksPath or init.defaultBranch changed what the tests' git did, so
// that they failed on one machine and passed on another; so did the user's
// global ignore and attributes files. A test that wants a global
// configuration names its own file in its command's environment.
func Hermetic() {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GIT_") {
			os.Unsetenv(name)
		}
	}
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	os.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	// git reads the user's ignore and attributes files from
	// $XDG_CONFIG_HOME/git (or ~/.config/git) whatever configuration it
	// reads: a developer's global "*.env" kept the tests' files out of
	// `git add`. Named here, as -c names them, a test's own
	// GIT_CONFIG_COUNT replaces them for its command.
	os.Setenv("GIT_CONFIG_COUNT", "2")
	os.Setenv("GIT_CONFIG_KEY_0", "core.excludesFile")
	os.Setenv("GIT_CONFIG_VALUE_0", os.DevNull)
	os.Setenv("GIT_CONFIG_KEY_1", "core.attributesFile")
	os.Setenv("GIT_CONFIG_VALUE_1", os.DevNull)
}

// Main is a TestMain for a package whose tests run git: it makes the
// process Hermetic, then runs the tests.
func Main(m *testing.M) {
	Hermetic()
	os.Exit(m.Run())
}
