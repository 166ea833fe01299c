package main

import (
	"context"
	"fmt"
	"github.com/keyscan/keyscan/report"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

const scanUsage = "scan [flags] [PATH...]"

func runScan(ctx context.Context, args []string, e *env) int {
	fs, c, code := collectScan(ctx, args, e)
	if c == nil { // --help, a bad flag, or a scan that could not run
		return code
	}
	return emit(ctx, fs, c, "scan", e)
}

// collectScan parses the scan command's flags, walks the paths and returns
// the findings; code is non-zero when the scan could not run.
func collectScan(ctx context.Context, args []string, e *env) (scanner.Findings, *commonFlags, int) {
	fl := newFlagSet("scan", scanUsage, e)
	var c commonFlags
	c.register(fl)
	if ok, code := parseFlags(fl, args); !ok {
		return nil, nil, code
	}
	if err := c.validate(); err != nil {
		fmt.Fprintf(e.stderr, "keyscan scan: %v\n", err)
		return nil, nil, exitError
	}
	roots := fl.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	cfg, sc, err := setup(&c, roots[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan scan: %v\n", err)
		return nil, nil, exitError
	}
	goFiles := newGoCollector()
	res, err := walk.Walk(ctx, roots, sc, walk.Options{
		MaxFileSize: cfg.MaxFileSize,
		Excluded:    excluder(cfg),
		OnFile:      goFiles.add,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan scan: %v\n", err)
		return nil, nil, exitError
	}
	fs := res.Findings
	fs = append(fs, goFiles.scan(ctx, sc, e, c.quiet)...)
	if !c.quiet {
		for _, w := range res.Warnings {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", w)
		}
		st := res.Stats
		if st.Binary > 0 || st.TooLarge > 0 {
			fmt.Fprintf(e.stderr, "keyscan: scanned %s (%s); skipped %d binary and %d over the size limit\n",
				report.Count(int(st.Files), "file", "files"), humanBytes(st.Bytes), st.Binary, st.TooLarge)
		}
	}
	return dedupe(fs), &c, exitClean
}

// excluder adapts the configuration's globs to the walker.
func excluder(cfg *config.Config) func(rel string, dir bool) bool {
	return func(rel string, dir bool) bool {
		if dir {
			return cfg.ExcludedDir(rel)
		}
		return cfg.Excluded(rel)
	}
}

// dedupe drops findings reported twice for the same value at the same place
// (by the byte scan and by the type-checked Go scan).
func dedupe(fs scanner.Findings) scanner.Findings {
	fs.Sort()
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			p := fs[i-1]
			if p.File == f.File && p.Line == f.Line && p.Column == f.Column && p.Rule == f.Rule {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
