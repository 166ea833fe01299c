package scanner

import "testing"

func TestClassify(t *testing.T) {
	ini := "[default]\naws_access_key_id = x\naws_secret_access_key = y\n"
	for _, tc := range []struct {
		name, data string
		want       FileKind
	}{
		{"aws_credentials", ini, KindSharedConfig},
		{"aws-config", "[profile ci]\naws_access_key_id = x\n", KindSharedConfig},
		{"credentials.bak", "whatever", KindSharedConfig},
		{"backup/alice/aws-credentials", ini, KindSharedConfig},
		{".aws.ini", ini, KindSharedConfig},
		{"config.orig", ini, KindSharedConfig},
		{"env.production", "APP=1\n", KindEnv},
		{".env.bak", "APP=1\n", KindEnv},
		{"settings", "# comment\nexport APP=1\nAWS_SECRET_ACCESS_KEY=x\n", KindEnv},
		{"settings", "APP=1\nsome prose here\n", KindOther},
		{"Dockerfile.worker", "FROM alpine\n", KindDocker},
		{"build.dockerfile", "FROM alpine\n", KindDocker},
		{"Containerfile", "FROM alpine\n", KindDocker},
		{"images/worker", "# syntax=docker/dockerfile:1\nFROM alpine AS base\nRUN apk add \\\n  curl\nENV A=1\n", KindDocker},
		{"notes", "FROM the start, this is prose\nand more prose\n", KindOther},
		{"bin/deploy", "#!/usr/bin/env bash\nset -e\n", KindShell},
		{"bin/deploy", "#!/bin/sh\n", KindShell},
		{"tools/sync", "#!/usr/bin/env python3\nimport boto3\n", KindPython},
		{"tools/sync", "#!/usr/bin/env node\n", KindJavaScript},
		{"deploy.sh.bak", "aws s3 ls\n", KindShell},
		{"app.yaml", "apiVersion: v1\nkind: Secret\n", KindKubernetes},
		{"main.go", "package main", KindGo},
	} {
		if got := Classify(tc.name, []byte(tc.data)); got != tc.want {
			t.Errorf("Classify(%q) = %s, want %s", tc.name, got, tc.want)
		}
	}
}
