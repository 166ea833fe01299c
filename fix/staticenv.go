package fix

import (
	"path"
	"regexp"
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
	jsCredMember = lazyre.New(`\b(accessKeyId|secretAccessKey)\b\s*(?::\s*((?:process\.env(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\s*["'][A-Za-z_][A-Za-z0-9_]*["']\s*\])|[A-Za-z_$][A-Za-z0-9_$]*)(?:\s*!|\s+as\s+string)?)\s*)?[,}\n]`)
	// jsEnvAssign is const k = process.env.X (let, var).
	jsEnvAssign = lazyre.New(`\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]{0,100})(?:\s*:\s*string)?\s*=\s*process\.env(?:\.([A-Za-z_][A-Za-z0-9_]{0,200})|\[\s*["']([A-Za-z_][A-Za-z0-9_]{0,200})["']\s*\])(?:\s*!|\s+as\s+string)?\s*[;\n]`)
	// jsEnvDestructure is const { A, B: b } = process.env.
	jsEnvDestructure = lazyre.New(`\b(?:const|let|var)\s*\{([^{}]{1,1000})\}\s*=\s*process\.env\b`)
	identRe          = lazyre.New(`[A-Za-z_$][A-Za-z0-9_$]*`)
	wholeIdent       = lazyre.New(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
)

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
		return goStaticReads(text)
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		if !strings.Contains(text, "process.env") {
			return nil
		}
		return jsStaticReads(text)
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

func goStaticReads(text string) []staticRead {
	vars := &assigned{text: text}
	for _, m := range goEnvAssign.FindAllStringSubmatchIndex(text, -1) {
		vars.put(text[m[2]:m[3]], staticRead{name: text[m[4]:m[5]], off: m[0], what: strings.TrimSpace(text[m[0]:m[1]])})
	}
	var out []staticRead
	for _, m := range goStaticCall.FindAllStringIndex(text, -1) {
		args := text[m[1]:callEnd(text, m[1])]
		for _, r := range goEnvRead.FindAllStringSubmatchIndex(args, -1) {
			out = append(out, staticRead{name: args[r[2]:r[3]], off: m[1] + r[0], what: args[r[0]:r[1]]})
		}
		out = append(out, identReads(args, vars)...)
	}
	return out
}

func jsStaticReads(text string) []staticRead {
	vars := &assigned{text: text}
	for _, m := range jsEnvAssign.FindAllStringSubmatchIndex(text, -1) {
		n := ""
		if m[4] >= 0 {
			n = text[m[4]:m[5]]
		} else {
			n = text[m[6]:m[7]]
		}
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
		for _, r := range jsEnvRead.FindAllStringSubmatchIndex(s, -1) {
			n := ""
			if r[2] >= 0 {
				n = s[r[2]:r[3]]
			} else {
				n = s[r[4]:r[5]]
			}
			out = append(out, staticRead{name: n, off: off + r[0], what: s[r[0]:r[1]]})
		}
	}
	for _, m := range jsCredMember.FindAllStringSubmatchIndex(text, -1) {
		v := text[m[2]:m[3]] // shorthand: the variable of that name
		if m[4] >= 0 {
			v = text[m[4]:m[5]]
		}
		if strings.HasPrefix(v, "process.env") {
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
