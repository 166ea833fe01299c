package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixKustomizeNames checks qa14 HIGH-2's rest: a kustomize patch names
// its workload as the kustomizations below it renamed it (namePrefix:,
// nameSuffix:), or by a regular expression, and a replacements: entry copies
// a ConfigMap's MinIO address into a container's env, as a patch would.
// Each kept the keys of the base's container only when the patch named it
// as written. A patch that sets no endpoint fixes the keys. kubectl
// kustomize renders the endpoint and the keys in one container for each
// held overlay.
func TestFixKustomizeNames(t *testing.T) {
	requireKeyscanOnPath(t)
	var ks []map[string]string
	for i := uint64(0); i < 5; i++ {
		ks = append(ks, fakekey.New(1951+i).Values())
	}
	envKeys := func(k map[string]string) string {
		return "        - name: AWS_ACCESS_KEY_ID\n          value: " + k["ID"] + "\n        - name: AWS_SECRET_ACCESS_KEY\n          value: " + k["SECRET"] + "\n"
	}
	dep := func(name, env string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    matchLabels: {app: " + name + "}\n  template:\n" +
			"    metadata:\n      labels: {app: " + name + "}\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        env:\n" + env
	}
	ep := "- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: AWS_ENDPOINT_URL, value: \"http://minio:9000\"}\n"
	base := func(extra string) string { return "resources:\n- deploy.yaml\n" + extra }
	files := map[string]string{
		"pre/base/kustomization.yaml":    base("namePrefix: shop-\n"),
		"pre/base/deploy.yaml":           dep("web", envKeys(ks[0])),
		"pre/overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: ep.yaml\n  target:\n    kind: Deployment\n    name: shop-web\n",
		"pre/overlay/ep.yaml":            ep,
		"suf/base/kustomization.yaml":    base(""),
		"suf/base/deploy.yaml":           dep("api", envKeys(ks[1])),
		"suf/mid/kustomization.yaml":     "resources:\n- ../base\nnameSuffix: -v2\n",
		"suf/top/kustomization.yaml":     "resources:\n- ../mid\nnamePrefix: eu-\npatches:\n- path: ep.yaml\n  target:\n    name: api-v2\n",
		"suf/top/ep.yaml":                ep,
		"re/base/kustomization.yaml":     base(""),
		"re/base/deploy.yaml":            dep("worker-a", envKeys(ks[2])),
		"re/overlay/kustomization.yaml":  "resources:\n- ../base\npatches:\n- path: ep.yaml\n  target:\n    kind: Deployment\n    name: worker-.*\n",
		"re/overlay/ep.yaml":             ep,
		"rep/base/kustomization.yaml":    base("- storage.yaml\n"),
		"rep/base/deploy.yaml":           dep("rep", "        - name: S3_URL\n          value: set-by-overlay\n"+envKeys(ks[3])),
		"rep/base/storage.yaml":          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: storage\ndata:\n  url: http://minio.storage.svc:9000\n",
		"rep/overlay/kustomization.yaml": "resources:\n- ../base\nreplacements:\n- source:\n    kind: ConfigMap\n    name: storage\n    fieldPath: data.url\n" +
			"  targets:\n  - select:\n      kind: Deployment\n      name: rep\n    fieldPaths:\n    - spec.template.spec.containers.[name=app].env.[name=S3_URL].value\n",
		// Fixed: renamed, patched, no endpoint.
		"ok/base/kustomization.yaml":    base("namePrefix: shop-\n"),
		"ok/base/deploy.yaml":           dep("ok", envKeys(ks[4])),
		"ok/overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: r.yaml\n  target:\n    name: shop-ok\n",
		"ok/overlay/r.yaml":             "- op: add\n  path: /spec/replicas\n  value: 3\n",
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	if kubectl, err := exec.LookPath("kubectl"); err == nil {
		for sub, want := range map[string]string{"pre/overlay": "http://minio:9000", "suf/top": "http://minio:9000", "re/overlay": "http://minio:9000",
			"rep/overlay": "http://minio.storage.svc:9000"} {
			k := runCmd(t, dir, nil, kubectl, "kustomize", sub)
			if k.code != 0 || !strings.Contains(k.stdout, want) {
				t.Fatalf("kubectl kustomize %s does not render %s: exit %d\n%s%s", sub, want, k.code, k.stdout, k.stderr)
			}
		}
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"pre/base/deploy.yaml:17:", "pre/overlay/ep.yaml is a kustomize patch",
		"suf/base/deploy.yaml:17:", "suf/top/ep.yaml is a kustomize patch",
		"re/base/deploy.yaml:17:", "re/overlay/ep.yaml is a kustomize patch",
		"rep/base/deploy.yaml:19:", "the replacement gives S3_URL a value",
		"rewrote ok/base/deploy.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"pre/base/deploy.yaml", "suf/base/deploy.yaml", "re/base/deploy.yaml", "rep/base/deploy.yaml"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	if kubectl, err := exec.LookPath("kubectl"); err == nil {
		if k := runCmd(t, dir, nil, kubectl, "kustomize", "ok/overlay"); k.code != 0 || strings.Contains(k.stdout, "AWS_") {
			t.Errorf("kubectl kustomize ok/overlay after the fix: exit %d\n%s%s", k.code, k.stdout, k.stderr)
		}
	} else {
		t.Skip("kubectl is not installed: the overlays were not rendered")
	}
}
