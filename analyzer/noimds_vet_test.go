package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoVetInfrastructureProgram runs the real go vet on the real SDK with
// a module whose Lambda function is deployed by a CDK app in Go: a package
// of the module (infra/, with cdk.json), then a module of its own nested
// in it, as cdk init makes it (qa26 M1). Either withholds the fix, naming
// the construct; an edit of the app's source alone (the construct gone,
// then a TypeScript app instead) changes go vet's answer, so the go
// command's cache does not keep the old one; go fix reads the TypeScript
// app's code, not what only looks like a comment's start (qa28 L1).
func TestGoVetInfrastructureProgram(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "app")
	g := fakekey.New(2612)
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
	vet := func(when string, fixed bool, says string) {
		t.Helper()
		out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./fn/...")
		if offered := strings.Contains(out, "replaces the static provider"); offered != fixed || !strings.Contains(out, says) {
			t.Errorf("go vet %s: fix offered %v, want %v, and the output should say %q:\n%s", when, offered, fixed, says, out)
		}
	}
	vet("alone", true, "fn/main.go:")

	stack := func(construct string) string {
		return "package main\n\nimport (\n\t\"github.com/aws/aws-cdk-go/awscdk/v2\"\n\t\"github.com/aws/aws-cdk-go/awscdk/v2/awsec2\"\n\t\"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n\t\"github.com/aws/jsii-runtime-go\"\n)\n\n" +
			"func main() {\n\tapp := awscdk.NewApp(nil)\n\tstack := awscdk.NewStack(app, jsii.String(\"App\"), nil)\n\t" + construct + "\n\tapp.Synth(nil)\n}\n"
	}
	lambda := `awslambda.NewFunction(stack, jsii.String("Fn"), &awslambda.FunctionProps{Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String("bootstrap"), Code: awslambda.Code_FromAsset(jsii.String("../dist"), nil)})`
	write(t, filepath.Join(mod, "infra", "cdk.json"), "{\n  \"app\": \"go mod download && go run main.go\"\n}\n")
	write(t, filepath.Join(mod, "infra", "main.go"), stack(lambda))
	says := "awslambda.NewFunction, constructed in infra/main.go:13 by an infrastructure program (CDK, CDKTF, Pulumi or SST): it runs on AWS Lambda"
	vet("with a Go CDK app in the module", false, says)

	write(t, filepath.Join(mod, "infra", "go.mod"), "module example.com/app/infra\n\ngo 1.26\n\nrequire github.com/aws/aws-cdk-go/awscdk/v2 v2.200.0\n")
	vet("with a Go CDK app in a nested module", false, says)
	write(t, filepath.Join(mod, "infra", "main.go"), stack(`awsec2.NewInstance(stack, jsii.String("Host"), nil) // no more awslambda.NewFunction`))
	vet("with the nested app's function gone", true, "fn/main.go:")

	for _, f := range []string{"go.mod", "main.go"} {
		if err := os.Remove(filepath.Join(mod, "infra", f)); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(mod, "infra", "lib", "stack.ts"), "import * as lambda from 'aws-cdk-lib/aws-lambda';\n\nnew lambda.Function(this, 'Fn', { runtime: lambda.Runtime.PROVIDED_AL2023 });\n")
	vet("with a TypeScript CDK app", false, "lambda.Function, constructed in infra/lib/stack.ts:3 by an infrastructure program (CDK, CDKTF, Pulumi or SST)")

	// go fix, with the app written with what the comment blanker once read
	// as a comment's start (qa28 L1): a regular expression literal holding
	// '/*' (.replace(/\/*$/, "")) hid the construct, and go fix offered
	// the instance role; inside a real block comment, it is offered. The
	// other shapes of qa28 L1 (a regular expression after return, a
	// template literal's ${…}, a Terraform string's ${…}) are
	// TestBlankComments' and noimds_test.go's cases: each go fix here is a
	// run over the SDK's ~300 packages.
	tsHead := "import * as lambda from 'aws-cdk-lib/aws-lambda';\n\n"
	fn := "new lambda.Function(this, 'Fn', { runtime: lambda.Runtime.PROVIDED_AL2023, code: lambda.Code.fromAsset(dist) });\n"
	for _, c := range []struct {
		name, src string
		offered   bool
	}{
		{"regex", tsHead + "const dist = process.env.DIST.replace(/\\/*$/, \"\");\n" + fn, false},
		{"block comment", tsHead + "const dist = '../dist';\n/* " + fn + "*/\n", true},
	} {
		write(t, filepath.Join(mod, "infra", "lib", "stack.ts"), c.src)
		out, _ := runCode(t, mod, gobin, "fix", "-diff", "-fixtool="+bin, "./fn/...")
		if got := strings.Contains(out, "ec2rolecreds"); got != c.offered {
			t.Errorf("go fix beside a CDK app with a %s: offers the instance role: %v, want %v\n%s\ngo fix -diff:\n%s", c.name, got, c.offered, c.src, out)
		}
	}
}
