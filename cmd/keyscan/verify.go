package main

import (
	"context"
	"fmt"
	"github.com/keyscan/keyscan/report"
	"net"
	"net/url"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/verify"
)

// verifyFindings asks STS about each key pair among fs (--verify) and records
// the verdicts on the findings in place.
func verifyFindings(ctx context.Context, fs scanner.Findings, c *commonFlags, e *env) error {
	opts := verify.Options{Endpoint: c.stsEndpoint}
	if !c.quiet {
		if warn := endpointWarning(c.stsEndpoint); warn != "" {
			fmt.Fprintf(e.stderr, "keyscan: verify: %s\n", warn)
		}
		to := "AWS STS (sts.us-east-1.amazonaws.com)"
		if c.stsEndpoint != "" {
			to = c.stsEndpoint
		}
		if n := verify.Pairs(fs); n > 0 {
			fmt.Fprintf(e.stderr, "keyscan: verify: asking %s about %s with signed GetCallerIdentity calls; secrets are not sent\n", to, report.Count(n, "key pair", "key pairs"))
		}
	}
	st, err := verify.Findings(ctx, fs, opts)
	if err != nil {
		return err
	}
	if !c.quiet && st.Pairs > 0 {
		fmt.Fprintf(e.stderr, "keyscan: verify: %d active, %d inactive, %d unknown\n", st.Active, st.Inactive, st.Unknown)
	}
	return nil
}

// endpointWarning flags an endpoint that sends the signed request, and any
// session token, in clear text over the network.
func endpointWarning(endpoint string) string {
	u, err := url.Parse(endpoint)
	if endpoint == "" || err != nil || u.Scheme != "http" {
		return ""
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() || u.Hostname() == "localhost" {
		return ""
	}
	return fmt.Sprintf("--sts-endpoint %s is plain HTTP: session tokens and signed requests cross the network unencrypted", endpoint)
}
