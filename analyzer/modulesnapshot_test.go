package analyzer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestScanGoSourceInModule: a candidate blob folded with a constant of a
// package of its module is read with that package as the snapshot gives
// it (keyscan staged, pre-receive); a package the snapshot cannot give
// whole, or past the bound, is an error (a gap), and one outside the
// module stays unresolved, with no error.
func TestScanGoSourceInModule(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := fakekey.New(3303).KeyID("AKIA")
	app := []byte(fmt.Sprintf("package app\n\nimport \"example.com/shop/cfg\"\n\nconst ID = cfg.Head + %q\n", id[8:]))
	cfg := analyzer.Sibling{Name: "cfg/cfg.go", Src: []byte(fmt.Sprintf("package cfg\n\nconst Head = %q\n", id[:8]))}
	scan := func(imported func(string) ([]analyzer.Sibling, bool, error)) (scanner.Findings, error) {
		return analyzer.ScanGoSourceIn(context.Background(), sc, "app/app.go", app, false, nil, imported)
	}

	var asked []string
	fs, err := scan(func(p string) ([]analyzer.Sibling, bool, error) {
		asked = append(asked, p)
		return []analyzer.Sibling{cfg}, true, nil
	})
	if err != nil || len(fs) != 1 || fs[0].Secret != id || fs[0].File != "app/app.go" {
		t.Fatalf("in the module: %v, %v; want the key at app/app.go", fs, err)
	}
	if len(asked) != 1 || asked[0] != "example.com/shop/cfg" {
		t.Errorf("imported asked for %q, want the one import once", asked)
	}

	fs, err = scan(func(string) ([]analyzer.Sibling, bool, error) { return nil, false, nil })
	if err != nil || len(fs) != 0 {
		t.Errorf("outside the module: %v, %v; want nothing and no error", fs, err)
	}

	unreadable := errors.New("blob missing")
	if _, err = scan(func(string) ([]analyzer.Sibling, bool, error) { return nil, true, unreadable }); !errors.Is(err, unreadable) {
		t.Errorf("unreadable package: error %v, want %v", err, unreadable)
	}

	// Past the bound of a package's declarations (MaxCheckTokens): an error.
	var big strings.Builder
	big.WriteString("package cfg\n\n")
	for i := 0; i < 220_000; i++ {
		fmt.Fprintf(&big, "const c%d = %d\n", i, i)
	}
	fs, err = scan(func(string) ([]analyzer.Sibling, bool, error) {
		return []analyzer.Sibling{cfg, {Name: "cfg/big.go", Src: []byte(big.String())}}, true, nil
	})
	if err == nil || !strings.Contains(err.Error(), "bound") {
		t.Errorf("a package past the bound: %v, %v; want an error naming the bound", fs, err)
	}
}
