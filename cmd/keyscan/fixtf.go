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
// such settings. Those files are read when a folder is fixed, inside it,
// following no link; for a file named alone only their names are looked
// at, and one beside it keeps the keys of its blocks, saying it was not
// read (qa14 HIGH-15).
func tfOverrideHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if len(found) == 0 || !fix.TerraformFile(t.name) {
		return
	}
	rel, dir := t.rel(), path.Dir(t.rel())
	folder := filepath.Join(t.root, filepath.FromSlash(dir))
	if !t.rootIsDir {
		rel, dir, folder = path.Base(filepath.ToSlash(t.disk)), path.Dir(filepath.ToSlash(t.name)), filepath.Dir(t.disk)
	}
	ents, err := os.ReadDir(folder)
	if err != nil {
		return
	}
	self := fix.TerraformOverride(rel)
	others := map[string][]byte{}
	var unread []string
	for _, de := range ents {
		p := path.Join(dir, de.Name())
		if !t.rootIsDir {
			p = de.Name()
		}
		if p == rel || !de.Type().IsRegular() || !fix.TerraformFile(de.Name()) || !self && !fix.TerraformOverride(de.Name()) {
			continue
		}
		if !t.rootIsDir {
			unread = append(unread, path.Join(dir, de.Name()))
			continue
		}
		if b, err := t.read(p, t.maxSize); err == nil {
			others[t.shown(p)] = b
		}
	}
	for off, r := range fix.TerraformMergeHolds(t.name, data, found, others, unread) {
		addHold(opts, off, r)
	}
}
