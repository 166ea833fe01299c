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
		`exclud = ["x"]`:                         "unknown field exclud",
		`exclude = ["[x"]`:                       `exclude: invalid glob "[x"`,
		`max_file_size = "lots"`:                 "max_file_size:",
		`max_file_size = -1`:                     "max_file_size: must be positive",
		`keywords = ["k"]`:                       "keywords:",
		"[allow]\nregexes = [\"(\"]":             "allow.regexes:",
		"[allow]\nvalues = [\"\"]":               "allow.values: empty value",
		`exclude = "x"`:                          "",
		"[archives]\nmax_archive_size = \"big\"": "archives.max_archive_size:",
		`max_findings_per_file = -1`:             "max_findings_per_file: must not be negative",
		`typecheck_timeout = 0`:                  "typecheck_timeout: from 1 to 300 seconds",
		`typecheck_timeout = 1000000`:            "typecheck_timeout: from 1 to 300 seconds",
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
	if got, err := config.Find(dir); got != "" || err != nil {
		t.Errorf("Find in an empty folder = %q, %v", got, err)
	}
	p := filepath.Join(dir, config.FileName)
	if err := os.WriteFile(p, []byte(`exclude = ["x/**"]`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := config.Find(dir)
	if err != nil || got != p {
		t.Fatalf("Find = %q, %v", got, err)
	}
	c, err := config.Load(got)
	if err != nil || c.Path != p || !c.Excluded("x/y") {
		t.Errorf("Load = %+v, %v", c, err)
	}
	if _, err := config.Load(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("Load of a missing file gave no error")
	}
}

// TestArchiveSize: [archives] max_archive_size sets the largest archive
// opened (QA-15); by default 256 MiB, above max_file_size.
func TestArchiveSize(t *testing.T) {
	if c := config.Default(); c.ContentOptions().Archives.MaxArchiveSize != 256<<20 {
		t.Errorf("default max_archive_size = %d, want 256 MiB", c.ContentOptions().Archives.MaxArchiveSize)
	}
	c, err := config.Parse([]byte("[archives]\nmax_archive_size = \"1GiB\"\n"))
	if err != nil || c.ContentOptions().Archives.MaxArchiveSize != 1<<30 {
		t.Errorf("max_archive_size = 1GiB: got %v, %v", c, err)
	}
}

// TestMaxFindings: max_findings_per_file reaches the content options; the
// default is DefaultMaxFindings and 0 means no limit.
func TestMaxFindings(t *testing.T) {
	for text, want := range map[string]int{"": config.DefaultMaxFindings, "max_findings_per_file = 50": 50, "max_findings_per_file = 0": 0} {
		c, err := config.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.ContentOptions().MaxFindings; got != want {
			t.Errorf("Parse(%q): MaxFindings %d, want %d", text, got, want)
		}
	}
	if got := config.Default().ContentOptions().MaxFindings; got != config.DefaultMaxFindings {
		t.Errorf("Default: MaxFindings %d, want %d", got, config.DefaultMaxFindings)
	}
}

// TestAllowComments: pre_receive.allow_comments is on unless set to false.
func TestAllowComments(t *testing.T) {
	for text, refuse := range map[string]bool{"": false, "[pre_receive]\nallow_comments = true": false, "[pre_receive]\nallow_comments = false": true} {
		c, err := config.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if c.PreReceive.RefuseAllowComments != refuse {
			t.Errorf("Parse(%q): RefuseAllowComments %v, want %v", text, c.PreReceive.RefuseAllowComments, refuse)
		}
	}
	if config.Default().PreReceive.RefuseAllowComments {
		t.Errorf("Default refuses allow comments")
	}
}
