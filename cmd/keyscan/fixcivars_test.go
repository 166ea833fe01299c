package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixCIVariablesReadByScript checks fix22's find: a CI variable that
// a step or job script expands by name ($AWS_ACCESS_KEY_ID passed to mc
// alias set, ${{ env.AWS_SECRET_ACCESS_KEY }} given to docker run) keeps
// its keys, for a workflow's, a job's and a GitLab job's variables: without
// them the command gets an empty value (and the keys were another
// service's). A self-hosted job whose steps read no key by name is fixed.
func TestFixCIVariablesReadByScript(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c, d := fakekey.New(2201).Values(), fakekey.New(2202).Values(), fakekey.New(2203).Values(), fakekey.New(2204).Values()
	files := map[string]string{
		".github/workflows/backup.yml": "on: push\nenv:\n  AWS_ACCESS_KEY_ID: " + a["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + a["SECRET"] +
			"\njobs:\n  backup:\n    runs-on: [self-hosted, linux]\n    steps:\n" +
			"      - run: mc alias set store https://objects.example.net $AWS_ACCESS_KEY_ID \"${AWS_SECRET_ACCESS_KEY}\"\n",
		".github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    runs-on: self-hosted\n    env:\n      AWS_ACCESS_KEY_ID: " + b["ID"] +
			"\n      AWS_SECRET_ACCESS_KEY: " + b["SECRET"] + "\n    steps:\n" +
			"      - run: docker run -e KEY=${{ env.AWS_ACCESS_KEY_ID }} -e SECRET=${{ env.AWS_SECRET_ACCESS_KEY }} tool\n",
		".gitlab-ci.yml": "sync:\n  tags: [our-runner]\n  variables:\n    AWS_ACCESS_KEY_ID: " + c["ID"] + "\n    AWS_SECRET_ACCESS_KEY: " + c["SECRET"] +
			"\n  script:\n    - rclone sync out remote: --s3-access-key-id $AWS_ACCESS_KEY_ID --s3-secret-access-key $AWS_SECRET_ACCESS_KEY\n",
		".github/workflows/aws.yml": "on: push\njobs:\n  ship:\n    runs-on: self-hosted\n    env:\n      AWS_ACCESS_KEY_ID: " + d["ID"] +
			"\n      AWS_SECRET_ACCESS_KEY: " + d["SECRET"] + "\n    steps:\n      - run: aws s3 sync out s3://site\n",
	}
	dir := fixFolder(t, files, []string{
		// mc alias set with the server's address is itself a custom
		// endpoint (qa21 H4), which is what a person is told.
		"backup.yml:4:26: aws-secret-access-key",
		"the client talks to a custom endpoint (mc alias set store https://objects.example.net)",
		"the variable AWS_ACCESS_KEY_ID is read by .github/workflows/deploy.yml:9 (${{ env.AWS_ACCESS_KEY_ID }})",
		"the variable AWS_ACCESS_KEY_ID of the job sync is read by .gitlab-ci.yml:7 ($AWS_ACCESS_KEY_ID): without it that expands to an empty value",
	}, ".github/workflows/aws.yml")
	got, err := os.ReadFile(filepath.Join(dir, ".github/workflows/aws.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), d["ID"]) || !strings.Contains(string(got), "aws s3 sync") {
		t.Errorf("the job that reads no key by name is not fixed:\n%s", got)
	}
}

// TestFixCIVariablesReadOtherwise checks review15 C-6: a workflow's env
// read as ${{ env['NAME'] }}, by PowerShell ($env:NAME) or by cmd
// (%NAME%) on a self-hosted Windows runner is read as $NAME is: the keys
// stay. Those reads were not counted, and the step got empty values.
func TestFixCIVariablesReadOtherwise(t *testing.T) {
	requireKeyscanOnPath(t)
	wf := func(seed uint64, run string) string {
		k := fakekey.New(seed).Values()
		return "on: push\njobs:\n  sync:\n    runs-on: [self-hosted, windows]\n    env:\n      AWS_ACCESS_KEY_ID: " + k["ID"] +
			"\n      AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n    steps:\n      - run: " + run + "\n"
	}
	fixFolder(t, map[string]string{
		".github/workflows/index.yml": wf(2301, "backup-tool --key ${{ env['AWS_ACCESS_KEY_ID'] }} --secret ${{ env['AWS_SECRET_ACCESS_KEY'] }}"),
		".github/workflows/ps.yml":    wf(2302, "rclone sync out remote: --s3-access-key-id $env:AWS_ACCESS_KEY_ID --s3-secret-access-key $env:AWS_SECRET_ACCESS_KEY"),
		".github/workflows/cmd.yml":   wf(2303, "rclone sync out remote: --s3-access-key-id %AWS_ACCESS_KEY_ID% --s3-secret-access-key %AWS_SECRET_ACCESS_KEY%"),
	}, []string{
		"the variable AWS_ACCESS_KEY_ID is read by .github/workflows/index.yml:9 (${{ env['AWS_ACCESS_KEY_ID'] }})",
		"the variable AWS_ACCESS_KEY_ID is read by .github/workflows/ps.yml:9 ($env:AWS_ACCESS_KEY_ID)",
		"the variable AWS_ACCESS_KEY_ID is read by .github/workflows/cmd.yml:9 (%AWS_ACCESS_KEY_ID%)",
	})
}

// TestFixCIVariablesReadInOtherFiles checks fix23's item: a CI job's
// variables read by a file it runs were matched in the same file only. A
// self-hosted workflow's env: read by ./scripts/deploy.sh (mc alias set
// with $AWS_ACCESS_KEY_ID: MinIO's keys) and a GitLab variable read by a
// job of an included file were removed, leaving the command empty
// values. A workflow whose job only runs the AWS CLI is still fixed.
func TestFixCIVariablesReadInOtherFiles(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(2361).Values(), fakekey.New(2362).Values(), fakekey.New(2363).Values()
	env := func(k map[string]string, indent string) string {
		return indent + "AWS_ACCESS_KEY_ID: " + k["ID"] + "\n" + indent + "AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	dir := fixFolder(t, map[string]string{
		"gh/.github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    runs-on: [self-hosted, linux]\n    env:\n" + env(a, "      ") +
			"    steps:\n      - uses: actions/checkout@v4\n      - run: ./scripts/deploy.sh\n",
		"gh/scripts/deploy.sh": "#!/bin/sh\nbackup-tool --key \"$AWS_ACCESS_KEY_ID\" --secret \"$AWS_SECRET_ACCESS_KEY\"\nbackup-tool push build/\n",
		"gl/.gitlab-ci.yml":    "include:\n  - local: ci/deploy.yml\nvariables:\n" + env(b, "  "),
		"gl/ci/deploy.yml": "deploy:\n  tags: [my-runner]\n  script:\n" +
			"    - rclone --s3-access-key-id $AWS_ACCESS_KEY_ID --s3-secret-access-key $AWS_SECRET_ACCESS_KEY sync public remote:site\n",
		"cli/.github/workflows/sync.yml": "on: push\njobs:\n  sync:\n    runs-on: [self-hosted]\n    env:\n" + env(c, "      ") +
			"    steps:\n      - run: aws s3 sync public s3://site\n",
	}, []string{
		"gh/.github/workflows/deploy.yml:6:26: aws-access-key-id",
		"is read by gh/scripts/deploy.sh:2 ($AWS_ACCESS_KEY_ID)",
		"is read by gl/ci/deploy.yml:4 ($AWS_ACCESS_KEY_ID)",
	}, "cli/.github/workflows/sync.yml")
	if got, _ := os.ReadFile(filepath.Join(dir, "cli/.github/workflows/sync.yml")); strings.Contains(string(got), "AWS_ACCESS_KEY_ID") {
		t.Errorf("the workflow that only runs the AWS CLI kept its keys:\n%s", got)
	}
}

// TestFixCIVariablesReadByShebangScript checks review16 B F2: a script with
// no extension that a job runs (`- run: ./scripts/deploy`, starting with
// #!) and a Procfile read the job's variables as deploy.sh does. They
// were never read, so the workflow's keys were removed from under mc alias
// set "$AWS_ACCESS_KEY_ID". A file with no extension and no #! reads
// nothing: the job that runs only the AWS CLI is still fixed.
func TestFixCIVariablesReadByShebangScript(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(2461).Values(), fakekey.New(2462).Values(), fakekey.New(2463).Values()
	wf := func(k map[string]string, run string) string {
		return "on: push\njobs:\n  deploy:\n    runs-on: self-hosted\n    env:\n      AWS_ACCESS_KEY_ID: " + k["ID"] +
			"\n      AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n    steps:\n      - uses: actions/checkout@v4\n      - run: " + run + "\n"
	}
	dir := fixFolder(t, map[string]string{
		"sh/.github/workflows/deploy.yml": wf(a, "./scripts/deploy"),
		"sh/scripts/deploy":               "#!/bin/sh\nbackup-tool --key \"$AWS_ACCESS_KEY_ID\" --secret \"$AWS_SECRET_ACCESS_KEY\"\nbackup-tool push build/\n",
		"pf/.github/workflows/run.yml":    wf(b, "honcho start sync"),
		"pf/Procfile":                     "sync: rclone --s3-access-key-id $AWS_ACCESS_KEY_ID --s3-secret-access-key $AWS_SECRET_ACCESS_KEY sync out remote:site\n",
		"cli/.github/workflows/sync.yml":  wf(c, "aws s3 sync public s3://site"),
		"cli/NOTES":                       "mc alias set store https://files.example.net \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\"\n",
	}, []string{
		"sh/.github/workflows/deploy.yml:6:26: aws-access-key-id",
		"is read by sh/scripts/deploy:2 ($AWS_ACCESS_KEY_ID)",
		"is read by pf/Procfile:1 ($AWS_ACCESS_KEY_ID)",
	}, "cli/.github/workflows/sync.yml")
	if got, _ := os.ReadFile(filepath.Join(dir, "cli/.github/workflows/sync.yml")); strings.Contains(string(got), "AWS_ACCESS_KEY_ID") {
		t.Errorf("the workflow whose folder has only a note with no #! kept its keys:\n%s", got)
	}
}

// TestFixCIJobRunsEndpointScript checks qa18 H3: a self-hosted job's keys
// stay when a script, Makefile or program of the pipeline's project sets a
// custom endpoint (the job may run it, and the AWS CLI and the SDKs read
// the job's variables without naming them: after the fix, the upload to
// MinIO would be signed with the runner's instance role), for a workflow
// and a GitLab job; a project whose scripts set none is fixed.
func TestFixCIJobRunsEndpointScript(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c, d := fakekey.New(2211).Values(), fakekey.New(2212).Values(), fakekey.New(2213).Values(), fakekey.New(2214).Values()
	job := func(keys map[string]string, run string) string {
		return "on: push\njobs:\n  upload:\n    runs-on: [self-hosted, linux]\n    env:\n      AWS_ACCESS_KEY_ID: " + keys["ID"] +
			"\n      AWS_SECRET_ACCESS_KEY: " + keys["SECRET"] + "\n    steps:\n      - uses: actions/checkout@v4\n      - run: " + run + "\n"
	}
	files := map[string]string{
		"sh/.github/workflows/ci.yml": job(a, "./scripts/upload"),
		"sh/scripts/upload":           "#!/bin/sh\nset -e\naws --endpoint-url http://minio.internal:9000 s3 cp dist.tgz s3://builds/\n",
		"py/.gitlab-ci.yml": "upload:\n  tags: [ec2]\n  variables:\n    AWS_ACCESS_KEY_ID: " + b["ID"] + "\n    AWS_SECRET_ACCESS_KEY: " + b["SECRET"] +
			"\n  script:\n    - python tools/upload.py\n",
		"py/tools/upload.py":             "import boto3\ns3 = boto3.client(\"s3\", endpoint_url=\"http://minio.internal:9000\")\ns3.upload_file(\"a\", \"b\", \"c\")\n",
		"mk/.github/workflows/ci.yml":    job(c, "make upload"),
		"mk/Makefile":                    "upload:\n\taws --endpoint-url http://minio.internal:9000 s3 cp dist.tgz s3://builds/\n",
		"plain/.github/workflows/ci.yml": job(d, "./scripts/upload"),
		"plain/scripts/upload":           "#!/bin/sh\naws s3 cp dist.tgz s3://builds/\n",
	}
	dir := fixFolder(t, files, []string{
		"sh/scripts/upload sets a custom endpoint",
		"py/tools/upload.py sets a custom endpoint",
		"mk/Makefile sets a custom endpoint",
	}, "plain/.github/workflows/ci.yml")
	got, err := os.ReadFile(filepath.Join(dir, "plain/.github/workflows/ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), d["ID"]) {
		t.Errorf("the job whose project sets no endpoint is not fixed:\n%s", got)
	}
}

// TestFixCIJobRunsRunnerFile checks qa19 H2: a job's keys stay when the
// endpoint is set where the job's task runner, build tool or S3 tool reads
// it (package.json scripts, a Taskfile, tox.ini, poe's tasks, a Rakefile,
// a Gradle build, a PowerShell script, rclone.conf, .s3cfg, a Terraform S3
// backend), or by s3cmd's --host in the job's own step.
func TestFixCIJobRunsRunnerFile(t *testing.T) {
	requireKeyscanOnPath(t)
	const minio = "http://minio.internal:9000"
	runners := map[string][2]string{ // project: run step, file=content
		"npm":    {"npm run upload", "package.json=" + `{"name":"x","scripts":{"upload":"aws --endpoint-url ` + minio + ` s3 cp dist s3://b --recursive"}}`},
		"task":   {"task upload", "Taskfile.yml=version: 3\ntasks:\n  upload:\n    cmds:\n      - aws --endpoint-url " + minio + " s3 sync dist s3://b\n"},
		"poe":    {"poe upload", "pyproject.toml=[tool.poe.tasks]\nupload = \"aws --endpoint-url " + minio + " s3 sync dist s3://b\"\n"},
		"tox":    {"tox -e upload", "tox.ini=[testenv:upload]\nsetenv =\n  AWS_ENDPOINT_URL = " + minio + "\ncommands = python -m upload\n"},
		"rake":   {"rake upload", "Rakefile=task :upload do\n  sh \"aws --endpoint-url " + minio + " s3 sync dist s3://b\"\nend\n"},
		"gradle": {"./gradlew upload", "build.gradle=" + `tasks.register("upload", Exec) { commandLine "aws", "--endpoint-url", "` + minio + `", "s3", "sync", "dist", "s3://b" }` + "\n"},
		"ps1":    {"pwsh ./scripts/upload.ps1", "scripts/upload.ps1=$env:AWS_ENDPOINT_URL = \"" + minio + "\"\naws s3 sync dist s3://b\n"},
		"rclone": {"rclone --config rclone.conf copy dist minio:b", "rclone.conf=[minio]\ntype = s3\nprovider = Minio\nendpoint = " + minio + "\nenv_auth = true\n"},
		"s3cfg":  {"s3cmd -c .s3cfg put dist s3://b", ".s3cfg=[default]\nhost_base = minio.internal:9000\nhost_bucket = minio.internal:9000\n"},
		"s3flag": {"s3cmd --host=minio.internal:9000 --host-bucket=minio.internal:9000 put dist s3://b", ""},
		"tf":     {"terraform init && terraform apply -auto-approve", "main.tf=terraform {\n  backend \"s3\" {\n    bucket = \"tf\"\n    key = \"state\"\n    endpoints = { s3 = \"" + minio + "\" }\n    use_path_style = true\n  }\n}\n"},
		// qa21 H4: MinIO's client given the keys by a package.json
		// script; a Windows runner's batch file; M3: an Nx target, the
		// AWS SDK for C++, a Vue and a Svelte component.
		"mc":     {"npm run upload", "package.json=" + `{"scripts":{"upload":"mc alias set store ` + minio + ` $AWS_ACCESS_KEY_ID $AWS_SECRET_ACCESS_KEY && mc cp -r dist store/site"}}`},
		"mchost": {"npm run upload", "package.json=" + `{"scripts":{"upload":"mc config host add store ` + minio + ` $AWS_ACCESS_KEY_ID $AWS_SECRET_ACCESS_KEY"}}`},
		"cmd":    {"upload.cmd", "upload.cmd=@echo off\r\nset AWS_ENDPOINT_URL=" + minio + "\r\nnode upload.js\r\n"},
		"bat":    {"call scripts\\upload.bat", "scripts/upload.bat=set \"AWS_ENDPOINT_URL=" + minio + "\"\r\naws s3 sync dist s3://b\r\n"},
		"nx":     {"npx nx run web:upload", "apps/web/project.json=" + `{"targets":{"upload":{"executor":"nx:run-commands","options":{"command":"aws s3 sync dist s3://site --endpoint-url ` + minio + `"}}}}`},
		"cpp":    {"make && ./upload", "src/upload.cpp=#include <aws/s3/S3Client.h>\nint main() {\n  Aws::Client::ClientConfiguration cfg;\n  cfg.endpointOverride = \"minio.internal:9000\";\n}\n"},
		"vue":    {"npm run build", "src/Upload.vue=<script setup>\nimport { S3Client } from '@aws-sdk/client-s3'\nconst s3 = new S3Client({ endpoint: '" + minio + "', forcePathStyle: true })\n</script>\n"},
		"svelte": {"npm run build", "src/Upload.svelte=<script>\nimport * as Minio from 'minio'\nconst c = new Minio.Client({ endPoint: 'minio.internal', port: 9000, useSSL: false })\n</script>\n"},
	}
	files := map[string]string{}
	seed := uint64(2300)
	for project, r := range runners {
		seed++
		k := fakekey.New(seed).Values()
		files[project+"/.github/workflows/ci.yml"] = "on: push\njobs:\n  upload:\n    runs-on: self-hosted\n    env:\n      AWS_ACCESS_KEY_ID: " + k["ID"] +
			"\n      AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n    steps:\n      - uses: actions/checkout@v4\n      - run: " + r[0] + "\n"
		if name, content, ok := strings.Cut(r[1], "="); ok {
			files[project+"/"+name] = content
		}
	}
	fixFolder(t, files, []string{"package.json sets a custom endpoint", "rclone.conf sets a custom endpoint", "main.tf sets a custom endpoint",
		"mc alias set store " + minio, "mc config host add store " + minio, "upload.cmd sets a custom endpoint",
		"upload.bat sets a custom endpoint", "project.json sets a custom endpoint", "upload.cpp sets a custom endpoint",
		"Upload.vue sets a custom endpoint", "Upload.svelte sets a custom endpoint"})
}

// TestFixDotenvRunByService checks qa21 H2 and qa22 H2: a .env file's keys
// stay when the systemd unit (or its drop-in, a Quadlet unit, an Upstart
// job) or supervisord program that runs its program sets a custom endpoint
// in its own environment settings (Environment=NAME=URL,
// environment=NAME=URL,...) or in another environment file it loads,
// wherever below the .env's folder the unit is kept; a unit that sets none
// leaves the fix to go on.
func TestFixDotenvRunByService(t *testing.T) {
	requireKeyscanOnPath(t)
	const minio = "http://minio.internal:9000"
	units := map[string]string{
		"systemd/app.service":            "[Unit]\nDescription=uploader\n[Service]\nEnvironmentFile=/srv/app/.env\nEnvironment=AWS_ENDPOINT_URL=" + minio + "\nExecStart=/usr/bin/python3 app.py\n",
		"app.conf":                       "[Service]\nEnvironmentFile=/srv/app/.env\nEnvironment=AWS_ENDPOINT_URL=" + minio + "\n",
		"ops/deploy/app.service":         "[Service]\nEnvironment=\"LANG=C\" \"AWS_ENDPOINT_URL=" + minio + "\"\n",
		"ops/supervisor/conf.d/app.conf": "[program:app]\ncommand=python app.py\nenvironment=LANG=\"C\",AWS_ENDPOINT_URL=" + minio + "\n",
		// qa22 H2: a drop-in (systemctl edit), a Podman Quadlet unit, an
		// Upstart job, and a second environment file the unit loads
		"deploy/app.service.d/override.conf": "[Service]\nEnvironment=AWS_ENDPOINT_URL=" + minio + "\n",
		"deploy/app.container":               "[Container]\nImage=registry.local/app\nEnvironmentFile=/srv/app/.env\nEnvironment=AWS_ENDPOINT_URL=" + minio + "\n",
		"etc/init/app.conf":                  "description \"app\"\nenv AWS_ENDPOINT_URL=" + minio + "\nexec /srv/app/bin/app\n",
		"deploy/two.service":                 "[Service]\nEnvironmentFile=/srv/app/.env\nEnvironmentFile=-/srv/app/deploy/minio.env\nExecStart=/srv/app/bin/app\n",
	}
	files := map[string]string{}
	seed := uint64(2330)
	for u, content := range units {
		seed++
		k := fakekey.New(seed).Values()
		p := strings.ReplaceAll(u, "/", "_") + "/"
		files[p+".env"] = "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
		files[p+"app.py"] = "import boto3\ns3 = boto3.client(\"s3\")\n"
		files[p+u] = content
	}
	files["deploy_two.service/deploy/minio.env"] = "AWS_ENDPOINT_URL=" + minio + "\n"
	k := fakekey.New(2339).Values()
	files["plain/.env"] = "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	files["plain/app.py"] = "import boto3\ns3 = boto3.client(\"s3\")\n"
	files["plain/deploy/app.service"] = "[Service]\nEnvironmentFile=/srv/app/.env\nEnvironmentFile=/srv/app/deploy/plain.env\nEnvironment=AWS_REGION=eu-west-1\n"
	files["plain/deploy/plain.env"] = "LANG=C\n"
	dir := fixFolder(t, files, []string{"app.service, a configuration file beside this one, sets AWS_ENDPOINT_URL = " + minio,
		"minio.env (loaded by deploy_two.service/deploy/two.service), a configuration file beside this one"}, "plain/.env")
	if got, _ := os.ReadFile(filepath.Join(dir, "plain", ".env")); strings.Contains(string(got), k["SECRET"]) {
		t.Errorf("plain/.env kept its keys, though its unit sets no endpoint:\n%s", got)
	}
}
