package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/internal/gittest"
	"github.com/keyscan/keyscan/rules"
)

var update = flag.Bool("update", false, "rewrite the golden output in testdata/script")

func TestMain(m *testing.M) {
	// testscript.Main runs this binary again as the keyscan command, also
	// from the git hooks the tests install: that keyscan must see the
	// GIT_INDEX_FILE git gives its hooks, so only the test process itself
	// clears the GIT_* variables.
	if filepath.Base(os.Args[0]) != "keyscan" {
		gittest.Hermetic()
	}
	testscript.Main(m, map[string]func(){"keyscan": main})
}

// TestScripts runs the CLI's txtar scripts. Files hold templates ({{ID}},
// {{SECRET}}, ...) that the fill command replaces with keys generated from
// a fixed seed, so the golden output is stable and no key is committed.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// fill SEED FILE...: replace the placeholders in each file.
			"fill": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 2 {
					ts.Fatalf("usage: fill SEED FILE...")
				}
				seed, err := strconv.ParseUint(args[0], 10, 64)
				ts.Check(err)
				vals := fakekey.New(seed).Values()
				for _, f := range args[1:] {
					p := ts.MkAbs(f)
					ts.Check(os.WriteFile(p, []byte(rules.Fill(ts.ReadFile(f), vals)), 0o644))
				}
			},
			// linkfill SEED LINK FILE: make LINK a symbolic link whose
			// target is FILE's text, its placeholders filled from SEED.
			"linkfill": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 3 {
					ts.Fatalf("usage: linkfill SEED LINK FILE")
				}
				seed, err := strconv.ParseUint(args[0], 10, 64)
				ts.Check(err)
				target := strings.TrimSpace(rules.Fill(ts.ReadFile(args[2]), fakekey.New(seed).Values()))
				ts.Check(os.Symlink(target, ts.MkAbs(args[1])))
			},
			// realistic SEED: write the shared realistic tree (testdata/realistic
			// at the repository's root, see internal/fixture) into the work
			// folder, filled with keys from SEED.
			"realistic": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: realistic SEED")
				}
				seed, err := strconv.ParseUint(args[0], 10, 64)
				ts.Check(err)
				ts.Check(fixture.WriteRealistic(ts.Getenv("WORK"), seed))
			},
			// status N COMMAND ARGS...: run a command and want exit status N.
			"status": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 2 {
					ts.Fatalf("usage: status N COMMAND [ARGS...]")
				}
				want, err := strconv.Atoi(args[0])
				ts.Check(err)
				err = ts.Exec(args[1], args[2:]...)
				got := 0
				var ee *exec.ExitError
				switch {
				case errors.As(err, &ee):
					got = ee.ExitCode()
				case err != nil:
					ts.Fatalf("%v", err)
				}
				if got != want {
					ts.Fatalf("exit status %d, want %d", got, want)
				}
			},
		},
	})
}
