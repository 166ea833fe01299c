package fix

import (
	"bytes"
	"path"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
)

// A .env file is loaded as often by a shell script or a Makefile as by
// code: `docker run --env-file .env -e AWS_ENDPOINT_URL=http://minio:9000`,
// `set -a; . ./.env; set +a` before `aws --endpoint-url=…`, a Makefile's
// `include .env` and `export` above a recipe that talks to LocalStack (qa15
// HIGH-19). The keys then reach whatever the script runs, with the
// endpoint the script sets: they are that service's, as with code that
// sets one (CodeEndpoint).

// ScriptFile reports whether name is a shell script or a Makefile by its
// name alone (.sh, .bash, .zsh, .ksh; Makefile, GNUmakefile, *.mk, a
// justfile), or a file without an extension, which may be a script with a
// #! line (bin/setup): ScriptEndpoint looks at its content.
func ScriptFile(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	switch path.Ext(b) {
	case ".sh", ".bash", ".zsh", ".ksh", ".mk":
		return true
	case "":
		return !strings.HasPrefix(b, ".") || b == ".envrc"
	}
	return false
}

// makefile reports whether base (lower case) names a Makefile, a justfile
// or a Procfile (foreman and honcho load .env for its commands).
func makefile(base string) bool {
	switch base {
	case "makefile", "gnumakefile", "justfile", ".justfile", "procfile":
		return true
	}
	return path.Ext(base) == ".mk"
}

// ScriptEndpoint describes the first custom endpoint that the shell script
// or Makefile name (content data) sets or passes anywhere (an
// AWS_ENDPOINT_URL… or other endpoint setting, `-e NAME=URL`, the AWS
// CLI's --endpoint-url, a storage address): "" when it sets none, or when
// the file is neither (a file without an extension that does not start
// with #!).
func ScriptEndpoint(name string, data []byte) string {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	switch {
	case makefile(b):
	case path.Ext(b) == "" && b != ".envrc" && !bytes.HasPrefix(data, []byte("#!")):
		return ""
	case !ScriptFile(b):
		return ""
	}
	if makefile(b) {
		data = makeAssignments(data)
	}
	e := newEditor(data, Env)
	if d := e.endpointIn(0, len(e.lines)-1); d != "" {
		return d
	}
	return foreignHostNamed(data)
}

// makeOperator matches make's assignment operators after a variable's name
// at the start of a line (after export, override or private): ?=, +=, !=,
// :=, ::=, :::=, with or without blanks around them.
var makeOperator = lazyre.New(`(?m)^([ \t]*(?:(?:export|override|private)[ \t]+)*[A-Za-z_][A-Za-z0-9_.]*)[ \t]*(?:[?+!]|:{1,3})=[ \t]*`)

// makeAssignments returns a Makefile's text with make's assignment
// operators written as the shell's =, line for line, so that the settings
// of a .env file's reader are read as a script's: export
// AWS_ENDPOINT_URL?=http://localhost:4566 sets a custom endpoint as
// AWS_ENDPOINT_URL=... does (qa25 M4 for go fix; keyscan fix read only =,
// and := by chance). NAME != command sets NAME to what the command prints:
// a value keyscan cannot see, read as set (the value is the command).
func makeAssignments(data []byte) []byte {
	if !bytes.Contains(data, []byte("=")) {
		return data
	}
	return makeOperator.Re().ReplaceAll(data, []byte("${1}="))
}

// ScriptEndpointReason is the reason the keys of a dotenv file stay when
// the script or Makefile script of the run, which may load the file
// (--env-file, `. FILE`, include), sets a custom endpoint (what) for what
// it runs.
func ScriptEndpointReason(what, script string) string {
	if strings.Contains(what, metadataOffVar) {
		return metadataOffReason(what + ", in " + script)
	}
	return customEndpoint("maybe: " + script + " sets a custom endpoint (" + what + ") for what it runs, and the keys this file " +
		"puts in the environment (it may load it: --env-file, `. FILE`, include) go there with it")
}

// JobEndpointReason is the reason a CI pipeline's keys stay when a script
// or source file of the project (file) sets a custom endpoint (what): a
// job may run it with them, and the CLI and the SDKs read them from the
// environment without naming them.
func JobEndpointReason(what, file string) string {
	if strings.Contains(what, metadataOffVar) {
		return metadataOffReason(what + ", in " + file)
	}
	return customEndpoint("maybe: " + file + " sets a custom endpoint (" + what + "), and a job of this pipeline may run it " +
		"with these keys (the AWS CLI and the SDKs read them from the environment without naming them)")
}

// FileEndpoint describes the first custom endpoint that the file name
// (content data) sets anywhere, read as keyscan fix reads its kind (a
// Dockerfile's ENV AWS_ENDPOINT_URL=…, a setting, an --endpoint-url); ""
// when none.
func FileEndpoint(name string, data []byte) string {
	e := newEditor(data, Detect(name, data))
	return e.endpointIn(0, len(e.lines)-1)
}

// ImportEndpointReason is the reason the keys of a Python file stay when
// module, which the file imports, sets a custom endpoint (what): in the
// environment when it is imported (os.environ.setdefault(
// "AWS_ENDPOINT_URL", …)), or in a Config or options the file's clients
// may take.
func ImportEndpointReason(what, module string) string {
	if strings.Contains(what, metadataOffVar) {
		return metadataOffReason(what + ", in " + module)
	}
	return customEndpoint("maybe: " + module + " sets a custom endpoint (" + what + "), which this file's clients may take " +
		"(the environment it sets when imported, a Config or options it gives them)")
}

// NamesFile reports whether data names the file base as a word of its own
// (--env-file .env, dotenv: ['.env'], include .env), not inside a longer
// name (.env.example).
func NamesFile(data []byte, base string) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(base))
		if j < 0 {
			return false
		}
		j += i
		end := j + len(base)
		before, after := byte(' '), byte(' ')
		if j > 0 {
			before = data[j-1]
		}
		if end < len(data) {
			after = data[end]
		}
		if strings.IndexByte(" \t\n'\"[=,/:", before) >= 0 && strings.IndexByte(" \t\r\n'\"],;)", after) >= 0 {
			return true
		}
		i = j + 1
	}
}
