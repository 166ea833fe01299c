package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixComposeSiblingFolders checks fix18's leftover: docker compose
// takes paths relative to the compose file, so a compose file of another
// folder than the env file's (or the Dockerfile's) may load it:
// app/compose.yaml includes ../storage/minio.yml, whose service reads
// storage/aws.env beside storage/m.env that sets the endpoint;
// deploy/compose.yaml builds ../app with an endpoint in its environment
// (the Dockerfile's ENV keys run there); deploy/compose.yaml reads
// ../app/.env as env_file and sets the endpoint. Every one kept its keys
// only when the compose file stood in the env file's folder or above. The
// same layouts without an endpoint are fixed, and a service whose
// env_file is named s3.env no longer reads as an S3 host (fixqa14's
// leftover: "env_file = s3.env, whose value looks like an S3-compatible
// service's endpoint").
func TestFixComposeSiblingFolders(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	env := func(k map[string]string) string {
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	a, b, c, d, e := v(1941), v(1942), v(1943), v(1944), v(1945)
	files := map[string]string{
		"inc/app/compose.yaml":             "include:\n  - ../storage/minio.yml\nservices:\n  web: {image: nginx}\n",
		"inc/storage/minio.yml":            "services:\n  s3:\n    image: uploader\n    env_file:\n      - aws.env\n      - m.env\n",
		"inc/storage/aws.env":              env(a),
		"inc/storage/m.env":                "S3_ENDPOINT=http://minio:9000\n",
		"side/deploy/compose.yml":          "services:\n  app:\n    build: ../app\n    environment:\n      AWS_ENDPOINT_URL: http://minio:9000\n",
		"side/app/Dockerfile":              "FROM alpine\nENV AWS_ACCESS_KEY_ID=" + b["ID"] + " AWS_SECRET_ACCESS_KEY=" + b["SECRET"] + "\n",
		"side/deploy/compose.override.yml": "services:\n  app:\n    env_file: ../app/.env\n",
		"side/app/.env":                    env(c),
		// Fixed: the same include and build without an endpoint, and an
		// env_file called s3.env.
		"ctl/app/compose.yaml": "include:\n  - ../storage/app.yml\n",
		"ctl/storage/app.yml":  "services:\n  up:\n    image: uploader\n    env_file: aws.env\n",
		"ctl/storage/aws.env":  env(d),
		"named/compose.yaml":   "services:\n  app:\n    image: app\n    env_file: s3.env\n    environment:\n      AWS_ACCESS_KEY_ID: " + e["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + e["SECRET"] + "\n",
		"named/s3.env":         "AWS_REGION=eu-west-1\n",
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"inc/storage/aws.env:1:", "S3_ENDPOINT = http://minio:9000 in inc/storage/m.env",
		"side/app/Dockerfile:2:", "AWS_ENDPOINT_URL = http://minio:9000 in side/deploy/compose.yml",
		"side/app/.env:1:", "side/app/.env:2:",
		"rewrote ctl/storage/aws.env (2 removed)", "rewrote named/compose.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3.env, whose value") {
		t.Errorf("an env_file's name read as a host:\n%s", out)
	}
	for _, n := range []string{"inc/storage/aws.env", "side/app/Dockerfile", "side/app/.env"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	for _, n := range []string{"ctl/storage/aws.env", "named/compose.yaml"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); strings.Contains(string(got), "AWS_SECRET_ACCESS_KEY") {
			t.Errorf("%s still holds the keys:\n%s", n, got)
		}
	}
}
