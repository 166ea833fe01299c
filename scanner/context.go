package scanner

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// ctxLevel is how strongly the text around a value says it is a secret.
type ctxLevel int

const (
	ctxNone   ctxLevel = iota
	ctxWeak            // a weak keyword ("secret") near AWS words
	ctxPaired          // a key ID nearby
	ctxStrong          // assigned to a secret-key keyword
)

// keyword is a secret or session-token keyword found in the text.
// The flags are kept together after the ints: keyword-dense text holds one
// per line, and the list of them is grown by copying.
type keyword struct {
	start, end int   // the whole identifier holding it
	call       int   // for a constructor (Credentials(...)): where its '(' is; 0 otherwise
	arg        uint8 // and the place of the secret among its arguments, 0x80 set when only a file naming an AWS SDK makes it AWS's (sdkcall.go)
	strong     bool
	ifAWS      bool // strong if AWS words are near it, not looked for yet
	other      bool // the secret of another service (client_secret, JWT_SECRET)
	otherOfAWS bool // another credential named with AWS's name (AWS_COGNITO_CLIENT_SECRET): see awsOther
	token      bool // a session-token keyword
	login      bool // a password: a user name or host beside it makes it a login's (see loginBeside)
	// bare: the name is a secret's and no more (secret, secret_key,
	// password: genericNames), so its parents say whose (keywordParent).
	bare bool
}

// isStrong reports whether the keyword is strong. A medium keyword
// (secret_key) is strong with AWS words nearby; they are looked for only
// when a value it assigns asks, not for every keyword of keyword-dense text.
func (m *match) isStrong(kw *keyword) bool {
	if kw.ifAWS {
		kw.strong, kw.ifAWS = m.nearAWS(kw.start, kw.end), false
	}
	return kw.strong
}

// normalizeKeyword folds case and drops the separators people put between
// words, so that aws_secret_access_key, AWS-SECRET-ACCESS-KEY,
// awsSecretAccessKey and cloud.aws.credentials.secret-key compare alike.
func normalizeKeyword(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if f := keywordFold[s[i]]; f != 0 {
			b.WriteByte(f)
		}
	}
	return b.String()
}

// Keyword strength. Names that say AWS secret key on their own are strong;
// "secret_key" is what Terraform, s3cmd and boto call it, but also what
// Django and Flask call their signing key, so it is strong only with AWS
// words nearby; any other name holding "secret" is weak.
var (
	strongSecretWords = []string{"secretaccesskey", "awssecret", "secretaccess", "awssk", "amazonsecret", "s3secret"}
	mediumSecretWords = []string{"secretkey"}
	// otherServiceWords mark a secret of some other system: SESSION_SECRET,
	// client_secret, JWT_SECRET. A value assigned to such a name is not an
	// AWS secret, even next to an AWS key pair.
	otherServiceWords = []string{"session", "client", "jwt", "cookie", "django", "flask", "rails", "github", "gitlab",
		"slack", "stripe", "oauth", "webhook", "signing", "encryption", "hmac", "csrf", "nextauth", "auth0", "google",
		"azure", "gcp", "twilio", "sendgrid", "database", "postgres", "mysql", "redis", "keybase", "consumer", "app",
		"api", "totp", "otp", "recaptcha", "captcha", "facebook", "twitter", "paypal", "shopify", "okta", "vault",
		"admin", "rabbit", "zendesk", "mongo", "smtp", "mail", "ldap", "sentry", "datadog", "newrelic", "jira",
		"heroku", "firebase", "openai", "registry", "npm",
		// Backup tools' repository passwords and passphrases, stored beside
		// the S3 keys of their repository; Airflow's webserver signing key.
		"passphrase", "cipher", "crypt", "restic", "borg", "duplicity", "kopia", "gpg", "pgp", "airflow", "webserver",
		"fernet"}
	// awsOtherWords mark, in a name that says AWS but holds no word of
	// AWS's secret (awssecret, secretaccess), another credential than the
	// key pair: a Cognito app client's secret, an API Gateway API key, a
	// webhook's or a signing secret (AWS_COGNITO_CLIENT_SECRET,
	// AWS_API_GATEWAY_API_KEY, AWS_SNS_WEBHOOK_SECRET). They are the
	// otherServiceWords that never name the key pair's owner or use:
	// not session (AWS's session credentials), admin, app, api, vault or
	// registry (the key of an admin, an app, Vault's AWS engine or ECR),
	// nor crypt (an encrypted copy of the secret).
	awsOtherWords = []string{"cognito", "client", "jwt", "cookie", "oauth", "webhook", "signing", "encryption", "hmac",
		"csrf", "nextauth", "auth0", "consumer", "apikey", "apigateway", "appsecret", "sharedsecret", "totp",
		"recaptcha", "captcha", "smtp", "mail", "ldap", "database", "postgres", "mysql", "redis", "mongo", "rabbit",
		"github", "gitlab", "slack", "stripe", "twilio", "sendgrid", "google", "azure", "gcp", "okta", "sentry",
		"datadog", "newrelic", "firebase", "openai", "django", "flask", "rails", "fernet", "passphrase", "restic",
		"borg", "kopia", "duplicity"}
	// compatibleWords name S3-compatible services: their names outweigh the
	// "s3" in MINIO_S3_SECRET_KEY, not "aws" or "amazon".
	compatibleWords = []string{"minio", "wasabi", "digitalocean", "cloudflare", "backblaze", "linode", "scaleway",
		"ceph", "storj", "googlecloud"}
)

// nameClass is what the matcher learns of an identifier from its text alone.
type nameClass struct {
	ident string // the identifier as the nameCache holds it ("" when it does not: see classify)
	name  string // normalised
	other bool   // otherService
	// otherOfAWS: awsOther; never with other or strong.
	otherOfAWS bool
	strong     bool // holds a strong secret word or a configured keyword
	medium     bool // holds a medium secret word
	// bare: name is one of genericNames, asked of every secret and
	// password keyword (a map lookup each, 3 % of the detector tests'
	// instructions, where the same few names come thousands of times)
	bare bool
}

// classify normalises and classifies an identifier, once per distinct
// identifier: keyword-dense files (service models, tests of secret scanners)
// repeat the same few names thousands of times, across files too.
//
// The answer is read before classify is asked again: it is the entry of
// the last answers that holds it (not a copy, five words a keyword).
func (m *match) classify(ident []byte) *nameClass {
	// The last answers, in the match's scratch by a hash of the identifier,
	// spare most lookups in the shared map (a string hash and compare each).
	// They keep the cache's copy of the identifier: no copy is made here.
	// A name the cache does not hold is kept with ident "", which no
	// identifier asked about matches.
	if m.scratch == nil || len(ident) == 0 {
		c := m.classifyShared(ident)
		return &c
	}
	n := len(ident)
	e := &m.scratch.names[(uint(n)*0x9e37^uint(ident[0])<<3^uint(ident[n-1])<<6^uint(ident[n/2]))%uint(len(m.scratch.names))]
	if e.ident != string(ident) {
		*e = m.classifyShared(ident)
	}
	return e
}

// classifyShared is classify through the Scanner's nameCache.
func (m *match) classifyShared(ident []byte) nameClass {
	nc := m.s.names
	if known := nc.known.Load(); known != nil {
		if c, ok := (*known)[string(ident)]; ok {
			return c
		}
	}
	nc.mu.Lock()
	defer nc.mu.Unlock()
	if c, ok := nc.fresh[string(ident)]; ok {
		return c
	}
	name := normalizeKeyword(unescapeName(ident))
	c := nameClass{name: name, other: otherService(name),
		strong: containsAny(name, strongSecretWords) || containsAny(name, m.s.keywords),
		medium: containsAny(name, mediumSecretWords), bare: genericNames[name]}
	c.otherOfAWS = !c.other && !c.strong && awsOther(name)
	if nc.n < maxNames && len(ident) <= 256 {
		if nc.fresh == nil {
			nc.fresh = map[string]nameClass{}
		}
		c.ident = string(ident)
		nc.fresh[c.ident] = c
		nc.n++
		nc.publish()
	}
	return c
}

// nameCache holds the classes of the identifiers a Scanner has seen, shared
// by its concurrent scans. The names known are read without a lock (a
// map published whole, never written again); a new name waits in fresh
// until fresh holds half as many names as known, and then both are
// published as one new map: each name is copied a few times in all, and
// the scans, which ask about the same names over and over, take no lock
// once the names are known. It stops growing at maxNames.
type nameCache struct {
	known atomic.Pointer[map[string]nameClass]
	mu    sync.Mutex // guards fresh and n
	fresh map[string]nameClass
	n     int
}

// publish makes fresh known when it has grown enough; nc.mu is held.
func (nc *nameCache) publish() {
	var known map[string]nameClass
	if p := nc.known.Load(); p != nil {
		known = *p
	}
	if len(nc.fresh) < max(1, len(known)/2) {
		return
	}
	all := make(map[string]nameClass, len(known)+len(nc.fresh))
	for k, v := range known {
		all[k] = v
	}
	for k, v := range nc.fresh {
		all[k] = v
	}
	nc.known.Store(&all)
	nc.fresh = nil
}

const maxNames = 1 << 16

// otherService reports whether a normalised name is the secret of another system.
func otherService(name string) bool {
	if strings.HasPrefix(name, "gs") || strings.Contains(name, "gcs") {
		return true // gsutil's gs_secret_access_key: a Google Cloud Storage HMAC key
	}
	if otherPassword(name) {
		return true // DB_PASSWORD, ELASTIC_PASSWORD, AWS_RDS_PASSWORD: a login's
	}
	if strings.Contains(name, "aws") || strings.Contains(name, "amazon") {
		return false
	}
	if strings.HasPrefix(name, "r2") || strings.HasPrefix(name, "b2") || strings.HasPrefix(name, "yc") || containsAny(name, compatibleWords) {
		// R2_SECRET_ACCESS_KEY, B2_APPLICATION_KEY, MINIO_SECRET_KEY, Yandex
		// Cloud's YC_SECRET_ACCESS_KEY
		return true
	}
	if strings.Contains(name, "s3") {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 'a' || name[i] > 'z' {
			continue
		}
		for _, w := range otherByFirst[name[i]-'a'] {
			if strings.HasPrefix(name[i:], w) {
				return true
			}
		}
	}
	return false
}

// awsOther reports whether a normalised name that says AWS (or Amazon)
// names another credential than AWS's key pair (awsOtherWords) and none
// of the key pair's own words: AWS_COGNITO_CLIENT_SECRET is an app client's
// secret, though AWS's words stand in it (qa25 L1). What it assigns is no
// AWS secret by its name or by the AWS words near it; the key ID beside it
// still makes it the key's secret when that key ID has no secret of its
// own (keyIDHasSecret): an AWS secret is one whatever its name.
func awsOther(name string) bool {
	if !strings.Contains(name, "aws") && !strings.Contains(name, "amazon") {
		return false
	}
	if containsAny(name, strongSecretWords) || strings.Contains(name, "accesskey") {
		return false
	}
	return containsAny(name, awsOtherWords)
}

// awsQualifiers are what may stand beside a password word in the name of
// an AWS secret: nothing (a bare password, where Maven's S3 wagon, an
// [s3] section or an S3 client's login takes the secret access key) or
// AWS's own name (AWS_PASSWORD, s3Password).
var awsQualifiers = map[string]bool{"": true, "aws": true, "amazon": true, "s3": true, "awss3": true, "amazons3": true}

// otherPassword reports whether a normalised name is the password of
// another system: a password word (password, passwd, pwd, or pass at the
// end: DB_PASS) qualified by anything but AWS's names (DB_PASSWORD,
// ELASTIC_PASSWORD, MYSQL_ROOT_PASSWORD, MYSQL_PWD, AWS_RDS_PASSWORD),
// unless the name says AWS secret key on its own. A password is the secret
// of what it logs in to; AWS's API keys are not a login. It looks for the
// words where a 'p' stands: it is asked about every new identifier.
func otherPassword(name string) bool {
	for i := 0; i < len(name); i++ {
		j := strings.IndexByte(name[i:], 'p')
		if j < 0 {
			return false
		}
		i += j
		w := 0
		switch rest := name[i:]; {
		case strings.HasPrefix(rest, "password"):
			w = len("password")
		case strings.HasPrefix(rest, "passwd"):
			w = len("passwd")
		case strings.HasPrefix(rest, "pwd"):
			w = len("pwd")
		case rest == "pass":
			w = len("pass")
		default:
			continue
		}
		return !awsQualifiers[name[:i]+name[i+w:]] && !containsAny(name, strongSecretWords)
	}
	return false
}

// otherByFirst holds otherServiceWords by first letter: otherService looks
// at each position of a name once instead of searching it once per word.
var otherByFirst = func() (t [26][]string) {
	for _, w := range otherServiceWords {
		t[w[0]-'a'] = append(t[w[0]-'a'], w)
	}
	return t
}()

// identAround returns the identifier (config key, variable, header) that
// holds position i: a run of identifier characters, allowing single spaces
// between words as in CSV headers ("Secret access key").
func identAround(data []byte, i, j int) (int, int) {
	s, e := i, j
	for lo := max(0, i-64); s > lo && identChar[data[s-1]]; {
		s--
	}
	for hi := min(len(data), j+64); e < hi && identChar[data[e]]; {
		e++
	}
	if s > 0 && s < i && data[s-1] == '\\' && (data[s] == 'n' || data[s] == 't' || data[s] == 'r') {
		s++ // "...\naws_secret_access_key": the n belongs to the escape
	}
	// "Secret access key" and "aws secret key": take up to two following words.
	for w := 0; w < 2 && e+1 < len(data) && data[e] == ' ' && isLower(data[e+1]|0x20); w++ {
		if c := data[e+1] | 0x20; c != 'a' && c != 'k' && c != 't' && c != 'i' {
			break // not one of the four words below: most prose, read no further
		}
		k := e + 1
		for k < len(data) && isIdentChar(data[k]) && k-e < 16 {
			k++
		}
		word := data[e+1 : k]
		if !equalLower(word, "access") && !equalLower(word, "key") && !equalLower(word, "token") && !equalLower(word, "id") {
			break
		}
		e = k
	}
	return s, e
}

// nameEscapeAt reports whether a JSON (or JavaScript, Java, Python)
// escape of a name's character starts at i: \u005f, \u0061.
func nameEscapeAt(d []byte, i int) bool {
	if i+6 > len(d) || d[i] != '\\' || d[i+1] != 'u' || d[i+2] != '0' || d[i+3] != '0' || !isHex(d[i+4]) || !isHex(d[i+5]) {
		return false
	}
	return identChar[hexVal(d[i+4])<<4|hexVal(d[i+5])]
}

// escapedIdentAround widens the identifier s:e over JSON's escapes of a
// name's characters and the characters beyond them (aws\u005fsecret…,
// qa19 L9), as far as identAround would read plain ones.
func escapedIdentAround(data []byte, s, e int) (int, int) {
	for lo := max(0, s-64); s > lo+1 && data[s-1] == '\\' && nameEscapeAt(data, s-1); {
		s--
		for s > lo && identChar[data[s-1]] {
			s--
		}
	}
	for hi := min(len(data), e+64); e < hi && nameEscapeAt(data, e); {
		e += 6
		for e < hi && identChar[data[e]] {
			e++
		}
	}
	return s, e
}

// unescapeName returns the name ident with its characters' escapes
// (nameEscapeAt) decoded, as a JSON parser reads it.
func unescapeName(ident []byte) string {
	if bytes.IndexByte(ident, '\\') < 0 {
		return string(ident)
	}
	b := make([]byte, 0, len(ident))
	for i := 0; i < len(ident); i++ {
		if nameEscapeAt(ident, i) {
			b = append(b, hexVal(ident[i+4])<<4|hexVal(ident[i+5]))
			i += 5
			continue
		}
		b = append(b, ident[i])
	}
	return string(b)
}

func (m *match) secretKeyword(at int) {
	if at == 0 || (m.data[at-1]|0x20) != 's' {
		return
	}
	d := m.data
	s, e := identAround(d, at-1, at+5)
	if s > 0 && d[s-1] == '\\' || e < len(d) && d[e] == '\\' {
		s, e = escapedIdentAround(d, s, e)
	}
	c := m.classify(m.data[s:e])
	name := c.name
	kw := keyword{start: s, end: e, other: c.other, otherOfAWS: c.otherOfAWS, bare: c.bare}
	switch {
	case kw.other, kw.otherOfAWS:
	case c.strong:
		kw.strong = true
	case c.medium:
		switch {
		case m.fileKind() == KindSharedConfig && containsAny(normalizeKeyword(m.sectionName(s)), otherServiceWords):
			// airflow.cfg's [webserver] secret_key, beside an [aws] section:
			// the section is another program's.
			kw.other = true
		case m.fileKind() == KindTerraform || m.fileKind() == KindSharedConfig || terraformOption(m.data[:s]):
			kw.strong = true
		case name == "secretkey" && frameworkKind(m.fileKind()) && isScreaming(m.data[s:e]):
			// SECRET_KEY in a .env, settings.py or shell file is Django's or
			// Flask's signing key, whatever AWS settings sit next to it.
			kw.other = true
		default:
			kw.ifAWS = true // strong with AWS words nearby: see isStrong
		}
	}
	m.addKeyword(kw)
}

// terraformOption reports whether the name ending before ends is given on
// Terraform's command line: terraform init -backend-config="secret_key=…"
// (the S3 backend's, as a backend.hcl file gives it), terraform apply -var
// secret_key=… (qa19 L8).
func terraformOption(before []byte) bool {
	before = before[max(0, len(before)-24):]
	before = bytes.TrimRight(before, "\"'")
	before = bytes.TrimRight(before, " \t=")
	return bytes.HasSuffix(before, []byte("-backend-config")) || bytes.HasSuffix(before, []byte("-var"))
}

func frameworkKind(k FileKind) bool {
	return k == KindEnv || k == KindPython || k == KindShell || k == KindDocker || k == KindOther
}

// isScreaming reports whether an identifier is written in upper case (SECRET_KEY).
func isScreaming(b []byte) bool {
	for _, c := range b {
		if isLower(c) {
			return false
		}
	}
	return true
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// passwordKeyword records a password field: weak context, which counts only
// with AWS words nearby (an S3 repository's <password>, s3fs passwd files).
func (m *match) passwordKeyword(at int) {
	if at < 2 || (m.data[at-2]|0x20) != 'p' || (m.data[at-1]|0x20) != 'a' {
		return
	}
	s, e := identAround(m.data, at-2, at+5)
	c := m.classify(m.data[s:e])
	m.addKeyword(keyword{start: s, end: e, other: c.other, login: true, bare: c.bare})
}

// shortSecretKeyword records secret names that do not spell "secret"
// (fluentd's aws_sec_key): strong, they name nothing else.
func (m *match) shortSecretKeyword(at int) {
	s, e := identAround(m.data, at, at+5)
	name := normalizeKeyword(string(m.data[s:e]))
	if strings.Contains(name, "seckey") || strings.Contains(name, "awssk") {
		m.addKeyword(keyword{start: s, end: e, strong: true})
	}
}

func (m *match) tokenKeyword(at int) {
	if at == 0 || (m.data[at-1]|0x20) != 't' {
		return
	}
	s, e := identAround(m.data, at-1, at+4)
	kind := tokenNameOf(m.data[s:e])
	if kind == tokenNameEscaped {
		kind = tokenNameKind(m.classify(m.data[s:e]).name)
	}
	switch kind {
	case tokenNameSession:
		m.addKeyword(keyword{start: s, end: e, strong: true, token: true})
	case tokenNamePlain:
		// "Token" beside AccessKeyId/SecretAccessKey in instance-metadata and
		// ECS credential JSON: counts only next to a temporary key ID.
		m.addKeyword(keyword{start: s, end: e, token: true})
	}
}

// tokenName is what tokenKeyword makes of an identifier's name.
type tokenName uint8

const (
	tokenNameOther   tokenName = iota // no session token's name
	tokenNameSession                  // ends in sessiontoken or securitytoken: strong
	tokenNamePlain                    // token alone
	tokenNameEscaped                  // holds a backslash: only its unescaped name tells
)

// tokenNameKind judges a normalised name. The name must end in the
// keyword: SESSION_TOKEN_ENCRYPTION_KEY is something else.
func tokenNameKind(name string) tokenName {
	switch {
	case strings.HasSuffix(name, "sessiontoken") || strings.HasSuffix(name, "securitytoken"):
		return tokenNameSession
	case name == "token":
		return tokenNamePlain
	}
	return tokenNameOther
}

// tokenNameOf is tokenNameKind of the identifier's normalised name, read
// from its last bytes without classify (no copy, no name cache lookup):
// most identifiers holding "token" (NextToken, accessToken, GITHUB_TOKEN:
// all the service models' paging tokens, most of the detector tests') are
// turned down by their last five letters. Without a backslash the normalised
// name is the identifier's bytes folded by keywordFold (unescapeName
// changes nothing); with one, it answers tokenNameEscaped and the caller
// classifies the identifier (FuzzTokenNameOf holds the two ways to the same
// answer).
func tokenNameOf(ident []byte) tokenName {
	const longest = len("securitytoken")
	var tail [longest]byte // the last n letters and digits, folded, at its end
	n, i := 0, len(ident)
	for i > 0 && n < len("token") {
		i--
		if ident[i] == '\\' {
			return tokenNameEscaped
		}
		if f := keywordFold[ident[i]]; f != 0 {
			n++
			tail[longest-n] = f
		}
	}
	if n < len("token") || string(tail[longest-5:]) != "token" {
		// Most names end here. An escape ending in the bytes read (\u0074oken)
		// starts at most five bytes before them.
		if bytes.IndexByte(ident[max(0, i-5):i], '\\') >= 0 {
			return tokenNameEscaped
		}
		return tokenNameOther
	}
	for i > 0 {
		i--
		if ident[i] == '\\' {
			return tokenNameEscaped
		}
		if f := keywordFold[ident[i]]; f != 0 && n < longest {
			n++
			tail[longest-n] = f
		}
	}
	switch t := tail[longest-n:]; {
	case n >= len("sessiontoken") && string(t[n-12:]) == "sessiontoken",
		n == longest && string(t) == "securitytoken":
		return tokenNameSession
	case n == len("token"):
		return tokenNamePlain
	}
	return tokenNameOther
}

func (m *match) addKeyword(kw keyword) {
	if n := len(m.keywords); n > 0 && m.keywords[n-1].start >= kw.start {
		if m.keywords[n-1].start == kw.start {
			return // the same identifier holds two anchors (secretSessionToken)
		}
		m.unsorted = true
	}
	switch n := len(m.keywords); {
	case m.keywords == nil:
		m.keywords = make([]keyword, 0, 16) // skip the smallest growth steps
	case n == cap(m.keywords) && n >= 1024 && kw.start > 0:
		// Keyword-dense text (a keyword on every line): grow once to the
		// count the density so far projects for the whole input, instead
		// of copying the list at every doubling. At most 8x what it holds:
		// a dense head does not reserve memory for a sparse tail.
		want := n * len(m.data) / kw.start
		m.keywords = slices.Grow(m.keywords, min(max(want+want/8, 2*n), 8*n)-n)
	}
	m.keywords = append(m.keywords, kw)
}

// userKeywords finds the configured extra keywords, which the prefilter does
// not know about. Only runs when the configuration has some.
func (m *match) userKeywords() {
	if m.s.userRE == nil {
		return
	}
	for _, loc := range m.s.userRE.FindAllIndex(m.data, -1) {
		s, e := identAround(m.data, loc[0], loc[1])
		if n := len(m.keywords); n > 0 && m.keywords[n-1].start > s {
			m.unsorted = true
		}
		m.keywords = append(m.keywords, keyword{start: s, end: e, strong: true})
	}
}

// keywordRE matches any of the normalised keywords in any naming style:
// case-insensitive, with an optional separator between letters.
func keywordRE(kws []string) *regexp.Regexp {
	if len(kws) == 0 {
		return nil
	}
	alts := make([]string, len(kws))
	for i, kw := range kws {
		var b strings.Builder
		for j := 0; j < len(kw); j++ {
			if j > 0 {
				b.WriteString(`[-_. ]?`)
			}
			b.WriteString(regexp.QuoteMeta(kw[j : j+1]))
		}
		alts[i] = b.String()
	}
	return regexp.MustCompile(`(?i)` + strings.Join(alts, "|"))
}

// valueWords are the words that may stand between a keyword and its value
// when they are not on the same line: YAML and JSON name/value pairs,
// plist <key>/<string>, CloudFormation Name/Value.
var valueWords = map[string]bool{
	"value": true, "val": true, "string": true, "key": true, "data": true, "default": true,
	"valuefrom": false, "name": true, "secret": true, "type": true, "str": true,
	"binary": true, // YAML !!binary
}

// assigns reports whether the text between a keyword and a value (in that
// order, or value first when reversed) reads as the one assigning the other.
//
// A line continuation (a backslash, then the line's end: the shell's,
// Python's, a Makefile's) joins the lines it parts, so KEY=\ then
// ${A:-<value>} on the next line is KEY=${A:-<value>}, read as one line
// (fp: it was missed, on LF and CRLF files alike, while the same on one
// line was found).
func assigns(between []byte, reversed bool) bool {
	nl := bytes.Count(between, []byte{'\n'})
	if nl > 0 && !reversed && len(between) <= 512 && bytes.IndexByte(between, '\\') >= 0 {
		var buf [512]byte
		if joined, k := joinContinuations(buf[:0], between); k == nl {
			between, nl = joined, 0
		}
	}
	if nl == 0 {
		if reversed {
			return len(between) <= 40 && onlyValueWords(between)
		}
		return len(between) <= 100 && !otherAssignment(between)
	}
	if nl <= 2 && len(between) <= 240 && onlyValueWords(between) {
		return true
	}
	return !reversed && (nl <= 2 && literalOpensAbove(between) || nestedValue(between))
}

// joinContinuations appends b to buf with each line continuation (a
// backslash, an optional CR and a line feed) and the blanks after it
// removed, and returns it with the number of continuations removed.
func joinContinuations(buf, b []byte) ([]byte, int) {
	n := 0
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' {
			j := i + 1
			if j < len(b) && b[j] == '\r' {
				j++
			}
			if j < len(b) && b[j] == '\n' {
				for j++; j < len(b) && (b[j] == ' ' || b[j] == '\t'); j++ {
				}
				i, n = j-1, n+1
				continue
			}
		}
		buf = append(buf, b[i])
	}
	return buf, n
}

// blockNameAttrs are the normalised attributes that name what a block's
// value attribute holds: Terraform's aws_ssm_parameter name, Pulumi's and
// CDK's parameterName, a secret's secret_name, a map entry's key.
var blockNameAttrs = map[string]bool{"name": true, "secretname": true, "parametername": true, "key": true,
	"secretid": true, "path": true,
	// CircleCI's Terraform provider (variable = "NAME", value = …) and
	// CloudFormation's stack outputs and parameters (OutputKey,
	// OutputValue; ParameterKey, ParameterValue): qa21 M1, M2
	"variable": true, "outputkey": true, "parameterkey": true}

// namedBlockValue reports whether the value at v is the value attribute of
// the block whose name attribute the keyword ends (qa18 M7): an SSM
// parameter named for the secret,
//
//	resource "aws_ssm_parameter" "s" {
//	  name  = "/prod/app/aws_secret_access_key"
//	  type  = "SecureString"
//	  value = "<value>"
//	}
//
// and the same in Pulumi's and CDK's options ({ name: "…", type: …, value:
// … }, parameterName: '…', stringValue: '…') and keyword arguments.
// Only sibling attributes (and their own blocks, tags = { … }) may stand
// between, at most eleven lines, and the value's own attribute must say value
// (value, stringValue, plaintext_value, secret_string).
func namedBlockValue(d []byte, kwStart, kwEnd, v int) bool {
	if v-kwEnd > 600 || v < kwEnd {
		return false
	}
	// The cheap tests first: it is asked of every keyword near a value
	// that no nearer name assigns (keyword-dense service models).
	j := kwEnd
	for j < v && (d[j] == ' ' || d[j] == '\t' || d[j] == '\r' || d[j] == '"' || d[j] == '\'' || d[j] == ',') {
		j++
	}
	if j >= v || d[j] != '\n' {
		return false // the keyword ends the name's value and its line
	}
	rest := d[j+1 : v]
	ls := lineStartWithin(d, kwStart, 200)
	if name, _ := lineSetting(bytes.TrimSpace(d[ls:kwStart])); !blockNameAttrs[normalizeKeyword(name)] {
		return false
	}
	depth := 0 // of the sibling attributes' own blocks (tags = { … })
	for n := 0; ; n++ {
		line, more, ok := bytes.Cut(rest, []byte{'\n'})
		if !ok {
			key := bytes.Trim(line, " \t\"':=,")
			return depth == 0 && (isValueWord(key) || valueAttr(normalizeKeyword(string(key))))
		}
		t := bytes.TrimSpace(line)
		switch {
		case n == 11:
			return false
		case len(t) > 0 && (t[0] == '}' || t[0] == ']'):
			if depth == 0 {
				return false // the block closes before the value
			}
			depth--
		case depth > 0:
		default:
			if name, _ := lineSetting(t); name == "" && !commentLine(t) {
				return false // not a sibling attribute: a blank line, a list
			}
		}
		if len(t) > 0 && (t[len(t)-1] == '{' || t[len(t)-1] == '[') {
			depth++
		}
		rest = more
	}
}

// commentLine reports whether a trimmed line is a comment (# …, // …), which
// a block's attributes may have between them (qa21 M2: a note above a
// Kubernetes env entry's value).
func commentLine(t []byte) bool {
	return len(t) > 0 && t[0] == '#' || bytes.HasPrefix(t, []byte("//"))
}

// nestedValue reports whether the value sits in a block nested under the
// keyword, as a default or value field (a CloudFormation parameter, a YAML
// map under the key):
//
//	AwsSecretAccessKey:
//	  Type: String
//	  Default: <value>
//
// and the same in JSON ("Key": { ... "Default": "<value>") and HCL
// (variable "aws_secret_key" { default = "<value>" }).
func nestedValue(between []byte) bool {
	if len(between) > 600 {
		return false
	}
	head, rest, ok := bytes.Cut(between, []byte{'\n'})
	if !ok || len(bytes.Trim(head, " \t\"':{=")) > 0 || !bytes.ContainsAny(head, ":{") {
		return false // the keyword must open a block: "Key:", "Key": {, "key" {
	}
	if bytes.Count(rest, []byte{'\n'}) > 7 {
		return false
	}
	nl := bytes.LastIndexByte(rest, '\n')
	last := rest[nl+1:] // the value's line, up to the value
	if len(bytes.Trim(last, " \t\r")) == 0 && nl >= 0 {
		// The value opens its line, the first of a multi-line literal
		// whose opener ends the key's line (Default: |, default = <<-EOT).
		above := rest[bytes.LastIndexByte(rest[:nl], '\n')+1 : nl]
		above = bytes.TrimRight(above, " \t\r")
		if o := openerAt(above); o >= 0 {
			last = above[:o]
		}
	}
	key := bytes.Trim(last, " \t\"':=-")
	return equalLower(key, "default") || equalLower(key, "value") || equalLower(key, "defaultvalue")
}

// otherAssignment reports whether b assigns to another name (other=,
// "other": ...): then the value after it belongs to that name.
func otherAssignment(b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' && c != ':' || i > 0 && (b[i-1] == ':' || b[i-1] == '=' || b[i-1] == '!' || b[i-1] == '<' || b[i-1] == '>') {
			continue
		}
		if i+1 < len(b) && (b[i+1] == '=' || b[i+1] == ':') {
			continue // ==, ::, :=
		}
		j := i
		if j > 0 && (b[j-1] == '"' || b[j-1] == '\'') {
			j--
		}
		for j > 1 && b[j-1] == '_' && b[j-2] == '_' {
			j -= 2 // Markdown's __strong__ closes the name: __Secret access key__: (qa21 L3)
		}
		k := j
		for k > 0 && isIdentChar(b[k-1]) {
			k--
		}
		if j-k >= 2 && !isValueWord(b[k:j]) {
			return true // ParameterValue, OutputValue, plaintext_value name the value itself
		}
	}
	return false
}

// isValueWord reports whether an ASCII word, in any case, is one of
// valueWords or ends in "value" (ParameterValue, plaintext_value). It is
// asked about every word between keywords and values, and allocates nothing.
func isValueWord(w []byte) bool {
	var lower [16]byte // longer than any of valueWords
	if len(w) <= len(lower) {
		for i, c := range w {
			if isUpper(c) {
				c += 'a' - 'A'
			}
			lower[i] = c
		}
		if valueWords[string(lower[:len(w)])] {
			return true
		}
	}
	return len(w) >= len("value") && equalLower(w[len(w)-len("value"):], "value")
}

// equalLower reports whether b, with A-Z made lower case, is the lower-case s.
func equalLower(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i, c := range b {
		if isUpper(c) {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

func onlyValueWords(b []byte) bool {
	for i := 0; i < len(b); {
		if !isLower(b[i] | 0x20) {
			i++
			continue
		}
		j := i
		for j < len(b) && isWord(b[j]) {
			j++
		}
		if !isValueWord(b[i:j]) {
			return false
		}
		i = j
	}
	return true
}

type awsWord struct {
	w     string
	whole bool // must end where a word ends
	// named: written in lower case, the word counts only as part of a
	// name (followed by _ : . = - or a quote): "ses_secret", "ses:", but
	// not French prose's "ses amis" or a distance in kms.
	named bool
}

// awsWords are looked for at the start of a word (amazonaws counts); the
// short ones must also end there, so that S3cret and IAMs do not count.
var awsWords = []awsWord{{"AWS", false, false}, {"AMAZON", false, false}, {"BOTO", false, false}, {"S3", true, false}, {"S3A", true, false}, {"S3N", true, false}, {"IAM", true, false},
	{"STS", true, false}, {"EC2", true, false}, {"ECS", true, false}, {"EKS", true, false}, {"RDS", true, false}, {"SQS", true, false}, {"SNS", true, false},
	{"DYNAMODB", false, false}, {"CLOUDWATCH", false, false}, {"CLOUDFRONT", false, false}, {"CLOUDFORMATION", false, false}, {"KINESIS", false, false},
	{"ROUTE53", false, false}, {"REDSHIFT", false, false}, {"ATHENA", true, false},
	// Services people name a key's variables after: Laravel's SES_KEY and
	// SES_SECRET, an ECR pusher's, an SSM or KMS client's (qa26 L3). Not
	// Cognito, whose client secret is another credential (awsOther), nor
	// Lambda, a word of every Python file.
	{"SES", true, true}, {"ECR", true, true}, {"SSM", true, true}, {"KMS", true, true}, {"ELB", true, true}, {"EFS", true, true},
	{"GLACIER", false, false}, {"SAGEMAKER", false, false}, {"LIGHTSAIL", false, false},
	{"US-EAST-", false, false}, {"US-WEST-", false, false}, {"EU-WEST-", false, false}, {"EU-CENTRAL-", false, false}, {"EU-NORTH-", false, false},
	{"AP-SOUTHEAST-", false, false}, {"AP-NORTHEAST-", false, false}, {"AP-SOUTH-", false, false}, {"SA-EAST-", false, false},
	{"CA-CENTRAL-", false, false}}

// awsByPair holds, for each byte pair that begins an AWS word (as
// hasPrefixFold compares them; the first times 256 plus the second), the
// index in awsPairWords of the words it begins, in awsWords' order, and 0
// for the other pairs: awsWordsIn reads every byte of the windows it is
// asked about, and compares words only where a pair starts one.
var awsByPair, awsPairWords = func() (*[1 << 16]uint8, [][]awsWord) {
	t := new([1 << 16]uint8)
	lists := [][]awsWord{nil}
	for _, w := range awsWords {
		for _, a := range foldsOf(w.w[0]) {
			for _, b := range foldsOf(w.w[1]) {
				k := int(a)<<8 | int(b)
				if t[k] == 0 {
					t[k] = uint8(len(lists))
					lists = append(lists, nil)
				}
				lists[t[k]] = append(lists[t[k]], w)
			}
		}
	}
	return t, lists
}()

// foldsOf returns the bytes hasPrefixFold takes for the word byte c, in
// ascending order: awsByPair is built from them at every start, where
// trying all 256 bytes for each word's first two cost 0.5 M instructions.
func foldsOf(c byte) []byte {
	if isUpper(c) {
		return []byte{c, c | 0x20}
	}
	return []byte{c}
}

// nearAWS reports whether AWS words appear within a few lines of the span
// [s,e), not counting the span itself. The words are looked for in the
// windows asked about, not in the whole input: a file with one keyword costs
// one window. Windows near the cached range extend it (see awsWords), so in
// keyword-dense text each byte is read once.
func (m *match) nearAWS(s, e int) bool {
	lo := m.linesBack(s, 5, 800)
	hi := m.linesForward(e, 5, 800)
	// Words of another INI section are another program's (airflow.cfg's
	// [logging] s3:// folder says nothing of [webserver]'s secret_key).
	lo2, hi2 := m.sectionWithin(lo, s, e, hi)
	for _, p := range m.awsWords(lo, hi, lo2, hi2) {
		if p < s || p >= e {
			return true
		}
	}
	return false
}

// awsWords returns where AWS words start in [from,to), a part of [lo,hi):
// the words are looked for in the ranges asked about, not in the whole
// input (a file with one keyword costs one range), and kept; a range near
// the cached one (within 512 bytes) extends it, so in keyword-dense text
// each byte is read once. A range further away starts the cache anew: a
// wider join read every byte between ranges a few KiB apart (a secret
// every sixty lines), most of which no range asks about.
func (m *match) awsWords(lo, hi, from, to int) []int {
	const gap = 512 // a range this close to the cached one is joined to it
	switch {
	case m.awsLo <= lo && hi <= m.awsHi:
	case m.awsHi > 0 && lo <= m.awsHi+gap && hi+gap >= m.awsLo:
		if lo < m.awsLo { // a later pass asks about earlier text: extend backwards
			m.awsPos = append(awsWordsIn(m.data, lo, m.awsLo, nil), m.awsPos...)
			m.looked += m.awsLo - lo
			m.awsLo = lo
		}
		if hi > m.awsHi {
			m.awsPos = awsWordsIn(m.data, m.awsHi, hi, m.awsPos)
			m.looked += hi - m.awsHi
			m.awsHi = hi
		}
	default:
		m.awsPos = awsWordsIn(m.data, lo, hi, m.awsPos[:0])
		m.looked += hi - lo
		m.awsLo, m.awsHi = lo, hi
	}
	return m.awsPos[sort.SearchInts(m.awsPos, from):sort.SearchInts(m.awsPos, to)]
}

// awsWordsIn appends to out where AWS words start in b[lo:hi], in order.
// The pair that begins a word is looked up first: about one byte in fifty
// of code or prose begins one, where the first letters alone (A, S, I, E,
// C...) begin almost every other word, and the branch on them missed.
func awsWordsIn(b []byte, lo, hi int, out []int) []int {
	// Every AWS word is two bytes or more: none starts at the last byte.
	end := min(hi, len(b)-1)
	if lo >= end {
		return out
	}
	pairs := b[:end+1]
	next := pairs[lo]
	for i := lo; i < end; i++ {
		c := next
		next = pairs[i+1]
		l := awsByPair[uint16(c)<<8|uint16(next)]
		if l == 0 {
			continue
		}
		if i > 0 && (isLower(b[i-1]) || isDigit(b[i-1]) || isUpper(b[i-1]) && isUpper(c)) {
			continue // inside a word (camelCase humps count as starts)
		}
		for _, w := range awsPairWords[l] {
			if !hasPrefixFold(b[i:], w.w) {
				continue
			}
			stop := i + len(w.w)
			if w.whole && stop < len(b) && (isLower(b[stop]) || isDigit(b[stop])) {
				continue
			}
			if w.named && isLower(c) && (stop >= len(b) || strings.IndexByte("_:.=-\"'", b[stop]) < 0) {
				continue
			}
			out = append(out, i)
			break
		}
	}
	return out
}

// hasPrefixFold reports whether b starts with w, whose upper-case letters
// match in either case and whose other bytes match exactly.
func hasPrefixFold[T string | []byte](b T, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if isUpper(w[i]) && b[i]&^0x20 != w[i] || !isUpper(w[i]) && b[i] != w[i] {
			return false
		}
	}
	return true
}
