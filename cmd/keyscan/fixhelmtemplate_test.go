package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixHelmTemplates checks fix13's and fix18's leftover: a chart's
// templates are read. A template that sets an S3-compatible endpoint (an
// AWS_ENDPOINT_URL whose value is given at install time, a hardcoded MinIO
// URL, a MinIO Deployment the chart runs) keeps the keys of the chart's
// values; so does a template that reads a key by a path keyscan fix would
// remove: index .Values "a" "b", with's dot, a variable, a sibling read
// through a map the change would delete (a nil pointer), a path handed to a
// named template. A values file named alone beside its chart's templates
// keeps its keys (they were not read). A chart whose templates do none of
// this is fixed. The real helm renders every chart before, shows the
// endpoint and the keys in one container, shows that deleting the emptied
// map fails the render, and renders the fixed chart after --write.
func TestFixHelmTemplates(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	chart := func(name string) string { return "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n" }
	aws := func(k map[string]string) string {
		return "aws:\n  accessKeyId: " + k["ID"] + "\n  secretAccessKey: " + k["SECRET"] + "\n"
	}
	dep := func(env string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels: {app: app}\n" +
			"  template:\n    metadata:\n      labels: {app: app}\n    spec:\n      containers:\n        - name: app\n          image: app:1\n" +
			"          env:\n" + env
	}
	keyEnv := "            - name: AWS_ACCESS_KEY_ID\n              value: {{ .Values.aws.accessKeyId | quote }}\n" +
		"            - name: AWS_SECRET_ACCESS_KEY\n              value: {{ .Values.aws.secretAccessKey | quote }}\n"
	secret := func(body string) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n" + body
	}
	files := map[string]string{}
	add := func(dir, values string, templates map[string]string) {
		files[dir+"/Chart.yaml"] = chart(dir)
		files[dir+"/values.yaml"] = values
		for n, s := range templates {
			files[dir+"/templates/"+n] = s
		}
	}
	// Endpoints set by the templates.
	add("ep", "s3:\n  endpoint: \"\"\n"+aws(k(1901)), map[string]string{"dep.yaml": dep(
		"            {{- if .Values.s3.endpoint }}\n            - name: AWS_ENDPOINT_URL\n              value: {{ .Values.s3.endpoint | quote }}\n            {{- end }}\n" + keyEnv)})
	add("hard", aws(k(1902)), map[string]string{"dep.yaml": dep(
		"            - name: STORAGE_URL\n              value: http://minio.storage.svc:9000\n" + keyEnv)})
	add("runs", aws(k(1903)), map[string]string{"dep.yaml": dep(keyEnv),
		"minio.yaml": strings.Replace(strings.ReplaceAll(dep(""), "app", "store"), "image: store:1\n          env:\n", "image: quay.io/minio/minio:RELEASE.2024-01-01\n", 1)})
	// Readers of the keys by paths the change removes.
	add("idx", aws(k(1904)), map[string]string{"secret.yaml": secret(
		"  id: {{ index .Values \"aws\" \"accessKeyId\" | quote }}\n  key: {{ index .Values.aws \"secretAccessKey\" | quote }}\n")})
	add("with", aws(k(1905)), map[string]string{"secret.yaml": secret(
		"{{- with .Values.aws }}\n  id: {{ .accessKeyId | quote }}\n  key: {{ .secretAccessKey | quote }}\n{{- end }}\n")})
	add("vars", aws(k(1906)), map[string]string{"secret.yaml": "{{- $c := .Values.aws }}\n" + secret(
		"  id: {{ $c.accessKeyId | quote }}\n  key: {{ $c.secretAccessKey | quote }}\n")})
	nilKeys := k(1907)
	add("nil", "region: eu-west-1\naws:\n  credentials:\n    accessKeyId: "+nilKeys["ID"]+"\n    secretAccessKey: "+nilKeys["SECRET"]+"\n",
		map[string]string{"secret.yaml": secret("  region: {{ .Values.region | quote }}\n  token: {{ .Values.aws.credentials.sessionToken | default \"\" | quote }}\n")})
	add("named", aws(k(1908)), map[string]string{
		"_helpers.tpl": "{{- define \"named.creds\" -}}\nid: {{ .accessKeyId | quote }}\n{{- end }}\n",
		"secret.yaml":  secret("  {{- include \"named.creds\" .Values.aws | nindent 2 }}\n")})
	// Fixed: the templates read neither the keys nor an endpoint.
	add("plain", "region: eu-west-1\nenv:\n  AWS_ACCESS_KEY_ID: "+k(1909)["ID"]+"\n  AWS_SECRET_ACCESS_KEY: "+k(1909)["SECRET"]+"\n",
		map[string]string{"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  region: {{ .Values.region | quote }}\n" +
			"  {{- with .Values.aws }}\n  id: {{ .accessKeyId | default \"\" | quote }}\n  {{- end }}\n" +
			"  {{- range $k, $v := .Values.env }}\n  {{ $k }}: {{ $v | quote }}\n  {{- end }}\n"})
	add("alone", aws(k(1910)), map[string]string{"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alone\n"})
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	helm, herr := exec.LookPath("helm")
	henv := []string{"HELM_CACHE_HOME=" + t.TempDir(), "HELM_CONFIG_HOME=" + t.TempDir(), "HELM_DATA_HOME=" + t.TempDir()}
	render := func(c string, args ...string) cmdResult {
		return runCmd(t, dir, henv, helm, append([]string{"template", c}, args...)...)
	}
	if herr == nil {
		for _, c := range []string{"ep", "hard", "runs", "idx", "with", "vars", "nil", "named", "plain"} {
			if h := render(c); h.code != 0 {
				t.Fatalf("helm template %s before the fix: exit %d\n%s", c, h.code, h.stderr)
			}
		}
		h := render("ep", "--set", "s3.endpoint=http://minio:9000")
		if h.code != 0 || !strings.Contains(h.stdout, "AWS_ENDPOINT_URL") || !strings.Contains(h.stdout, k(1901)["ID"]) {
			t.Fatalf("helm template ep with an endpoint does not give it and the keys to one container: exit %d\n%s%s", h.code, h.stdout, h.stderr)
		}
		// The nil chart without its emptied credentials: map, as the change
		// would leave it.
		if h := render("nil", "--set", "aws.credentials=null"); h.code == 0 || !strings.Contains(h.stderr, "nil pointer") {
			t.Fatalf("helm template nil without aws.credentials does not fail: exit %d\n%s%s", h.code, h.stdout, h.stderr)
		}
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"ep/values.yaml:4:", "which gives a container the chart's value s3.endpoint, in the template ep/templates/dep.yaml",
		"hard/values.yaml:2:", "STORAGE_URL = http://minio.storage.svc:9000, whose value looks like an S3-compatible service's endpoint, in the template hard/templates/dep.yaml",
		"runs/values.yaml:2:", "image quay.io/minio/minio:RELEASE.2024-01-01, an S3-compatible service, in the template runs/templates/minio.yaml",
		"idx/values.yaml:2:", "is read by the template idx/templates/secret.yaml:6 ({{ index .Values \"aws\" \"accessKeyId\" | quote }})",
		"with/values.yaml:2:", "with/templates/secret.yaml:7 ({{ .accessKeyId | quote }})",
		"vars/values.yaml:3:", "vars/templates/secret.yaml:8 ({{ $c.secretAccessKey | quote }})",
		"nil/values.yaml:4:", "which fails (nil pointer) once the change deletes the emptied map aws.credentials",
		"named/values.yaml:2:", "which hands .Values.aws to what keyscan fix does not follow",
		"rewrote plain/values.yaml (2 removed)",
		"rewrote alone/values.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		if strings.HasSuffix(n, "/values.yaml") && !strings.HasPrefix(n, "plain/") && !strings.HasPrefix(n, "alone/") {
			if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != s {
				t.Errorf("%s changed:\n%s", n, got)
			}
		}
	}
	// Named alone, its templates are not read: the keys stay.
	writeRepoFile(t, dir, "alone/values.yaml", files["alone/values.yaml"])
	r = runCmd(t, dir, nil, "keyscan", "fix", "--write", "alone/values.yaml")
	if r.code != exitFindings || !strings.Contains(r.stdout+r.stderr, "the chart's templates (alone/templates), which may set an endpoint") {
		t.Errorf("fix --write alone/values.yaml: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if herr != nil {
		t.Skip("helm is not installed: cannot render the charts")
	}
	if h := render("plain"); h.code != 0 || strings.Contains(h.stdout, "AWS_") || !strings.Contains(h.stdout, `region: "eu-west-1"`) {
		t.Fatalf("helm template plain after the fix: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
}
