package main

import (
	"bytes"
	"io/fs"
	"math"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/internal/winsw"
	"github.com/keyscan/keyscan/scanner"
)

// environmentHolds leaves for a person the keys a program takes from its
// environment when a client of it may talk to a custom endpoint that no
// setting beside the keys names (qa14 HIGH-7, fix/envreach.go): keys of a
// compose file whose project (the file itself, or a compose file of its
// folder) runs an S3-compatible service; keys of an env file that a
// service of such a project reads as its env_file; and keys of a dotenv
// file (.env) when source code of its folder or below builds a client with
// a custom endpoint. Files other than the target are read only when a
// folder is fixed, inside it, following no link.
func environmentHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if len(found) == 0 {
		return
	}
	reason := ""
	switch {
	case fix.ComposeFile(t.name):
		reason = composeStorageOf(t, t.rel(), data, "the services of "+t.name)
	case fix.Detect(t.name, data) == fix.Dockerfile && t.rootIsDir:
		reason = dockerfileService(t)
	case fix.Detect(t.name, data) == fix.Env && t.rootIsDir:
		reason = envFileStorage(t)
		if reason == "" && fix.DotEnvFile(t.name) {
			var offs []int
			for _, x := range found {
				offs = append(offs, x.Offset)
			}
			reason = folderCodeEndpoint(t, fix.EnvNamesAt(data, offs))
			if reason == "" {
				reason = loaderCodeEndpoint(t)
			}
		}
	}
	if reason == "" && t.rootIsDir && fix.CIFile(t.rel()) {
		reason = pipelineCodeEndpoint(t)
	}
	if reason == "" && t.rootIsDir && fix.Detect(t.name, data) == fix.Python {
		reason = pyImportEndpoint(t, data)
	}
	if reason == "" && t.rootIsDir && !fix.ComposeFile(t.name) && fix.Detect(t.name, data) != fix.Dockerfile {
		reason = mountedService(t)
	}
	if reason == "" {
		return
	}
	for _, x := range found {
		addHold(opts, x.Offset, reason)
	}
}

// addHold leaves the finding at offset off for a person with reason,
// unless an earlier rule holds it already (the first reason found stays);
// it reports whether it held it.
func addHold(opts *fix.Options, off int, reason string) bool {
	if opts.Hold == nil {
		opts.Hold = map[int]string{}
	}
	if _, ok := opts.Hold[off]; ok {
		return false
	}
	opts.Hold[off] = reason
	return true
}

// composeStorageOf says which S3-compatible service the compose project
// of the compose file at rel (content data) runs: in the file itself, or,
// when a folder is fixed, in another compose file of its folder (an
// override, a file named with -f); "" when none does.
func composeStorageOf(t fixTarget, rel string, data []byte, whose string) string {
	if what := fix.ComposeStorage(data); what != "" {
		name := t.shown(rel)
		if rel == "" { // the file named alone
			name = t.name
		}
		return fix.ComposeStorageReason(what, name, whose)
	}
	if !t.rootIsDir {
		if inc := fix.ComposeIncludes(data); len(inc) > 0 {
			return fix.ComposeStorageReason("maybe an S3-compatible service", inc[0].Paths[0]+" (its include:, not read: the file was named alone)", whose)
		}
		return ""
	}
	// The compose files of its folder and the files they include: (qa
	// fix19: include: storage/minio.yaml runs MinIO in the same project).
	seen := map[string]bool{}
	for _, c := range append(composeRefs(t, path.Dir(rel)), composeRef{rel: rel, dir: path.Dir(rel)}) {
		b := data
		if c.rel != rel {
			var err error
			if b, err = t.read(c.rel, t.maxSize); err != nil {
				continue
			}
			if what := fix.ComposeStorage(b); what != "" {
				return fix.ComposeStorageReason(what, t.shown(c.rel), whose)
			}
		}
		if seen[c.rel] {
			continue
		}
		seen[c.rel] = true
		for _, inc := range fix.ComposeIncludes(b) {
			p := path.Join(path.Dir(c.rel), filepath.ToSlash(inc.Paths[0]))
			if strings.Contains(inc.Paths[0], "://") || strings.HasPrefix(inc.Paths[0], "git@") || !insideRoot(p) || !regularBelow(t, p) {
				return fix.ComposeStorageReason("maybe an S3-compatible service", inc.Paths[0]+
					" (an include: of "+t.shown(c.rel)+" that keyscan fix could not read: remote, outside the folder fixed, or missing)", whose)
			}
		}
	}
	return ""
}

// regularBelow reports whether rel names a regular file below the
// target's root (no link followed).
func regularBelow(t fixTarget, rel string) bool {
	st, err := t.cache.lstat(filepath.Join(t.root, filepath.FromSlash(rel)))
	return err == nil && st.Mode().IsRegular()
}

// envFileStorage says which S3-compatible service runs in the compose
// project of a service that reads the target (an env file) as its
// env_file: compose files of its folder and the folders above it, up to
// the root; "" when none.
func envFileStorage(t fixTarget) string {
	rel := t.rel()
	return composeAbove(t, func(dir, c string, b []byte) string {
		for _, s := range fix.ComposeServices(b) {
			for _, f := range s.EnvFiles {
				if path.Join(dir, filepath.ToSlash(f)) != rel {
					continue
				}
				if r := composeStorageOf(t, c, b, "the service "+s.Name+", which reads this file as its env_file"); r != "" {
					return r
				}
			}
		}
		return ""
	})
}

// composeAbove calls fn with each compose file (its folder, its path and
// its content) of the target's folder and the folders above it, up to the
// root, then of the other folders under the root (composeDirs: a
// deploy/compose.yaml builds ../app and reads ../app/.env), and returns
// the first reason fn gives; "" when none.
func composeAbove(t fixTarget, fn func(dir, c string, data []byte) string) string {
	for _, dir := range composeDirs(t, t.rel()) {
		for _, c := range composeFilesIn(t, dir) {
			b, err := t.read(c, t.maxSize)
			if err != nil {
				continue
			}
			if r := fn(dir, c, b); r != "" {
				return r
			}
		}
	}
	return ""
}

// dockerfileService says what gives a custom endpoint to a compose
// service that builds the target (a Dockerfile: build: with its context
// and dockerfile:), found in the compose files of its folder and the
// folders above it, up to the root: the service's own environment, the
// other files compose builds it from (serviceEndpointElsewhere), or an
// S3-compatible service of its project; the image's ENV keys run in that
// container (qa14 HIGH-14). "" when none does.
func dockerfileService(t fixTarget) string {
	rel := t.rel()
	return composeAbove(t, func(dir, c string, b []byte) string {
		svcs := fix.ComposeServices(b)
		for _, build := range fix.ComposeBuilds(b) {
			df := build.Dockerfile
			if df == "" {
				df = "Dockerfile"
			}
			if path.IsAbs(build.Context) || path.Join(dir, build.Context, df) != rel {
				continue
			}
			if r := serviceReason(t, composeRef{rel: c, dir: dir}, b, svcs, build.Service, "the service "+build.Service+", which builds this Dockerfile"); r != "" {
				return r
			}
		}
		return ""
	})
}

// serviceReason says what gives the compose service name of the compose
// file c (content b, services svcs) a custom endpoint: its own
// environment, the other files compose builds it from
// (serviceEndpointElsewhere), or an S3-compatible service of its project;
// how says what the service does with the target. "" when none does.
func serviceReason(t fixTarget, c composeRef, b []byte, svcs []fix.ComposeService, name, how string) string {
	for _, s := range svcs {
		if s.Name != name {
			continue
		}
		if s.Endpoint != "" {
			return fix.ComposeEndpointReason(s.Endpoint, t.shown(c.rel), how)
		}
		if r := serviceEndpointElsewhere(t, c, svcs, s); r != "" {
			return r
		}
	}
	return composeStorageOf(t, c.rel, b, how)
}

// maxCodeFiles bounds the source files folderCodeEndpoint reads.
const maxCodeFiles = 2000

// skipCodeDir reports whether a folder of this name holds other people's
// code (installed packages, build output), whose endpoint settings are no
// client of the program.
func skipCodeDir(name string) bool {
	switch name {
	case ".git", "node_modules", ".venv", "venv", "site-packages", "vendor", "dist", "build", "__pycache__", ".tox":
		return true
	}
	return false
}

// codeFilesUnder returns, sorted, the root-relative slash paths of the
// regular files under the folder start that keep takes (given the file's
// path and entry), at most maxCodeFiles, installed packages' folders
// (skipCodeDir) left out.
func (t fixTarget) codeFilesUnder(start string, keep func(p string, de fs.DirEntry) bool) []string {
	var names []string
	t.cache.walkDir(start, func(p string, de fs.DirEntry, err error) error {
		if err != nil || len(names) >= maxCodeFiles {
			if de != nil && de.IsDir() && p != start {
				return fs.SkipDir
			}
			return nil
		}
		if de.IsDir() {
			if p != start && skipCodeDir(de.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if !de.Type().IsRegular() || !keep(p, de) {
			return nil
		}
		if r, err := filepath.Rel(t.root, p); err == nil {
			names = append(names, filepath.ToSlash(r))
		}
		return nil
	})
	sort.Strings(names)
	return names
}

// folderCodeEndpoint says which source file (Python, JavaScript,
// TypeScript, Go, Ruby, JVM languages, PHP, .NET, Rust), shell script or
// Makefile of the target's folder or below (inside the root, at most maxCodeFiles,
// installed packages left out) sets a custom endpoint, or which
// configuration file there reads one of vars (the keys' names) and sets
// one; "" when none does.
func folderCodeEndpoint(t fixTarget, vars []string) string {
	dir := path.Dir(t.rel())
	start := filepath.Join(t.root, filepath.FromSlash(dir))
	names := t.codeFilesUnder(start, func(p string, de fs.DirEntry) bool {
		return codeOrScript(de.Name()) || fix.ConfigFile(de.Name()) || sideConfig(start, p) || mayBeUnit(p) || windowsScript(de.Name())
	})
	for _, n := range names {
		b, err := t.read(n, t.maxSize)
		if err != nil {
			continue
		}
		if conf, side := fix.ConfigFile(n), sideConfig(dir, n) || serviceUnit(n, b); conf || side {
			k := t.configKind(n)
			side = side && !k.own && !k.runs
			reads := readsAny(b, vars)
			what := ""
			if reads || side {
				what = t.configEndpoint(n)
			}
			if what != "" && reads {
				return fix.ConfigEnvEndpointReason(what, t.shown(n))
			}
			// A task runner's or CI file that loads the file (Taskfile's
			// dotenv: ['.env'], a job's docker run --env-file .env) and
			// sets an endpoint.
			if conf && !k.own && fix.NamesFile(b, path.Base(t.rel())) {
				if what := fix.FileEndpoint(n, b); what != "" {
					return fix.ScriptEndpointReason(what, t.shown(n))
				}
			}
			if what != "" && side {
				return fix.SideConfigReason(what, t.shown(n))
			}
			if serviceUnit(n, b) {
				if what, shown := t.unitEnvFileEndpoint(start, n, b); what != "" {
					return fix.SideConfigReason(what, shown)
				}
			}
			continue
		}
		if windowsScript(n) {
			// A Windows script that installs or starts the program
			// (nssm set app AppEnvironmentExtra AWS_ENDPOINT_URL=…,
			// set AWS_ENDPOINT_URL=…, $env:AWS_ENDPOINT_URL = …): fix29.
			if what := t.fileEndpoint(n); what != "" {
				return fix.ScriptEndpointReason(what, t.shown(n))
			}
			continue
		}
		if !codeOrScript(n) {
			continue // a .conf or .ini that runs no program
		}
		if r := codeOrScriptReason(t.codeEndpoint(n), t.shown(n)); r != "" {
			return r
		}
	}
	return ""
}

// pipelineCodeEndpoint says which shell script, Makefile or source file of
// the pipeline's project (anywhere in its folder, at most maxCodeFiles,
// installed packages left out) sets a custom endpoint, for the keys of a CI
// pipeline's file: a job runs the project's scripts and programs
// (./scripts/upload, make upload, python upload.py, npm run upload), and
// the AWS CLI and every SDK read the job's AWS_* variables without naming
// them, so a script that sends them to MinIO is their reader although it
// names none of them (qa18 H3). "" when none does.
func pipelineCodeEndpoint(t fixTarget) string {
	// The project is the folder that holds the CI service's folder
	// (.github/ of a workflow or an action, .gitlab/ci/, .circleci/,
	// .azure-pipelines/), or the pipeline file's own folder
	// (.gitlab-ci.yml, bitbucket-pipelines.yml, ...).
	rel := t.rel()
	dir := path.Dir(rel)
	for _, f := range []string{".github/", ".gitlab/", ".circleci/", ".azure-pipelines/", "azure-pipelines/"} {
		if i := strings.Index("/"+rel, "/"+f); i >= 0 {
			dir = path.Clean(rel[:i] + ".")
			break
		}
	}
	start := filepath.Join(t.root, filepath.FromSlash(dir))
	names := t.codeFilesUnder(start, func(_ string, de fs.DirEntry) bool {
		return codeOrScript(de.Name()) || fix.RunnerFile(de.Name())
	})
	for _, n := range names {
		what := ""
		if codeOrScript(n) {
			what = t.codeEndpoint(n).what
		}
		if what == "" && fix.RunnerFile(n) {
			// a task runner's or S3 tool's file the job may run or
			// read (package.json scripts, tox.ini, rclone.conf, a
			// Terraform S3 backend: qa19 H2)
			what = t.fileEndpoint(n)
		}
		if what != "" {
			return fix.JobEndpointReason(what, t.shown(n))
		}
	}
	return ""
}

// fileEndpoint is fix.FileEndpoint of the file at rel, found once per run.
func (t fixTarget) fileEndpoint(rel string) string {
	v, _ := t.parsed("file endpoint", rel, func(b []byte) any { return fix.FileEndpoint(rel, b) })
	w, _ := v.(string)
	return w
}

// sideConfigDirs are the folders beside a .env file where its program
// keeps its configuration (config/storage.yml, conf/app.toml), or the
// units that run it (systemd/app.service, deploy/app.service), or the
// IDE's run configurations that run it with the .env (.vscode/launch.json:
// envFile and env; .run/app.run.xml).
var sideConfigDirs = []string{"config", "configs", "conf", "settings", "etc", "systemd", "supervisor", "supervisord", "deploy", ".ebextensions",
	".vscode", ".run", ".idea"}

// serviceFile reports whether the file at p (a slash or OS path) may run
// the program of a .env file of a folder above it with settings of its
// own: a systemd unit (EnvironmentFile=/srv/app/.env beside
// Environment=AWS_ENDPOINT_URL=…), its drop-in (app.service.d/override.conf),
// a Podman Quadlet unit (app.container), an Upstart job (init/app.conf) or
// a supervisord program's file (environment=AWS_ENDPOINT_URL=…). The program's keys are then the
// endpoint's, wherever below the .env's folder the file is kept (qa21
// H2).
func serviceFile(p string) bool {
	p = strings.ToLower(filepath.ToSlash(p))
	switch path.Ext(p) {
	case ".service", ".container", ".kube", ".pod":
		return true // systemd's units and Podman Quadlet's (qa22 H2)
	case ".conf", ".ini":
		parent := path.Base(path.Dir(p))
		return strings.Contains(p, "supervisor") || // supervisord's programs
			strings.HasSuffix(parent, ".service.d") || strings.HasSuffix(parent, ".container.d") || // drop-ins: systemctl edit's override.conf
			parent == "init" // Upstart's jobs (etc/init/app.conf: env NAME=value)
	}
	return false
}

// serviceUnit reports whether the file at p (a slash or OS path, content
// b) is a service unit: serviceFile's, a supervisord program's file
// outside a path naming supervisor (one holding a [program:…] section),
// a launchd job's property list (EnvironmentVariables), or a WinSW
// service's configuration (<service> with <env name=… value=…/>, the
// Windows service wrapper's: fix29). Its program's keys are the
// endpoint's below the .env's folder, and above it where unitAbove says
// so.
func serviceUnit(p string, b []byte) bool {
	switch strings.ToLower(path.Ext(filepath.ToSlash(p))) {
	case ".plist":
		return true
	case ".xml":
		return winsw.Service(b)
	case ".conf", ".ini":
		if bytes.Contains(b, []byte("[program:")) {
			return true
		}
	}
	return serviceFile(p)
}

// unitEnvFiles returns the base names of the environment files a systemd
// or Quadlet unit loads (EnvironmentFile=-/srv/app/deploy/minio.env, once
// per line): the unit's program has their settings too (qa22 H2).
func unitEnvFiles(unit []byte) []string {
	var names []string
	for _, line := range strings.Split(string(unit), "\n") {
		v, ok := strings.CutPrefix(strings.TrimSpace(line), "EnvironmentFile")
		if v, ok = strings.CutPrefix(strings.TrimLeft(v, " \t"), "="); !ok {
			continue
		}
		v = strings.Trim(strings.TrimPrefix(strings.TrimSpace(v), "-"), "\"'")
		if b := path.Base(filepath.ToSlash(v)); v != "" && b != "." && b != "/" && !slices.Contains(names, b) {
			names = append(names, b)
		}
	}
	return names
}

// unitEnvFileEndpoint says which custom endpoint an environment file below
// the folder start that the unit at rel (content b) loads sets, as
// EnvironmentFile= names it (by base name: the unit names where the file
// is installed, not where the repository keeps it), and names that file
// and the unit, shown; "" when none does. Every unit read for the
// program's settings, below the .env's folder or above it, is asked.
func (t fixTarget) unitEnvFileEndpoint(start, rel string, b []byte) (what, shown string) {
	names := unitEnvFiles(b)
	if len(names) == 0 {
		return "", ""
	}
	files := t.codeFilesUnder(start, func(_ string, de fs.DirEntry) bool { return slices.Contains(names, de.Name()) })
	for _, n := range files {
		if n == t.rel() {
			continue
		}
		if what := t.fileEndpoint(n); what != "" {
			return what, t.shown(n) + " (loaded by " + t.shown(rel) + ")"
		}
	}
	return "", ""
}

// mayBeUnit reports whether serviceUnit may hold for the file at p, from
// its name alone: the files worth reading to ask it.
func mayBeUnit(p string) bool {
	switch strings.ToLower(path.Ext(filepath.ToSlash(p))) {
	case ".plist", ".conf", ".ini", ".xml":
		return true
	}
	return serviceFile(p)
}

// unitDirs are the folders a project keeps its service units in, beside
// sideConfigDirs: etc/systemd/system/, deploy/supervisor/conf.d/,
// ops/launchd/, Library/LaunchAgents/, packaging/debian/, deploy/windows/
// (a WinSW service's XML).
var unitDirs = []string{"conf.d", "system", "user", "init", "init.d", "ops", "infra", "infrastructure", "services", "units",
	"launchd", "launchagents", "launchdaemons", "library", "lib", "usr", "macos", "packaging", "debian", "rpm", "contrib", "scripts",
	"windows", "winsw"}

// unitAbove reports whether the service unit at rel may run the program of
// a .env file of the folder dir (both relative to the root, slash paths)
// although it lies outside dir: it lies in a folder above dir, or in unit
// folders (sideConfigDirs, unitDirs) below one (deploy/systemd/app.service
// for app/.env), or it names the .env by its folder and name
// (EnvironmentFile=/srv/app/.env for app/.env; text b). A unit inside
// another project's folder (billing/deploy/billing.service) is not
// app/.env's.
func unitAbove(dir, envName, rel string, b []byte) bool {
	if dir != "." && bytes.Contains(b, []byte(path.Base(dir)+"/"+envName)) {
		return true
	}
	up := path.Dir(rel)
	for !pathname.Within(up, dir) {
		if base := strings.ToLower(path.Base(up)); !slices.Contains(sideConfigDirs, base) && !slices.Contains(unitDirs, base) {
			return false
		}
		up = path.Dir(up)
	}
	return true
}

// windowsScript reports whether name is a PowerShell script or a batch
// file: Windows' shell scripts, which install or start a program with
// its environment (NSSM's AppEnvironmentExtra, set NAME=…).
func windowsScript(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".ps1", ".psm1", ".cmd", ".bat":
		return true
	}
	return false
}

// sideConfig reports whether the file at p (a path below dir, or a
// path below the root when dir is a folder below it: both spelled the
// same way) is a configuration file beside a .env file of dir: in dir
// itself or in a config folder of it, a YAML, JSON, TOML, INI or
// .properties file other than a lock file.
func sideConfig(dir, p string) bool {
	p = filepath.ToSlash(p)
	dir = filepath.ToSlash(dir)
	parent := path.Dir(p)
	base := strings.ToLower(path.Base(p))
	if parent == path.Join(dir, ".idea", "runConfigurations") && path.Ext(base) == ".xml" {
		return true // a JetBrains run configuration shared in the project (fix29)
	}
	if parent != dir && (path.Dir(parent) != dir || !slices.Contains(sideConfigDirs, strings.ToLower(path.Base(parent)))) {
		return false
	}
	if strings.Contains(base, "lock") {
		return false
	}
	switch path.Ext(base) {
	case ".yml", ".yaml", ".json", ".toml", ".ini", ".cfg", ".conf", ".properties":
		return true
	case ".config":
		// Elastic Beanstalk's .ebextensions/*.config (YAML:
		// option_settings: aws:elasticbeanstalk:application:environment:
		// AWS_ENDPOINT_URL: …) and IIS's web.config (fix29).
		return path.Base(parent) == ".ebextensions" || base == "web.config"
	case ".xml":
		// An IDE's run configuration (.run/app.run.xml,
		// .idea/workspace.xml), which runs the program with the .env
		// and variables of its own (fix29).
		return path.Base(parent) == ".run" || path.Base(parent) == ".idea"
	}
	return false
}

// runsThings matches the top-level key of a file that runs commands or
// containers rather than configuring a program: a compose file under any
// name (services:), a CI workflow (jobs:, stages:), a task runner
// (tasks:). Such a file loads a .env only when it names it (NamesFile).
var runsThings = lazyre.New(`(?m)^(?:services|jobs|stages|tasks|steps|pipeline|pipelines|workflows)[ \t]*:`)

// configKind is what folderCodeEndpoint needs to know of a configuration
// file that depends on the file alone: whether it has joins of its own
// (a compose file, a kustomization, a Kubernetes manifest) and whether it
// runs things (a CI file, runsThings' top-level keys) rather than
// configuring a program.
type configKind struct{ own, runs bool }

// configKind is the configuration file rel's configKind, found once per
// run: every .env target of a tree asks of the same files (review16 B F5).
func (t fixTarget) configKind(rel string) configKind {
	v, _ := t.parsed("config kind", rel, func(b []byte) any {
		return configKind{
			own:  fix.ComposeFile(rel) || kustomizationFile(rel) || manifestKind.Match(b),
			runs: fix.CIFile(rel) || runsThings.Match(b),
		}
	})
	k, _ := v.(configKind)
	return k
}

// readsAny reports whether data names one of vars.
func readsAny(data []byte, vars []string) bool {
	for _, v := range vars {
		if bytes.Contains(data, []byte(v)) {
			return true
		}
	}
	return false
}

// codeWhat is what fix.ScriptEndpoint (script) or fix.CodeEndpoint finds
// in one file.
type codeWhat struct {
	what   string
	script bool
}

// codeEndpoint is the custom endpoint that the source file, script or
// Makefile at rel sets, found once per run: every .env target of a tree
// asks of the same code files (review15 C-8).
func (t fixTarget) codeEndpoint(rel string) codeWhat {
	v, _ := t.parsed("code endpoint", rel, func(b []byte) any {
		if fix.ScriptFile(rel) && !fix.DotEnvFile(rel) {
			return codeWhat{fix.ScriptEndpoint(rel, b), true}
		}
		return codeWhat{fix.CodeEndpoint(rel, b), false}
	})
	w, _ := v.(codeWhat)
	return w
}

// configEndpoint is fix.ConfigEndpoint of the configuration file at rel,
// found once per run.
func (t fixTarget) configEndpoint(rel string) string {
	v, _ := t.parsed("config endpoint", rel, func(b []byte) any { return fix.ConfigEndpoint(rel, b) })
	w, _ := v.(string)
	return w
}

// codeOrScript reports whether name is source code whose clients
// fix.CodeEndpoint reads, or a shell script or Makefile (fix.ScriptFile):
// either may load a .env file and set a custom endpoint.
func codeOrScript(name string) bool {
	s := fix.Detect(name, nil)
	return s == fix.Python || s == fix.JavaScript || fix.OtherCode(name) || fix.ScriptFile(name) && !fix.DotEnvFile(name)
}

// codeOrScriptReason is the reason the keys of a dotenv file stay when
// a source file, script or Makefile (shown as shown) sets a custom
// endpoint (w); "" when it sets none.
func codeOrScriptReason(w codeWhat, shown string) string {
	switch {
	case w.what == "":
		return ""
	case w.script:
		return fix.ScriptEndpointReason(w.what, shown)
	}
	return fix.CodeEndpointReason(w.what, shown)
}

// loaderCodeEndpoint says which source file, script or Makefile outside the target's folder
// (anywhere under the root, at most maxCodeFiles, installed packages left
// out) names the target's path, as a program that loads it does
// (godotenv.Load("../config/.env"), load_dotenv("config/.env")), and sets
// a custom endpoint, or which service unit outside it that may run its
// program (unitAbove) sets one; "" when none does.
func loaderCodeEndpoint(t fixTarget) string {
	rel := t.rel()
	dir := path.Dir(rel)
	if dir == "." {
		return "" // folderCodeEndpoint read the whole root
	}
	n, units := 0, 0
	var found string
	// Every entry may be looked at (math.MaxInt): the bound is on the code
	// files read.
	skip := func(name, r string) bool { return skipCodeDir(name) || r == dir } // the target's own folder: folderCodeEndpoint read it
	t.walkFilesUntil(math.MaxInt, skip, func(r string, de fs.DirEntry) bool {
		if !codeOrScript(de.Name()) {
			// a service unit: counted apart, so that units do not
			// take the code files' places
			if !mayBeUnit(r) || units >= maxCodeFiles {
				return true
			}
			units++
			if b, err := t.read(r, t.maxSize); err == nil && serviceUnit(r, b) && unitAbove(dir, path.Base(rel), r, b) {
				if what := t.configEndpoint(r); what != "" {
					found = fix.ServiceUnitReason(what, t.shown(r))
				} else if what, shown := t.unitEnvFileEndpoint(t.root, r, b); what != "" {
					found = fix.ServiceUnitReason(what, shown)
				}
			}
			return found == ""
		}
		n++
		b, err := t.read(r, t.maxSize)
		if err != nil {
			return n < maxCodeFiles
		}
		p := filepath.Join(t.root, filepath.FromSlash(r))
		fromCode, ferr := filepath.Rel(filepath.Dir(p), filepath.Join(t.root, filepath.FromSlash(rel)))
		if strings.Contains(string(b), rel) || ferr == nil && strings.Contains(string(b), filepath.ToSlash(fromCode)) {
			found = codeOrScriptReason(t.codeEndpoint(r), t.shown(r)+", which names "+t.shown(rel)+",")
		}
		return found == "" && (n < maxCodeFiles || units < maxCodeFiles)
	})
	return found
}

// appConfigAloneHolds leaves for a person the keys of an application's
// configuration file (fix.AppConfigFile) named alone: code of the
// application may read them by name (@Value("${aws.accessKey}"),
// Configuration["AWS:AccessKey"]), and keyscan fix did not read it (qa15
// HIGH-18). Spring Cloud AWS's own credentials settings, which its
// auto-configuration reads and falls back from, are fixed.
func appConfigAloneHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if t.rootIsDir || len(found) == 0 || !fix.AppConfigFile(t.name) {
		return
	}
	for _, d := range fix.Definitions(t.name, data, found) {
		if d.Kind != fix.AppSetting || fix.SpringCloudCredentials(d.Name) {
			continue
		}
		for _, off := range d.Held {
			addHold(opts, off, "the "+d.Describe()+" of an application's configuration file may be read by name by its code "+
				"(@Value(\"${"+d.Name+"}\"), getProperty, Configuration[…], config.get), which fails without it or builds static "+
				"credentials from an empty value; this file was named alone, so keyscan fix did not read the code: name the folder "+
				"of the application, or remove the setting and what reads it together by hand")
		}
	}
}

// manifestKind matches a Kubernetes manifest's top-level kind:.
var manifestKind = lazyre.New(`(?m)^kind:[ \t]*\S`)
