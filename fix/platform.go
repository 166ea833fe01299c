package fix

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
)

// Like a GitHub-hosted runner (actions.go) or a CI service's own machines
// (hostedci.go), the machines of an application platform that is not EC2
// have no EC2 instance role: Render, Vercel, Netlify, DigitalOcean App
// Platform, Google Cloud Run (and any Knative service), App Engine, Cloud
// Functions, GKE, Heroku, Fly.io, Railway, Azure App Service, Functions,
// Container Apps, Container Instances and AKS, Cloudflare Workers. A
// Knative service is Cloud Run's when it names Google's registry or
// annotations, a workload of a cluster on AWS when it names ECR or an EKS
// role, and stays for a person when it says neither.
// Removing the keys from such a platform's deployment description leaves
// the next deploy with no AWS credentials at all, where the instance role
// would take over on EC2 (qa26 M5). The file says plainly where it runs:
// its name (render.yaml, vercel.json, fly.toml, a spec under .do/) or its
// content (apiVersion: serving.knative.dev, App Engine's top-level
// runtime:, an ARM template's Microsoft.Web/sites), and so does code that
// is a function of such a platform (Python's functions_framework, the
// Node.js @google-cloud/functions-framework, azure.functions, Netlify's
// and Vercel's function packages). A platform is seldom named only by
// its own spec, though: Cloud Run is mostly deployed by gcloud run deploy
// (a script, Cloud Build's args, a CI step), Google's GitHub action or a
// Terraform google_cloud_run_v2_service, Azure Container Apps by a YAML
// or Bicep resource type, GKE by Workload Identity's annotation (qa27
// M1, M3). platformMarks are those ways, for every platform, read in any
// kind of file. So their keys stay for a person, with the advice that
// works there: the platform's secret store, or OpenID Connect / workload
// identity federation to an IAM role. The check is by name and fixed
// markers, read once a file, a comment line never counting: an EKS
// manifest of a plain Deployment (EC2 nodes) is none of these and is
// fixed as before.

// platform is a hosting platform with no EC2 instance role and the
// advice for keys used there.
type platform struct {
	where, advice string
}

var (
	renderPlatform = platform{"Render (render.yaml)",
		"set them in Render's dashboard or an environment group as secret variables (sync: false in render.yaml keeps the value out of the file)"}
	vercelPlatform = platform{"Vercel (vercel.json)",
		"use Vercel's OpenID Connect federation (an IAM role that trusts oidc.vercel.com/TEAM, AWS_ROLE_ARN and awsCredentialsProvider " +
			"from @vercel/functions/oidc), or Sensitive environment variables set with vercel env add, not in the file"}
	netlifyPlatform = platform{"Netlify (netlify.toml)",
		"set them as secret environment variables in Netlify's site settings (netlify env:set --secret), not in the file"}
	doPlatform = platform{"DigitalOcean App Platform (an app spec)",
		"set them as encrypted variables (type: SECRET, through the control panel or doctl apps update; the spec then holds only EV[...] ciphertext)"}
	knativePlatform = platform{"Google Cloud Run or another Knative service (serving.knative.dev)",
		"keep them in Secret Manager and map them into the service (valueFrom: secretKeyRef, gcloud run deploy --set-secrets), or use " +
			"workload identity federation: an IAM role that trusts accounts.google.com for the service's Google service account " +
			"(AssumeRoleWithWebIdentity with its ID token); on a Knative cluster of your own, a Kubernetes Secret or the cluster's " +
			"workload identity"}
	cloudRunPlatform = platform{"Google Cloud Run (a Knative service with Google's registry or annotations)",
		"keep them in Secret Manager and map them into the service (valueFrom: secretKeyRef, gcloud run deploy --set-secrets), or use " +
			"workload identity federation: an IAM role that trusts accounts.google.com for the service's Google service account " +
			"(AssumeRoleWithWebIdentity with its ID token)"}
	appEnginePlatform = platform{"Google App Engine (app.yaml with runtime:)",
		"keep them in Secret Manager and read them at start, or use workload identity federation from the app's Google service account " +
			"to an IAM role (AssumeRoleWithWebIdentity with its ID token)"}
	gcfPlatform = platform{"Google Cloud Functions (functions framework)",
		"keep them in Secret Manager (gcloud functions deploy --set-secrets), or use workload identity federation from the function's " +
			"Google service account to an IAM role (AssumeRoleWithWebIdentity with its ID token)"}
	herokuPlatform = platform{"Heroku (app.json, heroku.yml)",
		"set them as config vars (heroku config:set), not in the file"}
	flyPlatform = platform{"Fly.io (fly.toml)",
		"set them as secrets (fly secrets set), or use Fly's OpenID Connect: an IAM role that trusts oidc.fly.io/ORG, and AWS_ROLE_ARN set for the app"}
	railwayPlatform = platform{"Railway (railway.json, railway.toml)",
		"set them as sealed service variables in Railway's dashboard, not in the file"}
	azurePlatform = platform{"Azure App Service or Azure Functions",
		"keep them in Key Vault (a Key Vault reference in the app settings), or use workload identity federation from the app's managed " +
			"identity to an IAM role (AssumeRoleWithWebIdentity)"}
	netlifyFnPlatform = platform{"Netlify Functions (@netlify/functions)", netlifyPlatform.advice}
	vercelFnPlatform  = platform{"Vercel Functions (@vercel/...)", vercelPlatform.advice}
)

// platformCode is the content marker of code that runs as a function
// of a platform with no instance role, by import.
var platformCode = lazyre.New(`(?m)^[ \t]*(?:import[ \t]+functions_framework|from[ \t]+functions_framework[ \t.]|` +
	`import[ \t]+azure\.functions|from[ \t]+azure[ \t.]+(?:functions)|` +
	`from[ \t]+firebase_functions[ \t.]|import[ \t]+firebase_functions)|` +
	`["'](@google-cloud/functions-framework|firebase-functions(?:/v[12])?|@azure/functions|@netlify/functions|@vercel/node|@vercel/functions)["']`)

var (
	knativeAPI = lazyre.New(`(?m)^apiVersion:[ \t]*["']?serving\.knative\.dev/`)
	// knativeGoogle and knativeAWS tell where a Knative service runs:
	// Cloud Run's annotations, service accounts and registries; an ECR
	// image or an EKS role (a Knative cluster on EKS, whose nodes are EC2
	// instances).
	knativeGoogle = lazyre.New(`run\.googleapis\.com|cloud\.googleapis\.com/|\.iam\.gserviceaccount\.com|(?:^|[\s"'/=])(?:[a-z]+\.)?gcr\.io/|-docker\.pkg\.dev/`)
	knativeAWS    = lazyre.New(`\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com|public\.ecr\.aws/|eks\.amazonaws\.com/`)
	appEngineTop  = lazyre.New(`(?m)^runtime:[ \t]*["']?[a-z]`)
	doSpecTop     = lazyre.New(`(?m)^[ \t]*(?:services|workers|jobs|static_sites|functions):[ \t]*$`)
	doEnvs        = lazyre.New(`(?m)^[ \t]*envs:[ \t]*$`)
	azureSiteType = lazyre.New(`["']?type["']?[ \t]*:[ \t]*["']Microsoft\.Web/sites`)
)

// hostingPlatform returns the reason the keys of the file called name
// stay: it deploys to, or is code run by, a platform with no EC2 instance
// role. Empty when it is none of these.
func hostingPlatform(name string, content []byte, syn Syntax) string {
	p, ok := platformOf(name, content, syn)
	if !ok {
		return ""
	}
	return p.reason(syn, "the file deploys to ", "the code runs on ", "the next deploy has no AWS credentials at all")
}

// reason says why keys stay for a person on platform p: what the file of
// syntax syn is to it (deploys, or code run, for Python and JavaScript)
// and what removing the keys would leave, then the platform's advice.
func (p platform) reason(syn Syntax, deploys, runs, without string) string {
	what := deploys
	if syn == Python || syn == JavaScript {
		what = runs
	}
	return what + p.where + ", where no EC2 instance role exists: without the keys " + without + ". Instead, " +
		p.advice + "; then remove the keys by hand and deactivate them in IAM."
}

// platformOf tells the platform of the file, by its name, then content.
func platformOf(name string, content []byte, syn Syntax) (platform, bool) {
	slashed := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	base := path.Base(slashed)
	switch base {
	case "render.yaml", "render.yml":
		return renderPlatform, true
	case "vercel.json", "now.json":
		return vercelPlatform, true
	case "netlify.toml":
		return netlifyPlatform, true
	case "fly.toml":
		return flyPlatform, true
	case "railway.json", "railway.toml":
		return railwayPlatform, true
	case "wrangler.toml", "wrangler.json", "wrangler.jsonc":
		return cloudflarePlatform, true
	case "local.settings.json":
		// Azure Functions Core Tools' settings: func start runs the
		// functions with them, func azure functionapp publish
		// --publish-local-settings sends them to Azure.
		return platform{"Azure Functions (local.settings.json)", azurePlatform.advice}, true
	case "host.json":
		if bytes.Contains(content, []byte(`"version"`)) {
			return platform{"Azure Functions (host.json)", azurePlatform.advice}, true
		}
	case "function.json":
		if bytes.Contains(content, []byte(`"bindings"`)) {
			return platform{"Azure Functions (function.json)", azurePlatform.advice}, true
		}
	case "azure.yaml", "azure.yml":
		// The Azure Developer CLI's project: each service's host.
		if m := azdHost.Re().FindSubmatch(content); m != nil {
			return azdPlatform(string(m[1])), true
		}
	case "heroku.yml", "app.json":
		if base == "heroku.yml" || bytes.Contains(content, []byte(`"env"`)) && (bytes.Contains(content, []byte(`"buildpacks"`)) ||
			bytes.Contains(content, []byte(`"formation"`)) || bytes.Contains(content, []byte(`"addons"`)) || bytes.Contains(content, []byte(`"stack"`))) {
			return herokuPlatform, true
		}
	}
	switch syn {
	case YAML:
		if knativeAPI.Match(content) {
			// Only Cloud Run is sure to have no instance role. A
			// Knative service whose image is in ECR, or whose pods take
			// an EKS role, runs on a cluster on AWS, whose nodes are EC2
			// instances: a Kubernetes workload like any other (fix31).
			// One that says neither stays: keyscan cannot place it.
			switch {
			case knativeGoogle.Match(content):
				return cloudRunPlatform, true
			case knativeAWS.Match(content):
				return platform{}, false
			}
			return knativePlatform, true
		}
		dir := path.Dir(slashed)
		if (dir == ".do" || strings.HasSuffix(dir, "/.do") || strings.HasPrefix(base, "app.spec.") || base == "app.yaml" || base == "app.yml") &&
			doSpecTop.Match(content) && doEnvs.Match(content) {
			return doPlatform, true
		}
		if (base == "app.yaml" || base == "app.yml" || strings.HasPrefix(base, "app.") || strings.HasSuffix(base, ".app.yaml")) &&
			appEngineTop.Match(content) && !bytes.Contains(content, []byte("apiVersion:")) {
			if p, ok := appEngineRuntime(content); ok {
				return p, true
			}
		}
	case JSON:
		if azureSiteType.Match(content) {
			return azurePlatform, true
		}
	case Python, JavaScript:
		if m := platformCode.Find(content); m != nil {
			s := string(m)
			switch {
			case strings.Contains(s, "functions_framework") || strings.Contains(s, "functions-framework") || strings.Contains(s, "firebase"):
				return gcfPlatform, true
			case strings.Contains(s, "azure"):
				return azurePlatform, true
			case strings.Contains(s, "netlify"):
				return netlifyFnPlatform, true
			case strings.Contains(s, "vercel"):
				return vercelFnPlatform, true
			}
		}
	}
	return markedPlatform(content)
}

// azdHost is a service's host in the Azure Developer CLI's azure.yaml.
var azdHost = lazyre.New(`(?m)^[ \t]+host:[ \t]*['"]?(containerapp|appservice|function|staticwebapp|aks|springapp)\b`)

// azdPlatform is the platform of an azure.yaml service's host.
func azdPlatform(host string) platform {
	where := " (azure.yaml host: " + host + ")"
	switch host {
	case "containerapp":
		return platform{containerAppsPlatform.where + where, containerAppsPlatform.advice}
	case "aks":
		return platform{aksPlatform.where + where, aksPlatform.advice}
	}
	return platform{"Azure App Service or Azure Functions" + where, azurePlatform.advice}
}

// appEngineRuntime tells App Engine's app.yaml: a top-level runtime: of a
// language (python312, nodejs20, go122, java21, custom with env: flex).
func appEngineRuntime(content []byte) (platform, bool) {
	for _, l := range strings.Split(string(content), "\n") {
		if v, ok := strings.CutPrefix(l, "runtime:"); ok {
			v = strings.Trim(strings.TrimSpace(v), `"'`)
			for _, lang := range []string{"python", "nodejs", "go", "java", "php", "ruby", "custom", "dotnet", "aspnetcore"} {
				if strings.HasPrefix(v, lang) {
					return appEnginePlatform, true
				}
			}
			return platform{}, false
		}
	}
	return platform{}, false
}

// HostingPlatform tells whether the deployment description called name
// (a path, slashes either way) deploys to a platform with no EC2 instance
// role, as keyscan fix tells it: where names the platform, advice what to
// do with keys there. go vet's fix asks it of a module's files (YAML,
// JSON, TOML, scripts, makefiles, Terraform, CI files: any platformMarks'
// CLI, action or resource, besides the files named for a platform), so
// that it does not hand a client to the instance role where none exists
// (qa26 M4, qa27 M1); code run as a platform's function is told by the
// analyzer from its Go imports, not here.
//
// It is asked of every such file of a module, so a file that holds none
// of platformOf's markers or marks' words and has none of its names is
// passed over before its syntax is detected or an expression run (a 70 KB
// manifest: 5 ms to 0.09 ms).
func HostingPlatform(name string, content []byte) (where, advice string, ok bool) {
	switch path.Base(strings.ToLower(strings.ReplaceAll(name, `\`, "/"))) {
	case "render.yaml", "render.yml", "vercel.json", "now.json", "netlify.toml", "fly.toml", "railway.json", "railway.toml", "heroku.yml", "app.json",
		"wrangler.toml", "wrangler.json", "wrangler.jsonc", "local.settings.json", "host.json", "function.json", "azure.yaml", "azure.yml":
	default:
		if !platformWords.in(content) {
			return "", "", false
		}
	}
	syn := Detect(name, content)
	if syn == Python || syn == JavaScript || syn == Go {
		syn = Unknown // code is the analyzer's to tell
	}
	p, ok := platformOf(name, content, syn)
	return p.where, p.advice, ok
}

// ProjectPlatform returns the reason the keys of code or a Dockerfile
// stay when the project they belong to deploys with the file called name
// (content): a platform's deployment description (HostingPlatform) in the
// code's folder or a folder above it. The code runs on that platform even
// when it imports none of a platform's function packages (api/*.js beside
// a vercel.json, a Flask app beside a render.yaml, the Dockerfile fly.toml
// builds): without the keys it has no AWS credentials at all (fix31).
// Empty when the file is no such description.
func ProjectPlatform(name string, content []byte) string {
	where, advice, ok := HostingPlatform(name, content)
	if !ok {
		return ""
	}
	return "the project deploys to " + where + " (" + name + "), where no EC2 instance role exists: without the keys the program " +
		"has no AWS credentials at all there, and the SDK's default chain finds none. Instead, " + advice +
		"; then remove the keys by hand and deactivate them in IAM."
}

// More platforms with no EC2 instance role, and their advice.
var (
	cloudRunDeployed = platform{"Google Cloud Run", cloudRunPlatform.advice}
	gkePlatform      = platform{"Google Kubernetes Engine",
		"keep them in Secret Manager (mapped into the pod by the Secret Manager CSI driver or External Secrets), or use workload identity " +
			"federation: an IAM role that trusts accounts.google.com for the pod's Google service account (GKE Workload Identity), " +
			"AssumeRoleWithWebIdentity with its ID token"}
	containerAppsPlatform = platform{"Azure Container Apps",
		"keep them in Key Vault (a container app secret that references it, secretRef in env), or use workload identity federation from the " +
			"app's managed identity to an IAM role (AssumeRoleWithWebIdentity)"}
	aciPlatform = platform{"Azure Container Instances",
		"give them as secure environment variables (secureValue) from Key Vault at deploy, or use workload identity federation from the " +
			"container group's managed identity to an IAM role (AssumeRoleWithWebIdentity)"}
	aksPlatform = platform{"Azure Kubernetes Service",
		"keep them in Key Vault (mapped into the pod by the Key Vault CSI driver), or use workload identity federation from the pod's " +
			"managed identity (Azure workload identity) to an IAM role (AssumeRoleWithWebIdentity)"}
	cloudflarePlatform = platform{"Cloudflare Workers",
		"set them as secrets (wrangler secret put), not in the file"}
)

// platformMark is one way a deployment to a platform with no instance
// role is written down, in any kind of file: a CLI that deploys there (in
// a script, a makefile, a CI step, Cloud Build's args), a CI action, a
// Terraform or Pulumi resource (HCL, a .tf.json, Pulumi YAML's type
// token, a Pulumi program's constructor), a resource type of an ARM
// template, Bicep file or YAML spec, a Kubernetes annotation or node
// label only that platform sets. words are what the file holds for re to
// be run at all (one of them); re's match is named in the reason.
type platformMark struct {
	words []string
	re    *lazyre.Regexp
	p     platform
}

// gcloudArgs is the gcloud command GROUP deploy written as Cloud Build's
// or a CI step's argument list: [run, deploy, ...] or one item a line.
func gcloudArgs(group, verbs string) string {
	return `['"]?\b` + group + `['"]?[ \t]*(?:,[ \t]*|\n[ \t]*-[ \t]*)['"]?(?:` + verbs + `)\b`
}

var platformMarks = []platformMark{
	// Google Cloud Run, Cloud Functions, App Engine.
	{[]string{"gcloud"}, lazyre.New(`\bgcloud\s+(?:(?:beta|alpha)\s+)?run\s+(?:deploy|services\s+(?:replace|update)|jobs\s+(?:deploy|create|update|replace))\b|` +
		gcloudArgs("run", `deploy|services['"]?[ \t]*(?:,[ \t]*|\n[ \t]*-[ \t]*)['"]?(?:replace|update)|jobs`)), cloudRunDeployed},
	{[]string{"gcloud"}, lazyre.New(`\bgcloud\s+(?:(?:beta|alpha)\s+)?functions\s+deploy\b|` + gcloudArgs("functions", "deploy")), gcfPlatform},
	{[]string{"gcloud"}, lazyre.New(`\bgcloud\s+(?:(?:beta|alpha)\s+)?app\s+deploy\b|` + gcloudArgs("app", "deploy")), appEnginePlatform},
	{[]string{"google-github-actions/"}, lazyre.New(`google-github-actions/deploy-cloudrun\b`), cloudRunDeployed},
	{[]string{"google-github-actions/"}, lazyre.New(`google-github-actions/deploy-cloud-functions\b`), gcfPlatform},
	{[]string{"google-github-actions/"}, lazyre.New(`google-github-actions/deploy-appengine\b`), appEnginePlatform},
	{[]string{"cloud_run", "cloudrun"}, lazyre.New(`\bgoogle_cloud_run_(?:v2_)?(?:service|job)\b|\bgcp:cloudrun(?:v2)?/(?:service|job):|` +
		`\bcloudrun(?:v2)?\.(?:New)?(?:Service|Job)\s*\(`), cloudRunDeployed},
	{[]string{"cloudfunctions"}, lazyre.New(`\bgoogle_cloudfunctions2?_function\b|\bgcp:cloudfunctions(?:v2)?/function:|\bcloudfunctions(?:v2)?\.(?:New)?Function\s*\(`), gcfPlatform},
	{[]string{"app_engine", "appengine"}, lazyre.New(`\bgoogle_app_engine_(?:standard|flexible)_app_version\b|\bgcp:appengine/(?:standard|flexible)AppVersion:|` +
		`\bappengine\.(?:New)?(?:Standard|Flexible)AppVersion\s*\(`), appEnginePlatform},
	// Skaffold's Cloud Run deployer; a Cloud Deploy target on Cloud Run.
	{[]string{"skaffold/"}, lazyre.New(`(?m)^[ \t]+cloudrun:[ \t]*(?:\{|$)`), cloudRunDeployed},
	{[]string{"deploy.cloud.google.com/"}, lazyre.New(`(?m)^run:[ \t]*\n[ \t]+location:[ \t]*['"]?projects/`), cloudRunDeployed},
	// GKE: Workload Identity's annotation, its node labels, the CLI and
	// action that point kubectl at a GKE cluster.
	{[]string{"gke"}, lazyre.New(`\biam\.gke\.io/gcp-service-account\b|\bcloud\.google\.com/gke-[a-z]+|\bgcloud\s+container\s+clusters\s+get-credentials\b|` +
		`google-github-actions/get-gke-credentials\b`), gkePlatform},
	// Azure Container Apps, App Service and Functions, Container
	// Instances, AKS: resource types (ARM, Bicep, YAML), az and func,
	// GitHub actions, Azure Pipelines tasks, Terraform, Pulumi, azd.
	{[]string{"Microsoft.App/", "containerapp", "container_app", "container-apps", "ContainerApp"}, lazyre.New(`\bMicrosoft\.App/(?:containerApps|jobs)\b|` +
		`\baz\s+containerapp\s+(?:create|up|update|job\s+create)\b|(?i:azure/container-apps-deploy-action)\b|\bAzureContainerApps@\d|` +
		`\bazurerm_container_app(?:_job)?\b|\bazure-native:app:(?:ContainerApp|Job)\b|\bapp\.(?:New)?ContainerApp\s*\(`),
		containerAppsPlatform},
	{[]string{"Microsoft.Web/", "webapp", "functionapp", "web_app", "function_app", "app_service", "WebApp", "FunctionApp", "webapps-deploy", "functions-action"},
		lazyre.New(`\bMicrosoft\.Web/sites\b|\baz\s+(?:webapp|functionapp)\s+(?:create|up|deploy|update|config\s+(?:appsettings\s+set|container\s+set))\b|` +
			`\bfunc\s+azure\s+functionapp\s+publish\b|(?i:azure/(?:webapps-deploy|functions-action))\b|` +
			`\bAzure(?:RmWebAppDeployment|WebApp|WebAppContainer|FunctionApp|FunctionAppContainer)@\d|` +
			`\bazurerm_(?:(?:linux_|windows_)?(?:web_app|function_app)(?:_flex_consumption)?|app_service|function_app)\b|\bazure-native:web:WebApp\b|` +
			`\bweb\.(?:New)?WebApp\s*\(`), azurePlatform},
	{[]string{"ContainerInstance", "az container", "aci-deploy", "container_group", "containerinstance"},
		lazyre.New(`\bMicrosoft\.ContainerInstance/containerGroups\b|\baz\s+container\s+create\b|(?i:azure/aci-deploy)\b|\bazurerm_container_group\b|` +
			`\bazure-native:containerinstance:ContainerGroup\b`), aciPlatform},
	{[]string{"azure.workload.identity", "kubernetes.azure.com/", "az aks", "aks-set-context"}, lazyre.New(`\bazure\.workload\.identity/(?:client-id|use)\b|\bkubernetes\.azure\.com/[a-z]+|` +
		`\baz\s+aks\s+get-credentials\b|(?i:azure/aks-set-context)\b`), aksPlatform},
	// Heroku, Fly.io, Vercel, Netlify, Railway, DigitalOcean App
	// Platform, Render, Cloudflare Workers: their CLIs, actions and
	// Terraform resources.
	{[]string{"heroku"}, lazyre.New(`\bheroku\s+container:(?:push|release)\b|\bgit\s+push\s+(?:-\S+\s+)*heroku\b|akhileshns/heroku-deploy\b|\bheroku_(?:app|build)\b`), herokuPlatform},
	{[]string{"fly"}, lazyre.New(`\bfly(?:ctl)?\s+deploy\b|superfly/flyctl-actions\b|\bfly_(?:app|machine)\b`), flyPlatform},
	{[]string{"vercel"}, lazyre.New(`\bvercel\s+(?:deploy\b|--prod\b)|amondnet/vercel-action\b|\bvercel_project\b`), vercelPlatform},
	{[]string{"netlify"}, lazyre.New(`\bnetlify\s+deploy\b|nwtgck/actions-netlify\b|\bnetlify_site\b`), netlifyPlatform},
	{[]string{"railway"}, lazyre.New(`\brailway\s+up\b|\brailway_service\b`), railwayPlatform},
	{[]string{"doctl", "digitalocean"}, lazyre.New(`\bdoctl\s+apps\s+(?:create|update)\b|digitalocean/app_action\b|\bdigitalocean_app\b`), doPlatform},
	{[]string{"render_"}, lazyre.New(`\brender_(?:web_service|background_worker|private_service|cron_job)\b`), renderPlatform},
	{[]string{"wrangler", "cloudflare_worker"}, lazyre.New(`\bwrangler\s+(?:deploy|publish)\b|cloudflare/wrangler-action\b|\bcloudflare_workers?_script\b`), cloudflarePlatform},
}

// platformWords are every mark's words and platformOf's content
// markers, for the quick pass of HostingPlatform.
var platformWords = newWordSet(func() []string {
	out := []string{"serving.knative.dev", "runtime:", "envs:", "Microsoft.Web/sites"}
	for _, m := range platformMarks {
		out = append(out, m.words...)
	}
	return out
}())

// wordSet tells in one pass whether a text holds one of its words (of
// three bytes or more): each word is filed under a hash of its first
// three bytes, and at each place of the text only the words filed under
// the hash there are compared. Forty bytes.Contains over a 100 KB
// manifest cost 3 ms of CPU, the pass a tenth of that.
type wordSet struct {
	words [][]byte
	first [1 << 16]uint8 // 1 + the first word of a hash, 0 for none
	next  []uint8        // 1 + the next word of the same hash
}

func newWordSet(words []string) *wordSet {
	s := &wordSet{}
	for _, w := range words {
		if len(w) < 3 || len(s.words) >= 255 {
			panic("fix: a platform word of less than three bytes, or too many: " + w)
		}
		s.words = append(s.words, []byte(w))
		s.next = append(s.next, 0)
		h := tri(w[0], w[1], w[2])
		s.next[len(s.words)-1] = s.first[h]
		s.first[h] = uint8(len(s.words))
	}
	return s
}

func tri(a, b, c byte) uint16 { return uint16(a)<<8 ^ uint16(b)<<4 ^ uint16(c) ^ uint16(c)<<12 }

// in reports whether b holds one of the words.
func (s *wordSet) in(b []byte) bool {
	for i := 0; i+2 < len(b); i++ {
		for k := s.first[tri(b[i], b[i+1], b[i+2])]; k != 0; k = s.next[k-1] {
			if bytes.HasPrefix(b[i:], s.words[k-1]) {
				return true
			}
		}
	}
	return false
}

// markedPlatform returns the platform of the first mark in content, with
// the text that names it; a match on a comment line (after #, // or a
// YAML/shell comment) does not count.
func markedPlatform(content []byte) (platform, bool) {
	for _, m := range platformMarks {
		if !slices.ContainsFunc(m.words, func(w string) bool { return bytes.Contains(content, []byte(w)) }) {
			continue
		}
		rest, base := content, 0
		for {
			at := m.re.FindIndex(rest)
			if at == nil {
				break
			}
			s, e := base+at[0], base+at[1]
			if !commentAt(content, s) {
				p := m.p
				p.where += " (" + strings.Join(strings.Fields(strings.NewReplacer(`"`, "", `'`, "", ",", " ", "\n", " ", "- ", "").Replace(string(content[s:e]))), " ") + ")"
				return p, true
			}
			base, rest = e, content[e:]
			if e == s {
				break
			}
		}
	}
	return platform{}, false
}

// commentAt reports whether offset at of content is inside a line
// comment: a '#' at the line's start or after a blank, or a "//", before
// it on its line.
func commentAt(content []byte, at int) bool {
	ls := bytes.LastIndexByte(content[:at], '\n') + 1
	line := content[ls:at]
	if t := bytes.TrimLeft(line, " \t"); bytes.HasPrefix(t, []byte("//")) || bytes.HasPrefix(t, []byte("#")) || bytes.HasPrefix(t, []byte("REM ")) {
		return true
	}
	for i, c := range line {
		if c == '#' && i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') && !bytes.ContainsAny(line[:i], `"'`) {
			return true
		}
	}
	return false
}

// NeighbourPlatform returns why the keys of a file beside the one called
// name (content) stay, when that file says the program of their folder
// runs on a platform with no EC2 instance role: code that is such a
// platform's function (main.py importing functions_framework) or a
// deployment description of one. The settings files that feed such a
// program (a Cloud Function's .env.yaml, which gcloud functions deploy
// --env-vars-file takes, a .env, a config file) are how its keys reach
// it there, and without them it has none (qa27 M3). "" when name says
// nothing of the kind.
func NeighbourPlatform(name string, content []byte) string {
	if !bytes.Contains(content, []byte("unctions")) && !bytes.Contains(content, []byte("@vercel/")) {
		if _, _, ok := HostingPlatform(name, content); !ok {
			return ""
		}
	}
	syn := Detect(name, content)
	p, ok := platformOf(name, content, syn)
	if !ok {
		return ""
	}
	return p.reason(syn, "deploys the program of its folder to ", "is code of its folder that runs on ",
		"the program has no AWS credentials at all there")
}
