package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixDotenvProgramSettings checks fix29's settings files: a .env's
// keys stay when the program's settings beside it, or the service that
// runs it, send its client to MinIO in a form keyscan fix did not read: a
// WinSW service's XML (<env name="AWS_ENDPOINT_URL" value=…/>) in the
// .env's folder or in deploy/windows/ above it, a TOML table named for
// MinIO ([aws.minio]) with no address in it, and a JVM program's HOCON
// src/main/resources/application.conf that reads the keys by name
// (${?AWS_ACCESS_KEY_ID}) beside a top-level endpoint = …; a batch file
// or PowerShell script beside it that installs or starts the program
// with the endpoint (NSSM's AppEnvironmentExtra, $env:), Elastic
// Beanstalk's .ebextensions/*.config, IIS's web.config
// (<environmentVariable>), and an IDE's run configuration that runs the
// program with the .env (.vscode/launch.json's envFile beside env,
// JetBrains' .run/*.run.xml and .idea/runConfigurations/ <env>). Controls: an Ant build.xml with an <env> of
// that name (no service), a [cloudflare] table (that company's other
// products), an application.conf that reads the keys without an
// endpoint, a batch file that sets only a region, a web.config without
// variables and a launch.json without an endpoint leave the keys fixed.
func TestFixDotenvProgramSettings(t *testing.T) {
	requireKeyscanOnPath(t)
	const minio = "http://minio.internal:9000"
	winswXML := func(endpoint string) string {
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service>\n  <id>APP</id>\n  <executable>%BASE%\\APP.exe</executable>\n" +
			"  <env name=\"AWS_REGION\" value=\"eu-west-1\"/>\n  <env\n    name=\"AWS_ENDPOINT_URL\"\n    value=\"" + endpoint + "\" />\n</service>\n"
	}
	hocon := func(top string) string {
		return top + "aws {\n  access-key = ${?AWS_ACCESS_KEY_ID}\n  secret-key = ${?AWS_SECRET_ACCESS_KEY}\n}\n"
	}
	launch := func(env string) string {
		return "{\n  \"configurations\": [{\n    \"type\": \"debugpy\",\n    \"program\": \"app.py\",\n" +
			"    \"envFile\": \"${workspaceFolder}/.env\",\n    \"env\": {" + env + "}\n  }]\n}\n"
	}
	const runXML = "<component name=\"ProjectRunConfigurationManager\">\n  <configuration name=\"app\" type=\"PythonConfigurationType\">\n" +
		"    <envs>\n      <env name=\"AWS_ENDPOINT_URL\" value=\"" + minio + "\" />\n    </envs>\n  </configuration>\n</component>\n"
	// Each project's program folder has a name of its own (APP).
	held := map[string]string{
		"winsw-beside":   "APP/APP.xml=" + winswXML(minio),
		"winsw-above":    "deploy/windows/APP.xml=" + winswXML(minio),
		"toml-table":     "APP/config.toml=[aws.minio]\nbucket = \"backups\"\nregion = \"us-east-1\"\n",
		"hocon-toplevel": "APP/src/main/resources/application.conf=" + hocon("endpoint = \""+minio+"\"\n"),
		// Windows scripts that install or start the program, Elastic
		// Beanstalk's settings, IIS's web.config
		"nssm-bat":       "APP/install.bat=@echo off\r\nnssm install APP python app.py\r\nnssm set APP AppEnvironmentExtra AWS_ENDPOINT_URL=" + minio + "\r\n",
		"powershell-env": "APP/run.ps1=$env:AWS_ENDPOINT_URL = \"" + minio + "\"\npython app.py\n",
		"eb-extensions":  "APP/.ebextensions/env.config=option_settings:\n  aws:elasticbeanstalk:application:environment:\n    AWS_ENDPOINT_URL: " + minio + "\n",
		// an IDE's run configurations, which run the program with the .env
		"vscode-launch":  "APP/.vscode/launch.json=" + launch("\"AWS_ENDPOINT_URL\": \""+minio+"\""),
		"jetbrains-run":  "APP/.run/APP.run.xml=" + runXML,
		"jetbrains-idea": "APP/.idea/runConfigurations/APP.xml=" + runXML,
		"iis-web-config": "APP/web.config=<configuration>\n  <system.webServer>\n    <aspNetCore processPath=\"dotnet\">\n      <environmentVariables>\n" +
			"        <environmentVariable name=\"AWS_ENDPOINT_URL\" value=\"" + minio + "\" />\n      </environmentVariables>\n    </aspNetCore>\n  </system.webServer>\n</configuration>\n",
	}
	fixed := map[string]string{
		"ant-build":         "APP/build.xml=<project name=\"APP\">\n  <exec executable=\"APP\">\n    <env name=\"AWS_ENDPOINT_URL\" value=\"" + minio + "\"/>\n  </exec>\n</project>\n",
		"toml-cloudflare":   "APP/config.toml=[cloudflare]\nzone = \"example.com\"\n",
		"hocon-no-endpoint": "APP/src/main/resources/application.conf=" + hocon("region = \"eu-west-1\"\n"),
		"vscode-plain":      "APP/.vscode/launch.json=" + launch("\"LOG_LEVEL\": \"debug\""),
		"bat-region-only":   "APP/install.bat=nssm set APP AppEnvironmentExtra AWS_REGION=eu-west-1\r\n",
		"web-config-plain":  "APP/web.config=<configuration>\n  <appSettings>\n    <add key=\"Bucket\" value=\"backups\" />\n  </appSettings>\n</configuration>\n",
	}
	files := map[string]string{}
	secrets := map[string]string{}
	var changed []string
	seed := uint64(2900)
	for _, set := range []map[string]string{held, fixed} {
		for project, conf := range set {
			seed++
			k := fakekey.New(seed).Values()
			app := strings.ReplaceAll(project, "-", "") + "app"
			env := project + "/" + app + "/.env"
			files[env] = "AWS_ACCESS_KEY_ID=" + k["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + k["SECRET"] + "\n"
			name, content, _ := strings.Cut(strings.ReplaceAll(conf, "APP", app), "=")
			files[project+"/"+name] = content
			if _, ok := fixed[project]; ok {
				changed = append(changed, env)
				secrets[env] = k["SECRET"]
			}
		}
	}
	var wants []string
	for project := range held {
		wants = append(wants, project+"/")
	}
	wants = append(wants, "a table named for minio", "reads these keys from the environment by name and sets endpoint = "+minio,
		"AWS_ENDPOINT_URL = "+minio)
	dir := fixFolder(t, files, wants, changed...)
	for env, secret := range secrets {
		if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(env))); strings.Contains(string(got), secret) {
			t.Errorf("%s kept its keys, though no setting of its program names an endpoint:\n%s", env, got)
		}
	}
}
