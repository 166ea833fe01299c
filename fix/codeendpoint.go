package fix

import (
	"path"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/internal/plist"
	"github.com/keyscan/keyscan/internal/winsw"
)

// Keys in a .env file reach whatever program loads it (godotenv, dotenv
// for Ruby, Spring's and Laravel's env readers, DotNetEnv, the shell that
// starts the program), and the SDKs of every language take them from the
// environment. A client of that program built with a custom endpoint
// (minio, LocalStack, R2) gets them: the keys are that service's, and the
// instance role must never be given to it (fixqa14's leftover: only
// Python and JavaScript were read). keyscan fix does not parse these
// languages: it reads the text for the settings each SDK takes an
// endpoint by, comments included (when in doubt the keys stay).

// langEndpoint is, per source extension, what sets a custom endpoint in
// that language's AWS SDK (or names an S3-compatible service's own SDK).
var langEndpoint = map[string]*lazyre.Regexp{
	// Go: aws-sdk-go-v2's BaseEndpoint, endpoint resolvers, path style;
	// v1's aws.Config{Endpoint:}, S3ForcePathStyle; minio-go.
	".go": lazyre.New(`\b(?:BaseEndpoint|EndpointResolver(?:WithOptions|V2)?|WithEndpointResolver\w*|UsePathStyle|S3ForcePathStyle|WithS3ForcePathStyle|WithEndpoint|WithBaseEndpoint|Endpoint\s*:\s*\S|AWS_ENDPOINT_URL\w*)|github\.com/minio/minio-go`),
	// Ruby: Aws::S3::Client.new(endpoint:, force_path_style:),
	// Aws.config.update, Active Storage's endpoint.
	".rb": lazyre.New(`(?:\bendpoint|\bforce_path_style)\s*:\s*\S|:endpoint\s*=>|["']endpoint["']\s*=>|AWS_ENDPOINT_URL\w*`),
	// Java, Kotlin, Scala, Groovy: SDK v2's endpointOverride and
	// forcePathStyle, v1's EndpointConfiguration and path-style access;
	// MinIO's Java SDK.
	".java": jvmEndpoint, ".kt": jvmEndpoint, ".kts": jvmEndpoint, ".scala": jvmEndpoint, ".groovy": jvmEndpoint,
	// PHP: the SDK's and Laravel's 'endpoint' => and path style.
	".php": lazyre.New(`["']endpoint["']\s*=>|["']use_path_style_endpoint["']\s*=>\s*true|AWS_ENDPOINT_URL\w*`),
	// .NET: AmazonS3Config's ServiceURL and ForcePathStyle.
	".cs": dotnetEndpoint, ".fs": dotnetEndpoint, ".vb": dotnetEndpoint,
	// Rust: aws-config's and aws-sdk-s3's endpoint_url and path style.
	".rs": lazyre.New(`\.endpoint_url\s*\(|\.force_path_style\s*\(\s*true|AWS_ENDPOINT_URL\w*`),
	// C and C++: the AWS SDK for C++'s ClientConfiguration.endpointOverride
	// (a field, or SetEndpointOverride), MinIO's C++ SDK (qa21 M3).
	".cpp": cppEndpoint, ".cc": cppEndpoint, ".cxx": cppEndpoint, ".c++": cppEndpoint,
	".hpp": cppEndpoint, ".hh": cppEndpoint, ".hxx": cppEndpoint, ".h": cppEndpoint, ".c": cppEndpoint,
	// A Vue, Svelte or Astro component's script: the JavaScript SDK's
	// endpoint and path style, minio-js (qa21 M3).
	".vue": componentEndpoint, ".svelte": componentEndpoint, ".astro": componentEndpoint,
	// Swift (aws-sdk-swift's S3Client.S3ClientConfiguration(endpoint:)),
	// Dart (the minio package's Minio(endPoint:)), Elixir (ExAws's host:
	// in config :ex_aws, :s3), Perl (Net::Amazon::S3's host =>, Paws'
	// endpoint =>).
	".swift": lazyre.New(`\bendpoint\s*:\s*"|\bforcePathStyle\s*:\s*true|AWS_ENDPOINT_URL\w*`),
	".dart":  lazyre.New(`\bMinio\s*\(|\bendPoint\s*:|AWS_ENDPOINT_URL\w*`),
	".ex":    elixirEndpoint, ".exs": elixirEndpoint,
	".pl": perlEndpoint, ".pm": perlEndpoint,
}

var (
	jvmEndpoint       = lazyre.New(`\bendpointOverride\s*\(|\bEndpointConfiguration\s*\(|\bsetEndpoint\s*\(|\bwithEndpoint\w*\s*\(|\bforcePathStyle\s*\(\s*true|[Pp]athStyleAccess(?:Enabled)?\s*\(\s*true|\bio\.minio\b|AWS_ENDPOINT_URL\w*`)
	dotnetEndpoint    = lazyre.New(`\bServiceURL\s*=|\bForcePathStyle\s*=\s*true|AWS_ENDPOINT_URL\w*`)
	cppEndpoint       = lazyre.New(`\bendpointOverride\s*=|\bSetEndpointOverride\s*\(|\bminio::s3::|AWS_ENDPOINT_URL\w*`)
	componentEndpoint = lazyre.New(`\bendpoint\s*:\s*\S|\b(?:s3)?[Ff]orcePathStyle\s*:\s*true|\bnew\s+Minio\.Client\b|\bfrom\s+["']minio["']|AWS_ENDPOINT_URL\w*`)
	elixirEndpoint    = lazyre.New(`:ex_aws,\s*:s3,[^\n]*\bhost:|AWS_ENDPOINT_URL\w*`)
	perlEndpoint      = lazyre.New(`(?s)Net::Amazon::S3\b.*?\bhost\s*=>|\bPaws\b.*?\bendpoint\s*=>|AWS_ENDPOINT_URL\w*`)
	// .NET's appsettings.json gives AWSOptions a ServiceURL.
	appSettingsEndpoint = lazyre.New(`(?i)"ServiceURL"\s*:\s*"[^"]+"|"ForcePathStyle"\s*:\s*true`)
)

// OtherCode reports whether name is source of a language whose clients
// CodeEndpoint reads by text (Go, Ruby, JVM languages, PHP, .NET, Rust,
// C and C++, Swift, Dart, Elixir, Perl, Vue/Svelte/Astro components), or a
// .NET appsettings file.
func OtherCode(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	_, ok := langEndpoint[path.Ext(b)]
	return ok || appSettings(b)
}

func appSettings(base string) bool {
	return strings.HasPrefix(base, "appsettings") && strings.HasSuffix(base, ".json")
}

// otherCodeEndpoint describes the first custom endpoint setting of a
// source file of another language than Python and JavaScript: the line
// that holds it, shortened; "" when none.
func otherCodeEndpoint(name string, data []byte) string {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	re := langEndpoint[path.Ext(b)]
	if appSettings(b) {
		re = appSettingsEndpoint
	}
	if re == nil {
		return ""
	}
	loc := re.FindIndex(data)
	if loc == nil {
		return ""
	}
	start := strings.LastIndexByte(string(data[:loc[0]]), '\n') + 1
	end := len(data)
	if i := strings.IndexByte(string(data[loc[0]:]), '\n'); i >= 0 {
		end = loc[0] + i
	}
	return shorten(string(data[start:end]))
}

// envVarName matches a .env file's variable, with export or not.
var envVarName = lazyre.New(`^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=`)

// EnvNamesAt returns the names of the variables of a .env file (content
// data) set on the lines that hold offsets: the keys' names.
func EnvNamesAt(data []byte, offsets []int) []string {
	var out []string
	for _, off := range offsets {
		if off < 0 || off > len(data) {
			continue
		}
		start := strings.LastIndexByte(string(data[:off]), '\n') + 1
		if m := envVarName.FindStringSubmatch(string(data[start:off])); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// ConfigFile reports whether name is an application's configuration file
// that may read the environment's variables by name (Spring's
// application.yml, Rails' storage.yml, a .properties or .toml file, the
// HOCON of a JVM program's src/main/resources/application.conf:
// access-key = ${?AWS_ACCESS_KEY_ID}, fix29).
func ConfigFile(name string) bool {
	switch path.Ext(strings.ToLower(name)) {
	case ".yml", ".yaml", ".properties", ".toml", ".conf", ".hocon":
		return true
	}
	return false
}

// ConfigEndpoint describes the first custom endpoint (or S3-compatible
// service named by a word, or by a table's name: [aws.minio]) that the
// configuration file name (content data) sets anywhere, read as YAML,
// .properties, or INI for .toml, .ini, .cfg, .conf, .hocon, systemd's
// .service and Podman Quadlet's units, a property list's <key> and
// <string> pairs (a launchd job's EnvironmentVariables), a WinSW
// service's or a JetBrains run configuration's <env name=… value=…/>
// elements and IIS web.config's <environmentVariable> ones; "" when none. A binary
// property list is not read: one that names an endpoint may set one.
func ConfigEndpoint(name string, data []byte) string {
	syn := YAML
	switch path.Ext(strings.ToLower(name)) {
	case ".properties":
		syn = Properties
	case ".toml", ".ini", ".cfg", ".conf", ".hocon", ".service", ".container", ".kube", ".pod":
		syn = INI
	case ".xml":
		if !winsw.Service(data) && !winsw.RunConfiguration(data) {
			return ""
		}
		data, syn = winsw.Settings(data), INI
	case ".config":
		if strings.EqualFold(path.Base(name), "web.config") {
			// IIS's, for an ASP.NET Core program: <environmentVariable
			// name=… value=…/> (fix29).
			data, syn = winsw.IISSettings(data), INI
		}
	case ".json":
		syn = JSON
	case ".plist":
		if plist.Binary(data) {
			if plist.BinaryNames(data, "endpoint") {
				return "maybe a custom endpoint (a binary property list that names an endpoint, which keyscan fix does not read)"
			}
			return ""
		}
		data, syn = plist.Settings(data), INI
	}
	e := newEditor(data, syn)
	if d := e.endpointIn(0, len(e.lines)-1); d != "" {
		return d
	}
	if syn == INI {
		if d := e.tableService(0, len(e.lines)-1, false); d != "" {
			return d
		}
	}
	return foreignHostNamed(data)
}

// SideConfigReason is the reason the keys of a dotenv file stay when the
// configuration file conf, beside it (its folder, or a config folder
// there), sets a custom endpoint or names an S3-compatible service
// (what): the program that takes its keys from the environment most
// likely reads its settings from that file too.
func SideConfigReason(what, conf string) string {
	if strings.Contains(what, metadataOffVar) {
		return metadataOffReason(what + ", in " + conf)
	}
	return customEndpoint("maybe: " + conf + ", a configuration file beside this one, sets " + what +
		", and the program that takes these keys from the environment may read its settings there, so they would be that client's")
}

// ServiceUnitReason is the reason the keys of a dotenv file stay when the
// service unit unit (a systemd unit, a supervisord program, a launchd
// job), in a folder above the file's or naming it, sets a custom endpoint
// (what) for the program it runs, which may be the one that loads them.
func ServiceUnitReason(what, unit string) string {
	if strings.Contains(what, metadataOffVar) {
		return metadataOffReason(what + ", in " + unit)
	}
	return customEndpoint("maybe: " + unit + ", a service unit that may run the program of this file (it lies above it or names it), sets " +
		what + ", so these keys would be that client's")
}

// ConfigEnvEndpointReason is the reason the keys of a dotenv file stay
// when the configuration file conf reads them by name and sets a custom
// endpoint (what).
func ConfigEnvEndpointReason(what, conf string) string {
	if strings.Contains(what, metadataOffVar) {
		return metadataOffReason(what + ", in " + conf)
	}
	return customEndpoint("maybe: " + conf + " reads these keys from the environment by name and sets " + what +
		" beside them, so they are that client's")
}
