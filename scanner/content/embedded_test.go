package content

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/rules"
)

// TestGoEmbedGzip is qa16 HIGH-22: a Go program that embeds a gzip'd
// credentials file (//go:embed creds.gz), built by the real go build: the
// gzip sits at some offset of .rodata, was read as the program's text runs
// only, and both keys were missed with --strict 0.
func TestGoEmbedGzip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program")
	}
	goBin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command: not checked")
		}
	}
	sc := newScanner(t)
	_, _, text := pair(422)
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(text)
	zw.Close()
	files := map[string][]byte{"go.mod": []byte("module emb\n\ngo 1.22\n"), "creds.gz": gz.Bytes(),
		"main.go": []byte("package main\n\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n)\n\n//go:embed creds.gz\nvar creds []byte\n\nfunc main() { fmt.Println(len(creds)) }\n")}
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goBin, "build", "-o", "app", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=0", "GOTOOLCHAIN=local")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	data, err := os.ReadFile(filepath.Join(dir, "app"))
	if err != nil {
		t.Fatal(err)
	}
	r := Scan(context.Background(), sc, "app", data, DefaultOptions())
	kinds := map[rules.Kind]bool{}
	for _, f := range r.Findings {
		if strings.HasPrefix(f.File, "app@") && strings.HasSuffix(f.File, "!data") {
			kinds[f.Kind] = true
		}
	}
	if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Archive.Unscanned != 0 {
		t.Errorf("kinds found in app@N!data %v, %d parts not scanned, warnings %v; findings %v", kinds, r.Archive.Unscanned, r.Warnings, places(r.Findings))
	}
}
