package main

import (
	"encoding/json"
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

// terraformPlan runs terraform init, validate and plan -input=false in dir
// (no provider is named, so nothing is downloaded) and fails the test with
// terraform's output when one of them fails; it skips when terraform is
// not installed.
func terraformPlan(t *testing.T, dir, when string) {
	t.Helper()
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skipf("terraform is not installed: cannot check that plan still works %s", when)
	}
	env := []string{"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_DATA_DIR=" + filepath.Join(t.TempDir(), "tfdata")}
	for _, args := range [][]string{{"init", "-input=false", "-backend=false"}, {"validate", "-no-color"}, {"plan", "-input=false", "-no-color", "-lock=false"}} {
		r := runCmd(t, dir, env, bin, args...)
		if r.code != 0 {
			t.Fatalf("terraform %s %s: exit %d\n%s%s", args[0], when, r.code, r.stdout, r.stderr)
		}
	}
}

// TestFixTerraformJSON checks qa12 MEDIUM-11: terraform.tfvars.json and
// *.auto.tfvars.json values are judged as .tfvars values are (kept for a
// person when the variable has no default, removed when it has one), and
// a variable's default in Terraform's JSON syntax (main.tf.json) stays as
// an HCL variable's does; terraform plan -input=false works before and
// after fix --write.
func TestFixTerraformJSON(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1201).Values(), fakekey.New(1202).Values(), fakekey.New(1203).Values()
	dir := t.TempDir()
	writeRepoFile(t, dir, "main.tf", "variable \"uploader_key_id\" { type = string }\n"+
		"variable \"uploader_secret\" {\n  type      = string\n  sensitive = true\n}\n"+
		"variable \"old_key_id\" {\n  type    = string\n  default = \"\"\n}\n"+
		"variable \"old_secret\" {\n  type    = string\n  default = \"\"\n}\n"+
		"output \"k\" { value = var.uploader_key_id }\n")
	required := "{\n  \"uploader_key_id\": \"" + a["ID"] + "\",\n  \"uploader_secret\": \"" + a["SECRET"] + "\"\n}\n"
	writeRepoFile(t, dir, "terraform.tfvars.json", required)
	writeRepoFile(t, dir, "old.auto.tfvars.json", "{\n  \"old_key_id\": \""+b["ID"]+"\",\n  \"old_secret\": \""+b["SECRET"]+"\",\n  \"region\": \"eu-west-1\"\n}\n")
	writeRepoFile(t, dir, "vars.tf.json", "{\n  \"variable\": {\n    \"region\": {\"type\": \"string\"},\n"+
		"    \"cdk_key_id\": {\"default\": \""+c["ID"]+"\"},\n    \"cdk_secret\": {\"default\": \""+c["SECRET"]+"\", \"sensitive\": true}\n  },\n"+
		"  \"output\": {\"c\": {\"value\": \"${var.cdk_key_id}\"}}\n}\n")
	terraformPlan(t, dir, "before the fix")

	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1 (keys left by hand)\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"terraform.tfvars.json:2:", "variable uploader_key_id has no default (main.tf)",
		"vars.tf.json:4:", "removing the default would make variable cdk_key_id required",
		"old.auto.tfvars.json:2: the variable old_key_id lost its value",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "terraform.tfvars.json")); string(got) != required {
		t.Errorf("values of variables without a default were removed:\n%s", got)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "old.auto.tfvars.json"))
	var vars map[string]string
	if err := json.Unmarshal(got, &vars); err != nil || len(vars) != 1 || vars["region"] != "eu-west-1" {
		t.Errorf("old.auto.tfvars.json after the fix (%v):\n%s", err, got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "vars.tf.json")); !strings.Contains(string(got), c["ID"]) || !json.Valid(got) {
		t.Errorf("a variable's default was removed:\n%s", got)
	}
	terraformPlan(t, dir, "after the fix")
}

// TestFixCloudFormationParameters checks qa12 MEDIUM-4: a CloudFormation
// parameter's Default (YAML and JSON templates) and a parameters file's
// ParameterValue stay under "Change by hand", naming the template line
// that reads the parameter (!Ref, Ref:, ${Name} in a Sub); a parameter no
// template reads stays too (a parameter with neither a Default nor a value
// fails the deploy). Every file is left as it was, and still parses.
func TestFixCloudFormationParameters(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1211).Values(), fakekey.New(1212).Values(), fakekey.New(1213).Values()
	dir := t.TempDir()
	files := map[string]string{
		"template.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  UploaderAccessKey:\n    Type: String\n    Default: " + a["ID"] +
			"\n  UploaderSecretKey:\n    Type: String\n    NoEcho: true\n    Default: " + a["SECRET"] + "\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n" +
			"    Properties:\n      Environment:\n        Variables:\n          UPLOADER_KEY: !Ref UploaderAccessKey\n" +
			"          UPLOADER_SECRET: !Sub \"${UploaderSecretKey}\"\n",
		"params.json": "[\n  {\"ParameterKey\": \"UploaderAccessKey\", \"ParameterValue\": \"" + a["ID"] + "\"},\n" +
			"  {\"ParameterKey\": \"UploaderSecretKey\", \"ParameterValue\": \"" + a["SECRET"] + "\"}\n]\n",
		"stack.json": "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Parameters\": {\n    \"KeyId\": {\"Type\": \"String\", \"Default\": \"" + b["ID"] + "\"},\n" +
			"    \"Secret\": {\"Type\": \"String\", \"Default\": \"" + b["SECRET"] + "\"}\n  },\n" +
			"  \"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"Tags\": [{\"Key\": \"k\", \"Value\": {\"Ref\": \"KeyId\"}},\n" +
			"    {\"Key\": \"s\", \"Value\": {\"Fn::Sub\": \"x-${Secret}\"}}]}}}\n}\n",
		"unused.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Id:\n    Type: String\n    Default: " + c["ID"] +
			"\n  Sec:\n    Type: String\n    Default: " + c["SECRET"] + "\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
	}
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"template.yaml:5:14: aws-access-key-id", "is read by template.yaml:16 (!Ref UploaderAccessKey)",
		"template.yaml:9:14:", "is read by template.yaml:17 (Sub ${UploaderSecretKey})",
		"params.json:2:", "the value of CloudFormation parameter UploaderAccessKey stays: it is read by template.yaml:16",
		"stack.json:4:", "is read by stack.json:7 (Ref KeyId)", "is read by stack.json:8 (Sub ${Secret})",
		"unused.yaml:5:", "the Default of CloudFormation parameter Id stays: keyscan found no template",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "rewrote") {
		t.Errorf("a file was rewritten:\n%s", out)
	}
	for n, s := range files {
		got, _ := os.ReadFile(filepath.Join(dir, n))
		if string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
}

// TestFixKustomizeSecretGeneratorEnvs checks qa12 MEDIUM-6: a .env file
// that a kustomize secretGenerator names in envs: is a Secret, and a
// variable of it that a Deployment reads with secretKeyRef (here under
// another name, UPLOAD_KEY_ID) stays under "Change by hand" naming the
// reader; the keys of a generated Secret read only through envFrom go.
// kubectl kustomize renders the folder after fix --write, and every
// secretKeyRef of the output names a key its Secret has.
func TestFixKustomizeSecretGeneratorEnvs(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b := fakekey.New(1221).Values(), fakekey.New(1222).Values()
	dir := t.TempDir()
	writeRepoFile(t, dir, "base/kustomization.yaml", "resources:\n  - deployment.yaml\nsecretGenerator:\n  - name: aws-creds\n    envs:\n      - aws.env\n"+
		"  - name: tools\n    envs: [tools.env]\ngeneratorOptions:\n  disableNameSuffixHash: true\n")
	readEnv := "AWS_ACCESS_KEY_ID=" + a["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + a["SECRET"] + "\n"
	writeRepoFile(t, dir, "base/aws.env", readEnv)
	writeRepoFile(t, dir, "base/tools.env", "LOG_LEVEL=debug\nAWS_ACCESS_KEY_ID="+b["ID"]+"\nAWS_SECRET_ACCESS_KEY="+b["SECRET"]+"\n")
	writeRepoFile(t, dir, "base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels: {app: app}\n"+
		"  template:\n    metadata:\n      labels: {app: app}\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        envFrom:\n        - secretRef:\n            name: tools\n"+
		"        env:\n        - name: UPLOAD_KEY_ID\n          valueFrom:\n            secretKeyRef:\n              name: aws-creds\n              key: AWS_ACCESS_KEY_ID\n"+
		"        - name: UPLOAD_SECRET\n          valueFrom:\n            secretKeyRef: {name: aws-creds, key: AWS_SECRET_ACCESS_KEY}\n")

	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"base/aws.env:1:", "the key AWS_ACCESS_KEY_ID of the Secret aws-creds is read by base/deployment.yaml:21 (secretKeyRef aws-creds/AWS_ACCESS_KEY_ID)",
		"base/aws.env:2:", "rewrote base/tools.env",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "base/aws.env")); string(got) != readEnv {
		t.Errorf("aws.env changed:\n%s", got)
	}
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: cannot render the kustomization after the fix")
	}
	k := runCmd(t, dir, nil, kubectl, "kustomize", "base")
	if k.code != 0 {
		t.Fatalf("kubectl kustomize after the fix: exit %d\n%s", k.code, k.stderr)
	}
	secrets, refs := renderedSecretRefs(t, k.stdout)
	if len(refs) != 2 {
		t.Errorf("%d secretKeyRefs rendered, want 2:\n%s", len(refs), k.stdout)
	}
	for _, ref := range refs {
		if !secrets[ref] {
			t.Errorf("the rendered output reads %s, which no Secret has:\n%s", ref, k.stdout)
		}
	}
	if secrets["tools/AWS_ACCESS_KEY_ID"] || !secrets["tools/LOG_LEVEL"] {
		t.Errorf("the tools Secret after the fix:\n%s", k.stdout)
	}
}

// renderedSecretRefs reads kubectl kustomize's output: the keys of every
// Secret (name/key) and what every secretKeyRef reads.
func renderedSecretRefs(t *testing.T, s string) (map[string]bool, []string) {
	t.Helper()
	secrets := map[string]bool{}
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["secretKeyRef"].(map[string]any); ok {
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
	dec := yaml.NewDecoder(strings.NewReader(s))
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("kubectl kustomize's output does not parse: %v", err)
		}
		if doc["kind"] == "Secret" {
			name := fmt.Sprint(doc["metadata"].(map[string]any)["name"])
			for key := range doc["data"].(map[string]any) {
				secrets[name+"/"+key] = true
			}
		}
		walk(doc)
	}
	return secrets, refs
}

// TestFixComposeMerged checks qa12 MEDIUM-1 (b) and (c): docker compose
// builds a service's environment from more than the block holding its
// keys, and an endpoint setting in any of those files keeps the keys:
// docker-compose.override.yml (merged without being asked), the service a
// service extends: in another file, and, for keys in an env_file, the
// service's environment: in the compose file that reads it. A service
// whose merged files set no endpoint is fixed, and every file still parses.
func TestFixComposeMerged(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	a, b, c, d := v(1231), v(1232), v(1233), v(1234)
	dir := t.TempDir()
	files := map[string]string{
		"docker-compose.yml": "services:\n  app:\n    image: app:1\n    environment:\n      AWS_ACCESS_KEY_ID: " + a["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + a["SECRET"] +
			"\n  worker:\n    image: w:1\n    environment:\n      AWS_ACCESS_KEY_ID: " + b["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + b["SECRET"] + "\n",
		// No minio service in the project: one would keep worker's keys
		// too (qa14 HIGH-7, TestFixEnvironmentReach).
		"docker-compose.override.yml": "services:\n  app:\n    environment:\n      AWS_ENDPOINT_URL: http://minio:9000\n",
		"web/compose.yaml": "services:\n  web:\n    extends:\n      file: common.yml\n      service: base\n    environment:\n" +
			"      AWS_ACCESS_KEY_ID: " + c["ID"] + "\n      AWS_SECRET_ACCESS_KEY: " + c["SECRET"] + "\n" +
			"  api:\n    image: api:1\n    env_file: .env.api\n    environment:\n      - S3_ENDPOINT=http://ceph:7480\n",
		"web/common.yml": "services:\n  base:\n    image: web:1\n    environment:\n      AWS_ENDPOINT_URL_S3: http://localstack:4566\n",
		"web/.env.api":   "AWS_ACCESS_KEY_ID=" + d["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + d["SECRET"] + "\n",
	}
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"docker-compose.yml:5:", "http://minio:9000 in docker-compose.override.yml, which docker compose merges into the service app",
		"web/compose.yaml:7:", "http://localstack:4566 in web/common.yml, in the service base, which this service extends",
		"web/.env.api:1:", "http://ceph:7480 in web/compose.yaml, the service api that reads this file as its env_file",
		"rewrote docker-compose.yml (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "docker-compose.yml"))
	if !strings.Contains(string(got), a["ID"]) || strings.Contains(string(got), b["ID"]) {
		t.Errorf("docker-compose.yml after the fix: app's keys must stay, worker's go:\n%s", got)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(got, &doc); err != nil {
		t.Errorf("docker-compose.yml does not parse after the fix: %v\n%s", err, got)
	}
	for _, n := range []string{"web/compose.yaml", "web/.env.api"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
}

// TestFixComposeEndpointLayouts checks qa13 MEDIUM-2: a service whose
// MinIO endpoint comes from a second env_file, from an anchored block
// through a YAML merge key (<<: *common), or from a file the project's
// .env merges through COMPOSE_FILE keeps the keys of its env_file with
// the custom-endpoint reason; the same service with COMPOSE_FILE naming
// other files is fixed.
func TestFixComposeEndpointLayouts(t *testing.T) {
	requireKeyscanOnPath(t)
	v := func(n uint64) map[string]string { return fakekey.New(n).Values() }
	env := func(k map[string]string) string {
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	a, b, c, d := v(1421), v(1422), v(1423), v(1424)
	svc := "services:\n  app:\n    image: app\n    env_file: aws.env\n"
	minio := "services:\n  app:\n    environment:\n      AWS_ENDPOINT_URL: http://minio:9000\n"
	dir := t.TempDir()
	files := map[string]string{
		"c2/aws.env":      env(a),
		"c2/endpoint.env": "AWS_ENDPOINT_URL=http://minio:9000\n",
		"c2/compose.yaml": "services:\n  app:\n    image: app\n    env_file: [aws.env, endpoint.env]\n",
		"c3/aws.env":      env(b),
		"c3/docker-compose.yml": "x-common: &common\n  environment:\n    AWS_ENDPOINT_URL: http://minio:9000\n" +
			"services:\n  app:\n    <<: *common\n    image: app\n    env_file: aws.env\n",
		"c6/aws.env":      env(c),
		"c6/compose.yaml": svc,
		"c6/minio.yaml":   minio,
		"c6/.env":         "COMPOSE_FILE=compose.yaml:minio.yaml\n",
		"c7/aws.env":      env(d),
		"c7/compose.yaml": svc,
		"c7/minio.yaml":   minio,
		"c7/.env":         "COMPOSE_FILE=other.yaml:minio.yaml\n",
	}
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"c2/aws.env:1:", "http://minio:9000 in c2/endpoint.env, another env_file of the service app",
		"c3/aws.env:1:", "http://minio:9000 in c3/docker-compose.yml, the service app that reads this file as its env_file",
		"c6/aws.env:1:", "http://minio:9000 in c6/minio.yaml, which docker compose merges into the service app",
		"rewrote c7/aws.env",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for _, n := range []string{"c2/aws.env", "c3/aws.env", "c6/aws.env"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != files[n] {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	// The merge key as compose reads it: the anchored environment is the
	// service's (docker compose config when installed, else yaml.v3).
	c3 := filepath.Join(dir, "c3")
	if _, err := exec.LookPath("docker"); err == nil {
		if k := runCmd(t, c3, nil, "docker", "compose", "config"); k.code == 0 && !strings.Contains(k.stdout, "http://minio:9000") {
			t.Errorf("docker compose config of c3 gives app no endpoint:\n%s", k.stdout)
		}
	}
	var doc struct {
		Services map[string]struct {
			Environment map[string]string `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(files["c3/docker-compose.yml"]), &doc); err != nil || doc.Services["app"].Environment["AWS_ENDPOINT_URL"] == "" {
		t.Errorf("c3's merge key does not give app the endpoint (%v): %+v", err, doc)
	}
}

// TestFixTerraformOverride checks qa14 HIGH-6: Terraform merges an
// override file (override.tf, NAME_override.tf, .tf.json) into the block
// of the same type and name, so endpoints, path style or
// skip_metadata_api_check there (LocalStack's tflocal writes
// localstack_providers_override.tf) keep the keys of main.tf's provider
// "aws" or S3 backend, and the other way round. An override that sets
// nothing of the kind fixes its folder as before; terraform fmt -check
// passes on every file before and after (when terraform is installed).
func TestFixTerraformOverride(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	keys := func(v map[string]string) string {
		return "  access_key = \"" + v["ID"] + "\"\n  secret_key = \"" + v["SECRET"] + "\"\n"
	}
	a, b, c, d, e, f := k(1441), k(1442), k(1443), k(1444), k(1445), k(1446)
	files := map[string]string{
		"tl/main.tf": "provider \"aws\" {\n  region     = \"us-east-1\"\n" + keys(a) + "}\n",
		"tl/localstack_providers_override.tf": "provider \"aws\" {\n  s3_use_path_style           = true\n  skip_credentials_validation = true\n" +
			"  skip_metadata_api_check     = true\n  endpoints {\n    s3 = \"http://s3.localhost.localstack.cloud:4566\"\n  }\n}\n",
		"ep/main.tf":             "provider \"aws\" {\n  region     = \"us-east-1\"\n" + keys(b) + "}\n",
		"ep/override.tf":         "provider \"aws\" {\n  endpoints {\n    s3 = \"http://minio:9000\"\n  }\n}\n",
		"rev/main.tf":            "provider \"aws\" {\n  region = \"us-east-1\"\n  endpoints {\n    s3 = \"http://minio:9000\"\n  }\n}\n",
		"rev/keys_override.tf":   "provider \"aws\" {\n" + keys(c) + "}\n",
		"js/main.tf":             "provider \"aws\" {\n" + keys(d) + "}\n",
		"js/override.tf.json":    "{\"provider\": {\"aws\": {\"endpoints\": {\"s3\": \"http://localhost:4566\"}}}}\n",
		"be/main.tf":             "terraform {\n  backend \"s3\" {\n    bucket     = \"state\"\n    key        = \"tf\"\n    region     = \"us-east-1\"\n  " + strings.ReplaceAll(keys(e), "\n  ", "\n    ") + "  }\n}\n",
		"be/backend_override.tf": "terraform {\n  backend \"s3\" {\n    use_path_style = true\n  }\n}\n",
		"plain/main.tf":          "provider \"aws\" {\n  region     = \"us-east-1\"\n" + keys(f) + "}\n",
		"plain/tags_override.tf": "provider \"aws\" {\n  default_tags {\n    tags = { team = \"data\" }\n  }\n}\n",
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	tf, tferr := exec.LookPath("terraform")
	fmtCheck := func(when string) {
		if tferr != nil {
			return
		}
		for _, sub := range []string{"tl", "ep", "rev", "be", "plain"} {
			if r := runCmd(t, filepath.Join(dir, sub), []string{"CHECKPOINT_DISABLE=1"}, tf, "fmt", "-check", "-no-color"); r.code != 0 {
				t.Errorf("terraform fmt -check in %s %s: exit %d\n%s%s", sub, when, r.code, r.stdout, r.stderr)
			}
		}
	}
	fmtCheck("before the fix")
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"tl/main.tf:3:", "skip_metadata_api_check = true, in tl/localstack_providers_override.tf, which Terraform merges into this block",
		"ep/main.tf:3:", "the client talks to a custom endpoint (endpoints {...}, in ep/override.tf",
		"rev/keys_override.tf:2:", "in rev/main.tf, which Terraform merges",
		"js/main.tf:2:", "in js/override.tf.json",
		"be/main.tf:6:", "use_path_style = true, in be/backend_override.tf",
		"rewrote plain/main.tf (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); n != "plain/main.tf" && string(got) != s {
			t.Errorf("%s changed:\n%s", n, got)
		}
	}
	fmtCheck("after the fix")
	if tferr != nil {
		t.Skip("terraform is not installed: fmt -check not run")
	}
}
