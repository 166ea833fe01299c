package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/scanner"
)

// A setting that points the SDK elsewhere or turns its instance metadata
// client off is often made far from the package that builds the client:
// main's os.Setenv("AWS_EC2_METADATA_DISABLED", "true") before it calls
// the store package, a helper of another package that main also imports,
// an integration test of another package, deploy/compose.yaml, a run
// script, a Makefile, a systemd unit, a Kubernetes manifest, a CI workflow
// (fix24, CLOSING17: such a helper in a file the analyzer did not read
// let go fix move a client to the instance role). The package cannot know
// which of the module's programs, tests and deployments run it, so every
// file of the module counts, read without types; the fix is only withheld
// (the keys are reported all the same), which is the safe side.

// Bounds of the module's files read for settings: past them the fix is
// withheld, since a file not read may hold one.
const (
	maxModuleFiles = 5000
	maxModuleBytes = 64 << 20
)

// moduleWalk calls fn with every regular file under root whose name keep
// accepts, in lexical order, leaving out version-control folders, installed
// packages (vendor, node_modules, othersDir's: a virtual environment's
// site-packages), test fixtures (testdata) and nested
// modules, which no program of this module is built or started from (but
// for the project file of an infrastructure program at a nested module's
// root, iacProject, which deploys this module's). It stops when fn
// answers false.
func moduleWalk(root string, keep func(name string) bool, fn func(path string) bool) {
	filepath.WalkDir(root, func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			switch name {
			case ".git", ".hg", ".svn", "vendor", "node_modules", "testdata":
				return filepath.SkipDir
			}
			if othersDir(p, name) {
				return filepath.SkipDir
			}
			if _, err := os.Lstat(filepath.Join(p, "go.mod")); err == nil {
				// A nested module is another program, but an
				// infrastructure program there (a Go CDK app,
				// which cdk init makes a module of its own)
				// deploys this module's: its project file is
				// kept (iacProject).
				ents, _ := os.ReadDir(p)
				for _, e := range ents {
					if iacProject(e.Name()) && e.Type().IsRegular() && keep(e.Name()) && !fn(filepath.Join(p, e.Name())) {
						return filepath.SkipAll
					}
				}
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && keep(name) && !fn(p) {
			return filepath.SkipAll
		}
		return nil
	})
}

// moduleFile reports whether a file of this name is one moduleSetting
// reads: Go source, or a file that may set a program's environment.
func moduleFile(name string) bool {
	return strings.HasSuffix(name, ".go") || startEnvFile(name) || settingsFile(name) || serverlessConfig(strings.ToLower(name))
}

// settingsFile reports whether a file of this name may write down the
// environment a program runs in, other than startEnvFile's: shell scripts,
// makefiles, Procfiles, systemd units, YAML (CI workflows, Kubernetes
// manifests, Helm values, Taskfiles), JSON (ECS task definitions, editors'
// launch settings), TOML (fly.toml), Terraform, INI-like configuration
// (supervisord), .properties (a kustomize configMapGenerator's envs:),
// launchd jobs' property lists (EnvironmentVariables), WinSW services'
// XML (<env name="AWS_ENDPOINT_URL" value=…/>: any .xml is read, as any
// YAML is), a
// Jenkinsfile's or Nomad job's environment, shell start-up
// files (.bashrc, .profile), a Nix dev shell (flake.nix's or shell.nix's
// mkShell { AWS_ENDPOINT_URL = "…"; } or its shellHook's export: any .nix
// file), Bazel's run commands (.bazelrc's --action_env= and --test_env=,
// user.bazelrc, bazel.rc; qa26 L2), Bicep files (a resource type says where the
// program runs: qa27 M1), and the SDK's shared config and credentials files
// (config, credentials: a project's own .aws/config, copied into its image
// or mounted, may set endpoint_url).
func settingsFile(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "makefile", "gnumakefile", "procfile", "justfile", "tiltfile", "config", "credentials",
		"jenkinsfile", "vagrantfile", "earthfile", "bazel.rc", ".bazelrc.user", ".bashrc", ".bash_profile", ".profile", ".zshrc", ".zprofile", "environment":
		return true
	}
	switch filepath.Ext(n) {
	case ".sh", ".bash", ".zsh", ".ksh", ".mk", ".service", ".yml", ".yaml", ".json", ".toml", ".tf", ".tfvars", ".ini", ".conf", ".cfg", ".envrc", ".ps1", ".bat", ".cmd",
		".hcl", ".nomad", ".groovy", ".plist", ".properties", ".xml", ".nix", ".bazelrc", ".bicep":
		return true
	}
	return false
}

// moduleFacts is what moduleScan finds in the files of the module that
// may run with the package, each marked as envSetting marks its answer,
// "" when none: env, the first setting of the environment envSetting
// looks for; host, the first S3-compatible service's host named
// (foreignHost); v1, the first setting v1MetadataOff keeps (v1Setting).
type moduleFacts struct {
	env, host, v1 string
	// imports are the import paths of other modules' packages that the
	// module's packages linked with this one import (importedEnvSetting
	// reads them from the module cache).
	imports []string
}

// moduleSetting is moduleScan's env.
func (c *checker) moduleSetting() string { return c.moduleScan().env }

// moduleScan reads the files of the module other than the package's own
// that may run with it, once per pass: Go source read without types
// (os.Setenv, an env-file loader, imds.ClientDisabled) of a package linked
// with this one (linkedFolders), and the files that may write a program's
// environment down (startEnvSetting, and Kubernetes' and ECS's name/value
// pairs) in such a package's folder, in this package's folder or one above
// it, or in a folder under no package at all (deploy/, .github/).
func (c *checker) moduleScan() moduleFacts {
	c.modOnce.Do(func() { c.mod = c.readModule() })
	return c.mod
}

func (c *checker) readModule() (facts moduleFacts) {
	if c.root == "" || c.pass.Module == nil || c.pass.Module.Path == "" {
		return facts
	}
	dir := sourceDir(c.pass)
	if dir == "" {
		return facts
	}
	own := make(map[string]bool, len(c.pass.Files))
	for _, f := range c.pass.Files {
		own[c.pass.Fset.File(f.FileStart).Name()] = true
	}
	var paths []string
	var size int64
	over := false
	var sources []string // the source of programs in other languages (iacSource)
	moduleWalk(c.root, func(name string) bool { return moduleFile(name) || iacSource(name) }, func(p string) bool {
		if !moduleFile(filepath.Base(p)) {
			sources = append(sources, p)
			return true
		}
		st, err := os.Stat(p)
		if err != nil {
			return true
		}
		size += st.Size()
		if over = len(paths) >= maxModuleFiles || size > maxModuleBytes; over {
			return false
		}
		paths = append(paths, p)
		return true
	})
	if over {
		why := fmt.Sprintf("%sthe module's files past the first %d (or %d MiB), which keyscan does not read for settings of the environment", opaqueMark, maxModuleFiles, maxModuleBytes>>20)
		return moduleFacts{env: why, host: why, v1: why}
	}
	fset := token.NewFileSet()
	parsed := map[string]*ast.File{}
	hosts := map[string]string{}     // Go file -> hostNamed
	imports := map[string][]string{} // package folder -> import paths
	var iacGo []string               // Go files that import a CDK or Pulumi library
	for _, p := range paths {
		if !strings.HasSuffix(p, ".go") {
			continue
		}
		b := c.readFile(p)
		if iacImport(b) && !vendoredPath(filepath.ToSlash(strings.TrimPrefix(p, c.root))) {
			iacGo = append(iacGo, p)
		}
		mode := parser.ImportsOnly
		if hosts[p] = hostNamed(b, p, c.root); goSettingWords(b) {
			mode = parser.SkipObjectResolution
		}
		f, err := parser.ParseFile(fset, p, b, mode)
		if err != nil {
			continue
		}
		if mode != parser.ImportsOnly {
			parsed[p] = f
		}
		d := filepath.Dir(p)
		if _, ok := imports[d]; !ok {
			imports[d] = nil // a package folder, whatever it imports
		}
		for _, is := range f.Imports {
			if ip, err := strconv.Unquote(is.Path.Value); err == nil {
				imports[d] = append(imports[d], ip)
			}
		}
	}
	linked := linkedFolders(c.root, c.pass.Module.Path, dir, imports)
	for d, ips := range imports {
		if !linked[d] {
			continue
		}
		for _, ip := range ips {
			if ip != c.pass.Module.Path && !strings.HasPrefix(ip, c.pass.Module.Path+"/") && !slices.Contains(facts.imports, ip) {
				facts.imports = append(facts.imports, ip)
			}
		}
	}
	slices.Sort(facts.imports)
	place := lambdaImported(c.root, imports, linked) // where the program runs, when no instance role is there
	if place == "" {
		place = platformImported(c.root, imports, linked)
	}
	if place == "" {
		place = herokuGoMod(c.readFile(filepath.Join(c.root, "go.mod")))
	}
	// runsProgram reports whether a folder (relative to the root) holds
	// a package of the program: this one or one linked with it.
	// A folder DIR/... (a CI command's package keyscan cannot read whole:
	// targetFolder) is any folder at or below DIR.
	runsProgram := func(folder string) bool {
		if pre, ok := strings.CutSuffix(folder, "..."); ok {
			top := filepath.Join(c.root, filepath.FromSlash(pre))
			if pathname.Within(top, dir) {
				return true
			}
			for l, ok := range linked {
				if ok && pathname.Within(top, l) {
					return true
				}
			}
			return false
		}
		d := filepath.Join(c.root, filepath.FromSlash(folder))
		return d == dir || linked[d]
	}
	var iac, nested []string // infrastructure programs' folders (iacProject), those in a nested module
	// profileUse reports, once asked, whether a Go file of the program
	// (the package's own, a linked package's) hands the SDK a profile:
	// what makes a --profile flag an AWS profile's (laptopProgram).
	used := -1
	profileUse := func() bool {
		if used < 0 {
			used = 0
			for _, p := range paths {
				if strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") && (own[p] || linked[filepath.Dir(p)]) && sdkProfileUse(c.readFile(p)) {
					used = 1
					break
				}
			}
		}
		return used == 1
	}
	for _, p := range paths {
		rel := p
		if r, err := filepath.Rel(c.root, p); err == nil {
			rel = filepath.ToSlash(r)
		}
		if iacProject(filepath.Base(p)) && nestedModule(c.root, filepath.Dir(p)) {
			// moduleWalk's only file of a nested module: the
			// project file of an infrastructure program, which
			// deploys this module's programs.
			nested = append(nested, filepath.Dir(p))
		} else if strings.HasSuffix(p, ".go") {
			if place == "" && !strings.HasSuffix(p, "_test.go") && (own[p] || linked[filepath.Dir(p)]) {
				place = laptopProgram(c.readFile(p), rel, profileUse) // a command people run on their own machines
			}
			if own[p] || !linked[filepath.Dir(p)] {
				continue
			}
			if facts.host == "" {
				facts.host = hosts[p]
			}
			f := parsed[p]
			if f != nil && facts.env == "" {
				if why := fileSetting(fset, f, nil); why != "" {
					facts.env = why + " (" + rel + ", a file of the module)"
				}
			}
			if f != nil && facts.v1 == "" {
				if why := fileSetting(fset, f, v1MetadataOff); why != "" {
					facts.v1 = why + " (" + rel + ", a file of the module)"
				}
			}
			if f != nil && facts.host == "" {
				if why := requestRewrite(fset, f); why != "" {
					facts.host = why + " (" + rel + ", a file of the module)"
				}
			}
		} else if owner := ownerFolder(c.root, filepath.Dir(p), imports); owner == "" || linked[owner] || pathname.Within(filepath.Dir(p), dir) {
			b := c.readFile(p)
			if facts.env == "" {
				facts.env = envFileSetting(b, rel, "a file of the module", nil)
			}
			if facts.env == "" && composeFile(filepath.Base(p)) {
				facts.env = composeStorage(b, rel)
			}
			if facts.v1 == "" {
				facts.v1 = envFileSetting(b, rel, "a file of the module", v1MetadataOff)
			}
			if facts.host == "" {
				facts.host = hostNamed(b, p, c.root)
			}
			if place == "" && !vendoredPath(rel) {
				place = noMetadataFile(b, rel, filepath.Base(p))
			}
			if place == "" && !vendoredPath(rel) {
				place = noRoleFile(b, rel, filepath.Base(p), runsProgram)
			}
			if place == "" && !vendoredPath(rel) {
				place = ciRunsProgram(b, rel, c.pass.Module.Path, runsProgram, c.moduleRead) // a CI job on hosted machines
			}
			if iacProject(filepath.Base(p)) && !vendoredPath(rel) {
				iac = append(iac, filepath.Dir(p))
			}
		}
		if facts.env != "" && facts.host != "" && facts.v1 != "" {
			break
		}
	}
	if place == "" {
		place = releaseManifests(c.root, c.readFile, runsProgram) // a formula, a PKGBUILD, Debian's control: not moduleFile's
	}
	if place == "" {
		place = installDocs(c.root, c.pass.Module.Path, c.readFile, runsProgram) // a README's go install MODULE/cmd/x@latest
	}
	if place == "" && (facts.env == "" || facts.v1 == "") {
		// The source of infrastructure programs: a Go package that
		// imports the CDK or Pulumi is one wherever it is, as it
		// deploys the module's other programs; other languages' files
		// count where the module's settings files do.
		var code []string
		for _, p := range sources {
			if r, err := filepath.Rel(c.root, p); err == nil && vendoredPath(filepath.ToSlash(r)) {
				continue
			}
			if iacProject(filepath.Base(p)) && nestedModule(c.root, filepath.Dir(p)) {
				nested = append(nested, filepath.Dir(p)) // a nested module's sst.config.ts
				continue
			}
			if owner := ownerFolder(c.root, filepath.Dir(p), imports); owner == "" || linked[owner] || pathname.Within(filepath.Dir(p), dir) {
				code = append(code, p)
				if iacProject(filepath.Base(p)) {
					iac = append(iac, filepath.Dir(p)) // sst.config.ts
				}
			}
		}
		place = c.iacPlace(append(iacGo, code...), iac, nested)
	}
	if facts.env == "" {
		facts.env = place
	}
	if facts.v1 == "" {
		facts.v1 = place
	}
	return facts
}

// foreignHost returns, marked as an endpoint, where the package or a file
// of the module that may run with it (moduleScan) names the host of an
// S3-compatible service other than AWS (s3.wasabisys.com,
// linodeobjects.com: scanner.ForeignHostIn), or "". Such a service's
// regions may be AWS's names (Wasabi's us-east-1), and its endpoint may
// reach the client where keyscan does not follow it (an HTTP transport
// that rewrites the host, a middleware, a v1 handler, reflection): a
// program that names one is taken to talk to it (CLOSING17).
func (c *checker) foreignHost() string {
	c.hostOnce.Do(func() {
		for _, f := range c.pass.Files {
			name := c.pass.Fset.File(f.FileStart).Name()
			if c.host = hostNamed(c.readFile(name), name, c.root); c.host == "" {
				c.host = requestRewrite(c.pass.Fset, f)
			}
			if c.host != "" {
				return
			}
		}
		if dir := sourceDir(c.pass); dir != "" {
			fset, tests := c.testFiles(dir)
			for _, f := range tests {
				name := fset.File(f.FileStart).Name()
				if c.host = hostNamed(c.readFile(name), name, c.root); c.host == "" {
					c.host = requestRewrite(fset, f)
				}
				if c.host != "" {
					return
				}
			}
		}
		c.host = c.moduleScan().host
	})
	return c.host
}

// hostNamed returns, marked as an endpoint, the first S3-compatible
// service's host that b (the file p) names, or "".
func hostNamed(b []byte, p, root string) string {
	host, what := scanner.ForeignHostIn(b)
	if host == "" {
		return ""
	}
	rel := filepath.Base(p)
	if r, err := filepath.Rel(root, p); err == nil && root != "" {
		rel = filepath.ToSlash(r)
	}
	line := 1 + bytes.Count(b[:bytes.Index(b, []byte(host))], []byte("\n"))
	return fmt.Sprintf("%s%s, %s's host, named in %s:%d", endpointMark, host, what, rel, line)
}

// linkedFolders returns the package folders of the module (imports: each
// folder's imports, tests' included) that may be built into one program
// with the package in folder dir: those that import it, directly or not,
// and everything those import.
func linkedFolders(root, modPath, dir string, imports map[string][]string) map[string]bool {
	folderOf := func(ip string) (string, bool) {
		if ip == modPath {
			return root, true
		}
		rest, ok := strings.CutPrefix(ip, modPath+"/")
		if !ok {
			return "", false
		}
		d := filepath.Join(root, filepath.FromSlash(rest))
		_, ok = imports[d]
		return d, ok
	}
	importers := map[string][]string{}
	for d, ips := range imports {
		for _, ip := range ips {
			if to, ok := folderOf(ip); ok {
				importers[to] = append(importers[to], d)
			}
		}
	}
	// The programs' roots: dir and every folder that imports it.
	roots := map[string]bool{dir: true}
	for queue := []string{dir}; len(queue) > 0; queue = queue[1:] {
		for _, from := range importers[queue[0]] {
			if !roots[from] {
				roots[from] = true
				queue = append(queue, from)
			}
		}
	}
	linked := map[string]bool{}
	var queue []string
	for d := range roots {
		linked[d] = true
		queue = append(queue, d)
	}
	for ; len(queue) > 0; queue = queue[1:] {
		for _, ip := range imports[queue[0]] {
			if to, ok := folderOf(ip); ok && !linked[to] {
				linked[to] = true
				queue = append(queue, to)
			}
		}
	}
	return linked
}

// nestedModule reports whether folder d, under root, is the root of
// another module.
func nestedModule(root, d string) bool {
	if d == root {
		return false
	}
	_, err := os.Lstat(filepath.Join(d, "go.mod"))
	return err == nil
}

// ownerFolder returns the package folder that folder d belongs to: d or
// the nearest folder above it, up to root, that holds Go files; "" when
// none does.
func ownerFolder(root, d string, imports map[string][]string) string {
	for {
		if _, ok := imports[d]; ok {
			return d
		}
		if d == root || filepath.Dir(d) == d {
			return ""
		}
		d = filepath.Dir(d)
	}
}

// goSettingWords reports whether Go source b may hold what fileSetting or
// requestRewrite looks for, so that most files are not parsed.
func goSettingWords(b []byte) bool {
	for _, w := range []string{"Setenv", "dotenv", "gotenv", "EnableState", "ClientDisabled", ".URL", "ClientInfo.Endpoint", "Dial"} {
		if bytes.Contains(b, []byte(w)) {
			return true
		}
	}
	return false
}

// fileSetting returns, marked, the first setting of f that keep keeps, read
// without types:
// an env-file loader's autoload import, a Setenv call or an env-file
// loader's call (untypedEnvWrite, or a dot import's Setenv), or the v2
// IMDS client turned off (untypedIMDSOff).
func fileSetting(fset *token.FileSet, f *ast.File, keep settingFilter) string {
	found := autoloadImport(fset, f)
	if !keep.keeps(found) {
		found = ""
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		if b, ok := n.(*ast.BinaryExpr); ok && (b.Op == token.EQL || b.Op == token.NEQ) {
			return false // a comparison with imds.ClientDisabled turns nothing off
		}
		found = untypedIMDSOff(fset, f, n)
		if call, ok := n.(*ast.CallExpr); ok && found == "" {
			if fun, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && fun.Name == "Setenv" && len(call.Args) == 2 {
				v, known := stringLit(call.Args[0])
				found = envWrite(v, known, fset, call) // a dot import's Setenv
			} else {
				found = untypedEnvWrite(fset, f, call)
			}
		}
		if !keep.keeps(found) {
			found = ""
		}
		return found == ""
	})
	if found == "" {
		if why := endpointVarNamed(fset, f); keep.keeps(why) {
			found = why
		}
	}
	return found
}

// composeFile reports whether a file of this name is a compose file.
func composeFile(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "compose") && (strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml"))
}

// composeStorage returns, marked as an endpoint, the S3-compatible service
// (MinIO, LocalStack, SeaweedFS, Ceph…: fix.ComposeStorage, which keyscan
// fix asks of a .env's project too) that the compose file b (named rel)
// runs, or "". A project that runs one beside its program most likely
// points the program's client at it, from a setting outside the
// repository (an uncommitted .env, the shell) when none inside names it.
func composeStorage(b []byte, rel string) string {
	if what := fix.ComposeStorage(b); what != "" {
		return endpointMark + "maybe: " + rel + ", a file of the module, runs " + what + ", an S3-compatible service the program's clients may talk to"
	}
	return ""
}

// endpointVarName matches the name of an endpoint variable the v2 SDK
// reads, as a word of a string.
var endpointVarName = lazyre.New(`(?:^|[^A-Za-z0-9_])(AWS_ENDPOINT_URL[A-Za-z0-9_]*)`)

// endpointVarNamed returns, marked as an endpoint, the first string
// literal of f that names AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE>
// (os.Getenv's, os.LookupEnv's, a struct tag such as
// envconfig:"AWS_ENDPOINT_URL", viper's BindEnv), or "". A program that
// reads the variable expects its deployment to set it, and the v2 SDK
// reads it too: the value, which keyscan cannot know, is the client's
// endpoint and may be MinIO's or LocalStack's (CLOSING19's "a client whose
// endpoint nothing in the repository names": the keys stay when the code
// names the variable; a program that names none is taken to talk to AWS).
func endpointVarNamed(fset *token.FileSet, f *ast.File) string {
	found := ""
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if found != "" || !ok || lit.Kind != token.STRING {
			return found == ""
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		if m := endpointVarName.FindStringSubmatch(s); m != nil {
			pos := fset.PositionFor(lit.Pos(), false)
			found = fmt.Sprintf("%s%s, named at %s:%d: the program reads it at run time (the v2 SDK does too), and its value, which keyscan cannot know, may be another service's endpoint",
				endpointMark, m[1], filepath.Base(pos.Filename), pos.Line)
		}
		return found == ""
	})
	return found
}

// untypedIMDSOff is imdsOff without types: imds.ClientDisabled named
// through an import of the v2 imds package, or config.
// WithEC2IMDSClientEnableState, a field EC2IMDSClientEnableState or
// ClientEnableState given a value other than imds.ClientEnabled or
// imds.ClientDefaultEnableState.
func untypedIMDSOff(fset *token.FileSet, f *ast.File, n ast.Node) string {
	var value ast.Expr
	var what string
	switch n := n.(type) {
	case *ast.SelectorExpr:
		if x, ok := n.X.(*ast.Ident); ok && n.Sel.Name == "ClientDisabled" && strings.HasSuffix(importPathOf(f, x.Name), "/feature/ec2/imds") {
			value, what = n, "imds.ClientDisabled"
		}
	case *ast.CallExpr:
		if id := calleeIdent(n.Fun); id != nil && id.Name == "WithEC2IMDSClientEnableState" && len(n.Args) == 1 {
			value, what = n.Args[0], id.Name
		}
	case *ast.KeyValueExpr:
		if k, ok := n.Key.(*ast.Ident); ok && imdsStateFields[k.Name] {
			value, what = n.Value, k.Name+":"
		}
	case *ast.AssignStmt:
		for i, l := range n.Lhs {
			if s, ok := l.(*ast.SelectorExpr); ok && imdsStateFields[s.Sel.Name] && len(n.Lhs) == len(n.Rhs) {
				value, what = n.Rhs[i], s.Sel.Name+" ="
			}
		}
	}
	if value == nil {
		return ""
	}
	if s, ok := ast.Unparen(value).(*ast.SelectorExpr); ok && (s.Sel.Name == "ClientEnabled" || s.Sel.Name == "ClientDefaultEnableState") {
		return ""
	}
	pos := fset.PositionFor(n.Pos(), false)
	return fmt.Sprintf("%s%s at %s:%d", metadataOffMark, what, filepath.Base(pos.Filename), pos.Line)
}

// requestRewrite returns, marked as an endpoint, the first place of f,
// read without types, that may send a request elsewhere than its client's
// endpoint: an assignment to a request's URL (x.URL = u, *x.URL = u) or its
// URL.Host or URL.Scheme (an HTTP transport's RoundTrip, a smithy
// middleware's request), or to a v1 request's ClientInfo.Endpoint (a
// handler); or a dialer of the program's own given to an HTTP transport
// (DialContext, Dial, DialTLSContext, DialTLS: ownDialer), which may dial
// any address; "" when there is none. keyscan does not follow an HTTP
// client, a middleware or a handler to the client it is given to.
func requestRewrite(fset *token.FileSet, f *ast.File) string {
	found := ""
	var decl *fileDecls // read when a dialer is set
	at := func(n ast.Node, what string) {
		pos := fset.PositionFor(n.Pos(), false)
		found = fmt.Sprintf("%s%s at %s:%d, which may send the client's requests to another service", endpointMark, what, filepath.Base(pos.Filename), pos.Line)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if what := rewrittenField(l); what != "" {
					at(n, what+" of a request set")
					return false
				}
				if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok && dialers[sel.Sel.Name] && len(n.Rhs) == len(n.Lhs) {
					if ownDialer(f, &decl, n.Rhs[i]) {
						at(n, "a dialer ("+sel.Sel.Name+") of its own")
						return false
					}
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && dialers[k.Name] {
				if ownDialer(f, &decl, n.Value) {
					at(n, "a dialer ("+k.Name+") of its own")
					return false
				}
			}
		}
		return true
	})
	return found
}

// ownDialer reports whether v, given to a transport as its dialer, is the
// program's own code, which may dial any address as a function literal
// may (qa27 L1): a function literal; a function of the package, named (in
// f or, a name f does not declare, in another file of the package) or
// held by a variable that a function literal initialises; or a method
// value whose method f declares (m.dial). A method value of another
// package's type ((&net.Dialer{Timeout: t}).DialContext, d.DialContext
// with d a net.Dialer) and a function of another package are not: keyscan
// reads package code without types, and a name is all it has. decl holds
// f's declarations, read once when first asked.
func ownDialer(f *ast.File, decl **fileDecls, v ast.Expr) bool {
	v = ast.Unparen(v)
	if _, ok := v.(*ast.FuncLit); ok {
		return true
	}
	if *decl == nil {
		*decl = readDecls(f)
	}
	d := *decl
	switch v := v.(type) {
	case *ast.Ident:
		if d.funcs[v.Name] || d.funcVars[v.Name] {
			return true
		}
		// A name f does not declare is the package's, from another
		// file: a function (a dialer is one), unless it is predeclared.
		return !d.other[v.Name] && v.Name != "nil"
	case *ast.SelectorExpr:
		if x, ok := ast.Unparen(v.X).(*ast.Ident); ok && d.imports[x.Name] {
			return false // net.Dial, proxy.Dial: another package's function
		}
		return d.methods[v.Sel.Name]
	}
	return false
}

// fileDecls are the names a file declares, as ownDialer reads them.
type fileDecls struct {
	funcs    map[string]bool // package functions
	methods  map[string]bool // methods of the package's types
	funcVars map[string]bool // variables a function literal initialises
	other    map[string]bool // any other name declared anywhere in the file
	imports  map[string]bool // the names imported packages go by
}

func readDecls(f *ast.File) *fileDecls {
	d := &fileDecls{funcs: map[string]bool{}, methods: map[string]bool{}, funcVars: map[string]bool{}, other: map[string]bool{}, imports: map[string]bool{}}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := path.Base(p)
		if im.Name != nil {
			name = im.Name.Name
		} else if i := strings.LastIndexAny(name, ".-"); i >= 0 && !strings.HasPrefix(name, "go-") {
			name = name[i+1:]
		}
		if strings.HasPrefix(name, "v") && len(name) > 1 && strings.Trim(name[1:], "0123456789") == "" {
			name = path.Base(path.Dir(p)) // gopkg.in/x.v2, github.com/a/b/v2
		}
		d.imports[name] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Recv != nil {
				d.methods[n.Name.Name] = true
			} else {
				d.funcs[n.Name.Name] = true
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) {
					if _, ok := ast.Unparen(n.Values[i]).(*ast.FuncLit); ok {
						d.funcVars[id.Name] = true
						continue
					}
				}
				d.other[id.Name] = true
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, ok := l.(*ast.Ident)
				if !ok {
					continue
				}
				if _, ok := ast.Unparen(n.Rhs[min(i, len(n.Rhs)-1)]).(*ast.FuncLit); ok && len(n.Rhs) == len(n.Lhs) {
					d.funcVars[id.Name] = true
				} else if n.Tok == token.DEFINE {
					d.other[id.Name] = true
				}
			}
		case *ast.Field:
			for _, id := range n.Names {
				d.other[id.Name] = true
			}
		case *ast.RangeStmt:
			for _, x := range []ast.Expr{n.Key, n.Value} {
				if id, ok := x.(*ast.Ident); ok {
					d.other[id.Name] = true
				}
			}
		case *ast.TypeSpec:
			d.other[n.Name.Name] = true
		}
		return true
	})
	return d
}

// dialers are the fields of net/http's Transport that dial a connection.
var dialers = map[string]bool{"DialContext": true, "Dial": true, "DialTLSContext": true, "DialTLS": true}

// requestLike reports whether x, whose URL field is set, reads as a
// request: a name holding req (req, r.HTTPRequest, in.Request), r, or a
// type assertion (in.Request.(*smithyhttp.Request)). A config's URL field
// (cfg.URL = …) is not a request's.
func requestLike(x ast.Expr) bool {
	switch x := ast.Unparen(x).(type) {
	case *ast.TypeAssertExpr:
		return true
	case *ast.Ident:
		return x.Name == "r" || strings.Contains(strings.ToLower(x.Name), "req")
	case *ast.SelectorExpr:
		return strings.Contains(strings.ToLower(x.Sel.Name), "req")
	}
	return false
}

// rewrittenField names what an assignment to l rewrites of a request:
// URL, Host, URL.Host, URL.Scheme, ClientInfo.Endpoint; "" for anything else.
func rewrittenField(l ast.Expr) string {
	if st, ok := ast.Unparen(l).(*ast.StarExpr); ok {
		l = st.X
	}
	sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if (sel.Sel.Name == "URL" || sel.Sel.Name == "Host") && requestLike(sel.X) {
		return sel.Sel.Name // Host: the Host header, signed, which names the server meant (fix29)
	}
	inner, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	switch what := inner.Sel.Name + "." + sel.Sel.Name; what {
	case "URL.Host", "URL.Scheme", "ClientInfo.Endpoint":
		return what
	}
	return ""
}
