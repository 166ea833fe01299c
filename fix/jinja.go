package fix

import (
	"github.com/keyscan/keyscan/internal/lazyre"
	"strings"
)

// An Ansible (or Salt) variable file is YAML whose keys templates read by
// name: group_vars/all.yml's aws_access_key is {{ aws_access_key }} in a
// role's task (qa15 HIGH-17). Removing it makes the next run fail
// ('aws_access_key' is undefined), and the task that reads it often
// names its own endpoint_url (MinIO): a TemplateVar is such a
// definition.

// jinjaRead matches a Jinja expression that starts with a variable:
// {{ NAME }}, {{ NAME | default(...) }}, {{ NAME.key }}, {{ NAME['k'] }}.
var jinjaRead = lazyre.New(`\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(?:[}|.\[\s(]|-\}\})`)

// jinjaReads returns the Jinja reads of a file by variable (dotted
// path), with their offsets.
func jinjaReads(text string) map[string][]int {
	out := map[string][]int{}
	if !strings.Contains(text, "{{") {
		return out
	}
	for _, m := range jinjaRead.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 && text[m[0]-1] == '$' {
			continue // ${{ env.X }}: a GitHub Actions expression, no Jinja
		}
		v := text[m[2]:m[3]]
		out[v] = append(out[v], m[0])
		// {{ aws.access_key }} reads aws too.
		for i := strings.IndexByte(v, '.'); i > 0; i = indexFrom(v, '.', i+1) {
			out[v[:i]] = append(out[v[:i]], m[0])
		}
	}
	return out
}

// indexFrom is strings.IndexByte from position i, -1 when not found.
func indexFrom(s string, c byte, i int) int {
	if i >= len(s) {
		return -1
	}
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// templateVarFile reports whether the YAML file name (base name base,
// path p of the key) may define variables a template reads: not a
// manifest (the caller checked), not compose, CI or a values file.
func templateVarFile(base string) bool {
	if strings.HasPrefix(base, "values") || strings.Contains(base, "compose") || base == ".gitlab-ci.yml" {
		return false
	}
	return strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")
}

// ReaderEndpoint returns the custom endpoint that the YAML block holding
// line (1-based) of the file sets (an Ansible task's endpoint_url: a
// list item, else the whole file); "" when none.
func ReaderEndpoint(name string, data []byte, line int) string {
	if Detect(name, data) != YAML {
		return ""
	}
	e := newEditor(data, YAML)
	i := line - 1
	if i < 0 || i >= len(e.lines) {
		return ""
	}
	j := i
	for p := e.parent(j); p >= 0 && !docBreak(e.text(p)); p = e.parent(j) {
		j = p // up to the top-level entry: a task, a play
	}
	if _, item := e.itemIndent(j); item {
		if first, last, ok := e.listItem(j); ok {
			return e.endpointIn(first, last)
		}
	}
	if _, ok := e.parseAssign(j); ok {
		return e.endpointIn(j, e.blockEnd(j))
	}
	return e.endpointIn(0, len(e.lines)-1)
}
