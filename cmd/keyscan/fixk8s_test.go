package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixKubernetesEndpointInAnotherFile checks qa12 MEDIUM-1 (a): with one
// resource per file, a container that takes the keys of a Secret (envFrom
// secretRef, secretKeyRef) and an endpoint from a ConfigMap of another
// file (envFrom configMapRef, configMapKeyRef), or from its own env:, talks
// to that endpoint: the Secret's keys stay, naming the file that sets the
// endpoint. So do keys in a container's env: when a ConfigMap it takes
// whole sets one, or is not among the files of the run (it may), and keys
// whose container takes an endpoint from a kustomize configMapGenerator's
// literals, keys in a .env file a secretGenerator makes a Secret of, and
// keys whose pod mounts a ConfigMap whose config file sets an endpoint.
// A Secret whose container sets no endpoint is fixed, and
// kubectl kustomize renders the folder after --write with every
// secretKeyRef naming a key its Secret has.
func TestFixKubernetesEndpointInAnotherFile(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	a, b, c, d, e, g, h, m := v(1301), v(1302), v(1303), v(1304), v(1305), v(1306), v(1307), v(1308)
	secret := func(name string, k map[string]string) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + name + "\ntype: Opaque\nstringData:\n  AWS_ACCESS_KEY_ID: " + k["ID"] +
			"\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	deploy := func(name, env string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    matchLabels: {app: " + name + "}\n" +
			"  template:\n    metadata:\n      labels: {app: " + name + "}\n    spec:\n      containers:\n      - name: " + name + "\n        image: app:1\n" + env
	}
	files := map[string]string{
		"kustomization.yaml": "resources:\n- cm.yaml\n- minio-secret.yaml\n- minio.yaml\n- keyref-secret.yaml\n- keyref.yaml\n- own-secret.yaml\n- own.yaml\n" +
			"- aws-secret.yaml\n- aws.yaml\n- inline.yaml\n- gen.yaml\n" +
			"- genenv.yaml\n- files.yaml\n- vol-secret.yaml\n- vol.yaml\n" +
			"configMapGenerator:\n- name: gen-config\n  literals:\n  - S3_ENDPOINT=http://ceph.storage:7480\n  - LOG_LEVEL=info\n" +
			"secretGenerator:\n- name: genenv-s3\n  envs:\n  - s3.env\n" +
			"generatorOptions:\n  disableNameSuffixHash: true\n",
		"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  LOG_LEVEL: info\n  AWS_ENDPOINT_URL: http://minio.storage:9000\n",
		// envFrom: the ConfigMap's endpoint and the Secret's keys.
		"minio-secret.yaml": secret("minio-s3", a),
		"minio.yaml":        deploy("minio-app", "        envFrom:\n        - configMapRef:\n            name: app-config\n        - secretRef:\n            name: minio-s3\n"),
		// secretKeyRef for the keys, configMapKeyRef for the endpoint.
		"keyref-secret.yaml": secret("keyref-s3", b),
		"keyref.yaml": deploy("keyref-app", "        env:\n        - name: AWS_ENDPOINT_URL_S3\n          valueFrom:\n            configMapKeyRef:\n"+
			"              name: app-config\n              key: AWS_ENDPOINT_URL\n        - name: AWS_ACCESS_KEY_ID\n          valueFrom:\n            secretKeyRef:\n"+
			"              name: keyref-s3\n              key: AWS_ACCESS_KEY_ID\n        - name: AWS_SECRET_ACCESS_KEY\n          valueFrom:\n"+
			"            secretKeyRef: {name: keyref-s3, key: AWS_SECRET_ACCESS_KEY}\n"),
		// The endpoint in the container's own env:.
		"own-secret.yaml": secret("own-s3", c),
		"own.yaml":        deploy("own-app", "        env:\n        - name: S3_ENDPOINT\n          value: http://localstack:4566\n        envFrom:\n        - secretRef:\n            name: own-s3\n"),
		// No endpoint anywhere: fixed, and its reader goes with the keys.
		"aws-secret.yaml": secret("aws-s3", d),
		"aws.yaml": deploy("aws-app", "        envFrom:\n        - configMapRef:\n            name: app-config-plain\n        - secretRef:\n            name: aws-s3\n"+
			"        env:\n        - name: UPLOAD_ID\n          valueFrom:\n            secretKeyRef:\n              name: aws-s3\n              key: AWS_ACCESS_KEY_ID\n"),
		// Keys in the container's env:, a ConfigMap that is not among the files.
		"inline.yaml": deploy("inline-app", "        envFrom:\n        - configMapRef:\n            name: elsewhere\n        env:\n        - name: AWS_ACCESS_KEY_ID\n"+
			"          value: "+e["ID"]+"\n        - name: AWS_SECRET_ACCESS_KEY\n          value: "+e["SECRET"]+"\n"),
		// Keys in the container's env:, the endpoint in a generated ConfigMap.
		"gen.yaml": deploy("gen-app", "        envFrom:\n        - configMapRef:\n            name: gen-config\n        env:\n        - name: AWS_ACCESS_KEY_ID\n"+
			"          value: "+g["ID"]+"\n        - name: AWS_SECRET_ACCESS_KEY\n          value: "+g["SECRET"]+"\n"),
		// The endpoint in a config file the pod mounts from a ConfigMap.
		"files.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-files\ndata:\n  application.yml: |\n    storage:\n      endpoint: http://minio.storage:9000\n",
		"vol-secret.yaml": secret("vol-s3", m),
		"vol.yaml": deploy("vol-app", "        envFrom:\n        - secretRef:\n            name: vol-s3\n        volumeMounts:\n        - name: conf\n          mountPath: /etc/app\n"+
			"      volumes:\n      - name: conf\n        configMap:\n          name: app-files\n"),
		// Keys in a .env file a secretGenerator makes a Secret of.
		"s3.env":      "AWS_ACCESS_KEY_ID=" + h["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + h["SECRET"] + "\n",
		"genenv.yaml": deploy("genenv-app", "        envFrom:\n        - configMapRef:\n            name: app-config\n        - secretRef:\n            name: genenv-s3\n"),
	}
	files["cm-plain.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config-plain\ndata:\n  LOG_LEVEL: debug\n"
	files["kustomization.yaml"] = strings.Replace(files["kustomization.yaml"], "- cm.yaml\n", "- cm.yaml\n- cm-plain.yaml\n", 1)
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
		"minio-secret.yaml:7:", "AWS_ENDPOINT_URL = http://minio.storage:9000, in the ConfigMap app-config (cm.yaml:7), which the container at minio.yaml:13 takes whole (envFrom)",
		"keyref-secret.yaml:8:", "in the ConfigMap app-config (cm.yaml:7), which the container at keyref.yaml:13 reads as AWS_ENDPOINT_URL_S3",
		"own-secret.yaml:7:", "S3_ENDPOINT = http://localstack:4566, set in the container at own.yaml:13",
		"inline.yaml:20:", "the container at inline.yaml:13 takes its environment from the ConfigMap elsewhere (envFrom), which keyscan fix did not find",
		"gen.yaml:20:", "S3_ENDPOINT = http://ceph.storage:7480, in the ConfigMap gen-config (kustomization.yaml:",
		"s3.env:1:", "in the ConfigMap app-config (cm.yaml:7), which the container at genenv.yaml:13 takes whole (envFrom)",
		"vol-secret.yaml:7:", "endpoint = http://minio.storage:9000, in the ConfigMap app-files (files.yaml:8), which the container at vol.yaml:13 mounts as files",
		"rewrote aws-secret.yaml (2 removed)", "rewrote aws.yaml (1 env entries that read removed Secret keys)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		if n == "aws-secret.yaml" || n == "aws.yaml" {
			continue
		}
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "aws-secret.yaml")); strings.Contains(string(got), d["ID"]) {
		t.Errorf("aws-secret.yaml keeps its keys:\n%s", got)
	}
	kustomizeRefsResolve(t, dir, ".")
}

// TestFixKubernetesList checks qa12 MEDIUM-22: the items of a kind: List
// (kubectl get -o yaml) are judged as the documents of a multi-document
// file: the Secret's keys go with the Deployment's env entry that read
// them, a key a secret volume reads stays naming its reader, and an
// endpoint a ConfigMap item gives the container keeps that container's
// Secret. kubectl kustomize renders the List after --write with every
// secretKeyRef naming a key its Secret has.
func TestFixKubernetesList(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1311).Values(), fakekey.New(1312).Values(), fakekey.New(1313).Values()
	list := "apiVersion: v1\nkind: List\nitems:\n" +
		"- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: aws\n  stringData:\n    AWS_ACCESS_KEY_ID: " + a["ID"] + "\n    AWS_SECRET_ACCESS_KEY: " + a["SECRET"] + "\n" +
		"- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: app\n  spec:\n    selector:\n      matchLabels: {app: app}\n    template:\n" +
		"      metadata:\n        labels: {app: app}\n      spec:\n        containers:\n        - name: app\n          image: app:1\n          env:\n" +
		"          - name: UPLOAD_ID\n            valueFrom:\n              secretKeyRef:\n                name: aws\n                key: AWS_ACCESS_KEY_ID\n"
	vol := "apiVersion: v1\nkind: SecretList\nitems:\n" +
		"  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: mounted\n    stringData:\n      AWS_ACCESS_KEY_ID: " + b["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + b["SECRET"] + "\n" +
		"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: reader\nspec:\n  containers:\n  - name: r\n    image: r:1\n  volumes:\n  - name: creds\n    secret:\n" +
		"      secretName: mounted\n      items:\n      - key: AWS_ACCESS_KEY_ID\n        path: id\n"
	minio := "apiVersion: v1\nkind: List\nitems:\n" +
		"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: store\n  data:\n    AWS_ENDPOINT_URL: http://minio:9000\n" +
		"- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: minio-keys\n  stringData:\n    AWS_ACCESS_KEY_ID: " + c["ID"] + "\n    AWS_SECRET_ACCESS_KEY: " + c["SECRET"] + "\n" +
		"- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: uploader\n  spec:\n    containers:\n    - name: u\n      image: u:1\n      envFrom:\n" +
		"      - configMapRef: {name: store}\n      - secretRef: {name: minio-keys}\n"
	dir := t.TempDir()
	writeRepoFile(t, dir, "kustomization.yaml", "resources:\n- all.yaml\n- vol.yaml\n- minio.yaml\n")
	writeRepoFile(t, dir, "all.yaml", list)
	writeRepoFile(t, dir, "vol.yaml", vol)
	writeRepoFile(t, dir, "minio.yaml", minio)
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"rewrote all.yaml (2 removed)",
		"vol.yaml:9:", "the key AWS_ACCESS_KEY_ID of the Secret mounted is read by vol.yaml:",
		"minio.yaml:15:", "minio.yaml:16:", "the client talks to a custom endpoint (AWS_ENDPOINT_URL = http://minio:9000",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "all.yaml"))
	if strings.Contains(string(got), a["ID"]) || strings.Contains(string(got), "secretKeyRef") {
		t.Errorf("all.yaml after the fix: the keys and their reader must go:\n%s", got)
	}
	for n, s := range map[string]string{"vol.yaml": vol, "minio.yaml": minio} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	kustomizeRefsResolve(t, dir, ".")
}

// TestFixKubernetesFlowMetadata is qa13 MEDIUM-14: a Secret whose
// metadata is a flow mapping (metadata: {name: aws}), as compact and
// generated manifests write it, is matched to its readers and to the
// endpoint its container gets, as one in block style is: the readers go
// with the keys, and a MinIO container's keys stay.
func TestFixKubernetesFlowMetadata(t *testing.T) {
	requireKeyscanOnPath(t)
	a, c := fakekey.New(1411).Values(), fakekey.New(1413).Values()
	docs := "apiVersion: v1\nkind: Secret\nmetadata: {name: aws}\nstringData:\n  AWS_ACCESS_KEY_ID: " + a["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + a["SECRET"] + "\n" +
		"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  selector:\n    matchLabels: {app: app}\n  template:\n" +
		"    metadata:\n      labels: {app: app}\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        env:\n" +
		"        - name: UPLOAD_ID\n          valueFrom:\n            secretKeyRef:\n              name: aws\n              key: AWS_ACCESS_KEY_ID\n"
	minio := "apiVersion: v1\nkind: Secret\nmetadata: {name: minio-keys, namespace: default}\nstringData:\n  AWS_ACCESS_KEY_ID: " + c["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + c["SECRET"] + "\n"
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: uploader}\nspec:\n  containers:\n  - name: u\n    image: u:1\n    env:\n    - name: AWS_ENDPOINT_URL\n      value: http://minio:9000\n" +
		"    envFrom:\n    - secretRef: {name: minio-keys}\n"
	dir := t.TempDir()
	writeRepoFile(t, dir, "kustomization.yaml", "resources:\n- docs.yaml\n- minio.yaml\n- pod.yaml\n")
	writeRepoFile(t, dir, "docs.yaml", docs)
	writeRepoFile(t, dir, "minio.yaml", minio)
	writeRepoFile(t, dir, "pod.yaml", pod)
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	if out := r.stdout + r.stderr; !strings.Contains(out, "rewrote docs.yaml") || !strings.Contains(out, "the client talks to a custom endpoint (AWS_ENDPOINT_URL = http://minio:9000") {
		t.Errorf("want docs.yaml rewritten and minio.yaml's keys kept for the endpoint:\n%s", out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "docs.yaml")); strings.Contains(string(got), a["ID"]) || strings.Contains(string(got), "secretKeyRef") {
		t.Errorf("docs.yaml after the fix: the keys and their reader must go:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "minio.yaml")); string(got) != minio {
		t.Errorf("minio.yaml changed:\n%s", got)
	}
	kustomizeRefsResolve(t, dir, ".")
}

// kustomizeRefsResolve renders the kustomization in dir/sub with the real
// kubectl kustomize (skipping when it is not installed) and fails the test
// when a secretKeyRef of the output names a key no Secret of it has.
func kustomizeRefsResolve(t *testing.T, dir, sub string) {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: cannot render the kustomization after the fix")
	}
	k := runCmd(t, dir, nil, kubectl, "kustomize", sub)
	if k.code != 0 {
		t.Fatalf("kubectl kustomize after the fix: exit %d\n%s", k.code, k.stderr)
	}
	secrets := map[string]bool{}
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["secretKeyRef"].(map[string]any); ok && r["optional"] != true {
				refs = append(refs, fmt.Sprint(r["name"], "/", r["key"]))
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	dec := yaml.NewDecoder(strings.NewReader(k.stdout))
	docs := 0
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("kubectl kustomize's output does not parse: %v", err)
		}
		docs++
		if doc["kind"] == "Secret" {
			name := fmt.Sprint(doc["metadata"].(map[string]any)["name"])
			for _, field := range []string{"data", "stringData"} {
				m, _ := doc[field].(map[string]any)
				for key := range m {
					secrets[name+"/"+key] = true
				}
			}
		}
		walk(doc)
	}
	if docs == 0 {
		t.Fatalf("kubectl kustomize rendered nothing:\n%s", k.stderr)
	}
	for _, ref := range refs {
		if !secrets[ref] {
			t.Errorf("the rendered output reads %s, which no Secret has:\n%s", ref, k.stdout)
		}
	}
}

// TestFixKustomizeFlowSecretKeyRef checks qa13 MEDIUM-3: a secretGenerator's
// literals: read by a Deployment through valueFrom: {secretKeyRef: {…}}
// (flow style) go with the env entries that read them, and a generator's
// envs: file in base/ read by a Deployment in an overlay (resources:
// [../base, deploy.yaml]) stays, also when base/ is fixed alone; kubectl kustomize renders both after
// --write with every secretKeyRef naming a key its Secret has.
func TestFixKustomizeFlowSecretKeyRef(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b := fakekey.New(1411).Values(), fakekey.New(1412).Values()
	deploy := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  selector: {matchLabels: {app: app}}\n  template:\n" +
		"    metadata: {labels: {app: app}}\n    spec:\n      containers:\n      - name: app\n        image: app\n        env:\n" +
		"        - name: AWS_ACCESS_KEY_ID\n          valueFrom: {secretKeyRef: {name: aws, key: AWS_ACCESS_KEY_ID}}\n" +
		"        - name: AWS_SECRET_ACCESS_KEY\n          valueFrom: {secretKeyRef: {name: aws, key: AWS_SECRET_ACCESS_KEY}}\n"
	dir := t.TempDir()
	writeRepoFile(t, dir, "k1/deploy.yaml", deploy)
	writeRepoFile(t, dir, "k1/kustomization.yaml", "resources: [deploy.yaml]\nsecretGenerator:\n- name: aws\n  literals:\n"+
		"  - AWS_ACCESS_KEY_ID="+a["ID"]+"\n  - AWS_SECRET_ACCESS_KEY="+a["SECRET"]+"\n")
	env := "AWS_ACCESS_KEY_ID=" + b["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + b["SECRET"] + "\n"
	writeRepoFile(t, dir, "k3/base/aws.env", env)
	writeRepoFile(t, dir, "k3/base/kustomization.yaml", "secretGenerator:\n- name: aws\n  envs: [aws.env]\n")
	writeRepoFile(t, dir, "k3/overlay/kustomization.yaml", "resources: [../base, deploy.yaml]\n")
	writeRepoFile(t, dir, "k3/overlay/deploy.yaml", deploy)
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "k1", "deploy.yaml"))
	if strings.Contains(string(got), "secretKeyRef") {
		t.Errorf("k1/deploy.yaml: the readers of the removed literals must go:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "k3", "base", "aws.env")); string(got) != env {
		t.Errorf("k3/base/aws.env changed though the overlay's Deployment reads it:\n%s", got)
	}
	kustomizeRefsResolve(t, dir, "k1")
	kustomizeRefsResolve(t, dir, "k3/overlay")

	// base/ fixed alone: the overlay that reads the Secret is not in the
	// run, so the generator's keys stay for a person.
	r = runCmd(t, filepath.Join(dir, "k3", "base"), nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout+r.stderr, "no manifest of the run names the Secret aws") {
		t.Errorf("fix --write of base alone: exit %d, want 1 with the reason\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "k3", "base", "aws.env")); string(got) != env {
		t.Errorf("k3/base/aws.env changed when base/ was fixed alone:\n%s", got)
	}
	kustomizeRefsResolve(t, dir, "k3/overlay")
}

// TestFixEndpointFlagNextItem checks qa14 MEDIUM-4: an endpoint flag of
// any program whose value is the next element of a command list (Loki's
// - -s3.endpoint then - minio.minio.svc:9000, compose's ["--s3-endpoint",
// "http://minio:9000"]) or the next word of a command line keeps the keys
// of the container or service, as -s3.endpoint=... does; a flag named for
// an endpoint followed by a mode word (--endpoint-mode vip) does not.
// kubectl kustomize renders the manifests, the flag and its value side by
// side in the container's args.
func TestFixEndpointFlagNextItem(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c, d := fakekey.New(1451).Values(), fakekey.New(1452).Values(), fakekey.New(1453).Values(), fakekey.New(1454).Values()
	envOf := func(k map[string]string) string {
		return "          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: " + k["ID"] +
			"\n            - name: AWS_SECRET_ACCESS_KEY\n              value: " + k["SECRET"] + "\n"
	}
	dep := func(name, args string, k map[string]string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    matchLabels: {app: " + name + "}\n" +
			"  template:\n    metadata:\n      labels: {app: " + name + "}\n    spec:\n      containers:\n        - name: " + name +
			"\n          image: grafana/loki:2.9.0\n" + args + envOf(k)
	}
	files := map[string]string{
		"k/kustomization.yaml": "resources: [loki.yaml, flow.yaml]\n",
		"k/loki.yaml":          dep("loki", "          args:\n            - -config.file=/etc/loki/config.yaml\n            - -s3.endpoint\n            - minio.minio.svc:9000\n", a),
		"k/flow.yaml":          dep("flow", "          args: [\"-config.file=/etc/loki.yaml\", \"-s3.endpoint\", \"minio.minio.svc:9000\"]\n", b),
		"c/compose.yaml": "services:\n  app:\n    image: app\n    environment:\n      - AWS_ACCESS_KEY_ID=" + c["ID"] + "\n      - AWS_SECRET_ACCESS_KEY=" + c["SECRET"] +
			"\n    command: [\"python\", \"app.py\", \"--s3-endpoint\", \"http://minio:9000\"]\n" +
			"  worker:\n    image: app\n    environment:\n      - AWS_ACCESS_KEY_ID=" + d["ID"] + "\n      - AWS_SECRET_ACCESS_KEY=" + d["SECRET"] +
			"\n    command: python worker.py --endpoint-mode vip\n",
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
		"k/loki.yaml:21:", "the client talks to a custom endpoint (-s3.endpoint minio.minio.svc:9000)",
		"k/flow.yaml:18:", "c/compose.yaml:5:", "(--s3-endpoint http://minio:9000)",
		"rewrote c/compose.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"k/loki.yaml", "k/flow.yaml"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "c/compose.yaml"))
	if !strings.Contains(string(got), c["ID"]) || strings.Contains(string(got), d["ID"]) {
		t.Errorf("c/compose.yaml: app's keys must stay, worker's go:\n%s", got)
	}
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: cannot render the manifests")
	}
	k := runCmd(t, dir, nil, kubectl, "kustomize", "k")
	if k.code != 0 || strings.Count(k.stdout, "- -s3.endpoint\n        - minio.minio.svc:9000\n") != 2 {
		t.Fatalf("kubectl kustomize k: exit %d, want both containers' args with the flag and its value\n%s%s", k.code, k.stdout, k.stderr)
	}
}

// TestFixKustomizePatchEndpoint checks qa14 HIGH-2: an overlay's patch
// that gives a base's container a MinIO endpoint (patches: path: as a
// strategic merge, patchesStrategicMerge:, a JSON 6902 patch with a
// target:, an inline patch:) keeps the keys of that container, in its own
// env: or in a Secret it reads; keys a patch adds to a container whose
// base sets the endpoint stay too. A patch that sets no endpoint fixes the
// base. kubectl kustomize renders each overlay (the endpoint and the keys
// in one container) and, after --write, the fixed one.
func TestFixKustomizePatchEndpoint(t *testing.T) {
	requireKeyscanOnPath(t)
	var ks []map[string]string
	for i := uint64(0); i < 6; i++ {
		ks = append(ks, fakekey.New(1481+i).Values())
	}
	envKeys := func(k map[string]string) string {
		return "        env:\n        - name: AWS_ACCESS_KEY_ID\n          value: " + k["ID"] + "\n        - name: AWS_SECRET_ACCESS_KEY\n          value: " + k["SECRET"] + "\n"
	}
	dep := func(name, rest string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    matchLabels: {app: " + name + "}\n  template:\n" +
			"    metadata:\n      labels: {app: " + name + "}\n    spec:\n      containers:\n      - name: app\n        image: app:1\n" + rest
	}
	smp := func(name, env string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n" + env
	}
	endpointEnv := "        env:\n        - name: AWS_ENDPOINT_URL\n          value: http://minio.storage.svc:9000\n"
	base := "resources:\n- deploy.yaml\n"
	files := map[string]string{
		"a/base/kustomization.yaml":         base,
		"a/base/deploy.yaml":                dep("a", envKeys(ks[0])),
		"a/overlays/dev/kustomization.yaml": "resources:\n- ../../base\npatches:\n- path: endpoint.yaml\n",
		"a/overlays/dev/endpoint.yaml":      smp("a", endpointEnv),
		"b/base/kustomization.yaml":         base + "- secret.yaml\n",
		"b/base/deploy.yaml":                dep("b", "        envFrom:\n        - secretRef:\n            name: aws\n"),
		"b/base/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\nstringData:\n  AWS_ACCESS_KEY_ID: " + ks[1]["ID"] +
			"\n  AWS_SECRET_ACCESS_KEY: " + ks[1]["SECRET"] + "\n",
		"b/overlay/kustomization.yaml": "resources:\n- ../base\npatchesStrategicMerge:\n- minio.yaml\n",
		"b/overlay/minio.yaml":         smp("b", "        env:\n        - name: S3_ENDPOINT\n          value: minio.storage.svc:9000\n"),
		"c/base/kustomization.yaml":    base,
		"c/base/deploy.yaml":           dep("c", envKeys(ks[2])),
		"c/overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: ep.yaml\n  target:\n    kind: Deployment\n    name: c\n",
		"c/overlay/ep.yaml":            "- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: AWS_ENDPOINT_URL, value: \"http://minio:9000\"}\n",
		"d/base/kustomization.yaml":    base,
		"d/base/deploy.yaml":           dep("d", envKeys(ks[3])),
		"d/overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- patch: |-\n" + indentLines(smp("d", endpointEnv), "    "),
		"e/base/kustomization.yaml":    base,
		"e/base/deploy.yaml":           dep("e", endpointEnv),
		"e/overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: keys.yaml\n",
		"e/overlay/keys.yaml":          smp("e", envKeys(ks[4])),
		"f/base/kustomization.yaml":    base,
		"f/base/deploy.yaml":           dep("f", envKeys(ks[5])),
		"f/overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: replicas.yaml\n",
		"f/overlay/replicas.yaml":      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: f\nspec:\n  replicas: 3\n",
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	kubectl, kerr := exec.LookPath("kubectl")
	render := func(sub string, want ...string) {
		t.Helper()
		if kerr != nil {
			return
		}
		k := runCmd(t, dir, nil, kubectl, "kustomize", sub)
		if k.code != 0 {
			t.Fatalf("kubectl kustomize %s: exit %d\n%s", sub, k.code, k.stderr)
		}
		for _, w := range want {
			if !strings.Contains(k.stdout, w) {
				t.Errorf("kubectl kustomize %s does not render %q:\n%s", sub, w, k.stdout)
			}
		}
	}
	render("a/overlays/dev", "AWS_ENDPOINT_URL", ks[0]["ID"])
	render("c/overlay", "AWS_ENDPOINT_URL", ks[2]["ID"])
	render("d/overlay", "AWS_ENDPOINT_URL", ks[3]["ID"])
	render("e/overlay", "AWS_ENDPOINT_URL", ks[4]["ID"])
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"a/base/deploy.yaml:17:", "AWS_ENDPOINT_URL = http://minio.storage.svc:9000, set in the container at a/overlays/dev/endpoint.yaml:9; " +
			"a/overlays/dev/endpoint.yaml is a kustomize patch (named at a/overlays/dev/kustomization.yaml:4) of the Deployment a, which holds the container at a/base/deploy.yaml:13",
		"b/base/secret.yaml:6:", "b/overlay/minio.yaml is a kustomize patch",
		"c/base/deploy.yaml:17:", "c/overlay/ep.yaml is a kustomize patch (named at c/overlay/kustomization.yaml:4)",
		"d/base/deploy.yaml:17:", "d/overlay/kustomization.yaml (inline patch) is a kustomize patch",
		"e/overlay/keys.yaml:12:", "set in the container at e/base/deploy.yaml:13; e/overlay/keys.yaml is a kustomize patch (named at e/overlay/kustomization.yaml:4) of that container's Deployment e",
		"rewrote f/base/deploy.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); n != "f/base/deploy.yaml" && string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	render("f/overlay", "replicas: 3")
	if kerr != nil {
		t.Skip("kubectl is not installed: the overlays were not rendered")
	}
}

// indentLines puts prefix before every line of s.
func indentLines(s, prefix string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}

// TestFixKubernetesSecretVolume checks fix13's leftover: a Secret that a
// pod mounts as a volume (secret: secretName:, or a projected source
// secret: {name:}) is joined to that pod's containers. Its keys stay when
// a container of the pod talks to MinIO (AWS_ENDPOINT_URL in its env:) or
// runs an S3-compatible server's image (quay.io/minio/minio), and also
// when no endpoint is set: a program opens a mounted key's file by name,
// so removing the key leaves it without one. A key holding a whole
// credentials file is edited inside (the SDK reads the file and falls
// through to the instance role). kubectl kustomize renders the folder
// after --write.
func TestFixKubernetesSecretVolume(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	secret := func(name string, k map[string]string) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + name + "\nstringData:\n  AWS_ACCESS_KEY_ID: " + k["ID"] +
			"\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	deploy := func(name, container, volume string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    matchLabels: {app: " + name + "}\n" +
			"  template:\n    metadata:\n      labels: {app: " + name + "}\n    spec:\n      containers:\n" + container +
			"      volumes:\n        - name: creds\n" + volume
	}
	a, b, c, d := v(1811), v(1812), v(1813), v(1814)
	creds := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cfg\nstringData:\n  credentials: |\n    [default]\n" +
		"    aws_access_key_id = " + d["ID"] + "\n    aws_secret_access_key = " + d["SECRET"] + "\n"
	files := map[string]string{
		"kustomization.yaml": "resources:\n- a-secret.yaml\n- a-deploy.yaml\n- b-secret.yaml\n- b-deploy.yaml\n- c-secret.yaml\n- c-deploy.yaml\n- d-secret.yaml\n- d-deploy.yaml\n",
		"a-secret.yaml":      secret("minio-keys", a),
		"a-deploy.yaml": deploy("uploader", "        - name: app\n          image: app:1\n          env:\n            - name: AWS_ENDPOINT_URL\n"+
			"              value: http://minio.storage:9000\n          volumeMounts:\n            - {name: creds, mountPath: /etc/aws}\n",
			"          secret:\n            secretName: minio-keys\n"),
		"b-secret.yaml": secret("gateway", b),
		"b-deploy.yaml": deploy("s3", "        - name: minio\n          image: quay.io/minio/minio:RELEASE.2024-01-01T00-00-00Z\n          args: [server, /data]\n"+
			"          volumeMounts: [{name: creds, mountPath: /run/secrets}]\n",
			"          projected:\n            sources:\n              - secret: {name: gateway}\n"),
		"c-secret.yaml": secret("files", c),
		"c-deploy.yaml": deploy("reader", "        - name: app\n          image: app:1\n          volumeMounts:\n            - {name: creds, mountPath: /etc/aws}\n",
			"          secret: {secretName: files}\n"),
		"d-secret.yaml": creds,
		"d-deploy.yaml": deploy("sdk", "        - name: app\n          image: app:1\n          env:\n            - name: AWS_SHARED_CREDENTIALS_FILE\n"+
			"              value: /etc/aws/credentials\n          volumeMounts:\n            - {name: creds, mountPath: /etc/aws}\n",
			"          secret:\n            secretName: cfg\n"),
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
		"a-secret.yaml:6:", "AWS_ENDPOINT_URL = http://minio.storage:9000, set in the container at a-deploy.yaml:13",
		"b-secret.yaml:6:", "image quay.io/minio/minio:RELEASE.2024-01-01T00-00-00Z, an S3-compatible service, set in the container at b-deploy.yaml:13",
		"c-secret.yaml:6:", "is read by c-deploy.yaml:19 (secret volume files/AWS_ACCESS_KEY_ID): the pod mounts the Secret as files",
		"rewrote d-secret.yaml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		got, _ := os.ReadFile(filepath.Join(dir, n))
		if n == "d-secret.yaml" {
			if strings.Contains(string(got), d["ID"]) || !strings.Contains(string(got), "credentials: |") {
				t.Errorf("%s after the fix: the keys inside the credentials file must go, the file stay:\n%s", n, got)
			}
			continue
		}
		if string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	kustomizeRefsResolve(t, dir, ".")
}
