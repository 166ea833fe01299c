package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixStorageProviderWord checks fix23's items: keys beside a setting
// that picks an S3-compatible service by a word (STORAGE_PROVIDER=minio,
// a compose service's S3_PROVIDER: Wasabi) stay, and so do a .env's keys
// when a configuration file beside it (its folder, or a config folder
// there) sets a custom endpoint or names such a service: the program
// that takes the keys from the environment reads its settings there.
// AWS's own provider, a config file without an endpoint, and one deeper
// in the tree that does not read the keys leave the keys to be fixed.
func TestFixStorageProviderWord(t *testing.T) {
	requireKeyscanOnPath(t)
	env := func(seed uint64, more string) string {
		k := fakekey.New(seed).Values()
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n" + more
	}
	c := fakekey.New(2331).Values()
	fixFolder(t, map[string]string{
		"word/.env": env(2332, "STORAGE_PROVIDER=minio\n"),
		"compose/compose.yaml": "services:\n  app:\n    image: app\n    environment:\n      AWS_ACCESS_KEY_ID: " + c["ID"] +
			"\n      AWS_SECRET_ACCESS_KEY: " + c["SECRET"] + "\n      S3_PROVIDER: Wasabi\n",
		"yaml/.env":               env(2333, ""),
		"yaml/config.yaml":        "storage:\n  endpoint: http://minio:9000\n  bucket: uploads\n",
		"toml/.env":               env(2334, ""),
		"toml/config/app.toml":    "[storage]\nendpoint = \"http://ceph-rgw.internal:7480\"\n",
		"json/.env":               env(2335, ""),
		"json/settings.json":      "{\"s3\": {\"endpoint\": \"https://abc.r2.cloudflarestorage.com\"}}\n",
		"named/.env":              env(2336, ""),
		"named/values.yaml":       "storage:\n  provider: minio\n",
		"aws/.env":                env(2337, "STORAGE_PROVIDER=aws\n"),
		"plain/.env":              env(2338, ""),
		"plain/config.yaml":       "storage:\n  bucket: uploads\n  region: eu-west-1\n",
		"deep/.env":               env(2339, ""),
		"deep/tools/minio/x.yaml": "endpoint: http://minio:9000\n",
	}, []string{
		"(STORAGE_PROVIDER = minio, which names an S3-compatible service other than AWS)",
		"(S3_PROVIDER = Wasabi, which names an S3-compatible service other than AWS)",
		"yaml/config.yaml, a configuration file beside this one, sets endpoint = http://minio:9000",
		"toml/config/app.toml, a configuration file beside this one, sets endpoint = http://ceph-rgw.internal:7480",
		"json/settings.json, a configuration file beside this one, sets endpoint = https://abc.r2.cloudflarestorage.com",
		"named/values.yaml, a configuration file beside this one, sets provider = minio",
	}, "aws/.env", "plain/.env", "deep/.env")
}

// TestFixConfigLayers checks fix23's find: an application's configuration
// file lost its keys when a layer the program loads with it (a Spring
// profile's application-local.yml, a config.development.json) sets a
// custom endpoint: in that profile the keys go to MinIO. A layer without
// an endpoint, or an example, leaves the keys to be fixed.
func TestFixConfigLayers(t *testing.T) {
	requireKeyscanOnPath(t)
	spring := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "cloud:\n  aws:\n    credentials:\n      access-key: " + k["ID"] + "\n      secret-key: " + k["SECRET"] + "\n"
	}
	k := fakekey.New(2373).Values()
	dir := fixFolder(t, map[string]string{
		"spr/src/main/resources/application.yml":       spring(2371),
		"spr/src/main/resources/application-local.yml": "cloud:\n  aws:\n    s3:\n      endpoint: http://localhost:9000\n",
		"node/config.json":                             "{\"s3\": {\"accessKeyId\": \"" + k["ID"] + "\", \"secretAccessKey\": \"" + k["SECRET"] + "\"}}\n",
		"node/config.development.json":                 "{\"s3\": {\"endpoint\": \"http://minio:9000\"}}\n",
		"aws/application.yml":                          spring(2372),
		"aws/application-prod.yml":                     "cloud:\n  aws:\n    region:\n      static: eu-west-1\n",
		"aws/application-example.yml":                  "cloud:\n  aws:\n    s3:\n      endpoint: http://localhost:9000\n",
	}, []string{
		"(endpoint = http://localhost:9000 in spr/src/main/resources/application-local.yml, a configuration file the program loads with this one",
		"(endpoint = http://minio:9000 in node/config.development.json, a configuration file the program loads with this one",
	}, "aws/application.yml")
	if got, _ := os.ReadFile(filepath.Join(dir, "aws/application.yml")); strings.Contains(string(got), "access-key:") {
		t.Errorf("aws/application.yml kept its keys: no layer sets an endpoint:\n%s", got)
	}
}

// TestFixForeignRegion checks fix23's find: a client whose region is one
// AWS does not have (Cloudflare R2's auto) is that service's, in a .env,
// a boto3 call or a JavaScript client's options; an AWS region is fixed.
func TestFixForeignRegion(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c, d := fakekey.New(2381).Values(), fakekey.New(2382).Values(), fakekey.New(2383).Values(), fakekey.New(2384).Values()
	dir := fixFolder(t, map[string]string{
		"env/.env": "AWS_ACCESS_KEY_ID=" + a["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + a["SECRET"] + "\nAWS_REGION=auto\n",
		"py/app.py": "import boto3\n\ns3 = boto3.client(\"s3\", region_name=\"auto\", aws_access_key_id=\"" + b["ID"] +
			"\", aws_secret_access_key=\"" + b["SECRET"] + "\")\n",
		"js/app.js": "const { S3Client } = require(\"@aws-sdk/client-s3\");\nconst c = new S3Client({ region: \"auto\", credentials: { accessKeyId: \"" +
			c["ID"] + "\", secretAccessKey: \"" + c["SECRET"] + "\" } });\n",
		"aws/.env": "AWS_ACCESS_KEY_ID=" + d["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + d["SECRET"] + "\nAWS_REGION=eu-west-1\n",
	}, []string{
		"(AWS_REGION = auto, a region AWS does not have",
		"(region_name=\"auto\", a region AWS does not have)",
		"(region: \"auto\", a region AWS does not have)",
	}, "aws/.env")
	if got, _ := os.ReadFile(filepath.Join(dir, "aws/.env")); strings.Contains(string(got), "AWS_ACCESS_KEY_ID=") {
		t.Errorf("aws/.env kept its keys: eu-west-1 is AWS's:\n%s", got)
	}
}

// TestFixForeignHostInCode checks CLOSING17's Wasabi case: a .env's keys
// stay when code or a script of its folder names the host of an
// S3-compatible service other than AWS, whose regions may be AWS's names
// (Wasabi's us-east-1), however the client gets that address (a constant
// joined later, a transport, a CLI flag). Code that names AWS's own host
// leaves the keys to be fixed.
func TestFixForeignHostInCode(t *testing.T) {
	requireKeyscanOnPath(t)
	env := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\nAWS_REGION=us-east-1\n"
	}
	fixFolder(t, map[string]string{
		"go/.env":     env(2501),
		"go/main.go":  "package main\n\nconst host = \"s3.wasabisys.com\"\n\nfunc main() { println(\"https://\" + host) }\n",
		"rb/.env":     env(2502),
		"rb/store.rb": "HOST = 'us-east-1.linodeobjects.com'\n",
		"sh/.env":     env(2503),
		"sh/sync.sh":  "#!/bin/sh\nrclone sync ./media remote:media --s3-host https://s3.wasabisys.com\n",
		"aws/.env":    env(2504),
		"aws/main.go": "package main\n\nconst host = \"s3.us-east-1.amazonaws.com\"\n\nfunc main() { println(host) }\n",
	}, []string{
		"go/main.go builds a client with a custom endpoint (wasabisys.com, Wasabi's host, named)",
		"rb/store.rb builds a client with a custom endpoint (linodeobjects.com, Linode Object Storage's host, named)",
		"sh/sync.sh sets a custom endpoint (wasabisys.com, Wasabi's host, named)",
	}, "aws/.env")
}
