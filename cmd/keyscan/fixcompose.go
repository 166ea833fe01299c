package main

import (
	"errors"
	"io/fs"
	"os"
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
	if !t.rootIsDir || len(found) == 0 {
		return
	}
	hold := func(x scanner.Finding, reason string) {
		if opts.Hold == nil {
			opts.Hold = map[int]string{}
		}
		if _, ok := opts.Hold[x.Offset]; !ok {
			opts.Hold[x.Offset] = reason
		}
	}
	rel := t.rel()
	if fix.ComposeFile(t.name) {
		svcs := fix.ComposeServices(data)
		for _, s := range svcs {
			reason := serviceEndpointElsewhere(t, rel, svcs, s)
			if reason == "" {
				continue
			}
			for _, x := range found {
				if x.Offset >= s.Start && x.Offset < s.End {
					hold(x, reason)
				}
			}
		}
		return
	}
	if fix.Detect(t.name, data) != fix.Env {
		return
	}
	// An env file: the compose files of its folder and the folders above
	// it, up to the root, that name it as a service's env_file.
	for dir := path.Dir(rel); ; dir = path.Dir(dir) {
		for _, c := range composeFilesIn(t, dir) {
			cdata, err := t.read(c, t.maxSize)
			if err != nil {
				continue
			}
			svcs := fix.ComposeServices(cdata)
			for _, s := range svcs {
				reads := false
				for _, f := range s.EnvFiles {
					reads = reads || path.Join(path.Dir(c), filepath.ToSlash(f)) == rel
				}
				if !reads {
					continue
				}
				reason := ""
				if s.Endpoint != "" {
					reason = fix.ComposeEndpointReason(s.Endpoint, c, "the service "+s.Name+" that reads this file as its env_file")
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
		if dir == "." || dir == "/" || dir == "" {
			return
		}
	}
}

// serviceEndpointElsewhere says which other file gives service s of the
// compose file at rel (content data, services svcs) a custom endpoint:
// an override file compose merges, the service it extends, one of its
// env_file files; "" when none does.
func serviceEndpointElsewhere(t fixTarget, rel string, svcs []fix.ComposeService, s fix.ComposeService) string {
	dir := path.Dir(rel)
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
	merged := fix.ComposeMerged(rel)
	if env, err := t.read(path.Join(dir, ".env"), t.maxSize); err == nil {
		merged = append(merged, fix.ComposeFileVar(env, path.Base(rel))...)
	}
	for _, m := range merged {
		p := path.Join(dir, m)
		if p == rel || strings.HasPrefix(p, "../") || path.IsAbs(m) {
			continue
		}
		b, err := t.read(p, t.maxSize)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				if _, serr := os.Lstat(filepath.Join(t.root, filepath.FromSlash(p))); serr == nil {
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
			if path.IsAbs(cur.ExtendsFile) || p == ".." || strings.HasPrefix(p, "../") {
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
	ents, err := os.ReadDir(filepath.Join(t.root, filepath.FromSlash(dir)))
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
