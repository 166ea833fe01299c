package scanner_test

import "testing"

// A secret handed by position to an SDK's credentials constructor, the key
// ID from a variable or the environment (qa10 MEDIUM-10): found by the
// constructor's name and the argument's place alone, whatever words stand
// around the call (sdkcall.go). Each file holds nothing else of AWS.
func sdkCallPositiveCases() []formatCase {
	return []formatCase{
		{name: "java/v1-basic-var", file: "Upload.java", want: "SECRET", text: "var creds = new BasicAWSCredentials(id, \"{{SECRET}}\");\n"},
		{name: "java/v1-basic-lines", file: "Upload.java", want: "SECRET", text: "var creds = new BasicAWSCredentials(\n        settings.getKeyId(),\n        \"{{SECRET}}\");\n"},
		{name: "java/v1-session", file: "Upload.java", want: "SECRET", text: "var creds = new BasicSessionCredentials(keyId, \"{{SECRET}}\", sessionToken);\n"},
		{name: "java/v2-basic-create", file: "Upload.java", want: "SECRET", text: "var p = StaticCredentialsProvider.create(AwsBasicCredentials.create(id, \"{{SECRET}}\"));\n"},
		{name: "java/v2-session-create", file: "Upload.java", want: "SECRET", text: "var c = AwsSessionCredentials.create(keyId, \"{{SECRET}}\", token);\n"},
		{name: "kotlin/v1-basic", file: "Upload.kt", want: "SECRET", text: "val creds = BasicAWSCredentials(keyId, \"{{SECRET}}\")\n"},
		{name: "dotnet/basic", file: "Upload.cs", want: "SECRET", text: "var creds = new BasicAWSCredentials(accessKey, \"{{SECRET}}\");\n"},
		{name: "dotnet/basic-qualified", file: "Upload.cs", want: "SECRET", text: "var creds = new Amazon.Runtime.BasicAWSCredentials(accessKey, \"{{SECRET}}\");\n"},
		{name: "dotnet/session", file: "Upload.cs", want: "SECRET", text: "var creds = new SessionAWSCredentials(accessKey, \"{{SECRET}}\", token);\n"},
		{name: "dotnet/s3-client-region", file: "Upload.cs", want: "SECRET", text: "var client = new AmazonS3Client(accessKey, \"{{SECRET}}\", RegionEndpoint.USEast1);\n"},
		{name: "dotnet/dynamodb-client-config", file: "Store.cs", want: "SECRET", text: "using var db = new AmazonDynamoDBClient(keyId, \"{{SECRET}}\", new AmazonDynamoDBConfig { RegionEndpoint = RegionEndpoint.EUWest1 });\n"},
		{name: "dotnet/client-factory", file: "Old.cs", want: "SECRET", text: "var s3 = AWSClientFactory.CreateAmazonS3Client(keyId, \"{{SECRET}}\");\n"},
		{name: "js/v2-credentials", file: "upload.js", want: "SECRET", text: "const creds = new AWS.Credentials(keyId, \"{{SECRET}}\");\n"},
		{name: "js/v2-credentials-env", file: "upload.js", want: "SECRET", text: "AWS.config.credentials = new AWS.Credentials(process.env.KEY_ID, '{{SECRET}}', null);\n"},
		{name: "rust/credentials-new", file: "src/main.rs", want: "SECRET", text: "let creds = Credentials::new(key_id, \"{{SECRET}}\", None, None, \"static\");\n"},
		{name: "rust/credentials-qualified", file: "src/main.rs", want: "SECRET", text: "let creds = aws_sdk_s3::config::Credentials::new(&key_id, \"{{SECRET}}\", None, None);\n"},
		{name: "rust/from-keys", file: "src/main.rs", want: "SECRET", text: "let creds = Credentials::from_keys(key_id, \"{{SECRET}}\", None);\n"},
		{name: "rust/rusoto", file: "src/main.rs", want: "SECRET", text: "let creds = AwsCredentials::new(key, \"{{SECRET}}\", None, None);\n"},
		{name: "python/boto3-session", file: "job.py", want: "SECRET", text: "session = boto3.Session(os.environ[\"KEY_ID\"], \"{{SECRET}}\")\n"},
		{name: "python/boto3-session-module", file: "job.py", want: "SECRET", text: "session = boto3.session.Session(key_id, \"{{SECRET}}\", None, \"eu-west-1\")\n"},
		{name: "python/boto3-client-positional", file: "job.py", want: "SECRET", text: "s3 = boto3.client(\"s3\", \"eu-west-1\", None, True, None, None, key_id, \"{{SECRET}}\")\n"},
		{name: "python/botocore-credentials", file: "job.py", want: "SECRET", text: "creds = botocore.credentials.Credentials(key_id, \"{{SECRET}}\")\n"},
		{name: "markdown/go-v2-provider", file: "README.md", want: "SECRET", text: "```go\nprovider := credentials.NewStaticCredentialsProvider(keyID, \"{{SECRET}}\", \"\")\n```\n"},
		{name: "markdown/go-v1-static", file: "docs/setup.md", want: "SECRET", text: "    creds := credentials.NewStaticCredentials(os.Getenv(\"KEY_ID\"), \"{{SECRET}}\", \"\")\n"},
		{name: "php/credentials-fully-qualified", file: "upload.php", want: "SECRET", text: "<?php\n$c = new \\Aws\\Credentials\\Credentials($keyId, '{{SECRET}}');\n"},
		{name: "ruby/credentials-new", file: "upload.rb", want: "SECRET", text: "creds = Aws::Credentials.new(key_id, '{{SECRET}}')\n"},
		{name: "cpp/aws-credentials", file: "upload.cpp", want: "SECRET", text: "Aws::Auth::AWSCredentials creds(keyId, \"{{SECRET}}\");\n"},
		// A session's client by position (detect3's leftover).
		{name: "python/session-client-positional", file: "job.py", want: "SECRET", text: "import boto3\n\nsession = boto3.session.Session()\ns3 = session.client('s3', 'us-east-1', None, False, None, None, KEY, '{{SECRET}}')\n"},
		{name: "python/session-resource-positional-lines", file: "job.py", want: "SECRET", text: "import boto3\n\ndef make(sess):\n    return sess.resource(\n        \"s3\", \"us-east-1\", None, True, None, None,\n        os.environ[\"KEY\"],\n        \"{{SECRET}}\",\n    )\n"},
		// An ambiguous name counts in a file that imports the SDK.
		{name: "rust/credentials-sdk-imported", file: "src/main.rs", want: "SECRET", text: "use aws_credential_types::Credentials;\n\n\n\n\n\n\n\nfn creds(key_id: String) -> Credentials {\n    Credentials::new(key_id, \"{{SECRET}}\", None, None, PROVIDER)\n}\n"},
	}
}

// The near misses: a value of a secret's shape beside such a call but not
// in the secret's place, a constructor of another library with the same
// name, another service's key pair, placeholders and AWS's examples.
func sdkCallNegativeCases() []formatCase {
	return []formatCase{
		{name: "java/secret-in-first-place", file: "Upload.java", text: "var creds = new BasicAWSCredentials(\"{{SECRET}}\", keyId);\n"},
		{name: "java/third-place-of-session", file: "Upload.java", text: "var creds = new BasicSessionCredentials(keyId, secretKey, \"{{SECRET}}\");\n"},
		{name: "java/after-the-call", file: "Upload.java", text: "var creds = new BasicAWSCredentials(keyId, secretKey); String other = \"{{SECRET}}\";\n"},
		{name: "java/minio-key-pair", file: "Upload.java", text: "var creds = new BasicAWSCredentials(\"minioadmin\", \"{{SECRET}}\");\n"},
		{name: "java/placeholder", file: "Upload.java", text: "var creds = new BasicAWSCredentials(keyId, \"YOUR_SECRET_ACCESS_KEY_GOES_HERE_PLEASE12\");\n"},
		{name: "java/documented-example", file: "Upload.java", text: "var creds = new BasicAWSCredentials(keyId, \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\");\n"},
		{name: "dotnet/network-credential", file: "Mail.cs", text: "var login = new NetworkCredential(user, \"{{SECRET}}\");\n"},
		{name: "dotnet/minio-client", file: "Store.cs", text: "var s3 = new AmazonS3Client(\"minio-ci\", \"{{SECRET}}\", new AmazonS3Config { ServiceURL = \"http://minio:9000\", ForcePathStyle = true });\n"},
		{name: "rust/lettre-smtp-login", file: "src/mail.rs", text: "let creds = Credentials::new(\"mailer\".to_string(), \"{{SECRET}}\".to_string());\n"},
		{name: "python/google-oauth-credentials", file: "drive.py", text: "from google.oauth2.credentials import Credentials\n\ncreds = Credentials(access_token, \"{{SECRET}}\", token_uri=TOKEN_URI)\n"},
		{name: "python/boto3-client-key-id-place", file: "job.py", text: "s3 = boto3.client(\"s3\", region, None, True, None, None, \"{{SECRET}}\")\n"},
		{name: "python/boto3-keyword-other-value", file: "job.py", text: "s3 = boto3.client(\"s3\", key_id, \"{{SECRET}}\")\n"},
		{name: "python/boto3-client-minio-sixth", file: "job.py", text: "import boto3\ns3 = boto3.client(\"s3\", \"us-east-1\", None, False, None, \"http://minio:9000\", KEY, \"{{SECRET}}\")\n"},
		{name: "python/session-client-minio-sixth", file: "job.py", text: "import boto3\nsession = boto3.Session()\ns3 = session.client(\"s3\", \"us-east-1\", None, False, None, \"https://s3.wasabisys.com\", KEY, \"{{SECRET}}\")\n"},
		{name: "python/session-client-second-place", file: "job.py", text: "import boto3\nsession = boto3.Session()\ns3 = session.client(\"s3\", \"{{SECRET}}\")\n"},
		{name: "python/client-method-without-boto3", file: "api.py", text: "class Api:\n    def f(self, key):\n        return self.client(\"s3\", \"us-east-1\", None, False, None, None, key, \"{{SECRET}}\")\n"},
		{name: "js/credentials-of-another-library", file: "login.js", text: "const c = new Credentials(user, \"{{SECRET}}\");\n"},
	}
}

func TestSDKCallPositive(t *testing.T) { runCases(t, sdkCallPositiveCases()) }
func TestSDKCallNegative(t *testing.T) { runCases(t, sdkCallNegativeCases()) }
