package scanner

import (
	"bytes"
	"strings"
)

// The SDKs' credentials constructors take the secret by its place, not by
// a name: new BasicAWSCredentials(id, secret), AwsBasicCredentials.create(
// id, secret), new AmazonS3Client(id, secret, region), boto3.Session(id,
// secret), Aws::Credentials.new(id, secret). A constructor named by AWS's
// SDK says what that argument is as clearly as aws_secret_access_key does,
// so a value of a secret's shape in that place is read as a secret
// whatever words stand around the call: the key ID often comes from a
// variable or the environment, and nothing else on the line speaks of AWS.
//
// A name other libraries use too (Credentials(...), Credentials::new:
// Google's OAuth credentials, lettre's SMTP login) counts when the call is
// qualified by AWS (AWS.Credentials, Aws::Credentials, Aws\Credentials\),
// when AWS words stand near it, when it has the shape of aws-sdk-rust's
// Credentials::new (five arguments, the last a provider name), or when the
// input names an AWS SDK (awsSDKMarks). Any other name holding
// "Credential" counts, as it always did, only with AWS words near it.

// awsConstructors are the constructors AWS's SDKs name, by class (the
// part before .create or ::new), with the place of the secret among their
// arguments.
var awsConstructors = map[string]uint8{
	"BasicAWSCredentials":          2, // Java v1, .NET
	"BasicSessionCredentials":      2, // Java v1 (id, secret, token)
	"SessionAWSCredentials":        2, // .NET (id, secret, token)
	"AwsBasicCredentials":          2, // Java v2 .create
	"AwsSessionCredentials":        2, // Java v2 .create (id, secret, token)
	"AWSCredentials":               2, // C++ Aws::Auth::AWSCredentials creds(id, secret)
	"AwsCredentials":               2, // Rust rusoto AwsCredentials::new
	"NewStaticCredentials":         2, // Go v1
	"NewStaticCredentialsProvider": 2, // Go v2
}

// awsSDKMarks are texts that only a program using an AWS SDK holds: its
// package or namespace as imported.
var awsSDKMarks = []string{"aws-sdk", "aws_sdk_", "aws_credential_types", "aws_config", "com.amazonaws",
	"software.amazon.awssdk", "Amazon.Runtime", "Aws\\", "Aws::", "boto3", "botocore", "rusoto_"}

// credentialCall records a credentials constructor whose argument at
// position arg is the secret; at is where the anchor (Credential, Amazon,
// boto3) of length n stands.
func (m *match) credentialCall(at, n int) {
	d := m.data
	if !m.sessionCalls && bytes.HasPrefix(d[at:], []byte("boto3")) {
		m.sessionCalls = true
		m.botoSessionCalls()
	}
	// No '(' (nor a '<' that counts) within reach of any end the
	// identifier may have: callOpeners below would turn the anchor down.
	// Service models name Credentials members by the thousand, and their
	// identifiers, read back and forth, and callOpeners' two searches cost
	// them 9 % of their instructions.
	if far := d[min(at+n, len(d)):min(at+n+callReach, len(d))]; bytes.IndexByte(far, '(') < 0 &&
		(!m.markupCallsRead() || bytes.IndexByte(far, '<') < 0) {
		return
	}
	s, e := identAround(d, at, at+n)
	i := e
	// Credentials::new(, Credentials::from_keys(. The dotted forms
	// (AwsBasicCredentials.create, Aws::Credentials.new) are part of the
	// identifier already.
	method := ""
	for _, sfx := range [...]string{"::NEW", "::FROM_KEYS"} { // any case
		if i >= len(d) || d[i] != ':' {
			break // the byte both begin with, asked once: most anchors
		}
		if hasPrefixFold(d[i:], sfx) {
			method = strings.ToLower(sfx[2:])
			i += len(sfx)
			break
		}
	}
	if paren, angle := callOpeners(d, i); !paren && !(angle && m.markupCallsRead()) {
		return // prose and JSON's member names: most anchors
	}
	j := callOpen(d, i)
	if j >= len(d) || d[j] != '(' {
		if j < len(d) && d[j] == '<' && m.markupCallsRead() {
			m.markupCalls = append(m.markupCalls, window{s, i}) // <span>Name</span><span>(</span>: see decodeMarkup
		}
		return
	}
	ident := string(d[s:e])
	arg := uint8(0)
	switch {
	case bytes.HasPrefix(d[at:], []byte("boto3")):
		arg = botoCall(ident)
	case bytes.HasPrefix(d[at:], []byte("Amazon")):
		arg = amazonClient(ident)
	default:
		arg = m.credentialsClass(s, ident, method, j)
	}
	if arg == 0 {
		return
	}
	m.addKeyword(keyword{start: s, end: e, strong: true, call: j, arg: arg})
}

// callOpen returns where a constructor named before i would open its
// arguments: past the blanks and words of up to 24 bytes from i
// (AWSCredentials creds(: C++ names the variable between).
func callOpen(d []byte, i int) int {
	j := i
	for j < len(d) && j-i < 24 && (d[j] == ' ' || isWord(d[j])) {
		j++
	}
	return j
}

// markupCallsRead reports whether a constructor's name and its '(' may
// stand apart in markup (<span>Name</span><span>(</span>: a page's text,
// not a nested input), asked once an input: every credential anchor with a
// '<' near it asked it (service models' documentation is HTML).
func (m *match) markupCallsRead() bool {
	if m.markupCallsKnown == 0 {
		m.markupCallsKnown = 1
		if m.depth == 0 && htmlText(m.plainName()) {
			m.markupCallsKnown = 2
		}
	}
	return m.markupCallsKnown == 2
}

// callOpenersReach is how many bytes callOpeners reads, and callReach how
// far from a credential anchor's end (at+n) they may end: identAround's
// identifier reaches 64 bytes past it and takes two words of up to 16
// bytes, and a ::from_keys may follow.
const (
	callOpenersReach = 25
	callReach        = 64 + 2*16 + len("::FROM_KEYS") + callOpenersReach
)

// callOpeners reports whether a '(' and whether a '<' (looked for only
// where there is no '(') stand among the 25 bytes from i, which hold where
// callOpen(d, i) stops: where neither does, credentialCall has nothing to
// do after callOpen, and does not call it. The anchors of
// credentialCall (Credential, Amazon) stand in botocore's service models
// thousands of times a file, in member names and prose, and reading their
// next 24 bytes one by one was a tenth of the models' instructions
// (TestCallOpenersAsCallOpen).
func callOpeners(d []byte, i int) (paren, angle bool) {
	near := d[min(i, len(d)):min(i+callOpenersReach, len(d))]
	paren = bytes.IndexByte(near, '(') >= 0
	return paren, !paren && bytes.IndexByte(near, '<') >= 0
}

// credentialsClass returns the place of the secret among the arguments of
// the constructor ident (the identifier at s, method its ::new or
// ::from_keys, open its '('), or 0 when it is not taken for an AWS
// constructor.
func (m *match) credentialsClass(s int, ident, method string, open int) uint8 {
	class, qual := ident, ""
	if k := strings.LastIndexByte(class, '.'); k >= 0 {
		qual, class = class[:k+1], class[k+1:]
		if (class == "create" || class == "new") && qual != "" {
			// AwsBasicCredentials.create, Aws::Credentials.new
			method, qual = class, qual[:len(qual)-1]
			class = qual
			if k := strings.LastIndexByte(qual, '.'); k >= 0 {
				qual, class = qual[:k+1], qual[k+1:]
			} else {
				qual = ""
			}
		}
	}
	if a := awsConstructors[class]; a > 0 {
		return a
	}
	if class == "Credentials" && method == "from_keys" {
		return 2 // aws-sdk-rust's Credentials::from_keys(id, secret, token)
	}
	near := m.nearAWS(s, s+len(ident))
	if class != "Credentials" {
		if near {
			return 2 // StaticCredentials(...), a wrapper of the SDK's
		}
		return 0
	}
	switch {
	case near, awsQualified(qual), awsQualified(string(m.data[qualifierStart(m.data, s):s])):
	case method == "new" && rustCredentialsShape(m.data, open):
	default:
		return ifSDK // decided by importsAWSSDK when a value stands in its place
	}
	return 2
}

// ifSDK is credentialsClass's answer for a call that is AWS's only in a
// file that names an AWS SDK: the secret is the second argument. The whole
// input is read for the SDK's names only when a value of a secret's shape
// stands there (sdkArgument), which is rare; Credentials(...) calls are not.
const ifSDK = 0x80 | 2

// sdkArgument reports whether the call kw takes the value at [s,e) (after
// its '(') as the secret, and how the value's context is then named.
func (m *match) sdkArgument(kw *keyword, s int) (bool, string) {
	d := m.data
	arg := kw.arg &^ 0x80
	if kw.call >= s || s-kw.call > 300*(1+int(arg)/4) || !argumentAt(d[kw.call+1:s], arg) {
		return false, ""
	}
	if kw.arg&0x80 != 0 && !m.importsAWSSDK() {
		return false, ""
	}
	return true, argumentName(arg) + string(d[kw.start:kw.end])
}

// qualifierStart returns where the path that qualifies the identifier at s
// starts: Aws:: in Aws::Credentials.new, Aws\Credentials\ in PHP's
// Aws\Credentials\Credentials, aws_credential_types:: in Rust.
func qualifierStart(d []byte, s int) int {
	q, lo := s, max(0, s-64)
	for q > lo {
		switch {
		case q >= 2 && d[q-1] == ':' && d[q-2] == ':':
			q -= 2
		case d[q-1] == '\\':
			q--
		default:
			return q
		}
		for q > lo && isWord(d[q-1]) {
			q--
		}
	}
	return q
}

// awsQualified reports whether a qualifying path names AWS (AWS., Aws::,
// aws_credential_types::, botocore.credentials.).
func awsQualified(q string) bool {
	l := strings.ToLower(q)
	return strings.Contains(l, "aws") || strings.Contains(l, "boto")
}

// rustCredentialsShape reports whether the call opened at open has the
// shape of aws-sdk-rust's Credentials::new(id, secret, token, expiry,
// "provider"): five arguments, the last a string literal. lettre's
// Credentials::new(user, password) has two.
func rustCredentialsShape(d []byte, open int) bool {
	depth, commas, last := 0, 0, open+1
	for i := open + 1; i < len(d) && i-open < 400; i++ {
		switch d[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				a := bytes.TrimSpace(d[last:i])
				return commas == 4 && len(a) >= 2 && a[0] == '"' && a[len(a)-1] == '"'
			}
			depth--
		case ',':
			if depth == 0 {
				commas++
				last = i + 1
			}
		case ';':
			return false
		}
	}
	return false
}

// importsAWSSDK reports whether the input names an AWS SDK (awsSDKMarks).
func (m *match) importsAWSSDK() bool {
	if m.fileFacts&factSDKKnown == 0 {
		m.fileFacts |= factSDKKnown
		for _, w := range awsSDKMarks {
			if bytes.Contains(m.data, []byte(w)) {
				m.fileFacts |= factSDK
				break
			}
		}
	}
	return m.fileFacts&factSDK != 0
}

// botoCall returns the place of the secret among the positional arguments
// of boto3's constructors: Session(aws_access_key_id,
// aws_secret_access_key, ...), client and resource(service_name,
// region_name, api_version, use_ssl, verify, endpoint_url,
// aws_access_key_id, aws_secret_access_key, ...); 0 for anything else.
// boto 2's connect_s3(id, secret) is not looked for: an anchor for it
// (connect_s3) let through three times the places of Go source the others
// do, and cost 2.7 % of the matcher's instructions there (fix11's note;
// S3Connection 4.5-30 % in every window tried).
func botoCall(ident string) uint8 {
	rest, ok := strings.CutPrefix(ident, "boto3.")
	if !ok {
		rest, ok = strings.CutPrefix(ident, "aioboto3.")
	}
	if !ok {
		return 0
	}
	switch rest {
	case "Session", "session.Session":
		return 2
	case "client", "resource":
		return 8
	}
	return 0
}

// botoSessionCalls records, in an input that names boto3, the .client(
// and .resource( calls of anything but boto3 itself (a session's:
// session.client("s3", region, None, True, None, None, id, secret)) as
// calls whose eighth argument is the secret, as boto3.client's is. The
// input is read once, at its first boto3: an anchor for .client( would
// mark every method call of that name in all code. Both names are found
// in one pass over the opening parentheses: a search for each stopped at
// every '.' of a Python file (about 30 M instructions of moto's scan).
// The .client( calls are recorded first, then the .resource( calls.
func (m *match) botoSessionCalls() {
	d := m.data
	var resources []int // the '(' of each .resource(
	for k := 0; ; k++ {
		i := bytes.IndexByte(d[k:], '(')
		if i < 0 {
			break
		}
		k += i
		switch {
		case k >= len(".client") && string(d[k-len(".client"):k]) == ".client":
			m.botoSessionCall(k - len("client"))
		case k >= len(".resource") && string(d[k-len(".resource"):k]) == ".resource":
			resources = append(resources, k)
		}
	}
	for _, open := range resources {
		m.botoSessionCall(open - len("resource"))
	}
}

// botoSessionCall records the call whose name starts at at (after its
// '.') and whose '(' follows the name, unless it is boto3's own or has
// fewer than eight arguments.
func (m *match) botoSessionCall(at int) {
	d := m.data
	open := at + bytes.IndexByte(d[at:], '(')
	s, e := identAround(d, at, open)
	if e != open || botoCall(string(d[s:e])) != 0 || !eightArguments(d, open) {
		return // boto3.client: its own anchor's; a call of fewer arguments
	}
	m.addKeyword(keyword{start: s, end: e, strong: true, call: open, arg: 8})
}

// eightArguments reports whether the call opened at open has an eighth
// argument: seven commas outside brackets within the reach sdkArgument
// gives an eighth argument.
func eightArguments(d []byte, open int) bool {
	depth, commas := 0, 0
	for i := open + 1; i < len(d) && i-open < 900; i++ {
		switch d[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				return false
			}
			depth--
		case ',':
			if depth == 0 {
				if commas++; commas == 7 {
					return true
				}
			}
		case ';':
			return false
		}
	}
	return false
}

// amazonClient returns 2 for the .NET SDK's service clients, which take
// (id, secret, region), (id, secret, config) or (id, secret, token, ...):
// new AmazonS3Client(...), new Amazon.S3.AmazonS3Client(...), and the old
// AWSClientFactory.CreateAmazonS3Client(id, secret); 0 for anything else.
func amazonClient(ident string) uint8 {
	class := ident[strings.LastIndexByte(ident, '.')+1:]
	class = strings.TrimPrefix(class, "Create")
	if len(class) > len("AmazonClient") && strings.HasPrefix(class, "Amazon") && strings.HasSuffix(class, "Client") {
		return 2
	}
	return 0
}

// argumentAt reports whether between, the text from a call's '(' to a
// value, holds exactly the arguments before the value's place arg and
// their commas.
func argumentAt(between []byte, arg uint8) bool {
	if bytes.Count(between, []byte{'\n'}) > int(arg)+1 {
		return false
	}
	depth, commas := 0, 0
	for _, c := range between {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth < 0 {
				return false
			}
		case ',':
			if depth == 0 {
				commas++
			}
		case ';':
			return false
		}
	}
	return depth == 0 && commas == int(arg)-1
}

// argumentName says which argument of a call a secret was: for the
// context of a finding.
func argumentName(arg uint8) string {
	if arg == 8 {
		return "eighth argument of "
	}
	return "second argument of "
}

// otherKeyIDArgument reports whether the argument before a credentials
// call's secret (between runs from the call's '(' to the secret) is one
// plain string literal that is not an AWS key ID: the pair is another
// service's (a MinIO or Ceph access key given to an S3 client), which go
// vet's SDK check clears too (analyzer/sdk.go).
func otherKeyIDArgument(between []byte) bool {
	args := bytes.TrimSpace(between)
	// between ends with the comma before the secret (and its quote)
	if k := bytes.LastIndexByte(args, ','); k >= 0 {
		args = args[:k]
	}
	first := args
	if k := bytes.LastIndexByte(args, ','); k >= 0 {
		first = args[k+1:]
	}
	first = bytes.TrimSpace(first)
	if len(first) < 3 || first[0] != first[len(first)-1] || !bytes.ContainsRune([]byte("\"'`"), rune(first[0])) {
		return false
	}
	v := first[1 : len(first)-1]
	if len(v) == 0 || bytes.ContainsAny(v, "\"'`\\ +") {
		return false // empty, escaped or joined: not a plain literal
	}
	if len(v) == 20 {
		switch string(v[:4]) {
		case "AKIA", "ASIA", "ABIA", "ACCA":
			return false
		}
	}
	return true
}

// sixthArgumentEndpoint reports whether between, the arguments of a boto3
// client or resource call before its eighth, holds in sixth place
// (endpoint_url) a literal endpoint that is not AWS's: the keys are then
// another service's.
func sixthArgumentEndpoint(between []byte) bool {
	depth, n, start := 0, 0, 0
	for i, c := range between {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				if n == 5 {
					return endpointHost(string(between[start:i])) != ""
				}
				n++
				start = i + 1
			}
		}
	}
	return false
}
