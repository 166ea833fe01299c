package scanner_test

import "testing"

// Values named through a parent, an alias or a heading (qa21 L1, L2, L3):
// a weak name under an AWS parent in HOCON blocks and TOML dotted table
// headers; a YAML alias under a secret's name that names the anchored
// scalar; Markdown's __strong__ name and a heading or label over the code
// block that holds the value. In the shape of formats2_test.go.
func TestQA21LowsPositive(t *testing.T) { runCases2(t, qa21LowsPositive()) }
func TestQA21LowsNegative(t *testing.T) { runCases2(t, qa21LowsNegative()) }

func qa21LowsPositive() []formatCase {
	return []formatCase{
		{name: "hocon/nested-blocks", file: "conf/application.conf", want: "SECRET", text: "play {\n  http.secret.key = ${?APP_SECRET}\n}\naws {\n  region = \"eu-west-1\"\n  credentials {\n    access-key = ${?AWS_ID}\n    secret-key = \"{{SECRET}}\"\n  }\n}\n"},
		{name: "hocon/block", file: "app.conf", want: "SECRET", text: "aws {\n  secretKey = \"{{SECRET}}\"\n}\n"},
		{name: "hocon/dotted-block", file: "app.conf", want: "SECRET", text: "aws.credentials {\n  secret = \"{{SECRET}}\"\n}\n"},
		{name: "hocon/under-other-block", file: "reference.conf", want: "SECRET", text: "akka.persistence {\n  s3 {\n    secret = \"{{SECRET}}\"\n  }\n}\n"},
		{name: "toml/dotted-header-middle", file: "config.toml", want: "SECRET", text: "[cloud.aws.credentials]\nsecret-key = \"{{SECRET}}\"\n"},
		{name: "toml/dotted-header-last", file: "config.toml", want: "SECRET", text: "[profile.aws]\nregion = \"us-east-1\"\nsecret = \"{{SECRET}}\"\n"},
		{name: "toml/quoted-header-part", file: "config.toml", want: "SECRET", text: "[tool.\"aws\"]\nsecret = '{{SECRET}}'\n"},
		{name: "yaml/alias", file: "values.yaml", want: "SECRET", text: "shared:\n  ci_value: &ci {{SECRET}}\nprod:\n  aws_secret_access_key: *ci\nstaging:\n  aws_secret_access_key: *ci\n"},
		{name: "yaml/alias-flow-quoted", file: "values.yaml", want: "SECRET", text: "shared: {ci_value: &ci \"{{SECRET}}\"}\nprod: {AWS_SECRET_ACCESS_KEY: *ci, AWS_REGION: us-east-1}\n"},
		{name: "yaml/alias-list-item-dashes", file: ".gitlab-ci.yml", want: "SECRET", text: "secrets:\n  - &deploy-key.v2 '{{SECRET}}'\ndeploy:\n  variables:\n    AWS_SECRET_ACCESS_KEY: *deploy-key.v2 # shared\n"},
		{name: "markdown/underscore-strong", file: "README.md", want: "SECRET", text: "## Credentials\n\n__Secret access key__: {{SECRET}}\n"},
		{name: "markdown/underscore-strong-colon-inside", file: "README.md", want: "SECRET", text: "## Credentials\n\n* __AWS secret:__ `{{SECRET}}`\n"},
		{name: "markdown/heading-fenced", file: "docs/ops.md", want: "SECRET", text: "# Ops\n\nSome text.\n\n### Secret access key\n\n```\n{{SECRET}}\n```\n"},
		{name: "markdown/heading-fenced-info-crlf", file: "docs/ops.md", want: "SECRET", text: "# Ops\r\n\r\nSome text.\r\n\r\n## AWS secret access key\r\n\r\n\r\n~~~text\r\n{{SECRET}}\r\n~~~\r\n"},
		{name: "markdown/setext-indented", file: "docs/ops.md", want: "SECRET", text: "# Ops\n\nSome text.\n\nAWS secret access key\n=====================\n\n    {{SECRET}}\n"},
		{name: "markdown/strong-label-fenced", file: "docs/ops.md", want: "SECRET", text: "# Ops\n\nSome text.\n\n<strong>Secret access key:</strong>\n\n```\n{{SECRET}}\n```\n"},
		{name: "markdown/list-label-fenced", file: "docs/ops.md", want: "SECRET", text: "# Ops\n\n- **Secret access key**:\n\n  ```\n  {{SECRET}}\n  ```\n"},
	}
}

func qa21LowsNegative() []formatCase {
	return []formatCase{
		{name: "neg/hocon-other-system", file: "app.conf", want: "", text: "minio {\n  secret = \"[[R40B]]\"\n}\n"},
		{name: "neg/hocon-aws-other-thing", file: "app.conf", want: "", text: "aws {\n  rds {\n    password = \"[[R40B]]\"\n  }\n}\n"},
		{name: "neg/toml-other-system-last", file: "config.toml", want: "", text: "[aws.minio]\nsecret = \"[[R40B]]\"\n"},
		{name: "neg/toml-aws-other-thing", file: "config.toml", want: "", text: "[aws.rds]\npassword = \"[[R40B]]\"\n"},
		{name: "neg/yaml-alias-neutral-key", file: "values.yaml", want: "", text: "shared:\n  v: &ci [[R40B]]\nprod:\n  cache_digest: *ci\n"},
		{name: "neg/yaml-alias-other-anchor", file: "values.yaml", want: "", text: "shared:\n  v: &ci2 [[R40B]]\n  w: &ci x\nprod:\n  aws_secret_access_key: *ci\n"},
		{name: "neg/heading-paragraph-between", file: "a.md", want: "", text: "### Secret access key\n\nRotate it yearly.\n\n```\n[[R40B]]\n```\n"},
		{name: "neg/heading-value-not-alone", file: "a.md", want: "", text: "### Secret access key\n\n```\n[[R40B]] is the build digest\n```\n"},
		{name: "neg/heading-assigns-other", file: "a.md", want: "", text: "### Secret access key = see vault\n\n```\n[[R40B]]\n```\n"},
		{name: "neg/heading-far-blank-lines", file: "a.md", want: "", text: "### Secret access key\n\n\n\n\n```\n[[R40B]]\n```\n"},
	}
}
