package fix_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/rules"
)

// TestHostingPlatform checks qa26 M5: the keys in the deployment file of
// a platform with no EC2 instance role (Render, Vercel, DigitalOcean App
// Platform, Cloud Run, App Engine, Heroku, Fly.io, Railway, Azure App
// Service) and in code that runs as a Google Cloud Function stay for a
// person with that platform's advice; a plain Kubernetes Deployment (EKS
// on EC2 nodes), a compose file and boto3 code of no such platform are
// still fixed.
func TestHostingPlatform(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(2611).Values()
	const py = "s3 = boto3.client(\n    \"s3\",\n    aws_access_key_id=\"{{ID}}\",\n    aws_secret_access_key=\"{{SECRET}}\",\n)\n"
	for _, tc := range []struct {
		name, file, text string
		kept             string // a word of the reason; "" when fixed
	}{
		{"render", "render.yaml", "services:\n  - type: web\n    name: app\n    runtime: node\n    envVars:\n      - key: AWS_ACCESS_KEY_ID\n        value: {{ID}}\n" +
			"      - key: AWS_SECRET_ACCESS_KEY\n        value: {{SECRET}}\n", "Render"},
		{"vercel", "vercel.json", "{\n  \"env\": {\n    \"AWS_ACCESS_KEY_ID\": \"{{ID}}\",\n    \"AWS_SECRET_ACCESS_KEY\": \"{{SECRET}}\"\n  }\n}\n", "oidc.vercel.com"},
		{"digitalocean", ".do/app.yaml", "name: app\nservices:\n  - name: web\n    envs:\n      - key: AWS_ACCESS_KEY_ID\n        value: {{ID}}\n" +
			"      - key: AWS_SECRET_ACCESS_KEY\n        value: {{SECRET}}\n", "type: SECRET"},
		{"digitalocean deploy template", ".do/deploy.template.yaml", "spec:\n  name: app\n  services:\n  - name: web\n    envs:\n    - key: AWS_ACCESS_KEY_ID\n      value: {{ID}}\n" +
			"    - key: AWS_SECRET_ACCESS_KEY\n      value: {{SECRET}}\n", "DigitalOcean"},
		{"cloud run", "service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - image: gcr.io/p/app\n          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: {{ID}}\n" +
			"            - name: AWS_SECRET_ACCESS_KEY\n              value: {{SECRET}}\n", "workload identity federation"},
		{"app engine", "app.yaml", "runtime: python312\nenv_variables:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", "App Engine"},
		{"heroku app.json", "app.json", "{\n  \"name\": \"app\",\n  \"buildpacks\": [{\"url\": \"heroku/python\"}],\n  \"env\": {\n    \"AWS_ACCESS_KEY_ID\": \"{{ID}}\",\n" +
			"    \"AWS_SECRET_ACCESS_KEY\": \"{{SECRET}}\"\n  }\n}\n", "heroku config:set"},
		{"heroku.yml", "heroku.yml", "setup:\n  config:\n    AWS_ACCESS_KEY_ID: {{ID}}\n    AWS_SECRET_ACCESS_KEY: {{SECRET}}\nbuild:\n  docker:\n    web: Dockerfile\n", "Heroku"},
		{"fly", "fly.toml", "app = \"app\"\n\n[env]\n  AWS_ACCESS_KEY_ID = \"{{ID}}\"\n  AWS_SECRET_ACCESS_KEY = \"{{SECRET}}\"\n", "fly secrets set"},
		{"netlify", "netlify.toml", "[build.environment]\n  AWS_ACCESS_KEY_ID = \"{{ID}}\"\n  AWS_SECRET_ACCESS_KEY = \"{{SECRET}}\"\n", "Netlify"},
		{"railway", "railway.json", "{\n  \"deploy\": {},\n  \"variables\": {\n    \"AWS_ACCESS_KEY_ID\": \"{{ID}}\",\n    \"AWS_SECRET_ACCESS_KEY\": \"{{SECRET}}\"\n  }\n}\n", "Railway"},
		{"azure arm", "azuredeploy.json", "{\n  \"resources\": [{\n    \"type\": \"Microsoft.Web/sites\",\n    \"properties\": {\"siteConfig\": {\"appSettings\": [\n" +
			"      {\"name\": \"AWS_ACCESS_KEY_ID\", \"value\": \"{{ID}}\"},\n      {\"name\": \"AWS_SECRET_ACCESS_KEY\", \"value\": \"{{SECRET}}\"}\n    ]}}\n  }]\n}\n", "Key Vault"},
		{"cloud function", "main.py", "import boto3\nimport functions_framework\n\n" + py + "\n\n@functions_framework.http\ndef handler(request):\n    return str(s3.list_buckets())\n",
			"Google Cloud Functions"},
		{"cloud function js", "index.js", "const functions = require('@google-cloud/functions-framework');\nconst { S3Client } = require('@aws-sdk/client-s3');\n" +
			"const s3 = new S3Client({ credentials: { accessKeyId: '{{ID}}', secretAccessKey: '{{SECRET}}' } });\n", "Google Cloud Functions"},
		// fix31: a Knative service is Cloud Run's by Google's registry,
		// and stays when it says nothing of where it runs.
		{"knative of no known place", "k8s/service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - image: registry.example.com/app\n          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: {{ID}}\n" +
			"            - name: AWS_SECRET_ACCESS_KEY\n              value: {{SECRET}}\n", "another Knative service"},
		{"cloud run by its registry", "service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - image: europe-west1-docker.pkg.dev/p/r/app\n          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: {{ID}}\n" +
			"            - name: AWS_SECRET_ACCESS_KEY\n              value: {{SECRET}}\n", "Google Cloud Run (a Knative service"},
		// qa27 M3: the platforms named other ways.
		{"container apps", "containerapp.yaml", "properties:\n  template:\n    containers:\n      - image: myacr.azurecr.io/app:latest\n        name: app\n" +
			"        env:\n          - name: AWS_ACCESS_KEY_ID\n            value: {{ID}}\n          - name: AWS_SECRET_ACCESS_KEY\n            value: {{SECRET}}\n" +
			"type: Microsoft.App/containerApps\n", "Azure Container Apps"},
		{"azure functions settings", "local.settings.json", "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"AWS_ACCESS_KEY_ID\": \"{{ID}}\",\n" +
			"    \"AWS_SECRET_ACCESS_KEY\": \"{{SECRET}}\"\n  }\n}\n", "Azure Functions"},
		{"gke workload identity", "k8s/deploy.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n" +
			"    iam.gke.io/gcp-service-account: app@p.iam.gserviceaccount.com\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n" +
			"  template:\n    spec:\n      serviceAccountName: app\n      containers:\n        - name: app\n          image: app:1\n          env:\n" +
			"            - name: AWS_ACCESS_KEY_ID\n              value: {{ID}}\n            - name: AWS_SECRET_ACCESS_KEY\n              value: {{SECRET}}\n",
			"Google Kubernetes Engine"},
		{"gcloud run deploy", "deploy.sh", "#!/bin/sh\ngcloud run deploy app --image gcr.io/p/app \\\n  --set-env-vars AWS_ACCESS_KEY_ID={{ID}},AWS_SECRET_ACCESS_KEY={{SECRET}}\n",
			"Google Cloud Run (gcloud run deploy)"},
		{"cloud run terraform", "main.tf", "resource \"google_cloud_run_v2_service\" \"app\" {\n  name = \"app\"\n  template {\n    containers {\n" +
			"      env {\n        name  = \"AWS_ACCESS_KEY_ID\"\n        value = \"{{ID}}\"\n      }\n      env {\n        name  = \"AWS_SECRET_ACCESS_KEY\"\n" +
			"        value = \"{{SECRET}}\"\n      }\n    }\n  }\n}\n", "google_cloud_run_v2_service"},
		{"app service terraform", "main.tf", "resource \"azurerm_linux_web_app\" \"app\" {\n  app_settings = {\n    AWS_ACCESS_KEY_ID     = \"{{ID}}\"\n" +
			"    AWS_SECRET_ACCESS_KEY = \"{{SECRET}}\"\n  }\n}\n", "Key Vault"},
		{"fly deploy in a workflow", ".github/workflows/deploy.yml", "on: push\njobs:\n  deploy:\n    runs-on: self-hosted\n    steps:\n" +
			"      - run: flyctl deploy --remote-only\n        env:\n          AWS_ACCESS_KEY_ID: {{ID}}\n          AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", "Fly.io"},
		{"wrangler", "wrangler.toml", "name = \"app\"\nmain = \"src/index.js\"\n\n[vars]\nAWS_ACCESS_KEY_ID = \"{{ID}}\"\nAWS_SECRET_ACCESS_KEY = \"{{SECRET}}\"\n",
			"wrangler secret put"},
		// Controls: no platform, fixed as before.
		{"knative on eks", "k8s/service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1\n          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: {{ID}}\n" +
			"            - name: AWS_SECRET_ACCESS_KEY\n              value: {{SECRET}}\n", ""},
		{"eks deployment", "k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: app\n          image: app:1\n          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: {{ID}}\n" +
			"            - name: AWS_SECRET_ACCESS_KEY\n              value: {{SECRET}}\n", ""},
		{"app.yaml of no platform", "config/app.yaml", "name: app\naws:\n  access_key_id: {{ID}}\n  secret_access_key: {{SECRET}}\n", ""},
		{"plain boto3", "main.py", "import boto3\n\n" + py, ""},
		{"gcloud run deploy in a comment", "deploy.sh", "#!/bin/sh\n# later: gcloud run deploy app\nexport AWS_ACCESS_KEY_ID={{ID}}\nexport AWS_SECRET_ACCESS_KEY={{SECRET}}\naws s3 ls\n", ""},
		{"npm run deploy", "deploy.yml", "steps:\n  - name: node\n    args: [run, deploy]\nenv:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", ""},
		{"app.json of no platform", "app.json", "{\n  \"env\": {\n    \"AWS_ACCESS_KEY_ID\": \"{{ID}}\",\n    \"AWS_SECRET_ACCESS_KEY\": \"{{SECRET}}\"\n  }\n}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(rules.Fill(tc.text, vals))
			fs := sc.Scan(tc.file, in)
			if len(fs) != 2 {
				t.Fatalf("the scanner finds %d", len(fs))
			}
			res, err := fix.Apply(tc.file, in, fs)
			if err != nil {
				t.Fatal(err)
			}
			if tc.kept != "" {
				if res.Changed() || len(res.Manual) != 2 || !strings.Contains(res.Manual[0].Reason, tc.kept) ||
					!strings.Contains(res.Manual[0].Reason, "no EC2 instance role") {
					t.Fatalf("fixed %d, manual %+v; want both kept with %q", len(res.Fixed), res.Manual, tc.kept)
				}
				return
			}
			if len(res.Fixed) != 2 {
				t.Fatalf("fixed %d, manual %+v; want both fixed", len(res.Fixed), res.Manual)
			}
		})
	}
}

// TestProjectPlatform: a platform's deployment description in a code's
// project gives that code's keys a reason to stay (fix31); other files
// give none.
func TestProjectPlatform(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"web/vercel.json", "{\"functions\": {}}", "Vercel"},
		{"render.yaml", "services:\n  - type: web\n", "Render"},
		{"app.yaml", "runtime: python312\n", "App Engine"},
		{"deploy/service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    metadata:\n      annotations:\n        run.googleapis.com/execution-environment: gen2\n", "Google Cloud Run ("},
		{"package.json", "{\"name\": \"web\"}", ""},
		{"k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n", ""},
	} {
		got := fix.ProjectPlatform(c.name, []byte(c.text))
		if c.want == "" && got != "" || c.want != "" && (!strings.Contains(got, c.want) || !strings.Contains(got, "no EC2 instance role") || !strings.Contains(got, c.name)) {
			t.Errorf("ProjectPlatform(%s) = %q, want %q", c.name, got, c.want)
		}
	}
}

// FuzzHostingPlatform checks that the platform marks (qa27 M1, M3) never
// panic on any file, and that whatever platform they name comes with its
// advice.
func FuzzHostingPlatform(f *testing.F) {
	for _, s := range []string{
		"steps:\n- name: gcr.io/cloud-builders/gcloud\n  args:\n  - 'run'\n  - 'deploy'\n",
		"#!/bin/sh\n# gcloud run deploy\ngcloud run deploy app # later\n",
		"resource \"google_cloud_run_v2_service\" \"a\" {}\n",
		"type: Microsoft.App/containerApps\n",
		"{\"version\": \"2.0\"}",
		"services:\n  api:\n    host: containerapp\n",
		"run deploy\n#",
		"",
	} {
		f.Add("cloudbuild.yaml", s)
		f.Add("azure.yaml", s)
	}
	f.Fuzz(func(t *testing.T, name, content string) {
		where, advice, ok := fix.HostingPlatform(name, []byte(content))
		if ok && (where == "" || advice == "") {
			t.Fatalf("HostingPlatform(%q) = %q, %q", name, where, advice)
		}
		if r := fix.NeighbourPlatform(name, []byte(content)); r != "" && !strings.Contains(r, "no EC2 instance role") {
			t.Fatalf("NeighbourPlatform(%q) = %q", name, r)
		}
	})
}
