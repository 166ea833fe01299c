package fix_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/fix"
)

// bigScript is an ordinary shell script of about size bytes that sets no
// endpoint: settings, URLs, loops and the near misses of the words
// findEndpoint looks for (a storage word in a comment, an endpoint in a
// message, a path-style word, a service name in prose).
func bigScript(size int) []byte {
	lines := []string{
		"#!/bin/sh",
		`export PATH="$HOME/bin:$PATH"`,
		`echo "building target $i for the release"`,
		`if [ -f /etc/app.conf ]; then`,
		`  cp build/out.tar.gz /var/lib/app/releases/v1.2.3/`,
		`fi`,
		`curl -sS "https://example.com/api/v1/items?id=42" -o out.json`,
		`for f in *.txt; do wc -l "$f"; done`,
		`DATABASE_URL=postgres://user:pass@db:5432/app`,
		`# keep the storage code in sync with the service`,
		`LOG_LEVEL=debug  # the endpoint is printed at start`,
		`STYLE=compact`,
		`case "$1" in start) run_server --port 8080 ;; esac`,
		`printf '%s\n' "region of the build: local"`,
	}
	var b strings.Builder
	for b.Len() < size {
		for _, l := range lines {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return []byte(b.String())
}

// BenchmarkFileEndpointBig: keyscan fix asking a big ordinary file of the
// project whether it sets a custom endpoint (fix.FileEndpoint, as
// fileEndpoint and the readers of a .env's program do). MB/s is the
// measure: it was about 1 before the keyword prefilter of findEndpoint.
func BenchmarkFileEndpointBig(b *testing.B) {
	for _, name := range []string{"deploy.sh", "values.yaml", "main.tf"} {
		data := bigScript(8 << 20)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if d := fix.FileEndpoint(name, data); d != "" {
					b.Fatalf("FileEndpoint = %q, want none", d)
				}
			}
		})
	}
}

// BenchmarkFileEndpointCorpus: FileEndpoint of the files named by
// KEYSCAN_ENDPOINT_CORPUS (a comma-separated list: concatenations of a real
// project's sources), for a measure on real text.
func BenchmarkFileEndpointCorpus(b *testing.B) {
	list := os.Getenv("KEYSCAN_ENDPOINT_CORPUS")
	if list == "" {
		b.Skip("KEYSCAN_ENDPOINT_CORPUS names no files")
	}
	for _, p := range strings.Split(list, ",") {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(p), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				fix.FileEndpoint(p, data)
			}
		})
	}
}
