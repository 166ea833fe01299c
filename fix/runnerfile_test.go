package fix_test

import (
	"testing"

	"github.com/keyscan/keyscan/fix"
)

// TestRunnerFileEndpoints: the files a CI job's task runner, build tool or
// S3 tool reads are RunnerFiles, and FileEndpoint finds the endpoint each
// sets (qa19 H2); s3cmd's --host counts only on a line that runs s3cmd.
func TestRunnerFileEndpoints(t *testing.T) {
	const minio = "http://minio.internal:9000"
	for _, c := range []struct {
		name, data string
		want       bool
	}{
		{"package.json", `{"scripts":{"upload":"aws --endpoint-url ` + minio + ` s3 cp dist s3://b"}}`, true},
		{"Taskfile.yml", "tasks:\n  upload:\n    cmds:\n      - aws --endpoint-url " + minio + " s3 sync dist s3://b\n", true},
		{"tox.ini", "[testenv:upload]\nsetenv =\n  AWS_ENDPOINT_URL = " + minio + "\n", true},
		{"scripts/upload.ps1", "$env:AWS_ENDPOINT_URL = \"" + minio + "\"\naws s3 sync dist s3://b\n", true},
		{"rclone.conf", "[minio]\ntype = s3\nendpoint = " + minio + "\n", true},
		{".s3cfg", "[default]\nhost_base = minio.internal:9000\n", true},
		{"main.tf", "terraform {\n  backend \"s3\" {\n    endpoints = { s3 = \"" + minio + "\" }\n  }\n}\n", true},
		{"ci.yml", "steps:\n  - run: s3cmd --host=minio.internal:9000 put dist s3://b\n", true},
		{"ci.yml", "steps:\n  - run: psql --host=db.internal -c 'select 1'\n", false},
		{"package.json", `{"scripts":{"upload":"aws s3 cp dist s3://b"}}`, false},
	} {
		got := fix.FileEndpoint(c.name, []byte(c.data))
		if (got != "") != c.want {
			t.Errorf("FileEndpoint(%s) = %q, want an endpoint: %v\n%s", c.name, got, c.want, c.data)
		}
		if c.name != "ci.yml" && !fix.RunnerFile(c.name) {
			t.Errorf("RunnerFile(%s) = false", c.name)
		}
	}
	for _, n := range []string{"README.md", "main.go", "values.yaml", ".env"} {
		if fix.RunnerFile(n) {
			t.Errorf("RunnerFile(%s) = true", n)
		}
	}
}
