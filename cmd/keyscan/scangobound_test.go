package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestScanGoTooLarge: keyscan scan leaves a candidate Go file past the
// bound of a type check (analyzer.CheckBound) to the byte scan and says
// so (qa29 M5: a generated 14.8 MB table beside a key folded from
// constants cost scan 10 CPU s and 850 MB, the same bytes as a .txt 0.03
// s): the key written whole is still found, a warning names the file, the
// text summary counts it, the run exits 2 with a typecheck-size entry in
// JSON whatever --strict says (qa30 M3b: a key it folds is not known),
// and check_budget = 0 lifts the bound.
func TestScanGoTooLarge(t *testing.T) {
	g := fakekey.New(5503)
	folded, plain := g.KeyID("AKIA"), g.KeyID("AKIA")
	var b strings.Builder
	// Folded in two steps: the byte scan joins a name with its literal
	// value (scanner/interp.go) but not a name whose value is itself
	// joined, so only the type checker knows ID.
	fmt.Fprintf(&b, "package big\n\nconst pre = %q\n\nconst mid = pre + %q\n\nconst ID = mid + %q\n\nconst Plain = %q\n\nvar T = []int{\n", folded[:4], folded[4:10], folded[10:], plain)
	for n := 0; n <= int(analyzer.MaxCheckTokens); n += 16 {
		b.WriteString("1, 2, 3, 4, 5, 6, 7, 8,\n")
	}
	b.WriteString("}\n")
	top := t.TempDir()
	writeTree(t, top, map[string]string{"go.mod": "module example.com/big\n\ngo 1.22\n", "big/big.go": b.String()})
	dir := filepath.Join(top, "big")
	scan := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"scan"}, args...), nil, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, out, errs := scan("--no-color", dir)
	if code != exitError || !strings.Contains(out, scanner.Redact(plain)) || strings.Contains(out, scanner.Redact(folded)) {
		t.Errorf("scan: exit %d, want 2 (a gap, whatever --strict says) with the plain key only:\n%s", code, out)
	}
	if !strings.Contains(errs, "1 Go file left to the byte scan, not type-checked (the first "+filepath.Join(dir, "big.go")) {
		t.Errorf("scan: no warning names the file left out of the type check:\n%s", errs)
	}
	if !strings.Contains(out+errs, "1 Go file not type-checked") {
		t.Errorf("scan: the summary does not count the file left out:\n%s%s", out, errs)
	}
	for _, args := range [][]string{{"--strict", "--format", "json", dir}, {"--format", "json", dir}} {
		code, out, _ = scan(args...)
		if code != exitError || !strings.Contains(out, `"reason": "typecheck-size"`) {
			t.Errorf("scan %q: exit %d, want 2 with a typecheck-size gap:\n%s", args, code, out)
		}
	}
	// check_budget = 0 lifts the bound, as it lifts staged's
	// (analyzer.TestCheckBound type-checks such a package without one).
	if goCheckBound(0) != 0 || goCheckBound(1) != analyzer.MaxCheckTokens || goCheckBound(4) != analyzer.MaxCheckTokens {
		t.Errorf("goCheckBound(0, 1, 4) = %d, %d, %d; want no bound, then MaxCheckTokens", goCheckBound(0), goCheckBound(1), goCheckBound(4))
	}
}
