package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixTerraformMergedSettings checks qa15 HIGH-9 and HIGH-12: a partial
// backend configuration (NAME.s3.tfbackend beside the block or in a
// sub-folder, backend.hcl, -backend-config flags of a script of the run)
// that sets an endpoint, path style or a skipped check keeps the keys of
// the backend "s3" block terraform init merges it into, and a flag naming
// a file the run does not hold keeps them "maybe"; a .tfvars value (or a
// TF_VAR_ export of a direnv .envrc) whose variable a provider "aws" with
// an endpoint (its own, or an override's) reads stays. A partial
// configuration that sets only the bucket, and a provider without an
// endpoint, are fixed as before; terraform fmt -check passes on every
// folder after the fix (when terraform is installed).
func TestFixTerraformMergedSettings(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	a, b, c, d, e, f, g, h, m := k(1521), k(1522), k(1523), k(1524), k(1525), k(1526), k(1527), k(1528), k(1529)
	backend := func(v map[string]string) string {
		return "terraform {\n  backend \"s3\" {\n    bucket     = \"tfstate\"\n    key        = \"app.tfstate\"\n    region     = \"us-east-1\"\n" +
			"    access_key = \"" + v["ID"] + "\"\n    secret_key = \"" + v["SECRET"] + "\"\n  }\n}\n"
	}
	provider := func(extra string) string {
		return "variable \"access_key\" {\n  type    = string\n  default = \"\"\n}\n\nvariable \"secret_key\" {\n  type    = string\n  default = \"\"\n}\n\n" +
			"provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = var.access_key\n  secret_key = var.secret_key\n" + extra + "}\n"
	}
	tfvars := func(v map[string]string) string {
		return "access_key = \"" + v["ID"] + "\"\nsecret_key = \"" + v["SECRET"] + "\"\n"
	}
	minio := "\n  s3_use_path_style = true\n\n  endpoints {\n    s3 = \"http://minio.internal:9000\"\n  }\n"
	files := map[string]string{
		"be/main.tf":                backend(a),
		"be/minio.s3.tfbackend":     "endpoints = {\n  s3 = \"http://minio.internal:9000\"\n}\nuse_path_style = true\n",
		"sub/main.tf":               backend(b),
		"sub/envs/dev/backend.hcl":  "skip_metadata_api_check = true\n",
		"plainbe/main.tf":           backend(c),
		"plainbe/prod.s3.tfbackend": "bucket = \"prod-state\"\n",
		"v/main.tf":                 provider(minio),
		"v/terraform.tfvars":        tfvars(d),
		"v/.envrc":                  "export TF_VAR_access_key=" + e["ID"] + "\nexport TF_VAR_secret_key=" + e["SECRET"] + "\n",
		"ov/main.tf":                provider(""),
		"ov/override.tf":            "provider \"aws\" {\n  skip_credentials_validation = true\n}\n",
		"ov/terraform.tfvars":       tfvars(f),
		"plainv/main.tf":            provider(""),
		"plainv/terraform.tfvars":   tfvars(g),
	}
	dir := fixFolder(t, files, []string{
		"be/main.tf:6:", "in be/minio.s3.tfbackend, a partial backend configuration that terraform init -backend-config=minio.s3.tfbackend merges into this block",
		"sub/main.tf:6:", "skip_metadata_api_check = true, in sub/envs/dev/backend.hcl",
		"v/terraform.tfvars:1:", "in the provider \"aws\" block of v/main.tf, which reads var.access_key",
		"v/.envrc:1:", "which reads var.access_key",
		"ov/terraform.tfvars:1:", "in ov/override.tf, which Terraform merges into the provider \"aws\" block of ov/main.tf that reads var.access_key",
		"rewrote plainbe/main.tf (2 removed)", "rewrote plainv/terraform.tfvars (2 removed)",
	}, "plainbe/main.tf", "plainv/terraform.tfvars")
	for _, n := range []string{"plainbe/main.tf", "plainv/terraform.tfvars"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); strings.Contains(string(got), "AKIA") {
			t.Errorf("%s keeps its keys:\n%s", n, got)
		}
	}

	// Flags of a script elsewhere in the run: a setting, and a file the
	// run does not hold.
	flags := fixFolder(t, map[string]string{
		"infra/main.tf":     backend(h),
		"scripts/deploy.sh": "#!/bin/sh\nterraform -chdir=infra init -backend-config=\"force_path_style=true\" -backend-config=bucket=state\n",
	}, []string{"infra/main.tf:6:", "force_path_style = true, given by terraform init -backend-config in scripts/deploy.sh"})
	missing := fixFolder(t, map[string]string{
		"infra/main.tf": backend(m),
		"Makefile":      "init:\n\tterraform -chdir=infra init -backend-config=../config/$(ENV).tfbackend\n",
	}, []string{"infra/main.tf:6:", "may reach clients keyscan cannot see (../config/$(ENV).tfbackend (named by a -backend-config flag, and not among the files of the run)"})

	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not installed: fmt -check not run")
	}
	for _, sub := range []string{"be", "sub", "plainbe", "v", "ov", "plainv"} {
		if r := runCmd(t, filepath.Join(dir, sub), []string{"CHECKPOINT_DISABLE=1"}, tf, "fmt", "-check", "-no-color"); r.code != 0 {
			t.Errorf("terraform fmt -check in %s after the fix: exit %d\n%s%s", sub, r.code, r.stdout, r.stderr)
		}
	}
	for _, d := range []string{flags, missing} {
		if r := runCmd(t, filepath.Join(d, "infra"), []string{"CHECKPOINT_DISABLE=1"}, tf, "fmt", "-check", "-no-color"); r.code != 0 {
			t.Errorf("terraform fmt -check in %s after the fix: exit %d\n%s%s", d, r.code, r.stdout, r.stderr)
		}
	}
}

// TestFixAnsibleVariables checks qa15 HIGH-17: a key of a YAML variable
// file that a Jinja template of the run reads by name ({{ aws_access_key }}
// in a role's task, {{ s3_secret | default(”) }} in a .j2 template) stays
// for a person, naming the reader, and as another service's when the task
// that reads it sets endpoint_url; a variable nothing reads is fixed, and
// a GitHub Actions ${{ env.X }} is no Jinja reader.
func TestFixAnsibleVariables(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(1571).Values(), fakekey.New(1572).Values(), fakekey.New(1573).Values()
	files := map[string]string{
		"group_vars/all.yml": "---\nbackup_bucket: nightly\naws_access_key: " + a["ID"] + "\naws_secret_key: " + a["SECRET"] + "\n",
		"roles/backup/tasks/main.yml": "---\n- name: upload the dump\n  amazon.aws.s3_object:\n    bucket: \"{{ backup_bucket }}\"\n    mode: put\n" +
			"    endpoint_url: http://minio.internal:9000\n    access_key: \"{{ aws_access_key }}\"\n    secret_key: \"{{ aws_secret_key }}\"\n",
		"host_vars/web.yml":                  "s3_id: " + b["ID"] + "\ns3_secret: " + b["SECRET"] + "\n",
		"roles/web/templates/credentials.j2": "[default]\naws_access_key_id = {{ s3_id }}\naws_secret_access_key = {{ s3_secret | default('') }}\n",
		"roles/db/vars/main.yml":             "db_key_id: " + c["ID"] + "\ndb_key_secret: " + c["SECRET"] + "\n",
		".github/workflows/ci.yml":           "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ env.db_key_id }}\n",
	}
	dir := fixFolder(t, files, []string{
		"group_vars/all.yml:3:", "endpoint_url = http://minio.internal:9000, set beside {{ aws_access_key }} at roles/backup/tasks/main.yml:7",
		"host_vars/web.yml:1:", "the variable s3_id is read by roles/web/templates/credentials.j2:2 ({{ s3_id }})",
		"rewrote roles/db/vars/main.yml (2 removed)",
	}, "roles/db/vars/main.yml")
	if got, _ := os.ReadFile(filepath.Join(dir, "roles/db/vars/main.yml")); strings.Contains(string(got), c["ID"]) {
		t.Errorf("roles/db/vars/main.yml keeps its keys:\n%s", got)
	}
}
