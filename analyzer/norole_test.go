package analyzer

import (
	"strings"
	"testing"
)

// TestLaptopRelease checks qa26 M4's GoReleaser rule: a release for macOS
// or Windows (named, or GoReleaser's default goos) or through a desktop
// publisher runs on people's own computers; builds for Linux only (a
// Docker image, deb and rpm packages for servers) do not say so, and a
// goos under ignore: or an archive's format_overrides builds nothing.
func TestLaptopRelease(t *testing.T) {
	for _, c := range []struct {
		src, want string // want: a word of what, "" for none
		line      int
	}{
		{"builds:\n  - env: [CGO_ENABLED=0]\n    goos: [linux, windows, darwin]\n", "goos: windows", 3},
		{"builds:\n  - goos:\n      - linux\n      # - windows\n      - \"darwin\"\n", "goos: darwin", 2},
		{"project_name: app\nbuilds:\n  - main: ./cmd/app\n", "default goos", 2},
		{"project_name: app\n", "default goos", 1},
		{"builds:\n  - goos: [linux]\nbrews:\n  - name: app\n", "brews", 3},
		{"builds:\n  - goos: [linux]\nscoops:\n  - name: app\n", "scoops", 3},
		{"builds:\n  - targets: [linux_amd64_v1, darwin_arm64]\n", "targets: darwin_arm64", 2},
		{"builds:\n  - targets: [go_first_class]\n", "first_class", 2},
		// Linux only, released for people to download (fix31): archives,
		// a deb or rpm of a command, no image or service.
		{"builds:\n  - goos:\n      - linux\n    ignore:\n      - goos: windows\n        goarch: arm\nnfpms:\n  - formats: [deb, rpm]\n", "Linux only", 2},
		{"builds:\n  - goos: [linux] # not windows\narchives:\n  - format_overrides:\n      - goos: windows\n        format: zip\n", "Linux only", 2},
		{"# brews:\nbuilds:\n  - goos: [linux, freebsd]\n", "Linux only", 3},
		{"version: 2\nbuilds:\n  - id: cli\n    main: ./cmd/tool\n    goos: [linux]\n    goarch: [amd64]\narchives:\n  - formats: [tar.gz]\n", "Linux only", 5},
		// Linux only, for servers: a container image, a package with a
		// systemd unit.
		{"builds:\n  - env: [CGO_ENABLED=0]\n    goos: [linux]\n    goarch: [amd64, arm64]\ndockers:\n  - image_templates: [\"ghcr.io/o/app:{{ .Tag }}\"]\n", "", 0},
		{"builds:\n  - goos: [linux]\nkos:\n  - repository: ghcr.io/o/app\n", "", 0},
		{"builds:\n  - goos: [linux]\nnfpms:\n  - formats: [deb]\n    contents:\n      - src: deploy/app.service\n        dst: /lib/systemd/system/app.service\n", "", 0},
	} {
		what, line := laptopRelease([]byte(c.src))
		if c.want == "" && what != "" || c.want != "" && (!strings.Contains(what, c.want) || line != c.line) {
			t.Errorf("laptopRelease(%q) = %q, %d; want %q, %d", c.src, what, line, c.want, c.line)
		}
	}
}

// TestNoRoleFile checks that the platforms keyscan fix knows withhold go
// fix with a reason that says no AWS role exists there, and that other
// YAML does not.
func TestNoRoleFile(t *testing.T) {
	for _, c := range []struct {
		rel, src, want string
	}{
		{"heroku.yml", "build:\n  docker:\n    web: Dockerfile\n", "Heroku"},
		{"deploy/service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\n", "Cloud Run"},
		{"app.yaml", "runtime: go122\ninstance_class: F2\n", "App Engine"},
		{".goreleaser.yaml", "builds:\n  - goos: [darwin]\n", "IAM Identity Center"},
		// qa27 M1: Cloud Run, Cloud Functions, Azure and others named by
		// their CLIs, actions, resources and files.
		{"cloudbuild.yaml", "steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: [run, deploy, app, --region, europe-west1]\n", "Google Cloud Run"},
		{"cloudbuild.yaml", "steps:\n- name: gcr.io/cloud-builders/gcloud\n  args:\n  - 'run'\n  - 'deploy'\n  - 'app'\n", "Google Cloud Run"},
		{".github/workflows/deploy.yml", "jobs:\n  d:\n    steps:\n      - uses: google-github-actions/deploy-cloudrun@v2\n", "Google Cloud Run"},
		{".github/workflows/fn.yml", "jobs:\n  d:\n    steps:\n      - run: gcloud functions deploy list --gen2 --runtime go122\n", "Google Cloud Functions"},
		{"infra/main.tf", "resource \"google_cloud_run_v2_service\" \"app\" {\n  name = \"app\"\n}\n", "google_cloud_run_v2_service"},
		{"infra/main.tf.json", "{\"resource\": {\"google_cloudfunctions2_function\": {\"fn\": {}}}}\n", "Google Cloud Functions"},
		{"Pulumi.yaml", "name: app\nruntime: yaml\nresources:\n  svc:\n    type: gcp:cloudrunv2/service:Service\n", "Google Cloud Run"},
		{"containerapp.yaml", "properties:\n  template: {}\ntype: Microsoft.App/containerApps\n", "Azure Container Apps"},
		{"infra/main.bicep", "resource app 'Microsoft.App/containerApps@2023-05-01' = {\n  name: 'app'\n}\n", "Azure Container Apps"},
		{"host.json", "{\n  \"version\": \"2.0\",\n  \"customHandler\": {\"description\": {\"defaultExecutablePath\": \"app\"}}\n}\n", "Azure Functions"},
		{"azure-pipelines.yml", "steps:\n- task: AzureFunctionApp@2\n  inputs:\n    appName: app\n", "Azure App Service or Azure Functions"},
		{"azure.yaml", "name: app\nservices:\n  api:\n    project: .\n    host: containerapp\n", "Azure Container Apps"},
		{"Makefile", "deploy:\n\tflyctl deploy --remote-only\n", "Fly.io"},
		{"k8s/sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    iam.gke.io/gcp-service-account: a@p.iam.gserviceaccount.com\n", "Google Kubernetes Engine"},
		{"wrangler.toml", "name = \"app\"\n", "Cloudflare Workers"},
		// Controls: a remark, another program's run deploy, a build only.
		{"deploy.sh", "#!/bin/sh\n# gcloud run deploy is for later\naws ecs update-service --cluster c --service s\n", ""},
		{"cloudbuild.yaml", "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, gcr.io/p/app, .]\n  - name: node\n    args: [run, deploy]\n", ""},
		{"deploy/app.yaml", "apiVersion: apps/v1\nkind: Deployment\n", ""},
		// fix31: a Knative service whose image is in ECR runs on a
		// cluster on AWS (EC2 nodes); one that says nothing stays.
		{"k8s/service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containers:\n        - image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1\n", ""},
		{"k8s/service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containers:\n        - image: registry.example.com/app:1\n", "another Knative service"},
		{"config/app.yaml", "name: app\nruntime: {}\n", ""},
		{".goreleaser.yml", "builds:\n  - goos: [linux]\n", "Linux only"},
		{".goreleaser.yml", "builds:\n  - goos: [linux]\ndockers:\n  - image_templates: [app]\n", ""},
	} {
		got := noRoleFile([]byte(c.src), c.rel, c.rel[strings.LastIndex(c.rel, "/")+1:], nil)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want) || !strings.Contains(got, "no AWS role exists at all")) {
			t.Errorf("noRoleFile(%s) = %q; want %q", c.rel, got, c.want)
		}
	}
}

// FuzzLaptopRelease checks that laptopRelease never panics and gives a
// line within the file whenever it answers.
func FuzzLaptopRelease(f *testing.F) {
	for _, s := range []string{"builds:\n  - goos: [linux, darwin]\n", "builds:\n  - goos:\n    - windows\n", "builds:\n- ignore:\n  - goos: darwin\n  goos: [linux]\n",
		"brews:\n", "builds:\n  - targets:\n", "builds:\n  - goos: [\"linux\" # x\n", "'builds':\n\t- goos: 'x'\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		what, line := laptopRelease(b)
		if what != "" && (line < 1 || line > strings.Count(string(b), "\n")+1) {
			t.Fatalf("laptopRelease(%q) = %q at line %d", b, what, line)
		}
	})
}

// TestLaptopProgram checks fix31's shape of a command people run on their
// own machines: a flag that chooses an AWS profile, in each flag package's
// notation; a -profile flag that writes a CPU profile is not one.
func TestLaptopProgram(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"package main\n\nimport \"flag\"\n\nvar profile = flag.String(\"profile\", \"\", \"the AWS profile to use\")\n", "the --profile flag, defined in cmd/tool/main.go:5"},
		{"package cmd\n\nfunc init() {\n\troot.PersistentFlags().StringVarP(&opts.profile, \"aws-profile\", \"p\", \"\", \"profile\")\n}\n", "the --aws-profile flag, defined in cmd/tool/main.go:4"},
		{"package main\n\nvar app = kingpin.New(\"tool\", \"\")\nvar p = app.Flag(\"profile\", \"AWS profile\").String()\n", "--profile"},
		{"package main\n\nvar flags = []cli.Flag{\n\t&cli.StringFlag{Name: \"profile\", Usage: \"named profile\"},\n}\n", "main.go:4"},
		{"package main\n\ntype opts struct {\n\tProfile string `long:\"profile\" description:\"AWS profile\"`\n}\n", "main.go:4"},
		{"package main\n\nvar cli struct {\n\tProfile string `help:\"The AWS profile.\" env:\"AWS_PROFILE\"`\n}\n", "--profile"},
		{"package main\n\ntype args struct {\n\tAWSProfile string `arg:\"--aws-profile\"`\n}\n", "--aws-profile"},
		// fix32b: a --profile whose text says nothing of AWS is the
		// program's own unless it hands a profile to the SDK.
		{"package main\n\nimport \"flag\"\n\nvar env = flag.String(\"profile\", \"dev\", \"the settings profile to load: dev, staging or prod\")\n", ""},
		{"package main\n\nvar p = flag.String(\"profile\", \"\", \"profile\")\n\nfunc load() { config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(*p)) }\n", "the --profile flag, defined in cmd/tool/main.go:3"},
		{"package main\n\nvar p = flag.String(\"profile\", \"\", \"profile\")\n\nvar s = session.Must(session.NewSessionWithOptions(session.Options{Profile: *p}))\n", "--profile"},
		// Not an AWS profile, not a flag.
		{"package main\n\nimport \"flag\"\n\nvar cpu = flag.String(\"profile\", \"\", \"write a CPU profile to this file\")\n", ""},
		{"package main\n\nimport \"flag\"\n\nvar p = flag.Bool(\"cpuprofile\", false, \"\")\n", ""},
		{"package main\n\nfunc f() { cfg.Profile = \"profile\"; m[\"profile\"] = 1 }\n", ""},
		{"package main\n\n// flag.String(\"profile\", \"\", \"AWS profile\")\n", ""},
	} {
		got := laptopProgram([]byte(c.src), "cmd/tool/main.go", nil)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want)) {
			t.Errorf("laptopProgram(%q)\n = %q\nwant %q", c.src, got, c.want)
		}
	}
}

// TestPlatformImported checks qa27 M1's Go marker: a package linked with
// the program that imports Google Cloud Functions' framework (or App
// Engine's runtime) runs there, where no AWS role exists; other imports,
// and a folder not linked with it, do not count.
func TestPlatformImported(t *testing.T) {
	root := "/m"
	imports := map[string][]string{
		"/m":     {"github.com/GoogleCloudPlatform/functions-framework-go/functions", "net/http"},
		"/m/cmd": {"example.com/app", "google.golang.org/appengine/v2"},
		"/m/lib": {"cloud.google.com/go/storage"},
	}
	for _, c := range []struct {
		linked []string
		want   string
	}{
		{[]string{"/m"}, "it runs on Google Cloud Functions"},
		{[]string{"/m/cmd"}, "it runs on Google App Engine"},
		{[]string{"/m/lib"}, ""},
	} {
		linked := map[string]bool{}
		for _, d := range c.linked {
			linked[d] = true
		}
		got := platformImported(root, imports, linked)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want)) {
			t.Errorf("platformImported(%v) = %q; want %q", c.linked, got, c.want)
		}
	}
}

// TestHerokuGoMod checks qa27 M1's Heroku Go app: the Go buildpack's
// directive in go.mod says the program runs on Heroku; a go.mod without
// one, or with the word in another comment, does not.
func TestHerokuGoMod(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"// +heroku goVersion go1.26\nmodule example.com/app\n\ngo 1.26\n", "go.mod:1"},
		{"module example.com/app\n\n// +heroku install ./cmd/...\ngo 1.26\n", "Heroku"},
		{"module example.com/app\n\ngo 1.26\n", ""},
		{"module example.com/app // deployed to heroku once\n", ""},
	} {
		got := herokuGoMod([]byte(c.src))
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want) || !strings.Contains(got, "heroku config:set")) {
			t.Errorf("herokuGoMod(%q) = %q; want %q", c.src, got, c.want)
		}
	}
}

// TestLambdaImported: a linked package importing the Lambda runtime or an
// adapter (under its path, not a path that only starts with its name) says
// the program runs on Lambda, naming the first such folder in order.
func TestLambdaImported(t *testing.T) {
	root := "/m"
	imports := map[string][]string{
		"/m/b":   {"github.com/aws/aws-lambda-go/lambda"},
		"/m/a":   {"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"},
		"/m/lib": {"github.com/aws/aws-lambda-go/lambdacontext", "github.com/aws/aws-lambda-go/lambdax"},
	}
	for _, c := range []struct {
		linked []string
		want   string
	}{
		{[]string{"/m/b", "/m/a"}, "(a) imports github.com/awslabs/aws-lambda-go-api-proxy/httpadapter: it runs on AWS Lambda"},
		{[]string{"/m/b"}, "(b) imports github.com/aws/aws-lambda-go/lambda: it runs on AWS Lambda"},
		{[]string{"/m/lib"}, ""},
	} {
		linked := map[string]bool{}
		for _, d := range c.linked {
			linked[d] = true
		}
		got := lambdaImported(root, imports, linked)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noMetadataMark) || !strings.Contains(got, c.want)) {
			t.Errorf("lambdaImported(%v) = %q; want %q", c.linked, got, c.want)
		}
	}
}
