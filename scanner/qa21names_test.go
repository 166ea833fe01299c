package scanner_test

import "testing"

// Values named before them by a name attribute anywhere in their own
// command, object or element (qa21 H1, H3, M1): across a command's
// continued lines, past sibling members on one line, past an element's
// other attributes and sibling elements; by a parent key on one line; by
// CircleCI's variable and CloudFormation's OutputKey (M1, M2); past a
// comment line in a block (M2); past colour codes (M7); by a delimited
// table's header (M6). In the shape of formats2_test.go.
func TestQA21NamesPositive(t *testing.T) { runCases2(t, qa21NamesPositive()) }
func TestQA21NamesNegative(t *testing.T) { runCases2(t, qa21NamesNegative()) }

func qa21NamesPositive() []formatCase {
	return []formatCase{
		{name: "cli/ssm-name-type-value-continued", file: "deploy.sh", want: "SECRET", text: "aws ssm put-parameter \\\n  --name /prod/aws_secret_access_key \\\n  --type SecureString \\\n  --overwrite \\\n  --value {{SECRET}}\n"},
		{name: "cli/ssm-quoted-crlf", file: "deploy.sh", want: "SECRET", text: "aws ssm put-parameter \\\r\n  --name \"/prod/aws_secret_access_key\" \\\r\n  --type SecureString \\\r\n  --value \"{{SECRET}}\"\r\n"},
		{name: "cli/secretsmanager-description-between", file: "deploy.sh", want: "SECRET", text: "aws secretsmanager create-secret \\\n  --name prod/aws_secret_access_key \\\n  --description \"rotated\" \\\n  --secret-string {{SECRET}}\n"},
		{name: "cli/one-line-options-between", file: "deploy.sh", want: "SECRET", text: "aws ssm put-parameter --name /prod/aws_secret_access_key --overwrite --type SecureString --tier Standard --value {{SECRET}}\n"},
		{name: "powershell/write-ssmparameter", file: "deploy.ps1", want: "SECRET", text: "Write-SSMParameter `\n  -Name /prod/aws_secret_access_key `\n  -Type SecureString `\n  -Value {{SECRET}}\n"},
		{name: "powershell/quoted-crlf", file: "deploy.ps1", want: "SECRET", text: "Write-SSMParameter `\r\n  -Name \"/prod/aws_secret_access_key\" `\r\n  -Overwrite $true `\r\n  -Value \"{{SECRET}}\"\r\n"},
		{name: "xml/android-translatable", file: "res/values/strings.xml", want: "SECRET", text: "<resources>\n  <string name=\"app_name\">Uploader</string>\n  <string name=\"aws_secret_access_key\" translatable=\"false\" tools:ignore=\"MissingTranslation\">{{SECRET}}</string>\n</resources>\n"},
		{name: "xml/resx-space-preserve", file: "Resources.resx", want: "SECRET", text: "<root>\n  <data name=\"AwsSecretAccessKey\" xml:space=\"preserve\">\n    <value>{{SECRET}}</value>\n    <comment>prod</comment>\n  </data>\n</root>\n"},
		{name: "xml/appconfig-serializeas", file: "App.config", want: "SECRET", text: "<setting name=\"AWSSecretKey\" serializeAs=\"String\">\n  <value>{{SECRET}}</value>\n</setting>\n"},
		{name: "xml/attribute-between-name-value", file: "Settings.xml", want: "SECRET", text: "<Parameter Name=\"AwsSecretAccessKey\" IsEncrypted=\"false\" MustOverride=\"true\" Value=\"{{SECRET}}\" />\n"},
		{name: "xml/elements-between", file: "vars.xml", want: "SECRET", text: "<variable>\n  <name>AWS_SECRET_ACCESS_KEY</name>\n  <masked>true</masked>\n  <protected/>\n  <value>{{SECRET}}</value>\n</variable>\n"},
		{name: "json/name-members-value", file: "vars.json", want: "SECRET", text: `{"Variables":[{"Name":"AWS_SECRET_ACCESS_KEY","Type":"String","IsSensitive":false,"Scope":{"Env":["prod"]},"Value":"{{SECRET}}"}]}` + "\n"},
		{name: "json/gitlab-key-masked-value", file: "vars.json", want: "SECRET", text: `[{"key":"AWS_SECRET_ACCESS_KEY","masked":true,"protected":false,"environment_scope":"*","value":"{{SECRET}}"}]` + "\n"},
		{name: "json/parent-key-compact", file: "outputs.json", want: "SECRET", text: `{"aws_secret_access_key":{"sensitive":true,"type":["string"],"value":"{{SECRET}}"}}` + "\n"},
		{name: "json/cloudformation-output-value-first", file: "stack.json", want: "SECRET", text: `{"Outputs":[{"OutputValue":"{{SECRET}}","Description":"key","OutputKey":"SecretAccessKey"}]}` + "\n"},
		{name: "json/cloudformation-parameter", file: "params.json", want: "SECRET", text: `[{"ParameterKey":"SecretAccessKey","UsePreviousValue":false,"ParameterValue":"{{SECRET}}"}]` + "\n"},
		{name: "terraform/circleci-variable", file: "circleci.tf", want: "SECRET", text: "resource \"circleci_context_environment_variable\" \"aws\" {\n  variable   = \"AWS_SECRET_ACCESS_KEY\"\n  # prod context\n  context_id = circleci_context.prod.id\n  value      = \"{{SECRET}}\"\n}\n"},
		{name: "terminal/colour-codes-raw", file: "session.log", want: "SECRET", text: "aws_secret_access_key\x1b[38;5;241m=\x1b[39m\x1b[38;5;124m'\x1b[39m\x1b[38;5;124m{{SECRET}}\x1b[39m\x1b[38;5;124m'\x1b[39m\n"},
		{name: "terminal/colour-codes-json-escaped", file: "explore.ipynb", want: "SECRET", text: `{"traceback": ["\u001b[0;32m----> 3\u001b[0m s3 \u001b[38;5;241m=\u001b[39m boto3\u001b[38;5;241m.\u001b[39mclient(aws_secret_access_key\u001b[38;5;241m=\u001b[39m\u001b[38;5;124m'\u001b[39m\u001b[38;5;124m{{SECRET}}\u001b[39m\u001b[38;5;124m'\u001b[39m)"]}` + "\n"},
		{name: "terminal/colour-codes-escaped-e", file: "dump.sh", want: "SECRET", text: "printf 'aws_secret_access_key\\e[1;34m:\\e[0m \\e[32m{{SECRET}}\\e[0m\\n'\n"},
		{name: "csv/header-column", file: "iam_users.csv", want: "SECRET", text: "id,user_name,owner,created,aws_secret_access_key,notes\n1,ops,\"Smith, J\",2024-01-01,,none\n2,ci-deploy,\"Doe, A\",2024-01-02,{{SECRET}},rotated yearly\n"},
		{name: "csv/semicolons-quoted-crlf", file: "keys.csv", want: "SECRET", text: "\"user\";\"Secret Access Key\";\"region\"\r\n\"ci\";\"{{SECRET}}\";\"eu-west-1\"\r\n"},
		{name: "tsv/header-column", file: "keys.tsv", want: "SECRET", text: "user\tsecret_access_key\tregion\nci\t{{SECRET}}\tus-east-1\n"},
		{name: "markdown/table-header-column", file: "ACCOUNTS.md", want: "SECRET", text: "# Service accounts\n\n| User | AWS Secret Access Key | Region |\n| :--- | :---: | --- |\n| ci | `{{SECRET}}` | us-east-1 |\n"},
		{name: "k8s/comment-between-name-value", file: "deploy.yaml", want: "SECRET", text: "env:\n  - name: AWS_SECRET_ACCESS_KEY\n    # rotated 2024-01\n    value: \"{{SECRET}}\"\n"},
	}
}

func qa21NamesNegative() []formatCase {
	return []formatCase{
		{name: "neg/cli-next-command", file: "deploy.sh", want: "", text: "aws ssm get-parameter --name /prod/aws_secret_access_key\naws ssm put-parameter --type String \\\n  --value [[R40B]]\n"},
		{name: "neg/json-next-object", file: "vars.json", want: "", text: `[{"name":"aws_secret_access_key","value":"x"},{"name":"build_cache_token","scope":"ci","value":"[[R40B]]"}]` + "\n"},
		{name: "neg/json-parent-closed", file: "vars.json", want: "", text: `{"aws_secret_access_key":{"note":"rotated"},"cache":{"value":"[[R40B]]"}}` + "\n"},
		{name: "neg/json-parent-nested-value", file: "vars.json", want: "", text: `{"aws_secret_access_key":{"history":{"value":"[[R40B]]"}}}` + "\n"},
		{name: "neg/json-not-value-member", file: "vars.json", want: "", text: `{"name":"aws_secret_access_key","scope":"prod","checksum":"[[R40B]]"}` + "\n"},
		{name: "neg/colour-codes-other-name", file: "session.log", want: "", text: "aws_secret_access_key\x1b[0m, db_password\x1b[38;5;241m=\x1b[39m'[[R40B]]'\n"},
		{name: "neg/csv-other-column", file: "users.csv", want: "", text: "user,aws_secret_access_key,notes\nci,,[[R40B]]\n"},
		{name: "neg/code-arguments-not-header", file: "f.py", want: "", text: "def f(a, aws_secret_access_key, b):\n    x = 1, 2, '[[R40B]]'\n"},
		{name: "neg/markdown-other-column", file: "t.md", want: "", text: "| a | secret access key | b |\n|---|---|---|\n| x | see vault | y |\n| [[R40B]] | z | w |\n"},
		{name: "neg/xml-element-closed", file: "strings.xml", want: "", text: "<string name=\"aws_secret_access_key\" translatable=\"false\"></string>\n<string name=\"build_id\">[[R40B]]</string>\n"},
		{name: "neg/xml-name-element-record-closed", file: "vars.xml", want: "", text: "<variable><name>AWS_SECRET_ACCESS_KEY</name></variable>\n<variable><name>CACHE</name><value>[[R40B]]</value></variable>\n"},
	}
}
