package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixProgramEnvCarriers checks qa27 M2: a variable that code reads by
// name with no default (os.environ["UPLOAD_KEY_ID"]) stays for a person,
// naming the reader, when it reaches the program through a shell script
// that exports it and starts the program (at the root and in scripts/),
// direnv's .envrc, a GitHub workflow's env: (a self-hosted runner, whose
// instance role would take over), or a Kubernetes Secret or ConfigMap
// that a Deployment takes whole (envFrom) or by key (secretKeyRef,
// configMapKeyRef), as it does in a .env. Controls, fixed: the same
// script, Secret and ConfigMap when the code reads the variables so that
// a missing one is None (os.environ.get("NAME")), which boto3 takes as no
// argument.
func TestFixProgramEnvCarriers(t *testing.T) {
	requireKeyscanOnPath(t)
	hard := "import os\n\nkey = os.environ[\"UPLOAD_KEY_ID\"]\nsecret = os.environ[\"UPLOAD_SECRET\"]\nprint(len(key) + len(secret))\n"
	soft := "import os\n\nkey = os.environ.get(\"UPLOAD_KEY_ID\")\nsecret = os.environ.get(\"UPLOAD_SECRET\")\nprint(key, secret)\n"
	script := func(id, secret string) string {
		return "#!/bin/sh\nexport UPLOAD_KEY_ID=" + id + "\nexport UPLOAD_SECRET=" + secret + "\nexec python3 app/main.py\n"
	}
	envrc := func(id, secret string) string {
		return "export UPLOAD_KEY_ID=" + id + "\nexport UPLOAD_SECRET=" + secret + "\n"
	}
	secretYAML := func(id, secret string) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  UPLOAD_KEY_ID: " + id + "\n  UPLOAD_SECRET: " + secret + "\n"
	}
	envFrom := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n" +
		"          image: app\n          envFrom:\n            - secretRef:\n                name: app\n"
	keyRef := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n" +
		"          image: app\n          env:\n            - name: UPLOAD_KEY_ID\n              valueFrom:\n                secretKeyRef: {name: app, key: UPLOAD_KEY_ID}\n" +
		"            - name: UPLOAD_SECRET\n              valueFrom:\n                secretKeyRef:\n                  name: app\n                  key: UPLOAD_SECRET\n"
	workflow := func(id, secret string) string {
		return "on: push\njobs:\n  t:\n    runs-on: self-hosted\n    env:\n      UPLOAD_KEY_ID: " + id + "\n      UPLOAD_SECRET: " + secret +
			"\n    steps:\n      - run: python3 app/main.py\n"
	}
	configMap := func(id, secret string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  UPLOAD_KEY_ID: " + id + "\n  UPLOAD_SECRET: " + secret + "\n"
	}
	cmEnvFrom := strings.Replace(envFrom, "secretRef:", "configMapRef:", 1)
	cmKeyRef := strings.ReplaceAll(keyRef, "secretKeyRef:", "configMapKeyRef:")
	type project struct {
		conf  string
		text  func(id, secret string) string
		extra map[string]string
		code  string
		held  bool
	}
	projects := map[string]project{
		"sh":         {"run.sh", script, nil, hard, true},
		"scripts":    {"scripts/start.sh", script, nil, hard, true},
		"envrc":      {".envrc", envrc, nil, hard, true},
		"envfrom":    {"k8s/secret.yaml", secretYAML, map[string]string{"k8s/deploy.yaml": envFrom}, hard, true},
		"keyref":     {"k8s/secret.yaml", secretYAML, map[string]string{"k8s/deploy.yaml": keyRef}, hard, true},
		"workflow":   {".github/workflows/test.yml", workflow, nil, hard, true},
		"configmap":  {"k8s/config.yaml", configMap, map[string]string{"k8s/deploy.yaml": cmEnvFrom}, hard, true},
		"cmkeyref":   {"k8s/config.yaml", configMap, map[string]string{"k8s/deploy.yaml": cmKeyRef}, hard, true},
		"sh-soft":    {"run.sh", script, nil, soft, false},
		"cm-soft":    {"k8s/config.yaml", configMap, map[string]string{"k8s/deploy.yaml": cmEnvFrom}, soft, false},
		"envfrom-so": {"k8s/secret.yaml", secretYAML, map[string]string{"k8s/deploy.yaml": envFrom}, soft, false},
	}
	files := map[string]string{}
	var changed, wants []string
	seed := uint64(2750)
	secrets := map[string]string{}
	for name, p := range projects {
		seed++
		k := fakekey.New(seed).Values()
		// Each project's Secret has a name of its own: the run drops the
		// readers of a removed key wherever its Secret's name is read.
		files[name+"/"+p.conf] = strings.Replace(p.text(k["ID"], k["SECRET"]), "name: app\n", "name: "+name+"\n", 1)
		files[name+"/app/main.py"] = p.code
		for n, s := range p.extra {
			files[name+"/"+n] = strings.NewReplacer("                name: app\n", "                name: "+name+"\n", "                  name: app\n", "                  name: "+name+"\n", "{name: app,", "{name: "+name+",").Replace(s)
		}
		secrets[name] = k["SECRET"]
		if p.held {
			wants = append(wants, "read by name by "+name+"/app/main.py:3")
		} else {
			changed = append(changed, name+"/"+p.conf)
			if p.extra != nil {
				changed = append(changed, name+"/k8s/deploy.yaml")
			}
		}
	}
	dir := fixFolder(t, files, wants, changed...)
	for name, p := range projects {
		got, _ := os.ReadFile(filepath.Join(dir, name, filepath.FromSlash(p.conf)))
		if kept := strings.Contains(string(got), secrets[name]); kept != p.held {
			t.Errorf("%s: %s keeps the secret: %v, want %v:\n%s", name, p.conf, kept, p.held, got)
		}
	}
}

// TestFixProgramEnvStaticCreds checks qa27 M2's Go and Node cases: a
// .env pair that Go (os.Getenv) or Node (process.env) code beside it
// passes straight into static credentials stays, naming the reader,
// where the same reads that go elsewhere (the SDK's default chain
// builds the client) let the pair go.
func TestFixProgramEnvStaticCreds(t *testing.T) {
	requireKeyscanOnPath(t)
	goStatic := "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/aws/aws-sdk-go-v2/credentials\"\n)\n\n" +
		"var p = credentials.NewStaticCredentialsProvider(os.Getenv(\"UPLOAD_KEY_ID\"), os.Getenv(\"UPLOAD_SECRET\"), \"\")\n"
	goVar := "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/aws/aws-sdk-go/aws/credentials\"\n)\n\n" +
		"func creds() *credentials.Credentials {\n\tid := os.Getenv(\"UPLOAD_KEY_ID\")\n\tsecret := os.Getenv(\"UPLOAD_SECRET\")\n\treturn credentials.NewStaticCredentials(id, secret, \"\")\n}\n"
	jsStatic := "const { S3Client } = require(\"@aws-sdk/client-s3\");\n\n" +
		"const s3 = new S3Client({ credentials: { accessKeyId: process.env.UPLOAD_KEY_ID, secretAccessKey: process.env.UPLOAD_SECRET } });\n"
	tsVar := "import { S3Client } from \"@aws-sdk/client-s3\";\n\nconst { UPLOAD_KEY_ID, UPLOAD_SECRET } = process.env;\n" +
		"export const s3 = new S3Client({\n  credentials: { accessKeyId: UPLOAD_KEY_ID!, secretAccessKey: UPLOAD_SECRET! },\n});\n"
	goChain := "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfmt.Println(os.Getenv(\"UPLOAD_KEY_ID\") != \"\", os.Getenv(\"UPLOAD_SECRET\") != \"\")\n}\n"
	jsChain := "const { S3Client } = require(\"@aws-sdk/client-s3\");\n\nconsole.log(process.env.UPLOAD_KEY_ID, process.env.UPLOAD_SECRET);\nconst s3 = new S3Client({});\n"
	projects := map[string]struct {
		file, code string
		line       int // the reader's line; 0: the pair goes
	}{
		"go":       {"main.go", goStatic, 9},
		"go-var":   {"main.go", goVar, 10},
		"js":       {"main.js", jsStatic, 3},
		"ts-var":   {"src/s3.ts", tsVar, 3},
		"go-chain": {"main.go", goChain, 0},
		"js-chain": {"main.js", jsChain, 0},
	}
	files := map[string]string{}
	var changed, wants []string
	secrets := map[string]string{}
	seed := uint64(2790)
	for name, p := range projects {
		seed++
		k := fakekey.New(seed).Values()
		files[name+"/.env"] = "UPLOAD_KEY_ID=" + k["ID"] + "\nUPLOAD_SECRET=" + k["SECRET"] + "\n"
		files[name+"/"+p.file] = p.code
		secrets[name] = k["SECRET"]
		if p.line > 0 {
			wants = append(wants, fmt.Sprintf("read by name by %s/%s:%d", name, p.file, p.line))
		} else {
			changed = append(changed, name+"/.env")
		}
	}
	wants = append(wants, "passes it straight into static credentials")
	dir := fixFolder(t, files, wants, changed...)
	for name, p := range projects {
		got, _ := os.ReadFile(filepath.Join(dir, name, ".env"))
		if kept := strings.Contains(string(got), secrets[name]); kept != (p.line > 0) {
			t.Errorf("%s: .env keeps the secret: %v, want %v:\n%s", name, kept, p.line > 0, got)
		}
	}
}
