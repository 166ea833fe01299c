package fix

import (
	"bytes"
	"github.com/keyscan/keyscan/internal/lazyre"
	"path"
	"sort"
	"strings"
)

// One backend "s3" block often serves several environments: the block
// names the bucket and the keys, and terraform init -backend-config=FILE
// (a partial configuration, FILE named NAME.s3.tfbackend in Terraform's
// documentation, or backend.hcl) or -backend-config=KEY=VALUE merges the
// rest into it, endpoints = { s3 = "http://minio:9000" } included (qa15
// HIGH-9). The merged block is the one Terraform runs, so such a file or
// flag that sets an endpoint, path style, a skipped check or a profile
// keeps the block's keys as the setting in the block itself does.

// TerraformBackendConfig reports whether name is a partial backend
// configuration file: NAME.tfbackend, or an .hcl file whose name says
// backend (backend.hcl, prod.backend.hcl, backend-dev.hcl).
func TerraformBackendConfig(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	return strings.HasSuffix(b, ".tfbackend") || strings.HasSuffix(b, ".hcl") && strings.Contains(b, "backend")
}

// backendFlag matches terraform init's -backend-config flag with its value
// (after = or a blank; quoted or not).
var backendFlag = lazyre.New(`-?-backend-config(?:=|[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s;|&]+)`)

// BackendConfigFlags returns the values of the -backend-config flags of a
// file (a script, a Makefile, a CI workflow): KEY=VALUE settings and the
// names of partial configuration files.
func BackendConfigFlags(data []byte) (settings, files []string) {
	if !strings.Contains(string(data), "-backend-config") {
		return nil, nil
	}
	for _, m := range backendFlag.FindAllStringSubmatch(string(data), -1) {
		v := m[1]
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
			v = v[1 : len(v)-1]
		}
		for strings.Count(v, ")") > strings.Count(v, "(") {
			v = v[:strings.LastIndexByte(v, ')')] // the end of a $(...) around the command
		}
		if v == "" {
			continue
		}
		k, _, isSetting := strings.Cut(v, "=")
		if isSetting && !strings.ContainsAny(k, "/.") {
			settings = append(settings, v)
		} else {
			files = append(files, v)
		}
	}
	return settings, files
}

// BackendConfigHint describes what in the file name keeps the keys of a
// backend "s3" block that terraform init merges it into (see tfHint): a
// partial configuration file's top-level settings, or the KEY=VALUE
// settings of the -backend-config flags of any other file; where says
// where it stands. "" when nothing does.
func BackendConfigHint(name string, data []byte) (what string, skip bool, where string) {
	if TerraformBackendConfig(name) {
		e := newEditor(data, HCL)
		what, skip = e.tfHint(0, len(e.lines)-1)
		return what, skip, ", in " + name + ", a partial backend configuration that terraform init -backend-config=" +
			path.Base(name) + " merges into this block"
	}
	settings, _ := BackendConfigFlags(data)
	if len(settings) == 0 {
		return "", false, ""
	}
	var b strings.Builder
	for _, s := range settings {
		k, v, _ := strings.Cut(s, "=")
		v = strings.TrimSpace(v)
		if v != "true" && v != "false" && !strings.HasPrefix(v, "{") && !strings.HasPrefix(v, `"`) {
			v = `"` + v + `"`
		}
		b.WriteString(strings.TrimSpace(k) + " = " + v + "\n")
	}
	e := newEditor([]byte(b.String()), HCL)
	what, skip = e.tfHint(0, len(e.lines)-1)
	return what, skip, ", given by terraform init -backend-config in " + name + ", which merges it into this block"
}

// TerraformVariableHold returns why the value of the Terraform variable v
// in the file def (a .tfvars file, or TF_VAR_v in an env file) stays for a
// person: a provider "aws" block among files (Terraform files by name) of
// def's folder, a folder above it (a -var-file=envs/prod.tfvars) or below
// it (a direnv .envrc reaches its sub-folders) reads var.v and has, itself
// or merged from another file of its folder (an override), a custom
// endpoint, a profile or skip_metadata_api_check (qa15 HIGH-12); "" when
// none does. Aliases are not told apart (see tfoverride.go).
func TerraformVariableHold(v, def string, files map[string][]byte) string {
	word := []byte("var." + v)
	home := path.Dir(path.Clean(strings.ReplaceAll(def, `\`, "/")))
	related := func(n string) bool {
		d := path.Dir(path.Clean(strings.ReplaceAll(n, `\`, "/")))
		return d == home || home == "." || d == "." || strings.HasPrefix(d, home+"/") || strings.HasPrefix(home, d+"/")
	}
	var readers []string // files with a provider "aws" block reading var.v
	for n, data := range files {
		if TerraformFile(n) && !tfJSONFile(n) && related(n) && bytes.Contains(data, word) && readsVar(data, v) {
			readers = append(readers, n)
		}
	}
	sort.Strings(readers)
	for _, r := range readers {
		dir := path.Dir(r)
		names := []string{r}
		for n := range files {
			if n != r && path.Dir(n) == dir && TerraformFile(n) {
				names = append(names, n)
			}
		}
		sort.Strings(names[1:])
		for _, n := range names {
			what, skip := tfMergeHint(n, files[n], "provider")
			if what == "" {
				continue
			}
			where := ", in the provider \"aws\" block of " + r + ", which reads var." + v
			if n != r {
				where = ", in " + n + ", which Terraform merges into the provider \"aws\" block of " + r + " that reads var." + v
			}
			return tfHintReason(what, skip, where)
		}
	}
	return ""
}

// readsVar reports whether a provider "aws" block of the HCL data reads
// var.v (varUse).
func readsVar(data []byte, v string) bool {
	e := newEditor(data, HCL)
	depth := e.hclDepths()
	for i := range e.lines {
		t := strings.TrimSpace(e.text(i))
		if depth[i] != 0 || hclBlockType(t) != "provider" || hclBlockLabel(t) != "aws" {
			continue
		}
		last := i
		if i+1 < len(e.lines) && depth[i+1] > 0 {
			_, last = e.hclBlock(i + 1)
		}
		if varUse(e.block(i, last), v) {
			return true
		}
	}
	return false
}

// varUse reports whether s holds var.v as a whole word, where the regexp
// \bvar\.v\b would match (ASCII word boundaries), without compiling one
// per variable: TerraformVariableHold runs for every definition.
func varUse(s, v string) bool {
	w := "var." + v
	for i := 0; i <= len(s); {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		if wordBoundary(s, j) && wordBoundary(s, j+len(w)) {
			return true
		}
		i = j + 1
	}
	return false
}

// wordBoundary reports whether \b matches at byte i of s: a word byte
// ([0-9A-Za-z_]) on one side only.
func wordBoundary(s string, i int) bool {
	word := func(b byte) bool {
		return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
	}
	return (i > 0 && word(s[i-1])) != (i < len(s) && word(s[i]))
}
