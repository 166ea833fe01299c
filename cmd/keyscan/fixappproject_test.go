package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixAppConfigProject checks fix26's item (CLOSING18: an application's
// config.yaml beside a compose file that points the app at Linode lost its
// keys, the rules that read neighbours applying to .env files only): the
// keys of an application's configuration file stay when the project around
// it runs an S3-compatible service or sets a custom endpoint in a compose
// file, a Dockerfile or a dotenv file of its folder or a folder above it.
// An unrelated setting, or an endpoint only in an example, leaves them to
// be fixed. Each case is a folder fixed alone: composeAbove reads the
// compose files of every folder of the tree.
func TestFixAppConfigProject(t *testing.T) {
	requireKeyscanOnPath(t)
	yamlKeys := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "storage:\n  region: us-east-1\n  access_key_id: " + k["ID"] + "\n  secret_access_key: " + k["SECRET"] + "\n"
	}
	jsonKeys := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "{\"s3\": {\"accessKeyId\": \"" + k["ID"] + "\", \"secretAccessKey\": \"" + k["SECRET"] + "\"}}\n"
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // "" when the configuration file is fixed
	}{
		{"linode", map[string]string{
			"config.yaml":        yamlKeys(2611),
			"docker-compose.yml": "services:\n  app:\n    build: .\n    environment:\n      S3_ENDPOINT: https://us-east-1.linodeobjects.com\n",
		}, "S3_ENDPOINT = https://us-east-1.linodeobjects.com in "},
		{"minio-service-above", map[string]string{
			"app/config/settings.json": jsonKeys(2612),
			"compose.yaml":             "services:\n  app:\n    build: app\n  storage:\n    image: minio/minio\n",
		}, "the compose project runs"},
		{"dockerfile-above", map[string]string{
			"svc/conf/app.yaml": yamlKeys(2613),
			"svc/Dockerfile":    "FROM scratch\nENV AWS_ENDPOINT_URL=http://ceph-rgw.internal:7480\n",
		}, "ceph-rgw.internal"},
		{"dotenv-beside", map[string]string{
			"config.json": jsonKeys(2614),
			".env":        "AWS_ENDPOINT_URL=http://localhost:4566\n",
		}, "localhost:4566"},
		{"unrelated-compose", map[string]string{
			"config.yaml":  yamlKeys(2615),
			"compose.yaml": "services:\n  app:\n    build: .\n    environment:\n      LOG_LEVEL: debug\n",
		}, ""},
		{"example-only", map[string]string{
			"config.json":  jsonKeys(2616),
			".env.example": "AWS_ENDPOINT_URL=http://localhost:4566\n",
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var target string
			for n := range tc.files {
				if n != "docker-compose.yml" && n != "compose.yaml" && n != ".env" && n != ".env.example" && n != "svc/Dockerfile" {
					target = n
				}
			}
			if tc.want != "" {
				fixFolder(t, tc.files, []string{tc.want})
				return
			}
			dir := t.TempDir()
			for n, s := range tc.files {
				writeRepoFile(t, dir, n, s)
			}
			if r := runCmd(t, dir, nil, "keyscan", "fix", "--write", "."); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "rewrote "+target) {
				t.Errorf("fix --write: exit %d, want 0 and %s rewritten\n%s%s", r.code, target, r.stdout, r.stderr)
			}
		})
	}
}
