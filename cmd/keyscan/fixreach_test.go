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
