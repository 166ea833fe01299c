package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixComposeFlowAndInclude checks qa13 MEDIUM-2's rest: the MinIO
// endpoint of a compose service comes from a service written in flow
// style on one line (in the override compose merges, or a one-line
// service whose env_file: list names the endpoint's file), from a file
// that the top-level include: loads (any name, its env_file paths taken
// from its own folder) or merges through an include: path list, or from a
// file that COMPOSE_FILE in the environment of the run merges (also with
// the compose file named alone: the keys stay, saying the merged file
// was not read), or passed through from compose's own environment
// (- AWS_ENDPOINT_URL, no value). The keys stay with the custom-endpoint reason; the same
// layouts without an endpoint are fixed, and every YAML file still
// parses.
func TestFixComposeFlowAndInclude(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	env := func(k map[string]string) string {
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	block := func(k map[string]string) string {
		return "services:\n  app:\n    image: app\n    environment:\n      AWS_ACCESS_KEY_ID: " + k["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	a, b, c, d, e, f, g := v(1801), v(1802), v(1803), v(1804), v(1805), v(1806), v(1807)
	dir := t.TempDir()
	files := map[string]string{
		// The override's service on one line, in flow style.
		"a/docker-compose.yml":          block(a),
		"a/docker-compose.override.yml": "services:\n  app: {environment: {AWS_ENDPOINT_URL: \"http://minio:9000\"}}\n",
		// A one-line service whose second env_file sets the endpoint.
		"b/aws.env":      env(b),
		"b/m.env":        "AWS_ENDPOINT_URL=http://minio:9000\n",
		"b/compose.yaml": "services:\n  app: {image: app, env_file: [aws.env, m.env]}\n",
		// An included file of another name; its env_file paths are its
		// own folder's.
		"c/compose.yaml":      "include:\n  - path: storage/minio.yml\nservices:\n  web: {image: nginx}\n",
		"c/storage/minio.yml": "services:\n  s3:\n    image: uploader\n    env_file:\n      - aws.env\n      - m.env\n",
		"c/storage/aws.env":   env(c),
		"c/storage/m.env":     "S3_ENDPOINT=http://minio:9000\n",
		// An include: path list: the second file merges into the first.
		"d/compose.yaml": "include:\n  - path: [st/base.yml, st/over.yml]\n",
		"d/st/base.yml":  block(d),
		"d/st/over.yml":  "services: {app: {environment: [AWS_ENDPOINT_URL=http://minio:9000]}}\n",
		// COMPOSE_FILE in the environment (set below).
		"e/compose.yaml": block(e),
		"e/minio.yaml":   "services:\n  app:\n    environment:\n      AWS_ENDPOINT_URL: http://minio:9000\n",
		// The endpoint passed through from compose's environment.
		"g/compose.yaml": "services:\n  app:\n    image: app\n    env_file: aws.env\n    environment:\n      - AWS_ENDPOINT_URL\n",
		"g/aws.env":      env(g),
		// No endpoint anywhere: fixed.
		"f/compose.yaml":      "include:\n  - path: storage/app.yml\n",
		"f/storage/app.yml":   "services:\n  app: {image: app, env_file: [aws.env, other.env]}\n",
		"f/storage/aws.env":   env(f),
		"f/storage/other.env": "LOG_LEVEL=debug\n",
	}
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	r := runCmd(t, dir, []string{"COMPOSE_FILE=e/compose.yaml:e/minio.yaml"}, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"a/docker-compose.yml:5:", "http://minio:9000 in a/docker-compose.override.yml, which docker compose merges into the service app",
		"b/aws.env:1:", "http://minio:9000 in b/m.env, another env_file of the service app",
		"c/storage/aws.env:1:", "http://minio:9000 in c/storage/m.env, another env_file of the service s3",
		"d/st/base.yml:5:", "http://minio:9000 in d/st/over.yml, which docker compose merges into the service app",
		"e/compose.yaml:5:", "http://minio:9000 in e/minio.yaml, which docker compose merges into the service app",
		"g/aws.env:1:", "AWS_ENDPOINT_URL = $AWS_ENDPOINT_URL in g/compose.yaml, the service app",
		"rewrote f/storage/aws.env",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		got, _ := os.ReadFile(filepath.Join(dir, n))
		if n == "f/storage/aws.env" {
			if strings.Contains(string(got), f["ID"]) {
				t.Errorf("%s: the keys of a service without an endpoint stay:\n%s", n, got)
			}
			continue
		}
		if string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
		if strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml") {
			var doc map[string]any
			if err := yaml.Unmarshal(got, &doc); err != nil {
				t.Errorf("%s does not parse: %v", n, err)
			}
		}
	}
	// The compose file named alone, COMPOSE_FILE naming it with another:
	// that file was not read, so the keys stay.
	r = runCmd(t, filepath.Join(dir, "e"), []string{"COMPOSE_FILE=compose.yaml:minio.yaml"}, "keyscan", "fix", "compose.yaml")
	if r.code != exitFindings || !strings.Contains(r.stderr, "merges with this file through COMPOSE_FILE") || strings.Contains(r.stdout, "-      AWS_") {
		t.Errorf("fix compose.yaml with COMPOSE_FILE: exit %d, want 1 keeping the keys\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Without COMPOSE_FILE, e's keys go: minio.yaml is merged only when named.
	r = runCmd(t, filepath.Join(dir, "e"), nil, "keyscan", "fix", ".")
	if !strings.Contains(r.stdout, "-      AWS_ACCESS_KEY_ID") {
		t.Errorf("fix without COMPOSE_FILE keeps e's keys:\n%s%s", r.stdout, r.stderr)
	}
}
