package analyzer

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lazyre"
)

// A program that a CI job runs (go run ./cmd/sync in a nightly workflow)
// runs on the CI service's machines. On the service's own (a
// GitHub-hosted runner, GitLab's hosted runners, CircleCI, Bitbucket
// Cloud, Azure's Microsoft-hosted agents, Travis, Google Cloud Build...)
// no AWS role exists at all, and the fix would leave the job with no
// credentials (qa29 M3). Where the job runs is told as keyscan fix tells
// it for keys in that job (fix.HostedJob: one judgement for both), and
// the job must run this program: go run of a package linked with it, or
// the binary go build -o made of one, run by the same file. A self-hosted
// runner may be an instance with a role, and keeps the fix; so does a
// file that only builds or tests the program.

// goRunArgs matches a go run command and what follows it on its line
// (a shell line, or Cloud Build's args: [run, ./cmd/x] list after go).
var goRunArgs = lazyre.New(`\bgo['"]?(?:\s*,\s*|\s+)['"]?run['"]?(?:\s*,\s*|\s+)([^\n]*)`)

// cloudBuildGo and cloudBuildRun are a Cloud Build step whose entrypoint
// is go, and its args that start with run, in flow or block style.
var (
	cloudBuildGo  = lazyre.New(`(?m)^[ \t-]*entrypoint:[ \t]*['"]?go['"]?[ \t]*$`)
	cloudBuildRun = lazyre.New(`(?m)^[ \t-]*args:[ \t]*(?:\[[ \t]*['"]?run['"]?[ \t]*,([^\]\n]*)|\n[ \t]*-[ \t]*['"]?run['"]?[ \t]*\n[ \t]*-[ \t]*([^\n]*))`)
)

// goBuildOut matches go build -o OUT and what follows it on its line.
var goBuildOut = lazyre.New(`\bgo\s+build\s+(?:[^\n]*?\s)?-o[= ]\s*(\S+)([^\n]*)`)

// goInstall matches go install and what follows it on its line.
var goInstall = lazyre.New(`\bgo\s+install\s+([^\n]*)`)

// commandStart matches what may stand before a command on its line: a
// list item's dash, a key (run:, script:, a block scalar's |), a shell
// separator.
var commandStart = lazyre.New(`^[ \t]*(?:-[ \t]*)?(?:[\w-]+:[ \t]*(?:[|>][-+]?[ \t]*)?)?$|(?:&&|;|\|\|)[ \t]*$`)

// goFlagsWithValue are the build flags that take the next word as value.
var goFlagsWithValue = map[string]bool{"-tags": true, "-ldflags": true, "-gcflags": true, "-asmflags": true, "-mod": true, "-modfile": true,
	"-C": true, "-exec": true, "-o": true, "-p": true, "-overlay": true, "-pkgdir": true, "-buildmode": true, "-compiler": true,
	"-gccgoflags": true, "-installsuffix": true, "-toolexec": true, "-pgo": true, "-coverpkg": true, "-covermode": true}

// goTarget returns the package a go run or go build names in rest (the
// words after the verb, as a shell line or a YAML flow list): its first
// word that is no flag or a flag's value; "" for none.
func goTarget(rest string) string {
	words := strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '[' || r == ']' })
	for i := 0; i < len(words); i++ {
		w := strings.TrimRight(strings.Trim(words[i], `"'`), ");") // go run .) closing a subshell
		if w == "" || w == "&&" || w == ";" || w == "|" {
			return ""
		}
		if strings.HasPrefix(w, "-") {
			if goFlagsWithValue[w] {
				i++
			}
			continue
		}
		return w
	}
	return ""
}

// targetFolder returns the folder, a slash path relative to the module
// root, of the package that target names (., ./cmd/x, cmd/x/main.go, the
// module's import path or one under it, @version or not), with cd the
// folder the command runs in (workDir, scriptDir, goChdir); ok false for
// another module's package.
//
// A target keyscan cannot read whole (./cmd/${{ matrix.prog }}, "$APP"
// that no env: of the file sets) names any package at or below its
// readable start: the folder comes back as DIR/..., which runs answers for
// every program there (qa31 F5: withholding for them all is the safe
// side).
func targetFolder(target, cd, modPath string) (string, bool) {
	target, _, _ = strings.Cut(target, "@")
	if i := strings.IndexByte(target, '$'); i >= 0 {
		pre := target[:strings.LastIndexByte(target[:i], '/')+1] // ./cmd/ of ./cmd/x-$V
		if pre == "" {
			return path.Join(cd, "..."), true
		}
		d, ok := targetFolder(strings.TrimSuffix(pre, "/"), cd, modPath)
		if !ok {
			return "", false
		}
		return path.Join(d, "..."), true
	}
	switch {
	case target == "":
		return "", false
	case modPath != "" && target == modPath:
		return ".", true
	case modPath != "" && strings.HasPrefix(target, modPath+"/"):
		return strings.TrimPrefix(target, modPath+"/"), true
	case strings.HasSuffix(target, ".go"):
		return path.Clean(path.Join(cd, path.Dir(target))), true
	case target == "." || strings.HasPrefix(target, "./") || strings.HasPrefix(target, "../"):
		return path.Clean(path.Join(cd, target)), true
	}
	return "", false
}

// envTarget returns target, or when it is one variable ($APP, ${APP}) the
// value that the file text gives it (a step's env: APP: ./cmd/x, a
// script's APP=./cmd/x: qa31 F5), so that go run "$APP" names that
// package; a variable the file does not set stays as it is (targetFolder
// reads it as any package).
func envTarget(text []byte, target string) string {
	m := shellVar.FindStringSubmatch(target)
	if m == nil {
		return target
	}
	set := regexp.MustCompile(`(?m)(?:^[ \t]*(?:-[ \t]*)?|\bexport[ \t]+)` + m[1] + `(?:[ \t]*:[ \t]+|=)["']?([^\s"'#]+)`)
	if v := set.FindSubmatch(text); v != nil && !bytes.ContainsRune(v[1], '$') {
		return string(v[1])
	}
	return target
}

// shellVar matches a word that is one shell variable.
var shellVar = lazyre.New(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`)

// goChdir returns the folder a go command whose words after the verb are
// rest runs in when started in wd: go -C DIR changes to DIR first (go run
// -C tools/gen . runs tools/gen, not wd's package: qa30 M2).
func goChdir(rest, wd string) string {
	words := strings.Fields(rest)
	for i, w := range words {
		w = strings.Trim(w, `"',[]`)
		if !strings.HasPrefix(w, "-") {
			break
		}
		if v, ok := strings.CutPrefix(w, "-C="); ok {
			return path.Join(wd, strings.Trim(v, `"'`))
		}
		if w == "-C" && i+1 < len(words) {
			return path.Join(wd, strings.Trim(words[i+1], `"',[]`))
		}
	}
	return wd
}

// scriptDir returns the folder, relative to the repository's top, that the
// command at offset at of a CI file (text) runs in, started in wd (its
// step's working directory): the script's cd commands before it move it,
// as a shell would, within the same script: the command's own line
// (cd cmd/sync && go run .), and the earlier lines of the block scalar or
// the script list it sits in (run: | with cd cmd/sync on its own line,
// GitLab's script: items, which one shell runs: qa30 M1). A GitHub step
// that is a run: of its own is another shell, and a cd inside ( ) a
// subshell's: neither moves it. A cd keyscan cannot read ($DIR) moves it
// to the top, as workDir takes an expression.
func scriptDir(text []byte, at int, wd string) string {
	ls := bytes.LastIndexByte(text[:at], '\n') + 1
	own := string(text[ls:at])
	var script []string
	if !yamlKeyed.MatchString(own) {
		script = scriptBefore(text, ls)
	}
	script = append(script, inSubshell(own))
	for _, l := range script {
		for _, c := range shellCommands.Re().Split(l, -1) {
			if k := yamlKeyed.FindStringIndex(c); k != nil {
				c = c[k[1]:] // run: cd cmd/x && …: the step's key is no command
			}
			c = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c), "- "))
			w := strings.Fields(c)
			if len(w) == 0 || w[0] != "cd" && w[0] != "pushd" {
				continue
			}
			if len(w) == 1 {
				wd = "." // home: keyscan takes it as the top
				continue
			}
			d := strings.Trim(w[1], `"'`)
			if rest, ok := strings.CutPrefix(strings.Trim(strings.Join(w[1:], " "), `"'`), "${{ github.workspace }}"); ok {
				d = "${{ github.workspace }}" // cd "${{ github.workspace }}/cmd/x", split at its blanks
				if f := strings.Fields(rest); len(f) > 0 {
					d += strings.Trim(f[0], `"'`)
				}
			}
			top, sub := d, ""
			if i := strings.IndexByte(d, '/'); i > 0 {
				top, sub = d[:i], d[i+1:]
			}
			switch {
			case workspaceVar(top) && sub != "" && !strings.ContainsAny(sub, "$~"):
				wd = path.Clean(sub) // the checkout's top, then a folder below it (qa31 F5)
			case workspaceVar(d):
				wd = "."
			case strings.HasPrefix(d, "/") || strings.ContainsAny(d, "$~") || d == "-":
				wd = "."
			default:
				wd = path.Join(wd, d)
			}
		}
	}
	return wd
}

// workspaceVar reports whether d names the checkout's top as a CI
// service sets it.
func workspaceVar(d string) bool {
	switch d {
	case "$GITHUB_WORKSPACE", "${GITHUB_WORKSPACE}", "${{ github.workspace }}", "${{github.workspace}}", "$CI_PROJECT_DIR", "${CI_PROJECT_DIR}":
		return true
	}
	return false
}

// inSubshell returns the commands of line (up to the command scriptDir
// places) whose cd moves it: a subshell closed before it, ( cd x; make )
// then go run ., is cut out, while the subshell it sits in counts from
// its ( on: (cd cmd/x && go run .) runs in cmd/x (qa31 F5).
func inSubshell(line string) string {
	var b strings.Builder
	open := []int{} // offsets in b of the ( still open
	for _, r := range line {
		switch r {
		case '(':
			open = append(open, b.Len())
			b.WriteString(" ; ")
		case ')':
			if n := len(open); n > 0 {
				s := b.String()[:open[n-1]]
				b.Reset()
				b.WriteString(s)
				b.WriteString(" ; ")
				open = open[:n-1]
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// yamlKeyed matches a line's start that is a YAML key (run:, script:, -
// name:): a command there is a step's single line, no script's later one.
var yamlKeyed = lazyre.New(`^[ \t]*(?:-[ \t]*)?[\w-]+:[ \t]`)

// shellCommands splits a shell line into its commands; a subshell's
// commands are cut off at its ( so that its cd is read as no cd.
var shellCommands = lazyre.New(`&&|\|\||;|\(.*`)

// Bound of scriptBefore's walk up a script.
const maxScriptLines = 500

// scriptBefore returns the lines of the script that the line at offset ls
// of text belongs to, before it: the block scalar's (run: |) or the
// script list's (script: with - items) earlier lines, up to its header;
// none when the line belongs to no such script.
func scriptBefore(text []byte, ls int) []string {
	lines, h := scriptHeader(text, ls)
	if h < 0 {
		return nil
	}
	return lines[h+1:]
}

// scriptHeader returns the lines of text before offset ls (a line's
// start) and the index among them of the header (run: |, script:) of the
// script the line at ls belongs to; -1 when it belongs to none.
func scriptHeader(text []byte, ls int) ([]string, int) {
	lines := strings.Split(string(text[:ls]), "\n")
	lines = lines[:len(lines)-1] // the empty tail after the last newline
	cur := string(text[ls:])
	if e := strings.IndexByte(cur, '\n'); e >= 0 {
		cur = cur[:e]
	}
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }
	m := indent(cur)
	for a, n := len(lines)-1, 0; a >= 0 && n < maxScriptLines; a, n = a-1, n+1 {
		l := lines[a]
		if strings.TrimSpace(l) == "" || indent(l) >= m {
			continue
		}
		switch {
		case blockHeader.MatchString(l), listHeader.MatchString(l):
			return lines, a
		case yamlKeyed.MatchString(l):
			return lines, -1 // a YAML mapping's key: the line is no script's
		}
		m = indent(l) // a shell line indented less (if ...; then): the same script
	}
	return lines, -1
}

// blockHeader is a key whose value is a block scalar (run: |, script: >-);
// listHeader a key whose value is the list below it (script:).
var (
	blockHeader = lazyre.New(`^[ \t]*(?:-[ \t]*)?[\w-]+:[ \t]*[|>][-+0-9]*[ \t]*$`)
	listHeader  = lazyre.New(`^[ \t]*(?:-[ \t]*)?[\w-]+:[ \t]*$`)
)

// ciRunsProgram returns, marked, where the CI configuration b (rel to the
// module root) runs the program on the service's own machines
// (fix.HostedJob), or "": runs says whether a package folder (relative to
// the module root) is one of the program's. modPath is the module's path.
// read returns a file of the module (a slash path relative to its root),
// nil when it cannot: the Makefile or script a step runs (fileRuns).
func ciRunsProgram(b []byte, rel, modPath string, runs func(folder string) bool, read func(rel string) []byte) string {
	cmd, line, why := ciRun(b, rel, modPath, runs, read)
	if cmd == "" {
		return ""
	}
	why = strings.TrimSuffix(why, "; then remove the keys by hand and deactivate them in IAM.")
	return fmt.Sprintf("%sa CI job runs the program (%s, in %s:%d), where no AWS role exists at all, so the instance role provider would "+
		"give the client no credentials: %s; then remove the static provider by hand", noRoleMark, cmd, rel, line, why)
}

// CIRunsProgram returns where the CI configuration b (rel, a slash path
// below the repository's top) runs a Go program of the project on the CI
// service's own machines, as go fix reads it ("go run ., in
// .github/workflows/sync.yml:6: the job runs on a GitHub-hosted runner
// …"), or "": runs says whether a package folder (relative to the top) is
// one of the programs concerned, modPath is the module's path ("" when
// unknown). keyscan fix asks it of a .env's project, so that it keeps the
// keys of a program go fix withholds its fix for (qa29 M3). read returns
// a file of the project (a slash path relative to the top), nil when it
// cannot: the Makefile, script or Taskfile a step runs (fileRuns).
func CIRunsProgram(b []byte, rel, modPath string, runs func(folder string) bool, read func(rel string) []byte) string {
	cmd, line, why := ciRun(b, rel, modPath, runs, read)
	if cmd == "" {
		return ""
	}
	return fmt.Sprintf("%s, in %s:%d: %s", cmd, rel, line, why)
}

// ciRun returns the first command of the CI configuration b that runs the
// program on the service's own machines (itself, or a file of the project
// that it runs: fileRuns), its line, and keyscan fix's reason for that job
// (fix.HostedJob); "" when none.
func ciRun(b []byte, rel, modPath string, runs func(folder string) bool, read func(rel string) []byte) (cmd string, line int, why string) {
	if !bytes.Contains(b, []byte("run")) && !bytes.Contains(b, []byte("build")) && !bytes.Contains(b, []byte("install")) {
		return "", 0, ""
	}
	if !fix.CIFile(rel) && !bytes.Contains(b, []byte("runs-on")) {
		return "", 0, ""
	}
	text := uncommentAll(b)
	for _, at := range programRuns(text, ".", modPath, runs) {
		if why = fix.HostedJob(rel, b, at); why == "" {
			continue
		}
		return lineAt(text, at), 1 + bytes.Count(b[:at], []byte("\n")), why
	}
	if read == nil {
		return "", 0, ""
	}
	for _, r := range fileRuns(text, modPath, runs, read) {
		if why = fix.HostedJob(rel, b, r.at); why == "" {
			continue
		}
		return r.what, 1 + bytes.Count(b[:r.at], []byte("\n")), why
	}
	return "", 0, ""
}

// lineAt returns the line of text from offset at, trimmed, cut at 80
// bytes: the command a reason shows.
func lineAt(text []byte, at int) string {
	end := bytes.IndexByte(text[at:], '\n')
	if end < 0 {
		end = len(text) - at
	}
	cmd := strings.TrimSpace(string(text[at : at+end]))
	if len(cmd) > 80 {
		cmd = cmd[:77] + "..."
	}
	return cmd
}

// programRuns returns the offsets in text (a CI file with its comments
// blanked) of the commands that run the program: a go run of one of its
// folders, or the binary that go build -o made of one, run later in the
// file (./bin/sync, bin/sync).
func programRuns(text []byte, base, modPath string, runs func(string) bool) []int {
	var at []int
	cd := func(start int) string { return scriptDir(text, start, path.Join(base, workDir(text, start))) }
	target := func(rest string) string { return envTarget(text, goTarget(rest)) }
	for _, m := range goRunArgs.FindAllSubmatchIndex(text, -1) {
		rest := string(text[m[2]:m[3]])
		if d, ok := targetFolder(target(rest), goChdir(rest, cd(m[0])), modPath); ok && runs(d) {
			at = append(at, m[0])
		}
	}
	if cloudBuildGo.Match(text) {
		// Cloud Build's step with entrypoint: go and args: [run, ./cmd/x].
		for _, m := range cloudBuildRun.FindAllSubmatchIndex(text, -1) {
			g := 2
			if m[g] < 0 {
				g = 4
			}
			rest := string(text[m[g]:m[g+1]])
			if d, ok := targetFolder(goTarget(rest), goChdir(rest, base), modPath); ok && runs(d) {
				at = append(at, m[0]+bytes.Index(text[m[0]:m[1]], []byte("args")))
			}
		}
	}
	for _, m := range goInstall.FindAllSubmatchIndex(text, -1) {
		// go install puts the binary, named for its folder, on PATH
		// (GOPATH/bin): a later command of that name runs it.
		rest := string(text[m[2]:m[3]])
		d, ok := targetFolder(target(rest), goChdir(rest, cd(m[0])), modPath)
		if !ok || !runs(d) || strings.HasSuffix(d, "...") {
			continue
		}
		bin := path.Base(d)
		if d == "." {
			bin = path.Base(modPath)
		}
		for from := m[2]; ; { // the rest of the go install line too: go install ./cmd/x && x (qa31 F5)
			s := binaryRun(text, from, bin)
			if s < 0 {
				break
			}
			ls := bytes.LastIndexByte(text[:s], '\n') + 1
			if commandStart.Match(text[ls:s]) {
				at = append(at, s)
				break
			}
			from = s + len(bin)
		}
	}
	for _, m := range goBuildOut.FindAllSubmatchIndex(text, -1) {
		out := strings.Trim(string(text[m[2]:m[3]]), `"'`)
		d, ok := targetFolder(target(string(text[m[4]:m[5]])), cd(m[0]), modPath)
		if !ok || !runs(d) || out == "" || out == "/dev/null" {
			continue
		}
		if s := binaryRun(text, m[1], strings.TrimPrefix(out, "./")); s >= 0 {
			at = append(at, s)
		}
	}
	return at
}

// workDir returns the folder, relative to the repository's top, that a
// command at offset at of a CI file (text) runs in: the working-directory:
// of its step (GitHub Actions), or of the defaults: run: of its job or of
// the workflow, or a CircleCI job's working_directory: (under
// ~/project); "." for none. A value keyscan cannot read (an expression)
// is taken as the top.
func workDir(text []byte, at int) string {
	lines := strings.Split(string(text), "\n")
	i := bytes.Count(text[:at], []byte("\n"))
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }
	blank := func(l string) bool { return strings.TrimSpace(l) == "" }
	limit := indent(lines[i]) + 1 // the command's own line first, then each line indented less: its ancestors
	for a := i; a >= 0; a-- {
		l := lines[a]
		if blank(l) || a != i && indent(l) >= limit {
			continue
		}
		limit = indent(l)
		d := indent(l)
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "- ") {
			d += 2 // a list item's keys sit past its dash
		}
		// The ancestor's block: its own line (a list item's first key)
		// and the lines below it indented past it.
		for b := a; b < len(lines); b++ {
			bl := lines[b]
			if b > a && !blank(bl) && indent(bl) <= indent(l) {
				break
			}
			t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(bl), "- "))
			k, v, ok := strings.Cut(t, ":")
			if !ok || k != "working-directory" && k != "working_directory" {
				continue
			}
			own := b == a || indent(bl) == d // the ancestor's own key
			if !own && underDefaultsRun(lines, b, a) < 0 {
				continue
			}
			return workDirValue(v)
		}
		if limit == 0 {
			break
		}
	}
	// The workflow's own defaults: run: working-directory:.
	for b, bl := range lines {
		t := strings.TrimSpace(bl)
		if k, v, ok := strings.Cut(t, ":"); ok && k == "working-directory" {
			if d := underDefaultsRun(lines, b, -1); d >= 0 && indent(lines[d]) == 0 {
				return workDirValue(v)
			}
		}
	}
	return "."
}

// workDirValue is a working directory's value as a folder relative to the
// repository's top: "." for one keyscan cannot read (an expression).
func workDirValue(v string) string {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	v = strings.TrimPrefix(strings.TrimPrefix(v, "${{ github.workspace }}"), "~/project")
	v = strings.TrimPrefix(v, "/")
	if v == "" || strings.Contains(v, "${{") || strings.HasPrefix(v, "~") || strings.HasPrefix(v, "$") {
		return "."
	}
	return path.Clean(v)
}

// underDefaultsRun returns the line of the defaults: key that line b sits
// under, as defaults: run:, in the block of line a (GitHub's defaults for
// every run step); -1 when it sits under none.
func underDefaultsRun(lines []string, b, a int) int {
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }
	want, at := "run", indent(lines[b])
	for k := b - 1; k > a; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" || indent(lines[k]) >= at {
			continue
		}
		if strings.TrimSuffix(t, ":") != want {
			return -1
		}
		if want == "defaults" {
			return k
		}
		want, at = "defaults", indent(lines[k])
	}
	return -1
}

// binaryRun returns the offset, after from, where text runs the binary
// bin as a command (bin/sync or ./bin/sync, at a line's start, after a
// list item's dash, run:, a quote or a shell separator), or -1. Another
// build's -o naming it is no run.
func binaryRun(text []byte, from int, bin string) int {
	if bin == "" {
		return -1
	}
	for i := from; i < len(text); {
		k := bytes.Index(text[i:], []byte(bin))
		if k < 0 {
			return -1
		}
		s, e := i+k, i+k+len(bin)
		i = e
		if e < len(text) && !strings.ContainsRune(" \t\n'\"", rune(text[e])) {
			continue
		}
		if s >= 2 && string(text[s-2:s]) == "./" {
			s -= 2
		}
		if s > 0 && !strings.ContainsRune(" \t\n;&|'\"(", rune(text[s-1])) {
			continue
		}
		ls := bytes.LastIndexByte(text[:s], '\n') + 1
		if bytes.Contains(text[ls:s], []byte("-o")) {
			continue // another build's output
		}
		return s
	}
	return -1
}

// uncommentAll returns b with each line's YAML or shell comment blanked
// (uncomment), offsets kept.
func uncommentAll(b []byte) []byte {
	out := bytes.Clone(b)
	start := 0
	for start <= len(out) {
		end := bytes.IndexByte(out[start:], '\n')
		if end < 0 {
			end = len(out) - start
		}
		l := string(out[start : start+end])
		if u := uncomment(l); len(u) < len(l) {
			for i := start + len(u); i < start+end; i++ {
				out[i] = ' '
			}
		}
		start += end + 1
	}
	return out
}
