package analyzer_test

import (
	"archive/zip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoVetCacheModuleSetsEndpoint runs the real go vet on the real SDK
// with a library of another module that only the module cache holds (not
// replaced, not vendored: CLOSING19's open fix item), served by a file
// proxy: an init function of its package local sets AWS_ENDPOINT_URL. The
// fix is withheld when the client's package imports it, and when only
// main imports it beside the package; a package of the library that sets
// nothing keeps the fix. The library's content is fixed, so that the
// shared module cache holds one version of it whichever run wrote it.
func TestGoVetCacheModuleSetsEndpoint(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	const lib, version = "example.com/keyscantestdevenv", "v1.0.0"
	proxy := filepath.Join(tmp, "proxy")
	at := filepath.Join(proxy, filepath.FromSlash(lib), "@v")
	mod := "module " + lib + "\n\ngo 1.21\n"
	write(t, filepath.Join(at, "list"), version+"\n")
	write(t, filepath.Join(at, version+".info"), `{"Version":"`+version+`","Time":"2026-01-01T00:00:00Z"}`)
	write(t, filepath.Join(at, version+".mod"), mod)
	zf, err := os.Create(filepath.Join(at, version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for name, text := range map[string]string{
		"go.mod":         mod,
		"local/local.go": "package local\n\nimport \"os\"\n\nfunc init() { os.Setenv(\"AWS_ENDPOINT_URL\", \"http://localhost:4566\") }\n",
		"quiet/quiet.go": "package quiet\n\n// Name is the package's name.\nconst Name = \"quiet\"\n",
	} {
		w, err := zw.Create(lib + "@" + version + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(text))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()
	// The SDK's modules come from the proxy go would use anyway: go env's,
	// not the environment variable, which is unset on a machine left at
	// go's default; an empty tail left the file proxy alone, so the run
	// passed only when another test had put the SDK's zips in the cache.
	upstream, err := exec.Command(gobin, "env", "GOPROXY").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOSUMDB=off",
		"GOPROXY=file://"+filepath.ToSlash(proxy)+","+strings.TrimSpace(string(upstream)))
	g := fakekey.New(2701)
	for _, tc := range []struct {
		name, storeImport, mainImport string
		fixed                         bool
	}{
		{"imported by the package", "local", "", false},
		{"imported by main only", "", "local", false},
		{"a package that sets nothing", "quiet", "quiet", true},
	} {
		dir := filepath.Join(tmp, strings.ReplaceAll(tc.name, " ", "-"))
		imp := func(p string) string {
			if p == "" {
				return ""
			}
			return "\n\t_ \"" + lib + "/" + p + "\""
		}
		write(t, filepath.Join(dir, "go.mod"), "module example.com/app\n\ngo 1.26\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2/config v1.33.18\n\tgithub.com/aws/aws-sdk-go-v2/credentials v1.21.0\n\tgithub.com/aws/aws-sdk-go-v2/service/s3 v1.114.10\n\t"+lib+" "+version+"\n)\n")
		write(t, filepath.Join(dir, "store", "store.go"), fmt.Sprintf(`package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"%s
)

func New(ctx context.Context) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(%q, %q, "")))
	return s3.NewFromConfig(cfg), err
}
`, imp(tc.storeImport), g.KeyID("AKIA"), g.Secret()))
		write(t, filepath.Join(dir, "cmd", "app", "main.go"), "package main\n\nimport (\n\t\"context\"\n\n\t\"example.com/app/store\""+imp(tc.mainImport)+"\n)\n\nfunc main() { store.New(context.Background()) }\n")
		for _, args := range [][]string{{"mod", "tidy"}, {"vet", "-vettool=" + bin, "./store"}} {
			cmd := exec.Command(gobin, args...)
			cmd.Dir, cmd.Env = dir, env
			out, err := cmd.CombinedOutput()
			if args[0] == "mod" {
				if err != nil {
					t.Fatalf("%s: go mod tidy: %v\n%s", tc.name, err, out)
				}
				continue
			}
			says := "AWS_ENDPOINT_URL, set by os.Setenv at local.go:5 (package " + lib + "/local"
			if offered := strings.Contains(string(out), "replaces the static provider"); offered != tc.fixed || !tc.fixed && !strings.Contains(string(out), says) {
				t.Errorf("%s: fix offered %v, want %v; the output should say %q:\n%s", tc.name, offered, tc.fixed, says, out)
			}
		}
	}
}
