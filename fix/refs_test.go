package fix_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/rules"
)

const secretAndDeployment = `apiVersion: v1
kind: Secret
metadata:
  name: aws
stringData:
  AWS_ACCESS_KEY_ID: {{ID}}
  AWS_SECRET_ACCESS_KEY: {{SECRET}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
      - name: app
        image: app
        env:
        - name: AWS_ACCESS_KEY_ID
          valueFrom:
            secretKeyRef:
              name: aws
              key: AWS_ACCESS_KEY_ID
        - name: AWS_SECRET_ACCESS_KEY
          valueFrom:
            secretKeyRef: {name: aws, key: AWS_SECRET_ACCESS_KEY}
        - name: LOG_LEVEL
          value: debug
`

// TestSecretRefsRemoved checks qa10 MEDIUM-12: the env entries that read
// the keys a fix removes from a Secret of the same manifest go with them,
// so that no secretKeyRef names a missing key (CreateContainerConfigError)
// and the SDK in the container falls back to the default chain.
func TestSecretRefsRemoved(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(571).Values()
	in := []byte(rules.Fill(secretAndDeployment, vals))
	fs := sc.Scan("k8s/app.yaml", in)
	res, err := fix.Apply("k8s/app.yaml", in, fs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fixed) != 2 || len(res.Manual) != 0 {
		t.Fatalf("fixed %d, manual %v", len(res.Fixed), res.Manual)
	}
	out := string(res.Content)
	if strings.Contains(out, "secretKeyRef") || strings.Contains(out, "AWS_") {
		t.Errorf("a reference to a removed key stays:\n%s", out)
	}
	if !strings.Contains(out, "LOG_LEVEL") {
		t.Errorf("an unrelated env entry was removed:\n%s", out)
	}
	docs := yamlDocs(t, res.Content)
	if len(docs) != 2 {
		t.Fatalf("%d documents, want 2", len(docs))
	}
	defs := fix.Definitions("k8s/app.yaml", in, res.Fixed)
	if len(defs) != 2 || defs[0].Kind != fix.SecretKey || defs[0].Scope != "aws" {
		t.Fatalf("definitions %+v", defs)
	}
	for _, r := range fix.References("k8s/app.yaml", res.Content, defs) {
		t.Errorf("%s still read at %+v", defs[r.Def].Describe(), r)
	}
	// The references are found before the change, in block and flow style.
	refs := byDef(fix.References("k8s/app.yaml", in, defs), len(defs))
	if len(refs[0]) != 1 || refs[0][0].Line != 22 || len(refs[1]) != 1 || refs[1][0].Line != 27 {
		t.Errorf("references before the change: %+v", refs)
	}
}

// byDef groups references by the index of their definition.
func byDef(refs []fix.Reference, n int) [][]fix.Reference {
	out := make([][]fix.Reference, n)
	for _, r := range refs {
		out[r.Def] = append(out[r.Def], r)
	}
	return out
}

func yamlDocs(t *testing.T, b []byte) []any {
	t.Helper()
	var docs []any
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("does not parse: %v\n%s", err, b)
		}
		docs = append(docs, v)
	}
}

// TestDefinitionsAndReferences checks what each kind of file defines and
// where another reads it: volume items, a templated Secret name, optional
// references (no reference), kustomize literals, Helm values, .env
// variables in compose, a script's own later expansion, .tfvars values.
func TestDefinitionsAndReferences(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(9).Values()
	for _, tc := range []struct {
		name, file, text string
		def              string // Describe of the first definition
		reader, readText string // a file that reads it
		want             int    // references found in reader
	}{
		{"volume items", "secret.yaml", "kind: Secret\nmetadata:\n  name: aws\ndata:\n  AWS_ACCESS_KEY_ID: {{ID_B64}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET_B64}}\n",
			"key AWS_ACCESS_KEY_ID of the Secret aws", "deploy.yaml",
			"spec:\n  volumes:\n  - name: creds\n    secret:\n      secretName: aws\n      items:\n      - key: AWS_ACCESS_KEY_ID\n        path: id\n", 1},
		{"templated name", "secret.yaml", "kind: Secret\nmetadata:\n  name: aws\nstringData:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n",
			"key AWS_ACCESS_KEY_ID of the Secret aws", "templates/deploy.yaml",
			"env:\n- name: K\n  valueFrom:\n    secretKeyRef:\n      name: {{ .Release.Name }}-aws\n      key: AWS_ACCESS_KEY_ID\n", 1},
		{"optional", "secret.yaml", "kind: Secret\nmetadata:\n  name: aws\nstringData:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n",
			"key AWS_ACCESS_KEY_ID of the Secret aws", "deploy.yaml",
			"env:\n- name: K\n  valueFrom:\n    secretKeyRef:\n      name: aws\n      key: AWS_ACCESS_KEY_ID\n      optional: true\n", 0},
		{"another secret", "secret.yaml", "kind: Secret\nmetadata:\n  name: aws\nstringData:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n",
			"key AWS_ACCESS_KEY_ID of the Secret aws", "deploy.yaml",
			"env:\n- name: K\n  valueFrom:\n    secretKeyRef:\n      name: other\n      key: AWS_ACCESS_KEY_ID\n", 0},
		{"kustomize literals", "kustomization.yaml", "secretGenerator:\n- name: aws\n  literals:\n  - AWS_ACCESS_KEY_ID={{ID}}\n  - AWS_SECRET_ACCESS_KEY={{SECRET}}\n",
			"key AWS_ACCESS_KEY_ID of the Secret aws", "deploy.yaml",
			"env:\n- name: K\n  valueFrom:\n    secretKeyRef: {name: aws, key: AWS_ACCESS_KEY_ID}\n", 1},
		{"helm values", "chart/values.yaml", "aws:\n  accessKeyId: {{ID}}\n  secretAccessKey: {{SECRET}}\nregion: us-east-1\n",
			"value aws.accessKeyId", "chart/templates/secret.yaml",
			"stringData:\n  AWS_ACCESS_KEY_ID: {{ required \"key\" .Values.aws.accessKeyId }}\n  X: {{ .Values.aws.accessKeyIdOld }}\n", 1},
		{"compose interpolation", ".env", "AWS_ACCESS_KEY_ID={{ID}}\nAWS_SECRET_ACCESS_KEY={{SECRET}}\n",
			"variable AWS_ACCESS_KEY_ID", "docker-compose.yml",
			"services:\n  app:\n    environment:\n      AWS_ACCESS_KEY_ID: ${AWS_ACCESS_KEY_ID:?set it}\n      B: $AWS_ACCESS_KEY_ID\n      C: ${AWS_ACCESS_KEY_IDX}\n", 2},
		{"another script", ".env", "AWS_ACCESS_KEY_ID={{ID}}\nAWS_SECRET_ACCESS_KEY={{SECRET}}\n",
			"variable AWS_ACCESS_KEY_ID", "run.sh", "echo $AWS_ACCESS_KEY_ID\n", 0},
		{"tfvars", "prod.tfvars", "aws_access_key = \"{{ID}}\"\naws_secret_key = \"{{SECRET}}\"\n",
			"Terraform variable aws_access_key", "main.tf", "variable \"aws_access_key\" {}\n", 0},
		{"tfvars json", "prod.auto.tfvars.json", "{\"aws_access_key\": \"{{ID}}\", \"aws_secret_key\": \"{{SECRET}}\"}\n",
			"Terraform variable aws_access_key", "main.tf", "variable \"aws_access_key\" {}\n", 0},
		{"cloudformation default", "cfn/template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  KeyId:\n    Type: String\n    Default: {{ID}}\n" +
			"  Secret:\n    Type: String\n    Default: {{SECRET}}\nResources: {}\n",
			"Default of CloudFormation parameter KeyId", "cfn/template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n" +
				"    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n      - Key: a\n        Value: !Ref KeyId\n      - Key: b\n        Value:\n          Ref: KeyId\n" +
				"      - Key: c\n        Value: !Sub '${KeyId}-x'\n      - Key: d\n        Value: !Ref KeyIdOther\n", 3},
		{"cloudformation parameters file", "params.json", "[{\"ParameterKey\": \"KeyId\", \"ParameterValue\": \"{{ID}}\"},\n {\"ParameterKey\": \"Secret\", \"ParameterValue\": \"{{SECRET}}\"}]\n",
			"value of CloudFormation parameter KeyId", "t.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", " +
				"\"Properties\": {\"BucketName\": {\"Ref\": \"KeyId\"}}}}}\n", 1},
		{"not a template", "params.json", "[{\"ParameterKey\": \"KeyId\", \"ParameterValue\": \"{{ID}}\"},\n {\"ParameterKey\": \"Secret\", \"ParameterValue\": \"{{SECRET}}\"}]\n",
			"value of CloudFormation parameter KeyId", "docker-compose.yml", "services:\n  a:\n    environment:\n      X: ${KeyId}\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(rules.Fill(tc.text, vals))
			fs := sc.Scan(tc.file, in)
			if len(fs) < 2 {
				t.Fatalf("the scanner finds %d", len(fs))
			}
			defs := fix.Definitions(tc.file, in, fs)
			if len(defs) == 0 || defs[0].Describe() != tc.def {
				t.Fatalf("definitions %+v, want first %q", defs, tc.def)
			}
			if len(defs[0].Held) != 1 {
				t.Errorf("held %v", defs[0].Held)
			}
			refs := byDef(fix.References(tc.reader, []byte(tc.readText), defs), len(defs))
			if len(refs[0]) != tc.want {
				t.Errorf("%d references, want %d: %+v", len(refs[0]), tc.want, refs[0])
			}
		})
	}
}

// TestScriptReadsItsOwnVariable: a shell script that expands a variable it
// set reads it (set -u would stop it; aws configure set would store an
// empty key).
func TestScriptReadsItsOwnVariable(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(11).Values()
	in := []byte(rules.Fill("#!/bin/sh\nset -u\nexport AWS_ACCESS_KEY_ID={{ID}}\nexport AWS_SECRET_ACCESS_KEY={{SECRET}}\ndocker run -e KEY=\"${AWS_ACCESS_KEY_ID}\" app\n", vals))
	fs := sc.Scan("deploy.sh", in)
	res, err := fix.Apply("deploy.sh", in, fs)
	if err != nil {
		t.Fatal(err)
	}
	defs := fix.Definitions("deploy.sh", in, res.Fixed)
	refs := byDef(fix.References("deploy.sh", res.Content, defs), len(defs))
	if len(defs) != 2 || len(refs[0]) != 1 || refs[0][0].Line != 4 || len(refs[1]) != 0 {
		t.Fatalf("defs %+v refs %+v", defs, refs)
	}
	// Held: the key ID stays, and its secret with it.
	hold := map[int]string{defs[0].Held[0]: "read on line 4"}
	res, err = fix.ApplyWith("deploy.sh", in, fs, fix.Options{Hold: hold})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() || len(res.Manual) != 2 || string(res.Content) != string(in) {
		t.Errorf("held: fixed %d, manual %+v\n%s", len(res.Fixed), res.Manual, res.Content)
	}
}

// TestDockerfileReadsItsOwnVariable: an ENV or ARG key that a later
// instruction expands ($AWS_ACCESS_KEY_ID in a RUN) is a definition the
// Dockerfile reads itself, whichever form sets it (NAME=value, one pair of
// several, ENV NAME value).
func TestDockerfileReadsItsOwnVariable(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(12).Values()
	for _, text := range []string{
		"FROM alpine\nARG AWS_ACCESS_KEY_ID={{ID}}\nARG AWS_SECRET_ACCESS_KEY={{SECRET}}\nRUN aws configure set aws_access_key_id $AWS_ACCESS_KEY_ID\n",
		"FROM alpine\nENV REGION=eu-west-1 AWS_ACCESS_KEY_ID={{ID}} \\\n    AWS_SECRET_ACCESS_KEY={{SECRET}}\nRUN echo \"${AWS_ACCESS_KEY_ID}\" > /tmp/k\n",
		"FROM alpine\nENV AWS_ACCESS_KEY_ID {{ID}}\nENV AWS_SECRET_ACCESS_KEY {{SECRET}}\nRUN aws configure set aws_access_key_id $AWS_ACCESS_KEY_ID\n",
	} {
		in := []byte(rules.Fill(text, vals))
		fs := sc.Scan("Dockerfile", in)
		res, err := fix.Apply("Dockerfile", in, fs)
		if err != nil {
			t.Fatal(err)
		}
		defs := fix.Definitions("Dockerfile", in, res.Fixed)
		refs := byDef(fix.References("Dockerfile", res.Content, defs), len(defs))
		if len(defs) != 2 || defs[0].Name != "AWS_ACCESS_KEY_ID" || defs[1].Name != "AWS_SECRET_ACCESS_KEY" || len(refs[0]) != 1 || len(refs[1]) != 0 {
			t.Errorf("defs %+v refs %+v\n%s", defs, refs, text)
		}
	}
}
