package main

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/keyscan/keyscan/analyzer"
)

// isUnitchecker reports whether the go command, not a user, is running
// keyscan: go vet -vettool and go fix -fixtool first ask the tool for its
// version (-V=full) and its flags (-flags), then run it once per package
// with analyzer flags (-json, -fix, -diff, -keyscan.config=...) and the path
// of a JSON file describing the package (…/vet.cfg). A subcommand name first
// always means the user.
func isUnitchecker(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if slices.ContainsFunc(commands(), func(c command) bool { return c.name == args[0] }) {
		return false
	}
	for _, a := range args {
		if a == "-flags" || a == "--flags" || a == "-V" || strings.HasPrefix(a, "-V=") || strings.HasPrefix(a, "--V=") {
			return true
		}
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return false
	}
	for _, a := range args[:len(args)-1] {
		if !strings.HasPrefix(a, "-") {
			return false
		}
	}
	return true
}

// runUnitchecker speaks the go vet / go fix protocol with the keyscan
// analyzer and exits; unitchecker prints diagnostics, JSON, diffs or fixes
// as the go command asks.
func runUnitchecker() {
	unitchecker.Main(analyzer.Analyzer)
}
