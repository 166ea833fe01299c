package fix

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// Infrastructure as code written as data (Terraform's JSON syntax, its
// .tfvars.json files, CloudFormation templates and parameters files) is
// JSON or YAML to the editor, but what removing a value means is the
// tool's: a Terraform variable without its default or its .tfvars value
// is required, and terraform plan -input=false fails; a CloudFormation
// parameter without a Default (or the value a parameters file gives it)
// must be given at every deploy, and the deploy fails where it is not.
// So these values are judged as the HCL ones are (hcl.go): a variable's
// default stays for a person, a .tfvars.json value is a Definition
// (TFVar) that stays when its variable has no default, and a
// CloudFormation parameter's value is a Definition (CFNParam) that
// always stays, naming the template that reads it where one is found.

// jsonKeys returns the member names from the root of a JSON document to
// the string at f ("[]" for a list element), the container holding it and
// the index there; ok is false when the file does not parse or f is not a
// string value.
func jsonKeys(content []byte, f scanner.Finding) (keys []string, t jtarget, ok bool) {
	jp := &jparser{data: content}
	root, err := jp.value(0)
	if err != nil {
		return nil, t, false
	}
	return jsonKeysIn(root, f)
}

func jsonKeysIn(root *jnode, f scanner.Finding) ([]string, jtarget, bool) {
	t, ok := locate(root, f.Offset, f.EndOffset)
	if !ok || len(t.path) == 0 {
		return nil, t, false
	}
	keys := make([]string, len(t.path))
	for k, c := range t.path {
		if c.kind == '{' {
			keys[k] = c.members[t.index[k]].key
		} else {
			keys[k] = "[]"
		}
	}
	return keys, t, true
}

// tfJSONFile reports whether name is Terraform's JSON syntax (main.tf.json).
func tfJSONFile(name string) bool {
	return strings.HasSuffix(strings.ToLower(strings.ReplaceAll(name, `\`, "/")), ".tf.json")
}

// tfvarsJSONFile reports whether name is a JSON variable definitions file
// (terraform.tfvars.json, prod.auto.tfvars.json, one given to -var-file).
func tfvarsJSONFile(name string) bool {
	return strings.HasSuffix(strings.ToLower(strings.ReplaceAll(name, `\`, "/")), ".tfvars.json")
}

// jsonIaCReason says why the JSON member holding f, at keys, stays for a
// person in a Terraform or CloudFormation file (empty when the file is
// neither, or the member may go).
func jsonIaCReason(name string, keys []string, f scanner.Finding) string {
	switch {
	case tfJSONFile(name):
		return tfJSONReason(keys, f)
	case tfvarsJSONFile(name):
		if len(keys) > 1 {
			return "the key is inside the value of Terraform variable " + keys[0] + ", which removing one member would change " +
				"(a map or object then misses an attribute its type may require); change it by hand. " + f.Suggestion
		}
	}
	return ""
}

// tfJSONReason is hclScope for Terraform's JSON syntax: a provider's or
// the backend's setting goes, a variable's default stays (the variable
// would be required), a key elsewhere (locals, module, resource) stays.
func tfJSONReason(keys []string, f scanner.Finding) string {
	if len(keys) == 0 {
		return "the key is set outside every block; remove it by hand. " + f.Suggestion
	}
	switch keys[0] {
	case "provider", "terraform":
		return ""
	case "variable":
		name := ""
		if len(keys) > 1 {
			name = keys[1]
		}
		for _, k := range keys[2:] {
			if k == "default" {
				return "removing the default would make variable " + name + " required (terraform plan asks for it, " +
					"and fails with -input=false); change it by hand. " + f.Suggestion
			}
		}
		return ""
	}
	return "the key is set in a " + keys[0] + " block, which other parts of the configuration may read " +
		"(only provider, backend and variable settings are rewritten); remove it by hand. " + f.Suggestion
}

// tfJSONDeclares is DeclaresVariable for Terraform's JSON syntax:
// {"variable": {"v": {"default": …}}}, the block also given as a list of
// objects.
func tfJSONDeclares(data []byte, v string) (declared, withDefault bool) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil {
		return false, false
	}
	raw, ok := doc["variable"]
	if !ok {
		return false, false
	}
	var blocks []map[string]json.RawMessage
	var one map[string]json.RawMessage
	if json.Unmarshal(raw, &one) == nil {
		blocks = append(blocks, one)
	} else if json.Unmarshal(raw, &blocks) != nil {
		return false, false
	}
	for _, b := range blocks {
		body, ok := b[v]
		if !ok {
			continue
		}
		var attrs map[string]json.RawMessage
		var list []map[string]json.RawMessage
		if json.Unmarshal(body, &attrs) == nil {
			list = append(list, attrs)
		} else if json.Unmarshal(body, &list) != nil {
			return true, false
		}
		for _, a := range list {
			if _, ok := a["default"]; ok {
				return true, true
			}
		}
		return true, false
	}
	return false, false
}

// tfvarsJSONNote is the note for a .tfvars.json value removed, which,
// unlike a .tfvars line, has no comment in its place.
func tfvarsJSONNote(name string, f scanner.Finding, variable string) string {
	return fmt.Sprintf("%s:%d: the variable %s lost its value: its declaration has a default, which it now takes; delete the "+
		"variable and its use in provider \"aws\" so the provider falls back to the instance profile", name, f.Line, variable)
}

// cfnTemplate reports whether data is a CloudFormation (or SAM) template:
// a top-level AWSTemplateFormatVersion, or Resources holding AWS:: types.
func cfnTemplate(data []byte) bool {
	s := string(data)
	// The words first: the patterns' line starts cost a pass of the
	// regexp machine over the whole file, for every finding (qa15 LOW-2).
	return strings.Contains(s, "AWSTemplateFormatVersion") && cfnVersion.MatchString(s) ||
		strings.Contains(s, "AWS::") && strings.Contains(s, "Resources") && cfnResources.MatchString(s)
}

// cfnTemplate is cfnTemplate of the editor's file, read once.
func (e *editor) cfnTemplate() bool {
	if e.cfn == 0 {
		e.cfn = 1
		if cfnTemplate(e.data) {
			e.cfn = 2
		}
	}
	return e.cfn == 2
}

var (
	cfnVersion   = lazyre.New(`(?m)^["']?AWSTemplateFormatVersion["']?\s*:|^\s*\{?\s*"AWSTemplateFormatVersion"\s*:`)
	cfnResources = lazyre.New(`(?m)^["']?Resources["']?\s*:|"Resources"\s*:`)
)

// cfnParamDefault returns the parameter whose Default holds the setting at
// keys (Parameters.NAME.Default) of a template.
func cfnParamDefault(keys []string) (string, bool) {
	if len(keys) == 3 && keys[0] == "Parameters" && keys[2] == "Default" {
		return keys[1], true
	}
	return "", false
}

// cfnParamValue returns the parameter a parameters file gives the value
// at keys: a ParameterValue beside its ParameterKey in a list ([{…}], the
// format of aws cloudformation create-stack --parameters file://…), or a
// member of a top-level Parameters object (a CodePipeline template
// configuration file). key is the ParameterKey, read by the caller.
func cfnParamValue(keys []string, parameterKey string) (string, bool) {
	n := len(keys)
	switch {
	case n >= 2 && keys[n-1] == "ParameterValue" && keys[n-2] == "[]" && parameterKey != "":
		return parameterKey, true
	case n == 2 && keys[0] == "Parameters":
		return keys[1], true
	}
	return "", false
}

// jsonParameterKey returns the ParameterKey beside the member at t, or "".
func jsonParameterKey(data []byte, t jtarget) string {
	c := t.path[len(t.path)-1]
	if c.kind != '{' {
		return ""
	}
	for _, m := range c.members {
		if m.key == "ParameterKey" && m.val.kind == '"' {
			var s string
			if json.Unmarshal(data[m.val.start:m.val.end], &s) == nil {
				return s
			}
		}
	}
	return ""
}

// cfnDefinitionJSON returns the CloudFormation parameter definition the
// JSON member holding f is, if any: a template's Default or a parameters
// file's value.
func cfnDefinitionJSON(content []byte, f scanner.Finding) (Definition, bool) {
	keys, t, ok := jsonKeys(content, f)
	if !ok {
		return Definition{}, false
	}
	if cfnTemplate(content) {
		if p, ok := cfnParamDefault(keys); ok {
			return Definition{Kind: CFNParam, Name: p, Scope: "Default"}, true
		}
		return Definition{}, false
	}
	if p, ok := cfnParamValue(keys, jsonParameterKey(content, t)); ok {
		return Definition{Kind: CFNParam, Name: p, Scope: "value"}, true
	}
	return Definition{}, false
}

// cfnDefinitionYAML is cfnDefinitionJSON for a YAML template (or a YAML
// parameters list).
func (e *editor) cfnDefinitionYAML(i int) (Definition, bool) {
	keys := e.yamlPath(i)
	if len(keys) == 0 {
		return Definition{}, false
	}
	if e.cfnTemplate() {
		if p, ok := cfnParamDefault(keys); ok {
			return Definition{Kind: CFNParam, Name: p, Scope: "Default"}, true
		}
		return Definition{}, false
	}
	pk := ""
	if n := len(keys); n >= 2 && keys[n-1] == "ParameterValue" {
		if first, last, ok := e.listItem(i); ok {
			if l, ok := e.itemKeys(first, last)["parameterkey"]; ok {
				if a, ok := e.parseAssign(l); ok {
					pk = unquote(a.inner)
				}
			}
		}
	}
	if p, ok := cfnParamValue(keys, pk); ok {
		return Definition{Kind: CFNParam, Name: p, Scope: "value"}, true
	}
	return Definition{}, false
}

// cfnReaders finds where a CloudFormation template reads parameter p:
// !Ref p, Ref: p, {"Ref": "p"}, ${p} in a !Sub or Fn::Sub string.
func cfnReaders(text, p string) [][]int {
	q := regexp.QuoteMeta(p)
	re := lazyre.New(`!Ref\s+["']?` + q + `["']?(?:[^A-Za-z0-9]|$)|["']?Ref["']?\s*:\s*["']?` + q + `["']?(?:[^A-Za-z0-9.]|$)|\$\{` + q + `\}`)
	return re.FindAllStringIndex(text, -1)
}

// cfnWhat names a reader match as the template writes it.
func cfnWhat(m, p string) string {
	switch {
	case strings.HasPrefix(m, "!Ref"):
		return "!Ref " + p
	case strings.HasPrefix(m, "${"):
		return "Sub ${" + p + "}"
	}
	return "Ref " + p
}

// cfnFile reports whether a file of this name may be a CloudFormation
// template or parameters file keyscan reads for references.
func cfnFile(name string) bool {
	switch path.Ext(strings.ToLower(name)) {
	case ".yaml", ".yml", ".json", ".template":
		return true
	}
	return false
}
