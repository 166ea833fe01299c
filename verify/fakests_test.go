package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyscan/keyscan/scanner"
)

// fakeSTS is a local STS that checks Signature Version 4 for real: it knows
// the generated test credentials, recomputes the canonical request and the
// signature from what it received, and answers according to each key's mode.
type fakeSTS struct {
	t      *testing.T
	region string
	keys   map[string]*fakeKey // by key ID

	// quirk, when set, mimics STS remembering a key ID that was presented
	// with a wrong secret: for that long the right secret is refused too.
	quirk time.Duration

	mu          sync.Mutex
	requests    int
	perKey      map[string]int
	inflight    int
	maxInflight int
	badSigAt    map[string]time.Time
	delay       time.Duration // added to every answer

	srv *httptest.Server
}

type fakeKey struct {
	secret, token string
	mode          string // see serve
	throttles     int    // "throttle": refuse this many calls first
}

func newFakeSTS(t *testing.T) *fakeSTS {
	f := &fakeSTS{t: t, region: "us-east-1", keys: make(map[string]*fakeKey),
		perKey: make(map[string]int), badSigAt: make(map[string]time.Time)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSTS) add(id, secret, token, mode string) *fakeKey {
	k := &fakeKey{secret: secret, token: token, mode: mode}
	f.keys[id] = k
	return k
}

func (f *fakeSTS) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *fakeSTS) countFor(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.perKey[id]
}

func (f *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	delay := f.delay
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("fake sts: reading body: %v", err)
		return
	}
	f.checkNoSecretSent(r, body)
	form, err := url.ParseQuery(string(body))
	if r.Method != http.MethodPost || err != nil || form.Get("Action") != "GetCallerIdentity" || form.Get("Version") != "2011-06-15" {
		f.t.Errorf("fake sts: unexpected request %s %s %q", r.Method, r.URL, body)
		stsError(w, 400, "InvalidAction", "not GetCallerIdentity")
		return
	}
	auth, err := parseAuth(r.Header.Get("Authorization"))
	if err != nil {
		f.t.Errorf("fake sts: %v", err)
		stsError(w, 400, "IncompleteSignature", err.Error())
		return
	}
	f.mu.Lock()
	f.perKey[auth.id]++
	n := f.perKey[auth.id]
	f.mu.Unlock()

	key, ok := f.keys[auth.id]
	if !ok || key.mode == "inactive" {
		stsError(w, 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	}
	if err := f.checkSignature(r, body, auth, key.secret); err != nil {
		f.mu.Lock()
		f.badSigAt[auth.id] = time.Now()
		f.mu.Unlock()
		stsError(w, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
		return
	}
	f.mu.Lock()
	bad, seen := f.badSigAt[auth.id]
	f.mu.Unlock()
	if f.quirk > 0 && seen && time.Since(bad) < f.quirk {
		stsError(w, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	if key.token != "" && (r.Header.Get("X-Amz-Security-Token") != key.token || !auth.signs("x-amz-security-token")) {
		stsError(w, 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	}

	switch key.mode {
	case "throttle":
		if n <= key.throttles {
			stsError(w, 400, "Throttling", "Rate exceeded")
			return
		}
	case "throttle-always":
		stsError(w, 400, "Throttling", "Rate exceeded")
		return
	case "slow": // answers once the client gave up (its timeout), or after a minute
		select {
		case <-time.After(time.Minute):
		case <-r.Context().Done():
		}
		return
	case "malformed":
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/x")
		return
	case "html403":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(403)
		fmt.Fprint(w, "<html><body>Blocked by corporate proxy</body></html>")
		return
	case "unavailable":
		stsError(w, 503, "ServiceUnavailable", "try later")
		return
	case "denied":
		stsError(w, 403, "AccessDenied", "denied by a VPC endpoint policy")
		return
	case "skew":
		stsError(w, 403, "SignatureDoesNotMatch", "Signature expired: 20200101T000000Z is now earlier than 20260101T000000Z (20260101T001500Z - 15 min.)")
		return
	case "expired":
		stsError(w, 400, "ExpiredToken", "The security token included in the request is expired")
		return
	case "echo":
		// A hostile endpoint that sends back everything it can, with a
		// terminal escape for good measure.
		stsError(w, 400, "ValidationError", "secret "+key.secret+" token "+key.token+" id "+auth.id+" \u009b2J\n"+r.Header.Get("Authorization"))
		return
	}
	account, _ := scanner.AccountID(auth.id)
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::%s:user/fake-%s</Arn>
    <UserId>AIDAFAKEUSERID</UserId>
    <Account>%s</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, account, strings.ToLower(auth.id[16:]), account)
}

func stsError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>`, typ, code, xmlEscape(msg))
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// checkNoSecretSent fails the test if any known secret appears anywhere in
// the request, in any encoding the transport might use.
func (f *fakeSTS) checkNoSecretSent(r *http.Request, body []byte) {
	var all strings.Builder
	all.WriteString(r.URL.String())
	all.Write(body)
	for name, vs := range r.Header {
		all.WriteString(name + ": " + strings.Join(vs, ",") + "\n")
	}
	dump := all.String()
	for _, k := range f.keys {
		for _, v := range []string{k.secret, url.QueryEscape(k.secret)} {
			if strings.Contains(dump, v) {
				f.t.Errorf("fake sts: a secret access key was sent over the network")
			}
		}
	}
}

type authHeader struct {
	id, date, region, service string
	signed                    []string
	signature                 string
}

func (a authHeader) signs(h string) bool {
	for _, s := range a.signed {
		if s == h {
			return true
		}
	}
	return false
}

// parseAuth reads "AWS4-HMAC-SHA256 Credential=ID/DATE/REGION/sts/aws4_request,
// SignedHeaders=a;b, Signature=hex".
func parseAuth(h string) (authHeader, error) {
	var a authHeader
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return a, fmt.Errorf("authorization %q: not SigV4", h)
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return a, fmt.Errorf("authorization: bad credential scope %q", v)
			}
			a.id, a.date, a.region, a.service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.signed = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	if a.id == "" || a.signature == "" || len(a.signed) == 0 {
		return a, errors.New("authorization: incomplete")
	}
	return a, nil
}

// checkSignature recomputes the SigV4 signature of r with secret, from the
// specification, independently of the SDK that signed it.
func (f *fakeSTS) checkSignature(r *http.Request, body []byte, a authHeader, secret string) error {
	if a.region != f.region || a.service != "sts" {
		return fmt.Errorf("scope %s/%s, want %s/sts", a.region, a.service, f.region)
	}
	for _, must := range []string{"host", "x-amz-date"} {
		if !a.signs(must) {
			return fmt.Errorf("%s not signed", must)
		}
	}
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || !strings.HasPrefix(amzDate, a.date) {
		return fmt.Errorf("x-amz-date %q does not match scope date %q", amzDate, a.date)
	}
	if d := time.Since(t); d > 15*time.Minute || d < -15*time.Minute {
		return fmt.Errorf("signature expired")
	}
	payload := sha256.Sum256(body)
	payloadHex := hex.EncodeToString(payload[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != payloadHex {
		return fmt.Errorf("payload hash does not match body")
	}

	var canon strings.Builder
	canon.WriteString(r.Method + "\n")
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	canon.WriteString(path + "\n")
	canon.WriteString(canonicalQuery(r.URL.Query()) + "\n")
	if !sort.StringsAreSorted(a.signed) {
		return fmt.Errorf("signed headers not sorted")
	}
	for _, name := range a.signed {
		var vals []string
		switch name {
		case "host":
			vals = []string{r.Host}
		case "content-length":
			vals = []string{strconv.FormatInt(r.ContentLength, 10)}
		default:
			vals = r.Header.Values(name)
		}
		if len(vals) == 0 {
			return fmt.Errorf("signed header %s missing", name)
		}
		for i, v := range vals {
			vals[i] = strings.Join(strings.Fields(v), " ")
		}
		canon.WriteString(name + ":" + strings.Join(vals, ",") + "\n")
	}
	canon.WriteString("\n" + strings.Join(a.signed, ";") + "\n" + payloadHex)

	creq := sha256.Sum256([]byte(canon.String()))
	scope := strings.Join([]string{a.date, a.region, a.service, "aws4_request"}, "/")
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(creq[:])
	key := []byte("AWS4" + secret)
	for _, s := range []string{a.date, a.region, a.service, "aws4_request"} {
		key = hmacSHA256(key, s)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return errors.New("signature does not match")
	}
	return nil
}

func canonicalQuery(q url.Values) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, sigv4Escape(k)+"="+sigv4Escape(v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

func sigv4Escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func hmacSHA256(key []byte, s string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(s))
	return h.Sum(nil)
}

// loopbackOnly refuses any request that would leave the machine, so that no
// test can reach AWS whatever the code under test does.
type loopbackOnly struct {
	t    *testing.T
	next http.RoundTripper
}

func (l loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		l.t.Errorf("request to %s would leave the machine", r.URL)
		return nil, fmt.Errorf("test transport: refusing non-loopback host %s", host)
	}
	return l.next.RoundTrip(r)
}

func testClient(t *testing.T) *http.Client {
	return &http.Client{Transport: loopbackOnly{t: t, next: http.DefaultTransport.(*http.Transport).Clone()}}
}
