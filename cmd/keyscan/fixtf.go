package main

import (
	"os"
	"path"
	"path/filepath"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/scanner"
)

// tfOverrideHolds leaves for a person the keys of a Terraform provider
// "aws" or backend block that an override file of the same folder
// (override.tf, NAME_override.tf: LocalStack's tflocal writes one) merges
// endpoints, a profile or skip_metadata_api_check into (qa14 HIGH-6), and
// the keys of an override file whose blocks the folder's other files give
// such settings. Only when a folder is fixed (a file named alone is judged
// by itself), inside it, following no link.
func tfOverrideHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if !t.rootIsDir || len(found) == 0 || !fix.TerraformFile(t.name) {
		return
	}
	rel := t.rel()
	dir := path.Dir(rel)
	ents, err := os.ReadDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	if err != nil {
		return
	}
	self := fix.TerraformOverride(rel)
	others := map[string][]byte{}
	for _, de := range ents {
		p := path.Join(dir, de.Name())
		if p == rel || !de.Type().IsRegular() || !fix.TerraformFile(de.Name()) || !self && !fix.TerraformOverride(de.Name()) {
			continue
		}
		if b, err := t.read(p, t.maxSize); err == nil {
			others[p] = b
		}
	}
	for off, r := range fix.TerraformMergeHolds(t.name, data, found, others) {
		if opts.Hold == nil {
			opts.Hold = map[int]string{}
		}
		if _, ok := opts.Hold[off]; !ok {
			opts.Hold[off] = r
		}
	}
}
