package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoFixCDKAppLexed runs the real go fix on a module whose Lambda
// function a TypeScript CDK app beside it deploys, the app written with
// what the comment blanker once read as a comment's start (qa28 L1): a
// regular expression literal holding '/*' (.replace(/\/*$/, "")). go fix
// withholds the instance role, as it does for the app without it; with
// the construct inside a real block comment, it is offered. The other
// shapes of qa28 L1 (a regular expression after return, a template
// literal's ${…}, a Terraform string's ${…}) are TestBlankComments' and
// noimds_test.go's cases: each go fix here is a run from scratch over the
// SDK's ~300 packages (about 9 CPU seconds), so this test keeps one shape
// the blanker once misread and the real comment.
func TestGoFixCDKAppLexed(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "app")
	g := fakekey.New(32401)
	write(t, filepath.Join(mod, "go.mod"), "module example.com/app\n\ngo 1.26\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2/config v1.33.18\n\tgithub.com/aws/aws-sdk-go-v2/credentials v1.21.0\n\tgithub.com/aws/aws-sdk-go-v2/service/s3 v1.114.10\n)\n")
	write(t, filepath.Join(mod, "fn", "main.go"), fmt.Sprintf(`package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(%q, %q, "")))
	if err != nil {
		panic(err)
	}
	fmt.Println(s3.NewFromConfig(cfg).ListBuckets(ctx, &s3.ListBucketsInput{}))
}
`, g.KeyID("AKIA"), g.Secret()))
	run(t, mod, gobin, "mod", "tidy")
	var out string
	offered := func() bool {
		t.Helper()
		out, _ = runCode(t, mod, gobin, "fix", "-diff", "-fixtool="+bin, "./fn/...")
		return strings.Contains(out, "ec2rolecreds")
	}
	if !offered() {
		t.Fatalf("go fix -diff offers no fix for the module alone:\n%s", out)
	}
	stack := "import * as lambda from 'aws-cdk-lib/aws-lambda';\n\n"
	fn := "new lambda.Function(this, 'Fn', { runtime: lambda.Runtime.PROVIDED_AL2023, code: lambda.Code.fromAsset(dist) });\n"
	for _, c := range []struct {
		name, file, src string
		offered         bool
	}{
		{"regex", "infra/lib/stack.ts", stack + "const dist = process.env.DIST.replace(/\\/*$/, \"\");\n" + fn, false},
		{"block comment", "infra/lib/stack.ts", stack + "const dist = '../dist';\n/* " + fn + "*/\n", true},
	} {
		dir := filepath.Join(mod, strings.Split(c.file, "/")[0])
		if strings.HasSuffix(c.file, ".ts") {
			write(t, filepath.Join(dir, "cdk.json"), "{\n  \"app\": \"npx ts-node bin/app.ts\"\n}\n")
		}
		write(t, filepath.Join(mod, filepath.FromSlash(c.file)), c.src)
		if got := offered(); got != c.offered {
			t.Errorf("%s: go fix offers the instance role: %v, want %v\n%s\ngo fix -diff:\n%s", c.name, got, c.offered, c.src, out)
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
}
