package main

import (
	"context"
	"path"
	"strings"
	"sync"

	"github.com/keyscan/keyscan/scanner"
)

// goCollector gathers the Go files a scan reads so that they can be
// type-checked per package, finding keys that exist only after constant
// folding (see package analyzer).
type goCollector struct {
	mu   sync.Mutex
	dirs map[string][]string // directory (relative) -> Go file names
}

func newGoCollector() *goCollector { return &goCollector{dirs: map[string][]string{}} }

func (g *goCollector) add(rel string, _ []byte) {
	if !strings.HasSuffix(rel, ".go") {
		return
	}
	g.mu.Lock()
	g.dirs[path.Dir(rel)] = append(g.dirs[path.Dir(rel)], path.Base(rel))
	g.mu.Unlock()
}

// scan type-checks the collected packages. Until the analyzer provides its
// package scanner it finds nothing more than the byte scan.
func (g *goCollector) scan(ctx context.Context, sc *scanner.Scanner, roots []string, e *env) scanner.Findings {
	return nil
}
