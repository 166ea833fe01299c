package analyzer_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoVetLiteralOpenedAbove: a secret alone (its key ID in no file)
// written as a raw string's first line, the raw string inside a call of
// the Trim family that the name's line opens (qa29 H1), is reported by the
// real go vet -vettool=keyscan, once, at the secret's own line, and by
// keyscan scan the same; go vet reported none of them before.
func TestGoVetLiteralOpenedAbove(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "opener")
	write(t, filepath.Join(mod, "go.mod"), "module example.com/opener\n\ngo 1.22\n")
	g := fakekey.New(2929)
	var secrets []string
	files := map[string]string{}
	for i, shape := range []string{
		"package p\n\nimport \"strings\"\n\nvar awsSecretAccessKey = strings.TrimSpace(`\n%s\n`)\n",
		"package p\n\nimport \"strings\"\n\nfunc f() string {\n\tawsSecretAccessKey := strings.Trim(`\n  %s\n`, \" \\n\")\n\treturn awsSecretAccessKey\n}\n",
		"package p\n\nimport (\n\t\"os\"\n\t\"strings\"\n)\n\nfunc g() {\n\tos.Setenv(\"AWS_SECRET_ACCESS_KEY\", strings.TrimSpace(`\n%s\n`))\n}\n",
		"package p\n\nimport \"strings\"\n\nvar creds = map[string]string{\n\t\"aws_secret_access_key\": strings.TrimRight(`\n%s\n`, \"\\n\"),\n}\n",
	} {
		s := g.Secret()
		secrets = append(secrets, s)
		files[fmt.Sprintf("s%d.go", i)] = fmt.Sprintf(shape, s)
	}
	for name, text := range files {
		write(t, filepath.Join(mod, "p", name), text)
	}
	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if code == 0 {
		t.Fatalf("go vet: exit 0, want the secrets\n%s", out)
	}
	vetLine := regexp.MustCompile(`(?m)^(?:\./)?p/(\S+\.go):(\d+):\d+: AWS secret access key `)
	var got []string
	for _, m := range vetLine.FindAllStringSubmatch(out, -1) {
		got = append(got, m[1]+":"+m[2])
	}
	slices.Sort(got)
	var want []string
	for name, text := range files {
		line := strings.Count(text[:strings.Index(text, "`\n")+2], "\n") + 1 // the raw string's first line
		want = append(want, fmt.Sprintf("%s:%d", name, line))
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("go vet reports\n\t%s\nwant\n\t%s\noutput:\n%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"), out)
	}
	out, code = runCode(t, mod, bin, "scan", "--format", "json", "--show-secrets", ".")
	if code != 1 {
		t.Fatalf("keyscan scan: exit %d, want 1\n%s", code, out)
	}
	for _, s := range secrets {
		if n := strings.Count(out, `"secret": "`+s+`"`); n != 1 {
			t.Errorf("keyscan scan: secret %s found %d times, want once\n%s", s[:4], n, out)
		}
	}
}
