package main

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixDeploymentsAsGoFix checks qa27 M6: keyscan fix keeps, with the
// advice to give the task or service a role of its own, the keys of a
// deployment description that go fix withholds its fix for (an ECS task
// definition for FARGATE with no taskRoleArn, a Copilot service's
// manifest, an App Runner apprunner.yaml), and fixes an ECS task
// definition on the EC2 launch type with no task role, which go fix moves
// to the instance role too: for each file, keyscan fix keeps the keys
// exactly when analyzer's table names the deployment.
func TestFixDeploymentsAsGoFix(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	a, b, c, d := k(2771), k(2772), k(2773), k(2774)
	taskDef := func(compat string, v map[string]string) string {
		return `{"family":"app","requiresCompatibilities":["` + compat + `"],"containerDefinitions":[{"name":"app","image":"app",` +
			`"environment":[{"name":"AWS_ACCESS_KEY_ID","value":"` + v["ID"] + `"},{"name":"AWS_SECRET_ACCESS_KEY","value":"` + v["SECRET"] + `"}]}]}` + "\n"
	}
	files := map[string]string{
		"fargate/taskdef.json": taskDef("FARGATE", a),
		"copilot/api/manifest.yml": "name: api\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 8080\nvariables:\n" +
			"  AWS_ACCESS_KEY_ID: " + b["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + b["SECRET"] + "\n",
		"apprunner/apprunner.yaml": "version: 1.0\nruntime: python3\nrun:\n  command: python app.py\n  env:\n    - name: AWS_ACCESS_KEY_ID\n" +
			"      value: \"" + c["ID"] + "\"\n    - name: AWS_SECRET_ACCESS_KEY\n      value: \"" + c["SECRET"] + "\"\n",
		"ec2/taskdef.json": taskDef("EC2", d),
	}
	dir := fixFolder(t, files, []string{"give the task a role of its own (taskRoleArn", "it runs as an ECS task on Fargate",
		"a Copilot Load Balanced Web Service", "give the service an instance role", "go fix withholds its fix there too"}, "ec2/taskdef.json")
	for f, v := range map[string]map[string]string{"fargate/taskdef.json": a, "copilot/api/manifest.yml": b, "apprunner/apprunner.yaml": c, "ec2/taskdef.json": d} {
		got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		goFix := analyzer.NoMetadataDeployment([]byte(files[f]), f, path.Base(f)) == ""
		if kept := strings.Contains(string(got), v["SECRET"]); kept == goFix {
			t.Errorf("%s keeps the secret: %v, and go fix moves it to the instance role: %v:\n%s", f, kept, goFix, got)
		}
		if f == "ec2/taskdef.json" && !goFix {
			t.Errorf("go fix withholds for a task on the EC2 launch type with no task role")
		}
	}
}
