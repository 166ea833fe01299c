package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// BenchmarkFixBigScript: keyscan fix of a .env whose folder holds an 8 MB
// shell script that loads it and sets no endpoint: fix reads the script
// for a custom endpoint (findEndpoint), which ran a dozen expressions on
// each of its lines (fix28: 3.8 CPU s for the run); its keyword prefilter
// reads such a file at the speed of one scan. cpu-ns/op is the measure.
func BenchmarkFixBigScript(b *testing.B) {
	dir := b.TempDir()
	g := fakekey.New(28)
	env := fmt.Sprintf("AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", g.KeyID("AKIA"), g.Secret())
	lines := []string{`export PATH="$HOME/bin:$PATH"`, `echo "building target $i for the release"`,
		`if [ -f /etc/app.conf ]; then`, `  cp build/out.tar.gz /var/lib/app/releases/v1.2.3/`, `fi`,
		`curl -sS "https://example.com/api/v1/items?id=42" -o out.json`, `for f in *.txt; do wc -l "$f"; done`,
		`DATABASE_URL=postgres://user:pass@db:5432/app`, `case "$1" in start) run_server --port 8080 ;; esac`,
		`rsync -av ./dist/ web:/srv/www/`, `python3 manage.py migrate --noinput`, `docker build -t app:latest .`}
	var s strings.Builder
	s.WriteString("#!/bin/sh\n. ./.env\n")
	for s.Len() < 8<<20 {
		s.WriteString(strings.Join(lines, "\n") + "\n")
	}
	for name, body := range map[string]string{".env": env, "deploy.sh": s.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(s.Len()))
	benchFix(b, dir, true)
}
