package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixProgramEnvRead checks qa26 M3: a variable that a deployment sets
// in a program's environment (a Kubernetes container's env: name/value
// pair, a compose service's environment: in map and list form, an ECS
// task definition's environment, a CloudFormation container definition's
// Environment, a Dockerfile's ENV) stays for a person, naming the reader,
// when code of the folder fixed reads it by name with no default
// (os.environ["UPLOAD_KEY_ID"]: a KeyError without it), as the same
// variable in a .env does; so does a read with a default (fix31:
// os.environ.get("UPLOAD_KEY_ID", "") builds credentials from ""), a read
// by the deployment itself (Kubernetes' $(UPLOAD_KEY_ID) in args:, a
// compose shell command's $$UPLOAD_KEY_ID), code beside a vercel.json, and
// a Knative service that does not say where it runs. Controls: a manifest
// and a compose file whose program reads its variables with nothing as
// the default (os.environ.get: None, which boto3 takes as no argument), an
// EKS manifest (EC2 nodes, no IRSA) whose AWS_ACCESS_KEY_ID no code reads
// by name, and a Knative service whose image is in ECR (a cluster on EKS),
// are fixed. python3 runs each program with the environment its
// compose file or manifest gives it after --write: it starts.
func TestFixProgramEnvRead(t *testing.T) {
	requireKeyscanOnPath(t)
	hard := "import os\n\nkey = os.environ[\"UPLOAD_KEY_ID\"]\nsecret = os.environ[\"UPLOAD_SECRET\"]\nprint(len(key) + len(secret))\n"
	soft := "import os\n\nkey = os.environ.get(\"UPLOAD_KEY_ID\")\nsecret = os.getenv(\"UPLOAD_SECRET\", None)\nprint(key is None, secret is None)\n"
	withDefault := "import os\n\nkey = os.environ.get(\"UPLOAD_KEY_ID\", \"\")\nsecret = os.environ.get(\"UPLOAD_SECRET\", \"\")\nprint(len(key) + len(secret))\n"
	none := "import os\n\nprint(os.environ.get(\"AWS_REGION\", \"\"))\n"
	k8s := func(id, secret, idName, secretName string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: uploader\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: uploader\n          image: uploader:1\n          env:\n            - name: LOG_LEVEL\n              value: info\n" +
			"            - name: " + idName + "\n              value: " + id + "\n            - name: " + secretName + "\n              value: " + secret + "\n"
	}
	composeMap := func(id, secret string) string {
		return "services:\n  uploader:\n    build: ./app\n    environment:\n      LOG_LEVEL: info\n      UPLOAD_KEY_ID: " + id + "\n      UPLOAD_SECRET: " + secret + "\n"
	}
	composeList := func(id, secret string) string {
		return "services:\n  uploader:\n    build: ./app\n    environment:\n      - LOG_LEVEL=info\n      - UPLOAD_KEY_ID=" + id + "\n      - UPLOAD_SECRET=" + secret + "\n"
	}
	ecs := func(id, secret string) string {
		return "{\n  \"family\": \"uploader\",\n  \"containerDefinitions\": [\n    {\n      \"name\": \"uploader\",\n      \"image\": \"uploader:1\",\n" +
			"      \"environment\": [\n        {\"name\": \"UPLOAD_KEY_ID\", \"value\": \"" + id + "\"},\n        {\"name\": \"UPLOAD_SECRET\", \"value\": \"" + secret + "\"}\n" +
			"      ]\n    }\n  ]\n}\n"
	}
	cfn := func(id, secret string) string {
		return "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n" +
			"        - Name: uploader\n          Image: uploader:1\n          Environment:\n            - Name: UPLOAD_KEY_ID\n              Value: " + id + "\n" +
			"            - Name: UPLOAD_SECRET\n              Value: " + secret + "\n"
	}
	docker := func(id, secret string) string {
		return "FROM python:3.12-slim\nCOPY main.py /app/main.py\nENV UPLOAD_KEY_ID=" + id + " \\\n    UPLOAD_SECRET=" + secret + "\nCMD [\"python\", \"/app/main.py\"]\n"
	}
	knative := func(image string) func(id, secret string) string {
		return func(id, secret string) string {
			return "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: uploader\nspec:\n  template:\n    spec:\n      containers:\n" +
				"        - image: " + image + "\n          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: " + id + "\n" +
				"            - name: AWS_SECRET_ACCESS_KEY\n              value: " + secret + "\n"
		}
	}
	type project struct {
		conf   string // the file that sets the environment
		text   func(id, secret string) string
		code   string
		held   bool
		reader string
		want   string            // what the output says, when not that reader reads it by name
		extra  map[string]string // more files of the project
	}
	projects := map[string]project{
		"k8s":          {"k8s/deploy.yaml", func(a, b string) string { return k8s(a, b, "UPLOAD_KEY_ID", "UPLOAD_SECRET") }, hard, true, "app/main.py:3", "", nil},
		"compose-map":  {"compose.yaml", composeMap, hard, true, "app/main.py:3", "", nil},
		"compose-list": {"docker-compose.yml", composeList, hard, true, "app/main.py:3", "", nil},
		"ecs":          {"deploy/taskdef.json", ecs, hard, true, "app/main.py:3", "", nil},
		"cfn":          {"infra/task.yaml", cfn, hard, true, "app/main.py:3", "", nil},
		"dockerfile":   {"app/Dockerfile", docker, hard, true, "app/main.py:3", "", nil},
		// fix31: a read with a default builds credentials from it; the
		// deployment itself reads the variable (Kubernetes' $(NAME) in
		// args:, compose's $$NAME in a shell command:); code beside a
		// vercel.json; a Knative service that says nothing of where it
		// runs.
		"k8s-default": {"k8s/deploy.yaml", func(a, b string) string { return k8s(a, b, "UPLOAD_KEY_ID", "UPLOAD_SECRET") }, withDefault, true, "",
			"is read with a default by k8s-default/app/main.py:3", nil},
		"compose-default": {"compose.yaml", composeMap, withDefault, true, "", "is read with a default by compose-default/app/main.py:3", nil},
		"k8s-args": {"k8s/deploy.yaml", func(a, b string) string {
			return strings.Replace(k8s(a, b, "UPLOAD_KEY_ID", "UPLOAD_SECRET"), "          image: uploader:1\n",
				"          image: uploader:1\n          args: [\"--key-id=$(UPLOAD_KEY_ID)\", \"--secret=$(UPLOAD_SECRET)\", \"--note=$$(UPLOAD_NOTE)\"]\n", 1)
		}, none, true, "", "passes the text $(UPLOAD_KEY_ID) on as it is", nil},
		"compose-shell": {"compose.yaml", func(a, b string) string {
			return composeMap(a, b) + "    command: [\"sh\", \"-c\", \"exec python3 main.py --key $$UPLOAD_KEY_ID --secret $${UPLOAD_SECRET}\"]\n"
		}, none, true, "", "is read by compose-shell/compose.yaml:8 ($$UPLOAD_KEY_ID)", nil},
		"vercel": {"api/upload.js", func(a, b string) string {
			return "import { S3Client } from '@aws-sdk/client-s3';\n\nconst s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: '" + a +
				"', secretAccessKey: '" + b + "' } });\n\nexport default async function handler(req, res) { res.json(await s3.config.region()); }\n"
		}, none, true, "", "the project deploys to Vercel (vercel.json) (vercel/vercel.json)", map[string]string{"vercel.json": "{\n  \"functions\": {\"api/*.js\": {\"memory\": 1024}}\n}\n"}},
		"cloudrun-code": {"app/upload.py", func(a, b string) string {
			return "import boto3\n\ns3 = boto3.client(\n    \"s3\",\n    aws_access_key_id=\"" + a + "\",\n    aws_secret_access_key=\"" + b + "\",\n)\n"
		}, "", true, "", "the project deploys to Google Cloud Run (a Knative service with Google's registry or annotations) (cloudrun-code/deploy/service.yaml)",
			map[string]string{"deploy/service.yaml": "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: uploader\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/p/uploader\n"}},
		"knative-unknown": {"service.yaml", knative("registry.example.com/uploader:1"), none, true, "", "Google Cloud Run or another Knative service", nil},
		// Controls: fixed.
		"k8s-soft":     {"k8s/deploy.yaml", func(a, b string) string { return k8s(a, b, "UPLOAD_KEY_ID", "UPLOAD_SECRET") }, soft, false, "", "", nil},
		"compose-soft": {"compose.yaml", composeMap, soft, false, "", "", nil},
		"eks-unread":   {"k8s/deploy.yaml", func(a, b string) string { return k8s(a, b, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") }, none, false, "", "", nil},
		"knative-eks":  {"service.yaml", knative("123456789012.dkr.ecr.us-east-1.amazonaws.com/uploader:1"), none, false, "", "", nil},
	}
	files := map[string]string{}
	var changed, wants []string
	seed := uint64(2630)
	secrets := map[string]string{}
	for name, p := range projects {
		seed++
		k := fakekey.New(seed).Values()
		files[name+"/"+p.conf] = p.text(k["ID"], k["SECRET"])
		files[name+"/app/main.py"] = p.code
		for n, x := range p.extra {
			files[name+"/"+n] = x
		}
		secrets[name] = k["SECRET"]
		switch {
		case p.want != "":
			wants = append(wants, p.want)
		case p.held:
			wants = append(wants, "is read by name by "+name+"/"+p.reader)
		default:
			changed = append(changed, name+"/"+p.conf)
		}
	}
	dir := fixFolder(t, files, wants, changed...)
	py, err := exec.LookPath("python3")
	for name, p := range projects {
		got, _ := os.ReadFile(filepath.Join(dir, name, filepath.FromSlash(p.conf)))
		if kept := strings.Contains(string(got), secrets[name]); kept != p.held {
			t.Errorf("%s: %s keeps the secret: %v, want %v:\n%s", name, p.conf, kept, p.held, got)
		}
		if err != nil || p.conf == "deploy/taskdef.json" || strings.HasSuffix(p.conf, "Dockerfile") || p.conf == "infra/task.yaml" || strings.HasSuffix(p.conf, ".js") || strings.HasSuffix(p.conf, ".py") {
			continue
		}
		// The program starts with the environment the file gives it.
		cmd := exec.Command(py, filepath.Join(dir, name, "app", "main.py"))
		cmd.Env = append(programEnv(t, got), "PATH="+os.Getenv("PATH"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: python3 app/main.py with the environment of %s after the fix: %v\n%s", name, p.conf, err, out)
		}
	}
	if err != nil {
		t.Log("python3 is not installed: the programs are not run")
	}
}

// programEnv reads the environment a compose file's services or a
// manifest's containers give their program, as NAME=value.
func programEnv(t *testing.T, data []byte) []string {
	t.Helper()
	var doc struct {
		Services map[string]struct {
			Environment yaml.Node `yaml:"environment"`
		} `yaml:"services"`
		Spec struct {
			Template struct {
				Spec struct {
					Containers []struct {
						Env []struct{ Name, Value string } `yaml:"env"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the file no longer parses: %v\n%s", err, data)
	}
	var out []string
	for _, s := range doc.Services {
		var m map[string]string
		var l []string
		if s.Environment.Decode(&m) == nil {
			for k, v := range m {
				out = append(out, k+"="+v)
			}
		} else if s.Environment.Decode(&l) == nil {
			out = append(out, l...)
		}
	}
	for _, c := range doc.Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			out = append(out, e.Name+"="+e.Value)
		}
	}
	return out
}
