package scanner

import (
	"bytes"
	"strings"
)

// Some contexts are AWS's alone and give the secret by its place, with no
// name of a secret near it (qa29 L2):
//
//   - curl --aws-sigv4 "aws:amz:REGION:SERVICE" --user "ID:SECRET" (or -u,
//     the option on another line of a shell continuation): curl signs the
//     request with AWS's Signature Version 4, and the user's password is
//     the secret access key;
//   - an Apache Airflow connection URI of the aws type, aws://ID:SECRET@
//     (AIRFLOW_CONN_AWS_DEFAULT, airflow connections add --conn-uri), whose
//     password is the secret, URL-encoded.
//
// The anchor (aws-sigv4, aws://) is a keyword whose call is where the
// secret must start (argPlaced): a value there is AWS's secret, strong, as
// an SDK constructor's argument is. Where the request or the connection
// is sent elsewhere — a URL of the command, the URI's host or its
// endpoint_url naming a host that is not AWS's (MinIO, R2 behind AWS's
// signing) — the anchor is no keyword: that service's key, as a block
// naming such an endpoint makes it (foreign.go). A host written as a
// variable says nothing, and the provider says AWS.

// commandBytes bounds how far a curl command is read from its
// --aws-sigv4, either way.
const commandBytes = 2048

// argPlaced marks a keyword whose call is the place of the secret itself
// (awsplace.go), not a call's '(' (sdkcall.go).
const argPlaced = 0x40

// awsPlace reads the anchor at at (aws-sigv4 or aws://) and records the
// place of its secret.
func (m *match) awsPlace(at int, text string) {
	d := m.data
	if at > 0 && (isWord(d[at-1]) || d[at-1] == '.') {
		return // saws://, x.aws://
	}
	var place int
	switch text {
	case "aws-sigv4":
		lo, hi := curlCommand(d, at)
		m.costBytes(hi-lo, headerByteCost) // read a few times over, as a header's lines are
		place = curlSigV4Password(d, at, lo, hi)
	case "aws://":
		place = awsURIPassword(d, at)
	}
	if place > 0 {
		m.addKeyword(keyword{start: at, end: at + len(text), strong: true, call: place, arg: argPlaced})
	}
}

// placedWhy is the context a value at a placed keyword's place is given.
func placedWhy(d []byte, kw *keyword) string {
	if bytes.HasPrefix(d[kw.start:], []byte("aws://")) {
		return "password of an aws:// connection URI"
	}
	return "password of curl --user signed by --aws-sigv4"
}

// curlCommand returns the span of the shell command around at: its line
// and the lines a trailing backslash joins to it, up to 16 lines and
// commandBytes either way.
func curlCommand(d []byte, at int) (lo, hi int) {
	floor := max(0, at-commandBytes)
	lo = lineStartWithin(d, at, at-floor)
	for k := 0; k < 16 && lo > floor+1; k++ {
		prev := bytes.TrimRight(d[floor:lo-1], " \t\r")
		if len(prev) == 0 || prev[len(prev)-1] != '\\' {
			break
		}
		lo = lineStartWithin(d, lo-1, lo-1-floor)
	}
	ceil := min(len(d), at+commandBytes)
	hi = at
	for k := 0; k < 16 && hi < ceil; k++ {
		e := bytes.IndexByte(d[hi:ceil], '\n')
		if e < 0 {
			return lo, ceil
		}
		line := bytes.TrimRight(d[hi:hi+e], " \t\r")
		hi += e
		if len(line) == 0 || line[len(line)-1] != '\\' {
			break
		}
		hi++
	}
	return lo, hi
}

// curlSigV4Password returns where the password of the --user option of
// the curl command holding --aws-sigv4 at at starts, or 0: when the
// provider is not AWS's (aws:...), when no user option gives a literal
// password, or when a URL of the command names a host that is not AWS's.
func curlSigV4Password(d []byte, at, lo, hi int) int {
	if at < 2 || d[at-1] != '-' || d[at-2] != '-' {
		return 0
	}
	p := at + len("aws-sigv4")
	for p < len(d) && p-at < 16 && (d[p] == ' ' || d[p] == '=' || d[p] == '"' || d[p] == '\'') {
		p++
	}
	if !hasPrefixFold(d[p:min(len(d), p+4)], "AWS:") {
		return 0
	}
	cmd := d[lo:hi]
	if urlNotAWS(cmd) {
		return 0
	}
	for i := 0; i < len(cmd); i++ {
		v := curlUserValue(cmd, i)
		if v < 0 {
			continue
		}
		// The value's word: quoted or bare, to its first colon.
		q := byte(0)
		if cmd[v] == '"' || cmd[v] == '\'' {
			q = cmd[v]
			v++
		}
		for j := v; j < len(cmd) && j-v < 300; j++ {
			c := cmd[j]
			if c == q || q == 0 && (c == ' ' || c == '\t' || c == '\n') {
				break
			}
			if c == ':' {
				return lo + j + 1
			}
		}
	}
	return 0
}

// curlUserValue returns where the value of a user option starting at i
// (--user VALUE, --user=VALUE, -u VALUE, -uVALUE) starts, or -1.
func curlUserValue(cmd []byte, i int) int {
	if cmd[i] != '-' || i > 0 && cmd[i-1] != ' ' && cmd[i-1] != '\t' && cmd[i-1] != '\n' {
		return -1
	}
	j := i + 1
	switch {
	case bytes.HasPrefix(cmd[j:], []byte("-user")):
		j += len("-user")
		if j < len(cmd) && cmd[j] == '=' {
			return j + 1
		}
	case j < len(cmd) && cmd[j] == 'u':
		j++
		if j < len(cmd) && cmd[j] != ' ' && cmd[j] != '\t' {
			return j // -uID:SECRET
		}
	default:
		return -1
	}
	if j >= len(cmd) || cmd[j] != ' ' && cmd[j] != '\t' {
		return -1
	}
	for j < len(cmd) && (cmd[j] == ' ' || cmd[j] == '\t') {
		j++
	}
	if j >= len(cmd) {
		return -1
	}
	return j
}

// urlNotAWS reports whether b holds an http(s) URL whose host is written
// out and is not AWS's.
func urlNotAWS(b []byte) bool {
	for i := 0; i < len(b); {
		k := bytes.Index(b[i:], []byte("://"))
		if k < 0 {
			return false
		}
		s := i + k
		i = s + 3
		if !bytes.HasSuffix(b[max(0, s-5):s], []byte("https")) && !bytes.HasSuffix(b[max(0, s-4):s], []byte("http")) {
			continue
		}
		if hostNotAWS(urlHost(b[i:])) {
			return true
		}
	}
	return false
}

// urlHost returns the host (and port) that starts b, past any userinfo.
func urlHost(b []byte) string {
	e := 0
	for e < len(b) && e < 256 && !bytes.ContainsRune([]byte("/?#\"' \t\n\\"), rune(b[e])) {
		e++
	}
	h := string(b[:e])
	if at := strings.LastIndexByte(h, '@'); at >= 0 {
		h = h[at+1:]
	}
	return h
}

// hostNotAWS reports whether a host is written out and is not AWS's (a
// variable or an empty host says nothing).
func hostNotAWS(h string) bool {
	if h == "" || strings.ContainsAny(h, "${%<") {
		return false
	}
	l := strings.ToLower(h)
	if i := strings.LastIndexByte(l, ':'); i >= 0 {
		l = l[:i]
	}
	return !strings.HasSuffix(l, "amazonaws.com") && !strings.HasSuffix(l, ".api.aws") && !strings.HasSuffix(l, ".on.aws") &&
		!strings.HasSuffix(l, "amazonaws.com.cn")
}

// awsURIPassword returns where the password of the aws:// URI at at starts
// (aws://LOGIN:PASSWORD@HOST/?query), or 0: no password, or a host or an
// endpoint_url that is not AWS's.
func awsURIPassword(d []byte, at int) int {
	s := at + len("aws://")
	e := s
	for e < len(d) && e-s < 512 && !bytes.ContainsRune([]byte("\"' \t\r\n`"), rune(d[e])) {
		e++
	}
	uri := d[s:e]
	a := bytes.IndexByte(uri, '@')
	if a < 0 || bytes.ContainsAny(uri[:a], "/?#") {
		return 0
	}
	c := bytes.IndexByte(uri[:a], ':')
	if c < 0 {
		return 0
	}
	rest := uri[a+1:]
	if hostNotAWS(urlHost(rest)) {
		return 0
	}
	if q := bytes.IndexByte(rest, '?'); q >= 0 {
		for _, kv := range bytes.Split(rest[q+1:], []byte("&")) {
			k, v, _ := bytes.Cut(kv, []byte("="))
			if string(k) != "endpoint_url" && string(k) != "host" {
				continue
			}
			v = bytes.ReplaceAll(bytes.ReplaceAll(v, []byte("%3A"), []byte(":")), []byte("%2F"), []byte("/"))
			v = bytes.ReplaceAll(bytes.ReplaceAll(v, []byte("%3a"), []byte(":")), []byte("%2f"), []byte("/"))
			if i := bytes.Index(v, []byte("://")); i >= 0 {
				v = v[i+3:]
			}
			if hostNotAWS(urlHost(v)) {
				return 0
			}
		}
	}
	return s + c + 1
}
