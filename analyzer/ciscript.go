package analyzer

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lazyre"
)

// A hosted CI job's step often runs the program through a file of the
// project: make sync (a Makefile's recipe go run ./cmd/sync),
// ./scripts/nightly.sh, task nightly (a Taskfile's cmds:) (qa31 F5).
// keyscan fix counts such a file as one a step may run for a workflow's
// variables (fix.RunsCommands); go fix reads the one a step names, found
// in the folder the step runs in, for programRuns' commands, with the
// same test of what runs commands. Which target or task of the file the
// step names is not followed: any run of the program in it counts, the
// safe side, as keyscan fix counts any. One level only: a script that a
// Makefile runs is not read.

// Bounds of fileRuns: the files a CI file's steps run that it reads.
const maxRunFiles = 16

// fileRun is a step's command that runs a file of the project (at, its
// offset in the CI file) in which the program runs (what: the step's
// command, and the file's line that runs it).
type fileRun struct {
	at   int
	what string
}

// fileRuns returns the commands of text (a CI file with its comments
// blanked) that run a file of the project holding a command that runs
// the program (programRuns, started in the file's own folder for a
// Makefile, a justfile or a Taskfile, in the step's for a script). read
// returns a file by its slash path relative to the top, nil for none.
func fileRuns(text []byte, modPath string, runs func(string) bool, read func(string) []byte) []fileRun {
	var out []fileRun
	n := 0
	for ls := 0; ls < len(text) && n < maxRunFiles; {
		le := bytes.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text) - ls
		}
		line := string(text[ls : ls+le])
		start := 0
		for i, sep := range append(shellSeparators.Re().FindAllStringIndex(line, -1), []int{len(line), len(line)}) {
			c, at := line[start:sep[0]], ls+start
			start = sep[1]
			if k := yamlKeyed.FindStringIndex(c); k != nil {
				if i > 0 || !commandKeyed.MatchString(c) {
					break // name: make, paths: - scripts/x.sh: no command
				}
				at += k[1]
				c = c[k[1]:]
			} else if i == 0 && !inCommands(text, ls) {
				break // a line of no command key's script: paths:' - scripts/x.sh
			}
			t := strings.TrimLeft(c, " \t-(")
			at += len(c) - len(t)
			files, base, top := stepFiles(strings.Fields(t))
			if len(files) == 0 {
				continue
			}
			wd := scriptDir(text, at, workDir(text, at))
			if top {
				wd = "."
			}
			for _, f := range files {
				rel := path.Clean(path.Join(wd, f))
				if rel == ".." || strings.HasPrefix(rel, "../") {
					continue
				}
				if n++; n > maxRunFiles {
					break
				}
				data := read(rel)
				if data == nil || !fix.RunsCommands(rel, data) {
					continue
				}
				start := wd
				if base != "" {
					start = path.Dir(rel) // make, task and just run in their file's folder
				}
				ft := uncommentAll(data)
				if r := programRuns(ft, start, modPath, runs); len(r) > 0 {
					what := fmt.Sprintf("%s, whose %s:%d runs %s", lineAt(text, at), rel, 1+bytes.Count(data[:r[0]], []byte("\n")), lineAt(ft, r[0]))
					out = append(out, fileRun{at, what})
				}
				break // the first file of a tool that exists is the one it reads
			}
		}
		ls += le + 1
	}
	return out
}

// commandKeyed matches a line that starts with a YAML key whose value is
// commands (run:, script:, command:, cmds:, Azure's bash:...), and
// commandHeader the name of such a key alone.
var (
	commandKeyed  = lazyre.New(`^[ \t]*(?:-[ \t]*)?(?:run|script|before_script|after_script|cmds?|commands?|bash|pwsh|powershell|shell|inline|inlineScript)[ \t]*:`)
	commandHeader = lazyre.New(`^(?:run|script|before_script|after_script|cmds?|commands?|bash|pwsh|powershell|shell|inline|inlineScript)$`)
)

// inCommands reports whether the line at offset ls of text belongs to the
// block scalar or list of a key whose value is commands (run: |, script:).
func inCommands(text []byte, ls int) bool {
	lines, h := scriptHeader(text, ls)
	if h < 0 {
		return false
	}
	k, _, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[h]), "- ")), ":")
	return commandHeader.MatchString(k)
}

// shellSeparators matches what separates a shell line's commands.
var shellSeparators = lazyre.New(`&&|\|\||[;|]`)

// stepFiles returns the files, relative to the folder the command runs in,
// that a command (its words) runs, in the order its tool looks for them:
// make's makefile (-C DIR, -f FILE), task's Taskfile (-d DIR, -t FILE),
// just's justfile, a script run by its path (./scripts/nightly.sh,
// bash scripts/nightly.sh); base is the tool's name for a tool that runs
// in its file's folder, "" for a script; top, that the script's path
// starts at the checkout's top ($GITHUB_WORKSPACE/scripts/nightly.sh).
func stepFiles(words []string) (files []string, base string, top bool) {
	for len(words) > 0 && (words[0] == "sudo" || words[0] == "env" || strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-")) {
		words = words[1:] // NAME=value make sync
	}
	if len(words) == 0 {
		return nil, "", false
	}
	flag := func(short, long string) (string, bool) {
		for i, w := range words {
			if (w == short || w == long) && i+1 < len(words) {
				return strings.Trim(words[i+1], `"'`), true
			}
			if v, ok := strings.CutPrefix(w, long+"="); ok {
				return strings.Trim(v, `"'`), true
			}
		}
		return "", false
	}
	tool := path.Base(words[0])
	switch tool {
	case "make", "gmake":
		dir, _ := flag("-C", "--directory")
		if f, ok := flag("-f", "--file"); ok {
			return []string{path.Join(dir, f)}, tool, false
		}
		return []string{path.Join(dir, "GNUmakefile"), path.Join(dir, "makefile"), path.Join(dir, "Makefile")}, tool, false
	case "task":
		dir, _ := flag("-d", "--dir")
		if f, ok := flag("-t", "--taskfile"); ok {
			return []string{path.Join(dir, f)}, tool, false
		}
		var fs []string
		for _, n := range []string{"Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml", "taskfile.dist.yml"} {
			fs = append(fs, path.Join(dir, n))
		}
		return fs, tool, false
	case "just":
		dir, _ := flag("-d", "--working-directory")
		if f, ok := flag("-f", "--justfile"); ok {
			return []string{path.Join(dir, f)}, tool, false
		}
		return []string{path.Join(dir, "justfile"), path.Join(dir, "Justfile"), path.Join(dir, ".justfile")}, tool, false
	case "bash", "sh", "zsh", "source", ".":
		if len(words) < 2 || strings.HasPrefix(words[1], "-") {
			return nil, "", false
		}
		words = words[1:]
		if !strings.Contains(words[0], "/") {
			words[0] = "./" + words[0] // bash nightly.sh reads the folder's file
		}
	}
	p := strings.Trim(words[0], `"'`)
	for _, v := range []string{"${{ github.workspace }}/", "$GITHUB_WORKSPACE/", "${GITHUB_WORKSPACE}/", "$CI_PROJECT_DIR/", "${CI_PROJECT_DIR}/"} {
		if rest, ok := strings.CutPrefix(p, v); ok {
			p, top = "./"+rest, true
		}
	}
	if strings.ContainsAny(p, "$`*?") || !strings.Contains(p, "/") || strings.HasSuffix(p, "/") || strings.HasPrefix(p, "/") {
		return nil, "", false // no file of the project: a bare name runs from PATH
	}
	return []string{p}, "", top
}

// moduleRead returns the module's file at rel (a slash path relative to
// the module root, none outside it), nil when it is missing, no regular
// file or larger than maxReleaseSize: what fileRuns reads.
func (c *checker) moduleRead(rel string) []byte {
	p := filepath.FromSlash(rel)
	if !filepath.IsLocal(p) {
		return nil
	}
	p = filepath.Join(c.root, p)
	if info, err := os.Lstat(p); err != nil || !info.Mode().IsRegular() || info.Size() > maxReleaseSize {
		return nil
	}
	return c.readFile(p)
}
