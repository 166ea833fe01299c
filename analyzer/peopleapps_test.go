package analyzer

import (
	"strings"
	"testing"
)

// TestAppRelease checks qa31 F10's releases of other languages' programs
// for people's own computers: an Electron app that a packager builds, a
// Tauri app, a Python CLI with entry points; an Electron dependency with
// no packager, a web app's package.json and a pyproject without scripts
// are none.
func TestAppRelease(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"package.json", `{ "devDependencies": { "electron": "^31.0.0", "electron-builder": "^24.0.0" } }`, "an Electron desktop app"},
		{"package.json", "{\n  \"devDependencies\": {\n    \"electron\": \"^31\",\n    \"@electron-forge/cli\": \"^7\"\n  }\n}\n", "an Electron desktop app"},
		{"package.json", `{ "devDependencies": { "electron": "^31" }, "build": { "mac": {} } }`, "an Electron desktop app"},
		{"tauri.conf.json", `{ "productName": "up", "bundle": { "active": true } }`, "a Tauri desktop app"},
		{"pyproject.toml", "[project]\nname = \"photosync\"\n\n[project.scripts]\nphotosync = \"photosync.cli:main\"\n", "a Python command-line tool its users install ([project.scripts])"},
		{"setup.py", "setup(name='x', entry_points={'console_scripts': ['x=x.cli:main']})\n", "(console_scripts)"},
		{"package.json", `{ "devDependencies": { "electron": "^31" } }`, ""},
		{"package.json", `{ "dependencies": { "express": "^4", "electron-builder": "^24" } }`, ""},
		{"pyproject.toml", "[project]\nname = \"svc\"\n", ""},
	} {
		got, _ := appRelease([]byte(c.src), c.name)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("appRelease(%s, %q) = %q, want %q", c.name, c.src, got, c.want)
		}
	}
}
