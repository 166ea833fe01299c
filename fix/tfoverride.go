package fix

import (
	"path"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// Terraform merges every override file of a module's folder (override.tf,
// NAME_override.tf, and their .tf.json forms) into the blocks of the same
// type and name of its other files: LocalStack's tflocal writes
// localstack_providers_override.tf with endpoints { s3 = ... } and
// skip_metadata_api_check = true for the provider "aws" of main.tf (qa14
// HIGH-6). The merged block is the one Terraform runs, so a setting that
// keeps a block's keys (hcl.go, endpoint.go) keeps them when it stands in
// another file merged into that block. Aliases are not told apart: an
// override's provider "aws" of any alias counts for every provider "aws"
// block of the folder (when in doubt, the keys stay).

// TerraformOverride reports whether name is a Terraform override file.
func TerraformOverride(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	b = strings.TrimSuffix(b, ".json")
	return b == "override.tf" || strings.HasSuffix(b, "_override.tf")
}

// TerraformFile reports whether name is a Terraform configuration file
// (.tf or .tf.json): the files Terraform merges overrides into.
func TerraformFile(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")
}

// tfJSONHint matches, in Terraform's JSON syntax, the settings that keep a
// provider's or backend's keys as hclHint, skipMetadata and tfProfile do
// in HCL.
var tfJSONHint = lazyre.New(`"(endpoints|(?:s3_use_path_style|s3_force_path_style|use_path_style|force_path_style|skip_credentials_validation|skip_requesting_account_id|skip_metadata_api_check)"\s*:\s*(?:true|"true"|"\$\{)|profile|shared_config_files?|shared_credentials_files?)"`)

// tfMergeHint describes what in the blocks of type block ("provider": the
// provider "aws" blocks; "terraform": the terraform blocks, which hold the
// S3 backend) of the Terraform file name keeps keys merged with them: a
// custom endpoint (endpoints { }, path style, skipped validation), a
// shared-config profile, or skip_metadata_api_check = true; "" when none.
// skip is whether the hint is skip_metadata_api_check.
func tfMergeHint(name string, data []byte, block string) (what string, skip bool) {
	if tfJSONFile(name) {
		// Judged over the whole file: a JSON override names little else.
		if m := tfJSONHint.FindStringSubmatch(string(data)); m != nil {
			return shorten(m[0]), strings.Contains(m[0], "skip_metadata")
		}
		e := newEditor(data, JSON)
		return e.endpointIn(0, len(e.lines)-1), false
	}
	e := newEditor(data, HCL)
	depth := e.hclDepths()
	for i := range e.lines {
		t := strings.TrimSpace(e.text(i))
		if depth[i] != 0 || hclBlockType(t) != block || block == "provider" && hclBlockLabel(t) != "aws" {
			continue
		}
		first, last := i, i
		if i+1 < len(e.lines) && depth[i+1] > 0 {
			_, last = e.hclBlock(i + 1)
		}
		if what, skip := e.tfHint(first, last); what != "" {
			return what, skip
		}
	}
	return "", false
}

// tfHint is tfMergeHint for lines first..last of an HCL file: a profile
// ("maybe: ..."), skip_metadata_api_check (skip), or a custom endpoint.
func (e *editor) tfHint(first, last int) (what string, skip bool) {
	for l := first; l <= last; l++ {
		if m := tfProfile.FindString(e.text(l)); m != "" {
			return "maybe: " + shorten(m), false
		}
		if m := skipMetadata.FindString(e.text(l)); m != "" && hclOn(m) {
			return shorten(m), true
		}
	}
	return e.endpointIn(first, last), false
}

// TerraformMergeHolds returns the findings of the Terraform file name (by
// offset) that stay for a person, with the reason, because another file of
// its folder that Terraform merges into the same block sets a custom
// endpoint, a profile or skip_metadata_api_check = true: others are those
// files by name (the override files for a file that is not one; every other
// Terraform file of the folder for an override file); unread are such
// files that keyscan fix did not read (the file was named alone), which
// may set them (qa14 HIGH-15). Only keys in a provider "aws" or a
// terraform block are looked at (the others stay anyway, hcl.go).
func TerraformMergeHolds(name string, data []byte, fs scanner.Findings, others map[string][]byte, unread []string) map[int]string {
	if len(fs) == 0 || len(others)+len(unread) == 0 {
		return nil
	}
	names := make([]string, 0, len(others))
	for n := range others {
		names = append(names, n)
	}
	sort.Strings(names)
	reasons := map[string]string{} // by block type
	reason := func(block string) string {
		if r, ok := reasons[block]; ok {
			return r
		}
		r := ""
		for _, n := range names {
			what, skip, where := "", false, ""
			if TerraformFile(n) {
				what, skip = tfMergeHint(n, others[n], block)
				where = ", in " + n + ", which Terraform merges into this block (an override file and the block it overrides are one block)"
			} else if block == "terraform" {
				what, skip, where = BackendConfigHint(n, others[n])
			}
			if what == "" {
				continue
			}
			r = tfHintReason(what, skip, where)
			break
		}
		if r == "" && len(unread) > 0 {
			why := " (the file was named alone: name the folder)"
			if strings.HasSuffix(unread[0], ")") {
				why = "" // the name says why (a -backend-config flag's file the run does not hold)
			}
			r = customEndpoint("maybe: " + unread[0] + ", which Terraform merges into this block (an override file and the block it " +
				"overrides are one block, as a partial backend configuration given to terraform init -backend-config is), was not read" +
				why + ", and endpoints, a profile or skip_metadata_api_check = true there would make these keys another service's")
		}
		reasons[block] = r
		return r
	}
	out := map[int]string{}
	var e *editor
	var depth []int
	for _, f := range fs {
		block := ""
		if !tfJSONFile(name) {
			if e == nil {
				e = newEditor(data, HCL)
				depth = e.hclDepths()
			}
			i := e.lineAt(f.Offset)
			if depth[i] <= 0 {
				continue
			}
			first, _ := e.hclBlock(i)
			block = hclBlockType(e.text(first))
			if block != "provider" && block != "terraform" {
				continue
			}
		}
		r := ""
		if block == "" {
			if r = reason("provider"); r == "" {
				r = reason("terraform")
			}
		} else {
			r = reason(block)
		}
		if r != "" {
			out[f.Offset] = r
		}
	}
	return out
}

// tfHintReason is the reason keys stay for a setting what (see tfHint)
// that stands where (", in FILE, which ...").
func tfHintReason(what string, skip bool, where string) string {
	switch {
	case skip:
		return "the block sets " + what + where + ": Terraform does not ask the instance metadata service, so without the keys it has " +
			"no credentials; remove that setting and the keys together by hand"
	case strings.HasPrefix(what, "maybe: "):
		return customEndpoint("maybe: the block chooses a shared-config profile or file (" + strings.TrimPrefix(what, "maybe: ") + where +
			"), whose endpoint_url keyscan does not read")
	}
	return customEndpoint(what + where)
}
