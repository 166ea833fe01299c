package analyzer

import (
	"fmt"
	"strings"

	"github.com/keyscan/keyscan/fix"
)

// The instance role exists only on EC2. A program deployed to another
// platform (Heroku, Google Cloud Run or App Engine, Render, Vercel,
// Fly.io...) or released for people's own computers (a CLI that
// GoReleaser builds for macOS or Windows, or publishes to Homebrew, Scoop,
// winget...) has no AWS role at all where it runs: the fix would leave it
// with no credentials on every machine (qa26 M4), where on noimds.go's
// platforms the SDK's default chain still finds the function's or task's
// own role. So the fix is withheld there too, with the advice that fits:
// for a deployment the platform's secret store or federation, as keyscan
// fix says of the same files (fix.HostingPlatform: one judgement of them
// for both, which knows each platform by its files, CLIs, CI actions,
// Terraform and Pulumi resources: qa27 M1), for a CLI the user's own
// profile. A Go program says it too when it imports a platform's runtime
// (Cloud Functions' functions framework: platformImported), as one that
// imports aws-lambda-go says it runs on Lambda.
//
// A GoReleaser file that builds for Linux only keeps the fix when it
// releases the program for servers: a container image (dockers, kos), or
// a deb or rpm package that installs a systemd unit; such binaries run on
// servers, EC2 among them. Linux archives or packages of a command alone
// are downloaded by people to their own Linux machines, where no role
// exists (fix31): withheld, as for macOS. A program that takes an AWS
// profile from its user (a --profile flag: laptopProgram) runs where
// people keep their profiles, whatever its release.

// noRoleFile returns, marked, how file b (rel to the module root, named
// name) runs the program where no AWS role exists, or "". runs says
// whether a package folder is one of the program's (releaseNoRole).
func noRoleFile(b []byte, rel, name string, runs func(folder string) bool) string {
	if why := releaseNoRole(b, rel, name, runs); why != "" {
		return why
	}
	if goreleaserFile(name) {
		what, line := laptopRelease(b)
		if what == "" {
			return ""
		}
		return fmt.Sprintf("%sthe module releases the program for people's own computers (%s, in %s:%d), where no AWS role exists at all, "+
			"so the instance role provider would give the client no credentials; remove the static provider by hand so that the SDK's "+
			"default chain takes each user's own credentials (their AWS profile or IAM Identity Center login: aws configure sso, AWS_PROFILE)",
			noRoleMark, what, rel, line)
	}
	where, advice, ok := fix.HostingPlatform(rel, b)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%sthe module deploys the program to %s, in %s, where no AWS role exists at all, so the instance role provider "+
		"would give the client no credentials; remove the static provider by hand and give the program its keys there: %s",
		noRoleMark, where, rel, advice)
}

// goreleaserFile reports whether a file of this name is GoReleaser's
// configuration (a template of one counts as one).
func goreleaserFile(name string) bool {
	switch fix.TemplateBase(name) {
	case ".goreleaser.yaml", ".goreleaser.yml", "goreleaser.yaml", "goreleaser.yml":
		return true
	}
	return false
}

// desktopPublishers are GoReleaser's top-level sections that ship a
// program to people's computers: package managers of macOS and Windows
// (and Linux desktops' Snapcraft, AUR, Nix), kubectl plugins, macOS and
// Windows installers. nfpms (deb, rpm) is not one: servers install those.
var desktopPublishers = map[string]bool{
	"brews": true, "homebrew_casks": true, "scoops": true, "winget": true, "chocolateys": true, "snapcrafts": true,
	"aurs": true, "aur_sources": true, "nix": true, "krews": true, "dmg": true, "msi": true, "app_bundles": true,
	"notarize": true, "universal_binaries": true,
}

// laptopRelease returns what in GoReleaser's configuration b releases a
// program for people's own computers, and its line: a desktop publisher
// (desktopPublishers), a build whose goos or targets name macOS, Windows
// or iOS, or builds that name neither goos nor targets anywhere (GoReleaser
// then builds for darwin, linux and windows), or builds for Linux (or
// other server systems) only released without a container image or a
// package with a service unit (serverReleases). A goos under a build's
// ignore: is left out; "" when the release is for servers.
func laptopRelease(b []byte) (what string, line int) {
	lines := strings.Split(string(b), "\n")
	section, buildsAt := "", 0
	named, namedAt := false, 0 // a goos or targets list was seen in builds, the first one's line
	ignoreIndent := -1         // the indent of the build's ignore: key while inside it
	server := false            // a container image, or a package that installs a service
	for i, raw := range lines {
		l := uncomment(raw)
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent == 0 && !strings.HasPrefix(t, "-") {
			key, _, ok := strings.Cut(t, ":")
			if !ok {
				continue
			}
			section = strings.Trim(key, `"'`)
			if section == "builds" {
				buildsAt = i + 1
			}
			if desktopPublishers[section] {
				return section, i + 1
			}
			server = server || serverReleases[section]
			continue
		}
		if section == "nfpms" && (strings.Contains(t, ".service") || strings.Contains(t, "/systemd/") || strings.Contains(t, "systemctl")) {
			server = true // a deb or rpm that installs a systemd unit: a daemon
		}
		if section != "builds" {
			continue
		}
		if ignoreIndent >= 0 && indent > ignoreIndent {
			continue
		}
		ignoreIndent = -1
		item := strings.TrimSpace(strings.TrimPrefix(t, "-"))
		key, val, ok := strings.Cut(item, ":")
		if !ok {
			continue
		}
		key = strings.Trim(strings.TrimSpace(key), `"'`)
		switch key {
		case "ignore":
			ignoreIndent = indent
		case "goos", "targets":
			if !named {
				named, namedAt = true, i+1
			}
			for _, v := range yamlList(val, lines[i+1:]) {
				v = strings.ToLower(v)
				if strings.HasPrefix(v, "darwin") || strings.HasPrefix(v, "windows") || strings.HasPrefix(v, "ios") ||
					key == "targets" && strings.Contains(v, "first_class") {
					return key + ": " + v, i + 1
				}
			}
		}
	}
	if !named {
		if buildsAt == 0 {
			buildsAt = 1
		}
		return "builds with GoReleaser's default goos: darwin, linux, windows", buildsAt
	}
	if !server {
		return "builds for Linux only, released as archives or packages for people to download and run, with no container image " +
			"(dockers, kos) or service unit that would say a server runs it", namedAt
	}
	return "", 0
}

// serverReleases are GoReleaser's top-level sections that release a
// program for servers: container images.
var serverReleases = map[string]bool{"dockers": true, "dockers_v2": true, "docker_manifests": true, "kos": true}

// yamlList returns the items of a YAML list given as val, the rest of its
// key's line ([a, b]), or as the block of "- item" lines that follow
// (rest), without quotes or comments.
func yamlList(val string, rest []string) []string {
	var items []string
	if v := strings.TrimSpace(val); v != "" {
		v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
		for _, it := range strings.Split(v, ",") {
			if it = strings.Trim(strings.TrimSpace(it), `"'`); it != "" {
				items = append(items, it)
			}
		}
		return items
	}
	for _, raw := range rest {
		t := strings.TrimSpace(uncomment(raw))
		if t == "" {
			continue
		}
		it, ok := strings.CutPrefix(t, "-")
		if !ok {
			break
		}
		if it = strings.Trim(strings.TrimSpace(it), `"'`); it != "" {
			items = append(items, it)
		}
	}
	return items
}

// uncomment returns a YAML line without its comment: from a '#' that starts
// it or follows a blank, outside quotes.
func uncomment(l string) string {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return l[:i]
		}
	}
	return l
}

// platformPackage is a Go package that runs a program on a platform with
// no AWS role: its import path, where it runs, and the advice.
type platformPackage struct{ path, where, advice string }

// platformPackages are Go packages that make a program a function or app
// of a platform with no EC2 instance role: Google Cloud Functions'
// framework (functions.HTTP, funcframework), App Engine's legacy runtime
// (appengine.Main), Cloudflare Workers' Go runtime. Go needs nothing of
// the kind on Azure Functions (a custom handler, named in host.json) or
// Cloud Run (a plain HTTP server), whose deployment files say it instead.
var platformPackages = []platformPackage{
	{"github.com/GoogleCloudPlatform/functions-framework-go", "Google Cloud Functions",
		"keep them in Secret Manager (gcloud functions deploy --set-secrets), or use workload identity federation from the function's " +
			"Google service account to an IAM role (AssumeRoleWithWebIdentity with its ID token)"},
	{"google.golang.org/appengine", "Google App Engine",
		"keep them in Secret Manager and read them at start, or use workload identity federation from the app's Google service account " +
			"to an IAM role (AssumeRoleWithWebIdentity with its ID token)"},
	{"github.com/syumai/workers", "Cloudflare Workers", "set them as secrets (wrangler secret put), not in the source"},
}

// platformImported returns, marked, the first of the linked folders (in
// order) whose package imports a platformPackages package, or else a
// desktop toolkit (desktopImported), or "".
func platformImported(root string, imports map[string][]string, linked map[string]bool) string {
	var pkg platformPackage
	rel, ip := linkedImport(root, imports, linked, func(ip string) bool {
		for _, p := range platformPackages {
			if importsUnder(ip, p.path) {
				pkg = p
				return true
			}
		}
		return false
	})
	if ip == "" {
		return desktopImported(root, imports, linked)
	}
	return fmt.Sprintf("%sa package linked with it (%s) imports %s: it runs on %s, where no AWS role exists at all, so the "+
		"instance role provider would give the client no credentials; remove the static provider by hand and give the program "+
		"its keys there: %s", noRoleMark, rel, ip, pkg.where, pkg.advice)
}

// herokuGoMod returns, marked, the Go buildpack's directive in the
// module's go.mod b ("// +heroku goVersion go1.26", "// +heroku install
// ./cmd/..."): Heroku builds the module with it and runs the program on
// its dynos, where no AWS role exists, with or without a heroku.yml; "".
func herokuGoMod(b []byte) string {
	for i, l := range strings.Split(string(b), "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "// +heroku ") {
			return fmt.Sprintf("%sthe module's go.mod:%d has the Go buildpack's %q: it runs on Heroku, where no AWS role exists at all, so "+
				"the instance role provider would give the client no credentials; remove the static provider by hand and give the program "+
				"its keys there: set them as config vars (heroku config:set), not in the source", noRoleMark, i+1, t)
		}
	}
	return ""
}
