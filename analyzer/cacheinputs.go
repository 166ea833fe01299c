package analyzer

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/readfile"
)

// The go command keeps a package's vet result (its diagnostics and, for go
// fix, its edits) under a key made of the tool's ID (its -V=full answer),
// the vet flags and the package's build inputs: the Go, cgo and assembly
// files it compiles, its embedded files and its dependencies. The analyzer
// reads more than that to decide whether a fix is safe: the start
// environment beside the package (a Dockerfile's ENV AWS_ENDPOINT_URL, a
// compose file, a .env), the package's test files and the files its build
// constraints leave out, the Go files of other packages of the module,
// go.sum and vendor/modules.txt. go/analysis has no way for an analyzer to
// declare such inputs, so an edit to one of them alone left go vet and go
// fix answering from the cache: a fix that a new ENV AWS_ENDPOINT_URL
// forbids was still offered (fix24). CacheInputs is what the tool ID folds
// in instead, so that any such edit is a new ID and a cache miss.

// Bounds of CacheInputs: past maxInputFiles files or maxInputBytes bytes
// read, a file is written by its size and modification time, not its
// content; a change still shows, and a huge tree costs a walk of stats.
const (
	maxInputFiles = 50000
	maxInputBytes = 256 << 20
)

// CacheInputs writes to w the files of the modules that go vet or go fix
// started in folder wd may analyze that the analyzer reads beyond a
// package's build inputs (see above): the module holding wd and, unless
// gowork (the GOWORK setting) is "off", those the nearest go.work above wd
// (or the file gowork names) uses. Within each module it writes every Go
// file and every file that may set a program's environment (moduleWalk,
// moduleFile: the files moduleSetting reads), go.mod, go.sum, go.work,
// vendor/modules.txt and keyscan configuration, by path and content, in a
// fixed order; and the source in other languages that iacPlace may read
// (a CDK app's TypeScript, a nested module's Go CDK app) by path, size and
// modification time, which shows an edit without reading every script; and
// the release files releaseManifests reads at their tools' places and the
// README and docs/ files installDocs reads. A
// file that cannot be read is written as such: its state is part of the
// answer too.
func CacheInputs(w io.Writer, wd, gowork string) {
	var roots []string
	if r := moduleRoot(wd); r != "" {
		roots = append(roots, r)
	}
	if gowork != "off" {
		work := gowork
		if work == "" {
			work = findUp(wd, "go.work")
		}
		if work != "" {
			roots = append(roots, workModules(w, work)...)
		}
	}
	budget := inputBudget{files: maxInputFiles, bytes: maxInputBytes}
	seen := map[string]bool{}
	for _, r := range roots {
		if r = filepath.Clean(r); seen[r] {
			continue
		}
		seen[r] = true
		fmt.Fprintf(w, "module %q\n", r)
		var nested []string
		moduleWalk(r, func(name string) bool { return cacheInput(name) || iacSource(name) }, func(p string) bool {
			if iacProject(filepath.Base(p)) && nestedModule(r, filepath.Dir(p)) {
				nested = append(nested, filepath.Dir(p))
			}
			switch {
			case !cacheInput(filepath.Base(p)):
				writeStat(w, p) // source in another language (iacPlace), sst.config.ts
			default:
				budget.write(w, p)
			}
			return true
		})
		// The source of an infrastructure program in a nested module,
		// which iacPlace reads for the deployments it constructs.
		for _, d := range nested {
			moduleWalk(d, func(name string) bool { return deployFileKind(name) == kindCode }, func(p string) bool {
				writeStat(w, p)
				return true
			})
		}
		// The release files read at their tools' places (releaseFiles:
		// a Homebrew formula, a PKGBUILD, Debian's control), which no
		// moduleFile name takes.
		releaseFiles(r, func(p string, _ bool) bool {
			budget.write(w, p)
			return true
		})
		// And what makes a debian/ folder a daemon's (DebianService):
		// adding a unit or a dh_installsystemd line changes the answer.
		for _, d := range releasePlaces {
			dir := filepath.Join(r, filepath.FromSlash(d))
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if l := strings.ToLower(e.Name()); e.Type().IsRegular() && (strings.HasSuffix(l, ".service") || strings.HasSuffix(l, ".install") || l == "install" || l == "rules") {
					budget.write(w, filepath.Join(dir, e.Name()))
				}
			}
		}
		// The README and docs/ files whose go install MODULE/cmd/x@latest
		// installDocs reads.
		docFiles(r, func(p string) bool {
			budget.write(w, p)
			return true
		})
		budget.write(w, filepath.Join(r, "vendor", "modules.txt"))
	}
}

// cacheInput reports whether a file of this name is one CacheInputs writes.
func cacheInput(name string) bool {
	switch name {
	case "go.mod", "go.sum", "go.work", config.FileName:
		return true
	}
	return moduleFile(name)
}

// inputBudget is what CacheInputs may still read in full.
type inputBudget struct {
	files int
	bytes int64
}

// write writes file p to w: its path and content, or its size and time
// once the budget is spent, or that it is missing or unreadable.
func (b *inputBudget) write(w io.Writer, p string) {
	st, err := os.Lstat(p)
	if err != nil {
		fmt.Fprintf(w, "missing %q\n", p)
		return
	}
	if b.files <= 0 || st.Size() > b.bytes || !st.Mode().IsRegular() {
		writeStat(w, p)
		return
	}
	data, err := readfile.File(p, false, b.bytes)
	if err != nil {
		fmt.Fprintf(w, "unreadable %q %v\n", p, err)
		return
	}
	b.files--
	b.bytes -= int64(len(data))
	if n := linkCount(st); n > 1 {
		// A Go file given a second name loses its fix (fixtarget.go):
		// the same content is another answer.
		fmt.Fprintf(w, "links %q %d\n", p, n)
	}
	if st.Mode().Perm()&0o222 == 0 {
		fmt.Fprintf(w, "readonly %q\n", p) // so is a read-only one
	}
	fmt.Fprintf(w, "file %q %d\n", p, len(data))
	w.Write(data)
}

// writeStat writes file p to w by its size, modification time, mode and
// number of hard links (which no modification time shows),
// or that it is missing: an edit shows without a read.
func writeStat(w io.Writer, p string) {
	st, err := os.Lstat(p)
	if err != nil {
		fmt.Fprintf(w, "missing %q\n", p)
		return
	}
	fmt.Fprintf(w, "stat %q %d %d %v %d\n", p, st.Size(), st.ModTime().UnixNano(), st.Mode(), linkCount(st))
}

// workModules writes the go.work file work to w and returns the folders of
// the modules it uses.
func workModules(w io.Writer, work string) []string {
	data, err := readfile.File(work, false, maxGoMod)
	if err != nil {
		fmt.Fprintf(w, "unreadable %q\n", work)
		return nil
	}
	fmt.Fprintf(w, "file %q %d\n", work, len(data))
	w.Write(data)
	f, err := modfile.ParseWork(work, data, nil)
	if err != nil {
		return nil
	}
	var dirs []string
	for _, u := range f.Use {
		d := filepath.FromSlash(u.Path)
		if !filepath.IsAbs(d) {
			d = filepath.Join(filepath.Dir(work), d)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// findUp returns the file of this name in folder d or the nearest folder
// above it that has one, or "".
func findUp(d, name string) string {
	for {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}
