package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner"
)

// TestOtherSystemsSecrets checks qa8 MEDIUM-3 and MEDIUM-4: 40-character
// secrets of other systems beside AWS words are not AWS secret access keys.
// A password is its login's (a name that qualifies PASSWORD by anything but
// AWS's names, a user name or host beside a bare password, a Secrets
// Manager RDS secret), and another cloud's keys are that cloud's (a
// Terraform provider block of another cloud, an endpoints map of the aws
// provider or the S3 backend pointed elsewhere, Huawei OBS and Yandex
// hosts, Yandex's YCAJ key IDs). A real AWS pair in the same shapes is
// still reported. The values are those of TestForeignSecrets; {{PW}} is a
// password as `openssl rand -base64 30` makes one (40 characters of
// base64, an AWS secret's shape), {{YCAJ}} and {{YCP}} a Yandex Cloud
// static key's ID and secret.
func TestOtherSystemsSecrets(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, tc := range []struct {
		name, file, text string
		want             []string // placeholders of the values reported
	}{
		// ---- MEDIUM-3: passwords of other systems ----
		{"env: DB_PASSWORD beside DB_HOST, DB_USER and AWS_REGION", ".env", `AWS_REGION=us-east-1
DB_HOST=db.internal
DB_USER=admin
DB_PASSWORD={{PW}}
`, nil},
		{"env: DB_PASSWORD beside an RDS host", "rds.env", `AWS_REGION=us-east-1
DB_HOST=mydb.abc123.us-east-1.rds.amazonaws.com
DB_PASSWORD={{PW}}
`, nil},
		{"env: ELASTIC_PASSWORD beside AWS_REGION", ".env", `AWS_REGION=us-east-1
ELASTIC_PASSWORD={{PW}}
`, nil},
		{"env: ELASTICSEARCH_PASSWORD beside its host and AWS_REGION", "es.env", `ELASTICSEARCH_HOST=es.internal
ELASTICSEARCH_PASSWORD={{PW}}
AWS_REGION=us-east-1
`, nil},
		{"env: PASSWD, PWD and PASS spellings beside S3 settings", ".env", `AWS_REGION=us-east-1
S3_BUCKET=uploads
MYSQL_PWD={{PW}}
`, nil},
		{"yaml: an RDS password under aws words", "config.yaml", `aws:
  region: us-east-1
rds:
  host: mydb.abc123.us-east-1.rds.amazonaws.com
  rds_password: {{PW}}
`, nil},
		{"json: Secrets Manager RDS secret on one line", "sm-rds.json", `{"username":"admin","password":"{{PW}}","engine":"postgres","host":"mydb.abc123.us-east-1.rds.amazonaws.com","port":5432,"dbInstanceIdentifier":"mydb"}
`, nil},
		{"json: Secrets Manager RDS secret pretty-printed", "secret.json", `{
  "username": "admin",
  "password": "{{PW}}",
  "engine": "mysql",
  "host": "mydb.abc123.eu-west-1.rds.amazonaws.com",
  "port": 3306
}
`, nil},
		{"json: get-secret-value output, the record escaped in SecretString", "secret.json", `{
  "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
  "Name": "prod/db",
  "SecretString": "{\"username\":\"admin\",\"password\":\"{{PW}}\"}",
  "VersionStages": ["AWSCURRENT"]
}
`, nil},
		{"python: a database login in a boto3 module", "jobs/export.py", `import boto3
import psycopg2

s3 = boto3.client("s3", region_name="us-east-1")
conn = psycopg2.connect(host="db.internal", user="etl", password="{{PW}}", dbname="warehouse")
`, nil},
		// A real AWS pair beside those passwords is reported, and only it.
		{"env: AWS pair and DB_PASSWORD", ".env", `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
DB_PASSWORD={{PW}}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"env: key ID and DB_PASS", ".env", `AWS_ACCESS_KEY_ID={{ID}}
DB_PASS={{PW}}
`, []string{"{{ID}}"}},
		{"json: AWS keys and a database record", "config.json", `{
  "aws": {"accessKeyId": "{{ID}}", "secretAccessKey": "{{SECRET}}", "region": "us-east-1"},
  "db": {"username": "app", "password": "{{PW}}", "host": "db.internal"}
}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"Kubernetes env: DB_PASSWORD's value beside the AWS key ID", "deploy.yaml", `spec:
  containers:
    - name: app
      env:
        - name: AWS_ACCESS_KEY_ID
          value: {{ID}}
        - name: DB_PASSWORD
          value: {{PW}}
        - name: UPLOAD_SECRET
          value: {{SECRET}}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"ECS task definition: DB_PASSWORD's value beside the AWS key ID", "task.json", `{
  "environment": [
    {
      "name": "AWS_ACCESS_KEY_ID",
      "value": "{{ID}}"
    },
    {
      "name": "DB_PASSWORD",
      "value": "{{PW}}"
    }
  ]
}
`, []string{"{{ID}}"}},
		{"CloudFormation: DB_PASSWORD's Value beside the AWS key ID", "stack.yaml", `Resources:
  Task:
    Properties:
      Environment:
        - Name: AWS_ACCESS_KEY_ID
          Value: {{ID}}
        - Name: DB_PASSWORD
          Value: {{PW}}
`, []string{"{{ID}}"}},
		{"json: a login whose user name is an AWS key ID", "bookmark.json", `{"protocol": "s3", "host": "s3.amazonaws.com", "username": "{{ID}}", "password": "{{SECRET}}"}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"env: a bare PASSWORD among AWS credential settings", ".env", `AWS_S3_BUCKET=uploads
PASSWORD={{SECRET}}
AWS_CREDENTIALS_PROFILE=uploads
`, []string{"{{SECRET}}"}},
		{"env: AWS_PASSWORD beside a key ID", ".env", `AWS_ACCESS_KEY_ID={{ID}}
S3_PASSWORD={{SECRET}}
`, []string{"{{ID}}", "{{SECRET}}"}},

		// ---- MEDIUM-4: other clouds' keys ----
		{"Terraform huaweicloud provider", "huawei.tf", `provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "{{PLAIN}}"
  secret_key = "{{SECRET}}"
}
`, nil},
		{"Terraform linode provider's object storage keys", "linode.tf", `provider "linode" {
  token          = var.linode_token
  obj_access_key = "{{PLAIN}}"
  obj_secret_key = "{{SECRET}}"
}
`, nil},
		{"Huawei OBS Python SDK", "obs_upload.py", `from obs import ObsClient
obsClient = ObsClient(access_key_id="{{PLAIN}}", secret_access_key="{{SECRET}}", server="https://obs.cn-north-4.myhuaweicloud.com")
`, nil},
		{"Yandex Cloud static key", "yandex.env", `YC_ACCESS_KEY_ID={{YCAJ}}
YC_SECRET_ACCESS_KEY={{YCP}}
AWS_DEFAULT_REGION=ru-central1
`, nil},
		{"Yandex static key under AWS names", ".env", `AWS_ACCESS_KEY_ID={{YCAJ}}
AWS_SECRET_ACCESS_KEY={{YCP}}
AWS_DEFAULT_REGION=ru-central1
`, nil},
		{"Terraform aws provider for LocalStack, endpoints block", "localstack.tf", `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "{{PLAIN}}"
  secret_key                  = "{{SECRET}}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true
  endpoints {
    s3 = "http://minio.internal:9000"
  }
}
`, nil},
		{"Terraform 1.6 S3 backend on MinIO, endpoints map on one line", "backend.tf", `terraform {
  backend "s3" {
    bucket         = "tf-state"
    key            = "prod.tfstate"
    region         = "us-east-1"
    endpoints      = { s3 = "https://minio.example.com" }
    access_key     = "{{PLAIN}}"
    secret_key     = "{{SECRET}}"
    use_path_style = true
  }
}
`, nil},
		{"Terraform 1.6 S3 backend on LocalStack, endpoints map over lines", "backend.tf", `terraform {
  backend "s3" {
    bucket     = "tf-state"
    key        = "prod.tfstate"
    region     = "us-east-1"
    access_key = "{{PLAIN}}"
    secret_key = "{{SECRET}}"
    endpoints = {
      sts = "http://localhost:4566"
      s3  = "http://localhost:4566"
    }
    skip_requesting_account_id = true
  }
}
`, nil},
		{"YAML endpoints map", "storage.yaml", `storage:
  region: us-east-1
  endpoints:
    s3: http://minio.storage.svc:9000
  access_key_id: {{PLAIN}}
  secret_access_key: {{SECRET}}
`, nil},
		{"JSON endpoints map", "storage.json", `{
  "region": "us-east-1",
  "endpoints": {
    "s3": "https://s3.nl-ams.scw.example.net"
  },
  "accessKeyId": "{{PLAIN}}",
  "secretAccessKey": "{{SECRET}}"
}
`, nil},
		{"Yandex Object Storage host beside the keys", "backup.py", `import boto3
BUCKET_URL = "https://backups.storage.yandexcloud.net/"
s3 = boto3.client("s3", region_name="ru-central1", aws_access_key_id="{{PLAIN}}", aws_secret_access_key="{{SECRET}}")
`, nil},
		// Recall: AWS's own providers, AWS endpoints and AWS key IDs.
		{"Terraform aws provider with path style and no endpoint", "main.tf", `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "{{PLAIN}}"
  secret_key                  = "{{SECRET}}"
  skip_credentials_validation = true
  s3_use_path_style           = true
}
`, []string{"{{SECRET}}"}},
		{"Terraform aws provider with AWS keys", "main.tf", `provider "aws" {
  region     = "us-east-1"
  access_key = "{{ID}}"
  secret_key = "{{SECRET}}"
}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"Terraform aws provider with a literal secret only", "main.tf", `provider "aws" {
  region     = "us-east-1"
  access_key = var.access_key
  secret_key = "{{SECRET}}"
}
`, []string{"{{SECRET}}"}},
		{"Terraform awscc provider", "main.tf", `provider "awscc" {
  region     = "us-east-1"
  access_key = "{{PLAIN}}"
  secret_key = "{{SECRET}}"
}
`, []string{"{{SECRET}}"}},
		{"Terraform aws provider beside a huaweicloud one", "main.tf", `provider "huaweicloud" {
  region = "cn-north-4"
}

provider "aws" {
  region     = "us-east-1"
  access_key = "{{PLAIN}}"
  secret_key = "{{SECRET}}"
}
`, []string{"{{SECRET}}"}},
		{"Terraform aws provider with AWS endpoints", "main.tf", `provider "aws" {
  region     = "us-east-1"
  access_key = "{{PLAIN}}"
  secret_key = "{{SECRET}}"
  endpoints {
    s3  = "https://s3.us-east-1.amazonaws.com"
    sts = "https://sts.us-east-1.amazonaws.com"
  }
}
`, []string{"{{SECRET}}"}},
		{"Terraform S3 backend on MinIO with an AWS key ID", "backend.tf", `terraform {
  backend "s3" {
    bucket         = "tf-state"
    key            = "prod.tfstate"
    region         = "us-east-1"
    endpoints      = { s3 = "https://minio.example.com" }
    access_key     = "{{ID}}"
    secret_key     = "{{SECRET}}"
    use_path_style = true
  }
}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"huaweicloud provider holding an AWS key ID", "huawei.tf", `provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "{{ID}}"
  secret_key = "{{SECRET}}"
}
`, []string{"{{ID}}", "{{SECRET}}"}},
	} {
		for seed := uint64(1); seed <= 10; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", tc.name, seed), func(t *testing.T) {
				v := newForeignVals(seed)
				fill := func(s string) string {
					return strings.NewReplacer("{{PW}}", v.Secret2, "{{YCAJ}}", "YCAJ"+v.Plain[:16]+"x"+v.Hex[:4],
						"{{YCP}}", "YCP"+v.Secret3[3:]).Replace(v.fill(s))
				}
				text := fill(tc.text)
				got := secrets(sc.Scan(tc.file, []byte(text)))
				var want []string
				for _, p := range tc.want {
					want = append(want, fill(p))
				}
				if !sameSet(got, want) {
					t.Errorf("reported %q, want %q\n%s", got, want, text)
				}
			})
		}
	}
}
