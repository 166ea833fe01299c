package verify

import (
	"strings"

	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// creds is what one GetCallerIdentity call presents. It is the cache key:
// the same pair found in many files or commits is checked once.
type creds struct {
	id, secret, token string
}

// plan is the work a set of findings asks for.
type plan struct {
	calls   []creds
	members [][]int        // members[i]: the findings calls[i] speaks for
	skipped map[int]string // findings that cannot be checked, with the reason
}

// Reasons for findings that are not sent to STS.
const (
	reasonNoSecret  = "not checked: no secret access key paired with this key ID"
	reasonNoID      = "not checked: no key ID paired with this secret"
	reasonLoneToken = "not checked: no temporary key ID (ASIA) paired with this session token"
	reasonNoToken   = "not checked: temporary key ID (ASIA) without a paired session token"
)

// makePlan pairs key IDs with secrets (and ASIA IDs with session tokens)
// through the findings' Pair fingerprints, in both directions, since either
// half may carry the link.
func makePlan(fs scanner.Findings) plan {
	byFP := make(map[string][]int)
	byPair := make(map[string][]int)
	for i, f := range fs {
		if f.Fingerprint != "" {
			byFP[f.Fingerprint] = append(byFP[f.Fingerprint], i)
		}
		if f.Pair != "" {
			byPair[f.Pair] = append(byPair[f.Pair], i)
		}
	}
	linked := func(i int, kind rules.Kind) []int {
		var out []int
		add := func(js []int) {
			for _, j := range js {
				if j != i && fs[j].Kind == kind && fs[j].Secret != "" {
					out = append(out, j)
				}
			}
		}
		if p := fs[i].Pair; p != "" {
			add(byFP[p])
		}
		if fp := fs[i].Fingerprint; fp != "" {
			add(byPair[fp])
		}
		return out
	}

	p := plan{skipped: make(map[int]string)}
	index := make(map[creds]int)
	covered := make(map[int]bool)
	add := func(c creds, who ...int) {
		n, ok := index[c]
		if !ok {
			n = len(p.calls)
			index[c] = n
			p.calls = append(p.calls, c)
			p.members = append(p.members, nil)
		}
		p.members[n] = append(p.members[n], who...)
		for _, w := range who {
			covered[w] = true
		}
	}
	for i, f := range fs {
		if f.Kind != rules.AccessKeyID || f.Secret == "" {
			continue
		}
		secrets := linked(i, rules.SecretAccessKey)
		if len(secrets) == 0 {
			p.skipped[i] = reasonNoSecret
			continue
		}
		temporary := strings.HasPrefix(f.Secret, "ASIA")
		for _, s := range secrets {
			if !temporary {
				add(creds{id: f.Secret, secret: fs[s].Secret}, i, s)
				continue
			}
			tokens := append(linked(i, rules.SessionToken), linked(s, rules.SessionToken)...)
			if len(tokens) == 0 {
				// Without its token a temporary key is always refused,
				// which would read as "inactive" when it may not be.
				p.skipped[i], p.skipped[s] = reasonNoToken, reasonNoToken
			}
			for _, t := range tokens {
				add(creds{id: f.Secret, secret: fs[s].Secret, token: fs[t].Secret}, i, s, t)
			}
		}
	}
	for i, f := range fs {
		switch {
		case covered[i]:
			delete(p.skipped, i)
		case p.skipped[i] != "":
		case f.Kind == rules.AccessKeyID:
			p.skipped[i] = reasonNoSecret
		case f.Kind == rules.SecretAccessKey:
			p.skipped[i] = reasonNoID
		case f.Kind == rules.SessionToken:
			p.skipped[i] = reasonLoneToken
		}
	}
	return p
}
