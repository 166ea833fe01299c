package main

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/scanner"
)

// composeHolds leaves for a person the keys of a compose service whose
// environment gets a custom endpoint from another file docker compose
// builds it from (fix/composemerge.go): the override file compose merges
// without being asked, the service it extends:, or, for an env file, the
// compose service that reads it as env_file: and sets the endpoint in its
// environment: (or in its override). Only files inside the folder fixed
// are read, none when the file was named alone (its siblings were not
// named), following no link.
func composeHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if len(found) == 0 {
		return
	}
	hold := func(x scanner.Finding, reason string) { addHold(opts, x.Offset, reason) }
	if !t.rootIsDir {
		// A compose file named alone: its siblings were not named, and
		// none is read; but one that COMPOSE_FILE merges with others
		// gets their endpoints, which keyscan fix did not read.
		if fix.ComposeFile(t.name) {
			if others := composeFileEnv(t, t.disk); len(others) > 0 {
				for _, x := range found {
					hold(x, fix.ComposeEndpointReason("maybe an endpoint setting", others[0],
						"which docker compose merges with this file through COMPOSE_FILE; keyscan fix did not read it (the file was named alone: name the folder)"))
				}
			}
		}
		return
	}
	rel := t.rel()
	if self := composeSelf(t, rel); len(self) > 0 {
		svcs := fix.ComposeServices(data)
		for _, ref := range self {
			for _, s := range svcs {
				reason := serviceEndpointElsewhere(t, ref, svcs, s)
				if reason == "" {
					continue
				}
				for _, x := range found {
					if x.Offset >= s.Start && x.Offset < s.End {
						hold(x, reason)
					}
				}
			}
		}
		return
	}
	if fix.Detect(t.name, data) != fix.Env {
		return
	}
	// An env file: the compose files of its folder and the folders above
	// it, up to the root, then of the other folders under the root, and
	// the files they include, that name it as a service's env_file.
	for _, dir := range composeDirs(t, rel) {
		for _, c := range composeRefs(t, dir) {
			cdata, err := t.read(c.rel, t.maxSize)
			if err != nil {
				continue
			}
			svcs := fix.ComposeServices(cdata)
			for _, s := range svcs {
				reads := false
				for _, f := range s.EnvFiles {
					reads = reads || path.Join(c.dir, filepath.ToSlash(f)) == rel
				}
				if !reads {
					continue
				}
				reason := ""
				if s.Endpoint != "" {
					reason = fix.ComposeEndpointReason(s.Endpoint, c.rel, "the service "+s.Name+" that reads this file as its env_file")
				} else {
					reason = serviceEndpointElsewhere(t, c, svcs, s)
				}
				if reason != "" {
					for _, x := range found {
						hold(x, reason)
					}
					return
				}
			}
		}
	}
}

// composeDirs lists the folders whose compose files may load the file at
// rel: its own and those above it, up to the root, then every other
// folder under the root that holds a compose file (at most maxReaders
// entries walked, no link followed), since a compose file anywhere may
// include ../storage/minio.yml or name ../storage/aws.env (fix18's
// leftover: app/compose.yaml including a file of a sibling folder).
func composeDirs(t fixTarget, rel string) []string {
	var out []string
	seen := map[string]bool{}
	for dir := path.Dir(rel); ; dir = path.Dir(dir) {
		out = append(out, dir)
		seen[dir] = true
		if dir == "." || dir == "/" || dir == "" {
			break
		}
	}
	for _, d := range t.once("composeFolders", func() any {
		var dirs []string
		t.walkFiles(maxReaders, gitOrModules, func(r string, de fs.DirEntry) {
			name := strings.ToLower(de.Name())
			if strings.Contains(name, "compose") && (strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")) {
				dirs = append(dirs, path.Dir(r))
			}
		})
		return dirs
	}).([]string) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// composeRef is a compose file as docker compose loads it: its path below
// the root, the folder its relative paths are taken from (its own, or
// the project_directory of the include: entry that loads it), and the
// files merged with it (the other paths of that include: entry).
type composeRef struct {
	rel, dir string
	merged   []string
}

// composeRefs returns the compose files of folder dir (by name) and,
// followed a few steps, the files they include: (any name, anywhere
// inside the root), each as docker compose loads it.
func composeRefs(t fixTarget, dir string) []composeRef {
	var out []composeRef
	for _, c := range composeFilesIn(t, dir) {
		out = append(out, composeRef{rel: c, dir: dir})
	}
	for i := 0; i < len(out) && i < 64; i++ {
		c := out[i]
		b, err := t.read(c.rel, t.maxSize)
		if err != nil {
			continue
		}
		for _, inc := range fix.ComposeIncludes(b) {
			base := path.Dir(c.rel) // include: paths are the including file's
			var paths []string
			for _, p := range inc.Paths {
				paths = append(paths, path.Join(base, filepath.ToSlash(p)))
			}
			if insideRoot(paths[0]) {
				out = append(out, composeRef{rel: paths[0], dir: inc.IncludeDir(base), merged: paths[1:]})
			}
		}
	}
	return out
}

// insideRoot reports whether p, a cleaned path below the root, stays
// inside it.
func insideRoot(p string) bool {
	return p != ".." && !strings.HasPrefix(p, "../") && !path.IsAbs(p)
}

// composeSelf returns the ways docker compose loads the target at rel: as
// a compose file of its folder (by name), and as a file that a compose
// file of its folder, a folder above or another folder under the root
// includes. None: it is no compose
// file.
func composeSelf(t fixTarget, rel string) []composeRef {
	var out []composeRef
	seen := map[string]bool{}
	for _, dir := range composeDirs(t, rel) {
		for _, c := range composeRefs(t, dir) {
			if k := c.dir + "\x00" + strings.Join(c.merged, "\x00"); c.rel == rel && !seen[k] {
				seen[k] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// serviceEndpointElsewhere says which other file gives service s of the
// compose file c (services svcs) a custom endpoint: an override file
// compose merges, a file COMPOSE_FILE or its include: entry merges with
// it, the service it extends, one of its env_file files; "" when none
// does.
func serviceEndpointElsewhere(t fixTarget, c composeRef, svcs []fix.ComposeService, s fix.ComposeService) string {
	rel, dir := c.rel, c.dir
	// Its other env_file files: env_file: [aws.env, endpoint.env].
	for _, f := range s.EnvFiles {
		p := path.Join(dir, filepath.ToSlash(f))
		if p == t.rel() {
			continue
		}
		if r := envFileEndpoint(t, p); r != "" {
			return fix.ComposeEndpointReason(r, p, "another env_file of the service "+s.Name)
		}
	}
	var merged []string // below the root
	for _, m := range fix.ComposeMerged(rel) {
		merged = append(merged, path.Join(path.Dir(rel), m))
	}
	if env, err := t.read(path.Join(path.Dir(rel), ".env"), t.maxSize); err == nil {
		for _, m := range fix.ComposeFileVar(env, path.Base(rel)) {
			if path.IsAbs(m) {
				return fix.ComposeEndpointReason("maybe an endpoint setting", m, "which COMPOSE_FILE in "+path.Join(path.Dir(rel), ".env")+
					" merges with this file; it lies outside the folder fixed, so keyscan fix did not read it")
			}
			merged = append(merged, path.Join(path.Dir(rel), m))
		}
	}
	merged = append(merged, c.merged...)
	merged = append(merged, composeFileEnv(t, filepath.Join(t.root, filepath.FromSlash(rel)))...)
	for _, p := range merged {
		if p == rel {
			continue
		}
		if !insideRoot(p) {
			return fix.ComposeEndpointReason("maybe an endpoint setting", p, "which docker compose merges with this file; it lies outside the folder fixed, so keyscan fix did not read it")
		}
		b, err := t.read(p, t.maxSize)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				if _, serr := t.cache.lstat(filepath.Join(t.root, filepath.FromSlash(p))); serr == nil {
					return fix.ComposeEndpointReason("maybe an endpoint setting", p, "which docker compose merges with this file and keyscan fix could not read")
				}
			}
			continue
		}
		for _, o := range fix.ComposeServices(b) {
			if o.Name != s.Name {
				continue
			}
			if o.Endpoint != "" {
				return fix.ComposeEndpointReason(o.Endpoint, p, "which docker compose merges into the service "+s.Name)
			}
			for _, f := range o.EnvFiles {
				if r := envFileEndpoint(t, path.Join(dir, filepath.ToSlash(f))); r != "" {
					return fix.ComposeEndpointReason(r, path.Join(dir, f), "the env_file the override "+p+" gives the service "+s.Name)
				}
			}
		}
	}
	// extends: one level and its own extends, at most a few steps.
	cur, curFile, curSvcs := s, rel, svcs
	for step := 0; step < 4 && cur.ExtendsService != ""; step++ {
		if cur.ExtendsFile != "" {
			p := path.Join(path.Dir(curFile), filepath.ToSlash(cur.ExtendsFile))
			if path.IsAbs(cur.ExtendsFile) || !insideRoot(p) {
				return fix.ComposeEndpointReason("maybe an endpoint setting", cur.ExtendsFile,
					"whose service "+cur.ExtendsService+" this service extends; it lies outside the folder fixed, so keyscan fix did not read it")
			}
			b, err := t.read(p, t.maxSize)
			if err != nil {
				return fix.ComposeEndpointReason("maybe an endpoint setting", p,
					"whose service "+cur.ExtendsService+" this service extends; keyscan fix could not read it")
			}
			curFile, curSvcs = p, fix.ComposeServices(b)
		}
		next, ok := fix.ComposeService{}, false
		for _, o := range curSvcs {
			if o.Name == cur.ExtendsService {
				next, ok = o, true
			}
		}
		if !ok {
			return ""
		}
		if next.Endpoint != "" {
			return fix.ComposeEndpointReason(next.Endpoint, curFile, "in the service "+next.Name+", which this service extends")
		}
		cur = next
	}
	return ""
}

// composeFileEnv returns the other files that COMPOSE_FILE, set in the
// environment keyscan fix runs in, merges with the compose file at disk
// (docker compose reads the variable on every run without -f, before the
// project's .env): paths below the target's root (a "../" path for one
// outside it, an absolute one when the root cannot be made absolute).
// None when the variable is unset or does not name the file. Its
// entries are taken from the working directory, as docker compose takes
// them, and split at COMPOSE_PATH_SEPARATOR (':' by default, ';' on
// Windows).
func composeFileEnv(t fixTarget, disk string) []string {
	if t.composeFile == "" {
		return nil
	}
	sep := t.composeSep
	if sep == "" {
		sep = string(filepath.ListSeparator)
	}
	self, err := filepath.Abs(disk)
	if err != nil {
		return nil
	}
	root, err := filepath.Abs(t.root)
	if err != nil {
		return nil
	}
	if !t.rootIsDir {
		root = filepath.Dir(root)
	}
	in := false
	var out []string
	for _, n := range strings.Split(t.composeFile, sep) {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		abs, err := filepath.Abs(n)
		if err != nil {
			continue
		}
		if abs == self {
			in = true
			continue
		}
		r, err := filepath.Rel(root, abs)
		if err != nil {
			r = abs
		}
		out = append(out, filepath.ToSlash(r))
	}
	if !in {
		return nil
	}
	return out
}

// envFileEndpoint reads the env file at rel and returns the endpoint it
// sets, or "".
func envFileEndpoint(t fixTarget, rel string) string {
	if strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return ""
	}
	b, err := t.read(rel, t.maxSize)
	if err != nil {
		return ""
	}
	return fix.EnvFileEndpoint(b)
}

// composeFilesIn lists the compose files (by name: docker-compose*.yml,
// compose*.yaml, ...) of folder dir below the target's root, as paths
// below the root. Only names are read here; each file is then read
// through t.read, which follows no link.
func composeFilesIn(t fixTarget, dir string) []string {
	ents, err := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range ents {
		n := strings.ToLower(de.Name())
		if !de.Type().IsRegular() || !strings.Contains(n, "compose") || !(strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml")) {
			continue
		}
		out = append(out, path.Join(dir, de.Name()))
	}
	return out
}
