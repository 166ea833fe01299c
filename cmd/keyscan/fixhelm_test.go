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
