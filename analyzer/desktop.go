package analyzer

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/internal/readfile"
)

// A desktop program runs on the computers of the people who use it, and
// so does a program packaged for them: a Homebrew formula, a snap, a
// Flatpak, a winget or Scoop manifest, an AUR package, a deb or rpm of a
// command (qa29 M3). No AWS role exists there, as for a CLI that
// GoReleaser releases for macOS (laptopRelease): the fix would leave the
// client with no credentials on every machine. What says so is the
// module's own: a GUI toolkit imported by a package linked with the
// program (by its exact import path: a GUI-free library of the same owner,
// github.com/lxn/win, github.com/wailsapp/mimetype, or one whose name only
// contains a toolkit's, is none), or a manifest at the place its tool
// reads it from, told by its content. A snap that runs a daemon and a
// package that installs a systemd unit are for servers, EC2 among them,
// and keep the fix.

// desktopPackage is a Go package that makes a program a desktop one: its
// import path (a package under it counts when tree is set) and the
// toolkit's name.
type desktopPackage struct {
	path, toolkit string
	tree          bool
}

// desktopPackages are the entry packages of Go's desktop GUI toolkits and
// system tray libraries: what a program that opens a window or a tray
// icon imports.
var desktopPackages = []desktopPackage{
	{"github.com/wailsapp/wails", "Wails", true}, // v1, and v2, v3 under it
	{"fyne.io/fyne", "Fyne", true},               // v1, and v2 under it
	{"gioui.org/app", "Gio", true},
	{"github.com/lxn/walk", "walk", true},
	{"github.com/tailscale/walk", "walk", true},
	{"github.com/andlabs/ui", "andlabs/ui", true},
	{"github.com/webview/webview", "webview", true},
	{"github.com/webview/webview_go", "webview", true},
	{"github.com/zserge/lorca", "Lorca", true},
	{"github.com/gotk3/gotk3/gtk", "GTK", true},
	{"github.com/diamondburned/gotk4/pkg/gtk", "GTK", true},
	{"github.com/therecipe/qt/widgets", "Qt", true},
	{"github.com/mappu/miqt/qt", "Qt", true},
	{"github.com/mappu/miqt/qt6", "Qt", true},
	{"github.com/AllenDang/giu", "giu", true},
	{"github.com/ying32/govcl/vcl", "govcl", true},
	{"github.com/getlantern/systray", "systray", true},
	{"fyne.io/systray", "systray", true},
	{"github.com/energye/systray", "systray", true},
	// Games and windows of their own (qa30 M5): Ebitengine, an OpenGL or
	// SDL window, native dialogs, macOS's AppKit, Cogent Core, and robotgo,
	// which drives the desktop's mouse and keyboard.
	{"github.com/hajimehoshi/ebiten", "Ebitengine", true}, // v1, and v2 under it
	{"github.com/go-gl/glfw", "GLFW", true},               // v3.3/glfw, v3.2/glfw...
	{"github.com/veandco/go-sdl2/sdl", "SDL", true},
	{"github.com/ncruces/zenity", "zenity", true},
	{"github.com/sqweek/dialog", "dialog", true},
	{"github.com/progrium/macdriver", "macdriver", true},
	{"github.com/progrium/darwinkit", "macdriver", true},
	{"cogentcore.org/core/core", "Cogent Core", true},
	{"github.com/go-vgo/robotgo", "robotgo", true},
}

// desktopToolkit returns the desktopPackages entry that import path ip
// is (or is under, for a tree).
func desktopToolkit(ip string) (desktopPackage, bool) {
	for _, p := range desktopPackages {
		if ip == p.path || p.tree && strings.HasPrefix(ip, p.path+"/") {
			return p, true
		}
	}
	return desktopPackage{}, false
}

// desktopImported returns, marked, the first of the linked folders (in
// order) whose package imports a desktopPackages package, or "".
func desktopImported(root string, imports map[string][]string, linked map[string]bool) string {
	var pkg desktopPackage
	rel, ip := linkedImport(root, imports, linked, func(ip string) bool {
		p, ok := desktopToolkit(ip)
		pkg = p
		return ok
	})
	if ip == "" {
		return ""
	}
	what := "a desktop program (" + pkg.toolkit + ")"
	if pkg.toolkit == "systray" {
		what = "a system tray program (" + pkg.path + ")"
	}
	return fmt.Sprintf("%sa package linked with it (%s) imports %s: it is %s, which runs on people's own computers, where no AWS role "+
		"exists at all, so the instance role provider would give the client no credentials; %s", noRoleMark, rel, ip, what, ownCredentials)
}

// ownCredentials is the advice for a program that runs on people's own
// computers.
const ownCredentials = "remove the static provider by hand so that the SDK's default chain takes each user's own credentials " +
	"(their AWS profile or IAM Identity Center login: aws configure sso, AWS_PROFILE)"

// releaseManifest returns what the file b (rel to the module root, named
// name) is when it releases the program for people's own computers or
// says it is a desktop program, and its line; "" when it is none.
func releaseManifest(b []byte, rel, name string) (what string, line int) {
	n := strings.ToLower(name)
	dir := strings.ToLower(path.Dir(rel))
	lineOf := func(re *lazyre.Regexp) int {
		if m := re.FindIndex(b); m != nil {
			return 1 + bytes.Count(b[:m[0]], []byte("\n"))
		}
		return 0
	}
	switch {
	case n == "wails.json":
		if l := lineOf(wailsKeys); l > 0 {
			return "a Wails desktop project", l
		}
	case n == "fyneapp.toml":
		if l := lineOf(fyneDetails); l > 0 {
			return "a Fyne desktop app's metadata", l
		}
	case strings.HasSuffix(n, ".rb") && underFolder(dir, "formula", "homebrewformula"):
		if l := lineOf(brewFormula); l > 0 {
			return "a Homebrew formula", l
		}
	case strings.HasSuffix(n, ".rb") && underFolder(dir, "casks"):
		if l := lineOf(brewCask); l > 0 {
			return "a Homebrew cask", l
		}
	case n == "snapcraft.yaml" || n == ".snapcraft.yaml":
		if snapDaemon.Match(b) {
			return "", 0 // a service: servers run it
		}
		if l := lineOf(snapName); l > 0 {
			return "a snap", l
		}
	case n == "pkgbuild" || n == ".srcinfo":
		if bytes.Contains(b, []byte(".service")) {
			return "", 0
		}
		if l := lineOf(aurName); l > 0 {
			return "an AUR package", l
		}
	case n == "nfpm.yaml" || n == "nfpm.yml":
		if installsService(b) {
			return "", 0
		}
		if l := lineOf(nfpmName); l > 0 {
			return "a deb or rpm package of the command alone", l
		}
	case n == "control" && path.Base(dir) == "debian":
		if l := lineOf(debPackage); l > 0 {
			return "a deb package of the command alone", l
		}
	case strings.HasSuffix(n, ".spec"):
		if installsService(b) {
			return "", 0
		}
		if l := lineOf(rpmName); l > 0 && bytes.Contains(b, []byte("%files")) {
			return "an rpm package of the command alone", l
		}
	case n == "chocolateyinstall.ps1":
		// Chocolatey's install script (tools/ beside the .nuspec): only
		// Chocolatey runs it, on people's Windows machines (qa30 M5).
		if l := lineOf(chocoInstall); l > 0 {
			return "a Chocolatey package", l
		}
	case strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".json"):
		if l := lineOf(flatpakID); l > 0 && flatpakRuntime.Match(b) && flatpakBody.Match(b) {
			return "a Flatpak", l
		}
		if l := lineOf(wingetType); l > 0 && bytes.Contains(b, []byte("PackageIdentifier:")) {
			return "a winget manifest", l
		}
		if strings.HasSuffix(n, ".json") && scoopVersion.Match(b) && scoopUpdate.Match(b) {
			if l := lineOf(scoopBin); l > 0 {
				return "a Scoop manifest", l
			}
		}
	}
	return "", 0
}

// underFolder reports whether the slash path dir (lower case) is or ends
// in a folder of one of names.
func underFolder(dir string, names ...string) bool {
	for _, n := range names {
		if dir == n || strings.HasSuffix(dir, "/"+n) {
			return true
		}
	}
	return false
}

// installsService reports whether packaging b installs a systemd unit or
// starts one: what a server's package does.
func installsService(b []byte) bool {
	return bytes.Contains(b, []byte(".service")) || bytes.Contains(b, []byte("/systemd/")) || bytes.Contains(b, []byte("systemctl")) ||
		bytes.Contains(b, []byte("%{_unitdir}")) || bytes.Contains(b, []byte("%systemd_"))
}

var (
	wailsKeys    = lazyre.New(`"(?:outputfilename|wailsjsdir|frontend:install|frontend:build|frontend:dir)"\s*:|wails\.io/schemas/`)
	fyneDetails  = lazyre.New(`(?m)^\[Details\][ \t]*$`)
	brewFormula  = lazyre.New(`(?m)^class[ \t]+\w+[ \t]*<[ \t]*Formula\b`)
	brewCask     = lazyre.New(`(?m)^cask[ \t]+["'][^"'\n]+["'][ \t]+do\b`)
	snapName     = lazyre.New(`(?m)^name:[ \t]*\S`)
	snapDaemon   = lazyre.New(`(?m)^[ \t]+daemon:[ \t]*\S`)
	aurName      = lazyre.New(`(?m)^[ \t]*pkg(?:name|base)[ \t]*=`)
	nfpmName     = lazyre.New(`(?m)^name:[ \t]*\S`)
	debPackage   = lazyre.New(`(?m)^Package:[ \t]*\S`)
	rpmName      = lazyre.New(`(?m)^Name:[ \t]*\S`)
	flatpakID    = lazyre.New(`(?m)^[ \t]*["']?(?:app-id|id)["']?[ \t]*:[ \t]*["']?[a-zA-Z][\w-]*\.[\w-]+\.[\w.-]+`)
	flatpakBody  = lazyre.New(`(?m)^[ \t]*["']?(?:sdk|finish-args)["']?[ \t]*:`)
	wingetType   = lazyre.New(`(?m)^ManifestType:[ \t]*(?:installer|singleton|defaultLocale|locale|version)\b`)
	scoopVersion = lazyre.New(`"version"\s*:`)
	scoopUpdate  = lazyre.New(`"(?:checkver|autoupdate)"\s*:`)
	scoopBin     = lazyre.New(`"bin"\s*:`)
	chocoInstall = lazyre.New(`(?i)\b(?:Install-Chocolatey\w+|Get-ChocolateyWebFile|Get-ChocolateyUnzip|Install-BinFile)\b`)
	// flatpakRuntime is a Flatpak runtime: Freedesktop's, GNOME's, KDE's
	// or elementary's, which only desktops run.
	flatpakRuntime = lazyre.New(`["']?runtime["']?[ \t]*:[ \t]*["']?(?:org\.freedesktop\.|org\.gnome\.|org\.kde\.|io\.elementary\.)Platform`)
)

// releaseNoRole returns, marked, the reason a release manifest b (rel,
// named name: releaseManifest) gives for withholding the fix, or "". runs
// says whether a package folder (relative to the module root) is one of
// the program's: a manifest that says which commands it builds
// (releaseBuilds: a formula's go build ./cmd/cli) releases only those,
// and another command's keeps its fix (qa30 M4); one that does not say
// releases any (runs nil: the same).
func releaseNoRole(b []byte, rel, name string, runs func(folder string) bool) string {
	what, line := releaseManifest(b, rel, name)
	if what == "" {
		return ""
	}
	if runs != nil {
		if built, all := releaseBuilds(b); !all && len(built) > 0 && !slices.ContainsFunc(built, runs) {
			return ""
		}
	}
	note := ""
	if strings.HasSuffix(what, " alone") {
		note = ", with no service unit that would say a server runs it"
	}
	return fmt.Sprintf("%sthe module releases the program for people's own computers: %s (%s:%d)%s, where no AWS role exists at all, "+
		"so the instance role provider would give the client no credentials; %s", noRoleMark, what, rel, line, note, ownCredentials)
}

// releaseBuild matches a go build or go install in a release manifest and
// what follows it on its line: a shell line (a snap's override-build:, a
// PKGBUILD's build()) or a formula's system "go", "build", ... call.
var releaseBuild = lazyre.New(`\bgo["']?[ \t]*,?[ \t]*["']?(?:build|install)\b([^\n]*)`)

// releaseBuilds returns the package folders (relative to the module root)
// that the go build and go install commands of release manifest b name
// (./cmd/cli, .); all when one names a pattern (./...), which builds
// every command. None when it names none: the manifest does not say.
func releaseBuilds(b []byte) (folders []string, all bool) {
	for _, m := range releaseBuild.FindAllSubmatch(b, -1) {
		words := strings.FieldsFunc(string(m[1]), func(r rune) bool { return strings.ContainsRune(" \t,()[]*", r) })
		for i := 0; i < len(words); i++ {
			w := strings.Trim(words[i], `"'`)
			if w == "&&" || w == ";" || w == "|" || w == "||" {
				break // the next command's words: ./cli --version runs it
			}
			switch {
			case goFlagsWithValue[w]:
				i++ // -o bin/cli: the output, no package
			case strings.Contains(w, "..."):
				return nil, true
			case w == "." || strings.HasPrefix(w, "./"):
				folders = append(folders, path.Clean(w))
			}
		}
	}
	return folders, false
}

// releasePlaces are the folders, below the module root, where the release
// files that moduleFile leaves out (a formula's .rb, a PKGBUILD, Debian's
// control, an rpm spec) are read: their tools' own places, not anywhere
// (a Ruby file or a PKGBUILD elsewhere may be a fixture or an example).
var releasePlaces = []string{".", "Formula", "HomebrewFormula", "Casks", "homebrew/Formula", "homebrew/Casks", "debian", "aur", "rpm",
	"packaging", "packaging/aur", "packaging/debian", "packaging/rpm", "packaging/homebrew/Formula", "packaging/homebrew/Casks",
	"pkg/aur", "pkg/debian", "pkg/rpm", "dist/aur", "build/package", "build/package/debian",
	"choco/tools", "chocolatey/tools", "packaging/chocolatey/tools", "packaging/choco/tools"}

// Bounds of releaseManifests' reads.
const (
	maxReleaseFiles = 64
	maxReleaseSize  = 256 << 10
)

// releaseManifests returns, marked, the first release file at
// releasePlaces under root that releases the program for people's own
// computers (releaseNoRole, with runs), or "". Debian's control counts
// only when no systemd unit (debian/*.service) stands beside it. read
// reads a file.
func releaseManifests(root string, read func(string) []byte, runs func(folder string) bool) string {
	why := ""
	releaseFiles(root, func(p string, service bool) bool {
		name := filepath.Base(p)
		if strings.EqualFold(name, "control") && service {
			return true
		}
		if info, err := os.Lstat(p); err != nil || info.Size() > maxReleaseSize {
			return true
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return true
		}
		why = releaseNoRole(read(p), filepath.ToSlash(rel), name, runs)
		return why == ""
	})
	return why
}

// releaseFiles calls fn with each regular file at releasePlaces under root
// that moduleFile leaves out and releaseManifest reads (a .rb, a PKGBUILD
// or .SRCINFO, a control, a .spec, Chocolatey's install script), at most maxReleaseFiles, with whether
// a systemd unit stands in its folder; it stops when fn answers false.
// CacheInputs writes the same files, so that an edit to one is a new vet
// result.
func releaseFiles(root string, fn func(p string, service bool) bool) {
	n := 0
	for _, d := range releasePlaces {
		dir := filepath.Join(root, filepath.FromSlash(d))
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		names := make([]string, len(ents))
		for i, e := range ents {
			names[i] = e.Name()
		}
		service := DebianService(names, func(n string) []byte {
			b, _ := readfile.File(filepath.Join(dir, n), true, maxReleaseSize)
			return b
		})
		for _, e := range ents {
			l := strings.ToLower(e.Name())
			if !e.Type().IsRegular() || !(strings.HasSuffix(l, ".rb") || l == "pkgbuild" || l == ".srcinfo" || l == "control" ||
				strings.HasSuffix(l, ".spec") || l == "chocolateyinstall.ps1") {
				continue
			}
			if n++; n > maxReleaseFiles || !fn(filepath.Join(dir, e.Name()), service) {
				return
			}
		}
	}
}

// DebianService reports whether a debian/ folder whose entries are names
// packages a systemd unit, which makes its package a daemon's, for servers
// (qa30 L2): a unit debhelper installs (NAME.service, or NAME.install
// naming a .service file or lib/systemd/system/), or a rules file that
// calls dh_installsystemd or dh's systemd addon. read reads an entry;
// only NAME.install files and rules are read. keyscan fix asks it of a
// .env's project as go fix does.
func DebianService(names []string, read func(name string) []byte) bool {
	for _, n := range names {
		l := strings.ToLower(n)
		switch {
		case strings.HasSuffix(l, ".service"):
			return true
		case l == "install" || strings.HasSuffix(l, ".install"):
			for line := range strings.Lines(string(read(n))) {
				if line = strings.TrimSpace(line); !strings.HasPrefix(line, "#") &&
					(strings.Contains(line, ".service") || strings.Contains(line, "lib/systemd/system")) {
					return true
				}
			}
		case l == "rules":
			b := read(n)
			if bytes.Contains(b, []byte("dh_installsystemd")) || debSystemdAddon.Match(b) {
				return true
			}
		}
	}
	return false
}

// debSystemdAddon is dh's systemd addon in debian/rules (dh $@ --with
// systemd, --with=autoreconf,systemd).
var debSystemdAddon = lazyre.New(`--with[ =][\w,-]*systemd`)

// PeoplesComputers returns where the file b (rel, a slash path below the
// project's root, named name) says the program runs on people's own
// computers, in the words go fix's reason gives ("a snap
// (snap/snapcraft.yaml:1)", "goos: darwin, in .goreleaser.yaml:4"), or
// "": a release manifest (releaseManifest), a GoReleaser configuration
// that releases for them (laptopRelease), or Go source that imports a
// desktop toolkit (desktopPackages). keyscan fix asks it of the files of a
// .env's project, so that it keeps the keys that go fix withholds its move
// to the instance role for (qa29 M3).
func PeoplesComputers(b []byte, rel, name string) string {
	if strings.HasSuffix(name, ".go") {
		return desktopSource(b)
	}
	if what, line := releaseManifest(b, rel, name); what != "" {
		return fmt.Sprintf("%s (%s:%d)", what, rel, line)
	}
	if what, line := appRelease(b, name); what != "" {
		return fmt.Sprintf("%s (%s:%d)", what, rel, line) // Electron, Tauri, a Python CLI (qa31 F10)
	}
	if goreleaserFile(name) {
		if what, line := laptopRelease(b); what != "" {
			return fmt.Sprintf("a GoReleaser release for them: %s, in %s:%d", what, rel, line)
		}
	}
	return ""
}

// desktopSource returns the desktop toolkit that Go source b imports, as
// "a desktop program (Fyne: imports fyne.io/fyne/v2/app)", or "".
func desktopSource(b []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", b, parser.ImportsOnly)
	if err != nil {
		return ""
	}
	for _, is := range f.Imports {
		ip, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		if p, ok := desktopToolkit(ip); ok {
			return "a desktop program (" + p.toolkit + ": imports " + ip + ")"
		}
	}
	return ""
}
