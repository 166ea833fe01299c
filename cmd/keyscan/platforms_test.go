package main

import (
	"os"
	"os/exec"
	"testing"
)

// TestBuildsOnOtherSystems cross-compiles the module for the systems
// keyscan is installed on besides this one, so that a Unix-only call
// (unix.Openat, syscall.O_NOFOLLOW, ...) outside a _unix.go file or a
// `//go:build unix` line fails here, not on a Windows developer's
// `go install`, pre-commit hook (language: golang) or go vet -vettool.
// Windows, whose file code differs most (os.Root in place of openat: see
// internal/readfile), gets go vet, which type-checks the tests too; the
// others get go build. Packages already compiled for a target come from
// the build cache, so a run after the first costs seconds.
func TestBuildsOnOtherSystems(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the module six times")
	}
	targets := []struct{ goos, goarch, cmd string }{
		{"windows", "amd64", "vet"},
		{"windows", "arm64", "build"},
		{"darwin", "arm64", "build"},
		{"freebsd", "amd64", "build"},
		{"linux", "arm64", "build"},
		{"linux", "386", "build"},
	}
	for _, tg := range targets {
		t.Run(tg.goos+"/"+tg.goarch, func(t *testing.T) {
			cmd := exec.Command("go", tg.cmd, "./...")
			cmd.Dir = "../.."
			cmd.Env = append(os.Environ(), "GOOS="+tg.goos, "GOARCH="+tg.goarch, "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("GOOS=%s GOARCH=%s go %s ./...: %v\n%s", tg.goos, tg.goarch, tg.cmd, err, out)
			}
		})
	}
}
