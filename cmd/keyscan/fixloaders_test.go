package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixScriptLoadsDotenv checks qa15 HIGH-19: the keys of a .env file
// stay when a shell script or Makefile that may load it (docker run
// --env-file, `set -a; . ./.env`, include .env) sets a custom endpoint for
// what it runs: in the file's folder, below it, or elsewhere naming its
// path; a script without a #! line or an extension is no script. A
// Makefile without an endpoint is a control that is fixed, and make still
// reads the rewritten .env it includes.
func TestFixScriptLoadsDotenv(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2101).Values()
	env := "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\nAWS_DEFAULT_REGION=us-east-1\n"
	files := map[string]string{
		"a/.env":        env,
		"a/run.sh":      "#!/bin/sh\ndocker run --rm --env-file .env -e AWS_ENDPOINT_URL=http://minio:9000 --network storage app:latest\n",
		"b/.env":        env,
		"b/Makefile":    "include .env\nexport\n\nbucket:\n\taws --endpoint-url=http://localhost:4566 s3 mb s3://uploads\n",
		"c/.env":        env,
		"c/bin/setup":   "#!/bin/bash\nset -a\n. ../.env\nset +a\nexport AWS_ENDPOINT_URL=http://localhost:4566\naws s3 mb s3://uploads\n",
		"d/config/.env": env,
		"d/scripts/dev": "#!/bin/sh\nexport $(grep -v '^#' ../config/.env | xargs)\nexec ./app --s3-endpoint http://minio.local:9000\n",
		"e/.env":        env,
		"e/NOTES":       "AWS_ENDPOINT_URL=http://minio:9000 is what the old setup used\n",
		"e/Makefile":    "include .env\nexport\n\nsync:\n\taws s3 sync dist s3://site\n",
	}
	dir := fixFolder(t, files, []string{
		"a/run.sh sets a custom endpoint (AWS_ENDPOINT_URL = http://minio:9000)",
		"b/Makefile sets a custom endpoint (--endpoint-url=http://localhost:4566)",
		"c/bin/setup sets a custom endpoint",
		"d/scripts/dev, which names d/config/.env, sets a custom endpoint (--s3-endpoint http://minio.local:9000)",
		"rewrote e/.env",
	}, "e/.env")
	got, _ := os.ReadFile(filepath.Join(dir, "e/.env"))
	if strings.Contains(string(got), k["ID"]) {
		t.Errorf("e/.env keeps its keys:\n%s", got)
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Log("make is not installed: the rewritten Makefile include is not checked")
		return
	}
	if out, err := exec.Command("make", "-n", "-C", filepath.Join(dir, "e"), "sync").CombinedOutput(); err != nil {
		t.Errorf("make -n after the fix: %v\n%s", err, out)
	}
}
