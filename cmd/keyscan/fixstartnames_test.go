package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixStartFileNames checks qa25 H1 and M1 for keyscan fix: the
// keys of an application's configuration file stay when a Dockerfile or
// Containerfile beside it, by any of the names projects give one
// (Dockerfile-dev, Dockerfile_prod, dev.Dockerfile, Containerfile.dev,
// Containerfile-ci, a template Dockerfile.j2), or a dotenv file named
// .env-local or .env_dev, sets a custom endpoint: the names go vet's fix
// reads too (fix.StartEnvFile). Such a file that sets nothing, an example
// (.env-example) and a document about a Dockerfile leave the keys to be
// fixed.
func TestFixStartFileNames(t *testing.T) {
	requireKeyscanOnPath(t)
	yamlKeys := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "storage:\n  region: us-east-1\n  access_key_id: " + k["ID"] + "\n  secret_access_key: " + k["SECRET"] + "\n"
	}
	docker := "FROM golang:1.26\nENV AWS_ENDPOINT_URL=http://minio.internal:9000\n"
	dotenv := "AWS_ENDPOINT_URL=http://minio.internal:9000\n"
	for i, tc := range []struct {
		file, src string
		held      bool
	}{
		{"Dockerfile-dev", docker, true},
		{"Dockerfile_prod", docker, true},
		{"dev.Dockerfile", docker, true},
		{"Containerfile.dev", docker, true},
		{"Containerfile-ci", docker, true},
		{"Dockerfile.j2", docker, true},
		{".env-local", dotenv, true},
		{".env_dev", dotenv, true},
		{"Dockerfile-dev", "FROM golang:1.26\nENV LOG_LEVEL=debug\n", false},
		{".env-example", dotenv, false},
		{"dockerfile_notes.md", "Run it with ENV AWS_ENDPOINT_URL=http://minio.internal:9000.\n", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			files := map[string]string{"config.yaml": yamlKeys(uint64(2701 + i)), tc.file: tc.src}
			if tc.held {
				fixFolder(t, files, []string{"minio.internal:9000"})
				return
			}
			dir := t.TempDir()
			for n, s := range files {
				writeRepoFile(t, dir, n, s)
			}
			if r := runCmd(t, dir, nil, "keyscan", "fix", "--write", "."); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "rewrote config.yaml") {
				t.Errorf("fix --write: exit %d, want 0 and config.yaml rewritten\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}
