package scanner_test

// Generic names (SECRET=, KEY=, PASSWORD=, SECRET_KEY=, ACCESS_KEY=,
// api_secret = ...) judged by their block (scanner/generic.go), per format:
// reported when the block plainly speaks of AWS, not when it speaks of
// nothing or of another system. Same helpers and want syntax as
// formats_test.go; [[...]] negatives as in formats2_test.go.

import "testing"

func TestGenericNamesPositive(t *testing.T) { runCases2(t, genericPositiveCases()) }
func TestGenericNamesNegative(t *testing.T) { runCases2(t, genericNegativeCases()) }

func genericPositiveCases() []formatCase {
	return []formatCase{
		// ---- .env ----
		{name: "env/secret-beside-aws-key-id-variable", file: ".env", want: "SECRET", text: `AWS_REGION=eu-west-1
AWS_ACCESS_KEY_ID=${UPLOADS_KEY_ID}
SECRET={{SECRET}}
`},
		{name: "env/key-beside-session-token", file: ".env.production", want: "SECRET", text: `AWS_DEFAULT_REGION=us-east-1
AWS_SESSION_TOKEN=${TOKEN}
KEY={{SECRET}}
`},
		{name: "env/password-beside-aws-credential-sibling", file: ".env", want: "SECRET", text: `# uploads
AWS_S3_BUCKET=uploads
PASSWORD="{{SECRET}}"
AWS_CREDENTIALS_PROFILE=uploads
`},
		{name: "env/secret-key-beside-region-and-key-id", file: ".env", want: "ID SECRET:p", text: `AWS_REGION=us-east-1
ACCESS_KEY={{ID}}
SECRET_KEY={{SECRET}}
`},
		{name: "env/api-secret-next-to-key-id", file: ".env", want: "ID SECRET:p", text: `API_KEY_ID={{ID}}
API_SECRET={{SECRET}}
AWS_REGION=eu-central-1
`},
		{name: "env/name-without-extension", file: "deploy/env.staging", want: "ID SECRET:p", text: `AWS_REGION=us-west-2
KEY_ID={{ID}}
SECRET_KEY={{SECRET}}
`},
		// qa17 H7: a real key ID on the line before is AWS's, and so is
		// the secret_key beside it, whatever AWS name assigns the key ID.
		{name: "yaml/secret-key-under-aws-key-id", file: "app.yaml", want: "ID SECRET:p", text: `aws_access_key_id: {{ID}}
secret_key: {{SECRET}}
`},
		{name: "properties/secret-key-under-aws-key-id", file: "app.properties", want: "ID SECRET:p", text: `aws.access_key_id={{ID}}
secret_key={{SECRET}}
`},
		// ---- shell ----
		{name: "shell/export-secret-beside-aws-key-id", file: "deploy.sh", want: "SECRET", text: `#!/bin/sh
export AWS_DEFAULT_REGION=eu-central-1
export AWS_ACCESS_KEY_ID="$DEPLOY_KEY_ID"
export SECRET={{SECRET}}
aws s3 sync ./dist "s3://$BUCKET"
`},
		{name: "shell/env-file-by-content", file: "ci/vars", want: "ID SECRET:p", text: `export AWS_REGION=us-east-1
export ID={{ID}}
export KEY="{{SECRET}}"
`},
		// ---- Python ----
		{name: "python/key-passed-to-boto3", file: "jobs/upload.py", want: "SECRET", text: `import os

import boto3

KEY = "{{SECRET}}"


def upload(path):
    s3 = boto3.client("s3", aws_access_key_id=os.environ["KEY_ID"], aws_secret_access_key=KEY)
    s3.upload_file(path, os.environ["BUCKET"], path)
`},
		{name: "python/api-secret-beside-boto3-client", file: "client.py", want: "SECRET", text: `def client():
    api_secret = "{{SECRET}}"
    return boto3.client("s3", aws_secret_access_key=api_secret)
`},
		{name: "python/secret-key-with-key-id", file: "sync.py", want: "ID SECRET:p", text: `import boto3

ACCESS_KEY = "{{ID}}"
SECRET_KEY = "{{SECRET}}"
s3 = boto3.client("s3", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
`},
		{name: "python/dict-named-aws", file: "conf.py", want: "SECRET", text: `AWS = {
    "bucket": "media",
    "key": "{{SECRET}}",
}
`},
		// ---- YAML ----
		{name: "yaml/key-under-aws", file: "config/app.yaml", want: "SECRET", text: `aws:
  bucket: media
  key: {{SECRET}}
`},
		{name: "yaml/compose-environment", file: "docker-compose.yml", want: "SECRET", text: `services:
  worker:
    image: acme/worker:2
    environment:
      AWS_DEFAULT_REGION: eu-west-1
      AWS_ACCESS_KEY_ID: ${WORKER_KEY_ID}
      SECRET: {{SECRET}}
`},
		// ---- INI, TOML, properties ----
		{name: "ini/aws-section", file: "app.ini", want: "SECRET", text: `[aws]
bucket = media
secret = {{SECRET}}
`},
		{name: "ini/key-beside-key-id", file: "settings.cfg", want: "ID SECRET:p", text: `[storage]
region = us-west-2
id = {{ID}}
key = {{SECRET}}
`},
		{name: "toml/s3-table", file: "config.toml", want: "SECRET", text: `[s3]
region = "us-east-1"
password = "{{SECRET}}"
`},
		{name: "properties/secret-beside-aws-credential", file: "src/main/resources/application.properties", want: "SECRET", text: `aws.region=us-east-1
aws.access-key-id=${KEY_ID}
secret={{SECRET}}
`},
	}
}

func genericNegativeCases() []formatCase {
	return []formatCase{
		// ---- no AWS neighbours ----
		{name: "neg/env-generic-names-alone", file: ".env", text: `APP_ENV=production
SECRET={{SECRET}}
KEY={{SECRET2}}
`},
		{name: "neg/env-aws-in-another-paragraph", file: ".env", text: `AWS_REGION=us-east-1
S3_BUCKET=uploads

# signing
CALLBACK_URL=https://hooks.example.com/in
KEY={{SECRET}}
`},
		{name: "neg/python-no-boto3", file: "tool.py", text: `import requests

SECRET = "{{SECRET}}"
`},
		{name: "neg/yaml-key-alone", file: "config.yml", text: `cache:
  ttl: 300
  key: {{SECRET}}
`},
		// ---- another system's settings beside AWS ----
		{name: "neg/env-django-secret-key-aws-storage", file: ".env", text: `DJANGO_SETTINGS_MODULE=shop.settings
SECRET_KEY={{SECRET}}
AWS_STORAGE_BUCKET_NAME=media
AWS_S3_REGION_NAME=eu-west-1
`},
		{name: "neg/env-secret-key-beside-debug", file: ".env", text: `DEBUG=False
SECRET_KEY={{SECRET}}
AWS_REGION=us-east-1
`},
		{name: "neg/python-django-settings-importing-boto3", file: "shop/settings.py", text: `import boto3

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = "{{SECRET}}"

INSTALLED_APPS = ["django.contrib.admin", "storages"]
AWS_STORAGE_BUCKET_NAME = "media"
`},
		{name: "neg/airflow-cfg-webserver-secret-key", file: "airflow.cfg", text: `[core]
executor = LocalExecutor

[webserver]
secret_key = {{SECRET}}

[logging]
remote_logging = True
remote_base_log_folder = s3://airflow-logs/
remote_log_conn_id = aws_default
`},
		{name: "neg/env-database-password", file: ".env", text: `AWS_REGION=us-east-1
DB_HOST=db.internal
DB_USER=app
PASSWORD={{SECRET}}
`},
		{name: "neg/env-login-password", file: "ftp.env", text: `AWS_DEFAULT_REGION=us-east-1
HOST=ftp.example.com
USER=deploy
PASSWORD={{SECRET}}
`},
		{name: "neg/python-goog-hmac", file: "gcs.py", text: `import boto3

KEY = "[[GOOG]]"
SECRET = "{{SECRET}}"
client = boto3.client("s3", endpoint_url="https://storage.googleapis.com", aws_access_key_id=KEY, aws_secret_access_key=SECRET)
`},
		{name: "neg/env-minio-endpoint", file: ".env", text: `AWS_REGION=us-east-1
S3_ENDPOINT=http://minio:9000
ACCESS_KEY=minioadmin
SECRET_KEY={{SECRET}}
`},
		{name: "neg/yaml-under-minio", file: "values.yaml", text: `minio:
  endpoint: minio.internal:9000
  region: us-east-1
  secret: {{SECRET}}
`},
		{name: "neg/ini-wasabi-provider", file: "storage.ini", text: `[remote]
type = s3
provider = Wasabi
region = us-east-1
secret = {{SECRET}}
`},
		{name: "neg/shell-backup-passphrase", file: "backup.sh", text: `export AWS_DEFAULT_REGION=eu-west-1
export RESTIC_REPOSITORY=s3:s3.amazonaws.com/backups
export PASSWORD={{SECRET}}
`},
		{name: "neg/env-secret-for-jwt-by-its-comment", file: ".env", text: `AWS_REGION=us-east-1
SECRET={{SECRET}} # JWT signing
`},
		// ---- not a generic-name line ----
		{name: "neg/python-s3-object-key-argument", file: "put.py", text: `import boto3

s3 = boto3.client("s3")
s3.put_object(Bucket="media", Key="{{SECRET}}", Body=b"")
`},
		// ---- the block has its AWS secret already ----
		{name: "neg/env-generic-beside-named-aws-secret", file: ".env", want: "SECRET", text: `AWS_REGION=us-east-1
AWS_SECRET_ACCESS_KEY={{SECRET}}
SECRET={{SECRET2}}
`},
		// ---- names that are not generic, values that fail the tests ----
		{name: "neg/python-api-key-beside-boto3", file: "lambda_function.py", text: `import boto3

API_KEY = "[[R40]]"
`},
		{name: "neg/env-documented-example", file: ".env", text: `AWS_REGION=us-east-1
SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`},
		// ---- qa3 MEDIUM-7, LOW-4: AWS settings without AWS credentials ----
		{name: "neg/python-flask-config-class", file: "config.py", text: `class Config:
    SECRET_KEY = "{{SECRET}}"
    AWS_REGION = "us-east-1"
    S3_BUCKET = "uploads"
`},
		{name: "neg/python-short-django-settings", file: "shop/settings.py", text: `SECRET_KEY = "{{SECRET}}"
AWS_STORAGE_BUCKET_NAME = "media"
AWS_S3_REGION_NAME = "us-east-1"
`},
		{name: "neg/env-secret-key-beside-s3-settings", file: ".env", text: `SECRET_KEY={{SECRET}}
AWS_REGION=us-east-1
S3_BUCKET=uploads
`},
		{name: "neg/python-flask-app-config", file: "app.py", text: `import boto3
s3 = boto3.client("s3")
SECRET_KEY = "{{SECRET}}"
app.config["SECRET_KEY"] = SECRET_KEY
`},
		{name: "neg/env-access-key-beside-region", file: ".env", text: `AWS_DEFAULT_REGION=eu-west-1
ACCESS_KEY={{SECRET}}
`},
		{name: "neg/env-secret-beside-region", file: ".env", text: `AWS_REGION=eu-west-1
SECRET={{SECRET}}
`},
		{name: "neg/env-password-beside-bucket-settings", file: ".env", text: `AWS_S3_BUCKET=uploads
PASSWORD="{{SECRET}}"
AWS_S3_PREFIX=media/
`},
		{name: "neg/python-boto3-import-without-keys", file: "jobs/upload.py", text: `import boto3

KEY = "{{SECRET}}"
s3 = boto3.client("s3")
`},
		{name: "neg/yaml-kms-key-under-aws", file: "config.yaml", text: `aws:
  region: us-east-1
  kms:
    key: {{SECRET}}
`},
		{name: "neg/env-key-copy-of-another-secret", file: ".env", text: `AWS_REGION=us-east-1
AWS_SESSION_TOKEN=${TOKEN}
COGNITO_CLIENT_SECRET={{SECRET}}
KEY={{SECRET}}
`},
		{name: "neg/json-is-not-judged-by-block", file: "config.json", text: `{"aws_region": "us-east-1",
 "key": "{{SECRET}}"}
`},
	}
}
