package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixHelmChartFamily checks qa12 MEDIUM-1 (d) across files: a parent
// chart's global: endpoint reaches its subchart's templates, so the keys
// in the subchart's values.yaml stay naming the parent's values file; so
// do a parent's keys when a subchart it bundles sets an endpoint in its own
// values. A chart whose family sets no endpoint (a bundled MinIO switched
// off) is fixed, and helm template still renders it after --write (when
// helm is installed).
func TestFixHelmChartFamily(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1321).Values(), fakekey.New(1322).Values(), fakekey.New(1323).Values()
	chart := func(name string) string { return "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n" }
	keys := func(indent string, k map[string]string) string {
		return indent + "accessKeyId: " + k["ID"] + "\n" + indent + "secretAccessKey: " + k["SECRET"] + "\n"
	}
	files := map[string]string{
		"umbrella/Chart.yaml":             chart("umbrella"),
		"umbrella/values.yaml":            "global:\n  s3:\n    endpoint: http://minio.storage:9000\n",
		"umbrella/charts/app/Chart.yaml":  chart("app"),
		"umbrella/charts/app/values.yaml": "aws:\n" + keys("  ", a),
		"bundle/Chart.yaml":               chart("bundle"),
		"bundle/values.yaml":              "app:\n  aws:\n" + keys("    ", b),
		"bundle/charts/minio/Chart.yaml":  chart("minio"),
		"bundle/charts/minio/values.yaml": "mode: standalone\nendpoint: http://minio:9000\n",
		"plain/Chart.yaml":                chart("plain"),
		"plain/values.yaml":               "region: eu-west-1\nminio:\n  enabled: false\naws:\n" + keys("  ", c),
		"plain/templates/configmap.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  region: {{ .Values.region | quote }}\n",
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
		"umbrella/charts/app/values.yaml:2:", "endpoint = http://minio.storage:9000, in umbrella/values.yaml, a values file of the same chart family",
		"bundle/values.yaml:3:", "endpoint = http://minio:9000, in bundle/charts/minio/values.yaml",
		"rewrote plain/values.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"umbrella/charts/app/values.yaml", "bundle/values.yaml"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	helm, err := exec.LookPath("helm")
	if err != nil {
		t.Skip("helm is not installed: cannot render the fixed chart")
	}
	h := runCmd(t, dir, []string{"HELM_CACHE_HOME=" + t.TempDir(), "HELM_CONFIG_HOME=" + t.TempDir(), "HELM_DATA_HOME=" + t.TempDir()}, helm, "template", "plain")
	if h.code != 0 || !strings.Contains(h.stdout, `region: "eu-west-1"`) {
		t.Fatalf("helm template after the fix: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
}

// TestFixHelmSiblingValues checks qa14 HIGH-3: helm install -f values.yaml
// -f values-onprem.yaml merges the values files of one chart folder, so an
// endpoint in values-onprem.yaml reaches the client that gets the keys of
// values.yaml (here through a template that ranges over .Values.env). The
// keys stay, with a Chart.yaml and without one (a folder of values files for
// a chart from a repository); a sibling without an endpoint fixes nothing
// back. helm template (when installed) shows the merged container holding
// the endpoint and the keys.
func TestFixHelmSiblingValues(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1431).Values(), fakekey.New(1432).Values(), fakekey.New(1433).Values()
	env := func(k map[string]string) string {
		return "env:\n  AWS_ACCESS_KEY_ID: " + k["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	tmpl := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels: {app: app}\n" +
		"  template:\n    metadata:\n      labels: {app: app}\n    spec:\n      containers:\n        - name: app\n          image: app:1\n" +
		"          env:\n          {{- range $k, $v := .Values.env }}\n            - name: {{ $k }}\n              value: {{ $v | quote }}\n          {{- end }}\n"
	files := map[string]string{
		"chart/Chart.yaml":         "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"chart/templates/dep.yaml": tmpl,
		"chart/values.yaml":        env(a),
		"chart/values-onprem.yaml": "env:\n  AWS_ENDPOINT_URL: http://minio.storage.svc:9000\n",
		"vals/values.yaml":         env(b),
		"vals/values.minio.yaml":   "s3:\n  endpoint: http://minio:9000\n",
		"plain/Chart.yaml":         "apiVersion: v2\nname: plain\nversion: 0.1.0\n",
		"plain/templates/dep.yaml": tmpl,
		"plain/values.yaml":        "region: eu-west-1\n" + env(c),
		"plain/values-prod.yaml":   "replicas: 3\n",
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	helm, herr := exec.LookPath("helm")
	henv := []string{"HELM_CACHE_HOME=" + t.TempDir(), "HELM_CONFIG_HOME=" + t.TempDir(), "HELM_DATA_HOME=" + t.TempDir()}
	if herr == nil {
		h := runCmd(t, dir, henv, helm, "template", "chart", "-f", "chart/values-onprem.yaml")
		if h.code != 0 || !strings.Contains(h.stdout, "AWS_ENDPOINT_URL") || !strings.Contains(h.stdout, a["ID"]) {
			t.Fatalf("helm template -f values-onprem.yaml does not give one container the endpoint and the keys: exit %d\n%s%s", h.code, h.stdout, h.stderr)
		}
	}
	// Three roots: a values file of no chart (vals/) may be given to any
	// chart under the same root, so plain/ is fixed from a root of its own.
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", "chart", "vals", "plain")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"chart/values.yaml:2:", "AWS_ENDPOINT_URL = http://minio.storage.svc:9000, in chart/values-onprem.yaml, a values file of the same chart folder",
		"vals/values.yaml:2:", "endpoint = http://minio:9000, in vals/values.minio.yaml",
		"rewrote plain/values.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"chart/values.yaml", "vals/values.yaml"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	if herr != nil {
		t.Skip("helm is not installed: cannot render the charts")
	}
	h := runCmd(t, dir, henv, helm, "template", "plain", "-f", "plain/values-prod.yaml")
	if h.code != 0 || strings.Contains(h.stdout, "AWS_ACCESS_KEY_ID") {
		t.Fatalf("helm template after the fix: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
}

// TestFixHelmTerraformUnread checks qa14 HIGH-15: a values file or a
// Terraform file named alone keeps its keys when a file helm or Terraform
// merges with it lies beside it (another values*.yaml, an override file),
// saying it was not read; with the folder fixed, an override of the chart
// in a sub-folder of the chart (envs/onprem.yaml) or a values file of no
// chart elsewhere under the root (environments/prod/values.yaml) that sets
// an endpoint keeps the chart's keys. helm template renders the chart with
// the sub-folder's file (when helm is installed).
func TestFixHelmTerraformUnread(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	a, b, c, d := k(1511), k(1512), k(1513), k(1514)
	env := func(k map[string]string) string {
		return "env:\n  AWS_ACCESS_KEY_ID: " + k["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	files := map[string]string{
		"hv/values.yaml":                      env(a),
		"hv/values-onprem.yaml":               "env:\n  AWS_ENDPOINT_URL: http://minio.storage.svc:9000\n",
		"tf/main.tf":                          "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = \"" + b["ID"] + "\"\n  secret_key = \"" + b["SECRET"] + "\"\n}\n",
		"tf/localstack_providers_override.tf": "provider \"aws\" {\n  skip_metadata_api_check = true\n}\n",
		"sub/chart/Chart.yaml":                "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"sub/chart/templates/cm.yaml":         "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n{{- range $k, $v := .Values.env }}\n  {{ $k }}: {{ $v | quote }}\n{{- end }}\n",
		"sub/chart/values.yaml":               env(c),
		"sub/chart/envs/onprem.yaml":          "env:\n  AWS_ENDPOINT_URL: http://minio:9000\n",
		"far/chart/Chart.yaml":                "apiVersion: v2\nname: far\nversion: 0.1.0\n",
		"far/chart/values.yaml":               env(d),
		"far/environments/prod/values.yaml":   "env:\n  S3_ENDPOINT: http://ceph-rgw.lan:7480\n",
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	check := func(r cmdResult, wants ...string) {
		t.Helper()
		if r.code != exitFindings {
			t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, w := range wants {
			if !strings.Contains(r.stdout+r.stderr, w) {
				t.Errorf("the output does not say %q:\n%s%s", w, r.stdout, r.stderr)
			}
		}
	}
	check(runCmd(t, dir, nil, "keyscan", "fix", "--write", "hv/values.yaml"),
		"hv/values-onprem.yaml, a values file of the same chart family, which helm install -f merges into the same values, was not read (the file was named alone")
	check(runCmd(t, dir, nil, "keyscan", "fix", "--write", "tf/main.tf"),
		"tf/localstack_providers_override.tf, which Terraform merges into this block", "was not read (the file was named alone")
	check(runCmd(t, dir, nil, "keyscan", "fix", "--write", "sub"),
		"sub/chart/values.yaml:2:", "AWS_ENDPOINT_URL = http://minio:9000, in sub/chart/envs/onprem.yaml")
	check(runCmd(t, dir, nil, "keyscan", "fix", "--write", "far"),
		"far/chart/values.yaml:2:", "S3_ENDPOINT = http://ceph-rgw.lan:7480, in far/environments/prod/values.yaml")
	for n, s := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	helm, err := exec.LookPath("helm")
	if err != nil {
		t.Skip("helm is not installed: cannot render the chart with its envs/ file")
	}
	henv := []string{"HELM_CACHE_HOME=" + t.TempDir(), "HELM_CONFIG_HOME=" + t.TempDir(), "HELM_DATA_HOME=" + t.TempDir()}
	h := runCmd(t, dir, henv, helm, "template", "sub/chart", "-f", "sub/chart/envs/onprem.yaml")
	if h.code != 0 || !strings.Contains(h.stdout, "AWS_ENDPOINT_URL") || !strings.Contains(h.stdout, c["ID"]) {
		t.Fatalf("helm template -f envs/onprem.yaml does not give the endpoint and the keys together: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
}
