package analyzer

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// The commonest release of a Go command-line tool is no package at all:
// the module's README tells people to run go install
// MODULE/cmd/usercli@latest, which builds it on their own computer (qa31
// F4). No AWS role exists there, as for a Homebrew formula's program, so
// the fix is withheld with the same advice. Only the commands the text
// names count (a bare go install MODULE@latest names the root's package),
// and only with a version: go install ./cmd/x in a contributor's guide
// builds a checkout, for whatever machine the contributor deploys to.

// Bounds of installDocs' reads: the documentation files it reads, and
// the size of one.
const (
	maxDocFiles = 32
	maxDocSize  = 256 << 10
)

// docFiles calls fn with each documentation file installDocs reads under
// root: the module top's README and INSTALL files (any case; Markdown,
// reStructuredText, AsciiDoc, text or no extension: DocFile) and the
// pages of its docs/ and doc/ folders, at most maxDocFiles, none past
// maxDocSize; it stops when fn answers false. CacheInputs writes the same files.
func docFiles(root string, fn func(p string) bool) {
	n := 0
	for _, d := range []string{".", "docs", "doc"} {
		ents, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			continue
		}
		for _, e := range ents {
			if !DocFile(e.Name(), d != ".") || !e.Type().IsRegular() {
				continue
			}
			if info, err := e.Info(); err != nil || info.Size() > maxDocSize {
				continue
			}
			if n++; n > maxDocFiles || !fn(filepath.Join(root, d, e.Name())) {
				return
			}
		}
	}
}

// installDocs returns, marked, the reason to withhold the fix when a
// documentation file of the module at root (docFiles) tells people to
// go install one of the program's commands at a version; "" when none
// does. runs says whether a package folder (relative to the root) is one
// of the program's; read reads a file.
func installDocs(root, modPath string, read func(string) []byte, runs func(folder string) bool) string {
	why := ""
	docFiles(root, func(p string) bool {
		cmd, line := goInstallDoc(read(p), modPath, runs)
		if cmd == "" {
			return true
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			rel = filepath.Base(p)
		}
		why = fmt.Sprintf("%sthe module releases the program for people's own computers: its documentation tells them to install it "+
			"with %s (%s:%d), which builds it on their own machine, where no AWS role exists at all, so the instance role provider would "+
			"give the client no credentials; %s", noRoleMark, cmd, filepath.ToSlash(rel), line, ownCredentials)
		return false
	})
	return why
}

// goInstallDoc returns the first go install MODULE/PATH@VERSION of
// documentation b (modPath the module's path) that installs a package
// runs says is the program's, and its line; "" when none does.
func goInstallDoc(b []byte, modPath string, runs func(folder string) bool) (string, int) {
	if modPath == "" || !bytes.Contains(b, []byte("install")) {
		return "", 0
	}
	re := regexp.MustCompile(`\bgo[ \t]+install[ \t]+(?:-\S+[ \t]+)*(` + regexp.QuoteMeta(modPath) + `(?:/[\w.~+-]+)*)@[\w.~+-]+`)
	for _, m := range re.FindAllSubmatchIndex(b, -1) {
		if folder, _ := targetFolder(string(b[m[2]:m[3]]), ".", modPath); folder != "" && runs(folder) {
			return string(b[m[0]:m[1]]), 1 + bytes.Count(b[:m[0]], []byte("\n"))
		}
	}
	return "", 0
}

// DocFile reports whether a file of this name (in a module's top folder,
// or in its docs/ or doc/ when inDocs) is one docFiles reads.
func DocFile(name string, inDocs bool) bool {
	l := strings.ToLower(name)
	switch path.Ext(l) {
	case ".md", ".markdown", ".rst", ".txt", ".adoc":
		return inDocs || strings.HasPrefix(l, "readme") || strings.HasPrefix(l, "install")
	case "":
		return l == "readme" || l == "install" // not install.yaml, a manifest
	}
	return false
}

// InstalledForPeople returns where the documentation file b (rel, a slash
// path below the project's root) of the Go module modPath tells people to
// go install one of its commands at a version, in the words go fix's
// reason gives ("go install example.com/m/cmd/cli@latest (README.md:5)"),
// or "". keyscan fix asks it of the README beside a .env's Go program
// (qa31 F4), so that it keeps the keys go fix withholds its fix for: any
// command of the module counts, as any program of the project does there.
func InstalledForPeople(b []byte, rel, modPath string) string {
	cmd, line := goInstallDoc(b, modPath, func(string) bool { return true })
	if cmd == "" {
		return ""
	}
	return fmt.Sprintf("%s (%s:%d)", cmd, rel, line)
}
