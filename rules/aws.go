package rules

// Rule IDs. They are stable: baselines and reports refer to them.
const (
	IDAccessKeyID     = "aws-access-key-id"
	IDSecretAccessKey = "aws-secret-access-key"
	IDSessionToken    = "aws-session-token"
)

// AWS returns keyscan's built-in rule set, freshly built so callers may not
// change one another's copy.
func AWS() []Rule {
	return []Rule{accessKeyID(), secretAccessKey(), sessionToken()}
}

func accessKeyID() Rule {
	return Rule{
		ID:       IDAccessKeyID,
		Title:    "AWS access key ID",
		Kind:     AccessKeyID,
		Severity: Error,
		Summary:  "AKIA (long-term) and ASIA (temporary) access key IDs, and the ABIA/ACCA credential prefixes",
		Why: "An access key ID names a key pair. Alone it lets an attacker learn the account it belongs to; " +
			"next to its secret it is the credential itself, with every permission of its IAM user. Keys in a " +
			"repository are harvested by bots within minutes of a push.",
		Fix: "Remove the key from the code or file and let the program get temporary credentials from the " +
			"EC2 instance role (instance profile) through the SDK's default credential chain. Then revoke the key: " +
			"deactivate and rotate a long-term (AKIA) key in IAM; IAM cannot deactivate a temporary (ASIA) key, so " +
			"revoke the active sessions of the role that issued it or wait for its expiry. Deleting it from the file, " +
			"or from history, does not un-leak it.",
		Matches: "AKIA, ASIA, ABIA or ACCA followed by 16 characters of the base32 alphabet A-Z2-7, on word " +
			"boundaries. Identifier prefixes (AIDA, AROA, AGPA, ANPA, ...) are not credentials and are not reported. " +
			"AWS's documented example keys (...EXAMPLE), placeholders (AKIAXXXXXXXXXXXXXXXX), values with characters " +
			"outside base32 and values inside longer tokens are not reported, nor upper-case words run together that start " +
			"like a key ID (ASIAPACIFICTOKYO…, AKIABANKHOLDINGS…: region and fund codes), words of three letters or more " +
			"of keyscan's list covering all of it but a number of one or two digits after them (random key IDs are such words less than once in 10^10), " +
			"nor business codes of words, numbers and short tags (ASIASOUTHEAST2Q3SALE: a region, a quarter, a word; a product, its colour and size; " +
			"a ticket), which keyscan's model of codes writes in 20 bits fewer than the 80 of random base32 (at most one random key ID in 10^6 is, " +
			"and none of 2·10^7 random ones came near), unless the line or the call " +
			"names an access key ID (aws_access_key_id = ...) or a secret found on its own evidence within 5 lines pairs with it (a key ID of random " +
			"shape pairs first): the secret shows that credentials stand there. The account ID is decoded offline " +
			"from new-generation IDs. A key ID of account 000000000000 is a test key and is not reported: no AWS " +
			"account has the all-zero ID, which is why LocalStack takes it as its default account, and LocalStack and " +
			"moto generate key IDs that encode it, so such a key cannot authenticate against AWS. The summary counts " +
			"test keys and `--format json --test-keys` lists them. No other account is provably unissued: a key ID of " +
			"123456789012, the account of AWS's documentation examples and moto's default, is reported with a note " +
			"saying so. A key ID written one escape per character (\\u0041, \\\\u0041, %u0041, \\u{41}, " +
			"\\U00000041, \\x41, \\x{41}, U+0041, CSS \\41, HTML &#65; and &#x41;, octal \\101, or a mix of them) or " +
			"split over a string concatenation in source code (\"AKIA\" + \"...\", 'AK' + 'IA...', across lines, " +
			"Python's adjacent literals) is decoded first and reported at the escaped text or at the first literal.",
		TruePositives: []Example{
			{Name: "main.go", Text: "const id = \"{{ID}}\"\n", Want: 1, Reason: "a key ID in a Go string"},
			{Name: ".aws/credentials", Text: "[default]\naws_access_key_id = {{ID}}\n", Want: 1, Reason: "shared credentials file"},
			{Name: "deploy.sh", Text: "export AWS_ACCESS_KEY_ID={{ASIA}}\n", Want: 1, Reason: "a temporary key ID in a shell script"},
			{Name: "README.md", Text: "Use the key {{ID}}, it works.\n", Want: 1, Reason: "prose: a key ID needs no context"},
			{Name: ".aws/credentials", Text: "[default]\naws_access_key_id = {{WORDS_ID}}\n", Want: 1, Reason: "upper-case words, but named as a key ID: the line says what it is"},
			{Name: "app.ini", Text: "region = {{CODE_ID}}\naws_secret_access_key = {{SECRET}}\n", Want: 1, Reason: "a business code, but a secret found by its keyword pairs with it: the secret shows credentials stand here"},
			{Name: "notes.txt", Text: "s3://{{ID}}:@bucket/path\n", Want: 1, Reason: "inside a URL"},
			{Name: "k8s/secret.yaml", Text: "apiVersion: v1\nkind: Secret\ndata:\n  AWS_ACCESS_KEY_ID: {{ID_B64}}\n", Want: 1, Reason: "base64-encoded in a Kubernetes Secret"},
			{Name: "nb.ipynb", Text: "{\"source\": [\"creds = \\\"\\n{{ID}}\\\"\"]}\n", Want: 1, Reason: "after a JSON \\n escape"},
			{Name: "test_s3.py", Text: "AWS_ACCESS_KEY_ID = \"{{DOC_ID}}\"\n", Want: 1, Reason: "account 123456789012 (AWS's documentation account, moto's default) can be real: reported, with a note"},
			{Name: "data.json", Text: "{\"k\": \"{{ID_ESC}}\"}\n", Want: 1, Reason: "one \\u escape per character"},
			{Name: "config.js", Text: "const id = \"AK\" + \"IA{{ID_TAIL}}\";\n", Want: 1, Reason: "split over a concatenation, the prefix itself split"},
			{Name: "settings.py", Text: "KEY_ID = (\"AKIA\"\n          \"{{ID_TAIL}}\")\n", Want: 1, Reason: "Python's adjacent literals across lines"},
		},
		FalsePositives: []Example{
			{Name: "docs.md", Text: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", Reason: "AWS's documented example key"},
			{Name: "docs.md", Text: "key: AKIAI44QH8DHBEXAMPLE\n", Reason: "AWS's second documented example key"},
			{Name: "config.yaml", Text: "access_key: AKIAXXXXXXXXXXXXXXXX\n", Reason: "placeholder"},
			{Name: "config.yaml", Text: "access_key: AKIA1234567890123456\n", Reason: "0, 1, 8 and 9 are not in the base32 alphabet"},
			{Name: "iam.json", Text: "{\"UserId\": \"AIDAJQABLZS4A3QDU576Q\", \"RoleId\": \"AROAJQABLZS4A3QDU576Q\"}\n", Reason: "AIDA and AROA are identifiers, not credentials"},
			{Name: "main.go", Text: "var x = \"X{{ID}}\"\n", Reason: "inside a longer token"},
			{Name: "main.go", Text: "var x = \"{{ID}}Z\"\n", Reason: "inside a longer token: 17 characters after the prefix"},
			{Name: "a.txt", Text: "akiaq2tz5k4nrwyb3e7f\n", Reason: "lowercase is not a key ID"},
			{Name: "regions.go", Text: "const (\n\tR3 = \"AKIABANKHOLDINGSLTD2\"\n\tR4 = \"ASIAPACIFICTOKYOJPN2\"\n)\n\nvar Names = []string{\"ASIANMARKETSINDEXFND\", \"ASIAEASTREGIONSTORE2\"}\n", Reason: "upper-case words run together (region and fund codes), not random base32 (qa33 M4)"},
			{Name: "sales.go", Text: "const (\n\tRegionQ3 = \"{{CODE_ID}}\"\n\tWidget = \"AKIAWIDGET42BLUE7XL2\"\n\tForecast = \"ASIAPACIFICQ3FY25REV\"\n\tTeam = \"ASIAEAST2SALESQ4TEAM\"\n\tTicket = \"AKIAOPSTICKET42STORY\"\n)\n", Reason: "business codes: words, numbers and tags (a region and a quarter, a product and its size, a team, a ticket), not random base32 (fp36)"},
			{Name: "app.ini", Text: "region = {{CODE_ID}}\n\n[aws]\nregion = us-east-1\nbucket = sales\nprefix = q3\nexport = daily\naws_secret_access_key = {{SECRET}}\n", Reason: "a code more than 5 lines from the secret, in another section: not the secret's pair"},
			{Name: "policy.json", Text: "{\"Resource\": \"arn:aws:iam::123456789012:user/{{ID}}\"}\n", Reason: "inside an ARN: a resource name, not a credential"},
			{Name: "conftest.py", Text: "os.environ[\"AWS_ACCESS_KEY_ID\"] = \"{{TEST_ID}}\"\n", Reason: "a test key ID: account 000000000000 is no AWS account (LocalStack's default, which LocalStack and moto encode in the key IDs they generate)"},
			{Name: "prefixes.py", Text: "PREFIXES = [\"AKIA\",\n    \"{{ID_TAIL}}\"]\n", Reason: "list items, not a concatenation"},
			{Name: "chars.txt", Text: "U+0041 U+004B U+0049 U+0041 spell the prefix of a key, not a key\n", Reason: "escaped text that holds no key"},
		},
	}
}

func secretAccessKey() Rule {
	return Rule{
		ID:       IDSecretAccessKey,
		Title:    "AWS secret access key",
		Kind:     SecretAccessKey,
		Severity: Error,
		Summary:  "40-character secret access keys shown to be secrets by a keyword, a config format or a nearby key ID",
		Why: "The secret access key signs requests: with its key ID it is full access to everything the IAM user " +
			"may do, until someone deactivates the key.",
		Fix: "Remove the secret and the key ID and use the instance role: the SDKs' default chain ends in the " +
			"instance metadata provider. Rotate the key first. IAM cannot search for a key by its secret: when the " +
			"key ID is not next to it, find the key by its last use (credential report, CloudTrail), or rotate every " +
			"key of the users who could have committed it.",
		Matches: "40 characters of A-Za-z0-9/+ that context shows to be a secret: an assignment to a keyword in any " +
			"naming style (aws_secret_access_key, SecretAccessKey, secret-key, cloud.aws.credentials.secret-key, " +
			"Terraform secret_key, fluentd aws_sec_key...), including nested defaults (a CloudFormation parameter's " +
			"Default, a Terraform variable's default) and name/value pairs; the secret's place among the arguments of an " +
			"AWS SDK's credentials constructor, whatever words stand around it (BasicAWSCredentials, " +
			"BasicSessionCredentials, AwsBasicCredentials.create, AwsSessionCredentials.create, SessionAWSCredentials, " +
			"new AmazonS3Client(id, secret, region) and every Amazon...Client, new AWS.Credentials, Aws::Credentials.new, " +
			"Credentials::from_keys, NewStaticCredentials(Provider), boto3.Session(id, secret), the eighth " +
			"argument of boto3.client/resource and, in a file that names boto3, of any .client(/.resource( (a session's), " +
			"unless the sixth (endpoint_url) is a literal endpoint that is not AWS's; the password of curl's --user in a command signed with --aws-sigv4 \"aws:...\" and of an " +
			"Airflow aws://ID:SECRET@ connection URI, unless a URL of the command or the URI's host or endpoint_url is not AWS's; " +
			"a bare Credentials(...), new Credentials or Credentials::new counts when qualified by " +
			"AWS, near AWS words, in aws-sdk-rust's five-argument shape or in a file that imports an AWS SDK; any other " +
			"...Credential...(id, secret) near AWS words); " +
			"a key ID nearby (the two are paired); or a weaker keyword (secret) near AWS words with " +
			"stricter tests; a password alone is never an AWS secret, whatever AWS words (an SSM parameter, a Secrets Manager " +
			"secret) stand near, but for an Apache Airflow connection's of conn_type aws, whose login and password are the key pair " +
			"(unless its host or extra's endpoint_url is another service's). A secret paired with a test key ID (account 000000000000, see aws-access-key-id) is the other " +
			"half of a test fixture and is not reported either, whatever its own name. S3-compatible services that are not AWS " +
			"(Google Cloud Storage's HMAC keys, MinIO, Wasabi, DigitalOcean Spaces, Cloudflare R2, Backblaze B2) take AWS's " +
			"names and tools: a secret whose block (its line, its INI section, or the lines at its indentation with the line " +
			"that opens them) names such a service's endpoint or provider, or holds a GOOG... access ID, is that service's " +
			"and is not reported, whatever AWS words stand nearby; an AWS key ID in the same block outweighs that, and the " +
			"pair is reported. The nearest name that assigns the value decides: another system's secret " +
			"(client_secret, SESSION_SECRET, x-api-key, Django's SECRET_KEY, Airflow's webserver secret_key, a backup tool's " +
			"passphrase or repository password: RESTIC_PASSWORD, BORG_PASSPHRASE, duplicity's PASSPHRASE, an rclone crypt " +
			"remote's password) is not reported even next to AWS keys; under a name that says AWS but names another credential " +
			"(AWS_COGNITO_CLIENT_SECRET, AWS_API_GATEWAY_API_KEY, AWS_SNS_WEBHOOK_SECRET) it is reported only as the secret of a " +
			"key ID next to it that has no secret of its own; AWS words and key IDs of another INI section do not count. " +
			"In .env, shell, Python, YAML, INI, TOML and properties files a generic name (SECRET=, KEY=, PASSWORD=, " +
			"SECRET_KEY=, ACCESS_KEY=, api_secret =) is judged by its block: reported when the block speaks of AWS " +
			"credentials (a key ID, an aws_ credential sibling, an access_key beside it, a call passing AWS keys, its own " +
			"[aws] section or aws: parent) and of no other system (an endpoint that is not amazonaws.com, a GOOG access " +
			"ID, database, framework or other services' settings); an object store's config of type S3 " +
			"at AWS's host (Thanos', Cortex's, Loki's type: S3 with endpoint: s3.amazonaws.com) speaks of them too; region and " +
			"bucket settings or a boto3 import alone are not enough, SECRET_KEY in a Django settings.py or a Flask app is the framework's, and a 40-character " +
			"ACCESS_KEY or SECRET_KEY needs a key ID to pair it. " +
			"Values may be written with JSON or HTML escapes, URL-encoding or base64, one escape per character in any " +
			"notation the key ID rule lists, or split over a string concatenation; decoded or joined, a value needs the " +
			"context a plain one needs. Hashes (hex has no upper case), " +
			"identifiers and paths (mostly words), placeholders and AWS's documented examples are not reported; " +
			"neither is a random string with no context.",
		TruePositives: []Example{
			{Name: ".aws/credentials", Text: "[default]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n", Want: 1, Reason: "shared credentials file, paired"},
			{Name: ".env", Text: "AWS_SECRET_ACCESS_KEY={{SECRET}}\n", Want: 1, Reason: "environment file, keyword alone"},
			{Name: "app.py", Text: "s3 = boto3.client('s3', aws_secret_access_key='{{SECRET}}')\n", Want: 1, Reason: "boto3 argument"},
			{Name: "index.js", Text: "new S3Client({ credentials: { secretAccessKey: \"{{SECRET}}\" } })\n", Want: 1, Reason: "JS SDK option"},
			{Name: "main.tf", Text: "provider \"aws\" {\n  secret_key = \"{{SECRET}}\"\n}\n", Want: 1, Reason: "Terraform provider"},
			{Name: "application.properties", Text: "cloud.aws.credentials.secret-key={{SECRET}}\n", Want: 1, Reason: "Spring property"},
			{Name: "task.json", Text: "{\"name\": \"AWS_SECRET_ACCESS_KEY\",\n \"value\": \"{{SECRET}}\"}\n", Want: 1, Reason: "name and value on separate lines"},
			{Name: "creds.csv", Text: "Access key ID,Secret access key\n{{ID}},{{SECRET}}\n", Want: 1, Reason: "the console's credentials.csv"},
			{Name: "main.go", Text: "p := credentials.NewStaticCredentialsProvider(\"{{ID}}\", \"{{SECRET}}\", \"\")\n", Want: 1, Reason: "paired with the key ID"},
			{Name: "k8s/secret.yaml", Text: "kind: Secret\ndata:\n  AWS_SECRET_ACCESS_KEY: {{SECRET_B64}}\n", Want: 1, Reason: "base64 in a Kubernetes Secret"},
			{Name: "nb.ipynb", Text: "{\"x\": \"aws_secret_access_key={{SECRET_JS}}\"}\n", Want: 1, Reason: "JSON escapes"},
			{Name: "url.txt", Text: "https://example.com/?aws_secret_access_key={{SECRET_URL}}&x=1\n", Want: 1, Reason: "URL-encoded"},
			{Name: ".env", Text: "AWS_SECRET_ACCESS_KEY={{SECRET_HTML}}\n", Want: 1, Reason: "one HTML character reference per character"},
			{Name: "Upload.java", Text: "String id = \"{{ID}}\";\nString secret = \"{{SECRET_HEAD}}\"\n    + \"{{SECRET_TAIL}}\";\n", Want: 1, Reason: "split over lines, paired with the key ID"},
			{Name: "Upload.java", Text: "import com.amazonaws.auth.BasicAWSCredentials;\nvar c = new BasicAWSCredentials(System.getenv(\"KEY_ID\"), \"{{SECRET}}\");\n", Want: 1, Reason: "second argument of an SDK credentials constructor"},
			{Name: "Upload.java", Text: "var c = new BasicAWSCredentials(keyId, \"{{SECRET}}\");\n", Want: 1, Reason: "the secret's place in an AWS SDK constructor, with no other AWS word"},
			{Name: "Upload.cs", Text: "var s3 = new AmazonS3Client(accessKey, \"{{SECRET}}\", RegionEndpoint.USEast1);\n", Want: 1, Reason: "a .NET service client's (id, secret, region) constructor"},
			{Name: "job.py", Text: "session = boto3.Session(os.environ[\"KEY_ID\"], \"{{SECRET}}\")\n", Want: 1, Reason: "boto3.Session's second positional argument"},
			{Name: "job.py", Text: "import boto3\nsession = boto3.session.Session()\ns3 = session.client(\"s3\", \"us-east-1\", None, True, None, None, KEY, \"{{SECRET}}\")\n", Want: 1, Reason: "a boto3 session's client takes the secret eighth, as boto3.client does"},
			{Name: "src/main.rs", Text: "let creds = Credentials::new(key_id, \"{{SECRET}}\", None, None, \"static\");\n", Want: 1, Reason: "aws-sdk-rust's five-argument Credentials::new"},
			{Name: "template.yaml", Text: "Parameters:\n  AwsSecretAccessKey:\n    Type: String\n    NoEcho: true\n    Default: {{SECRET}}\n", Want: 1, Reason: "a CloudFormation parameter's default"},
			{Name: "fluent.conf", Text: "<match s3.**>\n  @type s3\n  aws_sec_key {{SECRET}}\n</match>\n", Want: 1, Reason: "fluentd's aws_sec_key"},
			{Name: "ci.yml", Text: "variables:\n  CREDS: {{CREDS_B64}}\n", Want: 1, Reason: "a whole credentials file base64-encoded in a CI variable"},
			{Name: ".env", Text: "AWS_DEFAULT_REGION=us-east-1\nAWS_ACCESS_KEY_ID=${KEY_ID}\nKEY={{SECRET}}\n", Want: 1, Reason: "a generic name in a block that speaks of AWS credentials"},
			{Name: "upload.py", Text: "import boto3\n\nSECRET = \"{{SECRET}}\"\ns3 = boto3.client(\"s3\", aws_secret_access_key=SECRET)\n", Want: 1, Reason: "a generic name passed to boto3 as the AWS secret"},
			{Name: "rclone.conf", Text: "[minio]\ntype = s3\nprovider = Minio\naccess_key_id = {{ID}}\nsecret_access_key = {{SECRET}}\nendpoint = http://minio:9000\n", Want: 1, Reason: "an AKIA key ID is AWS's whatever the endpoint, and so is the secret paired with it"},
			{Name: ".env", Text: "AWS_ACCESS_KEY_ID={{ID}}\nAWS_COGNITO_CLIENT_SECRET={{SECRET}}\n", Want: 1, Reason: "a name that says another credential, but the key ID beside it has no other secret: the pair, misnamed"},
			{Name: ".env", Text: "MAIL_MAILER=ses\nSES_SECRET={{SECRET}}\n", Want: 1, Reason: "Laravel's mail settings: SES_SECRET is the secret of an AWS key, as SQS_SECRET is"},
			{Name: ".env", Text: "KMS_SECRET_KEY={{SECRET}}\n", Want: 1, Reason: "a KMS client's key, named after the service"},
			{Name: ".env", Text: "AWS_REGION=us-east-1\nAWS_ADMIN_SECRET={{SECRET}}\n", Want: 1, Reason: "an AWS name whose other words say whose key it is, not another credential's"},
			{Name: "objstore.yml", Text: "type: S3\nconfig:\n  bucket: thanos\n  endpoint: s3.us-east-1.amazonaws.com\n  secret_key: {{SECRET}}\n", Want: 1, Reason: "a Thanos (Cortex, Loki) object store of type S3 at AWS's host: its config's secret_key is the S3 client's"},
			{Name: "connections.json", Text: "{\"conn_type\": \"aws\", \"login\": \"\", \"password\": \"{{SECRET}}\"}\n", Want: 1, Reason: "an Airflow AWS connection keeps the secret access key in its password"},
			{Name: "sign.sh", Text: "curl --aws-sigv4 \"aws:amz:us-east-1:s3\" --user \"$KEY_ID:{{SECRET}}\" https://acme.s3.amazonaws.com/f\n", Want: 1, Reason: "curl signs with AWS's SigV4: the user's password is the secret access key"},
			{Name: "sign.sh", Text: "curl -sS \\\n  --aws-sigv4 aws:amz:eu-west-1:execute-api \\\n  -u \"${ID}:{{SECRET}}\" \\\n  \"$API_URL\"\n", Want: 1, Reason: "-u and --aws-sigv4 on other lines of one shell command"},
			{Name: ".env", Text: "AIRFLOW_CONN_AWS_DEFAULT='aws://:{{SECRET_URL}}@/?region_name=us-east-1'\n", Want: 1, Reason: "an Airflow aws:// connection URI: its password is the secret, URL-encoded"},
			{Name: "connections.yaml", Text: "aws_default:\n  conn_type: aws\n  login: ${KEY_ID}\n  password: {{SECRET}}\n", Want: 1, Reason: "an Airflow AWS connection in YAML: its login is the key ID's field, not another system's login"},
		},
		FalsePositives: []Example{
			{Name: "docs.md", Text: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", Reason: "AWS's documented example secret"},
			{Name: "a.txt", Text: "token = {{SECRET}}\n", Reason: "a random string with no AWS context"},
			{Name: "a.js", Text: "const value = \"{{SECRET_HEAD}}\" + \"{{SECRET_TAIL}}\";\n", Reason: "a split random string with no AWS context"},
			{Name: "go.sum", Text: "golang.org/x/tools v0.1.0 h1:po9/4sTYwZU9lPhi1tOrb4hCv3qrhiQ77LZfGa2OjwY=\n", Reason: "a go.sum hash"},
			{Name: "x.env", Text: "AWS_SECRET_ACCESS_KEY=da39a3ee5e6b4b0d3255bfef95601890afd80709\n", Reason: "a SHA-1 in hex has no upper case"},
			{Name: "x.env", Text: "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}\n", Reason: "environment lookup"},
			{Name: "x.yaml", Text: "secret_access_key: \"{{ .Values.aws.secretAccessKey }}\"\n", Reason: "template expression"},
			{Name: "x.yaml", Text: "secret_key: YOUR_SECRET_ACCESS_KEY_GOES_HERE_PLEASE12\n", Reason: "placeholder"},
			{Name: "x.yaml", Text: "aws_secret_key_path: src/main/resources/config/credentials/a\n", Reason: "a path made of words"},
			{Name: "x.go", Text: "secretKey := getAwsSecretAccessKeyFromEnvironmentVariable\n", Reason: "an identifier made of words"},
			{Name: "creds.ini", Text: "aws_access_key_id = {{ID}}\naws_secret_access_key = AsiaPacificBankHoldingsStoreRegionIndex2\n", Reason: "words run together in any case, a number after them: a name, not a random secret, even named and beside a key ID"},
			{Name: "x.yaml", Text: "secret_key: 123e4567-e89b-12d3-a456-426614174000\n", Reason: "a UUID"},
			{Name: "x.yaml", Text: "role: arn:aws:iam::123456789012:role/SomeRoleNameThatIsFortyCharsLong1\n", Reason: "an ARN"},
			{Name: ".env", Text: "SECRET_KEY={{SECRET2}}\nAWS_ACCESS_KEY_ID={{ID}}\n", Reason: "Django's SECRET_KEY is its signing key, even next to AWS keys"},
			{Name: "app.yaml", Text: "aws:\n  access_key: {{ID}}\n  client_secret: {{SECRET2}}\n", Reason: "another system's secret, even next to an AWS key ID"},
			{Name: ".aws/credentials", Text: "[localstack]\naws_access_key_id = {{TEST_ID}}\naws_secret_access_key = {{SECRET}}\n", Reason: "paired with a test key ID of account 000000000000: a test fixture"},
			{Name: ".env", Text: "KEY={{SECRET2}}\n", Reason: "a generic name with nothing of AWS around it"},
			{Name: "notes.txt", Text: "ses amis disent que\nsecret = {{SECRET2}}\n", Reason: "French prose: lower-case ses is a word, not Amazon SES, with no credential name"},
			{Name: "route.txt", Text: "about 12 kms north\ntoken = {{SECRET2}}\n", Reason: "kms as a distance, not AWS KMS"},
			{Name: ".env", Text: "SECRET_KEY={{SECRET2}}\nAWS_REGION=us-east-1\nS3_BUCKET=uploads\n", Reason: "a generic name beside AWS settings but no AWS credential: an application's signing key"},
			{Name: "config.py", Text: "class Config:\n    SECRET_KEY = \"{{SECRET2}}\"\n    AWS_REGION = \"us-east-1\"\n", Reason: "Flask's configuration class: SECRET_KEY is its signing key"},
			{Name: ".env", Text: "AWS_REGION=us-east-1\nS3_ENDPOINT=http://minio:9000\nSECRET_KEY={{SECRET2}}\n", Reason: "a generic name beside an endpoint that is not AWS (MinIO)"},
			{Name: ".env", Text: "AWS_REGION=us-east-1\nDB_HOST=db\nPASSWORD={{SECRET2}}\n", Reason: "a generic name beside a database's settings"},
			{Name: "job.py", Text: "import boto3\ns3 = boto3.client(\"s3\", \"us-east-1\", None, False, None, \"http://minio:9000\", KEY, \"{{SECRET}}\")\n", Reason: "the sixth positional argument, endpoint_url, is a MinIO server"},
			{Name: "storage.py", Text: "gcs = boto3.client(\n    \"s3\",\n    endpoint_url=\"https://storage.googleapis.com\",\n    aws_access_key_id=\"GOOG1EHMACACCESSIDOFASERVICEACCOUNT\",\n    aws_secret_access_key=\"{{SECRET}}\",\n)\n", Reason: "a Google Cloud Storage HMAC key: the client's endpoint and its GOOG access ID outweigh the AWS names"},
			{Name: "rclone.conf", Text: "[minio]\ntype = s3\nprovider = Minio\naccess_key_id = minio-ci\nsecret_access_key = {{SECRET}}\nendpoint = http://minio:9000\n", Reason: "an rclone remote whose provider and endpoint are MinIO's"},
			{Name: "airflow.cfg", Text: "[logging]\nremote_base_log_folder = s3://acme-airflow-logs\n[webserver]\nsecret_key = {{SECRET}}\n", Reason: "Airflow's webserver signing key: the S3 words are another section's"},
			{Name: "backup.sh", Text: "export AWS_ACCESS_KEY_ID={{ID}}\nexport RESTIC_PASSWORD={{SECRET2}}\n", Reason: "restic's repository password beside the S3 key of its repository"},
			{Name: ".env", Text: "AWS_REGION=us-east-1\nAWS_COGNITO_CLIENT_SECRET={{SECRET2}}\n", Reason: "a Cognito app client's secret: AWS in its name, but another credential"},
			{Name: ".env", Text: "AWS_ACCESS_KEY_ID={{ID}}\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\nAWS_COGNITO_CLIENT_SECRET={{SECRET2}}\nAWS_API_GATEWAY_API_KEY={{SECRET}}\n", Reason: "another credential's names beside a key ID whose secret is set on its own line (here from the environment)"},
			{Name: "config.yaml", Text: "aws:\n  region: us-east-1\n  aws_sns_webhook_secret: {{SECRET2}}\n", Reason: "a webhook's signing secret under an aws: parent"},
			{Name: "Upload.java", Text: "var c = new BasicAWSCredentials(\"{{SECRET}}\", keyId);\n", Reason: "not in the secret's place of the constructor"},
			{Name: "Upload.java", Text: "var c = new BasicAWSCredentials(\"minioadmin\", \"{{SECRET}}\");\n", Reason: "beside another service's access key literal (MinIO's)"},
			{Name: "Mail.cs", Text: "var login = new NetworkCredential(user, \"{{SECRET}}\");\n", Reason: "another library's credentials, nothing of AWS near"},
			{Name: "src/mail.rs", Text: "let creds = Credentials::new(\"mailer\".to_string(), \"{{SECRET}}\".to_string());\n", Reason: "lettre's SMTP login: Credentials::new is not AWS's by its name alone"},
			{Name: "sign.sh", Text: "curl --aws-sigv4 \"aws:amz:us-east-1:s3\" --user \"$ID:{{SECRET}}\" http://minio:9000/bucket/f\n", Reason: "AWS's signing sent to MinIO: the URL's host is another service's"},
			{Name: "sign.sh", Text: "curl --aws-sigv4 \"osc:osc:eu-west-2:api\" --user \"$ID:{{SECRET}}\" \"$URL\"\n", Reason: "SigV4 for another provider (Outscale's osc)"},
			{Name: "upload.sh", Text: "curl --user \"deploy:{{SECRET}}\" https://example.com/upload\n", Reason: "a user's password with no AWS signing"},
			{Name: ".env", Text: "AIRFLOW_CONN_MINIO='aws://:{{SECRET_URL}}@/?endpoint_url=http%3A%2F%2Fminio%3A9000'\n", Reason: "an aws:// connection whose endpoint_url is MinIO's"},
			{Name: ".env", Text: "AIRFLOW_CONN_API='http://:{{SECRET_URL}}@api.example.com'\n", Reason: "a connection of another type"},
			{Name: "objstore.yml", Text: "type: S3\nconfig:\n  bucket: thanos\n  endpoint: minio:9000\n  secret_key: {{SECRET}}\n", Reason: "the same object store at MinIO: another service's endpoint"},
			{Name: "objstore.yml", Text: "type: S3\nconfig:\n  bucket: thanos\n  endpoint: ${S3_ENDPOINT}\n  secret_key: {{SECRET2}}\n", Reason: "an S3 object store whose endpoint the file does not name: S3's API, not AWS's"},
			{Name: "connections.json", Text: "{\"conn_type\": \"http\", \"login\": \"bot\", \"password\": \"{{SECRET}}\"}\n", Reason: "an Airflow connection of another type: a login's password"},
			{Name: "connections.json", Text: "{\"conn_type\": \"aws\", \"login\": \"minio\", \"password\": \"{{SECRET}}\", \"extra\": {\"endpoint_url\": \"http://minio:9000\"}}\n", Reason: "an Airflow AWS connection whose endpoint_url is MinIO's"},
		},
	}
}

func sessionToken() Rule {
	return Rule{
		ID:       IDSessionToken,
		Title:    "AWS session token",
		Kind:     SessionToken,
		Severity: Error,
		Summary:  "Session tokens of temporary (ASIA) credentials, by keyword or by their own base64 prefix",
		Why: "A session token with its ASIA key ID and secret is a working temporary credential until it expires, " +
			"often hours; stolen from a role session it carries that role's permissions.",
		Fix: "Remove the token and its key pair; let the SDK's default chain fetch fresh temporary credentials " +
			"from the instance role. Revoke the role's active sessions if the token has not expired.",
		Matches: "Long base64 values (at least 100 characters) assigned to aws_session_token, SessionToken, " +
			"security_token or X-Amz-Security-Token (or to Token next to an ASIA key ID, as in instance-metadata " +
			"JSON), or starting with a session token prefix (IQoJb3JpZ2luX2Vj, AgoJb3JpZ2luX2Vj, FwoGZXIvYXdz, " +
			"FQoGZXIvYXdz). Paired with an ASIA key ID where one is near.",
		TruePositives: []Example{
			{Name: ".aws/credentials", Text: "[tmp]\naws_access_key_id = {{ASIA}}\naws_secret_access_key = {{SECRET}}\naws_session_token = {{TOKEN}}\n", Want: 1, Reason: "profile with temporary credentials"},
			{Name: "resp.json", Text: "{\"Credentials\": {\"SessionToken\": \"{{TOKEN}}\"}}\n", Want: 1, Reason: "STS response"},
			{Name: "log.txt", Text: "got {{TOKEN}} from sts\n", Want: 1, Reason: "the token's own prefix is context enough"},
		},
		FalsePositives: []Example{
			{Name: "x.env", Text: "AWS_SESSION_TOKEN=${AWS_SESSION_TOKEN}\n", Reason: "environment lookup"},
			{Name: "x.yaml", Text: "session_token: abc123\n", Reason: "too short to be a session token"},
			{Name: "docs.md", Text: "aws_session_token = AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==\n", Reason: "AWS's documented example token"},
			{Name: "jwt.txt", Text: "session_token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n", Reason: "a JWT is not an AWS session token"},
		},
	}
}
