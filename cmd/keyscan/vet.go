package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/internal/vetx"
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
	for i := 0; i < len(args)-1; i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return false
		}
		if slices.Contains(valueFlags, strings.TrimLeft(a, "-")) {
			if i+1 >= len(args)-1 {
				return false
			}
			i++ // its value, a separate argument
		}
	}
	return true
}

// valueFlags are the flags of the go vet protocol that take a value (as
// keyscan -flags lists them), which the go command passes on as it was
// given: go vet -tags integration -vettool=… runs the tool with -tags
// integration -json …/vet.cfg, and keyscan took that run for a user's
// and printed its usage for every package (fix24).
var valueFlags = []string{"c", "tags", "keyscan.config"}

// runUnitchecker speaks the go vet / go fix protocol with the keyscan
// analyzer and exits; unitchecker prints diagnostics, JSON, diffs or fixes
// as the go command asks. The runs for the packages a vetted package
// depends on, which report nothing, write an empty file, and the runs that
// report read their imports' types from the compiler's export data: see
// package vetx.
func runUnitchecker() {
	if slices.Contains(os.Args[1:], "-V=full") {
		printToolID(os.Stdout)
		os.Exit(0)
	}
	if name := os.Args[len(os.Args)-1]; strings.HasSuffix(name, ".cfg") && !vetx.UsesFacts(analyzer.Analyzer) {
		if cfg, err := vetx.ReadConfig(name); err == nil {
			if cfg.VetxOnly {
				if err := vetx.WriteEmpty(cfg); err != nil {
					os.Exit(1) // unitchecker's answer too: the go command ignores it
				}
				os.Exit(0)
			}
			if !analyzer.GoFilesCheckableWith(cfg.GoFiles, cfg.Importer()) {
				// go/types would stall or recurse past the stack, a
				// fatal error (qa31 F3, qa32 G3): said as an error of
				// the package instead.
				fmt.Fprintf(os.Stderr, "keyscan: %s: its types are too costly to type-check (go/types' walk of them would pass %d steps; the Go compiler stalls on it too): not checked for AWS keys\n",
					cfg.ImportPath, analyzer.MaxTypeWork)
				os.Exit(1)
			}
			watchVetCheck(cfg.ImportPath, cfg.GoFiles)
			typed, err := cfg.Typed()
			if err != nil {
				fmt.Fprintf(os.Stderr, "keyscan: %v\n", err)
				os.Exit(1)
			}
			os.Args[len(os.Args)-1] = typed
		}
	}
	unitchecker.Main(analyzer.Analyzer)
}

// printToolID answers -V=full. The go command caches vet results by the
// tool's ID, the flags and the package's build inputs; .keyscan.toml is
// none of those, nor are the files the analyzer reads to decide whether a
// fix is safe (a Dockerfile's ENV AWS_ENDPOINT_URL, the package's tests:
// analyzer.CacheInputs), so an edited configuration (an allow removed) or
// a new endpoint beside a package would be ignored until the cache is
// cleared. The ID therefore hashes those of the modules go vet runs in
// along with the executable, as unitchecker's own answer hashes the
// executable alone.
func printToolID(w io.Writer) {
	h := sha256.New()
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			io.Copy(h, f)
			f.Close()
		}
	}
	if wd, err := os.Getwd(); err == nil {
		d := wd
		for ; ; d = filepath.Dir(d) {
			if data, err := readfile.File(filepath.Join(d, config.FileName), false, config.MaxSize); err == nil {
				h.Write([]byte(d))
				h.Write(data)
			}
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil || filepath.Dir(d) == d {
				break
			}
		}
		// The configuration the pass reads is the module's scope's (the
		// work tree's top's, above the module when the module is a
		// folder of a repository: config.Scope).
		if s, _, err := config.ScopeOf(d, ""); err == nil && s.Path != "" {
			if data, err := readfile.File(s.Path, false, config.MaxSize); err == nil {
				h.Write([]byte(s.Path))
				h.Write(data)
			}
		}
		analyzer.CacheInputs(h, wd, os.Getenv("GOWORK"))
		if name := namedConfig(parentArgs(), wd); name != "" {
			h.Write([]byte(name))
			if data, err := readfile.File(name, false, config.MaxSize); err == nil {
				h.Write(data)
			}
		}
	}
	fmt.Fprintf(w, "keyscan version devel keyscan buildID=%x\n", h.Sum(nil))
}

// parentArgs returns the arguments of the process that started keyscan,
// where the system tells (Linux's /proc), or nil. The go command asks for
// -V=full without the tool's own flags, so a configuration named with
// go vet -vettool=… -keyscan.config=FILE is seen only on the go command's
// command line (fix25 left it out of the ID: an edit of that file alone was
// answered from the cache).
func parentArgs() []string {
	b, err := readfile.File(fmt.Sprintf("/proc/%d/cmdline", os.Getppid()), false, 1<<20)
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

// namedConfig returns the file that the -keyscan.config flag of the go
// command's arguments args names (the last one, as the flag package takes
// it), made absolute against wd, or "".
func namedConfig(args []string, wd string) string {
	name := ""
	for i, a := range args {
		if a == "--" {
			break
		}
		flag := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if flag == a {
			continue
		}
		if v, ok := strings.CutPrefix(flag, "keyscan.config="); ok {
			name = v
		} else if flag == "keyscan.config" && i+1 < len(args) {
			name = args[i+1]
		}
	}
	if name != "" && !filepath.IsAbs(name) {
		name = filepath.Join(wd, name)
	}
	return name
}

// watchVetCheck ends the vet tool (exit 1, said) when the package's type
// check and analysis run past the deadline keyscan's other commands give
// a check of its size (config.DefaultTypecheckTimeout plus
// analyzer.CheckTokenTime a token, tokens counted as a quarter of the
// bytes): go/types has walks a few hundred bytes make exponential, and
// the go command would wait on the tool for good. The deadline is in the
// CPU time of the tool's process (analyzer.WatchProcess), as scan's checks
// count their thread's: by the wall's clock, on a machine loaded by go
// vet's own parallel runs or anything else, good packages were ended.
func watchVetCheck(importPath string, files []string) {
	var tokens int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			tokens += fi.Size() / 4
		}
	}
	limit := time.Duration(config.DefaultTypecheckTimeout)*time.Second + time.Duration(tokens)*analyzer.CheckTokenTime
	analyzer.WatchProcess(limit, func(s analyzer.Stall) {
		fmt.Fprintf(os.Stderr, "keyscan: %s: its type check %s without ending: its types are too costly for Go's type checker; not checked for AWS keys\n", importPath, vetStallWhy(s))
		os.Exit(1)
	})
}

// vetStallWhy says how long the check in the go vet tool ran (stallMessages'
// words).
func vetStallWhy(s analyzer.Stall) string {
	switch {
	case s.CPU:
		return fmt.Sprintf("has run %s of CPU time", s.After.Round(time.Millisecond))
	case s.Waited:
		return fmt.Sprintf("has waited %s, far short of its CPU time,", s.After.Round(time.Second))
	}
	return fmt.Sprintf("has run %s", s.After.Round(time.Millisecond))
}
