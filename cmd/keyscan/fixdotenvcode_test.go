package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// dotenvGoMod is the module of the Go programs of TestFixDotenvOtherCode:
// the real aws-sdk-go-v2 (the versions analyzer's shapes test downloads).
const dotenvGoMod = "module example.com/app\n\ngo 1.26\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2 v1.48.0\n" +
	"\tgithub.com/aws/aws-sdk-go-v2/config v1.33.18\n\tgithub.com/aws/aws-sdk-go-v2/service/s3 v1.114.10\n)\n"

// dotenvGoMain is a Go program that takes its keys from the environment
// (the .env beside it) and builds an S3 client with options.
func dotenvGoMain(options string) string {
	return "package main\n\nimport (\n\t\"context\"\n\t\"os\"\n\n\t\"github.com/aws/aws-sdk-go-v2/aws\"\n\t\"github.com/aws/aws-sdk-go-v2/config\"\n" +
		"\t\"github.com/aws/aws-sdk-go-v2/service/s3\"\n)\n\nfunc main() {\n\tcfg, err := config.LoadDefaultConfig(context.Background())\n" +
		"\tif err != nil {\n\t\tpanic(err)\n\t}\n\tc := s3.NewFromConfig(cfg, func(o *s3.Options) {\n" + options + "\t})\n\t_ = c\n\t_ = aws.String(os.Getenv(\"HOME\"))\n}\n"
}

// TestFixDotenvOtherCode checks fixqa14's leftover (qa14 HIGH-7's rest): a
// .env file's keys reach the program that loads it, in any language, so a
// client built with a custom endpoint in Go (BaseEndpoint and UsePathStyle
// of aws-sdk-go-v2), Ruby (Aws::S3::Client.new(endpoint:)), Java
// (endpointOverride), PHP ('endpoint' =>), .NET (ServiceURL) or a Spring
// configuration that reads ${AWS_ACCESS_KEY_ID} beside an endpoint keeps
// them. The same Go program without an endpoint is fixed. The Go programs
// build and pass go vet with the real SDK; the Ruby and PHP files pass ruby
// -c and php -l (each step skips with a message when its tool or the SDK
// modules are missing).
func TestFixDotenvOtherCode(t *testing.T) {
	requireKeyscanOnPath(t)
	env := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	files := map[string]string{
		"gosvc/.env":           env(1961) + "S3_ENDPOINT=\n",
		"gosvc/go.mod":         dotenvGoMod,
		"gosvc/cmd/up/main.go": dotenvGoMain("\t\to.BaseEndpoint = aws.String(os.Getenv(\"S3_ENDPOINT\"))\n\t\to.UsePathStyle = true\n"),
		"rb/.env":              env(1962),
		"rb/lib/store.rb":      "require \"aws-sdk-s3\"\n\nS3 = Aws::S3::Client.new(\n  endpoint: ENV.fetch(\"S3_URL\", \"http://minio:9000\"),\n  force_path_style: true\n)\n",
		"java/.env":            env(1963),
		"java/src/main/java/app/Store.java": "package app;\n\nimport java.net.URI;\nimport software.amazon.awssdk.services.s3.S3Client;\n\n" +
			"class Store {\n  S3Client s3 = S3Client.builder().endpointOverride(URI.create(System.getenv(\"S3_URL\"))).forcePathStyle(true).build();\n}\n",
		"php/.env":                   env(1964),
		"php/config/filesystems.php": "<?php\n\nreturn [\n    'disks' => [\n        's3' => [\n            'driver' => 's3',\n            'endpoint' => env('AWS_ENDPOINT'),\n            'use_path_style_endpoint' => true,\n        ],\n    ],\n];\n",
		"dotnet/.env":                env(1965),
		"dotnet/Program.cs":          "using Amazon.S3;\n\nvar s3 = new AmazonS3Client(new AmazonS3Config { ServiceURL = \"http://localhost:4566\", ForcePathStyle = true });\n",
		"spring/.env":                env(1966),
		"spring/src/main/resources/application.yml": "spring:\n  cloud:\n    aws:\n      credentials:\n        access-key: ${AWS_ACCESS_KEY_ID}\n        secret-key: ${AWS_SECRET_ACCESS_KEY}\n" +
			"      s3:\n        endpoint: http://localhost:4566\n        path-style-access-enabled: true\n",
		// Fixed: the Go program builds its client without an endpoint.
		"gook/.env":    env(1967),
		"gook/go.mod":  dotenvGoMod,
		"gook/main.go": dotenvGoMain(""),
	}
	dir := t.TempDir()
	for n, s := range files {
		writeRepoFile(t, dir, n, s)
	}
	goTool := func(step string) {
		t.Helper()
		gobin, err := exec.LookPath("go")
		if err != nil {
			t.Logf("go is not installed: the Go programs were not built (%s)", step)
			return
		}
		for _, m := range []string{"gosvc", "gook"} {
			genv := []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"}
			if r := runCmd(t, filepath.Join(dir, m), genv, gobin, "mod", "tidy"); r.code != 0 {
				t.Logf("go mod tidy in %s without the network failed (the SDK modules are not in the module cache): not built (%s)\n%s", m, step, r.stderr)
				return
			}
			for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
				if r := runCmd(t, filepath.Join(dir, m), genv, gobin, args...); r.code != 0 {
					t.Fatalf("go %s in %s (%s): exit %d\n%s", args[0], m, step, r.code, r.stderr)
				}
			}
		}
	}
	goTool("before")
	for tool, args := range map[string][]string{"ruby": {"-c", "rb/lib/store.rb"}, "php": {"-l", "php/config/filesystems.php"}} {
		if bin, err := exec.LookPath(tool); err == nil {
			if r := runCmd(t, dir, nil, bin, args...); r.code != 0 {
				t.Fatalf("%s %v: exit %d\n%s%s", tool, args, r.code, r.stdout, r.stderr)
			}
		} else {
			t.Logf("%s is not installed: %s was not checked", tool, args[1])
		}
	}
	r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
	if r.code != exitFindings {
		t.Fatalf("fix --write: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"gosvc/.env:1:", "gosvc/cmd/up/main.go builds a client with a custom endpoint (o.BaseEndpoint = aws.String(os.Getenv(\"S3_ENDPOINT\")))",
		"rb/.env:1:", "rb/lib/store.rb builds a client with a custom endpoint",
		"java/.env:1:", "Store.java builds a client with a custom endpoint",
		"php/.env:1:", "php/config/filesystems.php builds a client with a custom endpoint ('endpoint' => env('AWS_ENDPOINT'),)",
		"dotnet/.env:1:", "dotnet/Program.cs builds a client with a custom endpoint",
		"spring/.env:1:", "application.yml reads these keys from the environment by name and sets endpoint = http://localhost:4566",
		"rewrote gook/.env (2 removed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	for n, s := range files {
		if strings.HasSuffix(n, "/.env") && n != "gook/.env" {
			if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != s {
				t.Errorf("%s changed:\n%s", n, got)
			}
		}
	}
	goTool("after")
}
