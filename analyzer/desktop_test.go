package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDesktopImported checks qa29 M3's desktop programs: a package linked
// with the program that imports a desktop GUI toolkit (Wails, Fyne, Gio,
// walk, a systray library) runs on people's own computers; a GUI-free
// library of the same owners or named like one, and a GUI package not
// linked with the program, do not count.
func TestDesktopImported(t *testing.T) {
	root := "/m"
	imports := map[string][]string{
		"/m":          {"github.com/wailsapp/wails/v2", "github.com/wailsapp/wails/v2/pkg/options"},
		"/m/fyne":     {"fyne.io/fyne/v2/app", "fyne.io/fyne/v2/widget"},
		"/m/gio":      {"gioui.org/app", "gioui.org/widget"},
		"/m/walk":     {"github.com/lxn/walk"},
		"/m/tray":     {"github.com/getlantern/systray"},
		"/m/tray2":    {"fyne.io/systray"},
		"/m/wails3":   {"github.com/wailsapp/wails/v3/pkg/application"},
		"/m/server":   {"net/http", "github.com/wailsapp/mimetype", "github.com/lxn/win", "gioui.org/shader", "github.com/fyne-io/image/ico"},
		"/m/named":    {"github.com/acme/fyne-s3", "github.com/acme/wails-backend", "example.com/systray-metrics", "github.com/acme/walkthrough"},
		"/m/platform": {"github.com/GoogleCloudPlatform/functions-framework-go/functions"},
		// qa30 M5: games, windows, dialogs, desktop automation.
		"/m/ebiten":  {"github.com/hajimehoshi/ebiten/v2", "github.com/hajimehoshi/ebiten/v2/ebitenutil"},
		"/m/glfw":    {"github.com/go-gl/glfw/v3.3/glfw"},
		"/m/sdl":     {"github.com/veandco/go-sdl2/sdl"},
		"/m/zenity":  {"github.com/ncruces/zenity"},
		"/m/dialog":  {"github.com/sqweek/dialog"},
		"/m/mac":     {"github.com/progrium/macdriver/macos/appkit"},
		"/m/cogent":  {"cogentcore.org/core/core"},
		"/m/robotgo": {"github.com/go-vgo/robotgo"},
		"/m/libs":    {"github.com/go-gl/mathgl/mgl32", "cogentcore.org/core/base/errors", "github.com/hajimehoshi/go-mp3", "github.com/ncruces/go-sqlite3"},
	}
	for _, c := range []struct {
		linked []string
		want   string
	}{
		{[]string{"/m"}, "imports github.com/wailsapp/wails/v2: it is a desktop program (Wails)"},
		{[]string{"/m/fyne"}, "fyne.io/fyne/v2/app: it is a desktop program (Fyne)"},
		{[]string{"/m/gio"}, "(Gio)"},
		{[]string{"/m/walk"}, "(walk)"},
		{[]string{"/m/tray"}, "a system tray program"},
		{[]string{"/m/tray2"}, "a system tray program"},
		{[]string{"/m/wails3"}, "(Wails)"},
		{[]string{"/m/server"}, ""},
		{[]string{"/m/named"}, ""},
		{[]string{"/m/platform"}, "Google Cloud Functions"}, // the platform's own words
		{[]string{"/m/ebiten"}, "(Ebitengine)"},
		{[]string{"/m/glfw"}, "(GLFW)"},
		{[]string{"/m/sdl"}, "(SDL)"},
		{[]string{"/m/zenity"}, "(zenity)"},
		{[]string{"/m/dialog"}, "(dialog)"},
		{[]string{"/m/mac"}, "(macdriver)"},
		{[]string{"/m/cogent"}, "(Cogent Core)"},
		{[]string{"/m/robotgo"}, "(robotgo)"},
		{[]string{"/m/libs"}, ""}, // GUI-free libraries of the same owners
	} {
		linked := map[string]bool{}
		for _, d := range c.linked {
			linked[d] = true
		}
		got := platformImported(root, imports, linked)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want) || !strings.Contains(got, "no AWS role exists at all")) {
			t.Errorf("platformImported(%v) = %q; want %q", c.linked, got, c.want)
		}
	}
}

// TestReleaseManifest checks qa29 M3's files that ship a program to
// people's own computers or say it is a desktop program, each at the place
// its tool reads it from: a Wails project, a Fyne app's metadata, a
// Homebrew formula or cask, a snap, a Flatpak, winget and Scoop
// manifests, an AUR PKGBUILD, deb and rpm packaging of a command; a snap
// or package that installs a service (a daemon, a systemd unit) is for
// servers, and a file of another kind that shares a word with these is
// none.
func TestReleaseManifest(t *testing.T) {
	for _, c := range []struct {
		rel, src, want string
	}{
		{"wails.json", "{\n  \"$schema\": \"https://wails.io/schemas/config.v2.json\",\n  \"name\": \"app\",\n  \"outputfilename\": \"app\",\n  \"frontend:install\": \"npm install\"\n}\n", "a Wails desktop project (wails.json:2)"},
		{"cmd/gui/FyneApp.toml", "Website = \"https://example.com\"\n\n[Details]\nIcon = \"Icon.png\"\nName = \"App\"\nID = \"com.example.app\"\n", "a Fyne desktop app's metadata (cmd/gui/FyneApp.toml:3)"},
		{"Formula/app.rb", "class App < Formula\n  desc \"sync tool\"\n  url \"https://example.com/app.tar.gz\"\nend\n", "a Homebrew formula (Formula/app.rb:1)"},
		{"HomebrewFormula/app.rb", "# frozen_string_literal: true\n\nclass App < Formula\nend\n", "Homebrew formula (HomebrewFormula/app.rb:3)"},
		{"Casks/app.rb", "cask \"app\" do\n  version \"1.0\"\nend\n", "a Homebrew cask (Casks/app.rb:1)"},
		{"snap/snapcraft.yaml", "name: app\nbase: core22\nconfinement: strict\napps:\n  app:\n    command: bin/app\n", "a snap (snap/snapcraft.yaml:1)"},
		{"snapcraft.yaml", "name: app\nparts:\n  app:\n    plugin: go\n", "a snap"},
		{"flatpak/com.example.App.yml", "app-id: com.example.App\nruntime: org.freedesktop.Platform\nruntime-version: '23.08'\nsdk: org.freedesktop.Sdk\nfinish-args:\n  - --share=network\nmodules:\n  - name: app\n", "a Flatpak (flatpak/com.example.App.yml:1)"},
		{"com.example.App.json", "{\n  \"id\": \"com.example.App\",\n  \"runtime\": \"org.gnome.Platform\",\n  \"sdk\": \"org.gnome.Sdk\",\n  \"modules\": []\n}\n", "a Flatpak"},
		{"manifests/e/Example/App/1.0.0/Example.App.installer.yaml", "PackageIdentifier: Example.App\nPackageVersion: 1.0.0\nInstallers:\n  - Architecture: x64\nManifestType: installer\nManifestVersion: 1.6.0\n", "a winget manifest"},
		{"bucket/app.json", "{\n  \"version\": \"1.0.0\",\n  \"url\": \"https://example.com/app.zip\",\n  \"bin\": \"app.exe\",\n  \"checkver\": {\"github\": \"https://github.com/o/app\"}\n}\n", "a Scoop manifest (bucket/app.json:4)"},
		{"PKGBUILD", "pkgname=app-bin\npkgver=1.0.0\npkgrel=1\narch=('x86_64')\npackage() {\n  install -Dm755 app \"$pkgdir/usr/bin/app\"\n}\n", "an AUR package (PKGBUILD:1)"},
		{"nfpm.yaml", "name: app\narch: amd64\nversion: 1.0.0\ncontents:\n  - src: ./app\n    dst: /usr/bin/app\n", "a deb or rpm package of the command alone (nfpm.yaml"},
		{"debian/control", "Source: app\nSection: utils\n\nPackage: app\nArchitecture: any\nDescription: sync tool\n", "a deb package of the command alone (debian/control:4"},
		{"packaging/app.spec", "Name: app\nVersion: 1.0\n%description\nsync tool\n%files\n%{_bindir}/app\n", "an rpm package of the command alone (packaging/app.spec:1"},
		{"choco/tools/chocolateyinstall.ps1", "$url = \"https://example.com/app.exe\"\nInstall-ChocolateyPackage app exe \"/S\" $url\n", "a Chocolatey package (choco/tools/chocolateyinstall.ps1:2)"},
		{"tools/chocolateyinstall.ps1", "Write-Host 'nothing to do'\n", ""},
		// Servers: a daemon snap, packages that install a service.
		{"snap/snapcraft.yaml", "name: app\napps:\n  app:\n    command: bin/app\n    daemon: simple\n", ""},
		{"nfpm.yaml", "name: app\ncontents:\n  - src: ./app.service\n    dst: /lib/systemd/system/app.service\n", ""},
		{"packaging/app.spec", "Name: app\n%files\n%{_bindir}/app\n%{_unitdir}/app.service\n", ""},
		{"rpm/app.spec", "Name: app\n%files\n%{_bindir}/app\n%post\n%systemd_post app\n", ""},
		// Other files that share a word.
		{"package.json", "{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\",\n  \"bin\": \"cli.js\"\n}\n", ""},
		{"config/app.yml", "name: app\nconfinement: none\n", ""},
		{"deploy/modules.yaml", "id: app\nruntime: go\nmodules: []\n", ""},
		{"lib/formula.rb", "class App < Formula\nend\n", ""},
		{"wails.json", "{\"note\": \"not a project\"}\n", ""},
	} {
		name := c.rel[strings.LastIndex(c.rel, "/")+1:]
		got := noRoleFile([]byte(c.src), c.rel, name, nil)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want) || !strings.Contains(got, "no AWS role exists at all")) {
			t.Errorf("noRoleFile(%s) = %q; want %q", c.rel, got, c.want)
		}
	}
}

// TestReleaseManifestsRead checks that the module's release files that
// moduleFile does not take (a formula's .rb, a PKGBUILD, debian/control,
// an rpm spec) are read at their known places, and no file elsewhere.
func TestReleaseManifestsRead(t *testing.T) {
	for _, c := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"Formula/app.rb": "class App < Formula\nend\n"}, "Formula/app.rb:1"},
		{map[string]string{"packaging/aur/PKGBUILD": "pkgname=app\npkgver=1\n"}, "packaging/aur/PKGBUILD:1"},
		{map[string]string{"debian/control": "Source: app\n\nPackage: app\nArchitecture: any\n"}, "debian/control:3"},
		{map[string]string{"debian/control": "Source: app\n\nPackage: app\nArchitecture: any\n", "debian/app.service": "[Service]\nExecStart=/usr/bin/app\n"}, ""},
		{map[string]string{"rpm/app.spec": "Name: app\n%files\n%{_bindir}/app\n"}, "rpm/app.spec:1"},
		// qa30 L2: a daemon's package whose unit debhelper installs
		// otherwise than as debian/NAME.service.
		{map[string]string{"debian/control": "Source: app\n\nPackage: app\nArchitecture: any\n", "debian/app.install": "bin/app usr/bin\ncontrib/app.service lib/systemd/system/\n"}, ""},
		{map[string]string{"debian/control": "Source: app\n\nPackage: app\nArchitecture: any\n", "debian/install": "app usr/bin\ninit/* /lib/systemd/system\n"}, ""},
		{map[string]string{"debian/control": "Source: app\n\nPackage: app\nArchitecture: any\n", "debian/rules": "#!/usr/bin/make -f\n%:\n\tdh $@ --with systemd\n"}, ""},
		{map[string]string{"debian/control": "Source: app\n\nPackage: app\nArchitecture: any\n", "debian/rules": "#!/usr/bin/make -f\n%:\n\tdh $@\noverride_dh_installsystemd:\n\tdh_installsystemd --name=app\n"}, ""},
		{map[string]string{"debian/control": "Source: app\n\nPackage: app\nArchitecture: any\n", "debian/app.install": "bin/app usr/bin\n# no app.service yet\n", "debian/rules": "%:\n\tdh $@\n"}, "debian/control:3"},
		{map[string]string{"packaging/homebrew/Formula/app.rb": "class App < Formula\nend\n"}, "packaging/homebrew/Formula/app.rb:1"},
		{map[string]string{"choco/tools/chocolateyinstall.ps1": "Install-ChocolateyZipPackage app $url $dir\n"}, "choco/tools/chocolateyinstall.ps1:1"},
		{map[string]string{"internal/ruby/Formula/app.rb": "class App < Formula\nend\n", "docs/PKGBUILD": "pkgname=app\n"}, ""},
	} {
		root := t.TempDir()
		for n, s := range c.files {
			p := filepath.Join(root, filepath.FromSlash(n))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got := releaseManifests(root, func(p string) []byte { b, _ := os.ReadFile(p); return b }, nil)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want)) {
			t.Errorf("releaseManifests(%v) = %q; want %q", c.files, got, c.want)
		}
	}
}

// TestReleaseNoRoleBuilds checks qa30 M4: a release manifest that says
// which commands it builds (a formula's or a snap's go build ./cmd/cli)
// withholds the fix only for those; one that does not say, or builds
// every command (./...), withholds it for any program of the module.
func TestReleaseNoRoleBuilds(t *testing.T) {
	runs := func(d string) bool { return d == "cmd/api" } // the program: cmd/api
	formula := func(install string) string {
		return "class Cli < Formula\n  desc \"client\"\n  def install\n    " + install + "\n  end\nend\n"
	}
	snap := func(build string) string {
		return "name: cli\nparts:\n  cli:\n    plugin: go\n    source: .\n" + build + "apps:\n  cli:\n    command: bin/cli\n"
	}
	for _, c := range []struct {
		rel, src string
		withheld bool
	}{
		{"Formula/cli.rb", formula(`system "go", "build", *std_go_args(ldflags: "-s -w"), "./cmd/cli"`), false},
		{"Formula/cli.rb", formula(`system "go", "build", *std_go_args(output: bin/"api"), "./cmd/api"`), true},
		{"Formula/cli.rb", formula(`system "go", "build", *std_go_args`), true}, // says no command
		{"Formula/cli.rb", formula(`system "go", "install", "./..."`), true},
		{"Formula/cli.rb", formula(`system "go", "build", "-o", bin/"cli", "./cmd/cli"` + "\n    " + `system "go", "build", "-o", bin/"api", "./cmd/api"`), true},
		{"snap/snapcraft.yaml", snap("    override-build: go build -o $SNAPCRAFT_PART_INSTALL/bin/cli ./cmd/cli\n"), false},
		{"snap/snapcraft.yaml", snap("    override-build: |\n      go build -o $SNAPCRAFT_PART_INSTALL/bin/api ./cmd/api\n"), true},
		{"snap/snapcraft.yaml", snap(""), true}, // the go plugin builds every command
		{"PKGBUILD", "pkgname=cli\nbuild() {\n  go build -o cli ./cmd/cli && ./cli --version\n}\n", false},
		{"PKGBUILD", "pkgname=cli\nbuild() {\n  go build -o ./cmd/api ./cmd/cli\n}\n", false}, // an output named like the folder
	} {
		name := c.rel[strings.LastIndex(c.rel, "/")+1:]
		got := releaseNoRole([]byte(c.src), c.rel, name, runs)
		if (got != "") != c.withheld {
			t.Errorf("releaseNoRole(%s, %q) = %q; want withheld %v", c.rel, c.src, got, c.withheld)
		}
	}
}
