package main

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixMetadataOffElsewhere checks fix22's find: keys of a .env file
// stay when what loads them turns the instance metadata service off
// (AWS_EC2_METADATA_DISABLED=true): the compose service that takes it as
// its env_file, or the code of its folder. Without the keys such a
// program has no credentials at all.
func TestFixMetadataOffElsewhere(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b := fakekey.New(2211).Values(), fakekey.New(2212).Values()
	fixFolder(t, map[string]string{
		"svc/aws.env": "AWS_ACCESS_KEY_ID=" + a["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + a["SECRET"] + "\n",
		"svc/compose.yaml": "services:\n  app:\n    image: app\n    env_file: aws.env\n    environment:\n" +
			"      AWS_EC2_METADATA_DISABLED: \"true\"\n",
		"job/.env": "AWS_ACCESS_KEY_ID=" + b["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + b["SECRET"] + "\n",
		"job/run.py": "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\nos.environ[\"AWS_EC2_METADATA_DISABLED\"] = \"true\"\n" +
			"import boto3\n\ns3 = boto3.client(\"s3\")\n",
	}, []string{
		"svc/aws.env:1:19: aws-access-key-id",
		"turn the instance metadata service off (AWS_EC2_METADATA_DISABLED = true in svc/compose.yaml",
		"turn the instance metadata service off (AWS_EC2_METADATA_DISABLED, named in the code, in job/run.py)",
	})
}
