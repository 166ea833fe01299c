package fix

import (
	"path"
	"strings"
)

// A CI job runs more than the project's scripts and programs: a task
// runner or build tool reads its tasks from a file of the project (npm's
// package.json scripts, a Taskfile, tox.ini, poe's tasks in
// pyproject.toml, a Rakefile, a Gradle build), PowerShell runs a .ps1,
// and an S3 tool of the job (rclone, s3cmd, Terraform's S3 backend) reads
// where it sends requests from its own configuration. Each may send the
// job's AWS_* variables to MinIO without naming them (qa19 H2), so a
// custom endpoint there keeps a pipeline's keys as a script's does. A
// Windows runner's batch files (.cmd, .bat: set AWS_ENDPOINT_URL=…) and
// Nx's targets (project.json, workspace.json) are such files too (qa21
// H4, M3).

// RunnerFile reports whether name is such a file: a task runner's or build
// tool's, a PowerShell or batch script, an S3 tool's configuration or
// Terraform's.
// FileEndpoint reads it for an endpoint.
func RunnerFile(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	switch b {
	case "package.json", "deno.json", "deno.jsonc", "composer.json",
		"taskfile.yml", "taskfile.yaml", "taskfile.dist.yml", "taskfile.dist.yaml",
		"tox.ini", "pyproject.toml", "setup.cfg", "noxfile.py",
		"rakefile", "build.gradle", "build.gradle.kts", "settings.gradle", "build.sbt", "pom.xml", "build.xml",
		"rclone.conf", ".s3cfg", "s3cfg", ".boto", "boto.cfg", "samconfig.toml", "serverless.yml", "serverless.yaml",
		"earthfile", "tiltfile", "magefile.go", "project.json", "workspace.json":
		return true
	}
	switch path.Ext(b) {
	case ".ps1", ".psm1", ".cmd", ".bat", ".rake", ".tf", ".tfvars", ".hcl", ".gradle", ".kts":
		return true
	}
	return false
}
