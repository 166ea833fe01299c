package fix

import (
	"slices"
	"strings"
)

// A client's settings are not always written in the one block that
// holds its keys (fix29). TOML, which many programs' INI-like files
// follow (app.ini, app.cfg, app.conf), splits one object into tables by
// dotted names: [aws] with the keys and [aws.s3] with endpoint = …, or
// an array of tables ([[storage]]) whose sub-table ([storage.options])
// holds the endpoint. A table may also be named for the S3-compatible
// service it configures ([aws.minio], [storage.minio]) with no address
// in it, the program knowing MinIO's. And YAML shares settings through
// merge keys: a mapping that holds the keys takes endpoint_url from an
// anchored block elsewhere in the file (<<: *minio). Each of these made
// fix move MinIO's keys to the instance role.

// storageTableWords are words of a table's name that name an
// S3-compatible service other than AWS's: the storage products of
// s3Services (a [cloudflare] or [digitalocean] table configures that
// company's other products as often) and the short names that say it only
// as a whole part of the name (r2, b2).
var storageTableWords = []string{"minio", "localstack", "ceph", "radosgw", "rgw", "wasabi", "backblaze", "backblazeb2",
	"seaweedfs", "seaweed", "storj", "idrive", "filebase", "dreamobjects", "storagegrid", "lyvecloud", "s3proxy",
	"cloudserver", "zenko", "s3mock", "fakes3", "versity", "versitygw", "rustfs", "garage", "r2", "b2", "spaces"}

// tableName returns the name of the INI or TOML header on line s
// ([aws.s3], [[storage]], [ "aws" . minio ]), its parts' quotes and
// blanks taken out; ok is false when s is no header.
func tableName(s string) (name string, ok bool) {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "[") {
		return "", false
	}
	end := strings.LastIndexByte(t, ']')
	if end < 0 {
		return "", false
	}
	n := strings.Trim(t[:end], "[] \t")
	var parts []string
	for _, p := range strings.Split(n, ".") {
		parts = append(parts, strings.Trim(strings.TrimSpace(p), `"'`))
	}
	return strings.Join(parts, "."), true
}

// tableRoot is the first dotted part of a TOML table's name: the object
// the table is part of.
func tableRoot(name string) string {
	r, _, _ := strings.Cut(name, ".")
	return strings.ToLower(r)
}

// iniScopes returns the line ranges whose settings reach the client of
// the setting on line i in an INI file: its section and, when the file
// writes TOML's dotted tables, every table of the same object (the
// tables whose names start with the same part, [aws] and [aws.s3]). A
// file without dotted names keeps one section a client, as .aws/config
// and rclone.conf write them.
func (e *editor) iniScopes(i int) [][2]int {
	h := e.iniSection(i)
	section := func(h int) [2]int {
		last := max(h, i)
		for last+1 < len(e.lines) && !strings.HasPrefix(strings.TrimSpace(e.text(last+1)), "[") {
			last++
		}
		return [2]int{max(h, 0), last}
	}
	own := section(h)
	if h < 0 {
		return [][2]int{own}
	}
	name, _ := tableName(e.text(h))
	root := tableRoot(name)
	var out [][2]int
	for _, g := range e.tableHeaders() {
		if g == h {
			out = append(out, own)
			continue
		}
		if n, _ := tableName(e.text(g)); tableRoot(n) == root && (strings.Contains(n, ".") || strings.Contains(name, ".")) {
			out = append(out, section(g))
		}
	}
	return out
}

// tableHeaders returns the lines that open an INI section or TOML table.
func (e *editor) tableHeaders() []int {
	var hs []int
	e.iniSection(0) // fills e.headers
	for l, h := range e.headers {
		if h == l {
			hs = append(hs, l)
		}
	}
	return hs
}

// tableService describes the first header among lines first..last whose
// name names an S3-compatible service ([aws.minio]); dotted says to take
// only TOML's dotted names and arrays of tables, for the keys' own tables:
// a profile or rclone remote named minio is a name its user chose.
func (e *editor) tableService(first, last int, dotted bool) string {
	for l := first; l <= last && l < len(e.lines); l++ {
		t := strings.TrimSpace(e.text(l))
		n, ok := tableName(t)
		if !ok || dotted && !strings.Contains(n, ".") && !strings.HasPrefix(t, "[[") {
			continue
		}
		for _, w := range nameWords(n) {
			if slices.Contains(storageTableWords, w) {
				return shorten("["+n+"]") + ", a table named for " + w + ", an S3-compatible service other than AWS"
			}
		}
	}
	return ""
}

// iniEndpoint describes the custom endpoint that reaches the client of
// the setting on line i of an INI file: one set in its tables
// (iniScopes), or a table of them named for an S3-compatible service.
func (e *editor) iniEndpoint(i int) string {
	scopes := e.iniScopes(i)
	for _, s := range scopes {
		if d := e.endpointIn(s[0], s[1]); d != "" {
			return d
		}
	}
	for _, s := range scopes {
		if d := e.tableService(s[0], s[0], true); d != "" {
			return d
		}
	}
	return ""
}

// maxMerges bounds the anchored blocks followed from one scope.
const maxMerges = 32

// mergedIn describes the custom endpoint that the YAML lines first..last
// take through merge keys (<<: *minio, <<: [*a, *b]) from anchored blocks
// of the file, and those blocks through theirs; "" when none.
func (e *editor) mergedIn(first, last int) string {
	type span struct{ first, last int }
	queue := []span{{first, last}}
	seen := map[string]bool{}
	for len(queue) > 0 && len(seen) < maxMerges {
		s := queue[0]
		queue = queue[1:]
		for l := s.first; l <= s.last && l < len(e.lines); l++ {
			t := strings.TrimSpace(e.text(l))
			t = strings.TrimSpace(strings.TrimPrefix(t, "- "))
			v, ok := strings.CutPrefix(t, "<<:")
			if !ok {
				continue
			}
			if c := strings.Index(v, " #"); c >= 0 {
				v = v[:c]
			}
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == '[' || r == ']' || r == ',' || r == ' ' || r == '\t' }) {
				name, ok := strings.CutPrefix(f, "*")
				if !ok || name == "" || seen[name] || len(seen) >= maxMerges {
					continue
				}
				seen[name] = true
				a := e.anchorLine(name)
				if a < 0 {
					continue
				}
				end := e.blockEnd(a)
				if d := e.endpointIn(a, end); d != "" {
					return d
				}
				queue = append(queue, span{a, end})
			}
		}
	}
	return ""
}

// anchorLine returns the line that defines the YAML anchor &name (the
// file's last, for a name defined twice); -1 when none.
func (e *editor) anchorLine(name string) int {
	if e.anchors == nil {
		e.anchors = map[string]int{}
		for l := range e.lines {
			s := e.text(l)
			if strings.IndexByte(s, '&') < 0 || !e.isContent(l) {
				continue
			}
			for rest := s; ; {
				k := strings.IndexByte(rest, '&')
				if k < 0 {
					break
				}
				rest = rest[k+1:]
				n := rest[:strings.IndexFunc(rest+" ", func(r rune) bool { return strings.ContainsRune(" \t{}[],", r) })]
				if n != "" {
					e.anchors[n] = l
				}
			}
		}
	}
	if l, ok := e.anchors[name]; ok {
		return l
	}
	return -1
}
