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
// variable in a .env does. Controls: a manifest and a compose file whose
// program reads its variables with a default (os.environ.get), and an EKS
// manifest (EC2 nodes, no IRSA) whose AWS_ACCESS_KEY_ID no code reads by
// name, are fixed. python3 runs each program with the environment its
// compose file or manifest gives it after --write: it starts.
func TestFixProgramEnvRead(t *testing.T) {
	requireKeyscanOnPath(t)
	hard := "import os\n\nkey = os.environ[\"UPLOAD_KEY_ID\"]\nsecret = os.environ[\"UPLOAD_SECRET\"]\nprint(len(key) + len(secret))\n"
	soft := "import os\n\nkey = os.environ.get(\"UPLOAD_KEY_ID\", \"\")\nsecret = os.environ.get(\"UPLOAD_SECRET\", \"\")\nprint(len(key) + len(secret))\n"
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
	type project struct {
		conf   string // the file that sets the environment
		text   func(id, secret string) string
		code   string
		held   bool
		reader string
	}
	projects := map[string]project{
		"k8s":          {"k8s/deploy.yaml", func(a, b string) string { return k8s(a, b, "UPLOAD_KEY_ID", "UPLOAD_SECRET") }, hard, true, "app/main.py:3"},
		"compose-map":  {"compose.yaml", composeMap, hard, true, "app/main.py:3"},
		"compose-list": {"docker-compose.yml", composeList, hard, true, "app/main.py:3"},
		"ecs":          {"deploy/taskdef.json", ecs, hard, true, "app/main.py:3"},
		"cfn":          {"infra/task.yaml", cfn, hard, true, "app/main.py:3"},
		"dockerfile":   {"app/Dockerfile", docker, hard, true, "app/main.py:3"},
		// Controls: fixed.
		"k8s-soft":     {"k8s/deploy.yaml", func(a, b string) string { return k8s(a, b, "UPLOAD_KEY_ID", "UPLOAD_SECRET") }, soft, false, ""},
		"compose-soft": {"compose.yaml", composeMap, soft, false, ""},
		"eks-unread":   {"k8s/deploy.yaml", func(a, b string) string { return k8s(a, b, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") }, none, false, ""},
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
		secrets[name] = k["SECRET"]
		if p.held {
			wants = append(wants, "is read by name by "+name+"/"+p.reader)
		} else {
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
		if err != nil || p.conf == "deploy/taskdef.json" || strings.HasSuffix(p.conf, "Dockerfile") || p.conf == "infra/task.yaml" {
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
