package analyzer

import (
	"bytes"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
)

// A .env beside a program of another language is released for people's
// own computers as plainly as a Go program with a Homebrew formula (qa31
// F10): an Electron app that electron-builder, Electron Forge or
// electron-packager packages (or whose package.json has
// electron-builder's build.mac or build.win), a Tauri app
// (src-tauri/tauri.conf.json, Tauri.toml), a Python command-line tool
// its users install (pyproject.toml's [project.scripts] or
// [tool.poetry.scripts], setup.py's or setup.cfg's console_scripts). No
// AWS role exists on their machines. keyscan fix reads these only
// (PeoplesComputers); go fix's program is Go, which releaseManifest reads.

var (
	electronDep     = lazyre.New(`"electron"\s*:`)
	electronPackage = lazyre.New(`"(?:electron-builder|electron-packager|@electron-forge/[\w-]+)"\s*:|"(?:mac|win)"\s*:\s*\{`)
	tauriConf       = lazyre.New(`"(?:productName|identifier|bundle|tauri)"\s*:`)
	pyScripts       = lazyre.New(`(?m)^\[(?:project\.scripts|tool\.poetry\.scripts|project\.gui-scripts)\][ \t]*$`)
)

// appRelease returns what the file b (named name) is when it
// releases a program of another language than Go for people's own
// computers, and its line; "" when it is none.
func appRelease(b []byte, name string) (string, int) {
	n := strings.ToLower(name)
	lineOf := func(i int) int { return 1 + bytes.Count(b[:i], []byte("\n")) }
	switch {
	case n == "package.json":
		if m := electronDep.FindIndex(b); m != nil && electronPackage.Match(b) {
			return "an Electron desktop app", lineOf(m[0])
		}
	case n == "tauri.conf.json" || n == "tauri.conf.json5" || n == "tauri.toml":
		if m := tauriConf.FindIndex(b); m != nil || n == "tauri.toml" {
			l := 1
			if m != nil {
				l = lineOf(m[0])
			}
			return "a Tauri desktop app", l
		}
	case n == "pyproject.toml":
		if m := pyScripts.FindIndex(b); m != nil {
			return "a Python command-line tool its users install (" + strings.Trim(string(b[m[0]:m[1]]), " \t") + ")", lineOf(m[0])
		}
	case n == "setup.py" || n == "setup.cfg":
		if i := bytes.Index(b, []byte("console_scripts")); i >= 0 {
			return "a Python command-line tool its users install (console_scripts)", lineOf(i)
		}
	}
	return "", 0
}
