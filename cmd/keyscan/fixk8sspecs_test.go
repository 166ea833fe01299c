package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixContainerSpecsByOtherNames checks qa15 HIGH-13: a container spec
// that is not under containers: (a Tekton Task's steps: and stepTemplate:,
// an Argo Workflows template's container: and script:) is a container for
// the endpoint rule: a Secret whose reader sets AWS_ENDPOINT_URL in its own
// env: (or whose Task's stepTemplate: does) keeps its keys and its readers,
// as do keys in such a spec's own env: beside an endpoint. A step that sets
// no endpoint is fixed, its secretKeyRef entries with the keys, and kubectl
// kustomize renders the folder after --write with every secretKeyRef naming
// a key its Secret has.
func TestFixContainerSpecsByOtherNames(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	a, b, c, d, e := v(1501), v(1502), v(1503), v(1504), v(1505)
	secret := func(name string, k map[string]string) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + name + "\nstringData:\n  AWS_ACCESS_KEY_ID: " + k["ID"] +
			"\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	keyRefs := func(indent, name string) string {
		return indent + "- name: AWS_ACCESS_KEY_ID\n" + indent + "  valueFrom:\n" + indent + "    secretKeyRef: {name: " + name + ", key: AWS_ACCESS_KEY_ID}\n" +
			indent + "- name: AWS_SECRET_ACCESS_KEY\n" + indent + "  valueFrom:\n" + indent + "    secretKeyRef:\n" +
			indent + "      name: " + name + "\n" + indent + "      key: AWS_SECRET_ACCESS_KEY\n"
	}
	files := map[string]string{
		"kustomization.yaml": "resources:\n- tekton-secret.yaml\n- tekton.yaml\n- argo-secret.yaml\n- argo.yaml\n- tmpl-secret.yaml\n- tmpl.yaml\n" +
			"- aws-secret.yaml\n- aws.yaml\n- script.yaml\n",
		"tekton-secret.yaml": secret("tekton-s3", a),
		"tekton.yaml": "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: upload\nspec:\n  steps:\n    - name: upload\n      image: amazon/aws-cli:2.17.0\n" +
			"      env:\n        - name: AWS_ENDPOINT_URL\n          value: http://minio.storage.svc:9000\n" + keyRefs("        ", "tekton-s3") +
			"      script: |\n        aws s3 cp /workspace/out s3://artifacts/ --recursive\n",
		"argo-secret.yaml": secret("argo-s3", b),
		"argo.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: upload\nspec:\n  entrypoint: upload\n  templates:\n" +
			"    - name: upload\n      container:\n        image: amazon/aws-cli:2.17.0\n        command: [aws, s3, cp, /tmp/out, s3://artifacts/]\n" +
			"        env:\n          - name: S3_ENDPOINT\n            value: http://ceph.storage:7480\n" + keyRefs("          ", "argo-s3"),
		"tmpl-secret.yaml": secret("tmpl-s3", c),
		"tmpl.yaml": "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: sync\nspec:\n  stepTemplate:\n    env:\n      - name: AWS_ENDPOINT_URL\n" +
			"        value: http://minio.storage.svc:9000\n  steps:\n    - name: sync\n      image: amazon/aws-cli:2.17.0\n      env:\n" + keyRefs("        ", "tmpl-s3") +
			"      script: aws s3 sync /workspace s3://artifacts/\n",
		"aws-secret.yaml": secret("aws-s3", d),
		"aws.yaml": "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: publish\nspec:\n  steps:\n    - name: publish\n      image: amazon/aws-cli:2.17.0\n" +
			"      env:\n        - name: AWS_REGION\n          value: eu-west-1\n" + keyRefs("        ", "aws-s3") +
			"      script: aws s3 cp out s3://releases/\n",
		"script.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: backup\nspec:\n  entrypoint: backup\n  templates:\n" +
			"    - name: backup\n      script:\n        image: amazon/aws-cli:2.17.0\n        command: [sh]\n        source: aws s3 cp /data s3://backup/\n" +
			"        env:\n          - name: AWS_ENDPOINT_URL_S3\n            value: http://minio.backup:9000\n" +
			"          - name: AWS_ACCESS_KEY_ID\n            value: " + e["ID"] + "\n          - name: AWS_SECRET_ACCESS_KEY\n            value: " + e["SECRET"] + "\n",
	}
	dir := fixFolder(t, files, []string{
		"tekton-secret.yaml:6:", "AWS_ENDPOINT_URL = http://minio.storage.svc:9000, set in the container at tekton.yaml:7",
		"argo-secret.yaml:6:", "S3_ENDPOINT = http://ceph.storage:7480, set in the container at argo.yaml:9",
		"tmpl-secret.yaml:6:", "AWS_ENDPOINT_URL = http://minio.storage.svc:9000, given to it by the stepTemplate: at line 6, set in the container at tmpl.yaml:11",
		"script.yaml:17:", "AWS_ENDPOINT_URL_S3 = http://minio.backup:9000",
		"rewrote aws-secret.yaml (2 removed)", "rewrote aws.yaml",
	}, "aws-secret.yaml", "aws.yaml")
	for n, k := range map[string]string{"aws-secret.yaml": d["ID"], "aws.yaml": "secretKeyRef"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); strings.Contains(string(got), k) {
			t.Errorf("%s keeps %s:\n%s", n, k, got)
		}
	}
	kustomizeRefsResolve(t, dir, ".")
}

// fixFolder writes files (name: content) into a new folder, runs keyscan
// fix --write on it, which must exit 1 (keys left for a person) and say
// each of wants, and checks that no file but those changed was rewritten.
// It returns the folder.
func fixFolder(t *testing.T, files map[string]string, wants []string, changed ...string) string {
	t.Helper()
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		if slices.Contains(changed, n) {
			continue
		}
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	return dir
}

// TestFixSecretNamedByCustomResource checks qa15 HIGH-16: a Secret that a
// custom resource names for its operator's S3 client keeps its keys when
// that resource sets a custom endpoint: Velero's BackupStorageLocation
// (credential: and config.s3Url; the keys in a credentials file inside the
// Secret) and CloudNativePG's Cluster (s3Credentials and endpointURL). A
// Secret named by a resource without an endpoint is fixed; kubectl
// kustomize renders the folder after --write.
func TestFixSecretNamedByCustomResource(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1561).Values(), fakekey.New(1562).Values(), fakekey.New(1563).Values()
	files := map[string]string{
		"kustomization.yaml": "resources:\n- velero-secret.yaml\n- bsl.yaml\n- pg-secret.yaml\n- pg.yaml\n- aws-secret.yaml\n- aws-bsl.yaml\n",
		"velero-secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cloud-credentials\nstringData:\n  cloud: |\n    [default]\n" +
			"    aws_access_key_id = " + a["ID"] + "\n    aws_secret_access_key = " + a["SECRET"] + "\n",
		"bsl.yaml": "apiVersion: velero.io/v1\nkind: BackupStorageLocation\nmetadata:\n  name: default\nspec:\n  provider: aws\n  objectStorage:\n" +
			"    bucket: velero\n  credential:\n    name: cloud-credentials\n    key: cloud\n  config:\n    region: minio\n    s3ForcePathStyle: \"true\"\n" +
			"    s3Url: http://minio.velero.svc:9000\n",
		"pg-secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: minio-creds\nstringData:\n  ACCESS_KEY_ID: " + b["ID"] +
			"\n  ACCESS_SECRET_KEY: " + b["SECRET"] + "\n",
		"pg.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: 3\n  backup:\n    barmanObjectStore:\n" +
			"      destinationPath: s3://backups/\n      endpointURL: http://minio.storage.svc:9000\n      s3Credentials:\n" +
			"        accessKeyId: {name: minio-creds, key: ACCESS_KEY_ID}\n        secretAccessKey: {name: minio-creds, key: ACCESS_SECRET_KEY}\n",
		"aws-secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-credentials\nstringData:\n  cloud: |\n    [default]\n" +
			"    aws_access_key_id = " + c["ID"] + "\n    aws_secret_access_key = " + c["SECRET"] + "\n",
		"aws-bsl.yaml": "apiVersion: velero.io/v1\nkind: BackupStorageLocation\nmetadata:\n  name: aws\nspec:\n  provider: aws\n  objectStorage:\n" +
			"    bucket: velero-aws\n  credential:\n    name: aws-credentials\n    key: cloud\n  config:\n    region: eu-west-1\n",
	}
	dir := fixFolder(t, files, []string{
		"velero-secret.yaml:8:", "s3Url = http://minio.velero.svc:9000", "in the BackupStorageLocation default (bsl.yaml:1), which names the Secret cloud-credentials",
		"pg-secret.yaml:6:", "endpointURL = http://minio.storage.svc:9000", "in the Cluster pg (pg.yaml:1), which names the Secret minio-creds",
		"rewrote aws-secret.yaml (2 removed)",
	}, "aws-secret.yaml")
	if got, _ := os.ReadFile(filepath.Join(dir, "aws-secret.yaml")); strings.Contains(string(got), c["ID"]) {
		t.Errorf("aws-secret.yaml keeps its keys:\n%s", got)
	}
	kustomizeRefsResolve(t, dir, ".")
}
