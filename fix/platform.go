package fix

import (
	"bytes"
	"path"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
)

// Like a GitHub-hosted runner (actions.go) or a CI service's own machines
// (hostedci.go), the machines of an application platform that is not EC2
// have no EC2 instance role: Render, Vercel, Netlify, DigitalOcean App
// Platform, Google Cloud Run (and any Knative service), App Engine, Cloud
// Functions, Heroku, Fly.io, Railway, Azure App Service and Functions. A
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
// and Vercel's function packages). So their keys stay for a person, with
// the advice that works there: the platform's secret store, or OpenID
// Connect / workload identity federation to an IAM role. The check is by
// name and a few fixed markers, read once a file: an EKS manifest of a
// plain Deployment (EC2 nodes) is none of these and is fixed as before.

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
	what := "the file deploys to "
	if syn == Python || syn == JavaScript {
		what = "the code runs on "
	}
	return what + p.where + ", where no EC2 instance role exists: without the keys the next deploy has no AWS " +
		"credentials at all. Instead, " + p.advice + "; then remove the keys by hand and deactivate them in IAM."
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
			return appEngineRuntime(content)
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
	return platform{}, false
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
// do with keys there. go vet's fix asks it of a module's files, so that it
// does not hand a client to the instance role where none exists (qa26 M4);
// code run as a platform's function is not asked about (Go has no such
// marker), only YAML, JSON and the files named for a platform.
//
// It is asked of every YAML, JSON and TOML file of a module, so a file that
// holds none of platformOf's markers and has none of its names is passed
// over before its syntax is detected or an expression run (a 70 KB
// manifest: 5 ms to 0.09 ms).
func HostingPlatform(name string, content []byte) (where, advice string, ok bool) {
	switch path.Base(strings.ToLower(strings.ReplaceAll(name, `\`, "/"))) {
	case "render.yaml", "render.yml", "vercel.json", "now.json", "netlify.toml", "fly.toml", "railway.json", "railway.toml", "heroku.yml", "app.json":
	default:
		if !bytes.Contains(content, []byte("serving.knative.dev")) && !bytes.Contains(content, []byte("runtime:")) &&
			!bytes.Contains(content, []byte("envs:")) && !bytes.Contains(content, []byte("Microsoft.Web/sites")) {
			return "", "", false
		}
	}
	syn := Detect(name, content)
	if syn != YAML && syn != JSON {
		syn = Unknown
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
