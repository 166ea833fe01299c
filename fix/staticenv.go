package fix

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
)

// A read with no default lets its variable go (boto3 takes Python's None
// as no argument and falls back to the default chain), but Go's
// os.Getenv gives "" and JavaScript's process.env.NAME undefined, and
// code that passes that straight into static credentials
// (credentials.NewStaticCredentialsProvider(os.Getenv("KEY_ID"), …),
// new S3Client({credentials: {accessKeyId: process.env.KEY_ID, …}}))
// builds them from nothing: the SDK fails to sign ("static credentials
// are empty") and never asks the instance role (qa27 M2). So such a read
// holds the variable. "Straight" is the read inside the constructor's
// arguments or as the accessKeyId/secretAccessKey member's value, or a
// variable assigned once from the read in the same file and used there:
// a lexical check, not data flow, which is why it is kept this narrow.
// Python needs no such rule: boto3 with None falls back, and a read with
// a default other than None is held by the default rule (fix31).

var (
	// goStaticCall opens a Go SDK's static credentials constructor
	// (v2's credentials.NewStaticCredentialsProvider, v1's
	// credentials.NewStaticCredentials).
	goStaticCall = lazyre.New(`\bNewStaticCredentials(?:Provider)?\s*\(`)
	// goEnvRead is os.Getenv("NAME") or os.LookupEnv("NAME").
	goEnvRead = lazyre.New(`\bos\.(?:Getenv|LookupEnv)\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`)
	// goEnvAssign assigns such a read to a variable: k := os.Getenv("X"),
	// k, ok := os.LookupEnv("X"), var k = …, var k string = ….
	goEnvAssign = lazyre.New(`\b([A-Za-z_][A-Za-z0-9_]{0,100})(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)?(?:\s+string)?\s*:?=\s*os\.(?:Getenv|LookupEnv)\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`)
	// jsStaticCall opens SDK v2's new AWS.Credentials(id, secret).
	jsStaticCall = lazyre.New(`\bnew\s+(?:AWS\.)?Credentials\s*\(`)
	// jsEnvRead is process.env.NAME or process.env["NAME"], with
	// TypeScript's ! or "as string" after it.
	jsEnvRead = lazyre.New(`\bprocess\.env(?:\.([A-Za-z_][A-Za-z0-9_]{0,200})|\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\])(?:\s*!|\s+as\s+string)?`)
	// jsCredMember is a credentials member and its value (an identifier
	// or process.env read), or a shorthand member {accessKeyId, …}.
	jsCredMember = lazyre.New(`\b(accessKeyId|secretAccessKey)\b\s*(?::\s*((?:process\.env(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\s*["'][A-Za-z_][A-Za-z0-9_]*["']\s*\])|Deno\.env\.get\(\s*["'][A-Za-z_][A-Za-z0-9_]*["']\s*\)|Bun\.env\.[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_$][A-Za-z0-9_$]*)(?:\s*!|\s+as\s+string)?)\s*)?[,}\n]`)
	// jsEnvAssign is const k = process.env.X (let, var).
	jsEnvAssign = lazyre.New(`\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]{0,100})(?:\s*:\s*string)?\s*=\s*(?:process\.env(?:\.([A-Za-z_][A-Za-z0-9_]{0,200})|\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\])|Deno\.env\.get\(\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\)|Bun\.env\.([A-Za-z_][A-Za-z0-9_]{0,200}))(?:\s*!|\s+as\s+string)?\s*[;\n]`)
	// jsEnvDestructure is const { A, B: b } = process.env.
	jsEnvDestructure = lazyre.New(`\b(?:const|let|var)\s*\{([^{}]{1,1000})\}\s*=\s*process\.env\b`)
	identRe          = lazyre.New(`[A-Za-z_$][A-Za-z0-9_$]*`)
	// jsEnvDeno is Deno's Deno.env.get("NAME") and Bun's Bun.env.NAME,
	// read as process.env.NAME is (qa29 M2).
	jsEnvDeno  = lazyre.New(`\bDeno\.env\.get\(\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\)|\bBun\.env\.([A-Za-z_][A-Za-z0-9_]{0,200})\b`)
	wholeIdent = lazyre.New(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
)

// staticForm is how the other languages' SDKs are given static
// credentials and read the environment (qa29 M2: Java's
// AwsBasicCredentials.create(System.getenv("NAME"), …) throws on null,
// C#'s BasicAWSCredentials on null, Ruby's Aws::Credentials.new(ENV[…],
// …) raises MissingCredentialsError instead of falling back, PHP's
// 'credentials' => ['key' => getenv(…)] signs with nothing, Rust's
// Credentials::new(env::var(…).unwrap_or_default(), …) with ""). The same
// narrow lexical reading as Go's and JavaScript's: the read inside the
// constructor's arguments, or a variable assigned once from it.
type staticForm struct {
	gate   []string       // the text holds one of these, or the form is not looked for
	call   *lazyre.Regexp // opens static credentials' arguments (or a PHP credentials array)
	read   *lazyre.Regexp // an environment read: the name in the first group that matched
	assign *lazyre.Regexp // a variable assigned from a read: group 1 the variable, the name in the next group that matched
}

var (
	goStatic  = staticForm{gate: []string{"NewStaticCredentials"}, call: goStaticCall, read: goEnvRead, assign: goEnvAssign}
	jvmStatic = staticForm{
		gate:   []string{"Credentials"},
		call:   lazyre.New(`\b(?:AwsBasicCredentials|AwsSessionCredentials)\.create\s*\(|\bnew\s+(?:BasicAWSCredentials|BasicSessionCredentials)\s*\(|\b(?:BasicAWSCredentials|BasicSessionCredentials)\s*\(`),
		read:   lazyre.New(`\bSystem\.getenv\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`),
		assign: lazyre.New(`\b(?:var|val|String|final\s+String)\s+([A-Za-z_][A-Za-z0-9_]{0,100})\s*(?::\s*String\??\s*)?=\s*System\.getenv\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`),
	}
	csStatic = staticForm{
		gate:   []string{"AWSCredentials"},
		call:   lazyre.New(`\bnew\s+(?:BasicAWSCredentials|SessionAWSCredentials)\s*\(`),
		read:   lazyre.New(`\bEnvironment\.GetEnvironmentVariable\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`),
		assign: lazyre.New(`\b(?:var|string\??)\s+([A-Za-z_][A-Za-z0-9_]{0,100})\s*=\s*Environment\.GetEnvironmentVariable\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`),
	}
	rbStatic = staticForm{
		gate:   []string{"Credentials.new"},
		call:   lazyre.New(`\bAws::Credentials\.new\s*\(`),
		read:   lazyre.New(`\bENV\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\]`),
		assign: lazyre.New(`\b([a-z_][A-Za-z0-9_]{0,100})\s*=\s*ENV\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\]`),
	}
	phpStatic = staticForm{
		gate:   []string{"redentials"},
		call:   lazyre.New(`\bnew\s+(?:\\?Aws\\Credentials\\)?Credentials\s*\(|['"]credentials['"]\s*=>\s*(?:\[|array\s*\()`),
		read:   lazyre.New(`\bgetenv\(\s*['"]([A-Za-z_][A-Za-z0-9_]{0,200})['"]\s*\)|\$_(?:ENV|SERVER)\[\s*['"]([A-Za-z_][A-Za-z0-9_]{0,200})['"]\s*\]`),
		assign: lazyre.New(`(\$[A-Za-z_][A-Za-z0-9_]{0,100})\s*=\s*(?:getenv\(\s*['"]([A-Za-z_][A-Za-z0-9_]{0,200})['"]\s*\)|\$_(?:ENV|SERVER)\[\s*['"]([A-Za-z_][A-Za-z0-9_]{0,200})['"]\s*\])`),
	}
	rsStatic = staticForm{
		gate:   []string{"Credentials::"},
		call:   lazyre.New(`\bCredentials::(?:new|from_keys)\s*\(`),
		read:   lazyre.New(`\benv::var(?:_os)?\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`),
		assign: lazyre.New(`\blet\s+(?:mut\s+)?([A-Za-z_][A-Za-z0-9_]{0,100})\s*(?::\s*String\s*)?=\s*(?:std::)?env::var(?:_os)?\(\s*"([A-Za-z_][A-Za-z0-9_]{0,200})"\s*\)`),
	}
)

// formStaticReads returns the reads of text that go straight into f's
// static credentials.
func formStaticReads(text string, f staticForm) []staticRead {
	if !slices.ContainsFunc(f.gate, func(g string) bool { return strings.Contains(text, g) }) {
		return nil
	}
	vars := &assigned{text: text}
	for _, m := range f.assign.FindAllStringSubmatchIndex(text, -1) {
		if n := firstGroup(text, m, 4); n != "" {
			vars.put(text[m[2]:m[3]], staticRead{name: n, off: m[0], what: strings.TrimSpace(text[m[0]:m[1]])})
		}
	}
	var out []staticRead
	for _, m := range f.call.FindAllStringIndex(text, -1) {
		args := text[m[1]:callEnd(text, m[1])]
		for _, r := range f.read.FindAllStringSubmatchIndex(args, -1) {
			if n := firstGroup(args, r, 2); n != "" {
				out = append(out, staticRead{name: n, off: m[1] + r[0], what: args[r[0]:r[1]]})
			}
		}
		out = append(out, identReads(args, vars)...)
	}
	return out
}

// firstGroup returns the text of m's first group from index g on that
// matched, "" if none did.
func firstGroup(text string, m []int, g int) string {
	for ; g+1 < len(m); g += 2 {
		if m[g] >= 0 {
			return text[m[g]:m[g+1]]
		}
	}
	return ""
}

// staticRead is a read of an environment variable whose value goes
// straight into static credentials.
type staticRead struct {
	name string // the variable
	off  int    // where it is read
	what string // the read
}

// staticEnvReads returns the reads of the Go or JavaScript/TypeScript
// source text (base lower case) whose value goes straight into static
// credentials.
func staticEnvReads(base, text string) []staticRead {
	switch path.Ext(base) {
	case ".go":
		if !strings.Contains(text, "NewStaticCredentials") || !strings.Contains(text, "os.") {
			return nil
		}
		return formStaticReads(text, goStatic)
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		if !strings.Contains(text, "process.env") && !strings.Contains(text, "Deno.env") && !strings.Contains(text, "Bun.env") {
			return nil
		}
		return jsStaticReads(text)
	case ".java", ".kt", ".kts", ".scala", ".groovy":
		return formStaticReads(text, jvmStatic)
	case ".cs":
		return formStaticReads(text, csStatic)
	case ".rb":
		return formStaticReads(text, rbStatic)
	case ".php":
		return formStaticReads(text, phpStatic)
	case ".rs":
		return formStaticReads(text, rsStatic)
	}
	return nil
}

// assigned maps a variable assigned from an environment read to that
// read (a variable read into twice: none). Whether it is assigned again
// elsewhere is asked only of a variable that static credentials take
// (identReads), which few are.
type assigned struct {
	text string
	m    map[string]staticRead
}

func (a *assigned) put(ident string, r staticRead) {
	if a.m == nil {
		a.m = map[string]staticRead{}
	}
	if _, ok := a.m[ident]; ok {
		r = staticRead{}
	}
	a.m[ident] = r
}

// assignedAgain reports whether ident is assigned more than once in text
// (k = …, k := …, k += …).
func assignedAgain(text, ident string) bool {
	re := regexp.MustCompile(`(?:^|[^A-Za-z0-9_$.])` + regexp.QuoteMeta(ident) + `(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)?(?:\s+string)?\s*(?::=|\+=|=[^=>])`)
	return len(re.FindAllStringIndex(text, 3)) > 1
}

func jsStaticReads(text string) []staticRead {
	vars := &assigned{text: text}
	for _, m := range jsEnvAssign.FindAllStringSubmatchIndex(text, -1) {
		n := firstGroup(text, m, 4)
		vars.put(text[m[2]:m[3]], staticRead{name: n, off: m[0], what: strings.TrimSpace(strings.TrimRight(text[m[0]:m[1]], ";\n"))})
	}
	for _, m := range jsEnvDestructure.FindAllStringSubmatchIndex(text, -1) {
		for _, part := range strings.Split(text[m[2]:m[3]], ",") {
			part, _, _ = strings.Cut(part, "=") // a default: still static credentials
			key, local, ok := strings.Cut(part, ":")
			key = strings.TrimSpace(key)
			if !ok {
				local = key
			}
			local = strings.TrimSpace(local)
			if wholeIdent.MatchString(key) && wholeIdent.MatchString(local) {
				vars.put(local, staticRead{name: key, off: m[0], what: strings.TrimSpace(text[m[0]:m[1]])})
			}
		}
	}
	var out []staticRead
	envIn := func(s string, off int) {
		for _, re := range []*lazyre.Regexp{jsEnvRead, jsEnvDeno} {
			for _, r := range re.FindAllStringSubmatchIndex(s, -1) {
				out = append(out, staticRead{name: firstGroup(s, r, 2), off: off + r[0], what: s[r[0]:r[1]]})
			}
		}
	}
	for _, m := range jsCredMember.FindAllStringSubmatchIndex(text, -1) {
		v := text[m[2]:m[3]] // shorthand: the variable of that name
		if m[4] >= 0 {
			v = text[m[4]:m[5]]
		}
		if strings.HasPrefix(v, "process.env") || strings.HasPrefix(v, "Deno.env") || strings.HasPrefix(v, "Bun.env") {
			envIn(v, m[4])
			continue
		}
		out = append(out, identReads(v, vars)...)
	}
	for _, m := range jsStaticCall.FindAllStringIndex(text, -1) {
		args := text[m[1]:callEnd(text, m[1])]
		envIn(args, m[1])
		out = append(out, identReads(args, vars)...)
	}
	return out
}

// identReads returns the reads of the variables of vars that s names.
func identReads(s string, vars *assigned) []staticRead {
	if len(vars.m) == 0 {
		return nil
	}
	var out []staticRead
	for _, m := range identRe.FindAllStringIndex(s, -1) {
		if m[0] > 0 && s[m[0]-1] == '.' {
			continue // a member: x.accessKey
		}
		id := s[m[0]:m[1]]
		if r, ok := vars.m[id]; ok && r.name != "" && !assignedAgain(vars.text, id) {
			out = append(out, r)
		}
	}
	return out
}

// callEnd returns where the arguments that start at i end: the offset of
// the closing parenthesis that matches, or a bounded stretch when none
// does.
func callEnd(text string, i int) int {
	depth := 0
	for j := i; j < len(text) && j < i+2000; j++ {
		switch text[j] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return min(len(text), i+2000)
}
