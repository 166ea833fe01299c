package analyzer_test

// Deployments where the instance role is not the program's role, by each
// tool that writes them (qa26 M1, M2): Lambda by Terraform, CDK (in
// TypeScript and Python), Pulumi (TypeScript and YAML) or a Lambda base
// image; an ECS task with a task role on the EC2 launch type; App Runner;
// Copilot; EKS Pod Identity; a Batch job with a role. Each withholds the
// fix, naming the file. The same words in comments, an ECS task on EC2
// without a role of its own, Elastic Beanstalk and a CDK app that builds
// only an EC2 instance keep it. fix31 adds CDK for Terraform, SST and
// Chalice; block comments, docstrings and heredoc comments, copies of
// other projects and API models that keep the fix; and commands people
// run on their own machines (Linux archives, a --profile flag).
func init() { shapes = append(shapes, deployShapes()...) }

func deployShapes() []shape {
	const v2body = `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`
	v2 := []string{ctxPkg, v2cfg, v2creds, v2s3}
	const cdkJSON = "{\n  \"app\": \"npx ts-node --prefer-ts-exts bin/app.ts\"\n}\n"
	withheld := []struct {
		shape, says string
		files       map[string]string
	}{
		{"v2_deploy_terraform_lambda", "aws_lambda_function, declared in v2_deploy_terraform_lambda/lambda.tf:1: it runs on AWS Lambda",
			map[string]string{"lambda.tf": "resource \"aws_lambda_function\" \"app\" {\n  function_name = \"app\"\n  role          = aws_iam_role.app.arn\n  handler       = \"bootstrap\"\n  runtime       = \"provided.al2023\"\n  filename      = \"app.zip\"\n  layers        = [\"arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerX86:24\"]\n}\n"}},
		{"v2_deploy_terraform_lambda_image", "aws_lambda_function, declared in v2_deploy_terraform_lambda_image/deploy/fn.tf:2",
			map[string]string{"deploy/fn.tf": "# the API, as a container image\nresource \"aws_lambda_function\" \"api\" {\n  package_type = \"Image\"\n  image_uri    = \"${aws_ecr_repository.api.repository_url}:latest\"\n}\n"}},
		{"v2_deploy_cdk_ts", "lambda.Function, constructed in v2_deploy_cdk_ts/infra/lib/stack.ts:5 by an infrastructure program (CDK, CDKTF, Pulumi or SST): it runs on AWS Lambda",
			map[string]string{"infra/cdk.json": cdkJSON, "infra/bin/app.ts": "import * as cdk from 'aws-cdk-lib';\nimport { AppStack } from '../lib/stack';\n\nnew AppStack(new cdk.App(), 'App');\n",
				"infra/lib/stack.ts": "import * as cdk from 'aws-cdk-lib';\nimport * as lambda from 'aws-cdk-lib/aws-lambda';\n\nexport class AppStack extends cdk.Stack {\n  fn = new lambda.Function(this, 'Fn', { runtime: lambda.Runtime.PROVIDED_AL2023, handler: 'bootstrap', code: lambda.Code.fromAsset('../dist') });\n}\n"}},
		{"v2_deploy_cdk_python", "_lambda.DockerImageFunction, constructed in v2_deploy_cdk_python/cdk/app.py:5",
			map[string]string{"cdk/cdk.json": "{\"app\": \"python3 app.py\"}\n", "cdk/app.py": "import aws_cdk as cdk\nfrom aws_cdk import aws_lambda as _lambda\n\nstack = cdk.Stack(cdk.App(), 'App')\n_lambda.DockerImageFunction(stack, 'Fn', code=_lambda.DockerImageCode.from_image_asset('..'))\n"}},
		{"v2_deploy_pulumi_ts", "lambda.Function, constructed in v2_deploy_pulumi_ts/infra/index.ts:3",
			map[string]string{"infra/Pulumi.yaml": "name: app\nruntime: nodejs\n", "infra/index.ts": "import * as aws from '@pulumi/aws';\n\nexport const fn = new aws.lambda.Function('app', { role: role.arn, runtime: 'provided.al2023', handler: 'bootstrap' });\n"}},
		{"v2_deploy_pulumi_yaml", "aws:lambda:Function, declared in v2_deploy_pulumi_yaml/Pulumi.yaml:5",
			map[string]string{"Pulumi.yaml": "name: app\nruntime: yaml\nresources:\n  fn:\n    type: aws:lambda:Function\n    properties:\n      runtime: provided.al2023\n"}},
		{"v2_deploy_lambda_image", "public.ecr.aws/lambda/provided:al2023, used in v2_deploy_lambda_image/Dockerfile:3",
			map[string]string{"Dockerfile": "FROM golang:1.26 AS build\nRUN go build -o /app .\nFROM public.ecr.aws/lambda/provided:al2023\nCOPY --from=build /app ${LAMBDA_RUNTIME_DIR}/bootstrap\n"}},
		{"v2_deploy_ecs_ec2_task_role", "taskRoleArn, set in v2_deploy_ecs_ec2_task_role/ecs/taskdef.json:1: it runs as an ECS task with its own role",
			map[string]string{"ecs/taskdef.json": "{\"family\":\"app\",\"taskRoleArn\":\"arn:aws:iam::123456789012:role/app-task\",\"requiresCompatibilities\":[\"EC2\"],\"networkMode\":\"awsvpc\",\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"app:latest\"}]}\n"}},
		{"v2_deploy_apprunner", "an App Runner service's configuration, v2_deploy_apprunner/apprunner.yaml:2: it runs on AWS App Runner",
			map[string]string{"apprunner.yaml": "version: 1.0\nruntime: go1\nbuild:\n  commands:\n    build:\n      - go build -o app .\nrun:\n  command: ./app\n"}},
		{"v2_deploy_copilot", "a Copilot Backend Service, declared in v2_deploy_copilot/copilot/app/manifest.yml:2",
			map[string]string{"copilot/app/manifest.yml": "name: app\ntype: Backend Service\nimage:\n  build: Dockerfile\ncpu: 256\nmemory: 512\n"}},
		{"v2_deploy_pod_identity", "aws_eks_pod_identity_association, declared in v2_deploy_pod_identity/eks.tf:1: it runs in a pod with its own role (EKS Pod Identity)",
			map[string]string{"eks.tf": "resource \"aws_eks_pod_identity_association\" \"app\" {\n  cluster_name    = \"prod\"\n  namespace       = \"app\"\n  service_account = \"app\"\n  role_arn        = aws_iam_role.app.arn\n}\n"}},
		{"v2_deploy_batch_job_role", "jobRoleArn, set in v2_deploy_batch_job_role/batch/job.json:1: it runs as an AWS Batch job with its own role",
			map[string]string{"batch/job.json": "{\"jobDefinitionName\":\"app\",\"type\":\"container\",\"containerProperties\":{\"image\":\"app\",\"jobRoleArn\":\"arn:aws:iam::123456789012:role/job\"}}\n"}},
		// fix31: CDK for Terraform, SST, Chalice.
		{"v2_deploy_cdktf_ts", "LambdaFunction, constructed in v2_deploy_cdktf_ts/infra/main.ts:6 by an infrastructure program (CDK, CDKTF, Pulumi or SST): it runs on AWS Lambda",
			map[string]string{"infra/cdktf.json": "{\"language\": \"typescript\", \"app\": \"npx ts-node main.ts\", \"terraformProviders\": [\"aws@~> 5.0\"]}\n",
				"infra/main.ts": "import { App, TerraformStack } from 'cdktf';\nimport { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';\n\nclass Stack extends TerraformStack {\n  constructor(scope: App, id: string) {\n    super(scope, id); new LambdaFunction(this, 'fn', { functionName: 'app', handler: 'bootstrap', runtime: 'provided.al2023', role: 'r' });\n  }\n}\n"}},
		{"v2_deploy_sst", "sst.aws.Function, constructed in v2_deploy_sst/sst.config.ts:6",
			map[string]string{"sst.config.ts": "/// <reference path=\"./.sst/platform/config.d.ts\" />\nexport default $config({\n  app(input) { return { name: 'app', home: 'aws' }; },\n  async run() {\n    const bucket = new sst.aws.Bucket('Files');\n    new sst.aws.Function('Api', { handler: './cmd/api', runtime: 'go', link: [bucket] });\n  },\n});\n"}},
		{"v2_deploy_chalice", "a Chalice app, configured in v2_deploy_chalice/.chalice/config.json:3: it runs on AWS Lambda",
			map[string]string{".chalice/config.json": "{\n  \"version\": \"2.0\",\n  \"app_name\": \"uploader\",\n  \"stages\": {\"dev\": {\"api_gateway_stage\": \"api\"}}\n}\n"}},
	}
	var out []shape
	for _, w := range withheld {
		out = append(out, shape{name: w.shape, imports: v2, reason: "runs where the instance role is not its role", says: w.says, body: v2body, others: w.files})
	}
	out = append(out, shape{name: "v1_deploy_terraform_lambda", imports: []string{v1aws, v1creds, v1sess}, reason: "runs on Lambda",
		says: "aws_lambda_function, declared in v1_deploy_terraform_lambda/main.tf:1", body: `
func newSession() (*session.Session, error) {
	return session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")})
}`, others: map[string]string{"main.tf": "resource \"aws_lambda_function\" \"app\" {\n  function_name = \"app\"\n}\n"}})

	kept := []struct {
		shape string
		files map[string]string
	}{
		{"v2_deploy_comment_only", map[string]string{
			"main.tf":    "# until 2025 this ran as resource \"aws_lambda_function\" \"app\"\n// then AWS::Lambda::Function, then FARGATE\n/* task_role_arn = aws_iam_role.task.arn */\nresource \"aws_instance\" \"app\" {\n  ami = \"ami-12345678\"\n}\n",
			"notes.yaml": "# not AWS::Serverless::Function, not FARGATE, no taskRoleArn: arn:aws:iam::123456789012:role/x\nhost: ec2 # eks.amazonaws.com/role-arn: none\n",
		}},
		{"v2_deploy_ecs_ec2_no_role", map[string]string{
			"ecs/taskdef.json": "{\"family\":\"app\",\"requiresCompatibilities\":[\"EC2\"],\"networkMode\":\"bridge\",\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"app:latest\"}]}\n",
		}},
		{"v2_deploy_beanstalk", map[string]string{
			".elasticbeanstalk/config.yml": "branch-defaults:\n  main:\n    environment: app-prod\nglobal:\n  application_name: app\n  default_platform: Go 1 running on 64bit Amazon Linux 2023\n",
		}},
		{"v2_deploy_cdk_ec2", map[string]string{
			"infra/cdk.json":     cdkJSON,
			"infra/lib/stack.ts": "import * as ec2 from 'aws-cdk-lib/aws-ec2';\n\n// no new lambda.Function(this, 'Fn') any more\nconst host = new ec2.Instance(this, 'Host', { instanceType, machineImage, vpc, role });\nconst note = 'lambda.Function( was here';\n",
		}},
		// fix31: deployments in block comments, docstrings and heredoc
		// comments; a copy of another project, API models, a virtual
		// environment's botocore naming Lambda and Fargate.
		{"v2_deploy_block_comments", map[string]string{
			"main.tf":        "/*\nresource \"aws_lambda_function\" \"app\" {\n  function_name = \"app\"\n}\n*/\nresource \"aws_instance\" \"app\" {\n  ami = \"ami-12345678\"\n}\n",
			"deploy.sh":      "#!/bin/sh\n: <<'GONE'\naws lambda update-function-code --function-name app --zip-file fileb://app.zip\nGONE\nscp app ec2-user@host:\n",
			"pom.xml":        "<project>\n<!--\n  <type>AWS::Lambda::Function</type>\n-->\n</project>\n",
			"infra/cdk.json": "{\"app\": \"python3 app.py\"}\n",
			"infra/app.py":   "\"\"\"The stack.\n\n_lambda.Function(self, 'Fn') ran the API until 2025; FARGATE after.\n\"\"\"\nimport aws_cdk as cdk\nfrom aws_cdk import aws_ec2 as ec2\n\nec2.Instance(stack, 'Host', role=role)\n",
		}},
		{"v2_deploy_vendored_models", map[string]string{
			"third_party/tool/template.yaml":       "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n",
			"models/ecs/2014-11-13/service-2.json": "{\"version\":\"2.0\",\"metadata\":{\"apiVersion\":\"2014-11-13\",\"protocol\":\"json\"},\"operations\":{},\"shapes\":{\"LaunchType\":{\"type\":\"string\",\"enum\":[\"EC2\",\"FARGATE\",\"EXTERNAL\"]}}}\n",
			"schema/cloudformation.schema.json":    "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"definitions\": {\"AWS::Lambda::Function\": {\"type\": \"object\"}}}\n",
			".venv/pyvenv.cfg":                     "home = /usr/bin\nversion = 3.12.3\n",
			".venv/lib/python3.12/site-packages/botocore/data/ecs/2014-11-13/service-2.json.gz.json": "{\"x\": [\"FARGATE\"]}\n",
		}},
		{"v2_pprof_profile_flag", map[string]string{
			"flags.go": "package shape\n\nimport \"flag\"\n\nvar cpuProfile = flag.String(\"profile\", \"\", \"write a CPU profile to this file\")\n",
		}},
	}
	for _, k := range kept {
		out = append(out, shape{name: k.shape, imports: v2, fix: true, body: v2body, others: k.files})
	}
	// fix31: a command people run on their own machines, by its release
	// (Linux archives only) or by its shape (a --profile flag).
	for _, w := range []struct {
		shape, says string
		files       map[string]string
	}{
		{"v2_goreleaser_linux_cli", "builds for Linux only, released as archives or packages for people to download and run, with no container image (dockers, kos) or service unit that would say a server runs it, in v2_goreleaser_linux_cli/.goreleaser.yaml:5",
			map[string]string{".goreleaser.yaml": "version: 2\nbuilds:\n  - env: [CGO_ENABLED=0]\n    main: .\n    goos: [linux]\n    goarch: [amd64, arm64]\narchives:\n  - formats: [tar.gz]\n"}},
		{"v2_cli_profile_flag", "the --profile flag, defined in v2_cli_profile_flag/flags.go:5",
			map[string]string{"flags.go": "package shape\n\nimport \"flag\"\n\nvar profile = flag.String(\"profile\", \"\", \"the AWS profile to use (~/.aws/config)\")\n"}},
	} {
		out = append(out, shape{name: w.shape, imports: v2, reason: "no AWS role exists at all", says: w.says, body: v2body, others: w.files})
	}
	return out
}
