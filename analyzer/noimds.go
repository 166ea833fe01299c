package analyzer

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/internal/pathname"
)

// The fix hands a client to the EC2 instance role, which reaches a program
// only through an instance's metadata service. AWS Lambda, App Runner and
// ECS on Fargate offer none: there ec2rolecreds finds no credentials,
// where the SDK's default chain would have found the function's, service's
// or task's role in the environment or the container endpoint. An ECS task
// or Batch job with a role of its own on an EC2 instance gets that role
// from the container endpoint too; ec2rolecreds would skip it for the
// container instance's role (other rights), or find nothing where ECS
// blocks the metadata service for awsvpc tasks. A pod with a role of its
// own (EKS IRSA's web identity token, EKS Pod Identity's agent) is the
// same case on Kubernetes (qa25 M5, qa26 M1, M2). A module that deploys
// its programs so is read as where the package runs, as a module's
// settings of the environment are (moduleScan), and the fix is withheld:
// removing the static provider by hand, so that the default chain finds
// the right role, is the change.
//
// What counts is a deployment description, not a word: each kind is looked
// for only in files of its kind (a Terraform resource in .tf, a Copilot
// type in copilot/*/manifest.yml, a CDK or Pulumi construct in the source
// of a folder that cdk.json or Pulumi.yaml makes an infrastructure
// program), and comments are blanked first, so a remark about Lambda in a
// YAML comment or a Terraform comment does not withhold the fix. Elastic
// Beanstalk and plain EC2 run programs on instances whose role is the
// instance role, and keep the fix. Comments are blanked by each language's
// own notation, block comments and docstrings whole (comments.go), and
// only the module's own files count: not an installed package, a copy of
// another project or an API model that names resource types (apimodel.go).

// lambdaPackages are the import paths of the AWS Lambda runtime for Go and
// of the adapters that run an HTTP handler on it (algnhsa,
// aws-lambda-go-api-proxy): a program that imports one runs as a function.
var lambdaPackages = []string{"github.com/aws/aws-lambda-go/lambda", "github.com/akrylysov/algnhsa", "github.com/awslabs/aws-lambda-go-api-proxy"}

// lambdaImported returns, marked, the first of the linked folders (in
// order) whose package imports the Lambda runtime, or "".
func lambdaImported(root string, imports map[string][]string, linked map[string]bool) string {
	rel, ip := linkedImport(root, imports, linked, func(ip string) bool {
		return slices.ContainsFunc(lambdaPackages, func(lp string) bool { return importsUnder(ip, lp) })
	})
	if ip == "" {
		return ""
	}
	return fmt.Sprintf("%sa package linked with it (%s) imports %s: it runs on AWS Lambda", noMetadataMark, rel, ip)
}

// linkedImport returns the first of the linked folders (in order, relative
// to root) whose package has an import that match accepts, and that import;
// "", "" when none has.
func linkedImport(root string, imports map[string][]string, linked map[string]bool, match func(ip string) bool) (rel, ip string) {
	ds := slices.Sorted(maps.Keys(linked))
	for _, d := range ds {
		for _, ip := range imports[d] {
			if !match(ip) {
				continue
			}
			rel := d
			if r, err := filepath.Rel(root, d); err == nil {
				rel = filepath.ToSlash(r)
			}
			return rel, ip
		}
	}
	return "", ""
}

// importsUnder reports whether import path ip is p or a package under it.
func importsUnder(ip, p string) bool {
	return ip == p || strings.HasPrefix(ip, p+"/")
}

// deployKind is the kind of a file as a deployment description: which
// descriptions it may hold and how its comments are written.
type deployKind uint16

const (
	kindYAML       deployKind = 1 << iota // CloudFormation, SAM, Kubernetes, eksctl, Copilot, App Runner, CI
	kindJSON                              // CloudFormation, ECS task definitions, Terraform's JSON
	kindTerraform                         // .tf, .hcl
	kindShell                             // scripts, makefiles: AWS CLI calls
	kindDockerfile                        // a Lambda base image
	kindCode                              // CDK or Pulumi programs (TypeScript, JavaScript, Python, Go, Java, C#)
	kindOther                             // TOML, INI, XML and the rest of settingsFile's
)

// declarative are the kinds that write resources down as data.
const declarative = kindYAML | kindJSON | kindTerraform | kindOther

// deployFileKind returns the kind of the file named name, 0 for a file
// that describes no deployment.
func deployFileKind(name string) deployKind {
	n := strings.ToLower(name)
	switch {
	case fix.DockerfileName(name):
		return kindDockerfile
	case n == "makefile" || n == "gnumakefile" || n == "justfile" || n == "jenkinsfile" || n == "procfile" || n == "vagrantfile":
		return kindShell
	}
	switch filepath.Ext(n) {
	case ".yml", ".yaml":
		return kindYAML
	case ".json":
		return kindJSON
	case ".tf", ".hcl", ".tfvars":
		return kindTerraform
	case ".sh", ".bash", ".zsh", ".ksh", ".mk", ".ps1", ".bat", ".cmd", ".groovy":
		return kindShell
	case ".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".py", ".go", ".java", ".cs", ".fs", ".kt":
		return kindCode
	case ".toml", ".ini", ".conf", ".cfg", ".xml", ".properties", ".nomad":
		return kindOther
	}
	return 0
}

// A deployment is one kind of description that runs a program where the
// instance role is not its role: in files of the kinds, whose name (lower
// case, the path relative to the module root) named accepts when set, one
// of words present, re matching the file with its comments (and in source
// its strings' contents, unless strings) blanked; says
// formats the reason from re's first group that matched (the whole match
// without one),
// the file and the line.
type deployment struct {
	kinds   deployKind
	strings bool // re reads the file with only its comments blanked: a construct's argument in a string
	named   func(name, rel string) bool
	words   []string
	re      *lazyre.Regexp
	says    func(what, rel string, line int) string
}

// runsOn builds a says of the usual form: "WHAT, VERB in FILE:LINE: it runs ON".
func runsOn(verb string, on func(what string) string) func(string, string, int) string {
	return func(what, rel string, line int) string {
		return fmt.Sprintf("%s, %s in %s:%d: it runs %s", what, verb, rel, line, on(what))
	}
}

func always(s string) func(string) string { return func(string) string { return s } }

const (
	onLambda   = "on AWS Lambda"
	onFargate  = "as an ECS task on Fargate"
	onAppRun   = "on AWS App Runner"
	onTaskRole = "as an ECS task with its own role (the container credentials endpoint, not the instance's)"
	onJobRole  = "as an AWS Batch job with its own role (the container credentials endpoint, not the instance's)"
	onIRSA     = "in a pod with its service account's own role (EKS IRSA)"
	onPodID    = "in a pod with its own role (EKS Pod Identity)"
	onEKSFarg  = "in pods on EKS Fargate"
)

// onResource says where a resource type of CloudFormation, Terraform,
// Pulumi or a CDK or Pulumi construct runs its program.
func onResource(what string) string {
	w := strings.ToLower(what)
	switch {
	case strings.Contains(w, "podidentity") || strings.Contains(w, "pod_identity"):
		return onPodID
	case strings.Contains(w, "fargateprofile") || strings.Contains(w, "fargate_profile"):
		return onEKSFarg
	case strings.Contains(w, "apprunner") || strings.Contains(w, "app-runner"):
		return onAppRun
	case strings.Contains(w, "fargate"):
		return onFargate
	case strings.Contains(w, "job"):
		return onJobRole
	case strings.Contains(w, "task"):
		return onTaskRole
	}
	return onLambda
}

// roleKey are the names of an ECS task's or a Batch job's own role in
// task and job definitions (JSON, CloudFormation, Terraform, ecs-params).
const roleKey = `taskRoleArn|TaskRoleArn|task_role_arn|jobRoleArn|JobRoleArn|job_role_arn`

// copilotTypes are the Copilot workload types, all on ECS on Fargate with
// a task role of their own, or on App Runner.
var copilotTypes = lazyre.New(`(?m)^type:[ \t]*['"]?(Load Balanced Web Service|Backend Service|Worker Service|Request-Driven Web Service|Scheduled Job)\b`)

var deployments = []deployment{
	{kinds: declarative, words: []string{"::Function"}, re: lazyre.New(`AWS::(?:Serverless|Lambda)::Function\b`),
		says: runsOn("declared", always(onLambda))},
	{kinds: kindYAML, named: func(n, _ string) bool { return n == "serverless.yml" || n == "serverless.yaml" }, words: []string{"provider"},
		re: lazyre.New(`(?m)^provider:\s*(?:(?:\n[ \t]+(?:#.*\n[ \t]+)*)?name:\s*)?['"]?aws\b`),
		says: func(_, rel string, line int) string {
			return fmt.Sprintf("a Serverless Framework service on AWS, in %s:%d: it runs on AWS Lambda", rel, line)
		}},
	// Serverless Framework's other config forms (serverless.json, .js,
	// .ts, .cjs, .mjs: serverlessConfig), read with their strings (qa27 M4).
	{kinds: kindJSON | kindCode, strings: true, named: func(n, _ string) bool { return serverlessConfig(n) }, words: []string{"provider"},
		re: lazyre.New(`\bprovider["']?\s*:\s*(?:["']aws["']|\{[^{}]*?\bname["']?\s*:\s*["']aws["'])`),
		says: func(_, rel string, line int) string {
			return fmt.Sprintf("a Serverless Framework service on AWS, in %s:%d: it runs on AWS Lambda", rel, line)
		}},
	// SAM's deploy settings (the template may be elsewhere) and lambroll's
	// function definition.
	{kinds: kindYAML | kindOther, named: func(n, _ string) bool { return strings.HasPrefix(n, "samconfig.") }, words: []string{"stack_name"},
		re: lazyre.New(`\bstack_name\b`),
		says: func(_, rel string, line int) string {
			return fmt.Sprintf("an AWS SAM application's deploy settings, %s:%d: it runs on AWS Lambda", rel, line)
		}},
	{kinds: kindJSON | kindOther, named: func(n, _ string) bool { return n == "function.json" || n == "function.jsonnet" }, words: []string{"FunctionName"},
		re: lazyre.New(`\bFunctionName["']?\s*:`),
		says: func(_, rel string, line int) string {
			return fmt.Sprintf("a Lambda function's definition (lambroll), %s:%d: it runs on AWS Lambda", rel, line)
		}},
	{kinds: declarative | kindShell | kindCode, words: []string{"FARGATE"}, re: lazyre.New(`\bFARGATE(?:_SPOT)?\b`),
		says: runsOn("named", always(onFargate))},
	{kinds: declarative | kindShell | kindCode, words: []string{"eks.amazonaws.com/role-arn"}, re: lazyre.New(`\beks\.amazonaws\.com/role-arn\b`),
		says: runsOn("set", always(onIRSA))},
	// CloudFormation's and Pulumi YAML's other resource types.
	{kinds: kindYAML | kindJSON | kindTerraform, words: []string{"AWS::AppRunner", "AWS::EKS::", "aws:lambda:", "aws:apprunner:", "aws:eks:"},
		re:   lazyre.New(`\b(AWS::AppRunner::Service|AWS::EKS::PodIdentityAssociation|AWS::EKS::FargateProfile|aws:lambda:(?:Function|CallbackFunction)|aws:apprunner:Service|aws:eks:PodIdentityAssociation|aws:eks:FargateProfile)\b`),
		says: runsOn("declared", onResource)},
	// Terraform resources and the community modules that make them.
	{kinds: kindTerraform, words: []string{"resource"},
		re:   lazyre.New(`\bresource\s+"(aws_lambda_function|aws_apprunner_service|aws_eks_pod_identity_association|aws_eks_fargate_profile)"`),
		says: runsOn("declared", onResource)},
	{kinds: kindJSON, named: func(n, _ string) bool { return strings.HasSuffix(n, ".tf.json") }, words: []string{"aws_"},
		re:   lazyre.New(`"(aws_lambda_function|aws_apprunner_service|aws_eks_pod_identity_association|aws_eks_fargate_profile)"\s*:\s*\{`),
		says: runsOn("declared", onResource)},
	// From the registry (terraform-aws-modules/lambda/aws, any
	// namespace's module named for Lambda: cloudposse/lambda-function/aws)
	// or from git (terraform-aws-modules/terraform-aws-lambda.git,
	// cloudposse/terraform-aws-lambda-function), qa27 M4.
	{kinds: kindTerraform | kindJSON, words: []string{"terraform-aws-modules/", "lambda", "Lambda"},
		re: lazyre.New(`\bsource"?\s*[=:]\s*"[^"\n]*?((?:terraform-aws-modules/(?:lambda|app-runner|ecs)/aws|terraform-aws-(?:app-runner|ecs)|[\w-]+/[\w-]*(?i:lambda)[\w-]*/aws|terraform-aws-[\w-]*(?i:lambda)[\w-]*)\b)`),
		says: func(what, rel string, line int) string {
			on := onLambda
			switch {
			case strings.Contains(what, "app-runner"):
				on = onAppRun
			case strings.Contains(what, "/ecs/") || strings.HasSuffix(what, "-ecs"):
				on = onTaskRole
			}
			return fmt.Sprintf("the Terraform module %s, used in %s:%d: it runs %s", what, rel, line, on)
		}},
	// A task's or job's own role, whatever the launch type: a non-empty
	// value (a JSON string or CloudFormation function; YAML or HCL
	// anything but a blank or a comment).
	{kinds: kindJSON, words: []string{"oleArn"},
		re:   lazyre.New(`"(taskRoleArn|TaskRoleArn|jobRoleArn|JobRoleArn)"\s*:\s*(?:"[^"\s]|\{\s*"(?:Ref|Fn::))`),
		says: runsOn("set", onResource)},
	{kinds: kindYAML | kindTerraform | kindOther, words: []string{"oleArn", "role_arn"},
		re:   lazyre.New(`(?m)\b(` + roleKey + `)['"]?[ \t]*[:=][ \t]*(?:['"]?[^\s'"{#]|\n[ \t]+(?:Fn::|Ref:|!))`),
		says: runsOn("set", onResource)},
	{kinds: kindShell | kindYAML, words: []string{"role-arn"}, re: lazyre.New(`(--(?:task|job)-role-arn)[ =]+\S`),
		says: runsOn("given", onResource)},
	// A CI step that deploys a function with an action named for Lambda
	// (aws-actions/aws-lambda-deploy, appleboy/lambda-action), and the
	// deploy commands of the tools that make only Lambda functions.
	{kinds: kindYAML, words: []string{"ambda"},
		re:   lazyre.New(`\buses:[ \t]*['"]?([\w.-]+/[\w.-]*(?i:lambda)[\w.-]*)(?:/[\w./-]*)?@`),
		says: runsOn("used", always(onLambda))},
	{kinds: kindShell | kindYAML, words: []string{"sam ", "lambroll", "zappa", "chalice", "claudia"},
		re:   lazyre.New(`\b((?:sam|lambroll)\s+(?:deploy|sync)|zappa\s+(?:deploy|update)|chalice\s+deploy|claudia\s+(?:create|update))\b`),
		says: runsOn("run", always(onLambda))},
	// The AWS CLI deploying a function or an App Runner service.
	{kinds: kindShell | kindYAML, words: []string{"lambda", "apprunner"},
		re:   lazyre.New(`\b(aws\s+(?:lambda\s+(?:create-function|update-function-code)|apprunner\s+(?:create-service|update-service)))\b`),
		says: runsOn("run", onResource)},
	// Copilot's workloads, App Runner's source configuration, eksctl's
	// pod identities and Fargate profiles.
	{kinds: kindYAML, named: func(n, rel string) bool {
		return (n == "manifest.yml" || n == "manifest.yaml") && (strings.HasPrefix(rel, "copilot/") || strings.Contains(rel, "/copilot/"))
	}, words: []string{"type:"}, re: copilotTypes,
		says: func(what, rel string, line int) string {
			on := onFargate + " with its own task role"
			if strings.HasPrefix(what, "Request-Driven") {
				on = onAppRun
			}
			return fmt.Sprintf("a Copilot %s, declared in %s:%d: it runs %s", what, rel, line, on)
		}},
	{kinds: kindYAML, named: func(n, _ string) bool { return n == "apprunner.yaml" || n == "apprunner.yml" }, words: []string{"runtime"},
		re: lazyre.New(`(?m)^runtime:[ \t]*['"]?\w`),
		says: func(_, rel string, line int) string {
			return fmt.Sprintf("an App Runner service's configuration, %s:%d: it runs %s", rel, line, onAppRun)
		}},
	{kinds: kindYAML, words: []string{"podIdentityAssociations", "fargateProfiles"}, re: lazyre.New(`(?m)^[ \t]*(podIdentityAssociations|fargateProfiles):`),
		says: runsOn("declared", func(what string) string {
			if what == "fargateProfiles" {
				return onEKSFarg
			}
			return onPodID
		})},
	// A container image built on a Lambda base image or with the Lambda
	// Web Adapter.
	{kinds: kindDockerfile, words: []string{"public.ecr.aws/"},
		re:   lazyre.New(`(?im)^[ \t]*(?:FROM|COPY)\s+(?:--\S+\s+)*?(?:--from=)?(public\.ecr\.aws/(?:lambda/|awsguru/aws-lambda-adapter)[^\s]*)`),
		says: runsOn("used", always(onLambda))},
	// CDK and Pulumi constructs, in the program of an infrastructure
	// folder (iacProject): Lambda functions, App Runner services, ECS
	// tasks on Fargate or with a task role, pod identities.
	{kinds: kindCode, words: []string{"ambda", "Function"},
		re:   lazyre.New(`\b(?:(\w*[lL]ambda\w*\.(?:New)?(?:Function|DockerImageFunction|SingletonFunction|CallbackFunction)|(?:New)?(?:GoFunction|NodejsFunction|PythonFunction|DockerImageFunction))\s*\(|(new\s+Function)\s*\(\s*this\b)`),
		says: runsOn("constructed", always(onLambda))},
	{kinds: kindCode, words: []string{"pprunner", "Fargate", "PodIdentity"},
		re:   lazyre.New(`\b(\w*[aA]pp[rR]unner\w*\.(?:New)?(?:Cfn)?Service|\w*Fargate(?:TaskDefinition|Service)|(?:New)?(?:Cfn)?PodIdentityAssociation)\s*\(`),
		says: runsOn("constructed", onResource)},
	{kinds: kindCode, words: []string{"ask", "ob"},
		re:   lazyre.New(`\b((?i:task_?role|job_?role)(?:_?[aA]rn)?)\s*[:=][^=]`),
		says: runsOn("set", onResource)},
	// An ECS service or task, or a Batch compute environment, on Fargate
	// written as a string of a CDK, CDKTF or Pulumi program
	// (launchType: "FARGATE"): read with the strings kept.
	{kinds: kindCode, strings: true, words: []string{"FARGATE"},
		re:   lazyre.New(`\b(?i:launch_?type|requires_?compatibilities|platform_?capabilities|compatibilit(?:y|ies)|capacity_?provider)\w*["']?\s*[:=]\s*(?:[\w.]+\(\s*)?\[?\s*(?:\{\s*\w+\s*[:=]\s*)?["']?(FARGATE(?:_SPOT)?)\b`),
		says: runsOn("named", always(onFargate))},
	// CDK for Terraform: the AWS provider's resources as constructs
	// (TypeScript new LambdaFunction(this, ...), Python LambdaFunction(self,
	// ...), Go lambdafunction.NewLambdaFunction(stack, ...), Java
	// LambdaFunction.Builder.create(this, ...)).
	{kinds: kindCode, words: []string{"LambdaFunction", "ApprunnerService", "EksPodIdentityAssociation", "EksFargateProfile"},
		re:   lazyre.New(`\b((?:New)?(?:LambdaFunction|ApprunnerService|EksPodIdentityAssociation|EksFargateProfile))\s*(?:\(|\.Builder\b)`),
		says: runsOn("constructed", onResource)},
	// SST: v3's components (sst.config.ts, infra/*.ts), v2's constructs
	// (sst/constructs): a function, a cron job's or an API's handlers on
	// Lambda, a service or task on Fargate, a web site's server on Lambda.
	{kinds: kindCode, words: []string{"sst.aws."},
		re: lazyre.New(`\bnew\s+(sst\.aws\.(?:Function|Cron|Service|Task|ApiGatewayV1|ApiGatewayV2|ApiGatewayWebSocket|Nextjs|Remix|Astro|SvelteKit|SolidStart|Nuxt|Analog|TanStackStart|React))\s*\(`),
		says: runsOn("constructed", func(what string) string {
			if strings.HasSuffix(what, ".Service") || strings.HasSuffix(what, ".Task") {
				return onFargate
			}
			return onLambda
		})},
	{kinds: kindCode, words: []string{"stack"},
		re: lazyre.New(`\bnew\s+((?:Function|Api|ApiGatewayV1Api|WebSocketApi|Cron|Service|NextjsSite|RemixSite|AstroSite|SvelteKitSite|SolidStartSite))\s*\(\s*(?:stack|scope)\b`),
		says: runsOn("constructed", func(what string) string {
			if what == "Service" {
				return onFargate
			}
			return onLambda
		})},
	// Python frameworks that deploy an app as a Lambda function: Chalice
	// (.chalice/config.json), Zappa (zappa_settings.json or .yml, .toml).
	{kinds: kindJSON, named: func(n, rel string) bool {
		return n == "config.json" && (strings.HasPrefix(rel, ".chalice/") || strings.Contains(rel, "/.chalice/"))
	}, words: []string{"app_name", "stages"},
		re: lazyre.New(`"(?:app_name|stages)"\s*:`),
		says: func(_, rel string, line int) string {
			return fmt.Sprintf("a Chalice app, configured in %s:%d: it runs on AWS Lambda", rel, line)
		}},
	{kinds: kindJSON | kindYAML | kindOther, named: func(n, _ string) bool { return strings.HasPrefix(n, "zappa_settings.") },
		words: []string{"app_function", "django_settings", "lambda_handler", "s3_bucket"},
		re:    lazyre.New(`\b(?:app_function|django_settings|lambda_handler|s3_bucket)\b`),
		says: func(_, rel string, line int) string {
			return fmt.Sprintf("a Zappa app, configured in %s:%d: it runs on AWS Lambda", rel, line)
		}},
}

// noMetadataFile returns, marked, where file b (rel to the module root,
// named name) deploys a program where no instance metadata serves the
// instance role, or "". A source file (kindCode) counts only as read by
// iacPlace.
func noMetadataFile(b []byte, rel, name string) string {
	k := deployFileKind(name)
	if !serverlessConfig(strings.ToLower(name)) {
		k &^= kindCode
	}
	return deploymentIn(b, rel, name, k)
}

// serverlessConfig reports whether a file of this (lower-case) name is
// the Serverless Framework's configuration in a form other than YAML.
func serverlessConfig(n string) bool {
	switch n {
	case "serverless.json", "serverless.js", "serverless.ts", "serverless.cjs", "serverless.mjs":
		return true
	}
	return false
}

// NoMetadataDeployment returns where the deployment description b
// (called name, at rel: a slash path, which Copilot's manifests are told
// by) runs its program when no instance metadata serves the instance role
// there, in the words go fix's advice gives ("FARGATE, named in
// taskdef.json:1: it runs as an ECS task on Fargate"), or "". keyscan fix
// asks the same table of a file whose keys it would remove, so that the
// two fixers never send one deployment to the EC2 instance role and
// withhold for it in the other (qa27 M6).
func NoMetadataDeployment(b []byte, rel, name string) string {
	return strings.TrimPrefix(noMetadataFile(b, rel, name), noMetadataMark)
}

func deploymentIn(b []byte, rel, name string, k deployKind) string {
	if k == 0 {
		return ""
	}
	n := strings.ToLower(name)
	var code, texts []byte // b with comments blanked (and strings, in source), once a word is there
	for _, d := range deployments {
		if d.kinds&k == 0 || d.named != nil && !d.named(n, rel) || !slices.ContainsFunc(d.words, func(w string) bool { return bytes.Contains(b, []byte(w)) }) {
			continue
		}
		read := &code
		if d.strings {
			read = &texts
		}
		if *read == nil {
			*read = blankComments(b, k, name, !d.strings)
		}
		m := d.re.FindSubmatchIndex(*read)
		if m == nil {
			continue
		}
		if k&(kindJSON|kindYAML) != 0 && apiModel(b, k) {
			return "" // a model or schema names resource types, deploys none
		}
		at, end := m[0], m[1]
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] >= 0 {
				at, end = m[g], m[g+1]
				break
			}
		}
		what := strings.Join(strings.Fields(string((*read)[at:end])), " ")
		return noMetadataMark + d.says(what, rel, 1+bytes.Count(b[:at], []byte("\n")))
	}
	return ""
}

// iacProject reports whether a file of this name makes its folder the
// root of an infrastructure program whose source describes deployments:
// the AWS CDK's cdk.json, CDK for Terraform's cdktf.json, Pulumi's
// project file, SST's sst.config.ts (v2, v3) or sst.json (v1).
func iacProject(name string) bool {
	switch strings.ToLower(name) {
	case "cdk.json", "cdktf.json", "pulumi.yaml", "pulumi.yml", "sst.config.ts", "sst.config.js", "sst.config.mjs", "sst.json":
		return true
	}
	return false
}

// iacSource reports whether a file of this name is source in a language
// other than Go that the CDK or Pulumi write infrastructure programs in.
func iacSource(name string) bool {
	return deployFileKind(name) == kindCode && !strings.HasSuffix(name, ".go")
}

// iacLibraries are what an infrastructure program's source imports: the
// CDK's and Pulumi's AWS libraries, CDK for Terraform's AWS provider (the
// prebuilt package or the bindings cdktf get writes), SST's constructs
// and platform types, in each language.
var iacLibraries = [][]byte{
	[]byte("aws-cdk-lib"), []byte("@aws-cdk/"), []byte("aws_cdk"), []byte("software.amazon.awscdk"), []byte("Amazon.CDK"),
	[]byte("github.com/aws/aws-cdk-go/"), []byte("@pulumi/aws"), []byte("@pulumi/awsx"), []byte("pulumi_aws"), []byte("com.pulumi.aws"),
	[]byte("Pulumi.Aws"), []byte("github.com/pulumi/pulumi-aws/"), []byte("github.com/pulumi/pulumi-awsx/"),
	[]byte("@cdktf/provider-aws"), []byte("cdktf_cdktf_provider_aws"), []byte("github.com/cdktf/cdktf-provider-aws-go/"),
	[]byte("com.hashicorp.cdktf.providers.aws"), []byte("HashiCorp.Cdktf.Providers.Aws"), []byte(".gen/providers/aws"),
	[]byte("generated/hashicorp/aws/"), []byte("imports.aws"), []byte("sst/constructs"), []byte(".sst/platform/"),
}

// iacImport reports whether source b names a CDK or Pulumi AWS library.
func iacImport(b []byte) bool {
	return slices.ContainsFunc(iacLibraries, func(l []byte) bool { return bytes.Contains(b, l) })
}

// Bounds of the infrastructure programs' source read: past them the rest
// is left unread (the fix then stands on what was read).
const (
	maxIaCFiles = 2000
	maxIaCBytes = 16 << 20
)

// iacPlace returns, marked, the first deployment that an infrastructure
// program constructs, or "": in files (source of the module that names a
// CDK or Pulumi library, or that is in one of the folders dirs of a
// cdk.json or Pulumi.yaml), then in the source of nested, the folders of
// nested modules with such a project file.
func (c *checker) iacPlace(files, dirs, nested []string) string {
	count, size := 0, int64(0)
	look := func(p string, project bool) (place string, more bool) {
		if count++; count > maxIaCFiles {
			return "", false
		}
		st, err := os.Stat(p)
		if err != nil || st.Size() > maxIaCBytes-size {
			return "", false
		}
		size += st.Size()
		b := c.readFile(p)
		if !project && !iacImport(b) && !slices.ContainsFunc(dirs, func(d string) bool { return pathname.Within(d, p) }) {
			return "", true
		}
		rel := p
		if r, err := filepath.Rel(c.root, p); err == nil {
			rel = filepath.ToSlash(r)
		}
		place = deploymentIn(b, rel, filepath.Base(p), kindCode)
		return place, place == ""
	}
	place, more := "", true
	for _, p := range files {
		if place, more = look(p, false); !more {
			break
		}
	}
	for _, d := range nested {
		if !more {
			break
		}
		moduleWalk(d, func(name string) bool { return deployFileKind(name) == kindCode }, func(p string) bool {
			place, more = look(p, true)
			return more
		})
	}
	if place == "" {
		return ""
	}
	return place[:len(noMetadataMark)] + strings.Replace(place[len(noMetadataMark):], ": it runs", " by an infrastructure program (CDK, CDKTF, Pulumi or SST): it runs", 1)
}
