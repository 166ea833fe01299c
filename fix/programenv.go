package fix

import "strings"

// A deployment hands a program its environment in many forms besides a
// .env file: a Kubernetes container's env: name/value pairs, a compose
// service's environment: (a map, or a list of NAME=value), an ECS or
// CloudFormation container definition's Environment Name/Value pairs,
// another tool's env:/environment: map (a Serverless provider, a
// Tekton step). The program reads them all the same way, and code that
// reads one by name with no default (os.environ["NAME"]) fails with a
// KeyError once the change deletes it, where a .env variable of the same
// name stays for a person (qa26 M3). programEnvAt names such a variable,
// so that keyscan fix gives it the reader search of a .env variable
// (ProgramEnv, CodeIndex).

// programEnvAt returns the name of the environment variable that the
// YAML setting on line i (its path p, yamlPath) sets for a program; ""
// when it sets none. compose tells a compose file, whose environment:
// list holds NAME=value items.
func (e *editor) programEnvAt(i int, p []string, compose bool) string {
	n := len(p)
	// The key above a line, read from the line itself: yamlPath gives a
	// key that opens a list item (- Environment:) as "[]".
	envParent := func(j int) bool {
		if j = e.parent(j); j < 0 {
			return false
		}
		a, ok := e.parseAssign(j)
		if !ok {
			return false
		}
		switch strings.ToLower(a.key) {
		case "env", "environment":
			return strings.TrimSpace(a.inner) == ""
		}
		return false
	}
	// name/value pairs: - name: NAME then value: KEY.
	if n >= 2 && strings.EqualFold(p[n-1], "value") && p[n-2] == "[]" {
		first, last, ok := e.listItem(i)
		if !ok || !envParent(first) {
			return ""
		}
		nl, ok := e.itemKeys(first, last)["name"]
		if !ok {
			return ""
		}
		if a, ok := e.parseAssign(nl); ok {
			if v := strings.Trim(strings.TrimSpace(a.inner), `"'`); shellName(v) {
				return v
			}
		}
		return ""
	}
	// A list of NAME=KEY items (compose's list form).
	if item, isItem := strings.CutPrefix(strings.TrimSpace(e.text(i)), "- "); isItem && compose && envParent(i) {
		item = strings.Trim(strings.TrimSpace(item), `"'`)
		if k, _, ok := strings.Cut(item, "="); ok && shellName(k) {
			return k
		}
		return ""
	}
	a, ok := e.parseAssign(i)
	if !ok {
		return ""
	}
	// A map: environment: then NAME: KEY.
	if _, isItem := e.itemIndent(i); !isItem && shellName(a.key) && envParent(i) {
		return a.key
	}
	return ""
}

// programEnvJSON returns the name of the environment variable that the
// JSON string at keys (jsonKeys; t its place) sets for a program: an ECS
// container definition's "environment": [{"name": N, "value": KEY}]
// (CloudFormation's Name/Value too), or a member of an "env" or
// "environment" object. "" when it sets none.
func programEnvJSON(content []byte, keys []string, t jtarget) string {
	n := len(keys)
	envKey := func(k string) bool {
		switch strings.ToLower(k) {
		case "env", "environment":
			return true
		}
		return false
	}
	if n >= 3 && strings.EqualFold(keys[n-1], "value") && keys[n-2] == "[]" && envKey(keys[n-3]) && len(t.path) == n {
		for _, m := range t.path[n-1].members {
			if strings.EqualFold(m.key, "name") && m.val != nil && m.val.kind == '"' && m.val.end <= len(content) {
				if v := strings.Trim(string(content[m.val.start:m.val.end]), `"`); shellName(v) {
					return v
				}
			}
		}
		return ""
	}
	if n >= 2 && envKey(keys[n-2]) && shellName(keys[n-1]) {
		return keys[n-1]
	}
	return ""
}
