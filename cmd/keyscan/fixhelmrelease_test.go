package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixHelmReleases checks qa15 HIGH-3: a values file's keys stay when a
// release definition of the run gives the chart that file and sets an
// endpoint over it: a helmfile release's set: or inline values:, an Argo
// CD Application's helm.parameters, a Flux HelmRelease's spec.values with
// valuesFrom the ConfigMap a kustomize generator makes of the file, a
// script's helm upgrade -f FILE --set (a file of any name). A release that
// sets no endpoint leaves the file to be fixed. The real helm template
// shows that -f and --set give one container the keys and the endpoint.
func TestFixHelmReleases(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	values := func(k map[string]string) string {
		return "extraEnv:\n  AWS_ACCESS_KEY_ID: " + k["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	const minio = "http://minio.storage.svc:9000"
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"set", map[string]string{"deploy/helmfile.yaml": "releases:\n  - name: app\n    chart: example/app\n    values:\n      - values.yaml\n" +
			"    set:\n      - name: extraEnv.AWS_ENDPOINT_URL\n        value: " + minio + "\n"}, "set by a helmfile release at deploy/helmfile.yaml:2"},
		{"inline", map[string]string{"deploy/helmfile.yaml": "releases:\n  - name: app\n    chart: example/app\n    values:\n      - values.yaml\n" +
			"      - extraEnv:\n          AWS_ENDPOINT_URL: " + minio + "\n"}, "set by a helmfile release at deploy/helmfile.yaml:2"},
		{"argo", map[string]string{"apps/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app\nspec:\n  source:\n" +
			"    chart: app\n    helm:\n      valueFiles:\n        - ../deploy/values.yaml\n      parameters:\n        - name: extraEnv.AWS_ENDPOINT_URL\n" +
			"          value: " + minio + "\n"}, "set by an Argo CD Application at apps/app.yaml:8"},
		{"flux", map[string]string{"deploy/release.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n" +
			"  valuesFrom:\n    - kind: ConfigMap\n      name: app-values\n  values:\n    extraEnv:\n      AWS_ENDPOINT_URL: " + minio + "\n",
			"deploy/kustomization.yaml": "resources:\n  - release.yaml\nconfigMapGenerator:\n  - name: app-values\n    files:\n      - values.yaml=values.yaml\n"},
			"set by a Flux HelmRelease at deploy/release.yaml:1, which gives the chart this values file (valuesFrom the ConfigMap app-values, which a kustomize generator makes of it)"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := v(uint64(1541 + i))
			c.files["deploy/values.yaml"] = values(k)
			fixFolder(t, c.files, []string{"deploy/values.yaml:2:", "AWS_ENDPOINT_URL = " + minio + ", " + c.want})
		})
	}

	// A script's helm command with a values file of another name, and a
	// helmfile release that sets no endpoint.
	k, plain := v(1549), v(1550)
	chart := map[string]string{
		"deploy/chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"deploy/chart/templates/deploy.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n" +
			"      env:\n      {{- range $k, $v := .Values.extraEnv }}\n        - name: {{ $k }}\n          value: {{ $v | quote }}\n      {{- end }}\n",
		"deploy/prod.yaml": values(k),
		"deploy/deploy.sh": "#!/bin/sh\nhelm upgrade --install app ./chart \\\n  -f prod.yaml \\\n  --set extraEnv.AWS_ENDPOINT_URL=" + minio + "\n",
		"other/helmfile.yaml": "releases:\n  - name: app\n    chart: example/app\n    values:\n      - values.yaml\n" +
			"    set:\n      - name: replicaCount\n        value: 2\n",
		"other/values.yaml": values(plain),
	}
	dir := fixFolder(t, chart, []string{"deploy/prod.yaml:2:", "set by a helm command at deploy/deploy.sh:2", "rewrote other/values.yaml (2 removed)"},
		"other/values.yaml")
	if got, _ := os.ReadFile(filepath.Join(dir, "other/values.yaml")); strings.Contains(string(got), plain["ID"]) {
		t.Errorf("other/values.yaml keeps its keys:\n%s", got)
	}
	helm, err := exec.LookPath("helm")
	if err != nil {
		t.Skip("helm is not installed: cannot render the chart with -f and --set")
	}
	henv := []string{"HELM_CACHE_HOME=" + t.TempDir(), "HELM_CONFIG_HOME=" + t.TempDir(), "HELM_DATA_HOME=" + t.TempDir()}
	h := runCmd(t, filepath.Join(dir, "deploy"), henv, helm, "template", "app", "./chart", "-f", "prod.yaml", "--set", "extraEnv.AWS_ENDPOINT_URL="+minio)
	if h.code != 0 || !strings.Contains(h.stdout, minio) || !strings.Contains(h.stdout, k["ID"]) {
		t.Fatalf("helm template -f prod.yaml --set does not give one container the endpoint and the keys: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
}
