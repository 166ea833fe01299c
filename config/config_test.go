package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/config"
)

func TestParse(t *testing.T) {
	c, err := config.Parse([]byte(`
exclude = ["**/testdata/**", "vendor/**"]
include = ["**/*.env", "deploy/**"]
max_file_size = "2MiB"
keywords = ["storage_pass"]
[allow]
values = ["an-allowed-value"]
regexes = ["^AKIA.*TEST$"]
paths = ["docs/**"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxFileSize != 2<<20 {
		t.Errorf("MaxFileSize = %d, want %d", c.MaxFileSize, 2<<20)
	}
	for rel, want := range map[string]bool{
		"a/testdata/x.env": true,  // excluded
		"vendor/x/y.env":   true,  // excluded
		"docs/a.env":       true,  // allow.paths
		"app/.env":         false, // included
		"deploy/k8s.yaml":  false, // included
		"main.go":          true,  // not included
	} {
		if got := c.Excluded(rel); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", rel, got, want)
		}
	}
	if !c.ExcludedDir("vendor") || c.ExcludedDir("deploy") {
		t.Error("ExcludedDir: vendor must be skipped whole, deploy not")
	}
	opts := c.ScannerOptions()
	if len(opts.Keywords) != 1 || len(opts.AllowValues) != 1 || len(opts.AllowPatterns) != 1 {
		t.Errorf("ScannerOptions = %+v", opts)
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	for text, want := range map[string]string{
		`exclud = ["x"]`:             "unknown field exclud",
		`exclude = ["[x"]`:           `exclude: invalid glob "[x"`,
		`max_file_size = "lots"`:     "max_file_size:",
		`max_file_size = -1`:         "max_file_size: must be positive",
		`keywords = ["k"]`:           "keywords:",
		"[allow]\nregexes = [\"(\"]": "allow.regexes:",
		"[allow]\nvalues = [\"\"]":   "allow.values: empty value",
		`exclude = "x"`:              "",
	} {
		_, err := config.Parse([]byte(text))
		if err == nil {
			t.Errorf("Parse(%q) accepted it", text)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want it to say %q", text, err, want)
		}
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{`1024`: 1024, `"10KB"`: 10 << 10, `"3 MB"`: 3 << 20, `"1GiB"`: 1 << 30, `"512kib"`: 512 << 10} {
		c, err := config.Parse([]byte("max_file_size = " + in))
		if err != nil || c.MaxFileSize != want {
			t.Errorf("max_file_size = %s: got %v, %v; want %d", in, c, err, want)
		}
	}
}

func TestFindAndLoad(t *testing.T) {
	dir := t.TempDir()
	if _, ok := config.Find(dir); ok {
		t.Error("Find found a config in an empty folder")
	}
	p := filepath.Join(dir, config.FileName)
	if err := os.WriteFile(p, []byte(`exclude = ["x/**"]`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, ok := config.Find(dir)
	if !ok || got != p {
		t.Fatalf("Find = %q, %v", got, ok)
	}
	c, err := config.Load(got)
	if err != nil || c.Path != p || !c.Excluded("x/y") {
		t.Errorf("Load = %+v, %v", c, err)
	}
	if _, err := config.Load(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("Load of a missing file gave no error")
	}
}
