package fix

import (
	"github.com/keyscan/keyscan/internal/lazyre"
	"path"
	"strings"
)

// Application code reads its configuration by name: Spring's
// @Value("${aws.accessKey}") and Environment.getProperty("aws.accessKey")
// over application.yml or a .properties file, node-config's
// config.get("aws.accessKeyId") over config/default.json, .NET's
// Configuration["AWS:AccessKey"] or GetSection("AWS") over appsettings.json,
// Django's os.environ["AWS_ACCESS_KEY_ID"] over the .env that load_dotenv
// reads (qa15 HIGH-18). Such code builds static credentials from what it
// reads: removing the setting stops the application (an unresolvable
// placeholder, a missing property, a KeyError) or hands the SDK empty
// keys, and nothing moves to the instance role. So a setting that code of
// the run reads by name is a definition that stays, naming the reader
// (CodeIndex), as a Secret key a secretKeyRef reads does.

// CodeReader reports whether name is a file that CodeIndex.References reads:
// source code of the languages whose applications read settings by name,
// or a Spring configuration file (application*.yml, bootstrap*.yml,
// *.properties), whose ${name} placeholders read other settings.
func CodeReader(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	switch path.Ext(b) {
	case ".java", ".kt", ".kts", ".scala", ".groovy", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts",
		".cs", ".fs", ".vb", ".py", ".rb", ".php", ".go", ".rs", ".ex", ".exs", ".properties":
		return true
	case ".yml", ".yaml":
		return springConfig(b)
	}
	return false
}

// springConfig reports whether base (lower case) is a Spring Boot
// configuration file, whose ${...} placeholders Spring resolves.
func springConfig(base string) bool {
	return strings.HasPrefix(base, "application") || strings.HasPrefix(base, "bootstrap")
}

// jvmSource reports whether base (lower case) is JVM source, where ${...}
// in a string is a Spring placeholder.
func jvmSource(base string) bool {
	switch path.Ext(base) {
	case ".java", ".kt", ".kts", ".scala", ".groovy":
		return true
	}
	return false
}

// settingKey normalises a setting's path as Spring's relaxed binding and
// .NET's configuration keys compare them: case, dashes and underscores do
// not count, and ':' (.NET) and '__' separate levels as '.' does.
func settingKey(p string) string {
	p = strings.ReplaceAll(p, "__", ".")
	p = strings.ReplaceAll(p, ":", ".")
	var b strings.Builder
	for _, c := range strings.ToLower(p) {
		if c != '-' && c != '_' && c != '"' && c != '\'' {
			b.WriteRune(c)
		}
	}
	return strings.Trim(b.String(), ".")
}

var (
	// placeholder is a Spring property placeholder, its default after ':'.
	placeholder = lazyre.New(`\$\{([A-Za-z0-9_.\-\[\]]{1,200})(:[^}$\n]*)?\}`)
	// indexChain is a chain of indexes by name into a configuration read
	// whole (yaml.safe_load, YAML.load_file, JSON.parse): cfg["aws"]["key"],
	// config[:aws][:access_key_id], .get("aws", {}).get("key").
	indexChain = lazyre.New(`(?:(?:\[\s*(?:["'][A-Za-z0-9_.:\-]+["']|:[A-Za-z_][A-Za-z0-9_]*)\s*\]|\.get\(\s*["'][A-Za-z0-9_.:\-]+["'][^()\n]{0,40}\))\s*){2,8}`)
	chainPart  = lazyre.New(`["']([A-Za-z0-9_.:\-]{1,100})["']|:([A-Za-z_][A-Za-z0-9_]{0,100})`)
	// settingLiteral is a string literal that looks like a setting's path.
	settingLiteral = lazyre.New(`["']([A-Za-z0-9_.:\-]{1,200})["']`)
	// sectionRead is a call that reads a whole section of the
	// configuration by its path: .NET's GetSection("AWS") (bound to an
	// options class), Spring's @ConfigurationProperties(prefix = "aws"),
	// node-config's config.get("aws"), Spring Boot's Binder.bind("aws", …).
	sectionRead = lazyre.New(`(?:\bGetSection|@ConfigurationProperties|\bconfig\.get|\bconfig\.has|\.bind)\s*\(\s*(?:(?:prefix|value)\s*=\s*)?["']([A-Za-z0-9_.:\-]{1,200})["']`)
	// readCall is what reads one setting by a name of one part:
	// getProperty("accessKey"), Configuration["AccessKey"], config.get("key").
	readCall = lazyre.New(`(?:\b(?:get|getProperty|getRequiredProperty|getString|GetValue(?:<[^>\n]{1,60}>)?|getValue)\s*\(|\[)\s*["']([A-Za-z0-9_.:\-]{1,200})["']`)
	// configChain is node-config's property access: config.aws.accessKeyId.
	configChain = lazyre.New(`\bconfig((?:\.[A-Za-z_$][A-Za-z0-9_$]*){1,20})`)
)

var (
	// pyHardEnv reads a variable with no default in Python:
	// os.environ["NAME"], django-environ's env("NAME") (env.str, env.int,
	// env.bool), python-decouple's config("NAME").
	pyHardEnv = lazyre.New(`\benviron\s*\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\]|\b(?:env(?:\.(?:str|int|bool))?|config)\(\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\)`)
	// rbHardEnv is Ruby's ENV.fetch("NAME"), which raises KeyError
	// unless a default follows (a second argument, or a block, looked at
	// by CodeIndex.References).
	rbHardEnv = lazyre.New(`\bENV\.fetch\(\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\)`)
	// jvmHardEnv is a Spring placeholder of a variable without a default,
	// ${NAME} (Spring reads the environment as properties), Kotlin's
	// System.getenv("NAME")!!, Scala's sys.env("NAME") (a Map's apply,
	// which throws) and Java's Objects.requireNonNull(System.getenv("NAME")).
	jvmHardEnv = lazyre.New(`\$\{([A-Za-z_][A-Za-z0-9_]{0,200})\}|\bSystem\.getenv\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)\s*!!|\bsys\.env\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)|\brequireNonNull\(\s*System\.getenv\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`)
	// exHardEnv is Elixir's System.fetch_env!("NAME"), which raises
	// System.EnvError (qa29 M2: ExAws's config/runtime.exs).
	exHardEnv = lazyre.New(`\bSystem\.fetch_env!\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`)
	// rsHardEnv is Rust's env::var("NAME") unwrapped (.expect, .unwrap,
	// ?: a panic or an error at start) and env!("NAME"), read when the
	// program is built.
	rsHardEnv = lazyre.New(`\benv::var(?:_os)?\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)\s*(?:\.(?:expect|unwrap)\b|\?)|\benv!\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"`)
	// csHardEnv is C#'s Environment.GetEnvironmentVariable("NAME") ?? throw ….
	csHardEnv = lazyre.New(`\bEnvironment\.GetEnvironmentVariable\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)\s*\?\?\s*throw\b`)
)

// A read with a default is no soft read where credentials are built
// from it: without the variable the program takes the default, a string
// (os.environ.get("KEY_ID", ""), ENV.fetch("KEY_ID", "dev"),
// process.env.KEY_ID || "x"), and hands the SDK static credentials made
// of it, which fail, where a read that gives nothing (os.getenv("KEY_ID"):
// None, which boto3 takes as no argument) lets the SDK's default chain
// find the instance role (fix31). So such a read holds the variable as a
// read with no default does; a default of None, nil, null or undefined
// does not.
var (
	pyDefaultEnv = lazyre.New(`\b(?:environ\.get|getenv|env(?:\.(?:str|int|bool))?|config)\(\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*(?:,\s*|\)\s+or\s+)([^\s,)][^)\n]{0,80})`)
	rbDefaultEnv = lazyre.New(`\bENV(?:\.fetch\(\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*,\s*|\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\]\s*\|\|\s*)([^\s,)][^)\n]{0,80})`)
	jsDefaultEnv = lazyre.New(`\bprocess\.env(?:\.([A-Za-z_][A-Za-z0-9_]{0,200})|\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\])\s*(?:\|\||\?\?)\s*([^\s,)][^)\n]{0,80})`)
)

// defaultEnvRead returns what reads an environment variable with a
// default in the file base (lower case), the default its last group.
func defaultEnvRead(base string) *lazyre.Regexp {
	switch path.Ext(base) {
	case ".py":
		return pyDefaultEnv
	case ".rb":
		return rbDefaultEnv
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		return jsDefaultEnv
	}
	return nil
}

// noDefault reports whether a default read's default gives nothing: a
// nothing, or no default at all but another keyword argument
// (config("NAME", cast=str)).
func noDefault(d string) bool {
	if k, _, ok := strings.Cut(d, "="); ok && !strings.ContainsAny(k, `"'([{`) && !strings.HasPrefix(strings.TrimSpace(k), "=") {
		if strings.TrimSpace(k) != "default" {
			return true
		}
		d = strings.TrimSpace(d[strings.IndexByte(d, '=')+1:])
	}
	for _, w := range []string{"None", "nil", "null", "undefined", "void 0"} {
		if strings.HasPrefix(d, w) && (len(d) == len(w) || !isNameByte(d[len(w)])) {
			return true
		}
	}
	return false
}

// hardEnvRead returns what reads an environment variable and fails when
// it is not set (no default) in the file base (lower case): Python's
// os.environ["NAME"], env("NAME"), config("NAME"); Ruby's
// ENV.fetch("NAME"); a Spring placeholder ${NAME} in JVM source or a
// Spring configuration file, and the JVM's, Elixir's, Rust's and C#'s
// reads that throw (jvmHardEnv, exHardEnv, rsHardEnv, csHardEnv). Soft reads (os.getenv, process.env.NAME,
// ENV["NAME"]) give nothing: the SDK then falls back to its default chain.
func hardEnvRead(base string) *lazyre.Regexp {
	switch {
	case path.Ext(base) == ".py":
		return pyHardEnv
	case path.Ext(base) == ".rb":
		return rbHardEnv
	case path.Ext(base) == ".ex" || path.Ext(base) == ".exs":
		return exHardEnv
	case path.Ext(base) == ".rs":
		return rsHardEnv
	case path.Ext(base) == ".cs":
		return csHardEnv
	case jvmSource(base) || springConfig(base) || strings.HasSuffix(base, ".properties"):
		return jvmHardEnv
	}
	return nil
}

// CodeIndex is the definitions CodeIndex.References looks for, indexed
// once for every source file of the run.
type CodeIndex struct {
	defs  []Definition
	keys  map[string][]int // an AppSetting's normalised path: definitions
	above map[string][]int // a path above an AppSetting's: definitions under it
	env   map[string][]int // an EnvVar's name: definitions
}

// NewCodeIndex indexes the AppSetting, EnvVar and ProgramEnv definitions
// of defs.
func NewCodeIndex(defs []Definition) *CodeIndex {
	x := &CodeIndex{defs: defs, keys: map[string][]int{}, above: map[string][]int{}, env: map[string][]int{}}
	for k, d := range defs {
		switch d.Kind {
		case AppSetting:
			n := settingKey(d.Name)
			x.keys[n] = append(x.keys[n], k)
			for i := strings.LastIndexByte(n, '.'); i > 0; i = strings.LastIndexByte(n[:i], '.') {
				x.above[n[:i]] = append(x.above[n[:i]], k)
			}
		case EnvVar, ProgramEnv:
			x.env[d.Name] = append(x.env[d.Name], k)
		}
	}
	return x
}

// References returns the places of the source or configuration file name
// (content data; CodeReader) that read an AppSetting of the index by its
// path (a Spring placeholder, a string literal naming the whole path, a
// read call with a one-part name, a section read or a node-config
// property chain above it), or read an EnvVar with no default
// (hardEnvRead), with a default other than nothing (defaultEnvRead), or
// with no default but straight into static credentials (staticEnvReads),
// when envToo(def) says the variable's file reaches that code. One
// reference a definition.
func (x *CodeIndex) References(name string, data []byte, envToo func(int) bool) []Reference {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	text := string(data)
	var out []Reference
	lineOf := lineFinder(text)
	done := map[int]bool{}
	add := func(ks []int, off int, what string) {
		for _, k := range ks {
			if !done[k] {
				done[k] = true
				out = append(out, Reference{Def: k, File: name, Line: lineOf(off), What: shorten(what), Code: true})
			}
		}
	}
	jvm := jvmSource(base) || springConfig(base) || strings.HasSuffix(base, ".properties")
	if len(x.keys) > 0 {
		if jvm {
			for _, m := range placeholder.FindAllStringSubmatchIndex(text, -1) {
				add(x.keys[settingKey(text[m[2]:m[3]])], m[0], text[m[0]:m[1]])
			}
		}
		if !strings.HasSuffix(base, ".properties") && !springConfig(base) {
			for _, m := range settingLiteral.FindAllStringSubmatchIndex(text, -1) {
				if p := text[m[2]:m[3]]; strings.ContainsAny(strings.Trim(p, ".:"), ".:") {
					add(x.keys[settingKey(p)], m[0], text[m[0]:m[1]])
				}
			}
			for _, m := range readCall.FindAllStringSubmatchIndex(text, -1) {
				if !envIndex(text[max(0, m[0]-24):m[0]]) { // os.environ["NAME"]: the environment, not this file
					add(x.keys[settingKey(text[m[2]:m[3]])], m[0], text[m[0]:m[1]])
				}
			}
			under := func(p string, off int, what string) {
				sp := settingKey(p)
				add(x.keys[sp], off, what)
				add(x.above[sp], off, what)
			}
			for _, m := range indexChain.FindAllStringIndex(text, -1) {
				if envIndex(text[max(0, m[0]-24):m[0]]) {
					continue
				}
				var parts []string
				for _, p := range chainPart.FindAllStringSubmatch(text[m[0]:m[1]], -1) {
					parts = append(parts, p[1]+p[2])
				}
				under(strings.Join(parts, "."), m[0], text[m[0]:m[1]])
			}
			for _, m := range sectionRead.FindAllStringSubmatchIndex(text, -1) {
				under(text[m[2]:m[3]], m[0], text[m[0]:m[1]])
			}
			if !jvm {
				for _, m := range configChain.FindAllStringSubmatchIndex(text, -1) {
					if p := text[m[2]:m[3]]; !strings.HasPrefix(p, ".get") && !strings.HasPrefix(p, ".has") && !strings.HasPrefix(p, ".util") {
						under(p, m[0], text[m[0]:m[1]])
					}
				}
			}
		}
	}
	if len(x.env) > 0 && envToo != nil {
		for _, r := range requiredBySchema(base, text) {
			var ks []int
			for _, k := range x.env[r.name] {
				if envToo(k) {
					ks = append(ks, k)
				}
			}
			add(ks, r.off, r.what)
		}
	}
	if re := hardEnvRead(base); re != nil && len(x.env) > 0 && envToo != nil && x.mayReadEnv(text) {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			n := ""
			for g := 2; g+1 < len(m); g += 2 {
				if m[g] >= 0 {
					n = text[m[g]:m[g+1]]
					break
				}
			}
			if rest := strings.TrimLeft(text[m[1]:], " \t"); path.Ext(base) == ".rb" && (strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, "do")) {
				continue // ENV.fetch("NAME") { default }
			}
			var ks []int
			for _, k := range x.env[n] {
				if envToo(k) {
					ks = append(ks, k)
				}
			}
			add(ks, m[0], strings.TrimSpace(text[m[0]:m[1]]))
		}
	}
	if re := defaultEnvRead(base); re != nil && len(x.env) > 0 && envToo != nil && x.mayReadEnv(text) {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			n, last := "", len(m)-2
			for g := 2; g < last; g += 2 {
				if m[g] >= 0 {
					n = text[m[g]:m[g+1]]
					break
				}
			}
			if noDefault(text[m[last]:m[last+1]]) {
				continue
			}
			var ks []int
			for _, k := range x.env[n] {
				if envToo(k) && !done[k] {
					ks = append(ks, k)
				}
			}
			for _, k := range ks {
				done[k] = true
				out = append(out, Reference{Def: k, File: name, Line: lineOf(m[0]), What: shorten(strings.TrimSpace(text[m[0]:m[1]])), Code: true, Default: true})
			}
		}
	}
	if len(x.env) > 0 && envToo != nil && x.mayReadEnv(text) {
		for _, r := range staticEnvReads(base, text) {
			for _, k := range x.env[r.name] {
				if envToo(k) && !done[k] {
					done[k] = true
					out = append(out, Reference{Def: k, File: name, Line: lineOf(r.off), What: shorten(r.what), Code: true, Static: true})
				}
			}
		}
	}
	return out
}

// mayReadEnv reports whether text may hold a hard read of a variable of
// the index: a read names the variable whole, so a text without any of
// the names holds none, and the read's search (a regular expression over
// every source file of the project) is skipped. A manifest's or compose
// file's few variables (qa26 M3) ask it of each file; an index of many
// names (a .env of thousands of pairs) is searched as before.
func (x *CodeIndex) mayReadEnv(text string) bool {
	if len(x.env) > 16 {
		return true
	}
	for n := range x.env {
		if strings.Contains(text, n) {
			return true
		}
	}
	return false
}

// envIndex reports whether the text before an index or a call names the
// environment (os.environ[, process.env[, ENV[, os.environ.get(): what
// follows reads a variable, not a setting of a configuration file.
func envIndex(before string) bool {
	b := strings.TrimRight(before, " \t.")
	for _, w := range []string{"environ", "env", "ENV", "Env", "getenv", "Getenv", "GetEnvironmentVariable"} {
		if strings.HasSuffix(b, w) {
			return true
		}
	}
	return false
}

// AppConfigFile reports whether name is an application's configuration
// file by its name, which application code reads by name: Spring's
// application*.yml/.yaml/.properties and bootstrap*, .NET's
// appsettings*.json, node-config's files under config/.
func AppConfigFile(name string) bool {
	p := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	base, ext := path.Base(p), path.Ext(p)
	switch {
	case springConfig(base) && (ext == ".yml" || ext == ".yaml" || ext == ".properties"):
		return true
	case appSettings(base):
		return true
	case path.Base(path.Dir(p)) == "config" && (ext == ".json" || ext == ".json5" || ext == ".yml" || ext == ".yaml"):
		return true
	}
	return false
}

// SpringCloudCredentials reports whether a setting's path is Spring Cloud
// AWS's own credentials (cloud.aws.credentials.*, spring.cloud.aws.
// credentials.*): its auto-configuration reads them, and without them it
// falls back to the SDK's default chain.
func SpringCloudCredentials(p string) bool {
	k := settingKey(p)
	return strings.HasPrefix(k, "cloud.aws.credentials.") || strings.HasPrefix(k, "spring.cloud.aws.credentials.")
}

var (
	// pydanticField is a field of a pydantic-settings class without a
	// default (aws_secret_access_key: str): required, read from the
	// variable of its name in any case.
	pydanticField = lazyre.New(`(?m)^[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*:[ \t]*[A-Za-z_][^=\n#]*(?:#.*)?$`)
	// envalidField is an envalid validator without a default:
	// AWS_SECRET_ACCESS_KEY: str().
	envalidField = lazyre.New(`\b([A-Za-z_][A-Za-z0-9_]*)["']?[ \t]*:[ \t]*(?:str|url|host|port|num|bool|email|json)\([ \t]*\)`)
	// zodField is a zod schema's string field: AWS_SECRET_ACCESS_KEY:
	// z.string().min(40), required unless optional or defaulted.
	zodField = lazyre.New(`\b([A-Za-z_][A-Za-z0-9_]*)["']?[ \t]*:[ \t]*z\.(?:string|coerce\.[a-z]+|url|enum)\(([^,\n}]*)`)
	// goEnvTag is a Go struct tag of the env loaders: envconfig:"NAME"
	// with required:"true", env:"NAME,required" (caarlos0/env).
	goEnvTag  = lazyre.New("`[^`\n]*`")
	goEnvName = lazyre.New(`\b(?:envconfig|env):"([A-Za-z_][A-Za-z0-9_]*)((?:,[a-zA-Z]+)*)"`)
)

// schemaRead is a variable that a settings schema requires.
type schemaRead struct {
	name, what string
	off        int
}

// requiredBySchema returns the environment variables that a settings
// schema of the source file base (lower case; content text) requires, so
// that the program fails at start without them (qa16 HIGH-20):
// pydantic-settings' BaseSettings fields without a default (names upper
// case, as it matches them in any case), envalid's cleanEnv validators
// without a default, zod's string fields that are not optional or
// defaulted, Go struct tags envconfig:"NAME" required:"true" and
// env:"NAME,required" (or notEmpty).
func requiredBySchema(base, text string) []schemaRead {
	var out []schemaRead
	switch path.Ext(base) {
	case ".py":
		if !strings.Contains(text, "BaseSettings") {
			return nil
		}
		for _, m := range pydanticField.FindAllStringSubmatchIndex(text, -1) {
			out = append(out, schemaRead{strings.ToUpper(text[m[2]:m[3]]), strings.TrimSpace(text[m[0]:m[1]]) + " (pydantic-settings)", m[0]})
		}
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		if strings.Contains(text, "cleanEnv") {
			for _, m := range envalidField.FindAllStringSubmatchIndex(text, -1) {
				out = append(out, schemaRead{text[m[2]:m[3]], text[m[0]:m[1]] + " (envalid)", m[0]})
			}
		}
		if strings.Contains(text, "z.object") {
			for _, m := range zodField.FindAllStringSubmatchIndex(text, -1) {
				if rest := text[m[4]:m[5]]; !strings.Contains(rest, ".optional(") && !strings.Contains(rest, ".default(") && !strings.Contains(rest, ".nullish(") {
					out = append(out, schemaRead{text[m[2]:m[3]], strings.TrimSpace(text[m[0]:m[1]]) + " (zod)", m[0]})
				}
			}
		}
	case ".go":
		for _, t := range goEnvTag.FindAllStringIndex(text, -1) {
			tag := text[t[0]:t[1]]
			for _, m := range goEnvName.FindAllStringSubmatch(tag, -1) {
				opts := "," + m[2] + ","
				if strings.Contains(opts, ",required,") || strings.Contains(opts, ",notEmpty,") || strings.HasPrefix(m[0], "envconfig") && strings.Contains(tag, `required:"true"`) {
					out = append(out, schemaRead{m[1], tag, t[0]})
				}
			}
		}
	}
	return out
}
