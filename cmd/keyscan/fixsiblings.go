package main

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/scanner"
)

// Some programs load more than one file of a folder as one configuration:
// the common dotenv loaders layer .env files. An endpoint in one makes
// the keys of the other another service's (fix18).

// dotenvHolds leaves for a person the keys of a .env file that the
// common loaders (dotenv-flow, Next.js, Vite, Create React App,
// dotenv-rails) layer with another .env file of the same folder that sets
// a custom endpoint: .env and .env.local are loaded in every mode, under
// .env.MODE and .env.MODE.local. Keys in .env with
// S3_ENDPOINT=http://localhost:9000 in .env.local, or keys in
// .env.production with AWS_ENDPOINT_URL in .env, are MinIO's in the
// program that loads both.
func dotenvHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	base := path.Base(t.rel())
	if base != ".env" && base != ".envrc" && !strings.HasPrefix(base, ".env.") {
		return
	}
	siblingHolds(t, found, opts, "which dotenv loaders (dotenv-flow, Next.js, Vite) or direnv (.envrc) load with this file",
		func(n string) bool { return dotenvLayered(base, n) }, func(_ string, b []byte) string { return fix.EnvFileEndpoint(b) })
}

// siblingHolds holds every key of found, with the reason naming how, when
// a regular file of the target's folder other than the target, whose name
// loaded says the program loads with it, sets an endpoint (endpoint
// describes it). Only when a folder is fixed (the files inside it,
// following no link); a file named alone is judged by itself.
func siblingHolds(t fixTarget, found scanner.Findings, opts *fix.Options, how string, loaded func(string) bool, endpoint func(string, []byte) string) {
	if !t.rootIsDir || len(found) == 0 {
		return
	}
	rel := t.rel()
	dir := path.Dir(rel)
	ents, err := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	if err != nil {
		return
	}
	for _, de := range ents {
		n := de.Name()
		p := path.Join(dir, n)
		if p == rel || !de.Type().IsRegular() || !loaded(n) {
			continue
		}
		b, err := t.read(p, t.maxSize)
		if err != nil {
			continue
		}
		d := endpoint(n, b)
		if d == "" {
			continue
		}
		reason := fix.ComposeEndpointReason(d, p, how)
		for _, x := range found {
			addHold(opts, x.Offset, reason)
		}
		return
	}
}

// dotenvLayered reports whether the loaders load the .env files a and b
// together: .env and .env.local with any other, .env.MODE with
// .env.MODE.local, direnv's .envrc with any; never .env.example and the
// like.
func dotenvLayered(a, b string) bool {
	if a == ".envrc" || b == ".envrc" {
		// direnv's .envrc runs in the shell that loads the .env files
		// (its dotenv), so its exports and theirs reach one program.
		other := a + b
		other = strings.Replace(other, ".envrc", "", 1)
		return (other == ".env" || strings.HasPrefix(other, ".env.")) && dotenvLayered(".env", other)
	}
	if !strings.HasPrefix(b, ".env.") && b != ".env" {
		return false
	}
	for _, n := range []string{a, b} {
		switch strings.TrimPrefix(n, ".env.") {
		case "example", "sample", "template", "dist", "tpl":
			return false // a copy for people, which no loader reads
		}
	}
	common := func(n string) bool { return n == ".env" || n == ".env.local" }
	if common(a) || common(b) {
		return true
	}
	return strings.TrimSuffix(a, ".local") == strings.TrimSuffix(b, ".local")
}
