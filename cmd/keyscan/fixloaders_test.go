package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"gopkg.in/yaml.v3"
)

// TestFixScriptLoadsDotenv checks qa15 HIGH-19: the keys of a .env file
// stay when a shell script or Makefile that may load it (docker run
// --env-file, `set -a; . ./.env`, include .env) sets a custom endpoint for
// what it runs: in the file's folder, below it, or elsewhere naming its
// path; a script without a #! line or an extension is no script. A
// Makefile without an endpoint is a control that is fixed, and make still
// reads the rewritten .env it includes.
func TestFixScriptLoadsDotenv(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2101).Values()
	env := "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\nAWS_DEFAULT_REGION=us-east-1\n"
	files := map[string]string{
		"a/.env":         env,
		"a/run.sh":       "#!/bin/sh\ndocker run --rm --env-file .env -e AWS_ENDPOINT_URL=http://minio:9000 --network storage app:latest\n",
		"b/.env":         env,
		"b/Makefile":     "include .env\nexport\n\nbucket:\n\taws --endpoint-url=http://localhost:4566 s3 mb s3://uploads\n",
		"c/.env":         env,
		"c/bin/setup":    "#!/bin/bash\nset -a\n. ../.env\nset +a\nexport AWS_ENDPOINT_URL=http://localhost:4566\naws s3 mb s3://uploads\n",
		"d/config/.env":  env,
		"d/scripts/dev":  "#!/bin/sh\nexport $(grep -v '^#' ../config/.env | xargs)\nexec ./app --s3-endpoint http://minio.local:9000\n",
		"e/.env":         env,
		"e/NOTES":        "AWS_ENDPOINT_URL=http://minio:9000 is what the old setup used\n",
		"e/Makefile":     "include .env\nexport\n\nsync:\n\taws s3 sync dist s3://site\n",
		"f/.env":         env,
		"f/Taskfile.yml": "version: '3'\ndotenv: ['.env']\ntasks:\n  up:\n    cmds:\n      - aws --endpoint-url http://localhost:4566 s3 mb s3://x\n",
		"g/.env":         env,
		"g/Procfile":     "web: aws --endpoint-url=http://localhost:4566 s3 ls\n",
		"h/.env":         env,
		"h/ci.yml":       "jobs:\n  it:\n    steps:\n      - run: docker run --env-file .env.example -e AWS_ENDPOINT_URL=http://minio:9000 app\n",
	}
	dir := fixFolder(t, files, []string{
		"a/run.sh sets a custom endpoint (AWS_ENDPOINT_URL = http://minio:9000)",
		"b/Makefile sets a custom endpoint (--endpoint-url=http://localhost:4566)",
		"c/bin/setup sets a custom endpoint",
		"d/scripts/dev, which names d/config/.env, sets a custom endpoint (--s3-endpoint http://minio.local:9000)",
		"f/Taskfile.yml sets a custom endpoint (--endpoint-url http://localhost:4566)",
		"g/Procfile sets a custom endpoint",
		"rewrote e/.env", "rewrote h/.env",
	}, "e/.env", "h/.env")
	got, _ := os.ReadFile(filepath.Join(dir, "e/.env"))
	if strings.Contains(string(got), k["ID"]) {
		t.Errorf("e/.env keeps its keys:\n%s", got)
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Log("make is not installed: the rewritten Makefile include is not checked")
		return
	}
	if out, err := exec.Command("make", "-n", "-C", filepath.Join(dir, "e"), "sync").CombinedOutput(); err != nil {
		t.Errorf("make -n after the fix: %v\n%s", err, out)
	}
}

// TestFixSettingsReadByName checks qa15 HIGH-18: a setting that
// application code of the run reads by name stays, naming the reader
// nearest to it: Spring's @Value("${aws.accessKey}") and
// @ConfigurationProperties(prefix = "aws") (relaxed names), a plain
// Properties.getProperty, node-config's config.get and a property chain,
// .NET's Configuration["AWS:AccessKey"] and GetSection("AWS"), Django's
// os.environ["NAME"] and django-environ's env("NAME") over a .env of the
// code's folder or above, Ruby's ENV.fetch without a default. A soft
// reader (os.getenv, ENV.fetch with a block) is a control that is fixed.
// The real python (with python-dotenv, when installed) and java run the
// programs after --write: they still start.
func TestFixSettingsReadByName(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2102).Values()
	id, sec := k["ID"], k["SECRET"]
	env := "AWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + sec + "\n"
	files := map[string]string{
		"spring/src/main/resources/application.yml": "server:\n  port: 8080\naws:\n  access-key: " + id + "\n  secret-key: " + sec + "\n",
		"spring/src/main/java/app/S3Config.java": "package app;\n\nclass S3Config {\n    @Value(\"${aws.accessKey}\")\n    String accessKey;\n" +
			"    @Value(\"${aws.secretKey:}\")\n    String secretKey;\n}\n",
		"kt/src/main/resources/application-prod.properties": "aws.accessKeyId=" + id + "\naws.secretAccessKey=" + sec + "\n",
		"kt/src/main/kotlin/AwsProps.kt":                    "@ConfigurationProperties(prefix = \"aws\")\ndata class AwsProps(val accessKeyId: String, val secretAccessKey: String)\n",
		"plain/app.properties":                              "aws.accessKey=" + id + "\naws.secretKey=" + sec + "\n",
		"plain/Main.java": "import java.io.FileReader;\nimport java.util.Objects;\nimport java.util.Properties;\n\npublic class Main {\n" +
			"    public static void main(String[] a) throws Exception {\n        Properties p = new Properties();\n" +
			"        p.load(new FileReader(\"app.properties\"));\n        Objects.requireNonNull(p.getProperty(\"aws.accessKey\"), \"aws.accessKey\");\n" +
			"        Objects.requireNonNull(p.getProperty(\"aws.secretKey\"), \"aws.secretKey\");\n    }\n}\n",
		"node/config/default.json":         "{\n  \"aws\": {\n    \"region\": \"us-east-1\",\n    \"accessKeyId\": \"" + id + "\",\n    \"secretAccessKey\": \"" + sec + "\"\n  }\n}\n",
		"node/app.js":                      "const config = require(\"config\");\nmodule.exports = { id: config.get(\"aws.accessKeyId\"), secret: config.get('aws.secretAccessKey') };\n",
		"node2/config/production.json":     "{\"aws\": {\"accessKeyId\": \"" + id + "\", \"secretAccessKey\": \"" + sec + "\"}}\n",
		"node2/app.js":                     "const config = require(\"config\");\nconst creds = config.aws;\n",
		"net/appsettings.json":             "{\n  \"AWS\": {\n    \"AccessKey\": \"" + id + "\",\n    \"SecretKey\": \"" + sec + "\"\n  }\n}\n",
		"net/Program.cs":                   "var c = new BasicAWSCredentials(builder.Configuration[\"AWS:AccessKey\"], builder.Configuration[\"AWS:SecretKey\"]);\n",
		"net2/appsettings.Production.json": "{\"Aws\": {\"AccessKey\": \"" + id + "\", \"SecretKey\": \"" + sec + "\"}}\n",
		"net2/Startup.cs":                  "services.Configure<AwsOptions>(Configuration.GetSection(\"AWS\"));\n",
		"dj/.env":                          env,
		"dj/proj/settings.py": "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\nAWS_ACCESS_KEY_ID = os.environ[\"AWS_ACCESS_KEY_ID\"]\n" +
			"AWS_SECRET_ACCESS_KEY = os.environ['AWS_SECRET_ACCESS_KEY']\n",
		"dj2/.env":                               env,
		"dj2/settings.py":                        "import environ\nenv = environ.Env()\nAWS_ACCESS_KEY_ID = env(\"AWS_ACCESS_KEY_ID\")\nAWS_SECRET_ACCESS_KEY = env.str(\"AWS_SECRET_ACCESS_KEY\")\n",
		"rb/.env":                                env,
		"rb/config/initializers/aws.rb":          "Aws.config.update(credentials: Aws::Credentials.new(ENV.fetch(\"AWS_ACCESS_KEY_ID\"), ENV.fetch('AWS_SECRET_ACCESS_KEY')))\n",
		"soft/.env":                              env,
		"soft/app.py":                            "import os\nimport boto3\n\ns3 = boto3.client(\"s3\", aws_access_key_id=os.getenv(\"AWS_ACCESS_KEY_ID\"), aws_secret_access_key=os.environ.get(\"AWS_SECRET_ACCESS_KEY\"))\n",
		"pyd/.env":                               env,
		"pyd/settings.py":                        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    aws_access_key_id: str\n    aws_secret_access_key: str\n    log_level: str = \"info\"\n",
		"pydsoft/.env":                           env,
		"pydsoft/settings.py":                    "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    aws_access_key_id: str = \"\"\n    aws_secret_access_key: str | None = None\n",
		"envalid/.env":                           env,
		"envalid/env.js":                         "const { cleanEnv, str } = require(\"envalid\");\nmodule.exports = cleanEnv(process.env, {\n  AWS_ACCESS_KEY_ID: str(),\n  AWS_SECRET_ACCESS_KEY: str(),\n});\n",
		"zod/.env":                               env,
		"zod/env.ts":                             "import { z } from \"zod\";\nexport const env = z.object({\n  AWS_ACCESS_KEY_ID: z.string().min(16),\n  AWS_SECRET_ACCESS_KEY: z.string().min(40),\n}).parse(process.env);\n",
		"goenv/.env":                             env,
		"goenv/config.go":                        "package config\n\ntype Config struct {\n\tAccessKeyID string `envconfig:\"AWS_ACCESS_KEY_ID\" required:\"true\"`\n\tSecretAccessKey string `env:\"AWS_SECRET_ACCESS_KEY,required\"`\n}\n",
		"softrb/.env":                            env,
		"softrb/app.rb":                          "id = ENV.fetch(\"AWS_ACCESS_KEY_ID\") { nil }\nsecret = ENV[\"AWS_SECRET_ACCESS_KEY\"]\n",
		"other/config.json":                      "{\"AWS_ACCESS_KEY_ID\": \"" + id + "\", \"AWS_SECRET_ACCESS_KEY\": \"" + sec + "\"}\n",
		"yml/config.yml":                         "aws:\n  access_key: " + id + "\n  secret_key: " + sec + "\n",
		"yml/app.py":                             "import yaml\n\ncfg = yaml.safe_load(open(\"config.yml\"))\nkey = cfg[\"aws\"][\"access_key\"]\nsecret = cfg.get(\"aws\", {}).get(\"secret_key\")\n",
		"ktn/src/main/resources/application.yml": "aws:\n  access-key: " + id + "\n  secret-key: " + sec + "\n",
		"ktn/src/main/kotlin/S3.kt":              "class S3(@Value(\"\\${AWS_KEY:\\${aws.access-key}}\") val k: String, @Value(\"\\${aws.secret-key}\") val s: String)\n",
		"other/run.py":                           "import os\nprint(os.environ[\"AWS_ACCESS_KEY_ID\"], os.environ.get(\"AWS_SECRET_ACCESS_KEY\"))\n",
	}
	dir := fixFolder(t, files, []string{
		"the setting aws.access-key is read by name by spring/src/main/java/app/S3Config.java:4 (${aws.accessKey})",
		"the setting aws.secret-key is read by name by spring/src/main/java/app/S3Config.java:6 (${aws.secretKey:})",
		"the setting aws.accessKeyId is read by name by kt/src/main/kotlin/AwsProps.kt:1 (@ConfigurationProperties(prefix = \"aws\")",
		"the setting aws.accessKey is read by name by plain/Main.java:9",
		"the setting aws.accessKeyId is read by name by node/app.js:2 (\"aws.accessKeyId\")",
		"the setting aws.secretAccessKey is read by name by node2/app.js:2 (config.aws)",
		"the setting AWS.AccessKey is read by name by net/Program.cs:1 (\"AWS:AccessKey\")",
		"the setting Aws.SecretKey is read by name by net2/Startup.cs:1 (GetSection(\"AWS\")",
		"the variable AWS_ACCESS_KEY_ID is read by name by dj/proj/settings.py:5 (environ[\"AWS_ACCESS_KEY_ID\"])",
		"the variable AWS_SECRET_ACCESS_KEY is read by name by dj2/settings.py:4 (env.str(\"AWS_SECRET_ACCESS_KEY\"))",
		"the variable AWS_SECRET_ACCESS_KEY is read by name by rb/config/initializers/aws.rb:1 (ENV.fetch('AWS_SECRET_ACCESS_KEY'))",
		"the setting aws.access_key is read by name by yml/app.py:4 ([\"aws\"][\"access_key\"])",
		"the setting aws.secret_key is read by name by yml/app.py:5 (.get(\"aws\", {}).get(\"secret_key\"))",
		"the setting aws.access-key is read by name by ktn/src/main/kotlin/S3.kt:1 (${aws.access-key})",
		"the variable AWS_SECRET_ACCESS_KEY is read by name by pyd/settings.py:5 (aws_secret_access_key: str (pydantic-settings))",
		"the variable AWS_ACCESS_KEY_ID is read by name by envalid/env.js:3 (AWS_ACCESS_KEY_ID: str() (envalid))",
		"the variable AWS_SECRET_ACCESS_KEY is read by name by zod/env.ts:4 (AWS_SECRET_ACCESS_KEY: z.string().min(40) (zod))",
		"the variable AWS_ACCESS_KEY_ID is read by name by goenv/config.go:4",
		"rewrote soft/.env", "rewrote softrb/.env", "rewrote other/config.json", "rewrote pydsoft/.env",
	}, "soft/.env", "softrb/.env", "other/config.json", "pydsoft/.env")
	for _, n := range []string{"soft/.env", "softrb/.env", "other/config.json", "pydsoft/.env"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); strings.Contains(string(got), id) {
			t.Errorf("%s keeps its keys:\n%s", n, got)
		}
	}
	if _, err := exec.LookPath("java"); err == nil {
		cmd := exec.Command("java", "Main.java") // the source launcher compiles and runs it
		cmd.Dir = filepath.Join(dir, "plain")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("java Main.java after the fix: %v\n%s", err, out)
		}
	} else {
		t.Log("java is not installed: plain/Main.java is not run")
	}
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import dotenv").Run() != nil {
		t.Log("python3 with python-dotenv is not installed: dj/proj/settings.py is not run")
		return
	}
	cmd := exec.Command(py, "-c", "import settings")
	cmd.Dir = filepath.Join(dir, "dj", "proj")
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=")
	cmd.Env = slices.DeleteFunc(cmd.Env, func(s string) bool { return strings.HasPrefix(s, "AWS_") })
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("python3 settings.py after the fix: %v\n%s", err, out)
	}
}

// TestFixMountedCredentials checks qa15 HIGH-20: a credentials file that
// a compose service mounts (a bind mount of it or a folder above it, short
// or long syntax, ${PWD}; a secret or config with file:) or that an image
// copies in (COPY, the Dockerfile's own folder or a compose build context)
// keeps its keys when that service or image sets a custom endpoint (in
// its environment, its override, the Dockerfile's ENV) or the project runs
// an S3-compatible service. A file mounted by a service of a project
// without either is a control that is fixed.
func TestFixMountedCredentials(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2103).Values()
	creds := "[default]\naws_access_key_id = " + k["ID"] + "\naws_secret_access_key = " + k["SECRET"] + "\n"
	files := map[string]string{
		"a/.aws/credentials": creds,
		"a/compose.yaml": "services:\n  app:\n    image: app\n    volumes:\n      - ./.aws:/root/.aws:ro\n    environment:\n" +
			"      AWS_ENDPOINT_URL: http://minio:9000\n",
		"b/sec/aws-credentials": creds,
		"b/compose.yaml": "services:\n  worker:\n    image: worker\n    secrets: [aws_creds]\n  store:\n    image: quay.io/minio/minio\n" +
			"secrets:\n  aws_creds:\n    file: ./sec/aws-credentials\n",
		"c/conf/aws/credentials": creds,
		"c/docker-compose.yml": "services:\n  app:\n    image: app\n    volumes:\n      - type: bind\n        source: ${PWD}/conf\n" +
			"        target: /etc/app\n    configs:\n      - source: x\n        target: /x\nconfigs:\n  x:\n    file: ./conf/x.ini\n",
		"c/docker-compose.override.yml": "services:\n  app:\n    environment:\n      - AWS_ENDPOINT_URL_S3=http://ceph.local:7480\n",
		"d/.aws/credentials":            creds,
		"d/Dockerfile":                  "FROM python:3.12\nCOPY [\".aws\", \"/root/.aws\"]\nENV AWS_ENDPOINT_URL=http://minio.internal:9000\n",
		"e/config/aws/credentials":      creds,
		"e/docker/app.Dockerfile":       "FROM python:3.12\nCOPY config/aws/* \\\n  /root/.aws/\n",
		"e/compose.yaml": "services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app.Dockerfile\n    environment:\n" +
			"      S3_URL: http://storage.internal:9000\n",
		"f/.aws/credentials": creds,
		"f/compose.yaml":     "services:\n  app:\n    image: app\n    volumes:\n      - ./.aws:/root/.aws:ro\n",
	}
	dir := fixFolder(t, files, []string{
		"a/.aws/credentials:2:", "AWS_ENDPOINT_URL = http://minio:9000 in a/compose.yaml, the service app, which mounts this file (volumes: ./.aws)",
		"b/sec/aws-credentials:2:", "quay.io/minio/minio (the service store)",
		"c/conf/aws/credentials:2:", "AWS_ENDPOINT_URL_S3 = http://ceph.local:7480",
		"d/.aws/credentials:2:", "AWS_ENDPOINT_URL = http://minio.internal:9000 in d/Dockerfile, which copies this file into the image (COPY .aws)",
		"e/config/aws/credentials:2:", "the service app, whose image holds this file (COPY)",
		"rewrote f/.aws/credentials",
	}, "f/.aws/credentials")
	if got, _ := os.ReadFile(filepath.Join(dir, "f/.aws/credentials")); strings.Contains(string(got), k["ID"]) {
		t.Errorf("f/.aws/credentials keeps its keys:\n%s", got)
	}
}

// TestFixGitlabTemplateVariables checks qa15 HIGH-21: the variables of a
// GitLab CI template job stay when a job takes them (extends:, along a
// chain and from another file of the run; !reference; a YAML alias) and
// sets a custom endpoint, itself or through a template it extends; a
// !reference to a variable is a reader even without an endpoint (GitLab
// refuses a pipeline whose !reference names a missing variable); the
// top-level variables: stay when any job sets one. A template whose jobs
// set no endpoint is a control that is fixed, and after --write every
// !reference of the run still names a variable that exists.
func TestFixGitlabTemplateVariables(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2104).Values()
	vars := "    AWS_ACCESS_KEY_ID: " + k["ID"] + "\n    AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	files := map[string]string{
		"a/.gitlab-ci.yml": ".aws-creds:\n  tags: [ours]\n  variables:\n" + vars + "\n.minio:\n  extends: .aws-creds\n  variables:\n" +
			"    AWS_ENDPOINT_URL: http://minio.ci:9000\n\nintegration:\n  extends: [.base, .minio]\n  tags: [ours]\n  script:\n    - pytest\n",
		"b/.gitlab/ci/templates.yml": ".aws-creds:\n  tags: [ours]\n  variables:\n" + vars,
		"b/.gitlab-ci.yml": "include:\n  - local: .gitlab/ci/templates.yml\n\ndeploy:\n  tags: [ours]\n  variables:\n" +
			"    AWS_ACCESS_KEY_ID: !reference [.aws-creds, variables, AWS_ACCESS_KEY_ID]\n" +
			"    AWS_SECRET_ACCESS_KEY: !reference [.aws-creds, variables, AWS_SECRET_ACCESS_KEY]\n  script:\n    - aws s3 sync dist s3://site\n",
		"c/.gitlab-ci.yml": ".creds: &creds\n  AWS_ACCESS_KEY_ID: " + k["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n\n.tmpl:\n  tags: [ours]\n" +
			"  variables:\n    <<: *creds\n    S3_HOST: ceph-rgw.local:7480\n\nsync:\n  extends: .tmpl\n  script:\n    - ./sync.sh\n",
		"d/.gitlab-ci.yml": "variables:\n  AWS_ACCESS_KEY_ID:\n    value: " + k["ID"] + "\n    description: key\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n\n" +
			"build:\n  tags: [ours]\n  script:\n    - make\n\ne2e:\n  tags: [ours]\n  script:\n    - aws --endpoint-url http://localstack:4566 s3 ls\n",
		"e/.gitlab-ci.yml":   ".aws-creds:\n  tags: [ours]\n  variables:\n" + vars + "\nrelease:\n  extends: .aws-creds\n  script:\n    - aws s3 sync dist s3://site\n",
		"f/ci/templates.yml": ".aws-creds:\n  tags: [ours]\n  variables:\n" + vars,
		"f/.gitlab-ci.yml": "include:\n  - local: ci/templates.yml\n\nintegration:\n  extends: .aws-creds\n  tags: [ours]\n  variables:\n" +
			"    AWS_ENDPOINT_URL: http://minio.ci:9000\n  script:\n    - pytest\n",
	}
	dir := fixFolder(t, files, []string{
		"a/.gitlab-ci.yml:4:", "AWS_ENDPOINT_URL = http://minio.ci:9000, set by the job .minio, which extends .aws-creds",
		"b/.gitlab/ci/templates.yml:4:", "is read by b/.gitlab-ci.yml:7 (!reference [.aws-creds, variables, AWS_ACCESS_KEY_ID] in the job deploy)",
		"c/.gitlab-ci.yml:2:", "S3_HOST = ceph-rgw.local:7480",
		"d/.gitlab-ci.yml:3:", "--endpoint-url http://localstack:4566",
		"f/ci/templates.yml:4:", "set by the job integration, which extends .aws-creds (f/.gitlab-ci.yml:4)",
		"rewrote e/.gitlab-ci.yml",
	}, "e/.gitlab-ci.yml")
	if got, _ := os.ReadFile(filepath.Join(dir, "e/.gitlab-ci.yml")); strings.Contains(string(got), k["ID"]) {
		t.Errorf("e/.gitlab-ci.yml keeps its keys:\n%s", got)
	}
	// Every !reference of b still names a variable of the template.
	var tmpl, ci map[string]any
	for n, v := range map[string]*map[string]any{"b/.gitlab/ci/templates.yml": &tmpl, "b/.gitlab-ci.yml": &ci} {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		if err := yaml.Unmarshal(b, v); err != nil {
			t.Fatalf("%s does not parse after the fix: %v", n, err)
		}
	}
	tv, _ := tmpl[".aws-creds"].(map[string]any)["variables"].(map[string]any)
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		if _, ok := tv[name]; !ok {
			t.Errorf("the !reference to %s names a variable the fix removed", name)
		}
	}
}

// TestFixPythonImportedSettings checks qa16 HIGH-16: boto3 keys stay when
// the client's config= is a Config keyscan cannot read (imported, an
// attribute of an imported module) or when a module the file imports
// (import settings, from .conf import x, a package's __init__.py, a few
// steps deep) sets a custom endpoint: os.environ.setdefault(
// "AWS_ENDPOINT_URL", …), an endpoint_url, a path-style Config. A client
// with an inline Config and a file importing a module without an endpoint
// are controls that are fixed; python3 compiles them after --write.
func TestFixPythonImportedSettings(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2105).Values()
	keys := "aws_access_key_id=\"" + k["ID"] + "\", aws_secret_access_key=\"" + k["SECRET"] + "\""
	files := map[string]string{
		"a/settings.py":     "from botocore.config import Config\nS3_CONFIG = Config(s3={\"addressing_style\": \"path\"})\n",
		"a/store.py":        "import boto3\nfrom settings import S3_CONFIG\n\ns3 = boto3.client(\"s3\", " + keys + ", config=S3_CONFIG)\n",
		"a/store2.py":       "import boto3\nimport settings\n\ndef client():\n    return boto3.client(\"s3\", config=settings.S3_CONFIG, " + keys + ")\n",
		"a2/store.py":       "import boto3\nfrom company.storage import S3_CONFIG\n\ns3 = boto3.client(\"s3\", " + keys + ", config=S3_CONFIG)\n",
		"b/settings.py":     "import os\nos.environ.setdefault(\"AWS_ENDPOINT_URL\", \"http://minio.storage.svc:9000\")\n",
		"b/boot.py":         "import settings  # noqa: F401\n",
		"b/store.py":        "import boto3\nimport boot\n\ns3 = boto3.client(\"s3\", " + keys + ")\n",
		"c/pkg/__init__.py": "",
		"c/pkg/conf.py":     "ENDPOINT = dict(endpoint_url=\"http://localhost:4566\")\n",
		"c/pkg/store.py":    "import boto3\nfrom .conf import ENDPOINT\n\ns3 = boto3.client(\"s3\", " + keys + ")\n",
		"d/settings.py":     "REGION = \"eu-west-1\"\n",
		"d/store.py": "import boto3\nfrom botocore.config import Config\nfrom settings import REGION\n\n" +
			"s3 = boto3.client(\"s3\", " + keys + ", config=Config(region_name=REGION))\n",
	}
	dir := fixFolder(t, files, []string{
		"a/store.py:4:", "a/settings.py, which a/store.py imports (settings), sets a custom endpoint (\"addressing_style\": \"path\", path-style addressing)",
		"a/store2.py:5:", "a/settings.py, which a/store2.py imports (settings)",
		"a2/store.py:4:", "the client configuration given as config=S3_CONFIG, which keyscan cannot read",
		"b/store.py:4:", "b/settings.py, which b/store.py imports (settings)",
		"c/pkg/store.py:4:", "c/pkg/conf.py, which c/pkg/store.py imports (conf)",
		"rewrote d/store.py",
	}, "d/store.py")
	got, _ := os.ReadFile(filepath.Join(dir, "d/store.py"))
	if strings.Contains(string(got), k["ID"]) {
		t.Errorf("d/store.py keeps its keys:\n%s", got)
	}
	if py, err := exec.LookPath("python3"); err == nil {
		if out, err := exec.Command(py, "-m", "py_compile", filepath.Join(dir, "d/store.py")).CombinedOutput(); err != nil {
			t.Errorf("py_compile d/store.py after the fix: %v\n%s", err, out)
		}
	}
}

// TestFixAppConfigNamedAlone checks qa15 HIGH-18 for a configuration file
// named alone: code that may read its settings by name was not read, so
// they stay, saying so; Spring Cloud AWS's own credentials settings, which
// its auto-configuration falls back from, are fixed.
func TestFixAppConfigNamedAlone(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2106).Values()
	dir := t.TempDir()
	writeRepoFile(t, dir, "src/main/resources/application.properties", "aws.accessKey="+k["ID"]+"\naws.secretKey="+k["SECRET"]+"\n")
	writeRepoFile(t, dir, "cloud/application.yml", "cloud:\n  aws:\n    credentials:\n      access-key: "+k["ID"]+"\n      secret-key: "+k["SECRET"]+"\n")
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", "src/main/resources/application.properties")
	if r.code != exitFindings || !strings.Contains(r.stdout+r.stderr, "this file was named alone, so keyscan fix did not read the code") {
		t.Errorf("fix of application.properties alone: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, dir, nil, "keyscan", "fix", "--write", "cloud/application.yml")
	got, _ := os.ReadFile(filepath.Join(dir, "cloud/application.yml"))
	if r.code != exitClean || strings.Contains(string(got), k["ID"]) {
		t.Errorf("fix of Spring Cloud AWS's credentials alone: exit %d\n%s%s\n%s", r.code, r.stdout, r.stderr, got)
	}
}
