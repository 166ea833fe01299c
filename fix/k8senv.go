package fix

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kubernetes manifests are often one resource per file (kustomize bases,
// Helm output split by kubectl-slice): a ConfigMap with
// AWS_ENDPOINT_URL: http://minio:9000, a Secret with the keys, a
// Deployment whose container takes both with envFrom:. The container's
// environment then holds the endpoint and the keys, though no one file
// does (qa12 MEDIUM-1 (a)). EnvSources reads the ConfigMaps and Secrets of
// a manifest with the endpoints their data sets; Containers reads the
// containers of a workload with the ConfigMaps and Secrets they take their
// environment from. keyscan fix (cmd/keyscan/fixk8s.go) joins the two over
// the files of the run, so that keys whose container also gets an
// endpoint stay for a person, as they do when the endpoint is in the
// container's own env:.

// EnvSource is a ConfigMap or Secret of a manifest (a document, or an item
// of a List) whose data: or stringData: sets custom endpoints.
type EnvSource struct {
	Kind, Name string
	// Endpoints are the endpoints its keys set, described as a reason
	// gives them, by key; Lines the 1-based line of each.
	Endpoints map[string]string
	Lines     map[string]int
}

// EnvSources returns the ConfigMaps and Secrets of the manifest called name
// whose data sets a custom endpoint (AWS_ENDPOINT_URL: http://minio:9000,
// S3_HOST: minio.local:9000), one per resource.
func EnvSources(name string, data []byte) []EnvSource {
	if Detect(name, data) != YAML {
		return nil
	}
	out, _ := generators(name, data)
	if !strings.Contains(string(data), "ata:") {
		return out
	}
	e := newEditor(data, YAML)
	for i := range e.lines {
		if !e.isContent(i) {
			continue
		}
		a, ok := e.parseAssign(i)
		if !ok || (a.key != "data" && a.key != "stringData") || strings.TrimSpace(a.inner) != "" {
			continue
		}
		kind, rname, rp := e.manifestAt(i, e.yamlPath(i))
		if len(rp) != 1 || (kind != "ConfigMap" && kind != "Secret") {
			continue
		}
		src := EnvSource{Kind: kind, Name: rname}
		d := indentOf(e.text(i))
		key := ""
		for j := i + 1; j < len(e.lines) && !docBreak(e.text(j)); j++ {
			if !e.isContent(j) {
				continue
			}
			dj := indentOf(e.text(j))
			if dj <= d {
				break
			}
			if ka, ok := e.parseAssign(j); ok && (key == "" || dj <= e.childIndent(i)) {
				key = ka.key
			}
			if desc := e.findEndpoint(j, j); desc != "" && key != "" {
				if src.Endpoints == nil {
					src.Endpoints, src.Lines = map[string]string{}, map[string]int{}
				}
				if _, seen := src.Endpoints[key]; !seen {
					src.Endpoints[key], src.Lines[key] = desc, j+1
				}
			}
		}
		if src.Endpoints != nil {
			out = append(out, src)
		}
	}
	return out
}

// childIndent is the indentation of the first content line under line i.
func (e *editor) childIndent(i int) int {
	for j := i + 1; j < len(e.lines); j++ {
		if e.isContent(j) {
			return indentOf(e.text(j))
		}
	}
	return -1
}

// SourceRef is a ConfigMap or Secret a container takes its environment
// from: every key (envFrom:, Key "") or one key (a configMapKeyRef or
// secretKeyRef of an env entry named Env).
type SourceRef struct {
	Kind, Name, Key, Env string
	Line                 int // 1-based
	Optional             bool
	// Volume: mounted as files (a configMap: volume), not read into the
	// environment; one keyscan fix did not find says nothing.
	Volume bool
}

// Container is a container of a workload manifest (containers:,
// initContainers:), with what sets its environment.
type Container struct {
	Line       int // 1-based, of its "- " line
	Start, End int // byte offsets of its block
	// Kind and Workload are the kind and metadata.name of the manifest
	// (document or List item) it belongs to, Name its own name: what a
	// kustomize patch names to change it.
	Kind, Workload, Name string
	// Endpoint is a custom endpoint set in its own block (env: name and
	// value, --endpoint-url in args:), as a reason describes it.
	Endpoint string
	Refs     []SourceRef
}

// Containers returns the containers of the manifest called name.
func Containers(name string, data []byte) []Container {
	if Detect(name, data) != YAML || !mayHoldContainers(data) {
		return nil
	}
	return newEditor(data, YAML).containers()
}

// mayHoldContainers is the test of the words a manifest with containers
// holds, made before its lines are parsed.
func mayHoldContainers(data []byte) bool {
	return bytes.Contains(data, []byte("ontainers:")) || bytes.Contains(data, []byte("env"))
}

// containers is Containers of the editor's YAML text.
func (e *editor) containers() []Container {
	var out []Container
	for i := range e.lines {
		if !e.isContent(i) {
			continue
		}
		a, ok := e.parseAssign(i)
		if !ok || (a.key != "containers" && a.key != "initContainers") || strings.TrimSpace(a.inner) != "" {
			continue
		}
		d := indentOf(e.text(i))
		if _, item := e.itemIndent(i); item {
			d = e.contentIndent(i)
		}
		dash := -1
		for j := i + 1; j < len(e.lines) && !docBreak(e.text(j)); j++ {
			if !e.isContent(j) {
				continue
			}
			dj, item := e.itemIndent(j)
			if dash < 0 {
				if !item || dj < d {
					break
				}
				dash = dj
			}
			if dj < dash || dj == dash && !item {
				break
			}
			if dj != dash || !item {
				continue
			}
			first, last, ok := e.listItem(j)
			if !ok {
				continue
			}
			out = append(out, e.container(first, last, j, true))
			j = last
		}
	}
	out = e.envContainers(out)
	if len(out) > 0 {
		e.volumeConfigMaps(out)
	}
	return out
}

// container is the Container of lines first..last, whose line j names the
// manifest it belongs to; item: a list item, whose name: is its own.
func (e *editor) container(first, last, j int, item bool) Container {
	c := Container{Line: first + 1, Start: e.lines[first].start, End: e.lines[last].end,
		Endpoint: e.endpointIn(first, last)}
	if c.Endpoint == "" {
		c.Endpoint = e.imageEndpoint(first, last)
	}
	c.Kind, c.Workload, _ = e.manifestAt(j, e.yamlPath(j))
	if nl, ok := e.itemKeys(first, last)["name"]; ok && item {
		if na, ok := e.parseAssign(nl); ok {
			c.Name = unquote(na.inner)
		}
	}
	for k := first; k <= last; k++ {
		if r, ok := e.sourceRef(k); ok {
			c.Refs = append(c.Refs, r)
		}
	}
	return c
}

// envContainers adds to cs, the containers under containers: and
// initContainers:, every other mapping of a Kubernetes-shaped manifest (a
// document with a kind:) that holds an env: or envFrom: list: a container
// spec by another name (qa15 HIGH-13), such as a Tekton Task's steps:,
// sidecars: and stepTemplate:, an Argo Workflows template's container:,
// script: and containerSet:, a Knative Service's or a CronJob's template,
// an operator's custom resource. Its own env: setting an endpoint then
// keeps the keys of the Secrets it reads, as a container's does. A
// template's settings go to every container it is the template of: an
// endpoint in a Tekton stepTemplate: (or an Argo templateDefaults:) counts
// for each container of its manifest.
func (e *editor) envContainers(cs []Container) []Container {
	inside := func(i int) bool {
		for _, c := range cs {
			if off := e.lines[i].start; off >= c.Start && off < c.End {
				return true
			}
		}
		return false
	}
	type template struct {
		at  int // its index in cs
		key string
	}
	var shared []template // the templates among the containers added
	for i := range e.lines {
		if !e.isContent(i) {
			continue
		}
		a, ok := e.parseAssign(i)
		if !ok || (a.key != "env" && a.key != "envFrom") || inside(i) || !e.envList(i, a.inner) {
			continue
		}
		if kind, _ := e.docKind(i); kind == "" {
			continue
		}
		first, last, item := 0, 0, true
		if f, l, ok := e.listItem(i); ok {
			first, last = f, l
		} else if p := e.parent(i); p >= 0 {
			first, last, item = p, e.blockEnd(p), false
		} else {
			continue
		}
		c := e.container(first, last, i, item)
		if p := e.parent(i); !item && p >= 0 {
			if pa, ok := e.parseAssign(p); ok && (pa.key == "stepTemplate" || pa.key == "templateDefaults") {
				shared = append(shared, template{len(cs), pa.key})
			}
		}
		cs = append(cs, c)
	}
	for _, tp := range shared {
		t := tp.at
		if cs[t].Endpoint == "" {
			continue
		}
		first, last := e.docRange(cs[t].Line - 1)
		for k := range cs {
			if l := cs[k].Line - 1; k != t && cs[k].Endpoint == "" && l >= first && l <= last {
				cs[k].Endpoint = fmt.Sprintf("%s, given to it by the %s: at line %d", cs[t].Endpoint, tp.key, cs[t].Line)
			}
		}
	}
	return cs
}

// envList reports whether the key of line i, whose value on the line is
// inner, is a list: items below it (an env: entry's "- name:") or a flow
// sequence.
func (e *editor) envList(i int, inner string) bool {
	if v := strings.TrimSpace(inner); v != "" {
		return strings.HasPrefix(v, "[") && v != "[]"
	}
	for j := i + 1; j < len(e.lines); j++ {
		if e.isContent(j) {
			_, item := e.itemIndent(j)
			return item && indentOf(e.text(j)) >= indentOf(e.text(i))
		}
	}
	return false
}

// volumeConfigMaps adds to each container of cs the ConfigMaps and
// Secrets that its pod mounts as files (a configMap: or secret: volume or
// projected source): an app that reads its config file from one
// (application.yml with an S3 endpoint) gets that endpoint as its
// environment gets a variable, and the keys of a mounted Secret are read
// by that container, so they stay when it talks to MinIO. Which
// container mounts which volume is not followed: every container of the
// manifest (document or List item) takes them.
func (e *editor) volumeConfigMaps(cs []Container) {
	for i := range e.lines {
		if !e.isContent(i) {
			continue
		}
		a, ok := e.parseAssign(i)
		kind := ""
		switch unquote(a.key) {
		case "configMap":
			kind = "ConfigMap"
		case "secret":
			kind = "Secret"
		}
		if !ok || kind == "" {
			continue
		}
		name := ""
		if v := strings.TrimSpace(a.inner); strings.HasPrefix(v, "{") {
			for _, kv := range strings.Split(strings.Trim(v, "{}"), ",") {
				if k, val, _ := strings.Cut(kv, ":"); unquote(k) == "name" || unquote(k) == "secretName" {
					name = unquote(val)
				}
			}
		} else {
			col := e.contentIndent(i)
			for j := i + 1; j < len(e.lines); j++ {
				if !e.isContent(j) {
					continue
				}
				if indentOf(e.text(j)) <= col {
					break
				}
				if c, ok := e.parseAssign(j); ok && (c.key == "name" || c.key == "secretName") && name == "" {
					name = unquote(c.inner)
				}
			}
		}
		if name == "" {
			continue
		}
		first, last := e.docRange(i)
		if p := e.yamlPath(i); len(p) > 2 && p[0] == "items" && p[1] == "[]" {
			if f, l, ok := e.listDocItem(i); ok {
				first, last = f, l
			}
		}
		for k := range cs {
			if l := cs[k].Line - 1; l >= first && l <= last {
				cs[k].Refs = append(cs[k].Refs, SourceRef{Kind: kind, Name: name, Line: i + 1, Volume: true})
			}
		}
	}
}

// sourceRef reads line k as a configMapRef:/secretRef: (envFrom) or a
// configMapKeyRef:/secretKeyRef: (an env entry's valueFrom), block or flow.
func (e *editor) sourceRef(k int) (SourceRef, bool) {
	a, ok := e.parseAssign(k)
	if !ok {
		return SourceRef{}, false
	}
	r := SourceRef{Line: k + 1}
	switch unquote(a.key) {
	case "configMapRef":
		r.Kind = "ConfigMap"
	case "secretRef":
		r.Kind = "Secret"
	case "configMapKeyRef":
		r.Kind, r.Key = "ConfigMap", "?"
	case "secretKeyRef":
		r.Kind, r.Key = "Secret", "?"
	default:
		return SourceRef{}, false
	}
	set := func(k, v string) {
		switch unquote(k) {
		case "name":
			r.Name = unquote(v)
		case "key":
			if r.Key != "" {
				r.Key = unquote(v)
			}
		case "optional":
			r.Optional = unquote(v) == "true"
		}
	}
	if v := strings.TrimSpace(a.inner); strings.HasPrefix(v, "{") {
		for _, kv := range strings.Split(strings.Trim(v, "{}"), ",") {
			k, val, _ := strings.Cut(kv, ":")
			set(k, val)
		}
	} else {
		col := e.contentIndent(k)
		for j := k + 1; j < len(e.lines); j++ {
			if !e.isContent(j) {
				continue
			}
			if indentOf(e.text(j)) <= col {
				break
			}
			if c, ok := e.parseAssign(j); ok {
				set(c.key, c.inner)
			}
		}
	}
	if r.Key != "" {
		// The env entry's name: valueFrom: above, then the item.
		if vf := e.parent(k); vf >= 0 {
			if first, last, ok := e.listItem(vf); ok {
				if nl, ok := e.itemKeys(first, last)["name"]; ok {
					if na, ok := e.parseAssign(nl); ok {
						r.Env = unquote(na.inner)
					}
				}
			}
		}
	}
	return r, true
}

// EndpointEnvName reports whether an environment variable of this name
// sets an endpoint for an S3 client (AWS_ENDPOINT_URL, S3_ENDPOINT,
// MINIO_HOST): a container that takes such a variable from a ConfigMap
// keyscan cannot read may talk to a custom endpoint.
func EndpointEnvName(n string) bool {
	l := strings.ToLower(n)
	if strings.Contains(l, "endpoint") {
		return true
	}
	for _, w := range []string{"host", "url", "server", "address"} {
		if nameHasWord(l, w) {
			for _, s := range storageNameWords {
				if nameHasWord(l, s) {
					return true
				}
			}
		}
	}
	return false
}

// K8sEndpointReason is the reason given for keys whose container gets a
// custom endpoint from another resource: what says which and where ("maybe:
// ..." when a resource keyscan fix did not read may set one).
func K8sEndpointReason(what string) string {
	return customEndpoint(what)
}

// Resources returns the ConfigMaps and Secrets the manifest called name
// makes, as Kind/Name: its documents and List items, and a kustomization's
// generators whose keys are all literals: (one with envs: or files: takes
// keys from files keyscan fix does not read for this, so it is left out,
// as a resource whose data keyscan fix did not see).
func Resources(name string, data []byte) []string {
	if Detect(name, data) != YAML {
		return nil
	}
	_, out := generators(name, data)
	if !strings.Contains(string(data), "kind:") {
		return out
	}
	e := newEditor(data, YAML)
	for i := range e.lines {
		a, ok := e.parseAssign(i)
		if !ok || a.key != "kind" {
			continue
		}
		if v := unquote(a.inner); v != "ConfigMap" && v != "Secret" {
			continue
		}
		kind, rname, rp := e.manifestAt(i, e.yamlPath(i))
		if len(rp) == 1 && rname != "" {
			out = append(out, kind+"/"+rname)
		}
	}
	return out
}

// generators reads a kustomization's configMapGenerator and
// secretGenerator items: the endpoints their literals: set, and the names
// of those made of literals only.
func generators(name string, data []byte) ([]EnvSource, []string) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if !isKustomization(base) || !strings.Contains(string(data), "Generator") {
		return nil, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	var srcs []EnvSource
	var names []string
	top := doc.Content[0]
	for k := 0; k+1 < len(top.Content); k += 2 {
		kind := ""
		switch top.Content[k].Value {
		case "configMapGenerator":
			kind = "ConfigMap"
		case "secretGenerator":
			kind = "Secret"
		}
		if kind == "" || top.Content[k+1].Kind != yaml.SequenceNode {
			continue
		}
		for _, g := range top.Content[k+1].Content {
			if g.Kind != yaml.MappingNode {
				continue
			}
			src := EnvSource{Kind: kind}
			onlyLiterals := true
			for m := 0; m+1 < len(g.Content); m += 2 {
				key, val := g.Content[m].Value, g.Content[m+1]
				switch key {
				case "name":
					src.Name = val.Value
				case "envs", "env", "files":
					onlyLiterals = false
				case "literals":
					for _, l := range val.Content {
						n, v, ok := strings.Cut(l.Value, "=")
						if !ok {
							continue
						}
						if !(strings.Contains(strings.ToLower(n), "endpoint") && endpointValue(v)) && !storageEndpoint(n, v) {
							continue
						}
						if src.Endpoints == nil {
							src.Endpoints, src.Lines = map[string]string{}, map[string]int{}
						}
						src.Endpoints[n], src.Lines[n] = shorten(n+" = "+v), l.Line
					}
				}
			}
			if src.Name == "" {
				continue
			}
			if src.Endpoints != nil {
				srcs = append(srcs, src)
			}
			if onlyLiterals {
				names = append(names, kind+"/"+src.Name)
			}
		}
	}
	return srcs, names
}
