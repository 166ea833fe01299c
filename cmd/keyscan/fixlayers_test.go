package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixEndpointLayers checks fix18's finds: a MinIO endpoint that a
// program's loaders add to keys keyscan fix would otherwise hand to the
// instance role. A Python dict built empty and given endpoint_url by
// subscript (kw["endpoint_url"] = …) before **kw; a JavaScript options
// object given endpoint by subscript (opts["endpoint"] = …) before it is
// spread; a Terraform override file (main_override.tf) whose provider
// "aws" block Terraform merges into main.tf's; .env.local, which dotenv
// loaders load over .env, and .env under .env.production. Each keeps its
// keys with the custom-endpoint reason; the same layouts without an
// endpoint (a .env.example, which no loader reads) are fixed, and every
// fixed file still compiles or parses (python3 -m py_compile, node
// --check, the HCL parser).
func TestFixEndpointLayers(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	a, b, c, d, e, f, g, h := v(1831), v(1832), v(1833), v(1834), v(1835), v(1836), v(1837), v(1838)
	env := func(k map[string]string) string {
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	py := func(k map[string]string, endpoint string) string {
		return "import boto3\n\nkw = {}\n" + endpoint + "s3 = boto3.client(\"s3\", aws_access_key_id=\"" + k["ID"] + "\", aws_secret_access_key=\"" + k["SECRET"] + "\", **kw)\n"
	}
	js := func(k map[string]string, endpoint string) string {
		return "const { S3Client } = require(\"@aws-sdk/client-s3\");\nconst opts = { region: \"us-east-1\" };\n" + endpoint +
			"const s3 = new S3Client({ ...opts, credentials: { accessKeyId: \"" + k["ID"] + "\", secretAccessKey: \"" + k["SECRET"] + "\" } });\nmodule.exports = s3;\n"
	}
	tf := func(k map[string]string) string {
		return "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = \"" + k["ID"] + "\"\n  secret_key = \"" + k["SECRET"] + "\"\n}\n"
	}
	files := map[string]string{
		"py/app.py":              py(a, "kw[\"endpoint_url\"] = \"http://minio:9000\"\n"),
		"py2/app.py":             py(b, "kw[\"region_name\"] = \"eu-west-1\"\n"),
		"js/app.js":              js(c, "opts[\"endpoint\"] = \"http://minio:9000\";\n"),
		"js2/app.js":             js(d, "opts[\"region\"] = \"eu-west-1\";\n"),
		"tf/main.tf":             tf(e),
		"tf/main_override.tf":    "provider \"aws\" {\n  endpoints {\n    s3 = \"http://minio:9000\"\n  }\n}\n",
		"tf2/main.tf":            tf(f),
		"tf2/main_override.tf":   "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
		"next/.env":              env(g),
		"next/.env.local":        "S3_ENDPOINT=http://localhost:9000\n",
		"vite/.env":              "AWS_ENDPOINT_URL=http://minio:9000\n",
		"vite/.env.production":   env(h),
		"plain/.env":             env(v(1839)),
		"plain/.env.example":     "AWS_ENDPOINT_URL=http://localhost:9000\n",
		"plain/.env.development": "LOG_LEVEL=debug\n",
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
		"py/app.py:5:", `custom endpoint (kw["endpoint_url"] = "http://minio:9000"`,
		"js/app.js:4:", `custom endpoint (opts["endpoint"] = "http://minio:9000"`,
		"tf/main.tf:3:",
		"next/.env:1:", "S3_ENDPOINT = http://localhost:9000 in next/.env.local, which dotenv loaders",
		"vite/.env.production:1:", "AWS_ENDPOINT_URL = http://minio:9000 in vite/.env, which dotenv loaders",
		"rewrote py2/app.py", "rewrote js2/app.js", "rewrote tf2/main.tf", "rewrote plain/.env",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"py/app.py", "js/app.js", "tf/main.tf", "next/.env", "vite/.env.production"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "tf2/main.tf"))
	if _, diags := hclparse.NewParser().ParseHCL(got, "main.tf"); diags.HasErrors() || strings.Contains(string(got), f["ID"]) {
		t.Errorf("tf2/main.tf after the fix (%v):\n%s", diags, got)
	}
	for _, chk := range [][]string{{"python3", "-m", "py_compile", "py2/app.py"}, {"node", "--check", "js2/app.js"}} {
		bin, err := exec.LookPath(chk[0])
		if err != nil {
			t.Logf("%s is not installed: cannot check the syntax of %s", chk[0], chk[len(chk)-1])
			continue
		}
		if k := runCmd(t, dir, nil, bin, chk[1:]...); k.code != 0 {
			t.Errorf("%v rejects the fixed file: %s%s", chk, k.stdout, k.stderr)
		}
	}
}
