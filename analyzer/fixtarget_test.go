package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoFixNoEditThroughLink (qa33 M2) runs the real go fix with keyscan
// as its tool, on the real aws-sdk-go, over a module whose Go file is a
// symbolic link to a file outside it, and one whose Go file gains a second
// hard link after a go vet that offered its fix (the go command's cache
// must not answer with the old edit): no edit is offered for either, go
// vet still reports the keys and says why, and go fix leaves both files,
// and what they point to, as they were. A plain file beside them is fixed.
func TestGoFixNoEditThroughLink(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod, outside := filepath.Join(tmp, "linkmod"), filepath.Join(tmp, "outside")
	g := fakekey.New(3302)
	body := func() string {
		return "package main\n\nimport (\n\t\"github.com/aws/aws-sdk-go/aws\"\n\t\"github.com/aws/aws-sdk-go/aws/credentials\"\n\t\"github.com/aws/aws-sdk-go/aws/session\"\n)\n\n" +
			"func main() { _ = run() }\n\nfunc run() *session.Session {\n\treturn session.Must(session.NewSession(&aws.Config{\n\t\tRegion:      aws.String(\"us-east-1\"),\n" +
			"\t\tCredentials: credentials.NewStaticCredentials(\"" + g.KeyID("AKIA") + "\", \"" + g.Secret() + "\", \"\"),\n\t}))\n}\n"
	}
	write(t, filepath.Join(mod, "go.mod"), "module example.com/linkmod\n\ngo 1.26\n\nrequire github.com/aws/aws-sdk-go v1.55.8\n")
	files := map[string]string{
		filepath.Join(outside, "creds.go"):      body(),
		filepath.Join(mod, "hard", "creds.go"):  body(),
		filepath.Join(mod, "plain", "creds.go"): body(),
	}
	for p, s := range files {
		write(t, p, s)
	}
	if err := os.MkdirAll(filepath.Join(mod, "linked"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "creds.go"), filepath.Join(mod, "linked", "creds.go")); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	run(t, mod, gobin, "mod", "tidy")
	out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	for _, want := range []string{"linked/creds.go:", "the file is a symbolic link to " + filepath.Join(outside, "creds.go"), "hard/creds.go:", "plain/creds.go:"} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet does not say %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "go fix -fixtool=keyscan removes") != 4 { // hard's and plain's key ID and secret
		t.Errorf("go vet does not offer the fix for hard/ and plain/ alone:\n%s", out)
	}
	// hard/creds.go gets a second name after go vet cached its fix.
	hard2 := filepath.Join(outside, "hard.go")
	if err := os.Link(filepath.Join(mod, "hard", "creds.go"), hard2); err != nil {
		t.Skipf("hard links: %v", err)
	}
	files[hard2] = files[filepath.Join(mod, "hard", "creds.go")]
	out, _ = runCode(t, mod, gobin, "vet", "-vettool="+bin, "./hard")
	if !strings.Contains(out, "the file has 2 hard links") {
		t.Errorf("go vet after the hard link does not say why there is no fix:\n%s", out)
	}
	run(t, mod, gobin, "fix", "-fixtool="+bin, "./...")
	for p, s := range files {
		got, _ := os.ReadFile(p)
		if changed := string(got) != s; changed != strings.Contains(p, "plain") {
			t.Errorf("%s after go fix (changed %v):\n%s", p, changed, got)
		}
	}
	if fi, err := os.Lstat(filepath.Join(mod, "linked", "creds.go")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("linked/creds.go is no longer the link: %v", err)
	}
}
