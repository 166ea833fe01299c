package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/keyscan/keyscan/scanner"
)

// Options bound what verification may do. The zero value is usable: every
// field has a conservative default.
type Options struct {
	// Endpoint is the STS endpoint URL. Empty: the SDK's endpoint for Region,
	// https://sts.<region>.amazonaws.com.
	Endpoint string
	// Region signs the requests and picks the default endpoint. Default: the
	// region in Endpoint's host name (sts.eu-west-1.amazonaws.com), else us-east-1.
	Region string
	// Timeout bounds one request, connection included (10s).
	Timeout time.Duration
	// Concurrency bounds the requests in flight (4).
	Concurrency int
	// HTTPClient sends the requests. Default: a client of its own, which
	// honours the usual proxy variables as net/http does.
	HTTPClient *http.Client
	// Spacing separates two calls that present the same key ID (6s): STS
	// rejects the right secret for about five seconds after a wrong one.
	Spacing time.Duration
	// MaxRetries is how often a throttled call is retried (3); negative: never.
	MaxRetries int
	// Backoff is the first retry's delay, doubled at each retry, with jitter (1s).
	Backoff time.Duration
}

// Stats counts what a verification did.
type Stats struct {
	Pairs                     int // distinct pairs, each checked with at most one call (plus retries)
	Active, Inactive, Unknown int // verdicts per pair
	Skipped                   int // findings that could not be checked (no pair)
}

func (o Options) withDefaults() (Options, error) {
	if o.Endpoint != "" {
		u, err := url.Parse(o.Endpoint)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return o, fmt.Errorf("sts endpoint %q: want an http or https URL", o.Endpoint)
		}
		if o.Region == "" {
			o.Region = regionOf(u.Hostname())
		}
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	// A reply is read up to maxReply bytes: the endpoint may be one the
	// user named (--sts-endpoint) or a proxy, and a reply without end must
	// not fill the memory.
	limited := *o.HTTPClient
	limited.Transport = limitReplies{next: o.HTTPClient.Transport}
	o.HTTPClient = &limited
	if o.Spacing == 0 {
		o.Spacing = 6 * time.Second
	}
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = 3
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	return o, nil
}

// regionOf reads the region from an STS host name, so that a regional,
// China, GovCloud or VPC endpoint given alone is signed for its own region:
// sts.eu-west-1.amazonaws.com, sts.cn-north-1.amazonaws.com.cn,
// vpce-0abc.sts.us-gov-west-1.vpce.amazonaws.com. Empty if none.
func regionOf(host string) string {
	labels := strings.Split(host, ".")
	for i := 0; i+2 < len(labels); i++ {
		r := labels[i+1]
		if labels[i] == "sts" && strings.Count(r, "-") >= 2 && strings.ContainsAny(r[len(r)-1:], "0123456789") {
			return r
		}
	}
	return ""
}

// Findings checks every key pair among fs with STS and records the verdict on
// each half of the pair (Verified, VerifiedARN, VerifyReason), in place. A
// finding that has no pair is marked unknown, with the reason, and costs no
// request. The error is about the options or a cancelled context; a failed
// call is a verdict, not an error.
func Findings(ctx context.Context, fs scanner.Findings, opts Options) (Stats, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	p := makePlan(fs)
	results := run(ctx, newCaller(opts), p.calls, opts)
	st := Stats{Pairs: len(p.calls), Skipped: len(p.skipped)}
	for i, r := range results {
		switch r.Verified {
		case Active:
			st.Active++
		case Inactive:
			st.Inactive++
		default:
			st.Unknown++
		}
		for _, m := range p.members[i] {
			merge(&fs[m], r)
		}
	}
	for i, reason := range p.skipped {
		merge(&fs[i], Result{Verified: Unknown, Reason: reason})
	}
	return st, ctx.Err()
}

// Pairs is the number of distinct pairs Findings would check: the most
// GetCallerIdentity calls it makes, retries aside.
func Pairs(fs scanner.Findings) int {
	return len(makePlan(fs).calls)
}

// merge records r on f unless f already holds a stronger verdict: a key ID
// with two candidate secrets is active if either works, and unknown rather
// than inactive if one could not be checked.
func merge(f *scanner.Finding, r Result) {
	if f.Verified != "" && rank(f.Verified) >= rank(r.Verified) {
		return
	}
	f.Verified, f.VerifiedARN, f.VerifyReason = r.Verified, r.ARN, r.Reason
}

func rank(v string) int {
	switch v {
	case Active:
		return 3
	case Unknown:
		return 2
	case Inactive:
		return 1
	}
	return 0
}

// run checks calls with at most opts.Concurrency in flight. Calls sharing a
// key ID go to one worker, in order, opts.Spacing apart; once one of them is
// active the others cannot be (a key ID has one secret) and are not sent.
func run(ctx context.Context, cl *caller, calls []creds, opts Options) []Result {
	results := make([]Result, len(calls))
	var groups [][]int
	byID := make(map[string]int)
	for i, c := range calls {
		g, ok := byID[c.id]
		if !ok {
			g = len(groups)
			byID[c.id] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	work := make(chan []int)
	var wg sync.WaitGroup
	for range min(opts.Concurrency, len(groups)) {
		wg.Go(func() {
			for g := range work {
				checkGroup(ctx, cl, calls, g, results, opts.Spacing)
			}
		})
	}
	for _, g := range groups {
		work <- g
	}
	close(work)
	wg.Wait()
	return results
}

func checkGroup(ctx context.Context, cl *caller, calls []creds, group []int, results []Result, spacing time.Duration) {
	var active *creds
	for k, i := range group {
		switch {
		case active != nil && active.secret == calls[i].secret:
			results[i] = Result{Verified: Inactive, Reason: "not sent: the key is active with another session token"}
			continue
		case active != nil:
			results[i] = Result{Verified: Inactive, Reason: "not sent: the key ID is active with another secret; this one is not its secret"}
			continue
		case k > 0 && sleep(ctx, spacing) != nil, ctx.Err() != nil:
			results[i] = Result{Verified: Unknown, Reason: "canceled"}
			continue
		}
		results[i] = cl.check(ctx, calls[i])
		if results[i].Verified == Active {
			active = &calls[i]
		}
	}
}

// maxReply is the largest STS reply read; GetCallerIdentity's is under 1 KiB.
const maxReply = 1 << 20

// limitReplies cuts every reply body at maxReply bytes, with an error.
type limitReplies struct{ next http.RoundTripper }

func (l limitReplies) RoundTrip(r *http.Request) (*http.Response, error) {
	next := l.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err == nil && resp.Body != nil {
		resp.Body = &cappedBody{ReadCloser: resp.Body, left: maxReply}
	}
	return resp, err
}

// cappedBody is a reply body that fails once more than its bytes are read.
type cappedBody struct {
	io.ReadCloser
	left int64
}

var errReplyTooLarge = errors.New("reply larger than 1 MiB: not read further")

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errReplyTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
