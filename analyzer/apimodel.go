package analyzer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// Only the module's own deployment descriptions say where its programs
// run. Much else in a module's tree names Lambda and Fargate without
// deploying anything: installed packages (a Python virtual environment's
// botocore, whose API models list FARGATE among ECS's launch types),
// vendored copies of other projects (third_party/), and API models and
// schemas the module keeps as data (an SDK generator's service-2.json, a
// CloudFormation resource specification listing AWS::Lambda::Function, an
// OpenAPI document with FARGATE in an enum). A word there withheld go fix
// from every module that kept one (fix31). moduleWalk leaves out the
// installed packages' folders (othersDir); readModule leaves out the
// deployment detectors for vendored folders' files (vendoredPath); and a
// JSON or YAML file whose top level is a model's or a schema's (apiModel)
// deploys nothing.

// othersDir reports whether the folder named name, at p, holds other
// projects' installed files, which no program of the module is started
// from: a package manager's folder (site-packages, bower_components, a
// Yarn or pnpm store), a Python virtual environment (a folder with
// pyvenv.cfg), tox's and nox's environments.
func othersDir(p, name string) bool {
	switch name {
	case "site-packages", "dist-packages", "__pypackages__", "bower_components", "jspm_packages", ".yarn", ".pnpm-store", ".tox", ".nox", ".terraform":
		return true
	}
	_, err := os.Lstat(filepath.Join(p, "pyvenv.cfg"))
	return err == nil
}

// vendoredPath reports whether rel (slashes, relative to the module root)
// lies in a folder that keeps a copy of another project (third_party,
// Godeps): its deployment files are that project's. Go source there is
// still read for settings, as a program may link it.
func vendoredPath(rel string) bool {
	for _, el := range strings.Split(rel, "/") {
		switch strings.ToLower(el) {
		case "third_party", "third-party", "thirdparty", "godeps":
			return true
		}
	}
	return false
}

// apiModel reports whether b, a JSON or YAML file (kind k), is an API
// model or a schema by the keys of its top level: an AWS SDK's model
// (operations and shapes: botocore's service-2.json, docs-2.json), its
// examples, paginators or waiters, a Smithy model, the CloudFormation
// resource specification (ResourceTypes, PropertyTypes) or a registry
// schema (typeName with properties), a JSON Schema, an OpenAPI or Swagger
// document, Terraform's provider schemas. A CloudFormation template
// (Resources) is none of these.
func apiModel(b []byte, k deployKind) bool {
	var keys map[string]bool
	switch k {
	case kindJSON:
		keys = jsonTopKeys(b)
	case kindYAML:
		keys = yamlTopKeys(b)
	default:
		return false
	}
	switch {
	case keys["Resources"] || keys["resources"] || keys["AWSTemplateFormatVersion"]:
		return false
	case keys["operations"] && keys["shapes"], keys["smithy"], keys["ResourceTypes"], keys["PropertyTypes"],
		keys["typeName"] && (keys["properties"] || keys["definitions"]), keys["openapi"], keys["swagger"], keys["provider_schemas"],
		keys["$schema"] && (keys["definitions"] || keys["$defs"] || keys["properties"]),
		keys["version"] && (keys["examples"] || keys["waiters"]), keys["pagination"]:
		return true
	}
	return false
}

// jsonTopKeys returns the keys of the object at the top of JSON b (none
// when it is no object), skipping every value whole.
func jsonTopKeys(b []byte) map[string]bool {
	keys := map[string]bool{}
	i := skipSpace(b, 0)
	if i < len(b) && b[i] == 0xEF {
		i = skipSpace(b, i+3) // a byte order mark
	}
	if i >= len(b) || b[i] != '{' {
		return keys
	}
	depth := 0
	expectKey := true
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			end := stringEnd(b, i+1, '"', true)
			if depth == 1 && expectKey {
				keys[string(b[i+1:min(end, len(b))])] = true
				expectKey = false
			}
			i = end
		case '{', '[':
			if depth++; depth == 1 {
				expectKey = true
			}
		case '}', ']':
			if depth--; depth == 0 {
				return keys
			}
		case ',':
			if depth == 1 {
				expectKey = true
			}
		}
	}
	return keys
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// yamlTopKeys returns the keys of the mapping at the top of YAML b: the
// keys that open a line, unquoted or quoted.
func yamlTopKeys(b []byte) map[string]bool {
	keys := map[string]bool{}
	for len(b) > 0 {
		line := b[:lineEnd(b, 0)]
		b = b[min(len(line)+1, len(b)):]
		if len(line) == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-' {
			continue
		}
		k, _, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		keys[strings.Trim(string(bytes.TrimSpace(k)), `"'`)] = true
	}
	return keys
}
