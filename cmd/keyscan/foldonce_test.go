package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

// TestFoldedKeyOnce: a key the type checker folds from literals given to a
// call (fmt.Sprint, fmt.Sprintf, strings.Join) is one finding, at the call
// where go vet reports it, in keyscan scan and in staged's and
// pre-receive's reading of a blob (content.Options.WithGo). Both reported
// it twice: there and at the first literal, where the byte scan joins the
// literals (qa29 L1). TestScanAgreesWithVetAcrossPackages (analyzer) has
// these shapes against the real go vet.
func TestFoldedKeyOnce(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(6101)
	files := map[string]string{}
	for i, call := range []string{`fmt.Sprint(%q, %q)`, `fmt.Sprintf("%%s%%s", %q, %q)`, `strings.Join([]string{%q, %q}, "")`,
		`fmt.Sprint(%q +` + "\n\t" + `%q)`} {
		id := g.KeyID("AKIA")
		src := fmt.Sprintf("package p\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nvar _ = strings.Join\n\nvar _ = fmt.Sprint\n\nvar ID = "+call+"\n", id[:8], id[8:])
		name := fmt.Sprintf("p%d/p.go", i)
		files[name] = src
		fs := content.Options{Go: goSource}.WithGo(context.Background(), sc, name, []byte(src), sc.Scan(name, []byte(src)))
		if len(fs) != 1 || fs[0].Secret != id || fs[0].Line != 12 || fs[0].Column != 10 {
			t.Errorf("%s: staged's reading gives %d findings, want one at 12:10:%s", call, len(fs), places(fs))
		}
	}
	top := t.TempDir()
	writeTree(t, top, files)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"scan", "--format", "json", top}, nil, &stdout, &stderr); code != exitFindings {
		t.Fatalf("scan: exit %d\n%s", code, stderr.String())
	}
	var found []struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &found); err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, f := range found {
		per[filepath.ToSlash(f.File)]++
		if f.Line != 12 || f.Column != 10 {
			t.Errorf("scan: %s:%d:%d, want 12:10, go vet's place", f.File, f.Line, f.Column)
		}
	}
	if len(per) != len(files) {
		t.Errorf("scan: findings in %d files, want %d", len(per), len(files))
	}
	for f, n := range per {
		if n != 1 {
			t.Errorf("scan: %d findings in %s, want one", n, f)
		}
	}
}

// places lists where the findings are, for a test's message.
func places(fs scanner.Findings) string {
	s := ""
	for _, f := range fs {
		s += fmt.Sprintf(" %d:%d %s", f.Line, f.Column, f.Encoding)
	}
	return s
}
