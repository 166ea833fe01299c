package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixDotenvRunByUnitAbove checks CLOSING19's open fix items: a systemd
// unit, a supervisord program or a launchd job that sets a MinIO endpoint
// holds a .env's keys when it lies above the .env's folder (the project's
// root, deploy/systemd/, etc/supervisor/conf.d/, Library/LaunchAgents/) or
// names the .env wherever it is, as one below it did (qa21 H2); a launchd
// job's property list below the folder counts too, and a supervisord
// program is told by its [program:] section when no path names supervisor.
// Controls: a unit inside another project's folder, and a unit above
// that sets only an AWS region, leave the keys fixed.
func TestFixDotenvRunByUnitAbove(t *testing.T) {
	requireKeyscanOnPath(t)
	const minio = "http://minio.internal:9000"
	plist := func(endpoint string) string {
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>com.example.app</string>\n" +
			"  <key>EnvironmentVariables</key>\n  <dict>\n    <key>AWS_ENDPOINT_URL</key>\n    <string>" + endpoint + "</string>\n  </dict>\n</dict>\n</plist>\n"
	}
	// Each project's program folder has a name of its own (APP), so that a
	// unit naming one .env names no other project's.
	held := map[string]string{
		"root-unit":      "APP.service=[Service]\nEnvironment=AWS_ENDPOINT_URL=" + minio + "\nExecStart=/usr/bin/python3 app.py\n",
		"deploy-systemd": "deploy/systemd/APP.service=[Service]\nEnvironment=\"LANG=C\" \"AWS_ENDPOINT_URL=" + minio + "\"\n",
		"etc-supervisor": "etc/supervisor/conf.d/APP.conf=[program:APP]\ncommand=python app.py\nenvironment=AWS_ENDPOINT_URL=\"" + minio + "\"\n",
		"program-conf":   "ops/APP.conf=[program:APP]\ncommand=python app.py\nenvironment=LANG=\"C\",AWS_ENDPOINT_URL=" + minio + "\n",
		"launch-agents":  "Library/LaunchAgents/com.example.APP.plist=" + plist(minio),
		"launchd-below":  "APP/launchd/com.example.APP.plist=" + plist(minio),
		"names-the-env":  "billing/units/x.service=[Service]\nEnvironmentFile=/srv/APP/.env\nEnvironment=AWS_ENDPOINT_URL=" + minio + "\n",
		// the endpoint in another environment file the unit above loads
		"envfile-above": "deploy/APP.service=[Service]\nEnvironmentFile=/srv/APP/.env\nEnvironmentFile=-/srv/APP/storage.env\n",
	}
	fixed := map[string]string{
		"sibling-project": "billing/deploy/billing.service=[Service]\nEnvironment=AWS_ENDPOINT_URL=" + minio + "\n",
		"aws-region-only": "deploy/APP.service=[Service]\nEnvironment=AWS_REGION=eu-west-1\n",
	}
	files := map[string]string{}
	secrets := map[string]string{}
	var changed []string
	seed := uint64(2710)
	for _, set := range []map[string]string{held, fixed} {
		for project, unit := range set {
			seed++
			k := fakekey.New(seed).Values()
			app := strings.ReplaceAll(project, "-", "") + "app"
			env := project + "/" + app + "/.env"
			files[env] = "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
			files[project+"/"+app+"/app.py"] = "import boto3\ns3 = boto3.client(\"s3\")\n"
			name, content, _ := strings.Cut(strings.ReplaceAll(unit, "APP", app), "=")
			files[project+"/"+name] = content
			if set[project] == fixed[project] {
				changed = append(changed, env)
				secrets[env] = k["SECRET"]
			}
		}
	}
	files["envfile-above/deploy/storage.env"] = "AWS_ENDPOINT_URL=" + minio + "\n"
	var wants []string
	for project := range held {
		wants = append(wants, project+"/")
	}
	dir := fixFolder(t, files, append(wants, "a service unit that may run the program of this file"), changed...)
	for env, secret := range secrets {
		if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(env))); strings.Contains(string(got), secret) {
			t.Errorf("%s kept its keys, though no unit of its program sets an endpoint:\n%s", env, got)
		}
	}
}
