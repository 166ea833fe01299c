package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixHiddenEndpoints checks layouts that hid an S3-compatible service
// from keyscan fix (fix19's attack): a compose file that includes a file
// running MinIO, or an include: keyscan cannot read (a remote OCI
// artifact); a chart's envs/prod.yaml (helm install -f) whose chart's
// template sets the endpoint; a template that gives a chart's value to
// S3_URL, or builds MinIO's address from the release's name; a chart that
// depends on MinIO (Chart.yaml dependencies:); direnv's .envrc beside the
// .env; Go code of another folder that loads config/.env. Each moved the
// keys to the instance role; now they stay. helm template shows the
// endpoint and the keys in one container. A template that requires a value
// only a chart's envs/prod.yaml gives reads it there: its keys stay (helm
// template -f envs/prod.yaml would fail without them).
func TestFixHiddenEndpoints(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	svc := func(k map[string]string) string {
		return "services:\n  app:\n    image: app\n    environment:\n      AWS_ACCESS_KEY_ID: " + k["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	a, b, c, d, e, f, g, h := k(1971), k(1972), k(1973), k(1974), k(1975), k(1976), k(1977), k(1978)
	envKeys := func(k map[string]string) string {
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	valuesKeys := func(k map[string]string) string {
		return "aws:\n  accessKeyId: " + k["ID"] + "\n  secretAccessKey: " + k["SECRET"] + "\n"
	}
	dep := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels: {app: app}\n" +
		"  template:\n    metadata:\n      labels: {app: app}\n    spec:\n      containers:\n        - name: app\n          image: app:1\n" +
		"          env:\n            - name: S3_URL\n              value: {{ .Values.storage.address | quote }}\n" +
		"          {{- range $k, $v := .Values.env }}\n            - name: {{ $k }}\n              value: {{ $v | quote }}\n          {{- end }}\n"
	files := map[string]string{
		"inc/compose.yaml":          "include:\n  - storage/minio.yaml\n" + svc(a),
		"inc/storage/minio.yaml":    "services:\n  s3:\n    image: quay.io/minio/minio\n    command: server /data\n",
		"oci/compose.yaml":          "include:\n  - oci://registry.example.com/stacks/storage:1\n" + svc(b),
		"chart/Chart.yaml":          "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"chart/values.yaml":         "storage:\n  address: \"\"\nenv: {}\n",
		"chart/templates/dep.yaml":  dep,
		"chart/envs/prod.yaml":      "storage:\n  address: http://minio.storage.svc:9000\nenv:\n  AWS_ACCESS_KEY_ID: " + c["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + c["SECRET"] + "\n",
		"chart2/Chart.yaml":         "apiVersion: v2\nname: app2\nversion: 0.1.0\n",
		"chart2/values.yaml":        "storage:\n  address: \"\"\nenv:\n  AWS_ACCESS_KEY_ID: " + d["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + d["SECRET"] + "\n",
		"chart2/templates/dep.yaml": dep,
		// The chart pulls MinIO in as a dependency (charts/ not built yet).
		"dep/Chart.yaml":  "apiVersion: v2\nname: dep\nversion: 0.1.0\ndependencies:\n  - name: minio\n    version: 5.4.0\n    repository: https://charts.min.io/\n",
		"dep/values.yaml": valuesKeys(e),
		// A template builds the MinIO address from the release's name.
		"rel/Chart.yaml":        "apiVersion: v2\nname: rel\nversion: 0.1.0\n",
		"rel/values.yaml":       valuesKeys(f),
		"rel/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rel\ndata:\n  BLOB_URL: http://{{ .Release.Name }}-minio:9000\n",
		// A template requires the keys that only envs/prod.yaml (helm -f) gives.
		"req/Chart.yaml":            "apiVersion: v2\nname: req\nversion: 0.1.0\n",
		"req/values.yaml":           "region: eu-west-1\n",
		"req/templates/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: req\nstringData:\n  id: {{ required \"aws.accessKeyId\" .Values.aws.accessKeyId | quote }}\n",
		"req/envs/prod.yaml":        valuesKeys(k(1979)),
		// direnv's .envrc beside the .env sets the endpoint.
		"direnv/.env":   envKeys(g),
		"direnv/.envrc": "dotenv\nexport AWS_ENDPOINT_URL=http://localhost:4566\n",
		// Go code of another folder loads config/.env and sets an endpoint.
		"loader/config/.env":     envKeys(h),
		"loader/cmd/app/main.go": "package main\n\nimport \"github.com/joho/godotenv\"\n\nfunc main() {\n\t_ = godotenv.Load(\"../../config/.env\")\n\tuse(func(o *Options) { o.UsePathStyle = true })\n}\n",
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	if helm, err := exec.LookPath("helm"); err == nil {
		henv := []string{"HELM_CACHE_HOME=" + t.TempDir(), "HELM_CONFIG_HOME=" + t.TempDir(), "HELM_DATA_HOME=" + t.TempDir()}
		if h := runCmd(t, dir, henv, helm, "template", "req", "-f", "req/envs/prod.yaml"); h.code != 0 {
			t.Fatalf("helm template req -f envs/prod.yaml: exit %d\n%s", h.code, h.stderr)
		}
		h := runCmd(t, dir, henv, helm, "template", "chart", "-f", "chart/envs/prod.yaml")
		if h.code != 0 || !strings.Contains(h.stdout, "http://minio.storage.svc:9000") || !strings.Contains(h.stdout, c["ID"]) {
			t.Fatalf("helm template -f envs/prod.yaml does not give one container the endpoint and the keys: exit %d\n%s%s", h.code, h.stdout, h.stderr)
		}
	} else {
		t.Log("helm is not installed: the chart was not rendered")
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"inc/compose.yaml:7:", "the compose project runs quay.io/minio/minio (the service s3), in inc/storage/minio.yaml",
		"oci/compose.yaml:7:", "oci://registry.example.com/stacks/storage:1 (an include: of oci/compose.yaml that keyscan fix could not read",
		"chart/envs/prod.yaml:4:", "S3_URL = ${.Values.storage.address}, where the chart's value puts a storage address, in the template chart/templates/dep.yaml",
		"chart2/values.yaml:4:",
		"req/envs/prod.yaml:2:", "the value aws.accessKeyId is read by the template req/templates/secret.yaml:6",
		"dep/values.yaml:2:", "the chart depends on minio (Chart.yaml dependencies:, https://charts.min.io/), in dep/Chart.yaml",
		"rel/values.yaml:2:", "BLOB_URL = http://tpl-minio:9000, whose value looks like an S3-compatible service's endpoint, in the template rel/templates/cm.yaml",
		"direnv/.env:1:", "AWS_ENDPOINT_URL = http://localhost:4566 in direnv/.envrc",
		"loader/config/.env:1:", "loader/cmd/app/main.go, which names loader/config/.env, builds a client with a custom endpoint (use(func(o *Options) { o.UsePathStyle = true }))",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
}
