package fix

import (
	"path"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
	"gopkg.in/yaml.v3"
)

// A Helm chart's templates decide which client gets which value: a
// template may set an S3-compatible endpoint itself (env: AWS_ENDPOINT_URL
// with value: {{ .Values.s3.endpoint }}, a hardcoded http://minio:9000, a
// MinIO Deployment the chart runs), and then the keys of the chart's values
// files are that service's (fix13's leftover), and a template may read a
// value by a path that keyscan fix removes, and then helm template fails or
// renders an empty value. keyscan fix does not evaluate Go templates: it
// reads the actions ({{ … }}) far enough to know the values paths they
// name (.Values.a.b, $.Values.a, index .Values "a" "b", a path relative to
// with's dot, a variable bound to a path), and where a path is handed to
// what it cannot follow (include, template, tpl, index by a variable) it
// says so, and the keys under that path stay.

// HelmRead is a values path that a template reads.
type HelmRead struct {
	Path string // dotted, below .Values ("" for .Values itself)
	Line int    // 1-based
	// Dynamic: the value at Path is handed to something keyscan fix
	// does not follow (a named template, tpl, index by a variable), which
	// may read any value below it.
	Dynamic bool
	// Guard is the part of Path known to be there when the action runs
	// (the dot of a with block): a missing map above it stops nothing.
	Guard string
	What  string // the action's text, shortened
}

// helmAction matches a template action, its trim markers with it.
var helmAction = lazyre.New(`(?s)\{\{-?(.*?)-?\}\}`)

// helmToken matches the tokens of an action: a string literal, a raw
// string, a term ($, $x, $x.a, .a.b, .), a declaration or the other
// punctuation, a word (function or keyword).
var helmToken = lazyre.New("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`|\\$[A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*|(?:\\.[A-Za-z_][A-Za-z0-9_]*)+|\\.|:=|=|\\||\\(|\\)|[A-Za-z_][A-Za-z0-9_]*|[^\\s]")

// helmScope is the dot of a block: the root (the template's context,
// whose .Values are the values), a values path, or unknown (a range's
// element, a named template's argument).
type helmScope struct {
	root  bool
	known bool
	path  string
	block string // the keyword that opened it
	outer *helmScope
}

// HelmTemplateReads returns the values paths a template reads, in order.
func HelmTemplateReads(data []byte) []HelmRead {
	text := string(data)
	if !strings.Contains(text, "{{") {
		return nil
	}
	var out []HelmRead
	lineAt := lineCounter(text)
	vars := map[string]string{} // $name: the values path it holds
	dot := &helmScope{root: true, known: true}
	for _, m := range helmAction.FindAllStringSubmatchIndex(text, -1) {
		body := strings.TrimSpace(text[m[2]:m[3]])
		if strings.HasPrefix(body, "/*") {
			continue
		}
		toks := helmToken.FindAllString(body, -1)
		if len(toks) == 0 {
			continue
		}
		line := lineAt(m[0])
		what := shorten("{{ " + body + " }}")
		read := func(p, guard string, dynamic bool) {
			out = append(out, HelmRead{Path: p, Line: line, Dynamic: dynamic, Guard: guard, What: what})
		}
		// The terms of the action, resolved to values paths.
		dynamicAll := false
		for _, t := range toks {
			if t == "include" || t == "template" || t == "tpl" {
				dynamicAll = true // a path passed whole to a named template, or a template string
			}
		}
		var first string // the first values path of the action, for with and :=
		firstOK := false
		for i := 0; i < len(toks); i++ {
			p, ok := resolveHelmTerm(toks[i], dot, vars)
			if !ok {
				continue
			}
			guard := ""
			if strings.HasPrefix(toks[i], ".") && !dot.root {
				guard = dot.path // with's dot: the block runs only when it is there
			}
			if i > 0 && (toks[i-1] == "index" || toks[i-1] == "get") {
				// index TERM "a" "b": the path goes on by literal keys;
				// a key that is not a literal may be any.
				dyn := false
				for i+1 < len(toks) && toks[i+1] != "|" && toks[i+1] != ")" {
					k := toks[i+1]
					if !strings.HasPrefix(k, `"`) && !strings.HasPrefix(k, "`") {
						dyn = true
						break
					}
					p = joinPath(p, strings.Trim(k, "\"`"))
					i++
				}
				read(p, guard, dyn || dynamicAll)
			} else {
				read(p, guard, dynamicAll)
			}
			if !firstOK {
				first, firstOK = p, true
			}
		}
		switch toks[0] {
		case "with":
			dot = &helmScope{known: firstOK, path: first, block: "with", outer: dot}
		case "range":
			dot = &helmScope{block: "range", outer: dot}
		case "if":
			dot = &helmScope{root: dot.root, known: dot.known, path: dot.path, block: "if", outer: dot}
		case "define", "block":
			dot = &helmScope{root: true, known: true, block: toks[0], outer: dot}
		case "else":
			if dot.block == "with" && dot.outer != nil {
				// with's else runs with the outer dot.
				dot = &helmScope{root: dot.outer.root, known: dot.outer.known, path: dot.outer.path, block: "else", outer: dot.outer}
			}
		case "end":
			if dot.outer != nil {
				dot = dot.outer
			}
		}
		// $x := TERM (or $x = TERM): later $x.a reads TERM's path .a.
		for i := 0; i+2 < len(toks); i++ {
			if strings.HasPrefix(toks[i], "$") && (toks[i+1] == ":=" || toks[i+1] == "=") {
				name := toks[i]
				delete(vars, name)
				rest := toks[i+2:]
				if p, ok := resolveHelmTerm(rest[0], dot, vars); ok && (len(rest) == 1 || rest[1] == "|") {
					vars[name] = p
				} else if len(rest) >= 2 && rest[0] == "index" {
					if p, ok := resolveHelmTerm(rest[1], dot, vars); ok {
						for _, k := range rest[2:] {
							if !strings.HasPrefix(k, `"`) {
								break
							}
							p = joinPath(p, strings.Trim(k, `"`))
						}
						vars[name] = p
					}
				}
			}
		}
	}
	return out
}

// resolveHelmTerm returns the values path a term names: .Values.a.b and
// $.Values.a.b from the root, .a.b relative to a dot that holds a values
// path, $x.a for a variable bound to one.
func resolveHelmTerm(t string, dot *helmScope, vars map[string]string) (string, bool) {
	switch {
	case t == "$.Values" || strings.HasPrefix(t, "$.Values."):
		return strings.TrimPrefix(strings.TrimPrefix(t, "$.Values"), "."), true
	case strings.HasPrefix(t, "$"):
		name, rest, _ := strings.Cut(t, ".")
		if p, ok := vars[name]; ok {
			return joinPath(p, rest), true
		}
		return "", false
	case t == ".":
		if dot.known && !dot.root {
			return dot.path, true
		}
		return "", false
	case strings.HasPrefix(t, "."):
		if dot.root {
			if t == ".Values" || strings.HasPrefix(t, ".Values.") {
				return strings.TrimPrefix(strings.TrimPrefix(t, ".Values"), "."), true
			}
			return "", false
		}
		if dot.known {
			return joinPath(dot.path, t[1:]), true
		}
	}
	return "", false
}

func joinPath(p, rest string) string {
	switch {
	case rest == "":
		return p
	case p == "":
		return rest
	}
	return p + "." + rest
}

// lineCounter returns a function giving the 1-based line of an offset of
// text, offsets asked in increasing order.
func lineCounter(text string) func(int) int {
	at, line := 0, 1
	return func(off int) int {
		for ; at < off && at < len(text); at++ {
			if text[at] == '\n' {
				line++
			}
		}
		return line
	}
}

// helmReadsValue reports whether the read r of a template needs the value
// at path name (a definition's), which a change removes with the maps in
// gone (its ancestors the change leaves empty and deletes): r names it or
// a value below it; r hands a path above it to what keyscan cannot follow
// (Dynamic); or r reads through a map that goes with it (a sibling's path:
// evaluating a field of a missing map stops helm template, "nil pointer
// evaluating interface {}.sessionToken").
//
// It returns what the read needs: "" when not the value, the value's
// path, or the map gone.
func helmReadsValue(r HelmRead, name string, gone []string) (bool, string) {
	if r.Path == name || strings.HasPrefix(r.Path, name+".") {
		return true, name
	}
	if r.Dynamic && (r.Path == "" || strings.HasPrefix(name, r.Path+".")) {
		return true, name
	}
	deepest := ""
	for _, g := range gone {
		if strings.HasPrefix(r.Path, g+".") && (r.Guard == "" || !strings.HasPrefix(r.Guard+".", g+".")) && len(g) > len(deepest) {
			deepest = g
		}
	}
	return deepest != "", deepest
}

// HelmGone returns the maps above the value at path name (dotted) that
// are no longer in the values file after a change (content after): the
// change left them empty and deleted them. All of them when the file does
// not parse as YAML, which a values file must.
func HelmGone(after []byte, name string) []string {
	var root any
	parsed := yaml.Unmarshal(after, &root) == nil
	var gone []string
	node := root
	parts := strings.Split(name, ".")
	for i := range len(parts) - 1 {
		m, ok := node.(map[string]any)
		if ok {
			node, ok = m[parts[i]]
		}
		if !parsed || !ok {
			gone = append(gone, strings.Join(parts[:i+1], "."))
			parsed = false
		}
	}
	return gone
}

// helmActionLine matches a line that holds nothing but template actions
// (if, range, with, end, define, a comment, an assignment).
var helmActionLine = lazyre.New(`^[ \t]*(?:\{\{-?.*?-?\}\}[ \t]*)+$`)

// TemplateEndpoint describes a custom endpoint that a Helm template sets
// for the containers it renders: a setting named for an endpoint
// (AWS_ENDPOINT_URL, --endpoint-url, endpoint:) whatever its value (a
// template action is a value given at install time), a setting whose value
// looks like an S3-compatible service's address, an action that reads a
// value named for an endpoint (.Values.s3.endpoint, whatever it is put
// under), or the image of an S3-compatible server the chart runs; "" when
// none. Each action stands for a value: a line of actions only is blanked,
// an action inside a line becomes ${.Values.PATH}.
func TemplateEndpoint(data []byte) string {
	for _, r := range HelmTemplateReads(data) {
		last := r.Path[strings.LastIndexByte(r.Path, '.')+1:]
		if l := strings.ToLower(last); strings.Contains(l, "endpoint") && !strings.HasSuffix(l, "endpoints") {
			return shorten(r.What) + ", which gives a container the chart's value " + r.Path
		}
	}
	// An action over several lines (a comment, a long pipeline) is no
	// value: its lines are blanked.
	text := helmAction.ReplaceAllStringFunc(string(data), func(a string) string {
		if n := strings.Count(a, "\n"); n > 0 {
			return strings.Repeat("\n", n)
		}
		return a
	})
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if helmActionLine.MatchString(l) {
			lines[i] = ""
			continue
		}
		lines[i] = helmAction.ReplaceAllStringFunc(l, func(a string) string {
			for _, t := range helmToken.FindAllString(a, -1) {
				if strings.HasPrefix(t, ".Values.") || strings.HasPrefix(t, "$.Values.") {
					return "${" + strings.TrimPrefix(t, "$") + "}"
				}
			}
			return "tpl" // a word, so that http://{{ .Release.Name }}-minio:9000 still reads as a host
		})
	}
	e := newEditor([]byte(strings.Join(lines, "\n")), YAML)
	if d := e.endpointIn(0, len(e.lines)-1); d != "" {
		return d
	}
	if d := e.imageEndpoint(0, len(e.lines)-1); d != "" {
		return d
	}
	// A storage address given at install time: S3_URL, MINIO_HOST set to
	// a value of the chart (name: with value: on the next line, or name:
	// value in a ConfigMap's data).
	for i, l := range lines {
		if m := yamlName.FindStringSubmatch(l); m != nil && i+1 < len(lines) && storageSettingName(m[1]) &&
			strings.Contains(lines[i+1], "value:") && strings.Contains(lines[i+1], "${") {
			return shorten(m[1]+" = "+strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i+1]), "value:"))) + ", where the chart's value puts a storage address"
		}
		for _, m := range anySetting.FindAllStringSubmatch(l, -1) {
			if storageSettingName(m[1]) && strings.Contains(m[2], "${") {
				return shorten(m[1]+" = "+m[2]) + ", where the chart's value puts a storage address"
			}
		}
	}
	return ""
}

// HelmTemplateReason is the reason the keys of a values file stay when a
// template of its chart (file) sets an endpoint (what).
func HelmTemplateReason(what, file string) string {
	return customEndpoint(what + ", in the template " + file + " of the chart that renders these values, which may give it " +
		"these keys' client")
}

// HelmUnreadTemplatesReason is the reason given for keys of a values file
// named alone beside its chart's templates (dir), which keyscan fix did
// not read.
func HelmUnreadTemplatesReason(dir string) string {
	return customEndpoint("maybe: the chart's templates (" + dir + "), which may set an endpoint for these keys' client or read " +
		"them by their paths, were not read (the file was named alone: name the chart's folder)")
}

// helmReadsFirst orders the reads of a template for the value at path
// name: those that name it (or a value below it) first, then the others.
// A read through a map the change deletes counts only when it names no
// value among defs: a sibling that is read is held itself, and its map
// then stays.
func helmReadsFirst(reads []HelmRead, name string, defs []Definition) []HelmRead {
	var direct, other []HelmRead
	for _, r := range reads {
		switch {
		case r.Path == name || strings.HasPrefix(r.Path, name+"."):
			direct = append(direct, r)
		case !r.Dynamic && helmNamesDef(r.Path, defs):
		default:
			other = append(other, r)
		}
	}
	return append(direct, other...)
}

// helmNamesDef reports whether p names a Helm value among defs or a
// value below one.
func helmNamesDef(p string, defs []Definition) bool {
	for _, d := range defs {
		if d.Kind == HelmValue && (p == d.Name || strings.HasPrefix(p, d.Name+".")) {
			return true
		}
	}
	return false
}

// ChartStorage describes an S3-compatible service that a Chart.yaml
// (content chart) pulls in as a dependency (dependencies: - name: minio,
// or a repository or alias that names one), which helm dependency build
// puts under charts/ and whose service the chart's templates may give
// these keys' client; "" when none, or when its condition: is false in
// values (the values file being fixed).
func ChartStorage(chart, values []byte) string {
	var c struct {
		Dependencies []struct {
			Name, Alias, Repository, Condition string
		} `yaml:"dependencies"`
	}
	if yaml.Unmarshal(chart, &c) != nil {
		return ""
	}
	var v map[string]any
	yaml.Unmarshal(values, &v)
	for _, d := range c.Dependencies {
		if !storageWord(d.Name) && !storageWord(d.Alias) && !storageWord(d.Repository) && !strings.Contains(strings.ToLower(d.Repository), "min.io") {
			continue
		}
		if d.Condition != "" && valueAt(v, d.Condition) == false {
			continue
		}
		return shorten("the chart depends on " + d.Name + " (Chart.yaml dependencies:, " + d.Repository + ")")
	}
	return ""
}

// valueAt returns the value at the dotted path p of values, or nil.
func valueAt(values map[string]any, p string) any {
	var node any = values
	for _, k := range strings.Split(p, ".") {
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[k]
	}
	return node
}

// ChartStorageReason is the reason the keys of a values file stay when its
// chart (file, a Chart.yaml) depends on an S3-compatible service (what).
func ChartStorageReason(what, file string) string {
	return customEndpoint("maybe: " + what + ", in " + file + ": the chart runs that service, and its templates may give " +
		"these keys to a client of it")
}

// HelmOverrideDefinitions returns the Helm values that the change of a
// file helm install -f takes as values (a chart's envs/prod.yaml, whatever
// its name) removes: its settings by their dotted paths, as Definitions
// gives them for a values*.yaml. A template that reads one with required
// fails once it is gone.
func HelmOverrideDefinitions(name string, content []byte, fixed scanner.Findings) []Definition {
	dir, base := path.Split(strings.ReplaceAll(name, `\`, "/"))
	var out []Definition
	for _, d := range Definitions(dir+"values-"+base, content, fixed) {
		if d.Kind == HelmValue {
			d.File = name
			out = append(out, d)
		}
	}
	return out
}
