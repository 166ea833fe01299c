package analyzer_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// goNotations are Go files that each hide a key pair in a notation the
// byte scan decodes (invisible separators, lists of characters and code
// points), keyed by file name.
func goNotations(g *fakekey.Gen) map[string]string {
	cut := func(s, sep string, at int) string { return s[:at] + sep + s[at:] }
	files := map[string]string{}
	for i, sep := range []struct{ name, text string }{
		{"zwsp", "\u200b"}, {"shy", "\u00ad"}, {"wj", "\u2060"}, {"escaped", `\u200b`}, {"bom", `\ufeff`},
	} {
		id, s := g.KeyID("AKIA"), g.Secret()
		files[sep.name+".go"] = fmt.Sprintf("package p\n\nconst awsAccessKeyID%d = \"%s\"\n\nconst awsSecretAccessKey%d = \"%s\"\n",
			i, cut(id, sep.text, 5+i), i, cut(s, sep.text, 11+3*i))
	}
	items := func(s, f, sep string) string {
		parts := make([]string, len(s))
		for i := range len(s) {
			parts[i] = fmt.Sprintf(f, s[i])
		}
		return strings.Join(parts, sep)
	}
	id, s := g.KeyID("AKIA"), g.Secret()
	files["chars.go"] = fmt.Sprintf("package p\n\nvar awsAccessKeyID = string([]byte{%s})\n\nvar awsSecretAccessKey = string([]rune{%s})\n",
		items(id, "'%c'", ", "), items(s, "'%c'", ", "))
	id, s = g.KeyID("AKIA"), g.Secret()
	files["codes.go"] = fmt.Sprintf("package p\n\nvar accessKeyID = string([]byte{\n\t%s,\n})\n\nvar secretAccessKey = string([]byte{\n\t%s,\n})\n",
		items(id, "%d", ", "), items(s, "%d", ", "))
	// a gzip'd credentials file in base64, cut into a chain of literals
	// as generated code writes an asset (qa14 HIGH-11)
	id, s = g.KeyID("AKIA"), g.Secret()
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	fmt.Fprintf(zw, "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n%s", id, s, strings.Repeat("other = x y z\n", 40))
	zw.Close()
	run := base64.StdEncoding.EncodeToString(zipped.Bytes())
	var chain []string
	for i := 0; i < len(run); i += 76 {
		chain = append(chain, "\t\""+run[i:min(len(run), i+76)]+"\"")
	}
	files["b64chain.go"] = "package p\n\nconst blob = \"\" +\n" + strings.Join(chain, " +\n") + "\n"
	return files
}

// TestGoVetNotations: the real go vet -vettool=keyscan and keyscan scan
// report the key pairs of goNotations, each at its file.
func TestGoVetNotations(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "notations")
	write(t, filepath.Join(mod, "go.mod"), "module example.com/notations\n\ngo 1.22\n")
	files := goNotations(fakekey.New(4242))
	for name, text := range files {
		write(t, filepath.Join(mod, "p", name), text)
	}
	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if code == 0 {
		t.Fatalf("go vet: exit 0, want the keys\n%s", out)
	}
	vetLine := regexp.MustCompile(`(?m)^(?:\./)?p/(\S+\.go):\d+:\d+: AWS (access key ID|secret access key) `)
	var got []string
	for _, m := range vetLine.FindAllStringSubmatch(out, -1) {
		got = append(got, m[1]+" "+m[2])
	}
	slices.Sort(got)
	var want []string
	for name := range files {
		want = append(want, name+" access key ID", name+" secret access key")
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("go vet reports\n\t%s\nwant\n\t%s\noutput:\n%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"), out)
	}
	out, code = runCode(t, mod, bin, "scan", "--format", "json", ".")
	if code != 1 {
		t.Fatalf("keyscan scan: exit %d, want 1\n%s", code, out)
	}
	for name := range files {
		if n := strings.Count(out, `"file": "p/`+name+`"`); n != 2 {
			t.Errorf("keyscan scan: %d findings in %s, want 2\n%s", n, name, out)
		}
	}
}
