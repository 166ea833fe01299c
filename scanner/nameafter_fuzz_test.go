package scanner

import (
	"bytes"
	"testing"
)

// FuzzNameAfter: the readers of a name after its value (nameafter.go), of
// a list that opens with a key prefix (listOpensWithPrefix) and of chr
// calls around a key prefix's I (chrCallPrefix) never panic
// and never read past the text they are given, on any bytes, with the
// keyword anywhere in them; nor does the reader of a value named by its
// place in a SQL column list (sqlColumnValue), the keyword before it; nor
// do the readers of a heading over a code block (headingNamesBlock) and of
// a YAML alias and its anchor (yamlAliasAfter, yamlAnchorOf).
func FuzzNameAfter(f *testing.F) {
	f.Add([]byte(`UPDATE t SET value = 'S', u = now() WHERE a IN ('x', 'y') AND "name" = 'aws_secret_access_key';`), 28)
	f.Add([]byte("echo \"S\" | sudo tee -a /run/secrets/aws_secret_access_key >/dev/null"), 8)
	f.Add([]byte("<<< 'S' docker secret create aws_secret_access_key -"), 7)
	f.Add([]byte("docker secret create aws_secret_access_key - <<'EOF'\nS\nEOF\n"), 55)
	f.Add([]byte("cat <<< \"S\" | gh secret set aws_secret_access_key x"), 10)
	f.Add([]byte("k = [65 , 75 ,\t73 ,\n65]"), 5)
	f.Add([]byte("k = chr(65)+chr(75)+chr(73)+chr(65)"), 29)
	f.Add([]byte("INSERT INTO t (id, aws_secret_access_key)\nVALUES (1, 'x'), (f('a', (2)), N'S');"), 80)
	f.Add([]byte("### aws_secret_access_key\n\n```text\nS\n```\n"), 0)
	f.Add([]byte("a: &c S\nb: {aws_secret_access_key: *c}\n"), 0)
	f.Add([]byte("COPY t (id, aws_secret_access_key) FROM stdin WITH csv;\n1,\"S\"\n"), 60)
	f.Fuzz(func(t *testing.T, d []byte, end int) {
		if len(d) == 0 || len(d) > 4096 {
			return
		}
		end = max(0, min(end, len(d)))
		sqlNamedAfter(d[end:], true)
		setValue(d, end)
		listOpensWithPrefix(d, end)
		if end+3 <= len(d) {
			chrCallPrefix(d, end)
		}
		k := bytes.Index(d[end:], []byte("aws_secret_access_key"))
		if k < 0 {
			return
		}
		kw := &keyword{start: end + k, end: end + k + len("aws_secret_access_key")}
		namedAfter(d, end, kw)
		if s := bytes.IndexByte(d[kw.end:], '\n'); s >= 0 {
			heredocNamed(d, kw, kw.end+s+1)
		}
		if s := bytes.LastIndexByte(d[kw.end:], '\n'); s >= 0 {
			v := kw.end + s + 1 + len(bytes.TrimLeft(d[kw.end+s+1:], " \t"))
			headingNamesBlock(d, kw, v, v+(len(d)-v)/2)
		}
		if name := yamlAliasAfter(d, kw.end); name != nil {
			yamlAnchorOf(d, name)
		}
		if b := bytes.Index(d[:end], []byte("aws_secret_access_key")); b >= 0 && end < len(d) {
			sqlColumnValue(d, b, b+len("aws_secret_access_key"), end)
		}
	})
}
