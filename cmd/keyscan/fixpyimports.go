package main

import (
	"path"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lazyre"
)

// pyImport matches a Python import statement: from MODULE import NAMES, or
// import MODULES.
var pyImport = lazyre.New(`(?m)^[ \t]*(?:from[ \t]+(\.*[A-Za-z0-9_.]*)[ \t]+import[ \t]+\(?([A-Za-z0-9_, \t*]+)|import[ \t]+([A-Za-z0-9_., \t]+))`)

// maxPyImports bounds the modules pyImportEndpoint reads.
const maxPyImports = 64

// pyImportEndpoint says which module of the run that the Python file at
// the target imports, directly or through a few others, sets a custom
// endpoint anywhere (fix.CodeEndpoint: AWS_ENDPOINT_URL named, as
// os.environ.setdefault("AWS_ENDPOINT_URL", …) at import does; an
// endpoint_url; a path-style Config): the file's clients may get it (qa16
// HIGH-16). A module is looked for as python finds it for a script of the
// target's folder or a package of the root: MODULE.py or MODULE/__init__.py
// in the target's folder and at the root (relative imports from the
// target's package), inside the root, no link followed. "" when none.
func pyImportEndpoint(t fixTarget, data []byte) string {
	rel := t.rel()
	type mod struct {
		rel  string
		data []byte
	}
	queue := []mod{{rel, data}}
	seen := map[string]bool{rel: true}
	for n := 0; n < len(queue) && n < maxPyImports; n++ {
		cur := queue[n]
		dir := path.Dir(cur.rel)
		for _, m := range pyImport.FindAllStringSubmatch(string(cur.data), -1) {
			var names []string
			base := []string{path.Dir(rel), dir, "."}
			if m[3] != "" {
				for _, x := range strings.Split(m[3], ",") {
					if f := strings.Fields(x); len(f) > 0 {
						names = append(names, f[0]) // import a.b as c
					}
				}
			} else {
				from := m[1]
				if dots := len(from) - len(strings.TrimLeft(from, ".")); dots > 0 {
					up := dir
					for range dots - 1 {
						up = path.Dir(up)
					}
					base, from = []string{up}, strings.TrimLeft(from, ".")
				}
				if from != "" {
					names = append(names, from)
				}
				for _, x := range strings.Split(m[2], ",") { // from pkg import module
					if f := strings.Fields(x); len(f) > 0 && f[0] != "*" {
						names = append(names, strings.Trim(from+"."+f[0], "."))
					}
				}
			}
			for _, name := range names {
				p := strings.ReplaceAll(name, ".", "/")
				for _, b := range base {
					for _, cand := range []string{path.Join(b, p+".py"), path.Join(b, p, "__init__.py")} {
						if seen[cand] || !insideRoot(cand) || !regularBelow(t, cand) {
							continue
						}
						seen[cand] = true
						src, err := t.read(cand, t.maxSize)
						if err != nil {
							continue
						}
						if what := fix.CodeEndpoint(cand, src); what != "" {
							return fix.ImportEndpointReason(what, t.shown(cand)+", which "+t.shown(rel)+" imports ("+name+"),")
						}
						queue = append(queue, mod{cand, src})
					}
				}
			}
		}
	}
	return ""
}
