package fix

import (
	"bytes"
	"path"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// HCL is the syntax of Terraform and of other HashiCorp tools (a Nomad job,
// a Packer template, Terragrunt, Consul and Vault configurations), and what
// removing a key means differs between them: in Terraform's provider block
// the provider falls back to the instance profile of the machine that runs
// Terraform, in its backend block the backend does, a variable's default
// is then asked for; a key in a Nomad task's env, a Terraform local or a
// module's argument is read by something keyscan cannot see, and removing it
// may break the program. So only Terraform's own blocks are rewritten, each
// with a comment that is true of it, and the rest is left for a person.

// hclScope reports why the HCL setting that holds f is left for a person
// (empty when it may be removed), and records the comment that says where
// the credentials come from instead.
func (e *editor) hclScope(name string, f scanner.Finding) string {
	ext := path.Ext(strings.ToLower(strings.ReplaceAll(name, `\`, "/")))
	i := e.lineAt(f.Offset)
	block := ""
	if e.hclDepths()[i] > 0 {
		first, _ := e.hclBlock(i)
		block = hclBlockType(e.text(first))
	}
	terraform := ext == ".tf" || ext == ".tfvars"
	if block == "provider" || block == "terraform" {
		first, last := e.hclBlock(i)
		for l := first; l <= last && l < len(e.lines); l++ {
			if m := tfProfile.FindString(e.text(l)); m != "" {
				// The profile's endpoint_url (a MinIO or R2 profile) is in
				// a file keyscan does not read with the configuration.
				return customEndpoint("maybe: the block chooses a shared-config profile or file (" + shorten(m) +
					"), whose endpoint_url keyscan does not read")
			}
			if m := skipMetadata.FindString(e.text(l)); m != "" && hclOn(m) {
				return "the block sets " + shorten(m) + ": Terraform does not ask the instance metadata service, " +
					"so without the keys it has no credentials; remove that setting and the keys together by hand. " + f.Suggestion
			}
		}
	}
	switch {
	case block == "provider":
		return ""
	case block == "terraform":
		e.notes[i] = []string{"# keyscan: AWS keys removed; the backend uses the instance profile of the machine that runs Terraform"}
		return ""
	case block == "variable" && terraform:
		if a, ok := e.parseAssign(i); ok && strings.EqualFold(a.key, "default") {
			// Without its default the variable is required: terraform
			// plan asks for it, and fails where it cannot ask (CI,
			// -input=false). The change that works deletes the variable
			// and its use (var.NAME in the provider) together.
			first, _ := e.hclBlock(i)
			return "removing the default would make variable " + hclBlockLabel(e.text(first)) + " required (terraform plan asks for it, " +
				"and fails with -input=false); change it by hand. " + f.Suggestion
		}
		e.notes[i] = []string{"# keyscan: AWS keys removed; delete this variable and its use in provider \"aws\", which then uses the instance profile of the machine that runs Terraform"}
		return ""
	case block == "" && ext == ".tfvars":
		e.notes[i] = []string{"# keyscan: AWS keys removed; delete the variables they set and their use in provider \"aws\", which then uses the instance profile of the machine that runs Terraform"}
		return ""
	case !terraform:
		return "the file is HCL but not Terraform (a Nomad job, a Packer template, Terragrunt?), " +
			"and keyscan does not know what reads its keys; remove the key by hand where that can use the instance role. " + withoutProvider(f.Suggestion)
	case block == "":
		return "the key is set outside every block; remove it by hand. " + f.Suggestion
	}
	return "the key is set in a " + block + " block, which other parts of the configuration may read " +
		"(only provider, backend and variable settings are rewritten); remove it by hand. " + f.Suggestion
}

// HCLBlockAt returns the HCL file data with everything but the
// top-level block that holds offset off (resource "aws_lambda_function"
// "app" { … } whole) blanked, lines and offsets kept, or nil when off is
// outside every block: keyscan fix asks go fix's deployments table of the
// block a key is set in, not of the whole file, whose provider block's
// keys are Terraform's own.
func HCLBlockAt(data []byte, off int) []byte {
	e := newEditor(data, HCL)
	if off < 0 || off >= len(data) || len(e.lines) == 0 {
		return nil
	}
	i := e.lineAt(off)
	if e.hclDepths()[i] <= 0 {
		return nil
	}
	first, last := e.hclBlock(i)
	out := bytes.Clone(data)
	for k, c := range out {
		if (k < e.lines[first].start || k >= e.lines[last].end) && c != '\n' {
			out[k] = ' '
		}
	}
	return out
}

// hclBlockLabel is the first label of a block's header line: the NAME of
// variable "NAME" {.
func hclBlockLabel(s string) string {
	if _, rest, ok := strings.Cut(s, `"`); ok {
		if l, _, ok := strings.Cut(rest, `"`); ok {
			return l
		}
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), hclBlockType(s))), "{"))
}

// DeclaresVariable reports whether the Terraform file data declares the
// variable v (variable "v" {), and whether the declaration gives it a
// default: a .tfvars value removed leaves such a variable its default,
// and one without a default required.
func DeclaresVariable(name string, data []byte, v string) (declared, withDefault bool) {
	if tfJSONFile(name) {
		return tfJSONDeclares(data, v)
	}
	if !strings.HasSuffix(strings.ToLower(name), ".tf") {
		return false, false
	}
	e := newEditor(data, HCL)
	depth := e.hclDepths()
	for i := range e.lines {
		t := strings.TrimSpace(e.text(i))
		if depth[i] != 0 || hclBlockType(t) != "variable" || hclBlockLabel(t) != v {
			continue
		}
		if i+1 >= len(e.lines) || depth[i+1] == 0 {
			// a one-line block: variable "v" { default = "" }
			return true, strings.Contains(t, "default")
		}
		_, last := e.hclBlock(i + 1)
		for l := i + 1; l <= last; l++ {
			if a, ok := e.parseAssign(l); ok && a.key == "default" && depth[l] == 1 {
				return true, true
			}
		}
		return true, false
	}
	return false, false
}

// tfProfile matches the aws provider's and the S3 backend's settings that
// choose a shared-config profile or file.
var tfProfile = lazyre.New(`^[ \t]*(?:profile|shared_config_files?|shared_credentials_files?)[ \t]*=.*`)

// skipMetadata matches the aws provider's and the S3 backend's setting that
// keeps Terraform from the instance metadata service, where the instance
// role's credentials come from: true, or a value that may be true in some
// runs (var.offline, "${...}", a function's call); only a literal false
// lets the fix go on (review15 C-5: a variable's value removed the keys).
var skipMetadata = lazyre.New(`^[ \t]*skip_metadata_api_check[ \t]*=[ \t]*[^\s#][^#\n]*`)

// hclOn reports whether m, a setting as a block writes it (name = value,
// or an endpoints block's header), is on or may be: any value but a
// literal false or null (a variable, a negation, a condition, a workspace
// test, a function's answer) can turn it on in some run.
func hclOn(m string) bool {
	_, v, ok := strings.Cut(m, "=")
	if !ok {
		return true
	}
	v = strings.TrimSpace(v)
	if i := strings.Index(v, "//"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	switch v {
	case "false", `"false"`, "null":
		return false
	}
	return true
}

// hclBlockType is the first word of a block's header line: provider,
// terraform, resource, job.
func hclBlockType(s string) string {
	s = strings.TrimSpace(s)
	n := 0
	for n < len(s) && isKeyByte(s[n]) {
		n++
	}
	return s[:n]
}

// withoutProvider is a suggestion without the advice the scanner gives every
// HCL file, which is about Terraform's provider "aws" block: false of a
// Nomad job.
func withoutProvider(s string) string {
	const head, tail = `Delete access_key/secret_key (and token) from the provider "aws" block;`, "that runs Terraform. "
	if i := strings.Index(s, head); i >= 0 {
		if j := strings.Index(s[i:], tail); j >= 0 {
			return s[:i] + s[i+j+len(tail):]
		}
	}
	return s
}
