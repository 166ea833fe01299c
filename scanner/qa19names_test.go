package scanner_test

import "testing"

// Values named after them by an attribute of their own call, block or
// object (qa19 H1), by the file that holds them (qa19 H5), by Terraform's
// write-only arguments (qa19 M1), as the word of a parameter expansion
// (qa19 M7), by Terraform's command line (qa19 L8) and by a name with JSON
// escapes in it (qa19 L9), by SQL around a dollar-quoted value and by a
// MongoDB update's filter (qa19 M3), in the shape of formats2_test.go.
func TestQA19NamesPositive(t *testing.T) { runCases2(t, qa19NamesPositive()) }
func TestQA19NamesNegative(t *testing.T) { runCases2(t, qa19NamesNegative()) }

func qa19NamesPositive() []formatCase {
	return []formatCase{
		// ---- the value first, its parameter's or secret's path after it (H1) ----
		{name: "cli/ssm-value-type-name-path", file: "put.sh", want: "SECRET", text: `aws ssm put-parameter --value {{SECRET}} --type SecureString --name /prod/aws_secret_access_key
`},
		{name: "cli/ssm-value-type-bare-name", file: "put.sh", want: "SECRET", text: `aws ssm put-parameter --value {{SECRET}} --type SecureString --name aws_secret_access_key
`},
		{name: "cli/ssm-continued-lines", file: "put.sh", want: "SECRET", text: `aws ssm put-parameter \
  --value "{{SECRET}}" \
  --type SecureString \
  --overwrite \
  --name "/prod/app/AWS_SECRET_ACCESS_KEY"
`},
		{name: "cli/ssm-equals", file: "put.sh", want: "SECRET", text: `aws ssm put-parameter --value={{SECRET}} --type=SecureString --name=/prod/aws_secret_access_key
`},
		{name: "cli/secretsmanager-description-between", file: "put.sh", want: "SECRET", text: `aws secretsmanager create-secret --secret-string {{SECRET}} --description "prod key" --name prod/aws_secret_access_key
`},
		{name: "cli/ssm-stdin-path", file: "put.sh", want: "SECRET", text: `echo {{SECRET}} | aws ssm put-parameter --name /prod/aws_secret_access_key --type SecureString --value file:///dev/stdin
`},
		{name: "json/value-type-tags-name", file: "param.json", want: "SECRET", text: `{
  "Value": "{{SECRET}}",
  "Type": "SecureString",
  "Tags": [{"Key": "env", "Value": "prod"}],
  "Name": "/prod/aws_secret_access_key"
}
`},
		{name: "json/one-line", file: "param.json", want: "SECRET", text: `{"Value": "{{SECRET}}", "Name": "/prod/aws_secret_access_key", "Type": "SecureString"}
`},
		{name: "cloudformation/value-above-name-sub", file: "stack.yaml", want: "SECRET", text: `Resources:
  P:
    Type: AWS::SSM::Parameter
    Properties:
      Value: {{SECRET}}
      Type: String
      Description: the deploy key
      Name: !Sub /${Env}/aws_secret_access_key
`},
		{name: "terraform/value-above-name-tags", file: "main.tf", want: "SECRET", text: `resource "aws_ssm_parameter" "s" {
  value = "{{SECRET}}"
  type  = "SecureString"
  tags = {
    env = "prod"
  }
  name = "/${var.env}/aws_secret_access_key"
}
`},
		{name: "terraform/value-wo-above-name", file: "main.tf", want: "SECRET", text: `resource "aws_ssm_parameter" "s" {
  value_wo         = "{{SECRET}}"
  value_wo_version = 1
  name             = "/prod/aws_secret_access_key"
}
`},
		{name: "cdk/string-value-above-parameter-name", file: "stack.ts", want: "SECRET", text: `new ssm.StringParameter(this, "P", {
  stringValue: "{{SECRET}}",
  parameterName: "/prod/aws_secret_access_key",
});
`},
		{name: "pulumi/python-keywords", file: "__main__.py", want: "SECRET", text: `aws.ssm.Parameter("p", value="{{SECRET}}", type="SecureString", name="/prod/aws_secret_access_key")
`},
		{name: "boto3/put-parameter-keywords", file: "seed.py", want: "SECRET", text: `ssm.put_parameter(Value='{{SECRET}}', Type='SecureString', Overwrite=True, Name='/prod/aws_secret_access_key')
`},
		// ---- Terraform's write-only arguments, name first (M1) ----
		{name: "terraform/value-wo-below-name", file: "main.tf", want: "SECRET", text: `resource "aws_ssm_parameter" "s" {
  name             = "/prod/aws_secret_access_key"
  type             = "SecureString"
  value_wo         = "{{SECRET}}"
  value_wo_version = 1
}
`},
		// ---- a parameter expansion's word without the colon, or the alternative (M7) ----
		{name: "compose/default-without-colon", file: "docker-compose.yml", want: "SECRET", text: `services:
  app:
    image: app
    environment:
      AWS_SECRET_ACCESS_KEY: ${AWS_SECRET_ACCESS_KEY-{{SECRET}}}
`},
		{name: "compose/list-default-without-colon", file: "docker-compose.yml", want: "SECRET", text: `services:
  app:
    environment:
      - AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY-{{SECRET}}}
`},
		{name: "env/alternative-without-colon", file: ".env", want: "SECRET", text: `AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY+{{SECRET}}}
`},
		{name: "shell/alternative-with-colon", file: "run.sh", want: "SECRET", text: `export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:+{{SECRET}}}"
`},
		{name: "shell/default-without-colon-other-name", file: "run.sh", want: "SECRET", text: `export AWS_SECRET_ACCESS_KEY="${PROD_KEY-{{SECRET}}}"
`},
		// ---- the S3 backend's secret on Terraform's command line (L8) ----
		{name: "terraform/init-backend-config-quoted", file: "init.sh", want: "SECRET", text: `#!/bin/sh
terraform init -backend-config="secret_key={{SECRET}}"
`},
		{name: "terraform/init-backend-config-continued", file: "init.sh", want: "SECRET", text: `terraform init \
  -backend-config="bucket=tf" \
  -backend-config=secret_key={{SECRET}}
`},
		{name: "terraform/init-in-gitlab-ci", file: ".gitlab-ci.yml", want: "SECRET", text: `plan:
  script:
    - terraform init -backend-config "secret_key={{SECRET}}"
`},
		{name: "terraform/apply-var", file: "apply.sh", want: "SECRET", text: `terraform apply -auto-approve -var secret_key={{SECRET}}
`},
		// ---- JSON escapes of a name's characters (L9) ----
		{name: "json/name-underscores-escaped", file: "c.json", want: "SECRET", text: `{"aws\u005fsecret\u005faccess\u005fkey": "{{SECRET}}"}
`},
		{name: "json/name-upper-escape", file: "d.json", want: "SECRET", text: `{"AWS_SECRET\u005FACCESS_KEY": "{{SECRET}}"}
`},
		{name: "json/name-last-letter-escaped", file: "e.json", want: "SECRET", text: `{"aws_secret_access_ke\u0079": "{{SECRET}}"}
`},
		// ---- PostgreSQL's dollar quotes, MongoDB's update filter (M3) ----
		{name: "sql/dollar-quoted-where-name", file: "q.sql", want: "SECRET", text: `UPDATE settings SET value = $$` + "{{SECRET}}" + `$$ WHERE name = 'aws_secret_access_key';
`},
		{name: "sql/tagged-dollar-quotes", file: "q.sql", want: "SECRET", text: `UPDATE settings SET value = $q$` + "{{SECRET}}" + `$q$, updated = $$x$$ WHERE env = $$prod$$ AND name = $$aws_secret_access_key$$;
`},
		{name: "mongo/update-one-set-value", file: "seed.js", want: "SECRET", text: `db.settings.updateOne({name: 'aws_secret_access_key'}, {$set: {value: '{{SECRET}}'}})
`},
		{name: "mongo/find-one-and-update-quoted", file: "seed.js", want: "SECRET", text: `db.settings.findOneAndUpdate({key: "AWS_SECRET_ACCESS_KEY"}, {"$set": {"value": "{{SECRET}}"}}, {upsert: true})
`},
		{name: "pymongo/update-one", file: "seed.py", want: "SECRET", text: `db.settings.update_one({"name": "aws_secret_access_key"}, {"$set": {"value": "{{SECRET}}"}})
`},
		// ---- a file named for the secret it holds (H5) ----
		{name: "file/compose-secret-txt", file: "secrets/aws_secret_access_key.txt", want: "SECRET", text: "{{SECRET}}\n"},
		{name: "file/upper-no-extension", file: "secrets/AWS_SECRET_ACCESS_KEY", want: "SECRET", text: "{{SECRET}}\n"},
		{name: "file/dashes-no-line-end", file: "aws-secret-access-key", want: "SECRET", text: "{{SECRET}}"},
		{name: "file/crlf-quoted", file: "deploy/aws_secret_access_key.txt", want: "SECRET", text: "\"{{SECRET}}\"\r\n"},
		{name: "file/secret-key-under-aws", file: "config/aws/secret_key", want: "SECRET", text: "{{SECRET}}\n"},
	}
}

func qa19NamesNegative() []formatCase {
	return []formatCase{
		// another object's, block's or item's name
		{name: "neg/json-next-object-names", file: "params.json", want: "", text: `[{"Value": "[[R40B]]", "Name": "/prod/db_password"},
 {"Value": "x", "Name": "/prod/aws_secret_access_key"}]
`},
		{name: "neg/yaml-next-item-names", file: "params.yaml", want: "", text: `- Value: [[R40B]]
  Name: /prod/other
- Value: x
  Name: /prod/aws_secret_access_key
`},
		{name: "neg/terraform-next-block-names", file: "main.tf", want: "", text: `resource "random_password" "a" {
  value = "[[R40B]]"
}
resource "aws_ssm_parameter" "s" {
  name = "/prod/aws_secret_access_key"
}
`},
		{name: "neg/cli-next-command-names", file: "put.sh", want: "", text: `aws ssm put-parameter --value [[R40B]] --name /prod/x; aws ssm get-parameter --name /prod/aws_secret_access_key
`},
		{name: "neg/cli-next-line-names", file: "put.sh", want: "", text: `aws ssm put-parameter --value [[R40B]] --name /prod/x
aws ssm get-parameter --name /prod/aws_secret_access_key
`},
		{name: "neg/name-not-last-part", file: "param.json", want: "", text: `{"Value": "[[R40B]]", "Name": "/prod/aws_secret_access_key/rotation-lambda/token"}
`},
		{name: "neg/attribute-not-value", file: "param.json", want: "", text: `{"Checksum": "[[R40B]]", "Type": "String", "Name": "/prod/aws_secret_access_key"}
`},
		// another program's option
		{name: "neg/other-program-secret-key-option", file: "run.sh", want: "", text: `python manage.py runserver --secret_key=[[R40]]
`},
		// an escaped name of another system
		{name: "neg/json-escaped-other-name", file: "c.json", want: "", text: `{"client\u005fsecret": "[[R40B]]", "aws\u005fregion": "us-east-1"}
`},
		// a MongoDB update setting another field
		{name: "neg/mongo-set-other-field", file: "seed.js", want: "", text: `db.settings.updateOne({name: "aws_secret_access_key"}, {$set: {owner: "[[R40B]]"}})
`},
		// an expansion's word of another name
		{name: "neg/expansion-other-name", file: "run.sh", want: "", text: `export SESSION_SECRET="${SESSION_SECRET-[[R40]]}"
`},
		// a file named for the secret that holds more than one value, or
		// another system's secret named so
		{name: "neg/file-two-values", file: "secrets/aws_secret_access_key.txt", want: "", text: "[[R40B]]\n[[R40]]\n"},
		{name: "neg/file-django-secret-key", file: "secrets/django_secret_key", want: "", text: "[[R40B]]\n"},
		{name: "neg/file-secret-key-no-aws", file: "secrets/secret_key", want: "", text: "[[R40B]]\n"},
	}
}
