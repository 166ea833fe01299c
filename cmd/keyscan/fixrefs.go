package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner"
)

// fixedFile is one file of a keyscan fix run with its change, before
// anything is written or shown.
type fixedFile struct {
	t    fixTarget
	data []byte
	fs   scanner.Findings
	opts fix.Options
	res  *fix.Result
}

// reader is a file of the run that may read a definition: a file being
// fixed (its content after the change) or another file under a folder
// named.
type reader struct {
	name string
	data []byte
	t    fixTarget // where it is read and written
}

// maxReaders bounds the other files read to look for references.
const maxReaders = 20000

// holdDangling leaves for a person the definitions a change would remove
// while another file of the run (or the same file) still reads them: a
// Secret's key named by a secretKeyRef, a Helm value named by a template,
// a .env variable a compose file interpolates, a variable a script expands
// later, a .tfvars value whose variable has no default (fix/refs.go). The
// files holding such definitions are changed again without them, until
// nothing removed is read anywhere in the run. A Secret in a file named
// alone is held too: the workloads that read it were not named. The
// readers of a removed Secret key that are env entries of nothing else
// (name: and valueFrom: secretKeyRef:) are no reason to hold it: they go
// with it, in the file being fixed or in another file of the run, which
// is then changed too (returned among the files).
func holdDangling(files []*fixedFile, dirs []fixTarget) []*fixedFile {
	var others []reader
	othersRead := false
	if k8sFixing(files) {
		others, othersRead = otherReaders(files, dirs), true
		k8sEndpointHolds(files, others)
		k8sNamedHolds(files, others)
	}
	holdRounds(files, dirs, &others, &othersRead)
	return dropReaders(files, others)
}

// dropReaders deletes, once every hold is known, the env entries that
// read the Secret keys the run removes, in the files being fixed and in
// the other files read (which join the run's files when they change).
func dropReaders(files []*fixedFile, others []reader) []*fixedFile {
	var defs []fix.Definition
	for _, f := range files {
		if f.res == nil || len(f.res.Fixed) == 0 {
			continue
		}
		for _, d := range fix.Definitions(f.t.name, f.data, f.res.Fixed) {
			if d.Kind == fix.SecretKey {
				defs = append(defs, d)
			}
		}
	}
	if len(defs) == 0 {
		return files
	}
	for _, f := range files {
		if f.res == nil {
			continue
		}
		if c, n := fix.DropSecretReaders(f.t.name, f.res.Content, defs); n > 0 {
			f.res.Content = c
			f.res.Readers += n
		}
	}
	for _, r := range others {
		if c, n := fix.DropSecretReaders(r.name, r.data, defs); n > 0 {
			files = append(files, &fixedFile{t: r.t, data: r.data, res: &fix.Result{Content: c, Readers: n}})
		}
	}
	return files
}

// holdRounds is holdDangling's search for the definitions to hold, until
// nothing removed is read anywhere in the run.
func holdRounds(files []*fixedFile, dirs []fixTarget, others *[]reader, othersRead *bool) {
	var code *[]reader // the run's source files, read once when asked
	for round := 0; round < 5; round++ {
		var defs []fix.Definition
		var owner []*fixedFile
		for _, f := range files {
			if f.res == nil || !f.res.Changed() {
				continue
			}
			fdefs := fix.Definitions(f.t.name, f.data, f.res.Fixed)
			if f.t.rootIsDir && !fix.HelmValuesFile(f.t.name) && chartOverride(f.t, path.Dir(f.t.rel())) {
				fdefs = append(fdefs, fix.HelmOverrideDefinitions(f.t.name, f.data, f.res.Fixed)...)
			}
			for _, d := range fdefs {
				if d.Kind == fix.HelmValue {
					d.Gone = fix.HelmGone(f.res.Content, d.Name)
				}
				defs = append(defs, d)
				owner = append(owner, f)
			}
		}
		if len(defs) == 0 {
			return
		}
		if !*othersRead {
			*othersRead = true
			*others = otherReaders(files, dirs)
		}
		// A .env file a kustomize secretGenerator names is a Secret: its
		// variables are also the Secret's keys (fix/kustomize.go).
		// Its readers are held, not dropped: dropReaders knows the keys of
		// Secrets written in manifests only.
		generated := map[int]bool{}
		if gen := generatedEnvs(files, *others); len(gen) > 0 {
			for k, n := 0, len(defs); k < n; k++ {
				for _, g := range gen[diskKey(owner[k].t.disk)] {
					for _, d := range fix.GeneratedKeys(defs[k:k+1], g) {
						generated[len(defs)] = true
						defs = append(defs, d)
						owner = append(owner, owner[k])
					}
				}
			}
		}
		readers := make([]reader, 0, len(files)+len(*others))
		for _, f := range files {
			content := f.data
			if f.res != nil {
				content = f.res.Content
			}
			readers = append(readers, reader{f.t.name, content, f.t})
		}
		readers = append(readers, *others...)
		refs := make([][]fix.Reference, len(defs))
		charts := helmCharts(defs, owner)
		for ri, r := range readers {
			var lines *lineMap // split once per file, not per reference (review15 C-3)
			for _, found := range append(fix.References(r.name, r.data, defs), subchartReferences(r, defs, charts)...) {
				if charts[found.Def] != nil && !charts[found.Def].holds(r.t.disk) {
					continue // another chart's template: it reads its own values
				}
				if ri < len(files) {
					// Named by the line of the file as it is on disk,
					// not as the change would make it.
					if lines == nil {
						lines = newLineMap(files[ri].data, r.data)
					}
					found.Line = lines.before(found.Line)
				}
				if found.Drop && owner[found.Def].t.rootIsDir && !generated[found.Def] && droppable(r, defs[found.Def]) {
					continue // goes with the key: dropReaders
				}
				refs[found.Def] = append(refs[found.Def], found)
			}
		}
		secretCodeReferences(files, dirs, defs, owner, readers, &code, refs)
		held := map[*fixedFile]bool{}
		for k, d := range defs {
			reason := danglingReason(d, refs[k], owner[k], readers)
			if reason == "" && d.Kind == fix.SecretKey && len(refs[k]) == 0 && (generated[k] || kustomizationFile(owner[k].t.name)) &&
				!secretNamed(readers, d.Scope) {
				reason = fmt.Sprintf("the %s comes from a kustomize secretGenerator, and no manifest of the run names the Secret %s: "+
					"what reads it is in another kustomization (an overlay whose resources: names this folder), which keyscan fix did not read; "+
					"run keyscan fix on the folder that holds both, or remove the key and what reads it together by hand", d.Describe(), d.Scope)
			}
			if reason == "" {
				continue
			}
			f := owner[k]
			if f.opts.Hold == nil {
				f.opts.Hold = map[int]string{}
			}
			for _, off := range d.Held {
				f.opts.Hold[off] = reason
			}
			held[f] = true
		}
		if len(held) == 0 {
			return
		}
		for f := range held {
			reapply(f) // failing, unchanged, every finding by hand: never a reference left dangling
		}
	}
}

// kustomizationFile reports whether name is a kustomization file.
func kustomizationFile(name string) bool {
	switch strings.ToLower(filepath.Base(name)) {
	case "kustomization.yaml", "kustomization.yml", "kustomization":
		return true
	}
	return false
}

// secretNamed reports whether a manifest among readers (not a
// kustomization) names the Secret called name where a pod reads a Secret
// (secretKeyRef, secretRef, secretName): a generated Secret that nothing
// of the run names is read from an overlay that was not fixed, if at all.
func secretNamed(readers []reader, name string) bool {
	re := lazyre.New(`(?im)secret[\s\S]{0,200}?name:\s*["']?` + regexp.QuoteMeta(name) + `["']?\s*(?:[,}]|$)`)
	for _, r := range readers {
		if kustomizationFile(r.name) || !bytes.Contains(r.data, []byte(name)) {
			continue
		}
		if re.Match(r.data) {
			return true
		}
	}
	return false
}

// droppable reports whether dropReaders removes the reader of d that r
// holds: a form it does not edit (a flow-style secretKeyRef) stays, and
// with it the key it reads.
func droppable(r reader, d fix.Definition) bool {
	_, n := fix.DropSecretReaders(r.name, r.data, []fix.Definition{d})
	return n > 0
}

// lineMap names a line of a change by the line of the file before it:
// both versions are split once, and each line's text indexes where it
// stands before the change, so naming one reference costs a map lookup
// and a binary search, not a split of both files (a CI file with 12,000
// reads of one variable took 12.7 CPU s when every reference split them).
type lineMap struct {
	after []string
	at    map[string][]int // text -> 1-based lines of before, ascending
}

// newLineMap indexes before, and after, a change of it that only deletes
// and replaces lines.
func newLineMap(before, after []byte) *lineMap {
	m := &lineMap{after: strings.Split(string(after), "\n"), at: map[string][]int{}}
	for i, l := range strings.Split(string(before), "\n") {
		m.at[l] = append(m.at[l], i+1)
	}
	return m
}

// before returns the line of before that line n (1-based) of after came
// from: the line of the same text nearest to n, the earlier on a tie; n
// itself when no line of before has that text.
func (m *lineMap) before(n int) int {
	if n < 1 || n > len(m.after) {
		return n
	}
	at := m.at[m.after[n-1]]
	if len(at) == 0 {
		return n
	}
	k, _ := slices.BinarySearch(at, n) // first line >= n
	best := -1
	if k < len(at) {
		best = at[k]
	}
	if k > 0 && (best < 0 || n-at[k-1] <= best-n) {
		best = at[k-1]
	}
	return best
}

// danglingReason says why definition d stays, read at refs; empty when
// its removal breaks nothing keyscan fix can see.
func danglingReason(d fix.Definition, refs []fix.Reference, owner *fixedFile, readers []reader) string {
	at := func(r fix.Reference) string {
		s := fmt.Sprintf("%s:%d (%s)", r.File, r.Line, r.What)
		if len(refs) > 1 {
			s += fmt.Sprintf(" and %d more", len(refs)-1)
		}
		return s
	}
	switch d.Kind {
	case fix.ConfigMapKey:
		if r := mapKeyCodeReason(d, refs); r != "" {
			return r
		}
		if len(refs) > 0 {
			return fmt.Sprintf("the %s is read by %s: a pod whose configMapKeyRef names a missing key is never created "+
				"(CreateContainerConfigError); remove the key and what reads it together by hand", d.Describe(), at(refs[0]))
		}
	case fix.SecretKey:
		if r := mapKeyCodeReason(d, refs); r != "" {
			return r
		}
		if len(refs) > 0 && strings.HasPrefix(refs[0].What, "secret volume ") {
			return fmt.Sprintf("the %s is read by %s: the pod mounts the Secret as files, and a program opens the key's file by its "+
				"name (no SDK's default chain reads it), so without the key it finds no file; move the program to the default chain "+
				"(the instance role), then remove the key and the volume together by hand", d.Describe(), at(refs[0]))
		}
		if len(refs) > 0 {
			return fmt.Sprintf("the %s is read by %s: a pod whose secretKeyRef (or secret volume item) names a missing key is never created "+
				"(CreateContainerConfigError); remove the key and what reads it together by hand", d.Describe(), at(refs[0]))
		}
		if !owner.t.rootIsDir {
			return fmt.Sprintf("the %s may be read by workloads in other files (secretKeyRef), and this file was named alone, so keyscan fix "+
				"did not look at them: run keyscan fix on the folder of the manifests, or remove the key and what reads it together by hand", d.Describe())
		}
	case fix.EnvVar, fix.ProgramEnv:
		if v, ok := strings.CutPrefix(d.Name, "TF_VAR_"); ok {
			// Terraform reads TF_VAR_NAME as the variable NAME.
			if r := fix.TerraformVariableHold(v, d.File, terraformFiles(readers)); r != "" {
				return r
			}
		}
		if len(refs) > 0 && refs[0].Code && refs[0].Default {
			return fmt.Sprintf("the %s is read with a default by %s: without it the program takes the default and builds static "+
				"credentials from that, which fail, where the SDK's default chain would have found the instance role; move the code "+
				"to the SDK's default chain (no credentials passed), then remove the variable and what reads it together by hand", d.Describe(), at(refs[0]))
		}
		if len(refs) > 0 && refs[0].Code && refs[0].Static {
			return fmt.Sprintf("the %s is read by name by %s, which passes it straight into static credentials: without it the "+
				"program builds them from an empty value, which fails to sign, where the SDK's default chain would have found the "+
				"instance role; move the code to the SDK's default chain (no credentials passed), then remove the variable and "+
				"what reads it together by hand", d.Describe(), at(refs[0]))
		}
		if len(refs) > 0 && d.Kind == fix.ProgramEnv && strings.HasPrefix(refs[0].What, "$(") {
			return fmt.Sprintf("the %s is read by %s: Kubernetes expands it from the container's env, and without it passes the text "+
				"%s on as it is, which the program then takes for the key; remove the variable and its use together by hand", d.Describe(), at(refs[0]), refs[0].What)
		}
		if len(refs) > 0 && refs[0].Code {
			return fmt.Sprintf("the %s is read by name by %s, which fails without it (no default: a KeyError, a missing "+
				"placeholder), and the program builds static credentials from it, which never reach the instance role; move the code "+
				"to the SDK's default chain, then remove the variable and what reads it together by hand", d.Describe(), at(refs[0]))
		}
		if len(refs) > 0 {
			r := fmt.Sprintf("the %s is read by %s: without it that expands to an empty value, or stops the command (set -u, ${VAR:?}); "+
				"remove the variable and its use together by hand", d.Describe(), at(refs[0]))
			if fix.Detect(d.File, nil) == fix.Dockerfile {
				r += ". A key a RUN needs while the image is built goes in a build secret, which no layer keeps: RUN " +
					"--mount=type=secret,id=aws,target=/root/.aws/credentials with docker build --secret id=aws,src=$HOME/.aws/credentials"
			}
			return r
		}
	case fix.AppSetting:
		if len(refs) > 0 {
			return fmt.Sprintf("the %s is read by name by %s: the application fails to start without it (an unresolvable placeholder, "+
				"a missing property), or builds static credentials from an empty value, which never reach the instance role; move the "+
				"code to the SDK's default chain, then remove the setting and what reads it together by hand", d.Describe(), at(refs[0]))
		}
	case fix.HelmValue:
		if len(refs) > 0 {
			return fmt.Sprintf("the %s is read by the template %s: without it the chart renders an empty value or fails (required, "+
				"a nil pointer); remove the value and its use together by hand", d.Describe(), at(refs[0]))
		}
	case fix.TFVar:
		if r := fix.TerraformVariableHold(d.Name, d.File, terraformFiles(readers)); r != "" {
			return r
		}
		declared := ""
		for _, r := range readers {
			ok, withDefault := fix.DeclaresVariable(r.name, r.data, d.Name)
			if ok && withDefault {
				return ""
			}
			if ok {
				declared = r.name
			}
		}
		if declared != "" {
			return fmt.Sprintf("variable %s has no default (%s): without this value it is required (terraform plan asks for it, and fails "+
				"with -input=false); delete the variable, its use in provider \"aws\" and this value together by hand", d.Name, declared)
		}
		return fmt.Sprintf("the declaration of variable %s is not among the files fixed: if it has no default, removing this value makes it "+
			"required (terraform plan asks for it); run keyscan fix on the whole configuration, or change it by hand", d.Name)
	case fix.TemplateVar:
		if len(refs) == 0 {
			return ""
		}
		for _, r := range readers {
			if r.name == refs[0].File {
				if ep := fix.ReaderEndpoint(r.name, r.data, refs[0].Line); ep != "" {
					return fix.K8sEndpointReason(fmt.Sprintf("%s, set beside %s at %s:%d, which reads the %s", ep, refs[0].What, refs[0].File, refs[0].Line, d.Describe()))
				}
			}
		}
		return fmt.Sprintf("the %s is read by %s: without it the template fails ('%s' is undefined); remove the variable and its use "+
			"together by hand", d.Describe(), at(refs[0]), d.Name)
	case fix.CIVar:
		for _, r := range refs {
			if r.Endpoint != "" {
				return fix.K8sEndpointReason(fmt.Sprintf("%s, set by %s (%s:%d), which takes the %s", r.Endpoint, r.What, r.File, r.Line, d.Describe()))
			}
		}
		for _, r := range refs {
			if strings.HasPrefix(r.What, "!reference") {
				return fmt.Sprintf("the %s is read by %s: GitLab refuses to load a pipeline whose !reference names a missing variable; "+
					"remove the variable and its !reference together by hand", d.Describe(), at(r))
			}
		}
		if len(refs) > 0 {
			return fmt.Sprintf("the %s is read by %s: without it that expands to an empty value in the job's script; "+
				"remove the variable and its use together by hand", d.Describe(), at(refs[0]))
		}
	case fix.CFNParam:
		return cfnReason(d, refs, at)
	}
	return ""
}

// mapKeyCodeReason is the reason a Secret's or ConfigMap's key stays when
// code reads by name the variable a container gets it as (refs' first
// Code reference, secretCodeReferences), or "".
func mapKeyCodeReason(d fix.Definition, refs []fix.Reference) string {
	i := slices.IndexFunc(refs, func(r fix.Reference) bool { return r.Code })
	if i < 0 {
		return ""
	}
	r := refs[i]
	return fmt.Sprintf("the %s is read by name by %s:%d (%s), which fails without it (no default: a KeyError, a missing "+
		"placeholder), and the program builds static credentials from it, which never reach the instance role; move the code "+
		"to the SDK's default chain, then remove the key and what reads it together by hand", d.Describe(), r.File, r.Line, r.What)
}

// terraformFiles returns the Terraform files among readers, by name.
func terraformFiles(readers []reader) map[string][]byte {
	out := map[string][]byte{}
	for _, r := range readers {
		if fix.TerraformFile(r.name) {
			out[r.name] = r.data
		}
	}
	return out
}

// otherReaders reads the files under the folders named that may read a
// definition (manifests, templates, compose files, Terraform) and are not
// being fixed: regular files only, no link followed, each at most the
// root's max_file_size, at most maxReaders of them. Files the
// configuration excludes are read too: a reference there breaks as much.
func otherReaders(files []*fixedFile, dirs []fixTarget) []reader {
	fixing := map[string]bool{}
	for _, f := range files {
		fixing[filepath.Clean(f.t.disk)] = true
	}
	var out []reader
	seen := map[string]bool{}
	for _, d := range dirs {
		root := d.root
		d.cache.walkDir(root, func(p string, de fs.DirEntry, err error) error {
			if err != nil || len(out) >= maxReaders {
				if de != nil && de.IsDir() && err == nil {
					return fs.SkipDir
				}
				return nil
			}
			if de.IsDir() {
				if de.Name() == ".git" && p != root {
					return fs.SkipDir
				}
				return nil
			}
			known := mayRead(de.Name())
			if !de.Type().IsRegular() || !known && path.Ext(de.Name()) != "" {
				return nil
			}
			c := filepath.Clean(p)
			if fixing[c] || seen[c] {
				return nil
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return nil
			}
			if !known && !shebang(root, filepath.ToSlash(rel)) {
				return nil
			}
			seen[c] = true
			t := d
			t.disk = p
			data, err := t.read(filepath.ToSlash(rel), d.maxSize)
			if err != nil {
				return nil
			}
			t.name = filepath.ToSlash(p)
			out = append(out, reader{filepath.ToSlash(p), data, t})
			return nil
		})
	}
	return out
}

// mayRead reports whether a file of this name may read a definition.
func mayRead(name string) bool {
	n := strings.ToLower(name)
	switch path.Ext(n) {
	case ".yaml", ".yml", ".json", ".tpl", ".tf", ".template", ".j2", ".jinja", ".jinja2", ".sls":
		return true
	case ".sh", ".bash", ".zsh", ".ksh", ".mk", ".ps1":
		return true // a script a CI job runs expands its variables (fix/refs.go RunsCommands)
	}
	switch n {
	case "makefile", "gnumakefile", "justfile", ".justfile", "procfile":
		return true // a Procfile's commands run in the job's environment too (fix/scriptendpoint.go makefile)
	}
	return n == "kustomization" || n == "notes.txt" // a chart's NOTES.txt is a template too
}

// shebang reports whether the file at rel below root, a name with no
// extension that mayRead does not take, starts with #!: a script a CI job
// runs (`- run: ./scripts/deploy`) expands the job's variables as a .sh
// file does, and fix/refs.go RunsCommands counts it; left unread, the
// workflow's keys were removed from under it (review16 B F2). Only the
// first two bytes are read, so a LICENSE or a binary costs no more.
func shebang(root, rel string) bool {
	b, err := readfile.HeadBeneath(root, rel, 2)
	return err == nil && string(b) == "#!"
}

// envFileHolds leaves for a person the keys of a compose service whose
// env_file sets a custom endpoint (AWS_ENDPOINT_URL=http://minio:9000),
// or could not be read: the file named alone (its env files were not
// named), outside the folder fixed, missing or unreadable.
func envFileHolds(t fixTarget, data []byte, fs scanner.Findings, opts *fix.Options) {
	dirs := []string{path.Dir(t.rel())}
	if t.rootIsDir {
		// The folders its env_file paths are taken from: its own, or
		// the project_directory of an include: that loads it.
		dirs = dirs[:0]
		for _, c := range composeSelf(t, t.rel()) {
			dirs = append(dirs, c.dir)
		}
	} else if !fix.ComposeFile(t.name) {
		return
	}
	for _, dir := range dirs {
		envFileHoldsIn(t, dir, data, fs, opts)
	}
}

// envFileHoldsIn is envFileHolds for the compose file's relative paths
// taken from dir.
func envFileHoldsIn(t fixTarget, dir string, data []byte, fs scanner.Findings, opts *fix.Options) {
	for _, use := range fix.ServiceEnvFiles(data) {
		reason := ""
		for _, f := range use.Files {
			p := path.Join(dir, filepath.ToSlash(f))
			switch {
			case !t.rootIsDir:
				reason = fix.EnvFileReason(use.Service, f, "the compose file was named alone", false)
			case path.IsAbs(f) || filepath.IsAbs(f) || p == ".." || strings.HasPrefix(p, "../"):
				reason = fix.EnvFileReason(use.Service, f, "it lies outside the folder fixed", false)
			default:
				b, err := t.read(p, t.maxSize)
				if err != nil {
					reason = fix.EnvFileReason(use.Service, f, "it could not be read", false)
				} else if d := fix.EnvFileEndpoint(b); d != "" {
					reason = fix.EnvFileReason(use.Service, f, d, true)
				}
			}
			if reason != "" {
				break
			}
		}
		if reason == "" {
			continue
		}
		for _, x := range fs {
			if x.Offset >= use.Start && x.Offset < use.End {
				if opts.Hold == nil {
					opts.Hold = map[int]string{}
				}
				opts.Hold[x.Offset] = reason
			}
		}
	}
}

// cfnReason says why the value of a CloudFormation parameter stays: a
// parameter with neither a Default nor a value given fails the deploy
// ("Parameters: [NAME] must have values") whether or not the template
// reads it, so it always stays, naming the template that reads it where
// one is among the files of the run.
func cfnReason(d fix.Definition, refs []fix.Reference, at func(fix.Reference) string) string {
	read := "keyscan found no template among the files of the run that reads it"
	if len(refs) > 0 {
		read = "it is read by " + at(refs[0])
	}
	if d.Scope == "Default" {
		return fmt.Sprintf("the %s stays: %s, and without a Default every deploy must give the parameter a value "+
			"(aws cloudformation deploy fails: Parameters must have values); move what reads it to the stack's role "+
			"(the function's or instance's execution role) and remove the parameter and its uses together by hand", d.Describe(), read)
	}
	return fmt.Sprintf("the %s stays: %s, and without it the stack takes the template's Default or fails to deploy "+
		"(Parameters must have values); remove the parameter from the template and from this file together by hand", d.Describe(), read)
}

// generatedEnvs returns, by diskKey of the env file, the secretGenerators
// of the run's kustomization files (being fixed or not) that make a
// Secret of it.
func generatedEnvs(files []*fixedFile, others []reader) map[string][]fix.GeneratedEnv {
	var out map[string][]fix.GeneratedEnv
	add := func(disk string, data []byte) {
		for _, g := range fix.GeneratorEnvs(filepath.ToSlash(disk), data) {
			if out == nil {
				out = map[string][]fix.GeneratedEnv{}
			}
			k := diskKey(filepath.FromSlash(g.File))
			out[k] = append(out[k], g)
		}
	}
	for _, f := range files {
		add(f.t.disk, f.data)
	}
	for _, r := range others {
		add(r.name, r.data)
	}
	return out
}

// diskKey is a file's path on disk in one form, to compare paths that
// were reached from different arguments.
func diskKey(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// helmChart is the chart a values file belongs to, on disk: the folder of
// the nearest Chart.yaml above it (up to the root fixed), and the chart
// whose templates its values reach (its parent chart when it lies under
// charts/NAME/, whose templates read the parent's values too).
type helmChart struct {
	dir, family string
}

// holds reports whether the file at disk belongs to the chart family.
func (c *helmChart) holds(disk string) bool {
	r, err := filepath.Rel(c.family, disk)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// helmCharts returns, for each Helm value among defs, the chart of its
// values file; nil for other definitions and for values of no chart,
// which may be given to any chart (every template of the run may read
// them).
func helmCharts(defs []fix.Definition, owner []*fixedFile) []*helmChart {
	out := make([]*helmChart, len(defs))
	memo := map[string]*helmChart{}
	for k, d := range defs {
		if d.Kind != fix.HelmValue || !owner[k].t.rootIsDir {
			continue
		}
		t := owner[k].t
		dir := filepath.Dir(t.disk)
		if c, ok := memo[dir]; ok {
			out[k] = c
			continue
		}
		var c *helmChart
		for d := dir; ; d = filepath.Dir(d) {
			if st, err := t.cache.lstat(filepath.Join(d, "Chart.yaml")); err == nil && st.Mode().IsRegular() {
				c = &helmChart{dir: d, family: d}
				if parent := filepath.Dir(d); filepath.Base(parent) == "charts" {
					c.family = filepath.Dir(parent)
				}
				break
			}
			if r, err := filepath.Rel(t.root, d); err != nil || r == "." || strings.HasPrefix(r, "..") || filepath.Dir(d) == d {
				break
			}
		}
		memo[dir], out[k] = c, c
	}
	return out
}

// subchartReferences finds where r, a template of a subchart (under
// CHART/charts/NAME/), reads a value of its parent chart's values files
// that the parent gives it: NAME.a.b of the parent is .Values.a.b in the
// subchart's templates (global: is global in both, and read as it is).
func subchartReferences(r reader, defs []fix.Definition, charts []*helmChart) []fix.Reference {
	var sub []fix.Definition
	var index []int
	for k, c := range charts {
		if c == nil {
			continue
		}
		rel, err := filepath.Rel(filepath.Join(c.dir, "charts"), r.t.disk)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		name, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if inner, ok := strings.CutPrefix(defs[k].Name, name+"."); ok {
			d := defs[k]
			d.Name = inner
			d.Gone = nil
			for _, g := range defs[k].Gone {
				if gi, ok := strings.CutPrefix(g, name+"."); ok {
					d.Gone = append(d.Gone, gi)
				}
			}
			sub = append(sub, d)
			index = append(index, k)
		}
	}
	if len(sub) == 0 {
		return nil
	}
	found := fix.References(r.name, r.data, sub)
	for i := range found {
		found[i].Def = index[found[i].Def]
	}
	return found
}

// codeReferences adds to refs the places of the run's source code (and
// Spring configuration files) that read a definition of defs by name
// (fix.CodeIndex, qa15 HIGH-18): a setting of an application's
// configuration file anywhere in the run, a variable of a dotenv file or
// a Dockerfile in code of its folder or below (where load_dotenv finds
// it, what the build context copies), a variable a manifest or compose
// file sets in a program's environment in code anywhere under the folder
// fixed (qa26 M3). The code is
// read once, when the first such definition asks (*code).
func codeReferences(files []*fixedFile, dirs []fixTarget, defs []fix.Definition, owner []*fixedFile, code **[]reader, refs [][]fix.Reference) {
	ask := false
	for k, d := range defs {
		ask = ask || d.Kind == fix.AppSetting || d.Kind == fix.ProgramEnv || d.Kind == fix.EnvVar && (envFileOfCode(owner[k].t.name) || workflowEnv(owner[k].t.name))
	}
	if !ask {
		return
	}
	if *code == nil {
		rs := codeReaders(files, dirs)
		*code = &rs
	}
	idx := fix.NewCodeIndex(defs)
	for _, r := range **code {
		reaches := func(k int) bool {
			o := owner[k].t
			top := filepath.Dir(o.disk)
			switch {
			case defs[k].Kind == fix.EnvVar && workflowEnv(o.name):
				// A workflow's env: is the environment of the
				// programs its steps run: the code of its repository.
				if !o.rootIsDir {
					return false
				}
				top = workflowProject(o.disk)
			case defs[k].Kind == fix.ProgramEnv || fix.DockerfileName(o.name) || startScript(o.name):
				// A manifest or compose file runs the code of its project
				// (k8s/deploy.yaml beside app/main.py), and so does a
				// script that exports the variables and starts it
				// (scripts/run.sh: exec python3 app/main.py).
				if !o.rootIsDir {
					return false
				}
				top = projectOf(o.root, o.disk)
			case !envFileOfCode(o.name):
				return false
			}
			rel, err := filepath.Rel(top, r.t.disk)
			return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
		}
		for _, found := range idx.References(r.name, r.data, reaches) {
			found.File = r.t.disk
			refs[found.Def] = append(refs[found.Def], found)
		}
	}
	// The reader named first is the one nearest the definition (its
	// folder, then its project): a monorepo's other application may read
	// a setting of the same path.
	for k := range refs {
		near := filepath.Dir(owner[k].t.disk)
		slices.SortStableFunc(refs[k], func(a, b fix.Reference) int {
			if !a.Code || !b.Code {
				return 0
			}
			return commonDirs(near, b.File) - commonDirs(near, a.File)
		})
		for i := range refs[k] {
			if refs[k][i].Code {
				refs[k][i].File = filepath.ToSlash(refs[k][i].File)
			}
		}
	}
}

// envFileOfCode reports whether a variable of the file called name is in
// the environment of the code of its folder and below: a dotenv file
// (load_dotenv finds it), a Dockerfile, whose ENV reaches the program its
// build context copies into the image, or a script that starts it.
func envFileOfCode(name string) bool {
	return fix.DotEnvFile(name) || fix.DockerfileName(name) || startScript(name)
}

// workflowEnv reports whether name is a GitHub Actions workflow, whose
// env: variables are the environment of the programs its steps run
// (run: python3 app/main.py).
func workflowEnv(name string) bool {
	p := strings.ToLower(filepath.ToSlash(name))
	return (path.Ext(p) == ".yml" || path.Ext(p) == ".yaml") && strings.Contains("/"+p, "/.github/workflows/")
}

// workflowProject is the folder whose code the workflow at disk runs: the
// one that holds its .github folder.
func workflowProject(disk string) string {
	for d := filepath.Dir(disk); ; d = filepath.Dir(d) {
		if filepath.Base(d) == ".github" {
			return filepath.Dir(d)
		}
		if filepath.Dir(d) == d {
			return filepath.Dir(disk)
		}
	}
}

// startScript reports whether a file of this name is a shell script, or
// direnv's .envrc, whose exports are the environment of the programs it
// (or the shell it loads into) starts: run.sh's export NAME=… then exec
// python3 app/main.py (qa27 M2).
func startScript(name string) bool {
	b := strings.ToLower(path.Base(filepath.ToSlash(name)))
	switch path.Ext(b) {
	case ".sh", ".bash", ".zsh", ".ksh":
		return true
	}
	return b == ".envrc" || strings.HasPrefix(b, ".envrc.")
}

// deployDirs are the names of the folders that hold a project's
// deployment files or start scripts, not its code.
var deployDirs = map[string]bool{"k8s": true, "kube": true, "kubernetes": true, "deploy": true, "deployment": true, "deployments": true,
	"manifests": true, "infra": true, "infrastructure": true, "ops": true, "ecs": true, "cloudformation": true, "cfn": true, "helm": true,
	"charts": true, "chart": true, ".do": true, "docker": true, "compose": true, "kustomize": true, "systemd": true, "terraform": true,
	"scripts": true, "script": true, "bin": true}

// projectOf is the folder of the project whose program the deployment
// file at disk (found under root) configures: its folder, or the folder
// above the outermost deployment folder on its path (k8s/overlays/prod/
// deploy.yaml: the folder above k8s), never above root.
func projectOf(root, disk string) string {
	dir := filepath.Dir(disk)
	top := dir
	for d := dir; ; d = filepath.Dir(d) {
		rel, err := filepath.Rel(root, d)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			break
		}
		if deployDirs[strings.ToLower(filepath.Base(d))] {
			top = filepath.Dir(d)
		}
	}
	return top
}

// commonDirs is the number of leading path elements a and b share.
func commonDirs(a, b string) int {
	as, bs := strings.Split(filepath.ToSlash(a), "/"), strings.Split(filepath.ToSlash(b), "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// codeReaders reads the source files (and Spring configuration files) of
// the folders named, fix.CodeReader: regular files, no link followed,
// installed packages and build output left out (skipCodeDir), each at most
// the root's max_file_size, at most maxCodeFiles of them.
func codeReaders(files []*fixedFile, dirs []fixTarget) []reader {
	var out []reader
	seen := map[string]bool{}
	for _, d := range dirs {
		d.walkFiles(maxReaders, func(name, _ string) bool { return skipCodeDir(name) }, func(rel string, de fs.DirEntry) {
			p := filepath.Join(d.root, filepath.FromSlash(rel))
			if len(out) >= maxCodeFiles || !fix.CodeReader(de.Name()) || seen[p] {
				return
			}
			seen[p] = true
			t := d
			t.disk = p
			data, err := t.read(rel, d.maxSize)
			if err != nil {
				return
			}
			t.name = filepath.ToSlash(p)
			out = append(out, reader{t.name, data, t})
		})
	}
	return out
}
