package main

import (
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/scanner"
	"golang.org/x/mod/modfile"
)

// platformHolds leaves for a person the keys of code (Python, JavaScript)
// and of a Dockerfile whose project deploys to a platform with no EC2
// instance role: a deployment description of one (fix.ProjectPlatform:
// vercel.json, render.yaml, fly.toml, App Engine's app.yaml, a Cloud Run
// service…) in the file's folder or a folder above it, up to the root,
// or in a deployment folder of one of those (k8s/, deploy/, .do/). Such
// code runs on the platform though it imports no function package of
// one, which fix.ApplyWith asks about (fix31): rewritten to the SDK's
// default chain it would find no credentials there. Only when a folder is
// fixed: a file named alone reads no other file.
func platformHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if len(found) == 0 || !t.rootIsDir {
		return
	}
	awsOnly := false // a .env's other platforms are neighbourPlatformHolds' (fix.NeighbourPlatform)
	switch fix.Detect(t.name, data) {
	case fix.Python, fix.JavaScript, fix.Dockerfile:
	case fix.Env:
		if !programEnvFile(path.Base(t.rel())) {
			return // a shell script's keys are its runner's, not the program's
		}
		awsOnly = true
	default:
		return
	}
	reason := ""
	for dir := path.Dir(t.rel()); reason == ""; dir = path.Dir(dir) {
		key := "platform " + dir
		if awsOnly {
			key = "deployment " + dir
		}
		reason = t.once(key, func() any { return platformIn(t, dir, awsOnly) }).(string)
		if dir == "." || dir == "/" || dir == "" {
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

// Bounds of platformIn's reads: the files of a folder looked at, and the
// size of one.
const (
	maxPlatformFiles = 64
	maxPlatformSize  = 256 << 10
)

// programEnvFile reports whether a file of this name is a dotenv file a
// program is given (.env, .env.production, app.env), not a script.
func programEnvFile(name string) bool {
	n := strings.ToLower(name)
	return n == ".env" || strings.HasPrefix(n, ".env.") || strings.HasSuffix(n, ".env")
}

// platformIn returns the reason for the first deployment description in
// folder dir (below the root) or in one of its deployment folders (and a
// Copilot service's folder, copilot/NAME/) of a platform with no EC2
// instance role: fix.ProjectPlatform's (not with awsOnly), or go fix's own table's
// (analyzer.NoMetadataDeployment: a Lambda function, a Fargate task, a
// Copilot service…), so that keyscan fix never removes the keys of a
// program go fix withholds its fix for (fix32). With awsOnly (a .env, which
// a Go program of the project may load) also go fix's reasons that no AWS
// role exists where that program runs (qa29 M3): a release for people's
// own computers (analyzer.PeoplesComputers, in the folders and their
// release folders: snap/, Formula/, debian/...), a CI job on the service's
// own machines that runs it (analyzer.CIRunsProgram, in .github/workflows/,
// .circleci/, .semaphore/ and the folder's own CI files). "" when none.
func platformIn(t fixTarget, dir string, awsOnly bool) string {
	dirs := []string{dir}
	docs := map[string]bool{} // dir's docs/ and doc/: their pages may say go install MODULE/cmd/x@latest
	ents, _ := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	for _, de := range ents {
		if n := strings.ToLower(de.Name()); de.IsDir() && (n == "docs" || n == "doc") && awsOnly {
			docs[path.Join(dir, de.Name())] = true
			dirs = append(dirs, path.Join(dir, de.Name()))
		}
		if de.IsDir() && deployDirs[strings.ToLower(de.Name())] {
			dirs = append(dirs, path.Join(dir, de.Name()))
		}
		if de.IsDir() && releaseDirs[strings.ToLower(de.Name())] && awsOnly {
			dirs = releaseFolders(t, path.Join(dir, de.Name()), 2, dirs)
		}
		switch {
		case de.IsDir() && de.Name() == ".github":
			dirs = append(dirs, path.Join(dir, ".github", "workflows")) // CI jobs that run the program
		case de.IsDir() && (de.Name() == ".circleci" || de.Name() == ".semaphore"):
			dirs = append(dirs, path.Join(dir, de.Name()))
		}
		if de.IsDir() && de.Name() == "copilot" {
			svcs, _ := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir), "copilot"))
			for _, sv := range svcs {
				if sv.IsDir() && len(dirs) < maxPlatformFiles {
					dirs = append(dirs, path.Join(dir, "copilot", sv.Name()))
				}
			}
		}
	}
	for i, d := range dirs {
		if i > 0 {
			ents, _ = t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(d)))
		}
		n, released, documented := 0, 0, 0
		for _, de := range ents {
			if awsOnly && de.Type().IsRegular() && analyzer.DocFile(de.Name(), docs[d]) {
				// A Go module's README or docs/ page that tells people to
				// go install a command at a version (analyzer.InstalledForPeople).
				mod := modulePathOf(t, dir)
				if documented++; mod == "" || documented > maxPlatformFiles {
					continue
				}
				rel := path.Join(d, de.Name())
				if b, err := t.read(rel, min(t.maxSize, maxPlatformSize)); err == nil {
					if where := analyzer.InstalledForPeople(b, rel, mod); where != "" {
						return peoplesReason(t.shown(rel), where)
					}
				}
				continue
			}
			// Release files (Go source, a formula, an Electron or Tauri
			// app's, a Python CLI's: qa31 F10) hold a .env's keys only, not
			// Python's, JavaScript's or an image's.
			release := releaseCandidate(de.Name())
			if !de.Type().IsRegular() || release && !awsOnly || !release && !platformCandidate(de.Name()) {
				continue
			}
			if release {
				// Counted apart: a folder's Go files never push its
				// deployment files past the bound.
				if released++; released > maxPlatformFiles || strings.EqualFold(de.Name(), "control") && serviceBeside(t, d, ents) {
					continue
				}
			} else if n++; n > maxPlatformFiles {
				break
			}
			rel := path.Join(d, de.Name())
			b, err := t.read(rel, min(t.maxSize, maxPlatformSize))
			if err != nil {
				continue
			}
			if release {
				if where := analyzer.PeoplesComputers(b, rel, de.Name()); where != "" {
					return peoplesReason(t.shown(rel), where)
				}
				continue
			}
			if r := fix.ProjectPlatform(t.shown(rel), b); r != "" && !awsOnly {
				return r
			}
			if where := analyzer.NoMetadataDeployment(b, rel, de.Name()); where != "" {
				return deploymentReason(t.shown(rel), where)
			}
			if !awsOnly {
				continue
			}
			// A .env's Go program: released for people's own computers,
			// or run by a CI job on the service's machines.
			if where := analyzer.PeoplesComputers(b, rel, de.Name()); where != "" {
				return peoplesReason(t.shown(rel), where)
			}
			if where := ciRunsIn(t, dir, rel, b); where != "" {
				return ciRunReason(where)
			}
		}
	}
	return ""
}

// ciRunsIn returns where the CI file rel (content b) of the project at
// folder dir runs one of its Go programs on the CI service's own machines,
// as go fix reads it (analyzer.CIRunsProgram), or "". Any program of the
// project counts: a program run from the project's folder loads its .env
// (godotenv), and the CI job has the file as committed.
func ciRunsIn(t fixTarget, dir, rel string, b []byte) string {
	top := rel
	if dir != "." {
		top = strings.TrimPrefix(rel, dir+"/")
	}
	if !fix.CIFile(top) {
		return ""
	}
	mod := modulePathOf(t, dir)
	read := func(f string) []byte { // the Makefile or script a step runs
		b, err := t.read(path.Join(dir, f), min(t.maxSize, maxPlatformSize))
		if err != nil {
			return nil
		}
		return b
	}
	return analyzer.CIRunsProgram(b, top, mod, func(string) bool { return true }, read)
}

// modulePathOf returns the path of the Go module whose go.mod is in folder
// dir (below the root), found once per run; "" for none.
func modulePathOf(t fixTarget, dir string) string {
	return t.once("module path "+dir, func() any {
		gm, err := t.read(path.Join(dir, "go.mod"), 64<<10)
		if err != nil {
			return ""
		}
		return modfile.ModulePath(gm)
	}).(string)
}

// ciRunReason is why the keys of a .env stay when a CI job of the project
// runs one of its Go programs on the CI service's own machines (where),
// where no EC2 instance role exists. go fix judges each program by the
// jobs that run it (a job's go run folder, go -C DIR) and may well fix
// the project's server beside such a job; keyscan fix cannot tell which
// program loads a .env (any run from its folder may, and the job has the
// file as committed), so it keeps the keys whichever program the job
// runs, and says so rather than that go fix withholds (qa30 L1).
func ciRunReason(where string) string {
	where = strings.TrimSuffix(where, "; then remove the keys by hand and deactivate them in IAM.")
	return "a CI job of the project runs one of its Go programs on the CI service's own machines, where no EC2 instance role exists (" +
		where + "); the job has this file as committed and any program run from the project's folder may load it, so keyscan fix " +
		"keeps its keys whichever program the job runs: without them that job may have no AWS credentials at all. Give the job " +
		"its own credentials as advised; then remove the keys by hand and deactivate them in IAM."
}

// platformCandidate reports whether a file of this name may describe a
// platform's deployment: YAML, JSON or TOML (fix.HostingPlatform tells;
// analyzer.PeoplesComputers too: a snap, a Flatpak, wails.json...),
// Terraform, a Dockerfile or a samconfig (analyzer's table tells).
func platformCandidate(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json", ".toml", ".tf":
		return true
	}
	return fix.DockerfileName(name)
}

// releaseCandidate reports whether a file of this name is one that only
// analyzer.PeoplesComputers reads: Go source (a desktop program's
// imports), a Homebrew formula, a PKGBUILD, Debian's control, an rpm spec.
func releaseCandidate(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".go", ".rb", ".spec":
		return !strings.HasSuffix(name, "_test.go")
	}
	switch strings.ToLower(name) {
	case "pkgbuild", ".srcinfo", "control", "chocolateyinstall.ps1", "setup.py", "setup.cfg":
		return true
	}
	return false
}

// serviceBeside reports whether the entries of folder d (debian/) package
// a systemd unit, as go fix reads them (analyzer.DebianService): its
// package is a server's.
func serviceBeside(t fixTarget, d string, ents []fs.DirEntry) bool {
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	return analyzer.DebianService(names, func(n string) []byte {
		b, _ := t.read(path.Join(d, n), min(t.maxSize, maxPlatformSize))
		return b
	})
}

// releaseDirs are the folders of a project that hold its releases for
// people's own computers (a snap's snap/, a tap's Formula/, Debian's
// debian/...), read as deployment folders are.
var releaseDirs = map[string]bool{"snap": true, "formula": true, "homebrewformula": true, "casks": true, "debian": true, "aur": true,
	"rpm": true, "packaging": true, "flatpak": true, "bucket": true, "homebrew": true,
	"choco": true, "chocolatey": true, "src-tauri": true}

// releaseFolders appends folder d to dirs, and its own release folders
// down to depth more levels (packaging/homebrew/Formula/), up to
// maxPlatformFiles folders in all.
func releaseFolders(t fixTarget, d string, depth int, dirs []string) []string {
	if len(dirs) >= maxPlatformFiles {
		return dirs
	}
	dirs = append(dirs, d)
	if depth == 0 {
		return dirs
	}
	ents, _ := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(d)))
	for _, e := range ents {
		if e.IsDir() && (releaseDirs[strings.ToLower(e.Name())] || chocoTools(d, e.Name())) {
			dirs = releaseFolders(t, path.Join(d, e.Name()), depth-1, dirs)
		}
	}
	return dirs
}

// chocoTools reports whether folder name in d is a Chocolatey package's
// tools/ (choco/tools/chocolateyinstall.ps1), read as go fix reads it; a
// project's other tools/ folders are no release's.
func chocoTools(d, name string) bool {
	p := strings.ToLower(path.Base(d))
	return strings.EqualFold(name, "tools") && (p == "choco" || p == "chocolatey")
}

// peoplesReason is why the keys of a program's settings stay when the
// project's file what releases the program for people's own computers
// (where): go fix withholds there too, since no EC2 instance role exists
// on them.
func peoplesReason(what, where string) string {
	return "the project releases its program for people's own computers (" + where + ", " + what + "), where no EC2 instance " +
		"role exists (go fix withholds its fix for a Go program released so too): without the keys the program has no AWS credentials at all there. " +
		"Instead, let each user's own credentials reach it (their AWS profile or IAM Identity Center login: aws configure sso, " +
		"AWS_PROFILE, which the SDK's default chain takes); then remove the keys by hand and deactivate them in IAM."
}

// A program's settings often sit beside the file that says where it runs:
// a Cloud Function's .env.yaml (gcloud functions deploy --env-vars-file)
// or .env beside its main.py, which imports functions_framework; an
// Azure Function's config beside its azure.functions code; a .env beside
// fly.toml or a Cloud Build file that runs gcloud run deploy. The file
// itself names no platform, its folder does (qa27 M3).

// maxPlatformNeighbours bounds the files of a folder read for a platform.
const maxPlatformNeighbours = 200

// neighbourPlatformHolds leaves for a person, with the platform's advice, the keys
// of a file (a folder fixed) when another regular file of its folder is
// code run as a function of a platform with no EC2 instance role, or
// deploys the folder's program to one (fix.NeighbourPlatform). What each
// neighbour says is kept in the run's cache.
func neighbourPlatformHolds(t fixTarget, found scanner.Findings, opts *fix.Options) {
	if !t.rootIsDir || len(found) == 0 {
		return
	}
	p, why := siblingSays(t, "platform", platformNeighbour, maxPlatformNeighbours, fix.NeighbourPlatform)
	if why == "" {
		return
	}
	reason := t.shown(p) + " " + why
	for _, x := range found {
		addHold(opts, x.Offset, reason)
	}
}

// platformNeighbour reports whether a file of this name may say where the
// program of its folder runs: code of the languages whose platform
// functions keyscan knows, a deployment description.
func platformNeighbour(name string) bool {
	switch path.Ext(name) {
	case ".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".yaml", ".yml", ".json", ".toml", ".tf", ".sh", ".bicep":
		return true
	}
	switch name {
	case "Makefile", "makefile", "Procfile", "Jenkinsfile":
		return true
	}
	return false
}
