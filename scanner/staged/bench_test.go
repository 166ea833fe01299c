package staged

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fixture"
)

// BenchmarkScan measures a staged scan of a typical change (3 files changed,
// 1 new file of 200 lines) in a repository of 10,000 files and 2,000
// commits, built with git fast-import. bench/staged.sh times the whole
// process against gitleaks.
func BenchmarkScan(b *testing.B) {
	dir := b.TempDir()
	run := func(stdin string, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), gitEnv...)
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	const files, commits = 10000, 2000
	path := func(f int) string { return fmt.Sprintf("src/d%02d/s%d/f%05d.go", f/500%20, f/50%10, f) }
	content := func(f, v int) string {
		var s strings.Builder
		fmt.Fprintf(&s, "package p\n\n// file %d version %d\n", f, v)
		for i := range 27 {
			fmt.Fprintf(&s, "func F%d_%d() int { return %d }\n", f, i, i*7+f+v)
		}
		return s.String()
	}
	var stream strings.Builder
	emit := func(f, v int) {
		c := content(f, v)
		fmt.Fprintf(&stream, "M 100644 inline %s\ndata %d\n%s\n", path(f), len(c), c)
	}
	for c := 0; c <= commits; c++ {
		fmt.Fprintf(&stream, "commit refs/heads/main\ncommitter B <b@example.com> %d +0000\ndata 1\nc\n", 1600000000+c)
		if c == 0 {
			for f := range files {
				emit(f, 0)
			}
		} else {
			emit(c*7919%files, c)
			emit((c*7919+104729)%files, c)
		}
		stream.WriteString("\n")
	}
	run("", "init", "-q", "-b", "main")
	run(stream.String(), "fast-import", "--quiet")
	run("", "repack", "-adq")
	run("", "reset", "-q", "--hard", "main")
	for _, f := range []int{1510, 5860, 9501} {
		p := filepath.Join(dir, path(f))
		data, _ := os.ReadFile(p)
		if err := os.WriteFile(p, append(data, "func Added() {}\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var added strings.Builder
	for i := range 200 {
		fmt.Fprintf(&added, "var Setting%d = %d\n", i, i)
	}
	if err := os.MkdirAll(filepath.Join(dir, "src", "feature"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "feature", "settings.go"), []byte(added.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	run("", "add", "-A")
	fi, err := os.Stat(filepath.Join(dir, ".git", "index"))
	if err != nil {
		b.Fatal(err)
	}
	sc := fixture.Scanner(b)
	ctx := context.Background()
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		res, err := Scan(ctx, dir, sc, Options{})
		if err != nil || len(res.Files) != 4 {
			b.Fatalf("Scan: %d files, %v", len(res.Files), err)
		}
	}
}
