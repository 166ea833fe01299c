package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixPlatformNeighbours checks qa27 M3: the keys of a settings file
// stay, with the platform's advice, when a file beside it says that the
// program of the folder runs where no EC2 instance role exists: a Cloud
// Function's .env.yaml beside its functions_framework code, an Azure
// Function's local.settings.json, a .env beside fly.toml, a GKE
// Deployment whose ServiceAccount (another file) uses Workload Identity.
// Control: the same .env.yaml beside plain boto3 code is fixed.
func TestFixPlatformNeighbours(t *testing.T) {
	requireKeyscanOnPath(t)
	k := func(seed uint64) map[string]string { return fakekey.New(seed).Values() }
	a, b, c, d, e := k(2761), k(2762), k(2763), k(2764), k(2765)
	envYAML := func(v map[string]string) string {
		return "AWS_ACCESS_KEY_ID: " + v["ID"] + "\nAWS_SECRET_ACCESS_KEY: " + v["SECRET"] + "\n"
	}
	gcf := "import boto3\nimport functions_framework\n\n@functions_framework.http\ndef handler(request):\n    boto3.client(\"s3\").list_buckets()\n    return \"ok\"\n"
	files := map[string]string{
		"gcf/main.py":   gcf,
		"gcf/.env.yaml": envYAML(a),
		"azfn/__init__.py": "import azure.functions as func\nimport boto3\n\ndef main(req: func.HttpRequest) -> func.HttpResponse:\n" +
			"    boto3.client(\"s3\").list_buckets()\n    return func.HttpResponse(\"ok\")\n",
		"azfn/local.settings.json": "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"python\",\n" +
			"    \"AWS_ACCESS_KEY_ID\": \"" + b["ID"] + "\",\n    \"AWS_SECRET_ACCESS_KEY\": \"" + b["SECRET"] + "\"\n  }\n}\n",
		"fly/fly.toml": "app = \"app\"\n\n[http_service]\n  internal_port = 8080\n",
		"fly/.env":     "AWS_ACCESS_KEY_ID=" + c["ID"] + "\nAWS_SECRET_ACCESS_KEY=" + c["SECRET"] + "\n",
		"gke/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n" +
			"    iam.gke.io/gcp-service-account: app@proj.iam.gserviceaccount.com\n",
		"gke/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      serviceAccountName: app\n" +
			"      containers:\n        - name: app\n          image: gcr.io/proj/app\n          env:\n            - name: AWS_ACCESS_KEY_ID\n" +
			"              value: " + d["ID"] + "\n            - name: AWS_SECRET_ACCESS_KEY\n              value: " + d["SECRET"] + "\n",
		"plain/main.py":   "import boto3\n\ndef handler(event, context):\n    boto3.client(\"s3\").list_buckets()\n",
		"plain/.env.yaml": envYAML(e),
	}
	dir := fixFolder(t, files, []string{"gcf/main.py is code of its folder that runs on Google Cloud Functions",
		"Azure Functions (local.settings.json)", "fly/fly.toml deploys the program of its folder to Fly.io", "gke/sa.yaml deploys the program of its folder to Google Kubernetes Engine"},
		"plain/.env.yaml")
	for f, v := range map[string]map[string]string{"gcf/.env.yaml": a, "azfn/local.settings.json": b, "fly/.env": c, "gke/deploy.yaml": d, "plain/.env.yaml": e} {
		got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if kept, want := strings.Contains(string(got), v["SECRET"]), f != "plain/.env.yaml"; kept != want {
			t.Errorf("%s keeps the secret: %v, want %v:\n%s", f, kept, want, got)
		}
	}
}
