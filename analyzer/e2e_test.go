package analyzer_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// SDK versions the end-to-end module pins; go mod tidy fills in the rest.
const e2eGoMod = `module example.com/e2e

go 1.26

require (
	github.com/aws/aws-sdk-go v1.55.8
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/aws-sdk-go-v2/config v1.33.18
	github.com/aws/aws-sdk-go-v2/credentials v1.21.0
)
`

// The program gives static keys to both SDKs. The v1 aws package takes the
// name aws, so the v2 fix must import aws-sdk-go-v2/aws under another name.
const e2eMain = `package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go/aws"
	v1creds "github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")),
	)
	fmt.Println(cfg.Region, err)

	sess, err := session.NewSession(&aws.Config{
		Region:      aws.String("us-east-1"),
		Credentials: v1creds.NewStaticCredentials("{{ID2}}", "{{SECRET2}}", ""),
	})
	fmt.Println(sess != nil, err)
}
`

// TestGoVetAndGoFix runs the real go vet and go fix with the keyscan binary
// as their tool, on a module that uses the real AWS SDKs.
func TestGoVetAndGoFix(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)

	mod := filepath.Join(tmp, "mod")
	vals := fakekey.New(26).Values()
	src := e2eMain
	for _, k := range []string{"ID", "SECRET", "ID2", "SECRET2"} {
		src = strings.ReplaceAll(src, "{{"+k+"}}", vals[k])
	}
	write(t, filepath.Join(mod, "go.mod"), e2eGoMod)
	write(t, filepath.Join(mod, "main.go"), src)
	run(t, mod, gobin, "mod", "tidy")
	run(t, mod, gobin, "build", "./...")

	// go vet: one diagnostic per key, at the key, and a failing exit.
	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if code == 0 {
		t.Fatalf("go vet -vettool=keyscan: exit 0, want failure; output:\n%s", out)
	}
	for _, k := range []string{"ID", "SECRET", "ID2", "SECRET2"} {
		line, col := lineCol(src, vals[k])
		want := regexp.MustCompile(fmt.Sprintf(`(?m)^(\./)?main\.go:%d:%d: AWS (access key ID|secret access key) %s`,
			line, col, regexp.QuoteMeta(vals[k][:4])))
		if !want.MatchString(out) {
			t.Errorf("go vet: no diagnostic matching %s in:\n%s", want, out)
		}
	}
	if strings.Contains(out, vals["SECRET"]) || strings.Contains(out, vals["ID"]) {
		t.Errorf("go vet printed a key unredacted:\n%s", out)
	}

	// go fix -diff: prints the patch, fails, changes nothing.
	out, code = runCode(t, mod, gobin, "fix", "-diff", "-fixtool="+bin, "./...")
	if code == 0 || !strings.Contains(out, "+\t\tconfig.WithCredentialsProvider(aws2.NewCredentialsCache(ec2rolecreds.New())),") {
		t.Errorf("go fix -diff: exit %d, output:\n%s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(mod, "main.go")); string(got) != src {
		t.Errorf("go fix -diff changed main.go:\n%s", got)
	}

	// go fix: rewrites to the instance role; the module builds and vets clean.
	run(t, mod, gobin, "fix", "-fixtool="+bin, "./...")
	fixed, err := os.ReadFile(filepath.Join(mod, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ec2rolecreds.New()", `"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"`} {
		if !bytes.Contains(fixed, []byte(want)) {
			t.Errorf("after go fix, main.go lacks %s:\n%s", want, fixed)
		}
	}
	for _, k := range []string{"ID", "SECRET", "ID2", "SECRET2"} {
		if bytes.Contains(fixed, []byte(vals[k])) {
			t.Errorf("after go fix, main.go still holds %s:\n%s", k, fixed)
		}
	}
	run(t, mod, gobin, "build", "./...")

	// The module's .keyscan.toml applies: a package it excludes is not
	// reported, unless -keyscan.config names another configuration.
	id3 := fakekey.New(27).KeyID("AKIA")
	write(t, filepath.Join(mod, "skipped", "skipped.go"), "package skipped\n\nconst ID = \""+id3+"\"\n")
	write(t, filepath.Join(mod, ".keyscan.toml"), "exclude = [\"skipped/**\"]\n")
	if out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./..."); code != 0 || out != "" {
		t.Errorf("go vet after go fix: exit %d, output:\n%s", code, out)
	}
	// A build flag with its value apart (-tags integration) reaches the
	// tool as two arguments; keyscan took that run for a user's (fix24).
	// The run is this one: each go vet with other flags checks every
	// package it depends on again, the standard library's too (~14 CPU s).
	other := filepath.Join(t.TempDir(), "other.toml")
	write(t, other, "# nothing excluded\n")
	out, code = runCode(t, mod, gobin, "vet", "-tags", "integration", "-vettool="+bin, "-keyscan.config="+other, "./...")
	if strings.Contains(out, "unknown command") {
		t.Errorf("go vet -tags integration -vettool=keyscan: keyscan took the go command's run for a user's; exit %d, output:\n%s", code, out)
	}
	if line, col := lineCol("package skipped\n\nconst ID = \""+id3, id3); code == 0 || !strings.Contains(out, fmt.Sprintf("skipped.go:%d:%d: AWS access key ID", line, col)) {
		t.Errorf("go vet -tags integration -keyscan.config: exit %d, output:\n%s", code, out)
	}
	t.Logf("fixed main.go:\n%s", fixed)
}

// buildKeyscan skips the test in -short mode or without a go command, and
// otherwise puts the keyscan binary into a fresh temporary directory. It
// returns the go command, that directory and the binary. The binary is
// built once for the package's tests (linking it cost ~2 CPU s a test)
// and linked into each test's directory, where each test has always found
// it.
func buildKeyscan(t *testing.T) (gobin, tmp, bin string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds keyscan and downloads the AWS SDKs")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	built := sharedKeyscan(t, gobin)
	tmp = t.TempDir()
	bin = filepath.Join(tmp, "keyscan")
	if err := os.Link(built, bin); err != nil {
		b, err := os.ReadFile(built)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return gobin, tmp, bin
}

// built is the keyscan binary the package's tests share (buildKeyscan),
// in a folder TestMain removes.
var built struct {
	sync.Mutex
	dir, bin string
}

// sharedKeyscan builds the shared binary on first use.
func sharedKeyscan(t *testing.T, gobin string) string {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	if built.bin != "" {
		return built.bin
	}
	dir, err := os.MkdirTemp("", "keyscan-analyzer-test")
	if err != nil {
		t.Fatal(err)
	}
	built.dir = dir
	bin := filepath.Join(dir, "keyscan")
	run(t, "..", gobin, "build", "-o", bin, "./cmd/keyscan")
	built.bin = bin
	return bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goEnv is the environment of the go commands the test runs: the machine's
// (proxy, shared module cache, build cache), with no workspace and no
// toolchain switch.
func goEnv() []string {
	return append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local")
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	out, code := runCode(t, dir, name, args...)
	if code != 0 {
		t.Fatalf("%s %s: exit %d\n%s", name, strings.Join(args, " "), code, out)
	}
	return out
}

func runCode(t *testing.T, dir, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		}
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out), 0
}

// lineCol is the 1-based line and byte column of the first s in src.
func lineCol(src, s string) (int, int) {
	i := strings.Index(src, s)
	before := src[:i]
	return strings.Count(before, "\n") + 1, i - strings.LastIndex(before, "\n")
}

// TestGoVetCgo: a key in a cgo preamble is reported once, in the package's
// own file, where keyscan:allow reaches it; not again in the files cmd/cgo
// writes into the build's temporary folder (_cgo_gotypes.go), whose path
// changes with every build.
func TestGoVetCgo(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	if _, err := exec.LookPath("gcc"); err != nil {
		if _, err := exec.LookPath("cc"); err != nil {
			t.Skip("no C compiler for cgo")
		}
	}
	mod := filepath.Join(tmp, "cgomod")
	g := fakekey.New(28)
	id, secret := g.KeyID("AKIA"), g.Secret()
	src := func(allow string) string {
		return "package cgo\n\n/*\n#define AWS_ACCESS_KEY_ID \"" + id + "\"" + allow + "\n#define AWS_SECRET_ACCESS_KEY \"" + secret + "\"" + allow + "\n*/\nimport \"C\"\n\nvar X, Y = C.AWS_ACCESS_KEY_ID, C.AWS_SECRET_ACCESS_KEY\n"
	}
	write(t, filepath.Join(mod, "go.mod"), "module example.com/cgomod\n\ngo 1.26\n")
	write(t, filepath.Join(mod, "p.go"), src(""))
	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if code == 0 || strings.Count(out, "p.go:") != 2 || strings.Contains(out, "_cgo_") {
		t.Errorf("go vet of a key in a cgo preamble: exit %d, want two reports in p.go and none elsewhere:\n%s", code, out)
	}
	write(t, filepath.Join(mod, "p.go"), src(" // keyscan:allow fixture of the C tests"))
	if out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./..."); code != 0 {
		t.Errorf("go vet with keyscan:allow in the preamble: exit %d:\n%s", code, out)
	}
}

// TestGoFixGeneratedAndCgo: go fix applies no edit to a generated file
// ("Code generated ... DO NOT EDIT.") nor to a file that imports "C"
// (analysed as cgo's output), so the diagnostic there promises none and
// says why, and go fix leaves both files as they were (fix18). A file with
// a //line directive is fixed where it lies, and builds.
func TestGoFixGeneratedAndCgo(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	cgo := true
	if _, err := exec.LookPath("gcc"); err != nil {
		if _, err := exec.LookPath("cc"); err != nil {
			cgo = false
		}
	}
	mod := filepath.Join(tmp, "genmod")
	g := fakekey.New(1820)
	body := func(id, secret string) string {
		return "import (\n\t\"github.com/aws/aws-sdk-go/aws\"\n\t\"github.com/aws/aws-sdk-go/aws/credentials\"\n\t\"github.com/aws/aws-sdk-go/aws/session\"\n)\n\n" +
			"func run() *session.Session {\n\treturn session.Must(session.NewSession(&aws.Config{\n\t\tRegion:      aws.String(\"us-east-1\"),\n" +
			"\t\tCredentials: credentials.NewStaticCredentials(\"" + id + "\", \"" + secret + "\", \"\"),\n\t}))\n}\n\nfunc init() { run() }\n"
	}
	files := map[string]string{
		"gen/gen.go":   "// Code generated by awsgen. DO NOT EDIT.\n\npackage gen\n\n" + body(g.KeyID("AKIA"), g.Secret()),
		"line/line.go": "package line\n\n//line templates/session.tmpl:40\n" + body(g.KeyID("AKIA"), g.Secret()),
	}
	if cgo {
		files["withc/c.go"] = "package withc\n\n// #include <stdlib.h>\nimport \"C\"\n\n" + body(g.KeyID("AKIA"), g.Secret()) + "\nvar _ = C.size_t(0)\n"
	}
	write(t, filepath.Join(mod, "go.mod"), "module example.com/genmod\n\ngo 1.26\n\nrequire github.com/aws/aws-sdk-go v1.55.8\n")
	for n, s := range files {
		write(t, filepath.Join(mod, filepath.FromSlash(n)), s)
	}
	run(t, mod, gobin, "mod", "tidy")
	run(t, mod, gobin, "build", "./...")
	out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	for _, want := range []string{"gen/gen.go:", "the file is generated: go fix edits no generated file"} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet does not say %q:\n%s", want, out)
		}
	}
	if cgo && !strings.Contains(out, `the file imports "C": go fix edits no cgo file`) {
		t.Errorf("go vet does not say the cgo file gets no fix:\n%s", out)
	}
	run(t, mod, gobin, "fix", "-fixtool="+bin, "./...")
	for n, s := range files {
		got, _ := os.ReadFile(filepath.Join(mod, filepath.FromSlash(n)))
		if changed := string(got) != s; changed != (n == "line/line.go") {
			t.Errorf("%s after go fix (changed %v):\n%s", n, changed, got)
		}
	}
	run(t, mod, gobin, "build", "./...")
	run(t, mod, gobin, "vet", "./...")
}
