package fix

import (
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"
)

// A custom resource often names the Secret an S3 client of its operator
// signs with, beside that client's endpoint (qa15 HIGH-16): Velero's
// BackupStorageLocation (credential: {name, key} with config.s3Url),
// CloudNativePG's Cluster (barmanObjectStore.s3Credentials with
// endpointURL), Loki's, Thanos's and Mimir's object storage settings, a
// Crossplane ProviderConfig. No container of the run reads that Secret,
// so the container join does not see it: a SecretNamer is such a
// document.

// SecretNamer is a Kubernetes-shaped document without containers that
// names Secrets.
type SecretNamer struct {
	Kind, Name string
	Line       int // 1-based, of the document's first line
	// Endpoint is a custom endpoint the document sets, as a reason
	// describes it; "" when none.
	Endpoint string
	// Values are the scalar values of the document, among which are the
	// names of the Secrets it names.
	Values map[string]bool
}

// SecretNamers returns the documents of the manifest called name that
// have a kind: other than Secret and ConfigMap, hold no container (the
// container join judges those), and set a custom endpoint.
func SecretNamers(name string, data []byte) []SecretNamer {
	if Detect(name, data) != YAML || !bytes.Contains(data, []byte("kind:")) {
		return nil
	}
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			break
		}
		if len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
			docs = append(docs, doc.Content[0])
		}
	}
	if len(docs) == 0 {
		return nil
	}
	e := newEditor(data, YAML)
	var cs []Container // as Containers finds them, from the same editor
	if mayHoldContainers(data) {
		cs = e.containers()
	}
	var out []SecretNamer
	for k, d := range docs {
		kind := scalar(mapGet(d, "kind"))
		if kind == "" || kind == "Secret" || kind == "ConfigMap" || strings.HasSuffix(kind, "List") || strings.HasPrefix(kind, "Kustomization") {
			continue
		}
		first, last := d.Line-1, len(e.lines)-1
		if k+1 < len(docs) {
			last = docs[k+1].Line - 2
		}
		for first > 0 && !docBreak(e.text(first-1)) {
			first--
		}
		holds := false
		for _, c := range cs {
			if l := c.Line - 1; l >= first && l <= last {
				holds = true
			}
		}
		if holds || first > last || last >= len(e.lines) {
			continue
		}
		ep := e.endpointIn(first, last)
		if ep == "" {
			continue
		}
		s := SecretNamer{Kind: kind, Name: scalar(mapGet(mapGet(d, "metadata"), "name")), Line: d.Line, Endpoint: ep, Values: map[string]bool{}}
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.ScalarNode {
				s.Values[n.Value] = true
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(d)
		out = append(out, s)
	}
	return out
}

// ManifestOf returns the kind and metadata.name of the manifest (document,
// or List item) of the YAML file that holds the byte at off: a key inside
// a Secret's credentials file (stringData: cloud: |) belongs to that
// Secret.
func ManifestOf(name string, data []byte, off int) (kind, mname string) {
	if Detect(name, data) != YAML || off < 0 || off >= len(data) {
		return "", ""
	}
	e := newEditor(data, YAML)
	i := e.lineAt(off)
	kind, mname, _ = e.manifestAt(i, e.yamlPath(i))
	return kind, mname
}
