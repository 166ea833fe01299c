package main

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestBuildsOnOtherSystems type-checks the module for the systems keyscan
// is installed on besides this one, so that a Unix-only call (unix.Openat,
// syscall.O_NOFOLLOW, ...) outside a _unix.go file or a `//go:build unix`
// line fails here, not on a Windows developer's `go install`, pre-commit
// hook (language: golang) or go vet -vettool. Windows, whose file code
// differs most (os.Root in place of openat: see internal/readfile), has its
// tests checked too.
//
// It type-checks from source (go/packages, each target's build tags and
// word size) rather than cross-compiling: what fails to build on another
// system is a name or a type that is not there, which the type checker
// finds; code generation for six targets from a cold build cache cost about
// 90 CPU seconds each, most of the suite's budget on two cores, for
// nothing more. Four targets cover every build constraint the module has:
// windows/amd64 (windows, !unix), darwin/arm64 (unix && !linux, linux ||
// darwin, !amd64), freebsd/amd64 (unix, neither linux nor darwin, the
// amd64 assembly) and linux/386 (!amd64 with a 32-bit int); windows/arm64
// and linux/arm64 added no constraint these miss.
func TestBuildsOnOtherSystems(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the module and its dependencies four times")
	}
	targets := []struct {
		goos, goarch string
		tests        bool
	}{
		{"windows", "amd64", true},
		{"darwin", "arm64", false},
		{"freebsd", "amd64", false},
		{"linux", "386", false},
	}
	for _, tg := range targets {
		t.Run(tg.goos+"/"+tg.goarch, func(t *testing.T) {
			cfg := &packages.Config{
				Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps |
					packages.NeedTypes | packages.NeedSyntax,
				Env:   append(os.Environ(), "GOOS="+tg.goos, "GOARCH="+tg.goarch, "CGO_ENABLED=0"),
				Tests: tg.tests,
				Dir:   "../..",
			}
			pkgs, err := packages.Load(cfg, "./...")
			if err != nil {
				t.Fatalf("GOOS=%s GOARCH=%s: %v", tg.goos, tg.goarch, err)
			}
			if len(pkgs) == 0 {
				t.Fatalf("GOOS=%s GOARCH=%s: no packages", tg.goos, tg.goarch)
			}
			var errs []string
			seen := map[string]bool{}
			packages.Visit(pkgs, nil, func(p *packages.Package) {
				for _, e := range p.Errors {
					if s := e.Error(); !seen[s] {
						seen[s] = true
						errs = append(errs, s)
					}
				}
			})
			if len(errs) > 0 {
				t.Errorf("GOOS=%s GOARCH=%s: the module does not type-check:\n%s", tg.goos, tg.goarch, strings.Join(errs, "\n"))
			}
		})
	}
}
