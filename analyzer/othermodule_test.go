package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoVetOtherModuleSetsEndpoint runs the real go vet on the real SDK with
// a package that imports a package of another module, a local-development
// helper whose init sets AWS_ENDPOINT_URL (fix25 left other modules unread:
// go fix moved the client to the instance role). The helper is read where
// the module's own files hold it: the folder its go.mod replaces it with,
// and vendor/ once the module is vendored (the replaced folder gone). A
// helper that sets nothing keeps the fix. The client is STS's, which the
// SDK's config module builds in any case: vendoring S3 as well compiled
// its 6 MB of source once more from vendor/ for the last step.
func TestGoVetOtherModuleSetsEndpoint(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	helper := filepath.Join(tmp, "devenv")
	mod := filepath.Join(tmp, "app")
	g := fakekey.New(2603)
	write(t, filepath.Join(helper, "go.mod"), "module example.com/devenv\n\ngo 1.26\n")
	write(t, filepath.Join(mod, "go.mod"), "module example.com/app\n\ngo 1.26\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2/config v1.33.18\n\tgithub.com/aws/aws-sdk-go-v2/credentials v1.21.0\n\tgithub.com/aws/aws-sdk-go-v2/service/sts v1.52.0\n\texample.com/devenv v0.0.0\n)\n\nreplace example.com/devenv => ../devenv\n")
	write(t, filepath.Join(mod, "store", "store.go"), fmt.Sprintf(`package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	_ "example.com/devenv/local"
)

func New(ctx context.Context) (*sts.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(%q, %q, "")))
	return sts.NewFromConfig(cfg), err
}
`, g.KeyID("AKIA"), g.Secret()))
	vet := func(when string, fixed bool, says string) {
		t.Helper()
		out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
		if offered := strings.Contains(out, "replaces the static provider"); offered != fixed || !strings.Contains(out, says) {
			t.Errorf("go vet %s: fix offered %v, want %v, and the output should say %q:\n%s", when, offered, fixed, says, out)
		}
	}
	write(t, filepath.Join(helper, "local", "local.go"), "package local\n\nfunc init() {}\n")
	run(t, mod, gobin, "mod", "tidy")
	vet("with a helper that sets nothing", true, "store.go:")
	write(t, filepath.Join(helper, "local", "local.go"), "package local\n\nimport \"os\"\n\nfunc init() { os.Setenv(\"AWS_ENDPOINT_URL\", \"http://localhost:4566\") }\n")
	says := "AWS_ENDPOINT_URL, set by os.Setenv at local.go:5 (package example.com/devenv/local, which this package or a package of the module built with it imports)"
	vet("with the replaced helper", false, says)
	run(t, mod, gobin, "mod", "vendor")
	if err := os.Rename(helper, helper+".gone"); err != nil {
		t.Fatal(err)
	}
	vet("vendored", false, says)
}
