package analyzer

import (
	"bytes"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// deployCases are files that deploy a program where the instance role is
// not its role (want: what the reason says), and files that do not (want
// ""): a word in a comment, an EC2 or Elastic Beanstalk deployment, an
// ECS task without a role of its own on EC2, a construct in a file of the
// wrong kind (qa26 M1, M2).
var deployCases = []struct{ rel, src, want string }{
	// Lambda, by each tool.
	{"lambda.tf", "resource \"aws_lambda_function\" \"app\" {\n  function_name = \"app\"\n}\n", "aws_lambda_function, declared in lambda.tf:1: it runs on AWS Lambda"},
	{"infra/fn.tf", "# the API\nresource \"aws_lambda_function\" \"app\" {\n  package_type = \"Image\"\n}\n", "aws_lambda_function, declared in infra/fn.tf:2"},
	{"main.tf.json", "{\"resource\": {\"aws_lambda_function\": {\"app\": {\"function_name\": \"app\"}}}}\n", "aws_lambda_function, declared in main.tf.json:1"},
	{"lambda.tf", "module \"fn\" {\n  source = \"terraform-aws-modules/lambda/aws\"\n}\n", "the Terraform module terraform-aws-modules/lambda/aws, used in lambda.tf:2: it runs on AWS Lambda"},
	{"template.yaml", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n", "AWS::Serverless::Function, declared in template.yaml:3"},
	{"stack.json", "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\"}}}", "AWS::Lambda::Function, declared in stack.json:1"},
	{"serverless.yml", "service: app\nprovider:\n  name: aws\n", "a Serverless Framework service on AWS, in serverless.yml:2"},
	{"Pulumi.yaml", "name: app\nruntime: yaml\nresources:\n  fn:\n    type: aws:lambda:Function\n", "aws:lambda:Function, declared in Pulumi.yaml:5: it runs on AWS Lambda"},
	{"Dockerfile", "FROM public.ecr.aws/lambda/provided:al2023\nCOPY app ${LAMBDA_TASK_ROOT}\n", "public.ecr.aws/lambda/provided:al2023, used in Dockerfile:1: it runs on AWS Lambda"},
	{"Dockerfile", "FROM golang:1.26 AS build\nFROM scratch\nCOPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 /lambda-adapter /opt/extensions/lambda-adapter\n", "public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1, used in Dockerfile:3"},
	{"deploy.sh", "#!/bin/sh\nzip app.zip bootstrap\naws lambda update-function-code --function-name app --zip-file fileb://app.zip\n", "aws lambda update-function-code, run in deploy.sh:3: it runs on AWS Lambda"},
	{".github/workflows/deploy.yml", "jobs:\n  deploy:\n    steps:\n      - run: aws lambda create-function --function-name app\n", "aws lambda create-function, run in .github/workflows/deploy.yml:4"},
	// Lambda, the other usual ways (qa27 M4): Serverless's other config
	// forms, Lambda deploy actions, the Lambda modules from git or another
	// namespace, SAM's deploy settings, lambroll, the Lambda-only tools.
	{"serverless.ts", "import type { AWS } from \"@serverless/typescript\";\n\nconst c: AWS = {\n  service: \"app\",\n  provider: { name: \"aws\", runtime: \"provided.al2023\" },\n};\nmodule.exports = c;\n", "a Serverless Framework service on AWS, in serverless.ts:5: it runs on AWS Lambda"},
	{"api/serverless.js", "module.exports = {\n  service: 'api',\n  provider: {\n    runtime: 'provided.al2023',\n    name: 'aws',\n  },\n};\n", "a Serverless Framework service on AWS, in api/serverless.js:3"},
	{"serverless.json", "{\"service\": \"app\", \"provider\": {\"name\": \"aws\"}}", "a Serverless Framework service on AWS, in serverless.json:1"},
	{"serverless.yml", "service: app\nprovider: aws\n", "a Serverless Framework service on AWS, in serverless.yml:2"},
	{".github/workflows/deploy.yml", "jobs:\n  deploy:\n    steps:\n      - uses: aws-actions/aws-lambda-deploy@v1\n        with:\n          function-name: app\n", "aws-actions/aws-lambda-deploy, used in .github/workflows/deploy.yml:4: it runs on AWS Lambda"},
	{".github/workflows/deploy.yml", "jobs:\n  deploy:\n    steps:\n      - uses: \"appleboy/lambda-action@v0.2.0\"\n", "appleboy/lambda-action, used in .github/workflows/deploy.yml:4"},
	{"infra/fn.tf", "module \"fn\" {\n  source = \"git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git?ref=v7.20.1\"\n}\n", "the Terraform module terraform-aws-lambda, used in infra/fn.tf:2: it runs on AWS Lambda"},
	{"infra/fn.tf", "module \"fn\" {\n  source  = \"cloudposse/lambda-function/aws\"\n  version = \"0.6.1\"\n}\n", "the Terraform module cloudposse/lambda-function/aws, used in infra/fn.tf:2: it runs on AWS Lambda"},
	{"infra/fn.tf", "module \"fn\" {\n  source = \"github.com/cloudposse/terraform-aws-lambda-function?ref=0.6.1\"\n}\n", "the Terraform module terraform-aws-lambda-function, used in infra/fn.tf:2"},
	{"infra/ecs.tf", "module \"svc\" {\n  source = \"git::https://github.com/terraform-aws-modules/terraform-aws-ecs.git//modules/service\"\n}\n", "the Terraform module terraform-aws-ecs, used in infra/ecs.tf:2: it runs as an ECS task with its own role"},
	{"samconfig.toml", "version = 0.1\n[default.deploy.parameters]\nstack_name = \"app\"\n", "an AWS SAM application's deploy settings, samconfig.toml:3: it runs on AWS Lambda"},
	{"function.json", "{\n  \"FunctionName\": \"app\",\n  \"Handler\": \"bootstrap\"\n}\n", "a Lambda function's definition (lambroll), function.json:2"},
	{"Makefile", "deploy:\n\tsam deploy --no-confirm-changeset\n", "sam deploy, run in Makefile:2: it runs on AWS Lambda"},
	{".gitlab-ci.yml", "deploy:\n  script:\n    - lambroll deploy --function function.json\n", "lambroll deploy, run in .gitlab-ci.yml:3"},
	// ECS tasks and Batch jobs with a role of their own, any launch type.
	{"ecs/taskdef.json", "{\"family\":\"app\",\"taskRoleArn\":\"arn:aws:iam::123456789012:role/app-task\",\"requiresCompatibilities\":[\"EC2\"]}", "taskRoleArn, set in ecs/taskdef.json:1: it runs as an ECS task with its own role"},
	{"ecs.tf", "resource \"aws_ecs_task_definition\" \"app\" {\n  family        = \"app\"\n  task_role_arn = aws_iam_role.task.arn\n}\n", "task_role_arn, set in ecs.tf:3: it runs as an ECS task with its own role"},
	{"stack.yaml", "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt TaskRole.Arn\n", "TaskRoleArn, set in stack.yaml:5"},
	{"stack.yaml", "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn:\n        Fn::GetAtt: [TaskRole, Arn]\n", "TaskRoleArn, set in stack.yaml:5"},
	{"stack.json", "{\"Properties\": {\"TaskRoleArn\": {\"Ref\": \"TaskRole\"}}}", "TaskRoleArn, set in stack.json:1"},
	{"batch.json", "{\"jobDefinitionName\":\"app\",\"type\":\"container\",\"containerProperties\":{\"jobRoleArn\":\"arn:aws:iam::123456789012:role/job\"}}", "jobRoleArn, set in batch.json:1: it runs as an AWS Batch job with its own role"},
	{"batch.json", "{\"platformCapabilities\":[\"FARGATE\"]}", "FARGATE, named in batch.json:1: it runs as an ECS task on Fargate"},
	{"run.sh", "aws ecs register-task-definition --family app --task-role-arn arn:aws:iam::123456789012:role/t\n", "--task-role-arn, given in run.sh:1"},
	{"ecs-params.yml", "version: 1\ntask_definition:\n  task_role_arn: arn:aws:iam::123456789012:role/t\n", "task_role_arn, set in ecs-params.yml:3"},
	{"ecs.tf", "module \"svc\" {\n  source = \"terraform-aws-modules/ecs/aws//modules/service\"\n}\n", "the Terraform module terraform-aws-modules/ecs/aws, used in ecs.tf:2: it runs as an ECS task with its own role"},
	// App Runner and Copilot.
	{"apprunner.yaml", "version: 1.0\nruntime: go1\nrun:\n  command: ./app\n", "an App Runner service's configuration, apprunner.yaml:2: it runs on AWS App Runner"},
	{"apprunner.tf", "resource \"aws_apprunner_service\" \"app\" {\n}\n", "aws_apprunner_service, declared in apprunner.tf:1: it runs on AWS App Runner"},
	{"stack.yaml", "Resources:\n  Svc:\n    Type: AWS::AppRunner::Service\n", "AWS::AppRunner::Service, declared in stack.yaml:3: it runs on AWS App Runner"},
	{"copilot/app/manifest.yml", "name: app\ntype: Backend Service\nimage:\n  build: Dockerfile\n", "a Copilot Backend Service, declared in copilot/app/manifest.yml:2: it runs as an ECS task on Fargate with its own task role"},
	{"svc/copilot/web/manifest.yaml", "name: web\ntype: 'Request-Driven Web Service'\n", "a Copilot Request-Driven Web Service, declared in svc/copilot/web/manifest.yaml:2: it runs on AWS App Runner"},
	// Pods with a role of their own.
	{"k8s/sa.yaml", "metadata:\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/app\n", "eks.amazonaws.com/role-arn, set in k8s/sa.yaml:3"},
	{"eks.tf", "resource \"aws_eks_pod_identity_association\" \"app\" {\n}\n", "aws_eks_pod_identity_association, declared in eks.tf:1: it runs in a pod with its own role (EKS Pod Identity)"},
	{"cluster.yaml", "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\niam:\n  podIdentityAssociations:\n  - namespace: app\n", "podIdentityAssociations, declared in cluster.yaml:4"},
	{"cluster.yaml", "kind: ClusterConfig\nfargateProfiles:\n  - name: app\n", "fargateProfiles, declared in cluster.yaml:2: it runs in pods on EKS Fargate"},

	// Python frameworks on Lambda (fix31).
	{".chalice/config.json", "{\n  \"version\": \"2.0\",\n  \"app_name\": \"uploader\",\n  \"stages\": {\"dev\": {\"api_gateway_stage\": \"api\"}}\n}\n", "a Chalice app, configured in .chalice/config.json:3: it runs on AWS Lambda"},
	{"api/.chalice/config.json", "{\"app_name\": \"api\"}", "a Chalice app, configured in api/.chalice/config.json:1"},
	{"zappa_settings.json", "{\"prod\": {\"app_function\": \"app.app\", \"s3_bucket\": \"zappa-app\"}}", "a Zappa app, configured in zappa_settings.json:1: it runs on AWS Lambda"},
	{"zappa_settings.yml", "prod:\n  django_settings: app.settings\n", "a Zappa app, configured in zappa_settings.yml:2"},
	// A CDKTF program's synthesized Terraform JSON.
	{"cdktf.out/stacks/app/cdk.tf.json", "{\"resource\": {\"aws_lambda_function\": {\"fn\": {\"function_name\": \"app\"}}}}", "aws_lambda_function, declared in cdktf.out/stacks/app/cdk.tf.json:1"},

	// Not deployments of that kind.
	// Block comments spanning lines, in each kind's notation (fix31).
	{"lambda.tf", "/*\nresource \"aws_lambda_function\" \"old\" {\n  function_name = \"app\"\n}\n*/\nresource \"aws_instance\" \"app\" {}\n", ""},
	{"deploy.sh", "#!/bin/sh\n: <<'END'\naws lambda update-function-code --function-name app\nEND\nscp app host:\n", ""},
	{"deploy.sh", "#!/bin/sh\n: <<-END\n\taws lambda create-function --function-name app\n\tEND\nscp app host:\n", ""},
	{"deploy.ps1", "<#\naws lambda update-function-code --function-name app\n#>\nscp app host:\n", ""},
	{"Vagrantfile", "=begin\naws lambda update-function-code --function-name app\n=end\nVagrant.configure('2') {}\n", ""},
	{"pom.xml", "<project>\n<!--\n  <type>AWS::Lambda::Function</type>\n  FARGATE\n-->\n</project>\n", ""},
	{"Jenkinsfile", "/*\nsh 'aws lambda update-function-code --function-name app'\n*/\nsh 'scp app host:'\n", ""},
	{".github/workflows/ci.yml", "name: don't deploy # aws lambda update-function-code\non: push\n", ""},
	{"taskdef.jsonc.json", "{\n  /* \"requiresCompatibilities\": [\"FARGATE\"],\n     \"taskRoleArn\": \"arn:aws:iam::123456789012:role/t\" */\n  \"family\": \"app\"\n}\n", ""},
	{"config.toml", "notes = \"\"\"\n# not a comment: a string\n\"\"\"\n# FARGATE\n", ""},
	// API models and schemas that name resource types (fix31).
	{"models/ecs/2014-11-13/service-2.json", "{\"version\":\"2.0\",\"metadata\":{\"apiVersion\":\"2014-11-13\"},\"operations\":{},\"shapes\":{\"LaunchType\":{\"type\":\"string\",\"enum\":[\"EC2\",\"FARGATE\",\"EXTERNAL\"]}}}", ""},
	{"schema/cloudformation.schema.json", "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"definitions\": {\"AWS::Lambda::Function\": {\"type\": \"object\"}}}", ""},
	{"spec/CloudFormationResourceSpecification.json", "{\"PropertyTypes\": {}, \"ResourceTypes\": {\"AWS::Lambda::Function\": {}, \"AWS::ECS::TaskDefinition\": {\"Properties\": {\"TaskRoleArn\": {\"PrimitiveType\": \"String\"}}}}}", ""},
	{"api/openapi.yaml", "openapi: 3.0.0\ncomponents:\n  schemas:\n    Launch:\n      enum: [EC2, FARGATE]\n", ""},
	{"aws-lambda-function.json", "{\"typeName\": \"AWS::Lambda::Function\", \"properties\": {}, \"primaryIdentifier\": []}", ""},
	{"smithy/ecs.json", "{\"smithy\": \"2.0\", \"shapes\": {\"com.amazonaws.ecs#LaunchType\": {\"type\": \"enum\", \"members\": {\"FARGATE\": {}}}}}", ""},
	{"lambda.tf", "# once ran as resource \"aws_lambda_function\" \"app\"\n// and AWS::Lambda::Function\n/* FARGATE\n task_role_arn = x */\nresource \"aws_instance\" \"app\" {}\n", ""},
	{"notes.yaml", "# moved off AWS::Serverless::Function and FARGATE (taskRoleArn: gone)\nhost: ec2 # eks.amazonaws.com/role-arn: no\n", ""},
	{"ecs/taskdef.json", "{\"family\":\"app\",\"requiresCompatibilities\":[\"EC2\"],\"networkMode\":\"bridge\",\"containerDefinitions\":[{\"name\":\"app\"}]}", ""},
	{"ecs/taskdef.json", "{\"family\":\"app\",\"taskRoleArn\":\"\",\"requiresCompatibilities\":[\"EC2\"]}", ""},
	{"ecs.tf", "resource \"aws_ecs_task_definition\" \"app\" {\n  execution_role_arn = aws_iam_role.exec.arn\n}\n", ""},
	{"template.yaml", "Resources:\n  Host: {Type: AWS::EC2::Instance, Properties: {IamInstanceProfile: app}}\n", ""},
	{".elasticbeanstalk/config.yml", "branch-defaults:\n  main:\n    environment: app-prod\nglobal:\n  application_name: app\n  default_platform: Go 1 running on 64bit Amazon Linux 2023\n", ""},
	{"Dockerrun.aws.json", "{\"AWSEBDockerrunVersion\": \"1\", \"Image\": {\"Name\": \"app\"}}", ""},
	{"manifest.yml", "name: app\ntype: Backend Service\n", ""},         // not Copilot's folder
	{"copilot/app/manifest.yml", "name: app\ntype: Static Site\n", ""}, // no program
	{"app.yaml", "runtime: go1\n", ""},                                 // not apprunner.yaml
	{"Dockerfile", "FROM golang:1.26\n# FROM public.ecr.aws/lambda/provided:al2023\n", ""},
	{"Makefile", "deploy:\n\t# aws lambda update-function-code is gone\n\tscp app host:\n", ""},
	{"main.ts", "new lambda.Function(this, 'Fn', {})\n", ""}, // source counts only in an infrastructure program
	{"README.yaml", "url: \"http://example.com/#resource\"\n", ""},
	{"serverless.ts", "const c = {\n  service: \"app\",\n  provider: { name: \"google\", runtime: \"go121\" },\n};\n// provider: { name: \"aws\" }\n", ""},
	{".github/workflows/ci.yml", "jobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n      # - uses: aws-actions/aws-lambda-deploy@v1\n", ""},
	{"infra/s3.tf", "module \"b\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\nmodule \"r\" {\n  source = \"./modules/lambda_role\"\n}\n", ""},
	{"deploy.sh", "#!/bin/sh\n# sam deploy is gone\nscp app host:\n", ""},
}

func TestNoMetadataFile(t *testing.T) {
	for _, c := range deployCases {
		got := noMetadataFile([]byte(c.src), c.rel, path.Base(c.rel))
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noMetadataMark) || !strings.Contains(got, c.want)) {
			t.Errorf("noMetadataFile(%s %q)\n = %q\nwant %q", c.rel, c.src, got, c.want)
		}
	}
}

// TestDeploymentInCode: CDK and Pulumi programs in TypeScript, Python, Go,
// Java and C#, as iacPlace reads them.
func TestDeploymentInCode(t *testing.T) {
	for _, c := range []struct{ rel, src, want string }{
		{"infra/lib/stack.ts", "import * as lambda from 'aws-cdk-lib/aws-lambda';\n\nnew lambda.Function(this, 'Fn', { runtime: lambda.Runtime.PROVIDED_AL2023 });\n", "lambda.Function, constructed in infra/lib/stack.ts:3: it runs on AWS Lambda"},
		{"infra/lib/stack.ts", "import { Function } from 'aws-cdk-lib/aws-lambda';\nconst fn = new Function(this, 'Fn', {});\n", "new Function, constructed in infra/lib/stack.ts:2"},
		{"infra/lib/stack.ts", "import { GoFunction } from '@aws-cdk/aws-lambda-go-alpha';\nnew GoFunction(this, 'Fn', { entry: '../cmd/app' });\n", "GoFunction, constructed in infra/lib/stack.ts:2"},
		{"infra/app.py", "from aws_cdk import aws_lambda as _lambda\n_lambda.DockerImageFunction(self, 'Fn', code=code)\n", "_lambda.DockerImageFunction, constructed"},
		{"infra/main.go", "package main\n\nimport \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n\nfunc stack() { awslambda.NewFunction(stack, jsii.String(\"Fn\"), props) }\n", "awslambda.NewFunction, constructed in infra/main.go:5"},
		{"infra/index.ts", "import * as aws from '@pulumi/aws';\nconst fn = new aws.lambda.Function('app', { role: role.arn });\n", "lambda.Function, constructed in infra/index.ts:2"},
		{"infra/__main__.py", "import pulumi_aws as aws\nfn = aws.lambda_.Function('app', role=role.arn)\n", "lambda_.Function, constructed"},
		{"infra/main.go", "package main\n\nfunc run(ctx *pulumi.Context) error {\n\t_, err := lambda.NewFunction(ctx, \"app\", args)\n\treturn err\n}\n", "lambda.NewFunction, constructed in infra/main.go:4"},
		{"infra/Stack.java", "Function fn = Function.Builder.create(this, \"Fn\").build();\nnew Function(this, \"Other\", props);\n", "new Function, constructed in infra/Stack.java:2"},
		{"infra/lib/ecs.ts", "const td = new ecs.Ec2TaskDefinition(this, 'Td', { taskRole: role });\n", "taskRole, set in infra/lib/ecs.ts:1: it runs as an ECS task with its own role"},
		{"infra/lib/ecs.ts", "new ecs_patterns.ApplicationLoadBalancedFargateService(this, 'Svc', {});\n", "ApplicationLoadBalancedFargateService, constructed in infra/lib/ecs.ts:1: it runs as an ECS task on Fargate"},
		{"infra/ecs.py", "ecs.TaskDefinition(self, 'Td', compatibility=ecs.Compatibility.EC2, task_role=role)\n", "task_role, set in infra/ecs.py:1"},
		{"infra/index.ts", "new aws.ecs.TaskDefinition('td', { family: 'app', taskRoleArn: role.arn });\n", "taskRoleArn, set in infra/index.ts:1"},
		{"infra/lib/run.ts", "new apprunner.Service(this, 'Svc', { source });\n", "apprunner.Service, constructed in infra/lib/run.ts:1: it runs on AWS App Runner"},
		{"infra/main.go", "package main\n\nfunc s() { awseks.NewCfnPodIdentityAssociation(stack, id, props) }\n", "NewCfnPodIdentityAssociation, constructed in infra/main.go:3: it runs in a pod with its own role (EKS Pod Identity)"},

		// Fargate as a string (fix31).
		{"infra/index.ts", "new aws.ecs.Service('svc', { cluster: c.arn, launchType: \"FARGATE\" });\n", "FARGATE, named in infra/index.ts:1: it runs as an ECS task on Fargate"},
		{"infra/main.go", "package main\n\nfunc s() { ecs.NewService(ctx, \"svc\", &ecs.ServiceArgs{LaunchType: pulumi.String(\"FARGATE\")}) }\n", "FARGATE, named in infra/main.go:3"},
		{"infra/__main__.py", "aws.ecs.TaskDefinition('td', requires_compatibilities=['FARGATE'])\n", "FARGATE, named in infra/__main__.py:1"},
		// CDK for Terraform (fix31).
		{"infra/main.ts", "import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';\nnew LambdaFunction(this, 'fn', { functionName: 'app', role: role.arn });\n", "LambdaFunction, constructed in infra/main.ts:2: it runs on AWS Lambda"},
		{"infra/main.py", "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\nLambdaFunction(self, 'fn', function_name='app')\n", "LambdaFunction, constructed in infra/main.py:2"},
		{"infra/main.go", "package main\n\nfunc s() { lambdafunction.NewLambdaFunction(stack, jsii.String(\"fn\"), props) }\n", "NewLambdaFunction, constructed in infra/main.go:3"},
		{"infra/Main.java", "LambdaFunction.Builder.create(this, \"fn\").functionName(\"app\").build();\n", "LambdaFunction, constructed in infra/Main.java:1"},
		{"infra/main.ts", "new ApprunnerService(this, 'svc', { serviceName: 'app' });\n", "ApprunnerService, constructed in infra/main.ts:1: it runs on AWS App Runner"},
		// SST v3 and v2 (fix31).
		{"sst.config.ts", "export default $config({\n  app() { return { name: 'app', home: 'aws' }; },\n  async run() {\n    new sst.aws.Function('Api', { handler: 'cmd/api', runtime: 'go' });\n  },\n});\n", "sst.aws.Function, constructed in sst.config.ts:4: it runs on AWS Lambda"},
		{"infra/web.ts", "export const svc = new sst.aws.Service('Web', { cluster, image: { context: '.' } });\n", "sst.aws.Service, constructed in infra/web.ts:1: it runs as an ECS task on Fargate"},
		{"stacks/Api.ts", "import { Api, StackContext } from 'sst/constructs';\nexport function API({ stack }: StackContext) {\n  const api = new Api(stack, 'api', { routes: { 'GET /': 'functions/lambda.handler' } });\n}\n", "Api, constructed in stacks/Api.ts:3: it runs on AWS Lambda"},
		{"sst.config.ts", "export default $config({\n  async run() {\n    /* new sst.aws.Function('Old', {})\n       new sst.aws.Cron('Job', {}) */\n    new sst.aws.Bucket('Files');\n  },\n});\n", ""},
		// Docstrings and multi-line strings (fix31).
		{"infra/app.py", "\"\"\"The stack.\n\n_lambda.Function(self, 'Fn') ran the API until 2025.\n\"\"\"\nec2.Instance(self, 'Host', role=role)\n", ""},
		{"infra/lib/stack.ts", "const doc = `\nnew lambda.Function(this, 'Fn')\n`;\nnew ec2.Instance(this, 'Host', { role });\n", ""},
		{"infra/main.go", "package main\n\nconst doc = `\nawslambda.NewFunction(stack, nil, nil)\n`\n", ""},
		{"infra/lib/stack.ts", "// new lambda.Function(this, 'Fn') is gone\n/* taskRole: role */\nnew ec2.Instance(this, 'Host', { role });\n", ""},
		{"infra/app.py", "# _lambda.Function(self, 'Fn') is gone\nec2.Instance(self, 'Host', role=role)\n", ""},
		{"infra/lib/stack.ts", "const f = new Function('a', 'return a');\nconst s = 'lambda.Function(';\n", ""},
		{"infra/main.go", "package main\n\nfunc main() { ec2.NewInstance(ctx, \"host\", args) }\n", ""},
	} {
		got := deploymentIn([]byte(c.src), c.rel, path.Base(c.rel), kindCode)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("deploymentIn(%s %q)\n = %q\nwant %q", c.rel, c.src, got, c.want)
		}
	}
}

// TestBlankComments: comments become blanks, lines and offsets stay, and
// a comment marker inside a string is no comment (in source, whose
// strings are blanked too).
func TestBlankComments(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"a.yaml", "a: 1 # x\n# y\nb: \"#z\" # w\nc: d#e\n", "a: 1    \n   \nb: \"#z\"    \nc: d#e\n"},
		{"a.tf", "a = \"//x\" // y\n/* z\nw */ b = 1 # c\n", "a = \"//x\"     \n    \n     b = 1    \n"},
		{"a.ts", "x('#', \"a\\\"b\") // y\n", "x(' ', \"    \")     \n"},
		{"a.py", "x('//') # y\n", "x('  ')    \n"},
		{"a.json", "{\"a\": \"# //\"}", "{\"a\": \"# //\"}"},
		// Comments and strings that span lines (fix31).
		{"a.tf", "/* a\nb */c\n", "    \n    c\n"},
		{"a.py", "x = \"\"\"a\n# b\n\"\"\" # c\n", "x = \"\"\" \n   \n\"\"\"    \n"},
		{"a.ts", "`a\n// b` // c\n", "` \n    `     \n"},
		{"a.xml", "<a>#1</a><!-- b\nc -->\n", "<a>#1</a>      \n     \n"},
		{"a.sh", ": <<'X'\na\nX\nb # c\n", "       \n \n \nb    \n"},
		{"Vagrantfile", "=begin\na\n=end\nb\n", "      \n \n    \nb\n"},
		{"a.yaml", "a: don't # b\nc: 'd # e'\n", "a: don't    \nc: 'd # e'\n"},
		{"a.cs", "var s = @\"a\n\"\"b\"; // c\n", "var s = @\" \n   \";     \n"},
		// An HCL heredoc is a string: its '/*' opens no comment (qa28 M3).
		{"a.tf", "c = <<-EOT\n  zip ./*\n  EOT\n/* d */ e\n", "c = <<-EOT\n  zip ./*\n  EOT\n        e\n"},
		{"a.tf", "c = <<EOT\n/*\nEOT\n# x\n", "c = <<EOT\n/*\nEOT\n   \n"},
		{"a.tf", "a = 1 << 2 /* b */\n", "a = 1 << 2        \n"},
		// A regular expression literal is no comment's start, told from a
		// division by the token before it (qa28 L1).
		{"stack.ts", "p = d.replace(/\\/*$/, \"\");\nnew lambda.Function(this, 'Fn', {});\n", "p = d.replace(/    /, \"\");\nnew lambda.Function(this, '  ', {});\n"},
		{"a.js", "if (x) return /a*/.test(s) /* y */\n", "if (x) return /  /.test(s)        \n"},
		{"a.js", "const re =\n  /[/*]/g; // z\nq\n", "const re =\n  /    /g;     \nq\n"},
		{"a.ts", "a = b / c; // d\nx = (y) / 2 /* e */ + 1\n", "a = b / c;     \nx = (y) / 2         + 1\n"},
		{"Jenkinsfile", "def r = /\\/*$/\n/* a */ b\n", "def r = /\\/*$/\n        b\n"},
		// A template literal's ${…} is code: its own templates and strings
		// neither end it nor open a comment.
		{"a.ts", "s = `a ${b ? `x` : `/*`} c` /* d */ e\n", "s = `                     `         e\n"},
		{"a.ts", "s = `a ${ {k: '`'}.k } /*` + 1 // f\n", "s = `                    ` + 1     \n"},
		// A Go raw string has no escapes.
		{"a.go", "x := `C:\\` /* c */ + y\n", "x := `   `         + y\n"},
		// An HCL string's ${…} holds strings of its own; $${ is text.
		{"a.tf", "a = \"${replace(var.x, \"/*\", \"\")}\" /* c */ b\n", "a = \"${replace(var.x, \"/*\", \"\")}\"         b\n"},
		{"a.tf", "a = \"$${x} /*\" // c\n", "a = \"$${x} /*\"     \n"},
		// XML's CDATA and PowerShell's here-strings are text.
		{"a.xml", "<![CDATA[ <!-- ]]><a/><!-- c -->\n", "<![CDATA[ <!-- ]]><a/>          \n"},
		{"a.ps1", "$s = @\"\n<# x\n\"@\n<# c #>y\n", "$s = @\"\n<# x\n\"@\n       y\n"},
	} {
		got := string(blankComments([]byte(c.src), deployFileKind(c.name), c.name, true))
		if got != c.want {
			t.Errorf("blankComments(%s %q) = %q, want %q", c.name, c.src, got, c.want)
		}
	}
}

// FuzzDeploymentIn: any file of any kind reads without a panic; blanking
// comments keeps the length and the line breaks, and a deployment found
// names the file.
func FuzzDeploymentIn(f *testing.F) {
	for _, c := range deployCases {
		f.Add(path.Base(c.rel), []byte(c.src))
	}
	f.Add("stack.ts", []byte("/* new lambda.Function(this"))
	f.Add("a.tf", []byte("\"\\"))
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		k := deployFileKind(name)
		blank := blankComments(b, k, name, true)
		if len(blank) != len(b) || bytes.Count(blank, []byte("\n")) != bytes.Count(b, []byte("\n")) {
			t.Fatalf("blankComments(%s %q) = %q: length or lines changed", name, b, blank)
		}
		for _, kind := range []deployKind{k, kindCode} {
			if got := deploymentIn(b, "dir/f", name, kind); got != "" && !strings.Contains(got, " dir/f:") {
				t.Errorf("%s %q: %q does not name the file", name, b, got)
			}
		}
	})
}

// BenchmarkNoMetadataFile reads every file of this repository that the
// module scan reads for settings, as noMetadataFile sees them when no
// deployment is found early (a module without one reads them all).
func BenchmarkNoMetadataFile(b *testing.B) {
	type file struct {
		name string
		src  []byte
	}
	var files []file
	var size int64
	moduleWalk("..", moduleFile, func(p string) bool {
		if !strings.HasSuffix(p, ".go") {
			if src, err := os.ReadFile(p); err == nil {
				files = append(files, file{p, src})
				size += int64(len(src))
			}
		}
		return true
	})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			noMetadataFile(f.src, f.name, filepath.Base(f.name))
		}
	}
}

// TestIaCImport: the source of a CDK or Pulumi program is known by its
// import of the AWS library, in each language; other source is not read
// for constructs.
func TestIaCImport(t *testing.T) {
	for src, want := range map[string]bool{
		"import * as lambda from 'aws-cdk-lib/aws-lambda';":                         true,
		"from aws_cdk import aws_lambda as _lambda":                                 true,
		"import \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"":                  true,
		"import software.amazon.awscdk.services.lambda.Function;":                   true,
		"using Amazon.CDK.AWS.Lambda;":                                              true,
		"import * as aws from '@pulumi/aws';":                                       true,
		"import pulumi_aws as aws":                                                  true,
		"import \"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda\"":              true,
		"import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';": true,
		"from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction":       true,
		"import { Api, StackContext } from 'sst/constructs';":                       true,
		"import { S3Client } from '@aws-sdk/client-s3';":                            false,
		"import boto3\nclient = boto3.client('lambda')":                             false,
		"import \"github.com/aws/aws-sdk-go-v2/service/lambda\"":                    false,
	} {
		if got := iacImport([]byte(src)); got != want {
			t.Errorf("iacImport(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestOthersFolders: moduleWalk leaves out other projects' installed
// files (a virtual environment's botocore, whose models name FARGATE),
// and vendoredPath names folders of copies (fix31).
func TestOthersFolders(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"go.mod", "deploy/app.yaml", ".venv/pyvenv.cfg", ".venv/lib/python3.12/site-packages/botocore/data/ecs/service-2.json",
		"env/pyvenv.cfg", "env/x.json", "py/site-packages/x.json", ".terraform/modules/m/main.tf", "web/.yarn/x.json"} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	moduleWalk(root, func(string) bool { return true }, func(p string) bool {
		r, _ := filepath.Rel(root, p)
		got = append(got, filepath.ToSlash(r))
		return true
	})
	if want := []string{"deploy/app.yaml", "go.mod"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("moduleWalk read %v, want %v", got, want)
	}
	for rel, want := range map[string]bool{"third_party/x/template.yaml": true, "a/Godeps/b.json": true, "deploy/third.yaml": false, "party/x.tf": false} {
		if vendoredPath(rel) != want {
			t.Errorf("vendoredPath(%s) = %v, want %v", rel, !want, want)
		}
	}
}

// FuzzJSONTopKeys: any input reads without a panic, and an object's own
// keys are found whatever its values hold.
func FuzzJSONTopKeys(f *testing.F) {
	for _, s := range []string{"{\"a\": {\"b\": [1, \"}\"]}, \"c\": 2}", "{\"a\\\"\": 1}", "[", "{\"a\"", "\ufeff{\"x\":1}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		jsonTopKeys(b)
		yamlTopKeys(b)
		apiModel(b, kindJSON)
		v := append(append([]byte(`{"first": `), b...), []byte(`}`)...)
		if json.Valid(v) && !jsonTopKeys(v)["first"] {
			t.Errorf("jsonTopKeys(%q) misses first", v)
		}
	})
}
