package analyzer

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/keyscan/keyscan/fix"
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
var goRunArgs = regexp.MustCompile(`\bgo['"]?(?:\s*,\s*|\s+)['"]?run['"]?(?:\s*,\s*|\s+)([^\n]*)`)

// cloudBuildGo and cloudBuildRun are a Cloud Build step whose entrypoint
// is go, and its args that start with run, in flow or block style.
var (
	cloudBuildGo  = regexp.MustCompile(`(?m)^[ \t-]*entrypoint:[ \t]*['"]?go['"]?[ \t]*$`)
	cloudBuildRun = regexp.MustCompile(`(?m)^[ \t-]*args:[ \t]*(?:\[[ \t]*['"]?run['"]?[ \t]*,([^\]\n]*)|\n[ \t]*-[ \t]*['"]?run['"]?[ \t]*\n[ \t]*-[ \t]*([^\n]*))`)
)

// goBuildOut matches go build -o OUT and what follows it on its line.
var goBuildOut = regexp.MustCompile(`\bgo\s+build\s+(?:[^\n]*?\s)?-o[= ]\s*(\S+)([^\n]*)`)

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
		w := strings.Trim(words[i], `"'`)
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
// folder the line's cd DIR && moved to; ok false for another module's
// package.
func targetFolder(target, cd, modPath string) (string, bool) {
	target, _, _ = strings.Cut(target, "@")
	switch {
	case target == modPath:
		return ".", true
	case strings.HasPrefix(target, modPath+"/"):
		return strings.TrimPrefix(target, modPath+"/"), true
	case strings.HasSuffix(target, ".go"):
		return path.Clean(path.Join(cd, path.Dir(target))), true
	case target == "." || strings.HasPrefix(target, "./") || strings.HasPrefix(target, "../"):
		return path.Clean(path.Join(cd, target)), true
	}
	return "", false
}

// cdBefore matches a cd DIR && (or ;) at the start of a command.
var cdBefore = regexp.MustCompile(`\bcd\s+(\S+)\s*(?:&&|;)\s*$`)

// ciRunsProgram returns, marked, where the CI configuration b (rel to the
// module root, named name) runs the program on the service's own machines
// (fix.HostedJob), or "": runs says whether a package folder (relative to
// the module root) is one of the program's. modPath is the module's path.
func ciRunsProgram(b []byte, rel, modPath string, runs func(folder string) bool) string {
	if !bytes.Contains(b, []byte("run")) && !bytes.Contains(b, []byte("build")) {
		return ""
	}
	if !fix.CIFile(rel) && !bytes.Contains(b, []byte("runs-on")) {
		return ""
	}
	text := uncommentAll(b)
	for _, at := range programRuns(text, modPath, runs) {
		why := fix.HostedJob(rel, b, at)
		if why == "" {
			continue
		}
		line := 1 + bytes.Count(b[:at], []byte("\n"))
		cmd := strings.TrimSpace(string(text[at:min(len(text), at+bytes.IndexByte(append(text[at:], '\n'), '\n'))]))
		if len(cmd) > 80 {
			cmd = cmd[:77] + "..."
		}
		why = strings.TrimSuffix(why, "; then remove the keys by hand and deactivate them in IAM.")
		return fmt.Sprintf("%sa CI job runs the program (%s, in %s:%d), where no AWS role exists at all, so the instance role provider would "+
			"give the client no credentials: %s; then remove the static provider by hand", noRoleMark, cmd, rel, line, why)
	}
	return ""
}

// programRuns returns the offsets in text (a CI file with its comments
// blanked) of the commands that run the program: a go run of one of its
// folders, or the binary that go build -o made of one, run later in the
// file (./bin/sync, bin/sync).
func programRuns(text []byte, modPath string, runs func(string) bool) []int {
	var at []int
	cd := func(start int) string {
		ls := bytes.LastIndexByte(text[:start], '\n') + 1
		if m := cdBefore.FindSubmatch(text[ls:start]); m != nil {
			return strings.Trim(string(m[1]), `"'`)
		}
		return "."
	}
	for _, m := range goRunArgs.FindAllSubmatchIndex(text, -1) {
		if d, ok := targetFolder(goTarget(string(text[m[2]:m[3]])), cd(m[0]), modPath); ok && runs(d) {
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
			if d, ok := targetFolder(goTarget(string(text[m[g]:m[g+1]])), ".", modPath); ok && runs(d) {
				at = append(at, m[0]+bytes.Index(text[m[0]:m[1]], []byte("args")))
			}
		}
	}
	for _, m := range goBuildOut.FindAllSubmatchIndex(text, -1) {
		out := strings.Trim(string(text[m[2]:m[3]]), `"'`)
		d, ok := targetFolder(goTarget(string(text[m[4]:m[5]])), cd(m[0]), modPath)
		if !ok || !runs(d) || out == "" || out == "/dev/null" {
			continue
		}
		bin := strings.TrimPrefix(out, "./")
		re := regexp.MustCompile(`(?m)(?:^|[\s;&|'"(-])(?:\./)?` + regexp.QuoteMeta(bin) + `(?:\s|$|['"])`)
		for _, r := range re.FindAllIndex(text[m[1]:], -1) {
			s := m[1] + r[0]
			if c := text[s]; c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '\'' || c == '"' || c == '(' || c == '-' {
				s++
			}
			if ls := bytes.LastIndexByte(text[:s], '\n') + 1; bytes.Contains(text[ls:s], []byte("-o")) {
				continue // another build's output
			}
			at = append(at, s)
			break
		}
	}
	return at
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
