package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// notationCorpus is a folder of files that each hide a key pair in one
// notation the matcher decodes: escapes, concatenations, invisible
// separators, lists of characters or code points, archives written as
// byte literals, base64. Every file has keys of its own seed, so that a
// finding names one file.
func notationCorpus(t *testing.T) map[string]string {
	t.Helper()
	seed := uint64(9100)
	pair := func() (string, string) {
		seed++
		g := fakekey.New(seed)
		return g.KeyID("AKIA"), g.Secret()
	}
	u := func(s string) string { // \u0041 for every character
		var b strings.Builder
		for _, c := range []byte(s) {
			fmt.Fprintf(&b, `\u%04x`, c)
		}
		return b.String()
	}
	cut := func(s, sep string, at int) string { return s[:at] + sep + s[at:] }
	chars := func(s, q string) string { // 'A', 'K', ...
		parts := make([]string, len(s))
		for i := range len(s) {
			parts[i] = q + s[i:i+1] + q
		}
		return strings.Join(parts, ", ")
	}
	codes := func(s string) string { // 65, 75, ...
		parts := make([]string, len(s))
		for i := range len(s) {
			parts[i] = fmt.Sprint(s[i])
		}
		return strings.Join(parts, ", ")
	}
	hexList := func(b []byte, perLine int) string { // 0x1f, 0x8b, ...
		var s strings.Builder
		for i, c := range b {
			if i > 0 {
				s.WriteString(",")
				if i%perLine == 0 {
					s.WriteString("\n\t")
				} else {
					s.WriteString(" ")
				}
			}
			fmt.Fprintf(&s, "0x%02x", c)
		}
		return s.String()
	}
	gz := func(text string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(text))
		w.Close()
		return b.Bytes()
	}
	files := map[string]string{}
	add := func(name, format string, args ...any) { files[name] = fmt.Sprintf(format, args...) }

	id, s := pair()
	add("escapes/settings.ini", "[default]\naws_access_key_id = \"%s\"\naws_secret_access_key = \"%s\"\n", u(id), u(s))
	id, s = pair()
	add("escapes/page.html", "<p>aws_access_key_id = %s</p>\n<p>aws_secret_access_key = %s</p>\n",
		strings.Join(strings.Split(fmt.Sprintf("&#%d;", id[0])+id[1:], ""), ""), s)
	id, s = pair()
	add("concat/creds.js", "const accessKeyId = \"%s\" + \"%s\";\nconst secretAccessKey = \"%s\" +\n  \"%s\";\n", id[:2], id[2:], s[:17], s[17:])
	id, s = pair()
	add("base64/secret.yaml", "apiVersion: v1\nkind: Secret\ndata:\n  credentials: %s\n",
		base64.StdEncoding.EncodeToString([]byte("[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+s+"\n")))

	// Invisible separators (qa12 MEDIUM-18).
	for _, sep := range []struct{ name, text string }{
		{"zwsp.md", "\u200b"}, {"shy.txt", "\u00ad"}, {"wj.md", "\u2060"}, {"bom.txt", "\ufeff"}, {"zwnj.md", "\u200c"},
		{"wbr.html", "<wbr>"}, {"ent.html", "&#8203;"}, {"shy.html", "&shy;"}, {"hex.html", "&#x200B;"},
		{"u200b.json", `\u200b`}, {"url.txt", "%E2%80%8B"},
	} {
		id, s = pair()
		if strings.HasSuffix(sep.name, ".json") {
			add("invisible/"+sep.name, "{\"aws_access_key_id\": \"%s\",\n \"aws_secret_access_key\": \"%s\"}\n", cut(id, sep.text, 9), cut(s, sep.text, 20))
			continue
		}
		add("invisible/"+sep.name, "aws_access_key_id = %s\naws_secret_access_key = %s\n", cut(id, sep.text, 4+int(seed%15)), cut(s, sep.text, 1+int(seed%38)))
	}

	// Lists of characters and code points (qa12 MEDIUM-19).
	id, s = pair()
	add("lists/A.java", "class A {\n  static final String ID = new String(new char[]{%s});\n  static final String SECRET = new String(new char[]{%s});\n}\n", chars(id, "'"), chars(s, "'"))
	id, s = pair()
	add("lists/a.py", "aws_access_key_id = \"\".join([%s])\naws_secret_access_key = \"\".join([%s])\n", chars(id, "\""), chars(s, "\""))
	id, s = pair()
	add("lists/a.js", "const accessKeyId = String.fromCharCode(%s);\nconst secretAccessKey = String.fromCharCode(%s);\n", codes(id), codes(s))
	id, s = pair()
	add("lists/b.py", "aws_access_key_id = ''.join(chr(c) for c in [%s])\naws_secret_access_key = ''.join(map(chr, [%s]))\n", codes(id), codes(s))
	id, s = pair()
	add("lists/a.go", "package lists\n\nvar awsAccessKeyID = string([]byte{%s})\nvar awsSecretAccessKey = string([]rune{%s})\n", chars(id, "'"), chars(s, "'"))
	id, s = pair()
	add("lists/codes.go", "package lists\n\nvar accessKeyID = string([]byte{%s})\nvar secretAccessKey = string([]byte{%s})\n", codes(id), codes(s))
	id, s = pair()
	add("lists/cs.cs", "var awsAccessKeyId = new string(new char[] { %s });\nvar awsSecretAccessKey = new string(new[] { %s });\n", chars(id, "'"), chars(s, "'"))

	// Archives written as byte literals (encoded.md): the same gzip in a
	// Go []byte list, a C array (xxd -i), a Python bytes literal.
	id, s = pair()
	arc := gz("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + s + "\n")
	add("bytelit/asset.go", "package bytelit\n\nvar asset = []byte{\n\t%s,\n}\n", hexList(arc, 12))
	id, s = pair()
	arc = gz("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + s + "\n")
	add("bytelit/asset.h", "unsigned char asset_gz[] = {\n  %s\n};\nunsigned int asset_gz_len = %d;\n", hexList(arc, 12), len(arc))
	id, s = pair()
	arc = gz("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + s + "\n")
	var py strings.Builder
	for _, c := range arc {
		fmt.Fprintf(&py, `\x%02x`, c)
	}
	add("bytelit/blob.py", "BLOB = b\"%s\"\n", py.String())
	id, s = pair()
	arc = gz("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + s + "\n")
	add("bytelit/asset_string.go", "package bytelit\n\nvar assetString = %q\n", string(arc))
	return files
}

// agreeFinding is what the commands must agree on for a finding.
type agreeFinding struct {
	Rule     string   `json:"rule"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Secret   string   `json:"secret"`
	Encoding string   `json:"encoding"`
	Paths    []string `json:"paths"`
}

func (f agreeFinding) String() string {
	return fmt.Sprintf("%s:%d:%d %s %s…(%s)", f.File, f.Line, f.Column, f.Rule, f.Secret[:4], f.Encoding)
}

func findingsOf(t *testing.T, what string, r cmdResult) []string {
	t.Helper()
	var fs []agreeFinding
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatalf("%s: exit %d, output is no JSON list: %v\n%s%s", what, r.code, err, r.stdout, r.stderr)
	}
	var out []string
	for _, f := range fs {
		if len(f.Paths) > 1 {
			t.Errorf("%s: %s found in %d paths, want one (every file has keys of its own)", what, f, len(f.Paths))
		}
		out = append(out, f.String())
	}
	slices.Sort(out)
	return out
}

// runCorpus commits corpus (and extra, files that are no case of it) to a
// new repository, and runs keyscan staged on it staged, then keyscan scan
// and keyscan history on the commit, each with JSON and the secrets shown;
// each must exit with findings.
func runCorpus(t *testing.T, corpus, extra map[string]string) (scan, history, staged cmdResult) {
	t.Helper()
	repo := t.TempDir()
	gitOK(t, repo, "init", "-q")
	for _, files := range []map[string]string{extra, corpus} {
		for name, text := range files {
			writeRepoFile(t, repo, name, text)
		}
	}
	gitOK(t, repo, "add", ".")
	staged = keyscanIn(t, repo, "staged", "--format", "json", "--show-secrets")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "corpus")
	scan = keyscanIn(t, repo, "scan", "--format", "json", "--show-secrets", ".")
	history = keyscanIn(t, repo, "history", "--format", "json", "--show-secrets", ".")
	for what, r := range map[string]cmdResult{"scan": scan, "history": history, "staged": staged} {
		if r.code != exitFindings {
			t.Errorf("%s: exit %d, want %d\n%s", what, r.code, exitFindings, r.stderr)
		}
	}
	return scan, history, staged
}

// TestNotationsAgreeAcrossCommands holds the property that scan and history
// agree on every blob: keyscan history of a one-commit repository finds
// exactly what keyscan scan finds in its checkout, and keyscan staged of the
// same files staged finds it too, over a corpus of files that each hide a
// key pair in a notation (notationCorpus). Every file must give findings,
// so a notation that all commands miss fails the test as well.
func TestNotationsAgreeAcrossCommands(t *testing.T) {
	corpus := notationCorpus(t)
	scan, history, staged := runCorpus(t, corpus, map[string]string{"go.mod": "module example.com/corpus\n\ngo 1.22\n"})
	want := findingsOf(t, "scan", scan)
	for name := range corpus {
		found := false
		for _, f := range want {
			found = found || strings.HasPrefix(f, name+":") || strings.HasPrefix(f, name+"!")
		}
		if !found {
			t.Errorf("scan: nothing found in %s", name)
		}
	}
	for what, r := range map[string]cmdResult{"history": history, "staged": staged} {
		got := findingsOf(t, what, r)
		if !slices.Equal(got, want) {
			t.Errorf("%s finds\n\t%s\nscan finds\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	}
}
