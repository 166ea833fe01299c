package verify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/keyscan/keyscan/scanner"
)

// Verdicts, as Finding.Verified carries them.
const (
	Active   = "active"
	Inactive = "inactive"
	Unknown  = "unknown"
)

// Result is STS's verdict on one pair.
type Result struct {
	Verified string // Active, Inactive or Unknown
	ARN      string // the caller's ARN, when Active
	Account  string // the caller's account, when Active
	Reason   string // why; never holds the secret or the token
}

// caller makes GetCallerIdentity calls. The SDK pieces that do not depend on
// the pair are fixed once; each call gets a client of its own whose only
// credentials are that pair.
type caller struct {
	opts Options
	cfg  aws.Config
}

func newCaller(opts Options) *caller {
	cfg := aws.Config{
		Region:     opts.Region,
		HTTPClient: opts.HTTPClient,
		// keyscan retries itself (throttling only, with its own backoff), so
		// that spacing and the request count stay under its control.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
		// The user agent then says who asked, in the key owner's CloudTrail.
		AppID: "keyscan",
	}
	if opts.Endpoint != "" {
		cfg.BaseEndpoint = aws.String(opts.Endpoint)
	}
	return &caller{opts: opts, cfg: cfg}
}

// check asks STS about c, retrying throttled calls with backoff.
func (cl *caller) check(ctx context.Context, c creds) Result {
	cfg := cl.cfg
	// A static provider for this pair only: nothing is loaded from files,
	// the environment or instance metadata.
	cfg.Credentials = staticFor(c)
	client := sts.NewFromConfig(cfg)
	for attempt := 0; ; attempt++ {
		res, retry := cl.once(ctx, client, c)
		if !retry || attempt >= cl.opts.MaxRetries {
			if retry {
				res.Reason += fmt.Sprintf(" (gave up after %d retries)", attempt)
			}
			res.Reason = scrub(res.Reason, c)
			return res
		}
		if err := sleep(ctx, backoff(cl.opts.Backoff, attempt)); err != nil {
			return Result{Verified: Unknown, Reason: "canceled"}
		}
	}
}

// staticFor is a credentials provider that knows one pair and nothing else.
func staticFor(c creds) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: c.id, SecretAccessKey: c.secret, SessionToken: c.token, Source: "keyscan"}, nil
	})
}

// once makes one call and says whether it is worth retrying.
func (cl *caller) once(ctx context.Context, client *sts.Client, c creds) (Result, bool) {
	callCtx, cancel := context.WithTimeout(ctx, cl.opts.Timeout)
	defer cancel()
	out, err := client.GetCallerIdentity(callCtx, &sts.GetCallerIdentityInput{})
	if err == nil {
		return active(out, c), false
	}
	if ctx.Err() != nil {
		return Result{Verified: Unknown, Reason: "canceled"}, false
	}
	if callCtx.Err() != nil {
		return Result{Verified: Unknown, Reason: fmt.Sprintf("timeout: no answer from STS within %s", cl.opts.Timeout)}, false
	}
	return classify(err)
}

func active(out *sts.GetCallerIdentityOutput, c creds) Result {
	arn, account := aws.ToString(out.Arn), aws.ToString(out.Account)
	if arn == "" || account == "" {
		return Result{Verified: Unknown, Reason: "malformed response: STS returned no ARN or account"}
	}
	r := Result{Verified: Active, ARN: clean(arn, c), Account: clean(account, c)}
	r.Reason = "GetCallerIdentity succeeded: account " + r.Account
	if offline, ok := scanner.AccountID(c.id); ok && offline != account {
		r.Reason += " (the key ID decodes to account " + offline + ")"
	}
	return r
}

// classify turns an SDK error into a verdict, and says whether to retry.
func classify(err error) (Result, bool) {
	status := 0
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() != "" && api.ErrorCode() != "UnknownError" {
		return classifyAPI(api.ErrorCode(), api.ErrorMessage(), status)
	}
	switch {
	case status == 429 || status >= 500:
		return unknown("HTTP %d from STS", status), true
	case status >= 200 && status < 300:
		return unknown("malformed response: HTTP %d but not a GetCallerIdentity result", status), false
	case status != 0:
		// A 403 without an STS error document is more likely a proxy or a
		// firewall than STS: saying "inactive" would hide an active key.
		return unknown("HTTP %d without an STS error code (a proxy or firewall?)", status), false
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return unknown("request failed: %s", netReason(ue.Err)), false
	}
	return unknown("request failed: %s", netReason(err)), false
}

func classifyAPI(code, msg string, status int) (Result, bool) {
	switch code {
	case "InvalidClientTokenId", "InvalidAccessKeyId", "UnrecognizedClientException":
		return inactive("%s: the key ID does not exist or is deactivated", code), false
	case "SignatureDoesNotMatch", "InvalidSignatureException":
		if m := strings.ToLower(msg); strings.Contains(m, "signature expired") || strings.Contains(m, "not yet current") {
			return unknown("%s: the clock here is off; fix it and retry", code), false
		}
		return inactive("%s: the secret does not belong to this key ID (the key ID itself may be active)", code), false
	case "ExpiredToken", "ExpiredTokenException":
		return inactive("%s: the session token has expired", code), false
	case "RequestExpired", "RequestTimeTooSkewed":
		return unknown("%s: the clock here is off; fix it and retry", code), false
	case "AccessDenied", "AccessDeniedException":
		// Authorization comes after authentication: STS knew the key, and a
		// policy (a VPC endpoint's, an organization's) refused the call.
		return unknown("%s: the key was accepted but the call was denied by a policy; the key is probably active", code), false
	case "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
		"RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
		"SlowDown", "PriorRequestNotComplete", "EC2ThrottledException":
		return unknown("throttled by STS (%s)", code), true
	case "InternalFailure", "InternalError", "ServiceUnavailable", "IDPCommunicationError":
		return unknown("STS failed (%s)", code), true
	}
	if status == 403 {
		return inactive("%s: STS refused the key (HTTP 403)", clean(code, creds{})), false
	}
	if status >= 500 {
		return unknown("STS failed (%s, HTTP %d)", clean(code, creds{}), status), true
	}
	return unknown("%s: %s", clean(code, creds{}), msg), false
}

func unknown(format string, args ...any) Result {
	return Result{Verified: Unknown, Reason: fmt.Sprintf(format, args...)}
}

func inactive(format string, args ...any) Result {
	return Result{Verified: Inactive, Reason: fmt.Sprintf(format, args...)}
}

// netReason names a transport failure briefly: "connection refused",
// "no such host", not the SDK's nested operation error.
func netReason(err error) string {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		return "cannot resolve " + dns.Name
	case errors.As(err, &op) && op.Err != nil:
		if op.Addr != nil {
			return op.Op + " " + op.Addr.String() + ": " + op.Err.Error()
		}
		return op.Op + ": " + op.Err.Error()
	}
	return err.Error()
}

// scrub removes the pair's values from text that may have come from the
// network or from an error chain, drops control characters (a hostile
// endpoint could send terminal escapes) and bounds the length.
func scrub(s string, c creds) string {
	s = clean(s, c)
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

func clean(s string, c creds) string {
	for _, v := range []string{c.secret, c.token, url.QueryEscape(c.secret), url.QueryEscape(c.token)} {
		if len(v) >= 8 {
			s = strings.ReplaceAll(s, v, scanner.Redact(v))
		}
	}
	if len(c.id) >= 8 {
		s = strings.ReplaceAll(s, c.id, scanner.Redact(c.id))
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// backoff is exponential with full jitter, capped, as AWS recommends for
// throttling.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base << attempt
	if d > 20*time.Second || d <= 0 {
		d = 20 * time.Second
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
