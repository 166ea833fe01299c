package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixMakefileAssignmentOperators: a Makefile that includes a .env and
// sets AWS_ENDPOINT_URL with any of make's assignment operators (?=, +=,
// !=, :=, ::=, :::=, with or without blanks; just's :=) sets a custom
// endpoint for what it runs, and the .env's keys stay for a person, as go
// fix withholds its fix for them (qa25 M4). An AWS endpoint and a region
// set with ?= are controls that are fixed.
func TestFixMakefileAssignmentOperators(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2530).Values()
	env := "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	files := map[string]string{}
	var wants []string
	for name, line := range map[string]string{
		"q":     "export AWS_ENDPOINT_URL?=http://localhost:4566",
		"qs":    "export AWS_ENDPOINT_URL ?= http://localhost:4566",
		"p":     "AWS_ENDPOINT_URL+=http://localhost:4566",
		"bang":  "AWS_ENDPOINT_URL != echo http://localhost:4566",
		"c":     "AWS_ENDPOINT_URL:=http://localhost:4566",
		"cc":    "AWS_ENDPOINT_URL ::= http://localhost:4566",
		"ccc":   "AWS_ENDPOINT_URL:::=http://localhost:4566",
		"s3":    "override AWS_ENDPOINT_URL_S3 ?= http://minio:9000",
		"off":   "export AWS_EC2_METADATA_DISABLED ?= true",
		"plain": "AWS_ENDPOINT_URL = http://localhost:4566",
	} {
		files[name+"/.env"] = env
		files[name+"/Makefile"] = "include .env\n" + line + "\nexport\n\ntest:\n\taws s3 ls\n"
		wants = append(wants, name+"/Makefile")
	}
	files["just/.env"] = env
	files["just/justfile"] = "set dotenv-load\nexport AWS_ENDPOINT_URL := \"http://localhost:4566\"\n\ntest:\n    aws s3 ls\n"
	wants = append(wants, "just/justfile")
	// Controls: fixed.
	files["aws/.env"] = env
	files["aws/Makefile"] = "include .env\nexport AWS_ENDPOINT_URL ?= https://s3.us-east-1.amazonaws.com\n\ntest:\n\taws s3 ls\n"
	files["region/.env"] = env
	files["region/Makefile"] = "include .env\nexport AWS_REGION?=us-east-1\n\ntest:\n\taws s3 ls\n"
	wants = append(wants, "rewrote aws/.env", "rewrote region/.env")
	dir := fixFolder(t, files, wants, "aws/.env", "region/.env")
	for _, n := range []string{"aws/.env", "region/.env"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); strings.Contains(string(got), k["ID"]) {
			t.Errorf("%s keeps its keys:\n%s", n, got)
		}
	}
}

// TestFixDockerfileNames: keyscan fix rewrites a Dockerfile's ENV under
// every name projects give one (Dockerfile.prod, Dockerfile-ci,
// dockerfile_prod, api.Dockerfile, app.dockerfile, Containerfile and the
// same shapes of it, a template of either), as go vet's fix reads them
// (fix.DockerfileName).
func TestFixDockerfileNames(t *testing.T) {
	requireKeyscanOnPath(t)
	k := fakekey.New(2531).Values()
	body := "ARG BASE=alpine:3.20\nFROM ${BASE}\nENV AWS_ACCESS_KEY_ID=" + k["ID"] + " \\\n    AWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\nCMD [\"app\"]\n"
	names := []string{"Dockerfile", "Dockerfile.prod", "Dockerfile-ci", "dockerfile_prod", "api.Dockerfile", "app.dockerfile",
		"Containerfile", "Containerfile.prod", "Containerfile-ci", "containerfile_prod", "app.containerfile", "Dockerfile.j2", "Containerfile.tmpl"}
	files := map[string]string{}
	var wants []string
	for i, n := range names {
		p := "d" + string(rune('a'+i)) + "/" + n
		files[p] = body
		wants = append(wants, "rewrote "+p)
	}
	changed := make([]string, 0, len(files))
	for p := range files {
		changed = append(changed, p)
	}
	// Documentation that shows a Dockerfile is left for a person (and
	// keeps the exit status 1).
	files["docs/build.md"] = "# Build\n\nThe image is built from this file:\n\n```dockerfile\n" + body + "```\n"
	wants = append(wants, "docs/build.md:")
	dir := fixFolder(t, files, wants, changed...)
	for _, p := range changed {
		got, _ := os.ReadFile(filepath.Join(dir, p))
		if strings.Contains(string(got), k["ID"]) || strings.Contains(string(got), k["SECRET"]) {
			t.Errorf("%s keeps its keys:\n%s", p, got)
		}
		if !strings.Contains(string(got), "FROM ${BASE}") || !strings.Contains(string(got), "CMD [\"app\"]") {
			t.Errorf("%s lost its instructions:\n%s", p, got)
		}
	}
}
