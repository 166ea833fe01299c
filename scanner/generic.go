package scanner

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"path"
	"regexp"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// Generic names. SECRET=, KEY=, PASSWORD=, SECRET_KEY=, ACCESS_KEY= and
// api_secret = name a secret of no system in particular: the same line holds
// an AWS secret in one .env file and a Django signing key or a database
// password in the next, and neither the name nor the value tells them apart.
// The neighbours do, so a value assigned to such a name is judged by its
// block — the lines around it up to a blank line, an INI section header or
// a line indented less (a YAML or Python parent, which is read as well):
//
//   - another system named in the block (an endpoint or host that is not
//     amazonaws.com, a GOOG access ID, a database, framework or other
//     service's settings, a login's user name beside a password) makes the
//     value that system's, whatever AWS words stand next to it;
//   - a signing-key name (SECRET_KEY) in a file that sets up Django, Flask or
//     Rails is the framework's;
//   - a block that already assigns a literal to an AWS secret name has its
//     AWS secret: the generic value beside it is something else; likewise a
//     SECRET_KEY beside AWS_ACCESS_KEY_ID (the block names its AWS keys in
//     AWS's words, so SECRET_KEY is a framework's signing key);
//   - a value that is a copy of another setting of the block (KEY=
//     repeating COGNITO_CLIENT_SECRET) is that setting's, judged under its
//     own name;
//   - otherwise a key ID nearby pairs the value, as for any name. Without
//     one, the block must speak of AWS credentials, not only of AWS: an
//     aws_-prefixed credential sibling (AWS_ACCESS_KEY_ID=$ID,
//     AWS_SESSION_TOKEN), a call passing aws_access_key_id= or
//     aws_secret_access_key=, or a parent that is the value's own and named
//     for AWS (an [aws] section, an aws: or s3: mapping, a dict AWS = {...}).
//     Region, bucket and endpoint settings, boto3 imported or a client made
//     without keys are what every application on AWS has: they do not make
//     its SECRET=, KEY= or PASSWORD= an AWS secret (qa3 MEDIUM-7). Then the
//     value is a secret with weak context: reported when it passes the value
//     tests for that level. SECRET_KEY and ACCESS_KEY are not judged so:
//     SECRET_KEY alone is a web framework's signing key, and forty
//     characters under ACCESS_KEY are not an access key ID's shape; both
//     are reported only when a key ID pairs them.
//
// Only in the files such lines are written in: .env and shell env files,
// Python modules, Dockerfiles and compose files, YAML, INI, TOML and
// properties files. Elsewhere (source code of other languages, JSON,
// documents) the older rule stands: a weak keyword near AWS words.

// genericNames are the normalised names (see normalizeKeyword) that say
// "a secret" without saying whose.
var genericNames = map[string]bool{
	"secret": true, "key": true, "password": true, "secretkey": true, "accesskey": true, "accesssecret": true, "apisecret": true, "apisecretkey": true,
}

// passwordNames are the generic names of a login's password: a user name or
// a host beside one makes the block a login to something else.
var passwordNames = map[string]bool{"password": true}

// loginNames, beside a password, name the login it belongs to.
var loginNames = map[string]bool{"user": true, "username": true, "login": true, "host": true, "hostname": true,
	"port": true, "dbname": true, "database": true, "server": true}

// otherSystemWords, in a neighbour's normalised name, a comment or a parent
// key, name a system other than AWS whose settings the block holds.
var otherSystemWords = []string{"django", "flask", "rails", "laravel", "airflow", "celery", "webserver", "database",
	"postgres", "mysql", "mariadb", "mongo", "redis", "rabbit", "amqp", "kafka", "elastic", "smtp", "mail", "ldap",
	"minio", "wasabi", "backblaze", "digitalocean", "cloudflare", "linode", "scaleway", "ceph", "openstack", "swift",
	"gcs", "gcp", "google", "azure", "firebase", "sqlalchemy", "jwt", "cookie", "csrf", "oauth", "stripe", "twilio",
	"sendgrid", "slack", "github", "gitlab", "sentry", "datadog", "allowedhosts", "installedapps", "secretkeybase",
	"restic", "borg", "duplicity", "passphrase", "cipher", "encrypt"}

// otherHosts, in a neighbour's value, are S3-compatible services and other
// systems' hosts: keys beside them are theirs.
var otherHosts = func() []string {
	hs := []string{"googleapis.com", "minio", "yandexcloud", "oraclecloud.com"}
	for _, h := range foreignHosts { // foreign.go's S3-compatible services
		hs = append(hs, h.host)
	}
	return hs
}()

var awsRegionRE = regexp.MustCompile(`^(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:gov-|iso-|isob-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$`)

// genericFile reports, from the name alone, whether the file may be of a kind
// generic names are judged in; genericKind decides once a value is found.
func genericFile(name string) bool {
	switch ClassifyFile(PlainName(name)) {
	case KindEnv, KindShell, KindPython, KindDocker, KindSpring, KindCI, KindKubernetes:
		return true
	case KindOther:
		return genericExt(name)
	}
	return false
}

// maybeGenericFile is genericFile's quick first look, which allocates
// nothing: false for most names (.go, .json, .md, .java...), true for those
// genericFile must look at.
func maybeGenericFile(name string) bool {
	// The extension is read from the end: the base name is where the last
	// '/', '\\' or '!' leaves off, and most names have a dot in it.
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return true // no extension
	}
	ext := name[dot+1:]
	for i := 0; i < len(ext); i++ {
		if ext[i] == '/' || ext[i] == '\\' || ext[i] == '!' {
			return true // the dot is not in the base name: no extension
		}
	}
	if dot == 0 || name[dot-1] == '/' || name[dot-1] == '\\' || name[dot-1] == '!' {
		return true // a dot file (.env, .envrc, .bashrc)
	}
	if len(ext) > 10 {
		return false
	}
	var b [10]byte
	for i := 0; i < len(ext); i++ {
		b[i] = ext[i] | 0x20
	}
	switch string(b[:len(ext)]) {
	case "go", "json", "md", "java", "js", "ts", "c", "h", "cc", "cpp", "rs", "rb", "php", "html", "css", "xml", "txt",
		"rst", "kt", "scala", "cs", "swift", "tf", "hcl", "sum", "mod", "lock", "svg", "png", "jpg", "gif", "pdf", "zip", "gz", "s":
		return false
	}
	return true
}

func genericExt(name string) bool {
	if i := strings.LastIndexByte(name, '!'); i >= 0 {
		name = name[i+1:]
	}
	base := strings.ToLower(path.Base(PlainName(name)))
	if base == "env" || strings.HasPrefix(base, "env.") {
		return true // env.production: Classify reads it as a .env file
	}
	switch path.Ext(base) {
	case ".yaml", ".yml", ".ini", ".cfg", ".conf", ".toml", ".properties", "":
		return true
	}
	return false
}

// genericKind reports whether generic names are judged by their block in
// this file (its kind known by name and content).
func (m *match) genericKind() bool {
	switch m.fileKind() {
	case KindEnv, KindShell, KindPython, KindDocker, KindSpring, KindCI, KindKubernetes:
		return true
	case KindOther:
		// By name: a file without an extension (LICENSE, Makefile) that its
		// content did not make a script or a .env file is neither.
		return genericExt(m.name) && path.Ext(PlainName(m.name)) != ""
	}
	return false
}

// genericRuns finds the values assigned to KEY= and ACCESS_KEY= (any case,
// any separators) on their own line, which no keyword anchors, so that
// findSecrets looks at them; SECRET, PASSWORD and their kin are anchored by
// the prefilter already. It looks for the k of "key" with IndexByte (k is
// the rarest letter of the word in code and prose) and reads further only
// where "key" stands: most files hold no such name, and the cost of those
// files must stay at that.
func (m *match) genericRuns() {
	if m.depth > 0 || !maybeGenericFile(m.name) {
		return
	}
	d := m.data
	for _, k := range []byte{'k', 'K'} {
		for p := 0; ; p++ {
			if p = nextKeyWord(d, p, k); p < 0 {
				break
			}
			if v := keyValueAt(d, p+2); v >= 0 {
				m.generic = append(m.generic, v)
			}
		}
	}
	if len(m.generic) > 0 && !(genericFile(m.name) && m.genericKind()) {
		m.generic = nil
	}
}

// nextKeyWord returns the first p >= from where k stands before e and y
// in either case ("key" with its k as asked), or -1. It looks for k with
// IndexByte, which passes over most text at once; where the k's it finds
// are close and no word (AKIAAKIA…, EBCDIC's AKIA heads transcoded: a K
// every four bytes, each one IndexByte's call), it reads a stretch of
// keyDenseBytes eight bytes at a time instead (keyWordIn).
func nextKeyWord(d []byte, from int, k byte) int {
	near := 0 // k's in a row, each within 16 bytes of the last, that were no word
	for p := from; p+2 < len(d); {
		j := bytes.IndexByte(d[p:len(d)-2], k)
		if j < 0 {
			return -1
		}
		p += j
		if d[p+1]|0x20 == 'e' && d[p+2]|0x20 == 'y' {
			return p
		}
		p++
		if near++; j >= 16 {
			near = 0
		}
		if near >= 4 {
			end := min(len(d)-2, p+keyDenseBytes)
			if q := keyWordIn(d, p, end, k); q < end {
				return q
			}
			p, near = end, 0
		}
	}
	return -1
}

// keyDenseBytes is how far keyWordIn reads once k's are found close
// together.
const keyDenseBytes = 4 << 10

// keyWordIn returns the first p in [from,end) where k, e and y stand as
// nextKeyWord asks (end+2 <= len(d)), or end: six places a word of eight
// bytes, each place's three bytes compared at once.
func keyWordIn(d []byte, from, end int, k byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	kk := ones * uint64(k)
	p := from
	for ; p < end && p+8 <= len(d); p += 6 {
		w := binary.LittleEndian.Uint64(d[p:])
		lw := w | 0x2020202020202020
		// a zero byte of x where the word starts; the last two bytes
		// are no place's (their e and y are in the next word)
		x := w ^ kk | (lw^ones*'e')>>8 | (lw^ones*'y')>>16 | 0xFFFF<<48
		if z := (x - ones) & ^x & highs; z != 0 {
			return min(end, p+bits.TrailingZeros64(z)/8) // the lowest zero byte is one
		}
	}
	for ; p < end; p++ {
		if d[p] == k && d[p+1]|0x20 == 'e' && d[p+2]|0x20 == 'y' {
			return p
		}
	}
	return end
}

// keyValueAt returns where the value starts when the 'y' at i ends a KEY or
// ACCESS_KEY name assigned a 40-character value ("KEY=v", "key: v",
// "ACCESS_KEY = 'v'", `"key": "v"`), or -1.
func keyValueAt(d []byte, i int) int {
	if i+1 < len(d) && isIdentChar(d[i+1]) {
		return -1
	}
	j := i + 1
	for j < len(d) && (d[j] == ' ' || d[j] == '\t' || d[j] == '"' || d[j] == '\'') && j-i < 8 {
		j++
	}
	if j >= len(d) || d[j] != '=' && d[j] != ':' || j+1 < len(d) && (d[j+1] == '=' || d[j+1] == ':') {
		return -1
	}
	j++
	for j < len(d) && (d[j] == ' ' || d[j] == '\t' || d[j] == '"' || d[j] == '\'') && j-i < 16 {
		j++
	}
	if j+40 > len(d) || !isSecretChar(d[j]) {
		return -1
	}
	r := runAt(d, j, 40)
	if r.n != 40 || len(r.value) != 40 || !hasUpperAndLower(r.value) {
		return -1
	}
	if !genericNames[normalizeKeyword(lineName(d, j))] {
		return -1
	}
	return j
}

// genericName returns the generic name the run at i is assigned to by its
// line in a file where such names are judged by their block, or "".
func (m *match) genericName(i int) string {
	if !m.genericNamesFile() {
		return "" // most files, and the same answer for every value: asked first
	}
	name := lineName(m.data, i)
	if name == "" || !genericNames[normalizeKeyword(name)] {
		return ""
	}
	return name
}

// genericNamesFile reports whether generic names are judged by their block
// in this file (genericFile and genericKind), once per match.
func (m *match) genericNamesFile() bool {
	if m.fileFacts&factGenericKnown == 0 {
		m.fileFacts |= factGenericKnown
		if genericFile(m.name) && m.genericKind() {
			m.fileFacts |= factGeneric
		}
	}
	return m.fileFacts&factGeneric != 0
}

// lineName returns the name a line assigns the value at i to when the line
// is that assignment: "KEY=", "export KEY=", "  key: ", "KEY = '", `"key": "`,
// "- KEY=". A keyword argument (put_object(Key="...")) or a value further
// along a line is not such a line: "a KEY= line" is what names it generic.
func lineName(d []byte, i int) string {
	ls := lineStartWithin(d, i, nameWindow)
	if i-ls > 200 {
		return ""
	}
	name, value := lineSetting(bytes.TrimSpace(d[ls:i]))
	if value != "" {
		return ""
	}
	return name
}

// genericContext judges a value assigned to a generic name by its block.
func (m *match) genericContext(r run, name string) (ctxLevel, string) {
	n := normalizeKeyword(name)
	ev := m.blockEvidence(r, n)
	switch {
	case (n == "secretkey" || n == "secret") && m.frameworkFile():
		return ctxNone, ""
	case ev.named, ev.copyOf:
		return ctxNone, ""
	case ev.awsConn != "" && n == "password":
		// an Airflow AWS connection's password (airflow.go): its login
		// beside it is the key ID's field, not another system's login
		if ev.foreign != "" || ev.connHost != "" {
			return ctxNone, ""
		}
		return ctxStrong, "assigned to " + name + " of an Airflow AWS connection (" + ev.awsConn + ")"
	case n == "secretkey" && ev.awsKeyName && frameworkKind(m.fileKind()) && isScreaming([]byte(name)):
		// AWS_ACCESS_KEY_ID=... beside SECRET_KEY=... in a .env, shell
		// or Python file: the block names its AWS keys in AWS's words,
		// and SECRET_KEY is a framework's (Django's, Flask's), even
		// beside a real key ID.
		return ctxNone, ""
	}
	// A real key ID on the next line is AWS's, and so is the secret
	// beside it, before any other guess from the block's names (qa17 H7:
	// aws_access_key_id: AKIA... then secret_key: in YAML).
	if level, why := m.realKeyIDBeside(r); level != ctxNone {
		return level, why
	}
	if n == "secretkey" && ev.awsKeyName {
		// AWS_ACCESS_KEY_ID=... beside SECRET_KEY=...: the block names its
		// AWS keys in AWS's words, and SECRET_KEY is a framework's.
		return ctxNone, ""
	}
	if ev.other != "" {
		return ctxNone, ""
	}
	if k, ok := m.nearestKeyID(r.start, 6, 1200); ok {
		return ctxPaired, "next to key ID " + Redact(k.value)
	}
	switch {
	case ev.cred != "" && n != "accesskey":
		return ctxWeak, "assigned to " + name + " beside " + ev.cred
	case ev.aws != "" && name == "secretKey":
		// camelCase secretKey is not a framework's spelling but AWS SDKs'
		// and S3 clients' (a Kubernetes Secret's data, a Java config): AWS
		// words in its block are enough, as before generic names.
		return ctxWeak, "assigned to " + name + " beside " + ev.aws
	}
	return ctxNone, ""
}

// realKeyIDBeside pairs a value with a real AWS key ID on a neighbouring
// line of the same section: that key ID is AWS's, and so is the secret
// assigned beside it, whatever other system the block names (KEY=AKIA...
// SECRET=... ENDPOINT=minio, a login's user name beside a password): both
// halves are reported, or the report would revoke a key without its
// secret. It answers ctxNone when there is no such key ID.
func (m *match) realKeyIDBeside(r run) (ctxLevel, string) {
	return m.realKeyIDIn(r, 0, len(m.data))
}

// realKeyIDIn is realKeyIDBeside for a key ID within data[lo:hi].
func (m *match) realKeyIDIn(r run, lo, hi int) (ctxLevel, string) {
	if k, ok := m.nearestKeyID(r.start, 2, 600); ok && lo <= k.start && k.end <= hi && m.sameSection(k.start, r.start) && k.kind == rules.AccessKeyID {
		if _, test := TestKeyID(k.value); !test && (strings.HasPrefix(k.value, "AKIA") || strings.HasPrefix(k.value, "ASIA")) {
			return ctxPaired, "next to key ID " + Redact(k.value)
		}
	}
	return ctxNone, ""
}

// loginWords, as a setting's name or the last word of one (DB_HOST,
// dbUser), name a login beside a password: the system it logs in to.
// engine is the database engine of Secrets Manager's RDS secrets.
var loginWords = []string{"username", "user", "login", "hostname", "host", "port", "dbname", "database", "server", "engine"}

// loginBeside returns the name of a login setting (a user name, a host, a
// port, a database engine) that stands beside the password at r in its
// record, with the record's span, or "": the password is then that login's, the secret of another
// system (a database, a mail or search server), whatever AWS words are near
// (an RDS host, AWS_REGION). The record is the innermost {...}, (...) or
// [...] around the value on its line (a one-line JSON object, also one
// escaped inside a JSON string as Secrets Manager's SecretString is, a
// call's arguments), or, when none opens on the line, the lines of its
// indentation block (a pretty-printed JSON object, a YAML mapping).
func (m *match) loginBeside(r run) (name string, lo, hi int) {
	d := m.data
	ls, le := m.lineStart(r.start, 1024), m.lineEnd(r.end, min(len(d), r.end+1024))
	lo, hi, opened := recordOnLine(d, ls, le, r.start, r.end)
	if n := loginNameIn(d[lo:r.start]); n != "" {
		return n, lo, hi
	}
	if n := loginNameIn(d[r.end:hi]); n != "" {
		return n, lo, hi
	}
	if opened {
		return "", 0, 0
	}
	lo, hi, _ = m.indentBlock(ls, le)
	if n := loginNameIn(d[lo:ls]); n != "" {
		return n, lo, hi
	}
	if n := loginNameIn(d[le:hi]); n != "" {
		return n, lo, hi
	}
	return "", 0, 0
}

// recordOnLine returns the innermost bracketed record around [s,e) within
// the line [ls,le) (at most recordBytes each way), and whether it opens on
// the line; otherwise the line so bounded.
func recordOnLine(d []byte, ls, le, s, e int) (lo, hi int, opened bool) {
	const recordBytes = 512
	lo, hi = max(ls, s-recordBytes), min(le, e+recordBytes)
	depth := 0
	for i := s - 1; i >= lo; i-- {
		switch d[i] {
		case '}', ')', ']':
			depth++
		case '{', '(', '[':
			if depth == 0 {
				lo, opened = i, true
				i = -1 // found
				continue
			}
			depth--
		}
	}
	depth = 0
	for i := e; i < hi; i++ {
		switch d[i] {
		case '{', '(', '[':
			depth++
		case '}', ')', ']':
			if depth == 0 {
				return lo, i + 1, opened
			}
			depth--
		}
	}
	return lo, hi, opened
}

// loginNameIn returns the first setting name in b (a name followed by
// quotes, backslashes or blanks and then '=' or ':') that is a login
// word or ends in one after a separator or a camelCase hump (DB_HOST,
// dbUser), or "".
func loginNameIn(b []byte) string {
	for p := 0; p < len(b); {
		if !nameStart[b[p]] {
			p++
			continue
		}
		q := p + 1
		for q < len(b) && nameByte[b[q]] {
			q++
		}
		k := q
		for k < len(b) && k-q < 8 && (b[k] == '"' || b[k] == '\\' || b[k] == '\'' || b[k] == ' ' || b[k] == '\t') {
			k++
		}
		if k < len(b) && (b[k] == '=' || b[k] == ':') && (k+1 >= len(b) || b[k+1] != '=') {
			if loginName(b[p:q]) {
				return string(b[p:q])
			}
		}
		p = q
	}
	return ""
}

// loginName reports whether a setting's name is a login word or ends in
// one as a word of its own (see loginWords).
func loginName(name []byte) bool {
	for _, w := range loginWords {
		if len(name) < len(w) || !equalLower(name[len(name)-len(w):], w) {
			continue
		}
		i := len(name) - len(w)
		if i == 0 {
			return true
		}
		if c := name[i-1]; c == '_' || c == '.' || c == '-' || isLower(c) && isUpper(name[i]) {
			return !awsQualifiers[normalizeKeyword(string(name[:i]))]
		}
	}
	return false
}

// evidence is what a block says about the system its values belong to.
type evidence struct {
	aws   string // the first thing that says AWS ("AWS_REGION", "boto3")
	other string // the first thing that names another system
	// foreign: the first thing that names another provider of AWS's APIs
	// or another cloud (a MinIO endpoint, provider: wasabi, a gcp: parent),
	// which other also holds; a component's name (mail:, database:) is not.
	foreign string
	named   bool // the block assigns a literal to an AWS secret name
	// awsKeyName: the block names an AWS key ID in AWS's words
	// (AWS_ACCESS_KEY_ID, aws_access_key_id), whatever its value.
	awsKeyName bool
	// cred: the first thing that speaks of AWS credentials (an aws_
	// credential sibling, a call passing AWS keys, the value's own [aws]
	// section or aws: parent); aws alone is not enough for a generic name.
	cred string
	// own is the value judged; copyOf: a sibling holds the same value.
	own    string
	copyOf bool
	// s3Type: a type: S3 setting (Thanos', Cortex's object store), whose
	// config's secret_key is the S3 client's; awsHost: a setting whose
	// value is an AWS host (s3.amazonaws.com). The two together speak of
	// AWS credentials (see objectStoreCred).
	s3Type, awsHost string
	// awsConn: an Airflow connection's conn_type: aws, whose login and
	// password are the key pair; connHost: its host set to something else
	// than AWS's (the endpoint, in Airflow's older AWS connections).
	awsConn, connHost string
}

func (e *evidence) sawCred(what string) {
	if e.cred == "" {
		e.cred = what
	}
}

// awsCredWords, in a normalised aws_-prefixed name, make it a credential's.
var awsCredWords = []string{"accesskey", "keyid", "secret", "sessiontoken", "credential", "token"}

// pairNames are the access-key halves of a generic secret's pair (s3cmd's,
// Terraform's, Telegraf's access_key; Grafana's accessKey), whatever their
// value: a secret_key beside one is that pair's other half.
var pairNames = map[string]bool{"accesskey": true, "accesskeyid": true, "awsaccesskeyid": true}

// awsParentNames are the normalised names of an [aws] section or an aws:
// parent whose own values are AWS credentials.
var awsParentNames = map[string]bool{"aws": true, "amazon": true, "amazonaws": true, "s3": true, "awss3": true,
	"awscredentials": true, "awsconfig": true}

// credContainerNames are the normalised names of a parent that only holds
// credentials: between an AWS parent and a value they make the nested path
// what the dotted one says (Spring Cloud AWS's cloud: aws: credentials:
// secret-key:, as cloud.aws.credentials.secret-key: qa18 M6). Any other
// parent between (aws: rds: password:) names another thing of AWS's.
var credContainerNames = map[string]bool{"credentials": true, "credential": true, "creds": true, "cred": true,
	"auth": true, "static": true, "staticprovider": true, "staticcredentials": true, "keys": true}

func (e *evidence) sawAWS(what string) {
	if e.aws == "" {
		e.aws = what
	}
}

func (e *evidence) sawOther(what string) {
	if e.other == "" {
		e.other = what
	}
}

// sawForeign records another provider of the same APIs or another cloud.
func (e *evidence) sawForeign(what string) {
	e.sawOther(what)
	if e.foreign == "" {
		e.foreign = what
	}
}

// otherWords records the other systems a normalised name or comment names:
// another provider or cloud (foreignWords) as such, any other system's
// word (otherSystemWords) as another system.
func (e *evidence) otherWords(n string) {
	if w, ok := firstWord(n, foreignWords); ok {
		e.sawForeign(w)
	} else if w, ok := firstWord(n, otherSystemWords); ok {
		e.sawOther(w)
	}
}

// foreignWords are the otherSystemWords that name another provider of
// AWS's APIs (S3-compatible storage) or another cloud: above a parent
// named for AWS (mail: ses: secret:) they still make its keys another
// provider's (minio: s3: secret:), where a component's name does not.
var foreignWords = []string{"minio", "wasabi", "backblaze", "digitalocean", "cloudflare", "linode", "scaleway", "ceph",
	"openstack", "swift", "gcs", "gcp", "google", "azure", "firebase"}

// merge takes into e what outer, read outside the block of the value's
// AWS parent (its siblings' blocks and the parents above it), says: all of
// it but the components it names (mail:, smtp:, database:), which are
// other parts of the application, not the owner of the AWS parent's keys.
func (e *evidence) merge(outer evidence) {
	if outer.foreign != "" {
		e.sawForeign(outer.foreign)
	}
	if outer.aws != "" {
		e.sawAWS(outer.aws)
	}
	if outer.cred != "" {
		e.sawCred(outer.cred)
	}
	e.named = e.named || outer.named
	e.awsKeyName = e.awsKeyName || outer.awsKeyName
	e.copyOf = e.copyOf || outer.copyOf
	for _, f := range [...]struct {
		to   *string
		from string
	}{{&e.s3Type, outer.s3Type}, {&e.awsHost, outer.awsHost},
		{&e.awsConn, outer.awsConn}, {&e.connHost, outer.connHost}} {
		if *f.to == "" {
			*f.to = f.from
		}
	}
}

// objectStoreCred makes a secret's block speak of AWS credentials when it
// is an object store's config of type S3 at AWS's host (Thanos', Cortex's,
// Loki's type: S3 with config: {endpoint: s3.amazonaws.com, secret_key:
// …}: qa29 L2): its secret_key is the S3 client's, and the client talks to
// AWS. Another endpoint (MinIO's) makes the block another service's before
// this is asked (ev.other); a type: S3 without AWS's host says nothing of
// whose S3 it is.
func (e *evidence) objectStoreCred(n string) {
	if e.cred == "" && e.s3Type != "" && e.awsHost != "" && strings.Contains(n, "secret") {
		e.sawCred(e.s3Type + " at " + e.awsHost)
	}
}

// Bounds of a block: lines each way, bytes each way, and how far up its
// parents are looked for.
const (
	blockLines   = 12
	blockBytes   = 1500
	parentBytes  = 3000
	parentLevels = 4
)

// blockEvidence reads the block around the value r (see the comment at
// the top of this file). n is the value's generic name, normalised.
//
// Once the value's parents reach one named for AWS (credPath), the lines
// read after it (the siblings of that parent and their blocks, the parents
// above) are read into outer and merged without the components they name:
// in mail: ses: secret: or app: database: … s3: secret:, mail and
// database are other parts of the application, and the secret under ses:
// or s3: is the AWS service's (qa26 L3).
func (m *match) blockEvidence(r run, n string) evidence {
	login := passwordNames[n]
	// An AWS service's parent (ses:, sqs:, [kms]) holds the key pair of the
	// service's client under a secret's name (secret, secret_key); its
	// password is another login's (the SMTP password of SES), its key the
	// key ID or a KMS key's.
	services := strings.Contains(n, "secret")
	var ev, outer evidence
	into := &ev // where the lines read go
	d := m.data
	ev.own = r.text(d)
	own := m.line(r.start)
	ownStart, ownEnd := own.start, own.end
	indent := indentOf(d[ownStart:ownEnd])
	// The value's own line, without the value (whose random letters may
	// spell anything): a comment after it, a call it is passed to.
	m.ownLineEvidence(d[ownStart:r.start], d[min(r.end, ownEnd):ownEnd], &ev)

	// Up: siblings until a blank line or a parent (a line indented less);
	// then the parent's own block (its siblings and theirs, as a YAML map's
	// entry or a Python dict is one object), then only further parents. A
	// section header is read and ends the look.
	s := ownStart
	parentIndent, parents, phase := indent, 0, 0 // phase 0 siblings, 1 the parent's block, 2 parents only
	creds := true                                // every parent read so far is a credentials container
	// section reads a section header or TOML table, which ends the look.
	section := func(t []byte) {
		// A TOML table's dotted path ([cloud.aws.credentials],
		// [profile.aws], [mail.ses]) is its parents in one line (qa21 L1).
		path := string(bytes.Trim(t, "[] \t"))
		v, above := credPath(path, creds && parents == 0, services)
		if parents == 0 && (awsParentNames[normalizeKeyword(string(t))] || v == pathAWS) {
			ev.sawCred(string(t))
		}
		if v == pathAWS {
			m.sectionEvidence([]byte(path[len(above):]), into)
			m.sectionEvidence([]byte(above), &outer)
		} else {
			m.sectionEvidence(t, into)
		}
	}
	// parent reads a parent's line t, indented in.
	parent := func(t []byte, in int) {
		name := parentName(t)
		switch v, above := credPath(name, creds, services); v {
		case pathAWS:
			ev.sawCred(name)
			m.parentEvidence(name[len(above):], into)
			into = &outer
			m.parentEvidence(above, into)
			creds = false
		case pathOther:
			m.parentEvidence(name, into)
			creds = false
		default:
			m.parentEvidence(name, into)
		}
		parentIndent = in
		phase++
		parents++
	}
	ended := false // a header was read: nothing above it is a parent
	for k := 0; s > 0 && ownStart-s < parentBytes && parents < parentLevels; k++ {
		ls := lineStartWithin(d, s-1, parentBytes)
		line := d[ls : s-1]
		s = ls
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] == '[' && bytes.HasSuffix(t, []byte("]")) {
			section(t)
			ended = true
			break
		}
		if len(t) == 0 || phase < 2 && (k >= 2*blockLines || ownStart-s > 2*blockBytes) {
			phase = 2
			if parentIndent == 0 {
				break // only a header can stand above: see below
			}
			continue
		}
		in := indentOf(line)
		switch {
		case isComment(t):
			if phase < 2 {
				m.lineEvidence(line, false, login, into)
			}
		case in < parentIndent:
			parent(t, in)
		case phase < 2:
			m.lineEvidence(line, false, login, into)
		}
	}
	// Past the lines read one by one, the parents are the lines open
	// there, however far up (parentsAbove; qa28 M2): an aws: or [default]
	// a thousand lines up is the value's parent as one a line up is.
	if !ended && s > 0 && parents < parentLevels {
		open := m.parentsAbove(s, parentIndent)
		for k := len(open) - 1; k >= 0 && parents < parentLevels; k-- {
			o := open[k]
			t := bytes.TrimSpace(d[o.start:o.end])
			if o.indent < 0 {
				section(t)
				break
			}
			phase = 2
			parent(t, o.indent)
		}
	}
	ev.merge(outer)
	// Down: siblings until a blank line, a section header or a line
	// indented less than the value's.
	e := ownEnd
	for k := 0; e < len(d) && k < blockLines && e-ownEnd < blockBytes; k++ {
		hi := min(len(d), e+1+blockBytes)
		le := hi // the end of the next line, or of the look
		if j := bytes.IndexByte(d[e+1:hi], '\n'); j >= 0 {
			le = e + 1 + j
		}
		line := d[e+1 : le]
		e = le
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '[' && bytes.HasSuffix(t, []byte("]")) {
			break
		}
		if !isComment(t) && indentOf(line) < indent {
			break
		}
		m.lineEvidence(line, false, login, &ev)
	}
	m.looked += e - s
	ev.objectStoreCred(n)
	if ev.aws == "" && m.fileKind() == KindPython && m.importsBoto() {
		ev.sawAWS("boto3")
	}
	if ev.cred == "" && m.fileKind() == KindPython && m.importsBoto() {
		// KEY = "..." at the top, boto3.client(..., aws_secret_access_key=KEY)
		// in a function further down.
		if name := lineName(d, r.start); name != "" {
			for _, f := range []string{"aws_secret_access_key=", "aws_secret_access_key = "} {
				if i := bytes.Index(d, []byte(f+name)); i >= 0 && !isIdentChar(at(d, i+len(f)+len(name))) {
					ev.sawCred("boto3 given " + name)
					break
				}
			}
		}
	}
	return ev
}

// at returns d[i], or 0 past the end.
func at(d []byte, i int) byte {
	if i < len(d) {
		return d[i]
	}
	return 0
}

func isComment(t []byte) bool {
	return len(t) > 0 && (t[0] == '#' || t[0] == ';' || bytes.HasPrefix(t, []byte("//")))
}

func indentOf(line []byte) int {
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t' || line[n] == '-' && n+1 < len(line) && line[n+1] == ' ') {
		n++
	}
	return n
}

// ownLineEvidence reads the value's own line, before and after the value:
// its name is the generic one, but what it is passed to (jwt.encode(...),
// hmac.new(...)) or a comment after it (# smtp relay) may name a system.
func (m *match) ownLineEvidence(before, after []byte, ev *evidence) {
	for _, part := range [][]byte{before, after} {
		m.lineEvidence(part, true, false, ev)
		if w, ok := firstWord(normalizeKeyword(string(part)), ownLineWords); ok {
			ev.sawOther(w)
		}
	}
}

// ownLineWords, on the value's own line, name what it is for.
var ownLineWords = append([]string{"hmac", "fernet", "signing", "crypt"}, otherSystemWords...)

// lineEvidence reads one line of the block. The value's own line (own) is
// read for hosts and markers only: its name is the generic one.
func (m *match) lineEvidence(line []byte, own, login bool, ev *evidence) {
	lower := strings.ToLower(string(line))
	for _, h := range otherHosts {
		if strings.Contains(lower, h) {
			ev.sawForeign(h)
		}
	}
	if strings.Contains(lower, "boto3") || strings.Contains(lower, "botocore") {
		ev.sawAWS("boto3")
	}
	if !own && (strings.Contains(lower, "aws_access_key_id") || strings.Contains(lower, "aws_secret_access_key")) &&
		!awsCredSetting(bytes.TrimSpace(line)) {
		// A sibling setting (AWS_ACCESS_KEY_ID=$ID) is named as itself
		// below (settingEvidence), not as a call (newuser LOW-26).
		ev.sawCred("a call passing AWS keys")
	}
	if strings.Contains(lower, "endpoint") && !strings.Contains(lower, "amazonaws.com") &&
		(strings.Contains(lower, "://") || strings.Contains(lower, "localhost")) {
		ev.sawForeign("an endpoint that is not AWS")
	}
	t := bytes.TrimSpace(line)
	if isComment(t) {
		words := normalizeKeyword(string(t))
		if _, ok := firstWord(words, otherSystemWords); ok {
			ev.otherWords(words)
		} else if strings.Contains(words, "aws") || strings.Contains(words, "amazon") {
			ev.sawAWS("an AWS comment")
		}
		return
	}
	if own {
		return
	}
	name, value := lineSetting(t)
	if name == "" {
		return
	}
	m.settingEvidence(name, value, login, ev)
}

// awsCredSetting reports whether line t assigns an aws_-prefixed
// credential name (AWS_ACCESS_KEY_ID=$ID, aws_secret_access_key = ...).
func awsCredSetting(t []byte) bool {
	name, _ := lineSetting(t)
	n := normalizeKeyword(name)
	return strings.HasPrefix(n, "aws") && containsAny(n, awsCredWords) && !awsOther(n)
}

// settingEvidence classifies one "name = value" of the block.
func (m *match) settingEvidence(name, value string, login bool, ev *evidence) {
	n := normalizeKeyword(name)
	lv := strings.ToLower(value)
	switch {
	case strings.HasPrefix(value, "GOOG") && len(value) >= 20:
		ev.sawForeign("a Google Cloud Storage access ID")
	case strings.Contains(lv, "amazonaws.com"):
		ev.sawAWS(name)
		if ev.awsHost == "" {
			ev.awsHost = name + ": " + value
		}
	case strings.Contains(n, "endpoint") || n == "hostbase" || n == "hostbucket":
		if value != "" && !strings.HasPrefix(value, "$") {
			ev.sawForeign(name)
		}
	case strings.HasSuffix(n, "provider") || n == "type" || n == "driver":
		switch lv {
		case "aws", "amazon", "s3", "amazons3", "amazon s3":
			ev.sawAWS(name)
			if n == "type" && lv == "s3" && ev.s3Type == "" {
				ev.s3Type = name + ": " + value
			}
		case "":
		default:
			if n != "type" && n != "driver" {
				ev.sawForeign(name)
			}
		}
	}
	switch {
	case n == "conntype" && lv == "aws":
		ev.sawAWS(name)
		if ev.awsConn == "" {
			ev.awsConn = name + ": " + value
		}
	case (n == "host" || n == "endpointurl") && value != "" && !strings.HasPrefix(value, "$") && !strings.Contains(lv, "amazonaws.com") && ev.connHost == "":
		ev.connHost = name
	}
	if !strings.HasPrefix(n, "aws") {
		ev.otherWords(n)
	}
	if n == "debug" || strings.HasPrefix(n, "db") && len(n) > 2 {
		ev.sawOther(name)
	}
	if login && loginNames[n] {
		ev.sawOther(name)
	}
	switch {
	case strings.HasPrefix(n, "aws") || strings.Contains(n, "amazon") || strings.Contains(n, "boto"):
		ev.sawAWS(name)
	case strings.Contains(n, "region") && awsRegionRE.MatchString(lv):
		ev.sawAWS(name)
	case len(awsWordsIn([]byte(name), 0, len(name), nil)) > 0:
		ev.sawAWS(name)
	case len(value) < 100 && len(awsWordsIn([]byte(value), 0, len(value), nil)) > 0:
		ev.sawAWS(name + ": " + value)
	}
	if containsAny(n, strongSecretWords) && literalValue(value) {
		ev.named = true
	}
	if strings.HasPrefix(n, "aws") && (strings.Contains(n, "accesskey") || strings.Contains(n, "keyid")) && !strings.Contains(n, "secret") {
		ev.awsKeyName = true
	}
	if strings.HasPrefix(n, "aws") && containsAny(n, awsCredWords) && !awsOther(n) || pairNames[n] {
		// AWS_COGNITO_CLIENT_SECRET is another credential (awsOther): AWS's
		// words, but not its keys.
		ev.sawCred(name)
	}
	if ev.own != "" && value == ev.own {
		ev.copyOf = true
	}
}

// sectionEvidence reads an INI section header ([aws], [default],
// [webserver]): the section names the system its settings are for.
func (m *match) sectionEvidence(t []byte, ev *evidence) {
	n := normalizeKeyword(string(t))
	if _, ok := firstWord(n, otherSystemWords); ok {
		ev.otherWords(n)
	} else if strings.Contains(n, "aws") || strings.Contains(n, "amazon") || strings.Contains(n, "s3") {
		ev.sawAWS(string(t))
	}
}

// parentEvidence reads a parent of the block (a YAML key, a Python dict or
// class, a HOCON block) by its name: "aws:" or "s3:" says AWS, "minio:" or
// "database:" another system.
func (m *match) parentEvidence(name string, ev *evidence) {
	if name == "" {
		return
	}
	n := normalizeKeyword(name)
	if _, ok := firstWord(n, otherSystemWords); ok {
		ev.otherWords(n)
	} else if strings.HasPrefix(n, "aws") || strings.Contains(n, "amazon") || n == "s3" {
		ev.sawAWS(name)
	}
}

// parentName returns the name of a parent line: what it assigns (aws:,
// "aws": {, aws = {) or the block it opens without an assignment, HOCON's
// and HCL's aws {, aws.credentials { (qa21 L1); "" for any other line.
func parentName(t []byte) string {
	if name, _ := lineSetting(t); name != "" {
		return name
	}
	t = bytes.TrimLeft(t, " \t\"'")
	k := 0
	for k < len(t) && isIdentChar(t[k]) {
		k++
	}
	if k == 0 || string(bytes.Trim(t[k:], " \t\"'")) != "{" {
		return ""
	}
	return string(t[:k])
}

// Where a parent's dotted path leads (credPath).
const (
	pathContainers = iota // only credentials containers (credentials, auth): the parents above decide
	pathAWS               // an AWS parent with only containers after it: the value is AWS's credential
	pathOther             // another parent: the value is something else of that parent's
)

// credPath reads a parent's dotted name (spring.cloud.aws.credentials,
// a TOML table's cloud.aws.credentials) from its last part up, as Spring
// binds it (qa19 M5): an AWS parent reached through credentials
// containers alone says AWS credentials. creds says every parent read
// before (nearer the value) was a container; when it is false the name is
// not read.
//
// With services, an AWS service's name (awsServiceParent: ses, sqs, kms)
// is an AWS parent too. For pathAWS it also returns the part of the name
// above the AWS part, with its dot ("mail." of mail.ses), whose words are
// read as outer evidence (see blockEvidence).
func credPath(name string, creds, services bool) (int, string) {
	if !creds {
		return pathOther, ""
	}
	for rest := name; rest != ""; {
		part := rest
		if i := strings.LastIndexByte(rest, '.'); i >= 0 {
			part, rest = rest[i+1:], rest[:i+1]
		} else {
			rest = ""
		}
		n := normalizeKeyword(part)
		if awsParentNames[n] || services && awsServiceParent(n) {
			return pathAWS, rest
		}
		if !credContainerNames[n] {
			return pathOther, ""
		}
		rest = strings.TrimSuffix(rest, ".")
	}
	return pathContainers, ""
}

// awsServices are the normalised names of the AWS services a parent holding
// its client's key pair is named after (ses: key: secret:, Laravel's
// services.ses; an sqs: or kms: client's), as awsWords lists them. Not
// RDS or Redshift, whose secret is a database login's, nor Cognito, whose
// client secret is another credential.
var awsServices = map[string]bool{"s3": true, "sqs": true, "sns": true, "ses": true, "sts": true, "iam": true, "ec2": true,
	"ecs": true, "eks": true, "ecr": true, "ssm": true, "kms": true, "elb": true, "efs": true, "dynamodb": true, "dynamo": true,
	"kinesis": true, "firehose": true, "cloudwatch": true, "cloudfront": true, "cloudformation": true, "route53": true,
	"glacier": true, "sagemaker": true, "lightsail": true, "athena": true}

// awsServiceParent reports whether a parent's normalised name is an AWS
// service's, alone or after AWS's name (ses, awsses, amazonses).
func awsServiceParent(n string) bool {
	n = strings.TrimPrefix(strings.TrimPrefix(n, "aws"), "amazon")
	return awsServices[n]
}

// firstWord returns the first of words that s holds.
func firstWord(s string, words []string) (string, bool) {
	for _, w := range words {
		if strings.Contains(s, w) {
			return w, true
		}
	}
	return "", false
}

// lineSetting reads the name and value a line assigns: "NAME=value",
// "export NAME=value", "- NAME=value", "name: value", "name = value",
// `"name": "value",`, "ENV NAME value" is not read. Either may be empty.
func lineSetting(t []byte) (name, value string) {
	for _, p := range []string{"export ", "- ", "set ", "ENV ", "ARG "} {
		t = bytes.TrimPrefix(t, []byte(p))
	}
	t = bytes.TrimLeft(t, " \t\"'")
	k := 0
	for k < len(t) && isIdentChar(t[k]) {
		k++
	}
	if k == 0 {
		return "", ""
	}
	j := k
	for j < len(t) && (t[j] == '"' || t[j] == '\'' || t[j] == ' ' || t[j] == '\t') {
		j++
	}
	if j >= len(t) || t[j] != '=' && t[j] != ':' {
		return "", ""
	}
	v := bytes.TrimSpace(t[j+1:])
	v = bytes.TrimRight(v, ",;{")
	v = bytes.Trim(v, " \t\"'")
	return string(t[:k]), string(v)
}

// literalValue reports whether a value is written out (a key of forty
// characters) rather than looked up ($VAR, ${...}, os.environ[...]).
func literalValue(v string) bool {
	if len(v) < 40 {
		return false
	}
	return !strings.ContainsAny(v, "$({}[")
}

// frameworkFile reports whether the file sets up a web framework whose
// signing key is called SECRET_KEY or secret: Django, Flask, Rails.
// It reads the file's head once per scan, however many values ask.
func (m *match) frameworkFile() bool {
	if m.fileFacts&factFrameworkKnown == 0 {
		m.fileFacts |= factFrameworkKnown
		lower := bytes.ToLower(m.data[:min(len(m.data), 64<<10)])
		for _, w := range []string{"django", "flask", "allowed_hosts", "installed_apps", "sqlalchemy", "secret_key_base", "rails_",
			"app.config["} {
			if bytes.Contains(lower, []byte(w)) {
				m.fileFacts |= factFramework
				break
			}
		}
		// Django's settings module is settings.py (or a settings/ package);
		// Flask's configuration is a class Config (ProductionConfig(Config)).
		if m.fileKind() == KindPython && (path.Base(PlainName(m.name)) == "settings.py" ||
			strings.Contains(PlainName(m.name), "settings/") || configClassRE.Match(lower)) {
			m.fileFacts |= factFramework
		}
	}
	return m.fileFacts&factFramework != 0
}

var configClassRE = regexp.MustCompile(`(?m)^class [a-z0-9_]*config\b`)

// importsBoto reports whether a Python module imports boto3 or botocore,
// reading the file once per scan.
func (m *match) importsBoto() bool {
	if m.fileFacts&factBotoKnown == 0 {
		m.fileFacts |= factBotoKnown
		for _, w := range []string{"import boto3", "from boto3", "import botocore", "from botocore", "import aioboto3", "import boto\n"} {
			if bytes.Contains(m.data, []byte(w)) {
				m.fileFacts |= factBoto
				break
			}
		}
	}
	return m.fileFacts&factBoto != 0
}

// fileFacts bits: what frameworkFile, importsBoto and genericNamesFile
// learnt of the input.
const (
	factFrameworkKnown uint8 = 1 << iota
	factFramework
	factBotoKnown
	factBoto
	factGenericKnown // see genericNamesFile
	factGeneric
	factSDKKnown // see importsAWSSDK
	factSDK
)

// keywordParent reads the parents of the bare name at i (a secret_key: or
// "secret": in any file, also where generic names are not judged by their
// block: JSON, HCL, source), nearest first, and says whose secret the
// parents make it: pathOther when the nearest parent that names a system
// names another one (stripe:, "github": {, slack {, [sendgrid]), through
// credentials containers and parents of no system's name (stripe: live:);
// pathAWS when the nearest is named for AWS or an AWS service (aws:,
// "ses": {, [mail.ses]; services: with a secret's name, not a password's)
// with only credentials containers between; otherwise pathContainers, and
// the words near the name decide as before.
//
// A parent is a line indented less that opens a block (name:, "name": {,
// name = {, name {) or the INI section or TOML table above; a line indented
// less that opens none (def f():, prose) ends the look, as do
// parentLevels parents. The lines within parentBytes are read one by one;
// past them, the parents are those open there (parentsAbove), however far
// up they stand (qa28 M2: aws: 4 KB above was not seen, stripe: 4 KB above
// left the secret to the AWS words near it).
func (m *match) keywordParent(i int, services bool) int {
	d := m.data
	ls := lineStartWithin(d, i, nameWindow)
	parentIndent := indentOf(d[ls:i])
	var p parentWalk
	s := ls
	parents := 0
	// parent reads the parent line; done: it decides, or ends the look.
	parent := func(line []byte, section bool) (int, bool) {
		t := bytes.TrimSpace(line)
		var name string
		if section {
			name = string(bytes.Trim(t, "[] \t"))
		} else if n, value := lineSetting(t); n != "" && value == "" {
			name = n
		} else if name = parentName(t); name == "" {
			return pathContainers, true // not a block's name: code, prose
		}
		if v, done := p.read(name, services); done || section {
			return v, true
		}
		parentIndent = indentOf(line)
		parents++
		return pathContainers, false
	}
	if parentIndent == 0 {
		// Every line above is a sibling but an INI section's header,
		// which starts with '[': the walk below would read each of its
		// lines only to find none (a value at a line's start, asked once
		// for each value near: issue 16's near misses spent 6 % here).
		// sectionAbove finds what it would, by two searches.
		end, sec := sectionAbove(d, ls, i)
		if sec >= 0 {
			v, _ := parent(d[sec:lineEndBefore(d, sec, ls-1)], true)
			return v
		}
		s = end
	}
	for s > 0 && i-s < parentBytes && parents < parentLevels {
		l := lineStartWithin(d, s-1, parentBytes)
		line := d[l : s-1]
		s = l
		t := bytes.TrimSpace(line)
		if len(t) == 0 || isComment(t) {
			continue
		}
		section := iniHeader(line)
		if !section && indentOf(line) >= parentIndent {
			continue // a sibling, or a line of a sibling's block
		}
		if v, done := parent(line, section); done {
			return v
		}
	}
	if s > 0 && parents < parentLevels {
		open := m.parentsAbove(s, parentIndent)
		for k := len(open) - 1; k >= 0 && parents < parentLevels; k-- {
			o := open[k]
			if v, done := parent(d[o.start:o.end], o.indent < 0); done {
				return v
			}
		}
	}
	return pathContainers
}

// sectionAbove is keywordParent's walk up from ls, the start of the line
// holding i, for a name at no indent: it returns where the walk ends (the
// start of the first line reached parentBytes or more above i, or 0) and
// the start of the nearest INI section header on the lines between, or
// -1. Each step of the walk goes to the line above, but for a line so
// long that lineStartWithin stops parentBytes back, which is past i-
// parentBytes and ends it: so the walk ends at the step from the first
// line start past i-parentBytes, and reads the lines from there to ls.
func sectionAbove(d []byte, ls, i int) (end, sec int) {
	p := i - parentBytes
	switch {
	case ls <= 0 || ls <= p:
		return ls, -1 // no step
	case p <= 0:
		end = 0 // every step is to a line's start, down to 0
	default:
		last := ls // the first line start after p, where the last step starts
		if k := bytes.IndexByte(d[p:ls-1], '\n'); k >= 0 {
			last = p + k + 1
		}
		end = lineStartWithin(d, last-1, parentBytes)
	}
	// The lines read are those from end to ls (the last ends at ls-1): a
	// header starts one of them with '['. The nearest is wanted, but they
	// are searched for forward: bytes.IndexByte reads many bytes a step,
	// LastIndexByte one.
	sec = -1
	for q := end; q < ls-1; q++ {
		k := bytes.IndexByte(d[q:ls-1], '[')
		if k < 0 {
			break
		}
		q += k
		if (q == end || d[q-1] == '\n') && iniHeader(d[q:lineEndBefore(d, q, ls-1)]) {
			sec = q
		}
	}
	return end, sec
}

// parentWalk is keywordParent's reading of the parents' names so far.
type parentWalk struct {
	neutral bool // a name of no system's stood between
}

// read reads a parent's dotted name, its last part first, and says
// whether it decides: pathOther for another system's (otherService's and
// otherSystemWords' names, the S3-compatible services), pathAWS for AWS's
// or (with services) an AWS service's with no neutral name before it.
// Credentials containers are passed over; a name of neither kind
// (production, storage, settings, rds) is neutral: it ends the AWS path
// but not the look for another system.
func (p *parentWalk) read(name string, services bool) (int, bool) {
	for rest := name; rest != ""; {
		part := rest
		if i := strings.LastIndexByte(rest, '.'); i >= 0 {
			part, rest = rest[i+1:], rest[:i]
		} else {
			rest = ""
		}
		n := normalizeKeyword(part)
		switch {
		case n == "" || credContainerNames[n]:
			continue
		case awsParentNames[n] || services && awsServiceParent(n):
			if p.neutral {
				return pathContainers, true
			}
			return pathAWS, true
		case otherService(n) || containsAny(n, compatibleWords):
			return pathOther, true
		}
		if _, ok := firstWord(n, otherSystemWords); ok {
			return pathOther, true
		}
		p.neutral = true
	}
	return pathContainers, false
}
