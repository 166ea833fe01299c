package fix

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// A removal can break what reads the removed setting by name: a
// Kubernetes Secret's key that a Deployment reads with secretKeyRef (the
// pod is then never created: CreateContainerConfigError), a Helm value a
// template reads (`required` fails, or the Secret it fills is empty), a
// .env variable a compose file interpolates (${VAR:?} stops compose), a
// shell variable the script expands later (set -u stops it), a .tfvars
// value whose variable has no default (terraform then asks for it).
// Definitions names what a change removes that something may read by name;
// References finds where a file reads one. keyscan fix looks for the
// references in every file of the run and leaves a definition that is
// still read for a person (Options.Hold), so that a written change never
// leaves a dangling reference. The one reference removed with its
// definition is the env entry of a Secret's key in the same file
// (dropSecretRefs): the container then gets no variable and its SDK
// falls back to the default chain, as when the key was in a value: entry.

// DefKind is the kind of a removed definition.
type DefKind int

const (
	// SecretKey is a key of a Kubernetes Secret (data:, stringData:) or of
	// a kustomize secretGenerator's literals; Scope is the Secret's name.
	SecretKey DefKind = iota + 1
	// EnvVar is a variable of a .env file or a shell script.
	EnvVar
	// HelmValue is a value of a Helm chart's values file; Name is its
	// dotted path (aws.accessKeyId).
	HelmValue
	// TFVar is a Terraform variable given a value in a .tfvars file.
	TFVar
	// CFNParam is a CloudFormation parameter's value: a template's
	// Default (Scope "Default") or a parameters file's (Scope "value").
	CFNParam
	// TemplateVar is a key of a YAML variable file (Ansible's group_vars,
	// host_vars, a role's vars or defaults) that a Jinja template may read
	// by name ({{ NAME }}); Name is its dotted path (jinja.go).
	TemplateVar
	// AppSetting is a setting of an application's configuration file
	// (Spring's application.yml or a .properties file, node-config's
	// config/default.json, .NET's appsettings.json, any other YAML or
	// JSON file that is no manifest, values file, compose file or CI
	// file) that code may read by name (appsettings.go); Name is its
	// dotted path (aws.accessKey).
	AppSetting
	// CIVar is a variable of a GitLab CI job's variables: (Scope the job,
	// a hidden template .name or not) or of the top-level variables:
	// (Scope ""), which other jobs take by name (gitlabrefs.go).
	CIVar
	// ProgramEnv is a variable that a deployment sets in a program's
	// environment: a Kubernetes container's env: name/value pair, a
	// compose service's environment: entry (map or list form), an ECS or
	// CloudFormation container definition's Environment Name/Value, any
	// other YAML env:/environment: map. The program reads it from its
	// environment, as it would a .env variable (qa26 M3): code that reads
	// it by name with no default fails without it (CodeIndex).
	ProgramEnv
	// ConfigMapKey is a key of a Kubernetes ConfigMap's data:; Scope is the
	// ConfigMap's name. A container that takes the ConfigMap into its
	// environment (envFrom: configMapRef, configMapKeyRef) gets it as a
	// variable, which code may read by name (qa27 M2).
	ConfigMapKey
)

// Definition is a setting that a change removes and that other parts of
// the configuration may read by name.
type Definition struct {
	Kind  DefKind
	Scope string // SecretKey: the Secret's name
	Name  string
	File  string
	Line  int   // 1-based line of the removed setting
	Held  []int // offsets of the findings whose removal removes it
	// Gone, for a HelmValue, are the maps above it that the change leaves
	// empty and deletes with it (HelmGone): a template that reads another
	// value inside one then fails.
	Gone []string
}

// Describe names the definition as a person knows it.
func (d Definition) Describe() string {
	switch d.Kind {
	case SecretKey:
		return fmt.Sprintf("key %s of the Secret %s", d.Name, d.Scope)
	case ConfigMapKey:
		return fmt.Sprintf("key %s of the ConfigMap %s", d.Name, d.Scope)
	case EnvVar, ProgramEnv:
		return "variable " + d.Name
	case HelmValue:
		return "value " + d.Name
	case TFVar:
		return "Terraform variable " + d.Name
	case TemplateVar:
		return "variable " + d.Name
	case AppSetting:
		return "setting " + d.Name
	case CIVar:
		if d.Scope == "" {
			return "top-level variable " + d.Name
		}
		return "variable " + d.Name + " of the job " + d.Scope
	case CFNParam:
		if d.Scope == "Default" {
			return "Default of CloudFormation parameter " + d.Name
		}
		return "value of CloudFormation parameter " + d.Name
	}
	return d.Name
}

// Reference is a place that reads a definition.
type Reference struct {
	Def  int // index of the definition in the list asked about
	File string
	Line int    // 1-based
	What string // what reads it (secretKeyRef aws/KEY, ${KEY}, .Values.x)
	// Drop: an env entry that only reads this key (DropSecretReaders
	// removes it with the key).
	Drop bool
	// Code: application code reads it by name (CodeIndex).
	Code bool
	// Default: the code reads it with a default other than nothing,
	// which it then builds credentials from (defaultEnvRead).
	Default bool
	// Static: Go or JavaScript code passes what it reads with no
	// default ("", undefined) straight into static credentials
	// (staticEnvReads).
	Static bool
	// Endpoint is the custom endpoint the reader sets beside what it
	// reads (a GitLab CI job's AWS_ENDPOINT_URL): the value is that
	// service's.
	Endpoint string
}

// Definitions returns the settings that the change of the file called
// name removes (its findings fixed), that something may read by name.
// content is the file before the change.
func Definitions(name string, content []byte, fixed scanner.Findings) []Definition {
	if len(fixed) == 0 {
		return nil
	}
	syn := Detect(name, content)
	e := newEditor(content, syn)
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	var out []Definition
	index := map[[3]string]int{}
	add := func(d Definition, f scanner.Finding) {
		key := [3]string{fmt.Sprint(d.Kind), d.Scope, d.Name}
		if k, ok := index[key]; ok {
			out[k].Held = append(out[k].Held, f.Offset)
			return
		}
		index[key] = len(out)
		d.File, d.Held = name, []int{f.Offset}
		out = append(out, d)
	}
	workflow := syn == YAML && (workflowFile(name) || e.workflowContent())
	compose := syn == YAML && composeFile(name)
	for _, f := range fixed {
		i := e.lineAt(f.Offset)
		switch syn {
		case JSON:
			if d, ok := cfnDefinitionJSON(content, f); ok {
				d.Line = f.Line
				add(d, f)
				continue
			}
			if tfvarsJSONFile(name) {
				if keys, _, ok := jsonKeys(content, f); ok && len(keys) == 1 {
					add(Definition{Kind: TFVar, Name: keys[0], Line: f.Line}, f)
				}
				continue
			}
			if keys, t, ok := jsonKeys(content, f); ok && !strings.HasSuffix(base, ".tf.json") {
				if n := programEnvJSON(content, keys, t); n != "" {
					add(Definition{Kind: ProgramEnv, Name: n, Line: f.Line}, f)
				}
			}
			if keys, _, ok := jsonKeys(content, f); ok && !slices.Contains(keys, "[]") && !strings.HasSuffix(base, ".tf.json") {
				add(Definition{Kind: AppSetting, Name: strings.Join(keys, "."), Line: f.Line}, f)
			}
		case YAML:
			if d, ok := e.cfnDefinitionYAML(i); ok {
				d.Line = e.keyLine(i) + 1
				add(d, f)
				continue
			}
			p := e.yamlPath(i)
			if len(p) == 0 {
				continue
			}
			leaf := p[len(p)-1]
			kind, sname, rp := e.manifestAt(i, p)
			if strings.EqualFold(kind, "Secret") && len(rp) == 2 && (rp[0] == "data" || rp[0] == "stringData") {
				add(Definition{Kind: SecretKey, Scope: sname, Name: leaf, Line: e.keyLine(i) + 1}, f)
				continue
			}
			if strings.EqualFold(kind, "ConfigMap") && len(rp) == 2 && rp[0] == "data" {
				add(Definition{Kind: ConfigMapKey, Scope: sname, Name: leaf, Line: e.keyLine(i) + 1}, f)
				continue
			}
			if isKustomization(base) && len(p) == 4 && p[0] == "secretGenerator" && p[2] == "literals" {
				if sname := e.generatorName(i); sname != "" {
					add(Definition{Kind: SecretKey, Scope: sname, Name: leaf, Line: i + 1}, f)
				}
				continue
			}
			if gitlabFile(name) || len(p) >= 3 && strings.HasPrefix(p[0], ".") && p[1] == "variables" {
				// A hidden job's variables: a GitLab CI template, also in a
				// file included under another name (include: local: ci/templates.yml).
				if len(p) > 1 && p[len(p)-1] == "value" {
					p = p[:len(p)-1] // NAME: {value: …, description: …}
				}
				switch {
				case len(p) == 2 && p[0] == "variables":
					add(Definition{Kind: CIVar, Name: p[1], Line: e.keyLine(i) + 1}, f)
				case len(p) == 3 && p[1] == "variables":
					add(Definition{Kind: CIVar, Scope: p[0], Name: p[2], Line: e.keyLine(i) + 1}, f)
				}
				continue
			}
			if workflow && len(p) >= 2 && p[len(p)-2] == "env" {
				// A workflow's, job's or step's env: its steps expand it
				// ($NAME in a run:, ${{ env.NAME }}), as a script does.
				add(Definition{Kind: EnvVar, Name: leaf, Line: e.keyLine(i) + 1}, f)
				continue
			}
			if n := e.programEnvAt(i, p, compose); n != "" {
				add(Definition{Kind: ProgramEnv, Name: n, Line: e.keyLine(i) + 1}, f)
			}
			if kind, _ := e.docKind(i); kind == "" && templateVarFile(base) && !slices.Contains(p, "[]") {
				add(Definition{Kind: TemplateVar, Name: strings.Join(p, "."), Line: e.keyLine(i) + 1}, f)
				add(Definition{Kind: AppSetting, Name: strings.Join(p, "."), Line: e.keyLine(i) + 1}, f)
			}
			if strings.HasPrefix(base, "values") {
				var clean []string
				for _, k := range p {
					if k == "[]" {
						clean = nil // a value inside a list is read by index or range, not by path
						break
					}
					clean = append(clean, k)
				}
				if clean != nil {
					add(Definition{Kind: HelmValue, Name: strings.Join(clean, "."), Line: e.keyLine(i) + 1}, f)
				}
			}
		case Properties:
			if a, ok := e.parseAssign(i); ok {
				add(Definition{Kind: AppSetting, Name: a.key, Line: i + 1}, f)
			}
		case Env:
			if a, ok := e.parseAssign(i); ok && shellName(a.key) {
				add(Definition{Kind: EnvVar, Name: a.key, Line: i + 1}, f)
			}
		case Dockerfile:
			// ENV and ARG set variables that the later instructions of the
			// Dockerfile expand ($AWS_ACCESS_KEY_ID in a RUN, an ENV built
			// from an ARG): a RUN aws configure set ... "$VAR" would store
			// an empty key, and the build fail.
			if n := dockerVarAt(content, e.lines[i].start, f.Offset); n != "" {
				add(Definition{Kind: EnvVar, Name: n, Line: i + 1}, f)
			}
		case HCL:
			if strings.HasSuffix(base, ".tfvars") {
				if a, ok := e.parseAssign(i); ok {
					add(Definition{Kind: TFVar, Name: a.key, Line: i + 1}, f)
				}
			}
		}
	}
	return out
}

// dockerVar and dockerLegacyVar read the name of the variable whose value
// starts where the text ends: NAME= (ENV, ARG, one pair of several, a line
// continued with \) or ENV NAME value.
var (
	dockerVar       = lazyre.New(`(?:^|[\s])([A-Za-z_][A-Za-z0-9_]*)=["']?$`)
	dockerLegacyVar = lazyre.New(`(?i)^[ \t]*(?:ENV|ARG)[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+["']?$`)
)

// dockerVarAt returns the name of the ENV or ARG variable whose value
// starts at off, on the line that starts at ls; "" when it is none.
func dockerVarAt(content []byte, ls, off int) string {
	if off < ls || off > len(content) {
		return ""
	}
	before := string(content[ls:off])
	if m := dockerVar.FindStringSubmatch(before); m != nil {
		return m[1]
	}
	if m := dockerLegacyVar.FindStringSubmatch(before); m != nil {
		return m[1]
	}
	return ""
}

func isKustomization(base string) bool {
	return base == "kustomization.yaml" || base == "kustomization.yml" || base == "kustomization"
}

var shellNameRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

func shellName(s string) bool { return shellNameRE.MatchString(s) }

// yamlPath returns the keys from the document's top to the setting on
// line i (a list item is "[]"); for a line inside a block scalar, the
// path of its key.
func (e *editor) yamlPath(i int) []string {
	var rev []string
	j := i
	if a, ok := e.parseAssign(i); ok {
		rev = append(rev, a.key)
		j = e.parent(i)
	} else {
		j = e.parent(i)
		if j < 0 {
			return nil
		}
		a, ok := e.parseAssign(j)
		if !ok {
			return nil
		}
		rev = append(rev, a.key)
		j = e.parent(j)
	}
	for ; j >= 0; j = e.parent(j) {
		if docBreak(e.text(j)) {
			break
		}
		if _, item := e.itemIndent(j); item {
			rev = append(rev, "[]")
			continue
		}
		a, ok := e.parseAssign(j)
		if !ok {
			return nil
		}
		rev = append(rev, a.key)
	}
	slices.Reverse(rev)
	return rev
}

// keyLine is the line of the key of the setting on line i: i itself, or
// for a line of a block scalar the key above it.
func (e *editor) keyLine(i int) int {
	if _, ok := e.parseAssign(i); ok {
		return i
	}
	if p := e.parent(i); p >= 0 {
		return p
	}
	return i
}

// docRange returns the first and last lines of the YAML document holding
// line i.
//
// The file's text never changes under an editor (lines are only marked
// for deletion), so the documents are found once, on first use: every
// finding of a compose file or manifest asks, and a walk to the
// document's ends per question made keyscan fix quadratic in the keys of
// one document (qa17 H9: 800 services, 16 CPU s).
func (e *editor) docRange(i int) (int, int) {
	if e.docFirst == nil {
		e.docFirst, e.docLast = make([]int, len(e.lines)), make([]int, len(e.lines))
		first := 0
		for j := range e.lines {
			if j > 0 && docBreak(e.text(j-1)) {
				first = j
			}
			e.docFirst[j] = first
		}
		last := len(e.lines) - 1
		for j := len(e.lines) - 1; j >= 0; j-- {
			if j+1 < len(e.lines) && docBreak(e.text(j+1)) {
				last = j
			}
			e.docLast[j] = last
		}
	}
	return e.docFirst[i], e.docLast[i]
}

// docKind returns the top-level kind: and metadata.name of the document
// holding line i, read once per document (see docRange).
func (e *editor) docKind(i int) (kind, name string) {
	first, _ := e.docRange(i)
	if k, ok := e.docKinds[first]; ok {
		return k[0], k[1]
	}
	kind, name = e.readDocKind(i)
	if e.docKinds == nil {
		e.docKinds = map[int][2]string{}
	}
	e.docKinds[first] = [2]string{kind, name}
	return kind, name
}

func (e *editor) readDocKind(i int) (kind, name string) {
	first, last := e.docRange(i)
	inMeta := false
	for j := first; j <= last; j++ {
		if !e.isContent(j) {
			continue
		}
		s := e.text(j)
		d := indentOf(s)
		a, ok := e.parseAssign(j)
		if d == 0 {
			inMeta = ok && a.key == "metadata"
			if n, flow := flowField(a.inner, "name"); inMeta && flow {
				name = n // metadata: {name: aws} (qa13 MEDIUM-14)
			}
			if ok && a.key == "kind" {
				kind = unquote(a.inner)
			}
			continue
		}
		if inMeta && ok && a.key == "name" && d == e.metaIndent(j) {
			name = unquote(a.inner)
		}
	}
	return kind, name
}

// manifestAt returns the kind: and metadata.name of the manifest holding
// line i, whose path from the document's top is p, and the path from that
// manifest's top: the document itself, or, in a list document (kind: List
// or any *List kind, as kubectl get -o yaml writes it), the item of its
// items: that holds the line, which kubectl applies as a document of its
// own (qa12 MEDIUM-22).
func (e *editor) manifestAt(i int, p []string) (kind, name string, rp []string) {
	kind, name = e.docKind(i)
	if len(p) < 3 || p[0] != "items" || p[1] != "[]" || !strings.HasSuffix(kind, "List") {
		return kind, name, p
	}
	first, last, ok := e.listDocItem(i)
	if !ok {
		return kind, name, p
	}
	kind, name = e.itemKind(first, last)
	return kind, name, p[2:]
}

// listDocItem returns the first and last lines of the item of a list
// document's top-level items: that holds line i.
func (e *editor) listDocItem(i int) (first, last int, ok bool) {
	j := i
	for {
		pj := e.parent(j)
		if pj < 0 {
			return 0, 0, false
		}
		if _, item := e.itemIndent(pj); !item && indentOf(e.text(pj)) == 0 {
			if a, ok := e.parseAssign(pj); !ok || a.key != "items" {
				return 0, 0, false
			}
			break
		}
		j = pj
	}
	if _, item := e.itemIndent(j); !item {
		return 0, 0, false
	}
	d, _ := e.itemIndent(j)
	last = j
	for k := j + 1; k < len(e.lines) && !docBreak(e.text(k)); k++ {
		if !e.isContent(k) {
			continue
		}
		if indentOf(e.text(k)) <= d {
			break
		}
		last = k
	}
	return j, last, true
}

// itemKind returns the kind: and metadata.name of the manifest that is
// the list item first..last.
func (e *editor) itemKind(first, last int) (kind, name string) {
	ci := e.contentIndent(first)
	inMeta, metaIndent := false, -1
	for j := first; j <= last; j++ {
		if !e.isContent(j) {
			continue
		}
		d := indentOf(e.text(j))
		if j == first {
			d = ci
		}
		a, ok := e.parseAssign(j)
		if d == ci {
			inMeta = ok && a.key == "metadata"
			metaIndent = -1
			if n, flow := flowField(a.inner, "name"); inMeta && flow {
				name = n
			}
			if ok && a.key == "kind" {
				kind = unquote(a.inner)
			}
			continue
		}
		if !inMeta || d < ci {
			continue
		}
		if metaIndent < 0 {
			metaIndent = d
		}
		if ok && a.key == "name" && d == metaIndent {
			name = unquote(a.inner)
		}
	}
	return kind, name
}

// metaIndent is the indentation of the first child of the top-level key
// above line j.
func (e *editor) metaIndent(j int) int {
	for k := j; k > 0; k-- {
		if indentOf(e.text(k-1)) == 0 && e.isContent(k-1) {
			for m := k; m <= j; m++ {
				if e.isContent(m) {
					return indentOf(e.text(m))
				}
			}
		}
	}
	return -1
}

// generatorName returns the name: of the kustomize secretGenerator item
// whose literals hold line i.
func (e *editor) generatorName(i int) string {
	lit := e.parent(i)
	if lit < 0 {
		return ""
	}
	item := e.parent(lit)
	for item >= 0 {
		if _, ok := e.itemIndent(item); ok {
			break
		}
		item = e.parent(item)
	}
	if item < 0 {
		return ""
	}
	first, last, ok := e.listItem(item)
	if !ok {
		return ""
	}
	if nl, ok := e.itemKeys(first, last)["name"]; ok {
		if a, ok := e.parseAssign(nl); ok {
			return unquote(a.inner)
		}
	}
	return ""
}

func unquote(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }

// References returns where the file called name, with content data,
// reads one of defs (Reference.Def is its index in defs). A file reads its
// own definitions too (a Secret and the Deployment that reads it in one
// manifest, a script that expands the variable it set): pass the file's
// content after the change.
func References(name string, data []byte, defs []Definition) []Reference {
	if len(defs) == 0 || len(data) == 0 {
		return nil
	}
	var out []Reference
	text := string(data)
	lineOf := lineFinder(text)
	compose := composeFile(name)
	var secretRefs []secretRef
	secretsRead := false
	var expansions map[string][]int // variable: offsets of $VAR and ${VAR
	var helmReads []HelmRead
	helmRead := false
	var jinja map[string][]int // variable: offsets of {{ VAR
	ciRead := false
	for k, d := range defs {
		switch d.Kind {
		case SecretKey:
			if !secretsRead {
				secretsRead = true
				if syn := Detect(name, data); syn == YAML || syn == JSON || strings.HasSuffix(strings.ToLower(name), ".tpl") {
					secretRefs = readSecretRefs(data)
					if syn == YAML {
						e := newEditor(data, YAML)
						for i := range secretRefs {
							_, _, secretRefs[i].entry = e.envEntryOnly(secretRefs[i])
						}
					}
				}
			}
			for _, r := range secretRefs {
				// A Secret mounted whole as files: its keys are files
				// that a program opens by name (optional: true only lets
				// the pod start without them), and no SDK's default
				// chain reads them, so a removed key is a missing file.
				if !r.whole && (r.optional || !slices.Contains(r.keys, d.Name)) {
					continue
				}
				if r.name != d.Scope && !strings.Contains(r.name, "{{") && r.name != "" {
					continue
				}
				out = append(out, Reference{Def: k, File: name, Line: r.line + 1, What: r.what + " " + r.name + "/" + d.Name,
					Drop: r.entry && r.name == d.Scope})
			}
		case EnvVar:
			// Read by the script itself, or interpolated by a compose
			// file; another script does not see this file's variables
			// unless it sources it, which keyscan does not follow.
			if name != d.File && !compose && !(Detect(d.File, nil) == YAML && ciReader(name, data, d.File, false)) {
				continue
			}
			if expansions == nil {
				// Once per file: every variable of a .env file of 40,000
				// pairs asks (qa10 MEDIUM-13 made that quadratic once).
				expansions = shellExpansions(text)
			}
			for _, at := range expansions[d.Name] {
				if compose && at > 0 && text[at-1] == '$' {
					continue // $$NAME: compose's escape, which it does not interpolate
				}
				out = append(out, Reference{Def: k, File: name, Line: lineOf(at), What: expansionAt(text, at)})
			}
		case ProgramEnv:
			// Read in the deployment itself: Kubernetes expands $(NAME)
			// in a container's command:, args: and later env values
			// from its env, and passes an undefined one on as the text
			// $(NAME); a compose service's command: that a shell runs
			// in the container expands $$NAME (compose's escape of $).
			if name != d.File || !strings.Contains(text, d.Name) {
				continue
			}
			for _, at := range dependentReads(text, d.Name, compose) {
				out = append(out, Reference{Def: k, File: name, Line: lineOf(at), What: dependentWhat(text, at)})
			}
		case CIVar:
			// A job's script expands the variable in its own file
			// (mc alias set s3 URL $AWS_ACCESS_KEY_ID ...): without it, an
			// empty value.
			if name == d.File || compose && sameProject(name, d.File) || ciReader(name, data, d.File, true) {
				if expansions == nil {
					expansions = shellExpansions(text)
				}
				for _, at := range expansions[d.Name] {
					out = append(out, Reference{Def: k, File: name, Line: lineOf(at), What: expansionAt(text, at)})
				}
			}
			if !ciRead {
				ciRead = true
				if gitlabFile(name) {
					var ks []int
					for j, dj := range defs {
						if dj.Kind == CIVar && samePipeline(name, dj.File) {
							ks = append(ks, j)
						}
					}
					out = append(out, gitlabReferences(name, data, defs, ks)...)
				}
			}
		case TemplateVar:
			if jinja == nil {
				jinja = jinjaReads(text)
			}
			for _, at := range jinja[d.Name] {
				out = append(out, Reference{Def: k, File: name, Line: lineOf(at), What: "{{ " + d.Name + " }}"})
			}
		case CFNParam:
			if !strings.Contains(text, d.Name) || !cfnTemplate(data) {
				continue
			}
			for _, m := range cfnReaders(text, d.Name) {
				out = append(out, Reference{Def: k, File: name, Line: lineOf(m[0]), What: cfnWhat(text[m[0]:m[1]], d.Name)})
			}
		case HelmValue:
			if !strings.Contains(text, ".Values") {
				continue
			}
			if !helmRead {
				helmRead, helmReads = true, HelmTemplateReads(data)
			}
			found := false
			for _, r := range helmReadsFirst(helmReads, d.Name, defs) {
				if ok, needs := helmReadsValue(r, d.Name, d.Gone); ok {
					what := r.What
					switch {
					case needs != d.Name:
						what += ", which fails (nil pointer) once the change deletes the emptied map " + needs
					case r.Dynamic:
						what += ", which hands .Values." + r.Path + " to what keyscan fix does not follow (a named template, tpl, index by a variable)"
					}
					out = append(out, Reference{Def: k, File: name, Line: r.Line, What: what})
					found = true
					break
				}
			}
			if found || !strings.Contains(text, ".Values."+d.Name) {
				continue
			}
			// Outside an action keyscan reads (a template in a string, a
			// .Values path in a comment it cannot tell from one): the text.
			re := lazyre.New(`\.Values\.` + regexp.QuoteMeta(d.Name) + `(?:[^A-Za-z0-9_]|$)`)
			for _, m := range re.FindAllStringIndex(text, -1) {
				out = append(out, Reference{Def: k, File: name, Line: lineOf(m[0]), What: ".Values." + d.Name})
			}
		}
	}
	return out
}

// shellExpansion matches $VAR and ${VAR (then }, :-, :?, ...).
var shellExpansion = lazyre.New(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// envExpression matches a GitHub Actions expression's read of the env
// context, ${{ env.NAME }} or ${{ env['NAME'] }}, with NAME (the first
// group or the second). psExpansion matches PowerShell's $env:NAME and
// cmdExpansion cmd's %NAME%: a Windows runner's step reads the variable
// so (review15 C-6: those reads were not counted, and the keys went).
var (
	envExpression = lazyre.New(`\$\{\{[^}\n]*?\benv(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[[ \t]*'([A-Za-z_][A-Za-z0-9_]*)'[ \t]*\])`)
	psExpansion   = lazyre.New(`(?i)\$env:([A-Za-z_][A-Za-z0-9_]*)`)
	cmdExpansion  = lazyre.New(`%([A-Za-z_][A-Za-z0-9_]*)%`)
)

// shellExpansionAt and the others are anchored at the start: expansionAt
// asks at an offset each found, and an unanchored search from there read
// the rest of the file per expansion (12,000 reads of a CI variable took
// seconds; review15 C-3).
var (
	shellExpansionAt = lazyre.New(`^` + shellExpansion.String())
	envExpressionAt  = lazyre.New(`^` + envExpression.String())
	psExpansionAt    = lazyre.New(`^` + psExpansion.String())
	cmdExpansionAt   = lazyre.New(`^` + cmdExpansion.String())
)

// shellExpansions maps each variable that text expands ($VAR, ${VAR},
// ${{ env.VAR }}, ${{ env['VAR'] }}, $env:VAR, %VAR%) to the offsets of
// its expansions.
func shellExpansions(text string) map[string][]int {
	out := map[string][]int{}
	for _, re := range []*lazyre.Regexp{shellExpansion, envExpression, psExpansion, cmdExpansion} {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			g := 2
			if m[g] < 0 {
				g = 4 // env['NAME']
			}
			v := text[m[g]:m[g+1]]
			out[v] = append(out[v], m[0])
		}
	}
	return out
}

// expansionAt shows the expansion of shellExpansions at offset at.
func expansionAt(text string, at int) string {
	if m := envExpressionAt.FindStringSubmatch(text[at:]); m != nil {
		if m[1] == "" {
			return "${{ env['" + m[2] + "'] }}"
		}
		return "${{ env." + m[1] + " }}"
	}
	if m := psExpansionAt.FindStringSubmatch(text[at:]); m != nil {
		return "$env:" + m[1]
	}
	if m := cmdExpansionAt.FindStringSubmatch(text[at:]); m != nil {
		return "%" + m[1] + "%"
	}
	m := shellExpansionAt.FindStringSubmatch(text[at:])
	if m == nil {
		return ""
	}
	if text[at+1] == '{' {
		return "${" + m[1]
	}
	return "$" + m[1]
}

// commandKey matches a YAML key whose value is commands a shell runs (a
// CI job's script:, a step's run:, a task's cmds:).
var commandKey = lazyre.New(`(?m)^[ \t]*(?:-[ \t]+)?(?:script|before_script|after_script|run|cmds?|commands?)[ \t]*:`)

// RunsCommands reports whether the file called name (content data) runs
// commands in the environment of a CI job that sets variables in another
// file (fix23: a workflow's env: or a GitLab job's variables: read by
// ./scripts/deploy.sh, or by a job of an included file, went unseen, and
// the keys were removed from under mc alias set ... $AWS_ACCESS_KEY_ID): a
// shell script or Makefile, or a YAML file with commands (an included
// GitLab CI file, a composite action, a Taskfile). Which of them the job
// runs is not followed: any of the run counts, the safe side. go fix asks
// it of the file a hosted CI job's step runs (make sync,
// ./scripts/nightly.sh, task nightly) for a go run of the program there
// (analyzer/ciscript.go).
func RunsCommands(name string, data []byte) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	switch path.Ext(b) {
	case ".sh", ".bash", ".zsh", ".ksh", ".mk", ".ps1":
		return true
	case ".yml", ".yaml":
		return commandKey.Match(data)
	case "":
		return makefile(b) || bytes.HasPrefix(data, []byte("#!"))
	}
	return false
}

// ciReader reports whether the file called name (content data) may run
// in the environment of a job whose variables the CI file def sets (a
// GitLab CI file when gitlab, else a GitHub workflow): a file that runs
// commands (RunsCommands) in def's project, but not another workflow
// (workflows share no env:), nor a GitLab CI file of another pipeline.
func ciReader(name string, data []byte, def string, gitlab bool) bool {
	if !RunsCommands(name, data) || !sameProject(name, def) || workflowFile(name) {
		return false
	}
	if gitlabFile(name) {
		return gitlab && samePipeline(name, def)
	}
	return true
}

// sameProject reports whether the file reader is in the project of the CI
// file def: below the folder that holds its .github (or .gitlab) folder,
// or its own folder.
func sameProject(reader, def string) bool {
	root := path.Dir(def)
	for _, d := range []string{"/.github/", "/.gitlab/"} {
		if i := strings.Index("/"+def, d); i >= 0 {
			root = path.Clean("." + "/" + def[:max(i-1, 0)])
		}
	}
	return root == "." || strings.HasPrefix(reader, root+"/")
}

// composeFile reports whether name is a docker compose file, which
// interpolates ${VAR} from the .env file beside it.
func composeFile(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	return strings.Contains(b, "compose") && (strings.HasSuffix(b, ".yml") || strings.HasSuffix(b, ".yaml"))
}

// secretRef is a place that reads keys of a Secret by name: an env
// entry's secretKeyRef, a secret volume's or projection's items.
type secretRef struct {
	line     int // 0-based, of the secretKeyRef:/secret: key
	last     int // last line of its block
	name     string
	keys     []string
	optional bool
	what     string
	entry    bool // read through an env entry of nothing else (envEntryOnly)
	// whole: a secret volume or projection without items:, which mounts
	// every key as a file; a program reads each file by its name.
	whole bool
}

// flowField returns the value of key in v when v is a one-line flow
// mapping ({name: aws, namespace: storage}), as generated and compact
// manifests write metadata.
func flowField(v, key string) (string, bool) {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "{") || !strings.HasSuffix(v, "}") {
		return "", false
	}
	for _, kv := range strings.Split(v[1:len(v)-1], ",") {
		if k, val, ok := strings.Cut(kv, ":"); ok && unquote(strings.TrimSpace(k)) == key {
			return unquote(strings.TrimSpace(val)), true
		}
	}
	return "", false
}

// flowValueOf returns the flow mapping {…} that key holds inside the
// flow mapping v ({key: {…}, …}), braces included.
func flowValueOf(v, key string) (string, bool) {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "{") {
		return "", false
	}
	i := strings.Index(v, key)
	if i < 0 {
		return "", false
	}
	rest := strings.TrimLeft(strings.TrimPrefix(v[i+len(key):], `"`), " ")
	if !strings.HasPrefix(rest, ":") {
		return "", false
	}
	rest = strings.TrimSpace(rest[1:])
	if !strings.HasPrefix(rest, "{") {
		return "", false
	}
	if j := strings.IndexByte(rest, '}'); j > 0 {
		return rest[:j+1], true
	}
	return "", false
}

// readSecretRefs finds the secretKeyRef and secret-volume blocks of a
// manifest (block or flow style).
func readSecretRefs(data []byte) []secretRef {
	e := newEditor(data, YAML)
	var out []secretRef
	for i := range e.lines {
		if !e.isContent(i) {
			continue
		}
		a, ok := e.parseAssign(i)
		if ok && unquote(a.key) == "valueFrom" {
			// valueFrom: {secretKeyRef: {name: aws, key: K}}: the flow
			// mapping inside is read as a secretKeyRef: line's value.
			if inner, found := flowValueOf(a.inner, "secretKeyRef"); found {
				a.key, a.inner = "secretKeyRef", inner
			}
		}
		if !ok || (a.key != "secretKeyRef" && a.key != "secret" && a.key != `"secretKeyRef"` && a.key != `"secret"`) {
			continue
		}
		r := secretRef{line: i, last: i, what: unquote(a.key)}
		if a.key == "secret" {
			r.what = "secret volume items"
		}
		if v := strings.TrimSpace(a.inner); strings.HasPrefix(v, "{") {
			for _, kv := range strings.Split(strings.Trim(v, "{}"), ",") {
				k, val, _ := strings.Cut(kv, ":")
				switch unquote(k) {
				case "name", "secretName":
					r.name = unquote(val)
				case "key":
					r.keys = append(r.keys, unquote(val))
				case "optional":
					r.optional = unquote(val) == "true"
				}
			}
			r.whole = a.key != "secretKeyRef" && a.key != `"secretKeyRef"` && len(r.keys) == 0 && r.name != ""
			if r.whole {
				r.what = "secret volume"
			}
			out = append(out, r)
			continue
		}
		col := e.contentIndent(i)
		for j := i + 1; j < len(e.lines); j++ {
			if !e.isContent(j) {
				continue
			}
			if indentOf(e.text(j)) <= col {
				break
			}
			r.last = j
			c, ok := e.parseAssign(j)
			if !ok {
				continue
			}
			switch c.key {
			case "name", "secretName":
				if r.name == "" {
					r.name = unquote(c.inner)
				}
			case "key":
				r.keys = append(r.keys, unquote(c.inner))
			case "optional":
				r.optional = unquote(c.inner) == "true"
			}
		}
		if r.whole = a.key != "secretKeyRef" && a.key != `"secretKeyRef"` && len(r.keys) == 0 && r.name != ""; r.whole {
			r.what = "secret volume"
		}
		if len(r.keys) > 0 || r.whole {
			out = append(out, r)
		}
	}
	return out
}

// dropSecretRefs deletes, in a manifest whose change removes keys of a
// Secret it defines, the env entries of the same file that read those keys
// (name:, valueFrom: secretKeyRef: and nothing else): a secretKeyRef to a
// missing key stops the pod, while without the entry the container's SDK
// falls back to the default chain. Other readers (volume items, entries
// with more keys) stay, and keyscan fix leaves the keys for a person.
func (e *editor) dropSecretRefs(name string, fixed scanner.Findings) {
	var defs []Definition
	for _, d := range Definitions(name, e.data, fixed) {
		if d.Kind == SecretKey {
			defs = append(defs, d)
		}
	}
	e.dropReaders(defs)
}

// dropReaders deletes the env entries that only read a key of defs (a
// name: and a valueFrom: secretKeyRef: naming the Secret and the key, not
// optional), and returns how many it deleted.
func (e *editor) dropReaders(defs []Definition) int {
	if len(defs) == 0 || !strings.Contains(string(e.data), "secretKeyRef") {
		return 0
	}
	n := 0
	for _, r := range readSecretRefs(e.data) {
		hit := false
		for _, d := range defs {
			hit = hit || (d.Kind == SecretKey && len(r.keys) == 1 && d.Scope == r.name && d.Name == r.keys[0])
		}
		if !hit {
			continue
		}
		first, last, ok := e.envEntryOnly(r)
		if !ok {
			continue
		}
		for j := first; j <= last; j++ {
			e.deleteLine(j)
		}
		e.markParent(first)
		n++
	}
	return n
}

// envEntryOnly returns the lines of the env entry that r reads through, when
// the entry is only a name: and a valueFrom: secretKeyRef: (not optional):
// the entry whose removal leaves the container without the variable.
func (e *editor) envEntryOnly(r secretRef) (first, last int, ok bool) {
	if r.what != "secretKeyRef" || r.optional || len(r.keys) != 1 {
		return 0, 0, false
	}
	// secretKeyRef: under valueFrom: under the env item "- name: X", or
	// valueFrom: {secretKeyRef: {…}} on one line.
	vf := e.parent(r.line)
	if a, ok := e.parseAssign(r.line); ok && unquote(a.key) == "valueFrom" {
		vf = r.line
	}
	if vf < 0 {
		return 0, 0, false
	}
	if a, ok := e.parseAssign(vf); !ok || a.key != "valueFrom" {
		return 0, 0, false
	}
	first, last, ok = e.listItem(vf)
	if !ok || last != r.last {
		return 0, 0, false
	}
	keys := e.itemKeys(first, last)
	if _, named := keys["name"]; !named || len(keys) != 2 {
		return 0, 0, false
	}
	if _, v := keys["valuefrom"]; !v {
		return 0, 0, false
	}
	return first, last, true
}

// DropSecretReaders deletes from the manifest called name the env entries
// that only read a key of a Secret that the change of another file of the
// run removes (defs; a Secret and the Deployment that reads it in two
// files), as the change of a manifest deletes those of its own Secret. It
// returns the new content and how many entries went; the content as given
// when none did.
func DropSecretReaders(name string, data []byte, defs []Definition) ([]byte, int) {
	if syn := Detect(name, data); syn != YAML {
		return data, 0
	}
	e := newEditor(data, YAML)
	n := e.dropReaders(defs)
	if n == 0 {
		return data, 0
	}
	e.yamlCleanup()
	return e.apply(), n
}

// lineFinder returns a function that gives the 1-based line of an offset
// of text; the line breaks are found on its first call.
func lineFinder(text string) func(off int) int {
	var breaks []int
	return func(off int) int {
		if breaks == nil {
			breaks = []int{}
			for i := range len(text) {
				if text[i] == '\n' {
					breaks = append(breaks, i)
				}
			}
		}
		n, _ := slices.BinarySearch(breaks, off)
		return n + 1
	}
}

// dependentReads returns the offsets in a deployment's text of reads of
// the variable name that the deployment itself makes: Kubernetes'
// dependent variable $(NAME) (not $$(NAME), its escape), and in a compose
// file $$NAME or $${NAME}, which reach the container's shell as $NAME.
func dependentReads(text, name string, compose bool) []int {
	var out []int
	for _, form := range []string{"$(" + name + ")", "$$" + name, "$${" + name + "}"} {
		if form[1] == '$' && !compose {
			continue
		}
		for i := 0; ; {
			j := strings.Index(text[i:], form)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(form)
			if form[1] == '(' && at > 0 && text[at-1] == '$' {
				continue // $$(NAME): the text $(NAME)
			}
			if form[1] == '$' && form[2] != '{' && i < len(text) && (isNameByte(text[i])) {
				continue // $$NAMEX: another variable
			}
			out = append(out, at)
		}
	}
	return out
}

// dependentWhat names the read at offset at of text: $(NAME), $$NAME.
func dependentWhat(text string, at int) string {
	end := at + 2
	for end < len(text) && (isNameByte(text[end]) || text[end] == '(' || text[end] == ')' || text[end] == '{' || text[end] == '}' || text[end] == '$') {
		end++
		if text[end-1] == ')' || text[end-1] == '}' {
			break
		}
	}
	return text[at:end]
}
