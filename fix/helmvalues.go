package fix

import (
	"path"
	"strings"
)

// A Helm values file is not read by one client: the chart's templates
// (and its subcharts') take any value anywhere, so where an endpoint stands
// in the file says nothing of which client gets it. A value under global:
// is given to the chart and every subchart (qa12 MEDIUM-1 (d)), and a
// chart that bundles an S3-compatible service as a subchart (minio:
// enabled: true) wires its own endpoint into the templates. So in a values
// file an endpoint setting anywhere, or a bundled MinIO, LocalStack, Ceph,
// SeaweedFS or Garage that is not disabled, keeps every key of the file
// for a person.

// helmValuesFile reports whether name is a Helm values file (values.yaml,
// values-prod.yml, values.staging.yaml), as fix/refs.go names them.
func helmValuesFile(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	ext := path.Ext(b)
	return strings.HasPrefix(b, "values") && (ext == ".yaml" || ext == ".yml")
}

// bundledStorage are the subcharts of S3-compatible services a chart
// bundles under their own top-level key.
var bundledStorage = []string{"minio", "localstack", "seaweedfs", "ceph", "rook-ceph", "garage"}

// helmEndpoint describes what gives the clients of a Helm values file a
// custom endpoint: an endpoint setting anywhere in the file, or a bundled
// S3-compatible service; "" when nothing does.
func (e *editor) helmEndpoint() string {
	if d := e.endpointIn(0, len(e.lines)-1); d != "" {
		return d
	}
	for i := range e.lines {
		if !e.isContent(i) || indentOf(e.text(i)) != 0 {
			continue
		}
		a, ok := e.parseAssign(i)
		if !ok {
			continue
		}
		k := strings.ToLower(unquote(a.key))
		bundled := false
		for _, b := range bundledStorage {
			bundled = bundled || k == b
		}
		if !bundled || e.disabled(i) {
			continue
		}
		return "the chart bundles " + unquote(a.key) + " (" + unquote(a.key) + ":), whose endpoint its templates may give these keys' client"
	}
	return ""
}

// disabled reports whether the top-level block at line i says enabled:
// false (a subchart switched off), or is empty.
func (e *editor) disabled(i int) bool {
	a, _ := e.parseAssign(i)
	if v := strings.TrimSpace(a.inner); v != "" && !strings.HasPrefix(v, "#") {
		return !strings.Contains(strings.ReplaceAll(v, " ", ""), "enabled:true")
	}
	child := e.childIndent(i)
	for j := i + 1; j < len(e.lines); j++ {
		if !e.isContent(j) {
			continue
		}
		d := indentOf(e.text(j))
		if d == 0 {
			break
		}
		if d != child {
			continue
		}
		if c, ok := e.parseAssign(j); ok && c.key == "enabled" {
			return unquote(c.inner) == "false"
		}
	}
	return child <= 0
}

// HelmValuesFile reports whether name is a Helm values file
// (values*.yaml).
func HelmValuesFile(name string) bool { return helmValuesFile(name) }

// HelmEndpoint describes what in the Helm values file called name gives
// a chart's clients a custom endpoint (an endpoint setting anywhere, a
// bundled S3-compatible service), or "": keyscan fix reads the values
// files of the parent chart and of the subcharts too, since a parent's
// global: and its block for a subchart reach the subchart's templates.
func HelmEndpoint(name string, data []byte) string {
	if !helmValuesFile(name) {
		return ""
	}
	return newEditor(data, YAML).helmEndpoint()
}

// ValuesEndpoint is HelmEndpoint for a file of any name that helm install
// -f may take as values (envs/onprem.yaml in a chart folder).
func ValuesEndpoint(data []byte) string {
	return newEditor(data, YAML).helmEndpoint()
}

// HelmUnreadReason is the reason given for keys of a values file named
// alone when file, another values file helm merges with it, was not read.
func HelmUnreadReason(file string) string {
	return customEndpoint("maybe: " + file + ", a values file of the same chart family, which helm install -f merges into the same " +
		"values, was not read (the file was named alone: name the folder), and an endpoint there would make these keys another service's")
}

// HelmEndpointReason is the reason given for keys of a values file whose
// chart family sets an endpoint in another values file: what as
// HelmEndpoint describes it, file the values file that sets it, sibling
// whether it lies in the same folder (merged by helm install -f).
func HelmEndpointReason(what, file string, sibling bool) string {
	if sibling {
		return customEndpoint(what + ", in " + file + ", a values file of the same chart folder or one of no chart, which helm install -f " +
			"merges into the same values, so the chart's templates may give it these keys' client")
	}
	return customEndpoint(what + ", in " + file + ", a values file of the same chart family (a parent chart's global: " +
		"and subchart blocks reach the subchart's templates)")
}

// helmReason is the reason given for keys of a Helm values file that sets
// a custom endpoint itself (what as helmEndpoint describes it).
func helmReason(what string) string {
	if strings.HasPrefix(what, "the chart bundles ") {
		return customEndpoint(what)
	}
	return customEndpoint(what + ", in a Helm values file, whose values the chart's templates (and, under global:, " +
		"every subchart's) may give any client")
}
