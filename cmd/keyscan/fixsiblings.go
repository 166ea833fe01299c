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
	siblingHolds(t, found, opts, "dotenv endpoint", "which dotenv loaders (dotenv-flow, Next.js, Vite) or direnv (.envrc) load with this file",
		func(n string) bool { return dotenvLayered(base, n) }, func(_ string, b []byte) string { return fix.EnvFileEndpoint(b) })
}

// configLayerHolds leaves for a person the keys of an application's
// configuration file when another file of its folder that the program
// layers over it, or under it, sets a custom endpoint or names an
// S3-compatible service (fix23): Spring's application.yml with
// application-local.yml (the local profile's s3.endpoint), .NET's
// appsettings.json with appsettings.Development.json, node-config's
// config/default.json with config/development.json. In the profile that
// loads both, the keys go to that service.
func configLayerHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	base := path.Base(t.rel())
	if configExt(base) == "" || !appConfig(t.rel(), data) {
		return
	}
	siblingHolds(t, found, opts, "layer endpoint", "a configuration file the program loads with this one (a profile or environment's layer)",
		func(n string) bool { return configLayered(path.Dir(t.rel()), base, n) },
		func(n string, b []byte) string {
			if !appConfig(n, b) {
				return ""
			}
			return fix.ConfigEndpoint(n, b)
		})
}

// appConfig reports whether the file rel (content data) may be an
// application's own configuration: not a file with rules of its own (a
// compose file, a Kubernetes manifest or kustomization, a Helm values
// file, a CI file) nor one that runs things (runsThings).
func appConfig(rel string, data []byte) bool {
	base := strings.ToLower(path.Base(rel))
	return !fix.ComposeFile(rel) && !kustomizationFile(rel) && !strings.HasPrefix(base, "values") && !fix.CIFile(rel) &&
		!manifestKind.Match(data) && !runsThings.Match(data) && !strings.Contains(base, "compose")
}

// configExt is the extension family of an application's configuration
// file (yaml for .yml and .yaml), or "" for another file.
func configExt(name string) string {
	switch e := strings.ToLower(path.Ext(name)); e {
	case ".yml", ".yaml":
		return "yaml"
	case ".json", ".properties", ".toml":
		return e
	}
	return ""
}

// configLayered reports whether the configuration files a and b of the
// folder dir are layers of one configuration: one's name is the other's
// with a profile or environment added (application.yml and
// application-local.yml, appsettings.json and appsettings.Development.json,
// config.json and config.production.json), or both are node-config's
// files of a folder named config. Never an example or a lock file.
func configLayered(dir, a, b string) bool {
	if configExt(a) == "" || configExt(a) != configExt(b) || a == b {
		return false
	}
	for _, n := range []string{a, b} {
		l := strings.ToLower(n)
		if strings.Contains(l, "example") || strings.Contains(l, "sample") || strings.Contains(l, "lock") || strings.Contains(l, "template") {
			return false
		}
	}
	if strings.EqualFold(path.Base(dir), "config") && configExt(a) != ".properties" {
		return true
	}
	sa, sb := strings.ToLower(strings.TrimSuffix(a, path.Ext(a))), strings.ToLower(strings.TrimSuffix(b, path.Ext(b)))
	layer := func(x, y string) bool {
		return strings.HasPrefix(y, x+"-") || strings.HasPrefix(y, x+".") || strings.HasPrefix(y, x+"_")
	}
	return layer(sa, sb) || layer(sb, sa)
}

// siblingHolds holds every key of found, with the reason naming how, when
// a regular file of the target's folder other than the target, whose name
// loaded says the program loads with it, sets an endpoint (endpoint
// describes it). Only when a folder is fixed (the files inside it,
// following no link); a file named alone is judged by itself. What
// endpoint makes of a sibling is kept in the run's cache under kind:
// every file of a folder is a sibling of every other, and parsing each
// again for each target made a config/ folder of 60 JSON files take 35 s
// (review16 B F1).
func siblingHolds(t fixTarget, found scanner.Findings, opts *fix.Options, kind, how string, loaded func(string) bool, endpoint func(string, []byte) string) {
	if !t.rootIsDir || len(found) == 0 {
		return
	}
	p, d := siblingSays(t, kind, loaded, 0, endpoint)
	if d == "" {
		return
	}
	reason := fix.ComposeEndpointReason(d, t.shown(p), how)
	for _, x := range found {
		addHold(opts, x.Offset, reason)
	}
}

// siblingSays returns the first regular file of the target's folder, other
// than the target, whose name accept takes and of which judge says
// something, with what it says; judge's answers are kept in the run's
// cache under kind. Past limit files taken by name (0: no limit) it gives
// up. "", "" when no file says anything.
func siblingSays(t fixTarget, kind string, accept func(string) bool, limit int, judge func(string, []byte) string) (p, says string) {
	rel := t.rel()
	dir := path.Dir(rel)
	ents, err := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	if err != nil {
		return "", ""
	}
	taken := 0
	for _, de := range ents {
		p := path.Join(dir, de.Name())
		if p == rel || !de.Type().IsRegular() || !accept(de.Name()) {
			continue
		}
		if taken++; limit > 0 && taken > limit {
			return "", ""
		}
		v, _ := t.parsed(kind, p, func(b []byte) any { return judge(p, b) })
		if says, _ := v.(string); says != "" {
			return p, says
		}
	}
	return "", ""
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

// appConfigProjectHolds leaves for a person the keys of an application's
// configuration file (a folder fixed) when the project around it points
// its programs at another service: a compose file of its folder or of the
// folders composeAbove reads runs an S3-compatible service or sets a
// custom endpoint (S3_ENDPOINT: https://us-east-1.linodeobjects.com), or a
// Dockerfile or dotenv file of its folder or a folder above it sets one.
// The program that reads the file's keys starts in that environment, and
// with the keys gone its client would take the instance role's to that
// endpoint (fix25 left config.yaml beside such a compose file fixed: the
// rules that read neighbours applied to .env files only).
func appConfigProjectHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	rel := t.rel()
	if !t.rootIsDir || len(found) == 0 || configExt(path.Base(rel)) == "" || !appConfig(rel, data) {
		return
	}
	const how = "which starts the programs of the project around this file"
	reason := composeAbove(t, func(dir, c string, b []byte) string {
		if what := fix.ComposeStorage(b); what != "" {
			return fix.ComposeStorageReason(what, t.shown(c), "the programs that read "+t.shown(rel))
		}
		if what := projectEndpoint(t, c); what != "" {
			return fix.ComposeEndpointReason(what, t.shown(c), how)
		}
		return ""
	})
	for dir := path.Dir(rel); reason == ""; dir = path.Dir(dir) {
		ents, _ := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir)))
		for _, de := range ents {
			n := de.Name()
			if !de.Type().IsRegular() || !startFile(n) {
				continue
			}
			if what := projectEndpoint(t, path.Join(dir, n)); what != "" {
				reason = fix.ComposeEndpointReason(what, t.shown(path.Join(dir, n)), how)
				break
			}
		}
		if dir == "." || dir == "/" {
			break
		}
	}
	if reason == "" {
		return
	}
	for _, x := range found {
		addHold(opts, x.Offset, reason)
	}
}

// startFile reports whether a file of this name writes down the
// environment a program starts in: fix.StartEnvFile, which go vet's fix
// asks too.
func startFile(name string) bool { return fix.StartEnvFile(name) }

// projectEndpoint is fix.FileEndpoint of the file at rel, read once per run.
func projectEndpoint(t fixTarget, rel string) string {
	v, _ := t.parsed("project endpoint", rel, func(b []byte) any { return fix.FileEndpoint(rel, b) })
	s, _ := v.(string)
	return s
}
