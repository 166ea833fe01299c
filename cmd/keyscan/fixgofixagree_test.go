package main

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
)

// agreeGoMod and agreeMain are a module whose program gives static keys
// to aws-sdk-go-v2: go fix moves it to the instance role, or withholds its
// fix where the module deploys it to a platform with no EC2 instance role.
const agreeGoMod = `module example.com/agree

go 1.26

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/aws-sdk-go-v2/config v1.33.18
	github.com/aws/aws-sdk-go-v2/credentials v1.21.0
)
`

const agreeMain = `package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	fmt.Println(cfg.Region, err)
}
`

// TestFixAgreesWithGoFix runs go fix (the real one, keyscan as its fix
// tool, for a Fargate task and its EC2 control, about five minutes each
// on a loaded machine; its table, analyzer.NoMetadataDeployment, for the
// others, each real run building the SDK) and keyscan fix on the same
// project, one per deployment form of go fix's table and controls that
// deploy to EC2: a program with static keys and a .env of keys beside it. keyscan
// fix keeps the .env's keys, with the platform's advice, exactly where go
// fix withholds its move to the instance role (fix32b: a .env beside a
// Fargate task or a Copilot service lost its keys while go fix withheld);
// in a Terraform file, the keys set in a block that deploys the program (a
// Lambda function's environment) stay with the same advice, those of the
// provider block are Terraform's own.
func TestFixAgreesWithGoFix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go fix on modules that use the AWS SDK")
	}
	requireKeyscanOnPath(t)
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin, _ := exec.LookPath("keyscan")
	taskDef := func(compat string) string {
		return `{"family":"app","requiresCompatibilities":["` + compat + `"],"containerDefinitions":[{"name":"app","image":"app"}]}` + "\n"
	}
	cases := []struct {
		name     string
		files    map[string]string
		withheld bool
		advice   string
		goFix    bool // run the real go fix
	}{
		{"fargate task", map[string]string{"taskdef.json": taskDef("FARGATE")}, true, "give the task a role of its own", true},
		{"ec2 task", map[string]string{"taskdef.json": taskDef("EC2")}, false, "", true},
		{"copilot service", map[string]string{"copilot/api/manifest.yml": "name: api\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 8080\n"},
			true, "a Copilot Load Balanced Web Service", false},
		{"terraform lambda", map[string]string{"infra/main.tf": "resource \"aws_lambda_function\" \"app\" {\n  function_name = \"app\"\n  role = aws_iam_role.app.arn\n}\n"},
			true, "give the function's execution role", false},
		{"terraform instance", map[string]string{"infra/main.tf": "resource \"aws_instance\" \"app\" {\n  ami = \"ami-123\"\n  iam_instance_profile = \"app\"\n}\n"}, false, "", false},
		{"sam template", map[string]string{"template.yaml": "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: provided.al2023\n"},
			true, "give the function's execution role", false},
		{"serverless", map[string]string{"serverless.yml": "service: app\nprovider:\n  name: aws\n  runtime: provided.al2023\n"}, true, "give the function's execution role", false},
		{"apprunner", map[string]string{"apprunner.yaml": "version: 1.0\nruntime: go1\nrun:\n  command: ./app\n"}, true, "give the service an instance role", false},
		{"lambda image", map[string]string{"Dockerfile": "FROM public.ecr.aws/lambda/provided:al2023\nCOPY app ${LAMBDA_RUNTIME_DIR}/bootstrap\n"}, true, "give the function's execution role", false},
		{"irsa pod", map[string]string{"k8s/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n"},
			true, "give the pod's role", false},
		// qa29 M3: a program released for people's own computers.
		{"wails project", map[string]string{"wails.json": "{\n  \"name\": \"app\",\n  \"outputfilename\": \"app\"\n}\n"}, true, "for people's own computers (a Wails desktop project", false},
		{"fyne program", map[string]string{"gui.go": "package main\n\nimport \"fyne.io/fyne/v2/app\"\n\nvar _ = app.New\n"}, true, "a desktop program (Fyne: imports fyne.io/fyne/v2/app)", false},
		{"snap", map[string]string{"snap/snapcraft.yaml": "name: app\nbase: core24\napps:\n  app:\n    command: bin/app\n"}, true, "a snap (snap/snapcraft.yaml:1)", false},
		{"homebrew formula", map[string]string{"Formula/app.rb": "class App < Formula\n  desc \"app\"\nend\n"}, true, "a Homebrew formula (Formula/app.rb:1)", false},
		{"nested homebrew formula", map[string]string{"packaging/homebrew/Formula/app.rb": "class App < Formula\nend\n"}, true, "(packaging/homebrew/Formula/app.rb:1)", false},
		{"ebiten game", map[string]string{"game.go": "package main\n\nimport \"github.com/hajimehoshi/ebiten/v2\"\n\nvar _ = ebiten.RunGame\n"}, true, "(Ebitengine: imports github.com/hajimehoshi/ebiten/v2)", false},
		{"chocolatey package", map[string]string{"choco/app.nuspec": "<package><metadata><id>app</id></metadata></package>\n",
			"choco/tools/chocolateyinstall.ps1": "Install-ChocolateyPackage app exe '/S' $url\n"}, true, "a Chocolatey package (choco/tools/chocolateyinstall.ps1:1)", false},
		{"goreleaser brews", map[string]string{".goreleaser.yaml": "builds:\n  - goos: [linux]\nbrews:\n  - name: app\n"}, true, "a GoReleaser release for them: brews", false},
		{"go install in readme", map[string]string{"README.md": "# agree\n\n    go install example.com/agree@latest\n"}, true, "go install example.com/agree@latest (README.md:3)", false},
		{"go install in docs", map[string]string{"docs/install.md": "go install example.com/agree@v1.0.0\n"}, true, "(docs/install.md:1)", false},
		// qa31 F10: other languages' programs released for people's own
		// computers (keyscan fix's reading alone: go fix's program is Go).
		{"electron app", map[string]string{"package.json": `{ "devDependencies": { "electron": "^31.0.0", "electron-builder": "^24.0.0" } }` + "\n"}, true, "an Electron desktop app (package.json:1)", false},
		{"tauri app", map[string]string{"src-tauri/tauri.conf.json": `{ "productName": "up", "bundle": { "active": true } }` + "\n"}, true, "a Tauri desktop app", false},
		{"python cli", map[string]string{"pyproject.toml": "[project]\nname = \"photosync\"\n\n[project.scripts]\nphotosync = \"photosync.cli:main\"\n"}, true, "a Python command-line tool its users install", false},
		{"go install of a checkout", map[string]string{"README.md": "go install .\n"}, false, "", false},
		// qa29 M3: a program a CI job runs on the service's own machines.
		{"github hosted run", map[string]string{".github/workflows/sync.yml": "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go run .\n"},
			true, "GitHub-hosted runner (runs-on: ubuntu-latest)", false},
		{"github hosted make", map[string]string{".github/workflows/sync.yml": "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make sync\n",
			"Makefile": "sync:\n\tgo run .\n"}, true, "(make sync, whose Makefile:2 runs go run ., in .github/workflows/sync.yml:6", false},
		{"cloud build run", map[string]string{"cloudbuild.yaml": "steps:\n  - name: golang:1.26\n    entrypoint: go\n    args: [run, example.com/agree]\n"}, true, "Google Cloud Build's workers", false},
		// qa30 L1: a hosted job runs another program of the project: go
		// fix moves the server to the instance role, keyscan fix keeps the
		// .env (any program may load it) and says its own reason.
		{"github hosted run of a tool", map[string]string{"tools/gen/main.go": "package main\n\nfunc main() {}\n",
			".github/workflows/gen.yml": "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go run ./tools/gen\n"},
			false, "keyscan fix keeps its keys whichever program the job runs", false},
		{"self-hosted run", map[string]string{".github/workflows/sync.yml": "on: push\njobs:\n  sync:\n    runs-on: [self-hosted, ec2]\n    steps:\n      - run: go run .\n"}, false, "", false},
		{"snap daemon", map[string]string{"snap/snapcraft.yaml": "name: app\napps:\n  app:\n    command: bin/app\n    daemon: simple\n"}, false, "", false},
	}
	// keyscan fix keeps the .env's keys where go fix fixes the program,
	// and says why without saying that go fix withholds.
	cautious := map[string]bool{"github hosted run of a tool": true}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := fakekey.New(uint64(3210 + i))
			v := g.Values()
			dir := t.TempDir()
			src := strings.NewReplacer("{{ID}}", v["ID"], "{{SECRET}}", v["SECRET"]).Replace(agreeMain)
			writeRepoFile(t, dir, "go.mod", agreeGoMod)
			writeRepoFile(t, dir, "main.go", src)
			env := fakekey.New(uint64(3310 + i)).Values()
			dotenv := "AWS_ACCESS_KEY_ID=" + env["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + env["SECRET"] + "\n"
			writeRepoFile(t, dir, ".env", dotenv)
			for n, s := range c.files {
				writeRepoFile(t, dir, n, s)
			}
			// go fix's answer: the real go fix where the case says so
			// (each builds the SDK's packages: slow), else its table.
			goFixWithheld := false
			for n, s := range c.files {
				goFixWithheld = goFixWithheld || analyzer.NoMetadataDeployment([]byte(s), n, path.Base(n)) != "" ||
					analyzer.PeoplesComputers([]byte(s), n, path.Base(n)) != "" ||
					analyzer.InstalledForPeople([]byte(s), n, "example.com/agree") != "" ||
					analyzer.CIRunsProgram([]byte(s), n, "example.com/agree", func(d string) bool { return d == "." || d == "..." },
						func(f string) []byte {
							if s, ok := c.files[f]; ok {
								return []byte(s)
							}
							return nil
						}) != ""
			}
			if c.goFix {
				if r := runCmd(t, dir, nil, gobin, "mod", "tidy"); r.code != 0 {
					t.Fatalf("go mod tidy: %s%s", r.stdout, r.stderr)
				}
				r := runCmd(t, dir, nil, gobin, "fix", "-fixtool="+bin, "./...")
				got, _ := os.ReadFile(filepath.Join(dir, "main.go"))
				if goFixWithheld = string(got) == src; goFixWithheld != c.withheld {
					t.Fatalf("go fix withheld: %v, want %v (exit %d)\n%s%s", goFixWithheld, c.withheld, r.code, r.stdout, r.stderr)
				}
			}
			if goFixWithheld != c.withheld {
				t.Fatalf("go fix withheld: %v, want %v", goFixWithheld, c.withheld)
			}
			r2 := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
			kept2, _ := os.ReadFile(filepath.Join(dir, ".env"))
			keptWhole := strings.Contains(string(kept2), env["SECRET"])
			if keptWhole != (goFixWithheld || cautious[c.name]) {
				t.Errorf("keyscan fix kept the .env's keys: %v; go fix withheld: %v\n%s%s", keptWhole, goFixWithheld, r2.stdout, r2.stderr)
			}
			if cautious[c.name] && strings.Contains(r2.stdout+r2.stderr, "go fix withholds") {
				t.Errorf("keyscan fix says go fix withholds, which it does not here:\n%s%s", r2.stdout, r2.stderr)
			}
			if c.advice != "" && !strings.Contains(r2.stdout+r2.stderr, c.advice) {
				t.Errorf("keyscan fix does not say %q:\n%s%s", c.advice, r2.stdout, r2.stderr)
			}
		})
	}
}

// TestFixTerraformLambdaAsGoFix: the keys set in a Terraform block that
// deploys the program (an aws_lambda_function's environment, a Lambda
// module's inputs) stay for a person with go fix's advice for the
// platform, where keyscan fix said Terraform's provider would use the
// instance profile of the machine that runs it (fix32b); the provider
// block's keys beside them are Terraform's own and are removed.
func TestFixTerraformLambdaAsGoFix(t *testing.T) {
	requireKeyscanOnPath(t)
	p, l, m := fakekey.New(3201).Values(), fakekey.New(3202).Values(), fakekey.New(3203).Values()
	tf := "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = \"" + p["ID"] + "\"\n  secret_key = \"" + p["SECRET"] + "\"\n}\n\n" +
		"resource \"aws_lambda_function\" \"app\" {\n  function_name = \"app\"\n  role          = aws_iam_role.app.arn\n\n  environment {\n    variables = {\n" +
		"      APP_KEY_ID     = \"" + l["ID"] + "\"\n      APP_SECRET_KEY = \"" + l["SECRET"] + "\"\n    }\n  }\n}\n\n" +
		"module \"worker\" {\n  source = \"terraform-aws-modules/lambda/aws\"\n  environment_variables = {\n" +
		"    APP_KEY_ID     = \"" + m["ID"] + "\"\n    APP_SECRET_KEY = \"" + m["SECRET"] + "\"\n  }\n}\n"
	dir := fixFolder(t, map[string]string{"infra/main.tf": tf}, []string{"infra/main.tf:13", "aws_lambda_function, declared in infra/main.tf:7: it runs on AWS Lambda",
		"the Terraform module terraform-aws-modules/lambda/aws", "give the function's execution role"}, "infra/main.tf")
	got, _ := os.ReadFile(filepath.Join(dir, "infra", "main.tf"))
	if strings.Contains(string(got), p["SECRET"]) || !strings.Contains(string(got), l["SECRET"]) || !strings.Contains(string(got), m["SECRET"]) {
		t.Errorf("want the provider's keys removed and the functions' kept:\n%s", got)
	}
}

// TestFixDebianDaemon: keyscan fix reads a debian/ folder as go fix does
// (analyzer.DebianService, whose table test is analyzer's
// TestReleaseManifestsRead): a package whose systemd unit debhelper
// installs through NAME.install or dh_installsystemd is a daemon's, and a
// .env beside it loses its keys to the instance role; a package with no
// unit is for people's own computers, and the keys stay (qa30 L2).
func TestFixDebianDaemon(t *testing.T) {
	requireKeyscanOnPath(t)
	control := "Source: app\n\nPackage: app\nArchitecture: any\n"
	for i, c := range []struct {
		files map[string]string
		kept  bool
	}{
		{map[string]string{"debian/app.install": "bin/app usr/bin\ncontrib/app.service lib/systemd/system/\n"}, false},
		{map[string]string{"debian/rules": "#!/usr/bin/make -f\n%:\n\tdh $@\noverride_dh_installsystemd:\n\tdh_installsystemd --name=app\n"}, false},
		{map[string]string{"debian/app.install": "bin/app usr/bin\n"}, true},
	} {
		dir := t.TempDir()
		env := fakekey.New(uint64(3450 + i)).Values()
		writeRepoFile(t, dir, "go.mod", "module example.com/app\n\ngo 1.26\n")
		writeRepoFile(t, dir, "main.go", "package main\n\nfunc main() {}\n")
		writeRepoFile(t, dir, ".env", "AWS_ACCESS_KEY_ID="+env["ID"]+"\nAWS_SECRET_ACCESS_KEY="+env["SECRET"]+"\n")
		writeRepoFile(t, dir, "debian/control", control)
		for n, s := range c.files {
			writeRepoFile(t, dir, n, s)
		}
		r := runCmd(t, dir, nil, "keyscan", "fix", "--write", ".")
		got, _ := os.ReadFile(filepath.Join(dir, ".env"))
		if kept := strings.Contains(string(got), env["SECRET"]); kept != c.kept {
			t.Errorf("%v: keyscan fix kept the .env's keys: %v, want %v\n%s%s", c.files, kept, c.kept, r.stdout, r.stderr)
		}
	}
}
