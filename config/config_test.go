package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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

// TestFindRefusesWhatLeavesTheRoot: .keyscan.toml sits in a tree a stranger
// may write (a pull request in CI). A link out of the root (to /proc/kmsg,
// whose read blocks; to a private file) and a FIFO are refused with an error
// that names them, without opening them; a link inside the root is read.
// The test runs each Find in a goroutine so that a regression fails it
// rather than hanging it.
func TestFindRefusesWhatLeavesTheRoot(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside.toml")
	if err := os.WriteFile(outside, []byte("strict = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, make func(p string) error) string {
		dir := filepath.Join(base, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := make(filepath.Join(dir, config.FileName)); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	refused := map[string]string{
		mk("kmsg", func(p string) error { return os.Symlink("/proc/kmsg", p) }):    "outside the scan root",
		mk("out", func(p string) error { return os.Symlink(outside, p) }):          "outside the scan root",
		mk("up", func(p string) error { return os.Symlink("../outside.toml", p) }): "outside the scan root",
		mk("fifo", func(p string) error { return syscall.Mkfifo(p, 0o644) }):       "a named pipe (FIFO), not a regular file",
		mk("dangling", func(p string) error { return os.Symlink("nowhere", p) }):   "does not resolve",
	}
	for dir, want := range refused {
		done := make(chan error, 1)
		go func() {
			p, err := config.Find(dir)
			if err == nil {
				_, err = config.Load(p)
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), config.FileName) {
				t.Errorf("Find(%s): %v, want an error naming %s and saying %q", dir, err, config.FileName, want)
			}
		case <-time.After(time.Minute):
			t.Fatalf("Find(%s) did not end", dir)
		}
	}
	inside := mk("inside", func(p string) error {
		if err := os.WriteFile(filepath.Join(filepath.Dir(p), "real.toml"), []byte("strict = true\n"), 0o644); err != nil {
			return err
		}
		return os.Symlink("real.toml", p)
	})
	p, err := config.Find(inside)
	if err != nil {
		t.Fatalf("Find of a link inside the root: %v", err)
	}
	if c, err := config.Load(p); err != nil || !c.Strict {
		t.Errorf("Load(%s) = %+v, %v; want the linked file read", p, c, err)
	}
}

// TestLoadIsBounded: --config names a file the user chose, but it is still
// read without blocking and with a size cap: a FIFO is refused unopened, a
// procfs file (size 0) is not read, a file over MaxSize is refused.
func TestLoadIsBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", config.MaxSize)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, big, "/proc/kmsg"} {
		done := make(chan error, 1)
		go func() {
			_, err := config.Load(p)
			done <- err
		}()
		select {
		case err := <-done:
			if p != "/proc/kmsg" && err == nil {
				t.Errorf("Load(%s): no error", p)
			}
		case <-time.After(time.Minute):
			t.Fatalf("Load(%s) did not end", p)
		}
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
