package main

import (
	"os"
	"path/filepath"
	"strings"
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
		"turn the instance metadata service off (AWS_EC2_METADATA_DISABLED, set in the code (os.environ[\"AWS_EC2_METADATA_DISABLED\"] = \"true\"), in job/run.py)",
	})
}

// TestFixMetadataOffInOtherCode checks review15 C-1 and C-7: a Go or Ruby
// program that loads a .env and turns the instance metadata service off
// keeps the .env's keys (CodeEndpoint returned before the check for
// those languages); a program that only reads the variable, or sets it
// to false, has the instance role, and its .env is fixed (the keys were
// held with an untrue reason).
func TestFixMetadataOffInOtherCode(t *testing.T) {
	requireKeyscanOnPath(t)
	env := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	dir := fixFolder(t, map[string]string{
		"goapp/.env": env(2291),
		"goapp/main.go": "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/joho/godotenv\"\n)\n\nfunc main() {\n\tgodotenv.Load()\n" +
			"\tos.Setenv(\"AWS_EC2_METADATA_DISABLED\", \"true\")\n}\n",
		"rb/.env":     env(2292),
		"rb/app.rb":   "require \"dotenv/load\"\nrequire \"aws-sdk-s3\"\n\nENV[\"AWS_EC2_METADATA_DISABLED\"] = \"true\"\nAws::S3::Client.new\n",
		"pyread/.env": env(2293),
		"pyread/run.py": "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\nif os.environ.get(\"AWS_EC2_METADATA_DISABLED\"):\n" +
			"    print(\"no instance metadata\")\nimport boto3\n\ns3 = boto3.client(\"s3\")\n",
		"gofalse/.env": env(2294),
		"gofalse/main.go": "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/joho/godotenv\"\n)\n\nfunc main() {\n\tgodotenv.Load()\n" +
			"\tos.Setenv(\"AWS_EC2_METADATA_DISABLED\", \"false\")\n}\n",
	}, []string{
		"turn the instance metadata service off (AWS_EC2_METADATA_DISABLED, set in the code (os.Setenv(\"AWS_EC2_METADATA_DISABLED\", \"true\")), in goapp/main.go)",
		"turn the instance metadata service off (AWS_EC2_METADATA_DISABLED, set in the code (ENV[\"AWS_EC2_METADATA_DISABLED\"] = \"true\"), in rb/app.rb)",
	}, "pyread/.env", "gofalse/.env")
	for _, n := range []string{"pyread/.env", "gofalse/.env"} {
		got, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(got), "AWS_ACCESS_KEY_ID=") {
			t.Errorf("%s kept its keys: the program does not turn the metadata service off:\n%s", n, got)
		}
	}
}

// TestFixDockerfileLegacyEnv checks review15 C-2: a Dockerfile's older
// ENV NAME value form turns the metadata service off, or asks for
// path-style addressing, as ENV NAME=value does: the keys stay. false is
// no such setting: those keys go.
func TestFixDockerfileLegacyEnv(t *testing.T) {
	requireKeyscanOnPath(t)
	docker := func(seed uint64, setting string) string {
		k := fakekey.New(seed).Values()
		return "FROM python:3.12\nENV AWS_ACCESS_KEY_ID " + k["ID"] + "\nENV AWS_SECRET_ACCESS_KEY " + k["SECRET"] + "\n" + setting +
			"\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n"
	}
	dir := fixFolder(t, map[string]string{
		"imds/Dockerfile":  docker(2295, "ENV AWS_EC2_METADATA_DISABLED true"),
		"minio/Dockerfile": docker(2296, "ENV AWS_USE_PATH_STYLE_ENDPOINT true"),
		"plain/Dockerfile": docker(2297, "ENV AWS_EC2_METADATA_DISABLED false"),
	}, []string{
		"imds/Dockerfile:2:",
		"turn the instance metadata service off (AWS_EC2_METADATA_DISABLED = true)",
		"minio/Dockerfile:2:",
		"AWS_USE_PATH_STYLE_ENDPOINT = true",
	}, "plain/Dockerfile")
	if got, _ := os.ReadFile(filepath.Join(dir, "plain/Dockerfile")); strings.Contains(string(got), "ENV AWS_ACCESS_KEY_ID") {
		t.Errorf("plain/Dockerfile kept its keys with the metadata service on:\n%s", got)
	}
}

// TestFixTerraformSwitchNotFalse checks review15 C-5: a provider whose
// skip_metadata_api_check is a variable, or whose path-style switch is
// the quoted "true", may run without the instance metadata service or
// against MinIO: its keys stay. A literal false is fixed.
func TestFixTerraformSwitchNotFalse(t *testing.T) {
	requireKeyscanOnPath(t)
	tf := func(seed uint64, setting string) string {
		k := fakekey.New(seed).Values()
		return "provider \"aws\" {\n  region     = \"eu-west-1\"\n  access_key = \"" + k["ID"] + "\"\n  secret_key = \"" + k["SECRET"] + "\"\n  " + setting + "\n}\n"
	}
	dir := fixFolder(t, map[string]string{
		"offline/main.tf": tf(2298, "skip_metadata_api_check = var.offline"),
		"minio/main.tf":   tf(2299, "s3_use_path_style = \"true\""),
		"plain/main.tf":   tf(2300, "skip_metadata_api_check = false"),
	}, []string{
		"offline/main.tf:3:",
		"the block sets skip_metadata_api_check = var.offline",
		"minio/main.tf:3:",
		"s3_use_path_style = \"true\"",
	}, "plain/main.tf")
	if got, _ := os.ReadFile(filepath.Join(dir, "plain/main.tf")); strings.Contains(string(got), "access_key") {
		t.Errorf("plain/main.tf kept its keys with skip_metadata_api_check = false:\n%s", got)
	}
}

// TestFixMetadataOffHelper checks fix23's item: code that names
// AWS_EC2_METADATA_DISABLED as the argument of a helper keyscan does not
// know (which may set it to true) keeps a .env's keys, saying keyscan
// cannot tell; code that unsets it has the instance role, and its .env is
// fixed.
func TestFixMetadataOffHelper(t *testing.T) {
	requireKeyscanOnPath(t)
	env := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	dir := fixFolder(t, map[string]string{
		"helper/.env": env(2351),
		"helper/app.py": "from dotenv import load_dotenv\nfrom flags import set_flag\n\nload_dotenv()\nset_flag(\"AWS_EC2_METADATA_DISABLED\")\n" +
			"import boto3\n\ns3 = boto3.client(\"s3\")\n",
		"unset/.env":   env(2352),
		"unset/app.py": "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\nos.unsetenv(\"AWS_EC2_METADATA_DISABLED\")\n",
	}, []string{
		"helper/.env:1:19: aws-access-key-id",
		"may turn the instance metadata service off (AWS_EC2_METADATA_DISABLED, named in the code where keyscan cannot tell whether it is set to true",
	}, "unset/.env")
	if got, _ := os.ReadFile(filepath.Join(dir, "unset/.env")); strings.Contains(string(got), "AWS_ACCESS_KEY_ID=") {
		t.Errorf("unset/.env kept its keys: the program turns nothing off:\n%s", got)
	}
}

// TestFixMetadataOffSwitches checks fix24's item: a program that turns the
// instance metadata service off by its SDK's own switch, not naming
// AWS_EC2_METADATA_DISABLED (a Java system property, aws-sdk-go-v2's
// imds.ClientDisabled), has no credentials on the instance role either:
// the keys of the .env it loads stay. A Java program that reads the
// property only is fixed.
func TestFixMetadataOffSwitches(t *testing.T) {
	requireKeyscanOnPath(t)
	env := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
	}
	java := func(line string) string {
		return "package app;\n\npublic class App {\n  public static void main(String[] a) {\n    " + line +
			"\n    var s3 = software.amazon.awssdk.services.s3.S3Client.create();\n  }\n}\n"
	}
	dir := fixFolder(t, map[string]string{
		"java/.env":     env(2421),
		"java/App.java": java(`System.setProperty("aws.disableEc2Metadata", "true");`),
		"go/.env":       env(2422),
		"go/main.go": "package main\n\nimport (\n\t\"context\"\n\n\t\"github.com/aws/aws-sdk-go-v2/config\"\n\t\"github.com/aws/aws-sdk-go-v2/feature/ec2/imds\"\n" +
			"\t\"github.com/joho/godotenv\"\n)\n\nfunc main() {\n\tgodotenv.Load()\n\tconfig.LoadDefaultConfig(context.Background(),\n" +
			"\t\tconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled))\n}\n",
		"read/.env":     env(2423),
		"read/App.java": java(`String off = System.getProperty("aws.disableEc2Metadata");`),
	}, []string{
		"java/.env:1:19: aws-access-key-id",
		`the SDK's own switch for AWS_EC2_METADATA_DISABLED, set in the code (System.setProperty("aws.disableEc2Metadata", "true");)`,
		"go/.env:1:19: aws-access-key-id",
		"the SDK's own switch for AWS_EC2_METADATA_DISABLED, set in the code (config.WithEC2IMDSClientEnableState(imds.ClientDisabled))",
	}, "read/.env")
	if got, _ := os.ReadFile(filepath.Join(dir, "read/.env")); strings.Contains(string(got), "AWS_ACCESS_KEY_ID=") {
		t.Errorf("read/.env kept its keys: the program only reads the property:\n%s", got)
	}
}
