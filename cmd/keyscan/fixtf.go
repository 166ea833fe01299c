package main

import (
	"bytes"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

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
	ents, err := t.cache.readDir(folder)
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
	if !self && bytes.Contains(data, []byte("backend")) {
		backendConfigs(t, dir, others, &unread)
	}
	for off, r := range fix.TerraformMergeHolds(t.name, data, found, others, unread) {
		addHold(opts, off, r)
	}
}

// maxBackendWalk bounds the entries backendConfigs looks at.
const maxBackendWalk = 20000

// backendConfigs adds to others what terraform init may merge into the
// backend "s3" block of a file in the folder dir (below the run's root,
// '/'-separated) (qa15 HIGH-9): the partial backend configuration files
// (NAME.tfbackend, backend.hcl) of that folder and its sub-folders, and
// any of the run that a -backend-config flag names by its file name; and
// the files of the run (a script, a Makefile, a CI workflow) that give
// terraform init -backend-config flags, whose KEY=VALUE settings count.
// A flag naming a file the run does not hold adds that name to unread:
// the file may set an endpoint. For a file named alone, the partial
// configuration files beside it are named in unread. Links are not
// followed, and no file outside the root is read.
func backendConfigs(t fixTarget, dir string, others map[string][]byte, unread *[]string) {
	if !t.rootIsDir {
		ents, err := t.cache.readDir(filepath.Dir(t.disk))
		if err != nil {
			return
		}
		for _, de := range ents {
			if de.Type().IsRegular() && fix.TerraformBackendConfig(de.Name()) {
				*unread = append(*unread, path.Join(path.Dir(filepath.ToSlash(t.name)), de.Name()))
			}
		}
		return
	}
	configs := map[string]string{} // rel -> base name, every partial configuration of the run
	var named []string             // files named by -backend-config flags
	skip := func(name, _ string) bool { return name == ".terraform" || gitOrModules(name, "") }
	t.walkFiles(maxBackendWalk, skip, func(rel string, de fs.DirEntry) {
		if fix.TerraformBackendConfig(de.Name()) {
			configs[rel] = strings.ToLower(de.Name())
			return
		}
		if !flagFile(de.Name()) {
			return
		}
		b, err := t.read(rel, t.maxSize)
		if err != nil {
			return
		}
		if settings, files := fix.BackendConfigFlags(b); len(settings)+len(files) > 0 {
			others[t.shown(rel)] = b
			named = append(named, files...)
		}
	})
	bases := map[string]bool{}
	for _, n := range named {
		bases[strings.ToLower(path.Base(filepath.ToSlash(n)))] = true
	}
	found := map[string]bool{}
	for rel, base := range configs {
		if bases[base] {
			found[base] = true
		} else if dir != "." && rel != dir && !strings.HasPrefix(rel, dir+"/") {
			continue
		}
		if b, err := t.read(rel, t.maxSize); err == nil {
			others[t.shown(rel)] = b
		}
	}
	for _, n := range named {
		if !found[strings.ToLower(path.Base(filepath.ToSlash(n)))] {
			*unread = append(*unread, n+" (named by a -backend-config flag, and not among the files of the run)")
		}
	}
}

// flagFile reports whether a file of this name may run terraform init
// with -backend-config flags: a script, a Makefile, a task runner's or a
// CI system's file.
func flagFile(name string) bool {
	n := strings.ToLower(name)
	switch path.Ext(n) {
	case ".sh", ".bash", ".zsh", ".ps1", ".cmd", ".bat", ".mk", ".yml", ".yaml", ".json", ".toml", ".hcl", ".just", ".groovy", ".py":
		return true
	case "":
		return true // Makefile, Justfile, Jenkinsfile, a script without an extension
	}
	return n == "jenkinsfile"
}
