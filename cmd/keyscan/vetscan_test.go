package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/scanner"
)

// scanOnly lists the places in the analyzer's testdata where keyscan scan
// reports a key that go vet does not, and why (none now: a secret given to
// an SDK constructor beside another service's key ID, which vet clears, the
// matcher clears too; analyzer/testdata/src/sdkv2/endpoint.go imports os, so
// the package is one a real program would have).
var scanOnly = map[string]string{}

// TestScanFindsWhatVetFinds is the property the README states: on Go code,
// keyscan scan's findings include go vet's. Both run over the analyzer's
// whole testdata (a GOPATH tree of packages written to exercise the vet
// pass: split keys, typed constants, constants of other packages, SDK calls,
// escapes, embedded files); every key go vet reports in a directory,
// keyscan scan must report in the same directory, and every key scan
// reports in a Go file, vet must report (but for scanOnly).
func TestScanFindsWhatVetFinds(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the analyzer's testdata")
	}
	gopath, err := filepath.Abs(filepath.Join("..", "..", "analyzer", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(gopath, "src")

	// go vet's view: the analyzer over every package, as analysistest runs it.
	pkgs, err := packages.Load(&packages.Config{
		Mode:  packages.LoadAllSyntax,
		Dir:   src,
		Env:   append(os.Environ(), "GOPATH="+gopath, "GO111MODULE=off", "GOPROXY=off", "GOWORK=off"),
		Tests: true,
	}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.New(nil)}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	redacted := regexp.MustCompile(`\S{4}\*{4,}\S{4}`)
	vet := map[string]bool{} // "dir\x00redacted key"
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatalf("%s: %v", act, act.Err)
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			k := redacted.FindString(d.Message)
			if k == "" {
				t.Fatalf("%s: no redacted key in %q", pos, d.Message)
			}
			rel, _ := filepath.Rel(src, filepath.Dir(pos.Filename))
			vet[filepath.ToSlash(rel)+"\x00"+k] = true
		}
	}
	if len(vet) < 50 {
		t.Fatalf("go vet found only %d keys in the testdata: the load went wrong", len(vet))
	}

	// keyscan scan's view, with no configuration (the repository's own
	// excludes testdata).
	empty := filepath.Join(t.TempDir(), "empty.toml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"scan", "--config", empty, "--format", "json", "--show-secrets", src}, nil, &out, &errb)
	if code != exitFindings {
		t.Fatalf("keyscan scan: exit %d\n%s", code, errb.String())
	}
	var found []struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
		Secret string `json:"secret"`
	}
	if err := json.Unmarshal(out.Bytes(), &found); err != nil {
		t.Fatal(err)
	}
	scan := map[string]bool{}
	scanGo := map[string]string{} // the keys scan reports in Go files -> where
	for _, f := range found {
		rel := filepath.ToSlash(f.File)
		if r, err := filepath.Rel(src, f.File); err == nil && filepath.IsAbs(f.File) {
			rel = filepath.ToSlash(r)
		}
		k := filepath.ToSlash(filepath.Dir(rel)) + "\x00" + scanner.Redact(f.Secret)
		scan[k] = true
		if strings.HasSuffix(rel, ".go") {
			scanGo[k] = fmt.Sprintf("%s:%d:%d", rel, f.Line, f.Column)
		}
	}
	// The reverse, on Go files: every key keyscan scan reports in a Go file,
	// go vet reports in the same package, but for the differences listed
	// (allowed, not required: a fix may make them agree).
	for k, where := range scanGo {
		if !vet[k] && scanOnly[where] == "" {
			dir, key, _ := strings.Cut(k, "\x00")
			t.Errorf("keyscan scan reports %s at %s; go vet does not report it in %s", key, where, dir)
		}
	}
	var missing []string
	for k := range vet {
		if !scan[k] {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	for _, k := range missing {
		dir, key, _ := bytes.Cut([]byte(k), []byte{0})
		t.Errorf("go vet reports %s in %s; keyscan scan does not", key, dir)
	}

	// The reverse, for what go vet clears on purpose: a secret whose name is
	// used only as an HMAC or JWT signing key (analyzer.NotAWSKeys; the
	// testdata literals/hmac.go and literals/jwt.go in files that import the
	// AWS SDK) is reported by neither.
	cleared := 0
	err = filepath.WalkDir(src, func(dir string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		goFiles, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for name, spans := range analyzer.NotAWSKeys(goFiles) {
			data, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			for _, sp := range spans {
				v, err := strconv.Unquote(string(data[sp[0]:sp[1]]))
				if err != nil {
					continue
				}
				rel, _ := filepath.Rel(src, dir)
				k := filepath.ToSlash(rel) + "\x00" + scanner.Redact(v)
				cleared++
				if vet[k] {
					t.Errorf("%s: go vet reports %s, which keyscan scan clears as not AWS's", name, scanner.Redact(v))
				}
				if scan[k] {
					t.Errorf("%s: keyscan scan reports %s, which go vet clears as not AWS's", name, scanner.Redact(v))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cleared < 2 {
		t.Errorf("only %d secrets cleared as not AWS's in the testdata (want the HMAC and JWT keys of literals/)", cleared)
	}
}
