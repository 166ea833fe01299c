package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixEnvironmentReach checks qa14 HIGH-7: keys a program takes from its
// environment stay when a client of it may talk to a custom endpoint that
// no setting beside them names: a .env read as env_file by a service of a
// compose project that runs minio/minio, a compose service's own
// environment: in a project that runs LocalStack, a .env beside Python
// (load_dotenv) or JavaScript code whose client has a MinIO endpoint. A
// .env beside code with no endpoint (and a node_modules/ endpoint, someone
// else's code) is fixed. python3 -m py_compile checks the Python files
// (when installed).
func TestFixEnvironmentReach(t *testing.T) {
	requireKeyscanOnPath(t)
	var envs []string
	for i := uint64(0); i < 5; i++ {
		k := fakekey.New(1461 + i).Values()
		envs = append(envs, "AWS_ACCESS_KEY_ID="+k["ID"]+"\nAWS_SECRET_ACCESS_KEY="+k["SECRET"]+"\n")
	}
	ls := fakekey.New(1470).Values()
	files := map[string]string{
		"p1/.env":         envs[0],
		"p1/compose.yaml": "services:\n  app:\n    build: .\n    env_file: .env\n    depends_on: [minio]\n  minio:\n    image: minio/minio\n    command: server /data\n",
		"p2/docker-compose.yml": "services:\n  app:\n    image: app\n    environment:\n      AWS_ACCESS_KEY_ID: " + ls["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + ls["SECRET"] +
			"\n  aws:\n    image: localstack/localstack:3\n",
		"p3/.env":                      envs[1],
		"p3/src/app.py":                "import boto3\nfrom dotenv import load_dotenv\n\nload_dotenv()\ns3 = boto3.client(\"s3\", endpoint_url=\"http://minio:9000\")\nprint(s3.list_buckets())\n",
		"p4/.env.local":                envs[2],
		"p4/web/s3.js":                 "import { S3Client } from \"@aws-sdk/client-s3\";\nexport const s3 = new S3Client({ endpoint: \"http://minio:9000\", forcePathStyle: true });\n",
		"p5/.env":                      envs[3],
		"p5/app.py":                    "import boto3\n\ns3 = boto3.client(\"s3\")\n",
		"p5/compose.yaml":              "services:\n  app:\n    build: .\n    env_file: .env\n  cache:\n    image: redis:7\n",
		"p5/node_modules/sdk/index.js": "module.exports = { endpoint: \"http://localhost:4566\" };\n",
		"p6/.env":                      envs[4],
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	if py, err := exec.LookPath("python3"); err == nil {
		for _, n := range []string{"p3/src/app.py", "p5/app.py"} {
			if r := runCmd(t, dir, nil, py, "-m", "py_compile", n); r.code != 0 {
				t.Fatalf("python3 -m py_compile %s: exit %d\n%s", n, r.code, r.stderr)
			}
		}
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"p1/.env:1:", "the compose project runs minio/minio (the service minio), in p1/compose.yaml, beside the service app, which reads this file as its env_file",
		"p2/docker-compose.yml:5:", "runs localstack/localstack:3 (the service aws)",
		"p3/.env:1:", "p3/src/app.py builds a client with a custom endpoint (endpoint_url=\"http://minio:9000\")",
		"p4/.env.local:1:", "p4/web/s3.js builds a client with a custom endpoint",
		"rewrote p5/.env (2 removed)", "rewrote p6/.env (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"p1/.env", "p2/docker-compose.yml", "p3/.env", "p4/.env.local"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
}

// TestFixBotoHost checks qa14 MEDIUM-8: a boto 2 / gsutil config (.boto)
// whose [s3] host (or [Boto] s3_host) is a MinIO server keeps the keys of
// its [Credentials]; one whose host is AWS's is fixed, and Python's
// configparser (as boto reads it) still reads both files after --write.
func TestFixBotoHost(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1491).Values(), fakekey.New(1492).Values(), fakekey.New(1493).Values()
	creds := func(k map[string]string) string {
		return "[Credentials]\naws_access_key_id = " + k["ID"] + "\naws_secret_access_key = " + k["SECRET"] + "\n\n"
	}
	files := map[string]string{
		"minio/.boto":  creds(a) + "[s3]\nhost = minio.internal:9000\ncalling_format = boto.s3.connection.OrdinaryCallingFormat\n\n[Boto]\nis_secure = False\n",
		"old/boto.cfg": creds(b) + "[Boto]\ns3_host = ceph-rgw.lan\n",
		"aws/.boto":    creds(c) + "[s3]\nhost = s3.eu-west-1.amazonaws.com\n",
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
		"minio/.boto:2:", "(host = minio.internal:9000 in [s3], the host boto 2 and gsutil send every S3 request to)",
		"old/boto.cfg:2:", "s3_host = ceph-rgw.lan in [boto]",
		"rewrote aws/.boto (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"minio/.boto", "old/boto.cfg"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the files were not read back")
	}
	for n := range files {
		p := runCmd(t, dir, nil, py, "-c", "import configparser,sys; c=configparser.ConfigParser(); c.read_file(open(sys.argv[1])); print(c.sections())", n)
		if p.code != 0 || !strings.Contains(p.stdout, "Credentials") {
			t.Errorf("configparser cannot read %s after the fix: exit %d\n%s%s", n, p.code, p.stdout, p.stderr)
		}
	}
}

// TestFixDockerfileComposeBuild checks qa14 HIGH-14: a Dockerfile's ENV
// keys run in the container of the compose service that builds it (build:
// PATH, or context: and dockerfile:), so that service's endpoint (its
// environment:, its env_file) or an S3-compatible service of its project
// keeps them; a Dockerfile whose service sets none is fixed.
func TestFixDockerfileComposeBuild(t *testing.T) {
	requireKeyscanOnPath(t)
	env := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "FROM python:3.12\nENV AWS_ACCESS_KEY_ID=" + k["ID"] + " \\\n    AWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\nCMD [\"python\", \"app.py\"]\n"
	}
	files := map[string]string{
		"d1/Dockerfile":            env(1501),
		"d1/compose.yaml":          "services:\n  app:\n    build: .\n    environment:\n      AWS_ENDPOINT_URL: http://minio:9000\n",
		"d2/docker/app.Dockerfile": env(1502),
		"d2/compose.yaml":          "services:\n  app:\n    build:\n      context: docker\n      dockerfile: app.Dockerfile\n    env_file: app.env\n",
		"d2/app.env":               "S3_ENDPOINT=http://ceph-rgw:7480\n",
		"d3/Dockerfile":            env(1503),
		"d3/compose.yaml":          "services:\n  app:\n    build: .\n  store:\n    image: bitnami/minio:2024\n",
		"d4/Dockerfile":            env(1504),
		"d4/compose.yaml":          "services:\n  app:\n    build: .\n  cache:\n    image: redis:7\n",
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
		"d1/Dockerfile:2:", "(AWS_ENDPOINT_URL = http://minio:9000 in d1/compose.yaml, the service app, which builds this Dockerfile)",
		"d2/docker/app.Dockerfile:2:", "S3_ENDPOINT = http://ceph-rgw:7480 in d2/app.env",
		"d3/Dockerfile:2:", "runs bitnami/minio:2024 (the service store), in d3/compose.yaml, beside the service app, which builds this Dockerfile",
		"rewrote d4/Dockerfile (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"d1/Dockerfile", "d2/docker/app.Dockerfile", "d3/Dockerfile"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
}

// TestFixBundledServiceImage checks qa14 MEDIUM-11 and LOW-3: keys in a
// YAML document that runs an S3-compatible service beside them (a
// self-hosted GitHub Actions job's services: minio, a GitLab CI job's
// services: [minio/minio], a Pod's minio/minio sidecar) stay, and a Pod
// whose sidecar is not one is fixed (kubectl kustomize renders it after
// --write); a compose endpoint given as ${S3_URL} is quoted whole in the
// reason.
func TestFixBundledServiceImage(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	a, b, c, d, e := k(1521), k(1522), k(1523), k(1524), k(1525)
	pod := func(name string, keys map[string]string, sidecar string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n  containers:\n    - name: app\n      image: app:1\n      env:\n" +
			"        - name: AWS_ACCESS_KEY_ID\n          value: " + keys["ID"] + "\n        - name: AWS_SECRET_ACCESS_KEY\n          value: " + keys["SECRET"] +
			"\n    - name: side\n      image: " + sidecar + "\n"
	}
	files := map[string]string{
		"gh/.github/workflows/ci.yml": "on: [push]\njobs:\n  test:\n    runs-on: [self-hosted, linux]\n    services:\n      minio:\n        image: minio/minio\n" +
			"    env:\n      AWS_ACCESS_KEY_ID: " + a["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + a["SECRET"] + "\n    steps:\n      - run: pytest tests/\n",
		"gl/.gitlab-ci.yml": "test:\n  tags: [our-runner]\n  services:\n    - name: localstack/localstack:3\n      alias: aws\n  variables:\n" +
			"    AWS_ACCESS_KEY_ID: " + b["ID"] + "\n    AWS_SECRET_ACCESS_KEY: " + b["SECRET"] + "\n  script:\n    - pytest\n",
		"k8s/kustomization.yaml": "resources: [minio.yaml, redis.yaml]\n",
		"k8s/minio.yaml":         pod("with-minio", c, "minio/minio:latest"),
		"k8s/redis.yaml":         pod("with-redis", d, "redis:7"),
		"c/compose.yaml": "services:\n  app:\n    image: app\n    environment:\n      AWS_ACCESS_KEY_ID: " + e["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + e["SECRET"] +
			"\n      AWS_ENDPOINT_URL: ${S3_URL}\n",
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
		"gh/.github/workflows/ci.yml:9:", "the document runs an S3-compatible service beside the keys (image: minio/minio)",
		"gl/.gitlab-ci.yml:7:", "(services: name: localstack/localstack:3)",
		"k8s/minio.yaml:11:", "(image: minio/minio:latest)",
		"rewrote k8s/redis.yaml (2 removed)",
		"c/compose.yaml:5:", "(AWS_ENDPOINT_URL = ${S3_URL})",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"gh/.github/workflows/ci.yml", "gl/.gitlab-ci.yml", "k8s/minio.yaml", "c/compose.yaml"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: the fixed Pod was not rendered")
	}
	if k := runCmd(t, dir, nil, kubectl, "kustomize", "k8s"); k.code != 0 || !strings.Contains(k.stdout, "name: with-redis") || strings.Contains(k.stdout, d["ID"]) {
		t.Fatalf("kubectl kustomize k8s after the fix: exit %d\n%s%s", k.code, k.stdout, k.stderr)
	}
}
