package main

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/fix"
)

// k8sEndpointHolds leaves for a person the keys of a Kubernetes container
// whose environment also gets a custom endpoint from another resource of
// the run (qa12 MEDIUM-1 (a)): keys in a Secret that a container reads
// (envFrom: secretRef, secretKeyRef) while that container sets an endpoint
// in its env: or takes one from a ConfigMap or Secret (envFrom:,
// configMapKeyRef:, secretKeyRef:), and keys in a container's own env:
// while a ConfigMap or Secret it takes its environment from sets one. A
// ConfigMap that a container takes whole (envFrom:) and that keyscan did
// not find among the files of the run may set one: the keys stay, saying
// so, as for a compose env_file it could not read. Only when a folder is
// fixed: a file named alone is judged by itself (a Secret named alone is
// held anyway, fixrefs.go). It returns whether it held anything.
func k8sEndpointHolds(files []*fixedFile, others []reader) bool {
	type container struct {
		fix.Container
		file string
		ff   *fixedFile // nil for a file not being fixed
	}
	var (
		sources    []fix.EnvSource
		sourceFile []string
		conts      []container
		found      = map[string]bool{} // Kind/Name of every ConfigMap and Secret of the run
	)
	add := func(name string, data []byte, ff *fixedFile) {
		for _, s := range fix.EnvSources(name, data) {
			sources = append(sources, s)
			sourceFile = append(sourceFile, name)
		}
		for _, c := range fix.Containers(name, data) {
			conts = append(conts, container{c, name, ff})
		}
		for _, r := range fix.Resources(name, data) {
			found[r] = true
		}
	}
	for _, f := range files {
		add(f.t.name, f.data, f)
	}
	for _, r := range others {
		add(r.name, r.data, nil)
	}

	// direct says what gives container c a custom endpoint, other than
	// the Secret skip it is asked about, patches left out; "" when nothing
	// does.
	direct := func(c container, skipKind, skipName string) string {
		if c.Endpoint != "" {
			return fmt.Sprintf("%s, set in the container at %s:%d", c.Endpoint, c.file, c.Line)
		}
		for _, r := range c.Refs {
			if r.Kind == skipKind && r.Name == skipName && r.Key == "" {
				continue // the Secret itself: its own endpoint keeps its keys already
			}
			for k, s := range sources {
				if s.Kind != r.Kind || s.Name != r.Name {
					continue
				}
				if r.Key == "" {
					how := "takes whole (envFrom)"
					if r.Volume {
						how = "mounts as files (a " + map[string]string{"ConfigMap": "configMap", "Secret": "secret"}[r.Kind] + ": volume of its pod)"
					}
					first := ""
					for key := range s.Endpoints {
						if first == "" || s.Lines[key] < s.Lines[first] {
							first = key // the first in the file: the same reason every run
						}
					}
					return fmt.Sprintf("%s, in the %s %s (%s:%d), which the container at %s:%d %s",
						s.Endpoints[first], s.Kind, s.Name, sourceFile[k], s.Lines[first], c.file, c.Line, how)
				}
				if d, ok := s.Endpoints[r.Key]; ok {
					return fmt.Sprintf("%s, in the %s %s (%s:%d), which the container at %s:%d reads as %s",
						d, s.Kind, s.Name, sourceFile[k], s.Lines[r.Key], c.file, c.Line, r.Env)
				}
			}
			if found[r.Kind+"/"+r.Name] || r.Volume {
				continue
			}
			switch {
			case r.Key == "" && r.Kind == "ConfigMap":
				return fmt.Sprintf("maybe: the container at %s:%d takes its environment from the ConfigMap %s (envFrom), which keyscan "+
					"fix did not find among the files of the run, and an AWS_ENDPOINT_URL there would make these keys another service's",
					c.file, c.Line, r.Name)
			case r.Key != "" && fix.EndpointEnvName(r.Env):
				return fmt.Sprintf("maybe: the container at %s:%d takes %s from the %s %s, which keyscan fix did not find among the "+
					"files of the run, and an endpoint there would make these keys another service's", c.file, c.Line, r.Env, r.Kind, r.Name)
			}
		}
		return ""
	}

	patches := kustomizePatches(files, others, func(name string, data []byte) string {
		for _, pc := range fix.Containers(name, data) {
			if d := direct(container{pc, name, nil}, "", ""); d != "" {
				return d
			}
		}
		if d := fix.PatchEndpoint(data); d != "" {
			return d + ", in " + name
		}
		return ""
	})
	// endpointOf is direct with the kustomize patches of the run: a
	// patch that sets an endpoint in a workload c belongs to, or, for c
	// in a patch, the containers of the workloads it patches (qa14
	// HIGH-2).
	endpointOf := func(c container, skipKind, skipName string) string {
		if d := direct(c, skipKind, skipName); d != "" {
			return d
		}
		for _, p := range patches {
			if p.file == c.file {
				for _, b := range conts {
					if b.file == c.file || !p.targets(b.Container) {
						continue
					}
					if d := direct(b, skipKind, skipName); d != "" {
						return fmt.Sprintf("%s; %s is a kustomize patch (named at %s) of that container's %s %s",
							d, c.file, p.named, b.Kind, b.Workload)
					}
				}
				continue
			}
			if p.endpoint != "" && p.targets(c.Container) {
				return fmt.Sprintf("%s; %s is a kustomize patch (named at %s) of the %s %s, which holds the container at %s:%d",
					p.endpoint, p.file, p.named, c.Kind, c.Workload, c.file, c.Line)
			}
		}
		return ""
	}

	gen := generatedEnvs(files, others)
	held := map[*fixedFile]bool{}
	hold := func(f *fixedFile, off int, reason string) {
		if addHold(&f.opts, off, reason) {
			held[f] = true
		}
	}
	for _, f := range files {
		if f.res == nil || len(f.res.Fixed) == 0 || !f.t.rootIsDir {
			continue
		}
		// Keys of a Secret: the containers that read it. A .env file a
		// kustomize secretGenerator names is such a Secret too.
		defs := fix.Definitions(f.t.name, f.data, f.res.Fixed)
		for _, g := range gen[diskKey(f.t.disk)] {
			defs = append(defs, fix.GeneratedKeys(defs, g)...)
		}
		for _, d := range defs {
			if d.Kind != fix.SecretKey {
				continue
			}
			for _, c := range conts {
				reads := false
				for _, r := range c.Refs {
					// optional: true or not, a container reads the keys
					// while they are there.
					if r.Kind == "Secret" && (r.Name == d.Scope || strings.Contains(r.Name, "{{")) && (r.Key == "" || r.Key == d.Name) {
						reads = true
					}
				}
				if !reads {
					continue
				}
				if why := endpointOf(c, "Secret", d.Scope); why != "" {
					for _, off := range d.Held {
						hold(f, off, fix.K8sEndpointReason(why))
					}
					break
				}
			}
		}
		// Keys in a container's own env: its other sources.
		for _, x := range f.res.Fixed {
			for _, c := range conts {
				if c.ff != f || x.Offset < c.Start || x.Offset >= c.End {
					continue
				}
				if why := endpointOf(c, "", ""); why != "" {
					hold(f, x.Offset, fix.K8sEndpointReason(why))
				}
			}
		}
	}
	for f := range held {
		reapply(f)
	}
	return len(held) > 0
}

// k8sFixing reports whether the run removes keys from a Kubernetes
// manifest found in a folder (a Secret, or a file with containers): what
// k8sEndpointHolds looks at. Other YAML (an app's config, CI) does not
// make the run read every manifest of the tree.
func k8sFixing(files []*fixedFile) bool {
	for _, f := range files {
		if f.res == nil || len(f.res.Fixed) == 0 || !f.t.rootIsDir {
			continue
		}
		if fix.Detect(f.t.name, f.data) == fix.Env && kustomizationAbove(f.t) {
			return true // maybe a secretGenerator's envs: file
		}
		if fix.Detect(f.t.name, f.data) != fix.YAML {
			continue
		}
		// A manifest: a Secret's keys, or keys in a container's env:.
		if bytes.Contains(f.data, []byte("secretGenerator")) || bytes.Contains(f.data, []byte("kind:")) && (bytes.Contains(f.data, []byte("Secret")) || bytes.Contains(f.data, []byte("ontainers:")) || bytes.Contains(f.data, []byte("env"))) {
			return true
		}
	}
	return false
}

// reapply changes file f again with its holds.
func reapply(f *fixedFile) {
	res, err := fix.ApplyWith(f.t.name, f.data, f.fs, f.opts)
	if err != nil {
		res = &fix.Result{Content: f.data}
		for _, x := range f.fs {
			res.Manual = append(res.Manual, fix.Manual{Finding: x, Reason: "the automatic change failed; remove the key by hand"})
		}
	}
	f.res = res
}

// kustomizationAbove reports whether a kustomization file stands in the
// folder of the target or a folder above it, up to its root: one whose
// secretGenerator may make a Secret of the file.
func kustomizationAbove(t fixTarget) bool {
	for dir := path.Dir(t.rel()); ; dir = path.Dir(dir) {
		for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
			if st, err := t.cache.lstat(filepath.Join(t.root, filepath.FromSlash(dir), n)); err == nil && st.Mode().IsRegular() {
				return true
			}
		}
		if dir == "." || dir == "/" || dir == "" {
			return false
		}
	}
}

// patchUse is a kustomize patch of the run: its file (or its
// kustomization's, for an inline patch), where it is named, the workloads
// it targets and the endpoint it sets ("" when none).
type patchUse struct {
	file, named string
	target      []fix.Target
	endpoint    string
	// affixes are the namePrefix and nameSuffix pairs of the run's
	// kustomizations, which rename the workloads a patch names.
	affixes [][2]string
}

// targets reports whether the patch changes container c's workload.
func (p patchUse) targets(c fix.Container) bool {
	for _, t := range p.target {
		if t.MatchesNamed(c, p.affixes) {
			return true
		}
	}
	return false
}

// kustomizePatches returns the patches the kustomization files of the run
// name (being fixed or not), read from the files of the run: a patch file
// keyscan fix did not read (outside the folders named) is left out.
// endpoint says what in a patch's text sets an endpoint.
func kustomizePatches(files []*fixedFile, others []reader, endpoint func(name string, data []byte) string) []patchUse {
	byName := map[string][]byte{}
	var kusts []reader
	for _, f := range files {
		byName[path.Clean(f.t.name)] = f.data
		if kustomizationFile(f.t.name) {
			kusts = append(kusts, reader{name: f.t.name, data: f.data})
		}
	}
	for _, r := range others {
		byName[path.Clean(r.name)] = r.data
		if kustomizationFile(r.name) {
			kusts = append(kusts, r)
		}
	}
	var affixes [][2]string
	for _, k := range kusts {
		if pre, suf := fix.NameAffixes(k.name, k.data); pre != "" || suf != "" {
			affixes = append(affixes, [2]string{pre, suf})
		}
	}
	var out []patchUse
	for _, k := range kusts {
		for _, p := range fix.KustomizePatches(k.name, k.data) {
			u := patchUse{file: p.File, named: fmt.Sprintf("%s:%d", k.name, p.Line), affixes: affixes}
			data, ok := []byte(p.Inline), true
			if p.File == "" {
				u.file = k.name + " (inline patch)"
			} else {
				data, ok = byName[path.Clean(p.File)]
			}
			if !ok {
				continue
			}
			if p.Targeted {
				u.target = []fix.Target{p.Target}
			} else if u.target = fix.PatchTargets(data); len(u.target) == 0 {
				u.target = []fix.Target{{}} // no target told: every workload
			}
			u.endpoint = endpoint(u.file, data)
			out = append(out, u)
		}
	}
	return out
}
