package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFarParentEveryWay: scan, the commit hook (staged), the pre-receive
// gate and history judge a bare secret by its parent 64 KiB up alike (qa28
// M2): under aws: it is AWS's in each, refused by the hook and the gate and
// found in the history; under stripe: (AWS words beside it) it is passed by
// each.
func TestFarParentEveryWay(t *testing.T) {
	g := fakekey.New(32301)
	pad := func(indent string) string {
		var b strings.Builder
		for i := 0; b.Len() < 64<<10; i++ {
			fmt.Fprintf(&b, "%soption_%d: v%d\n", indent, i, i)
		}
		return b.String()
	}
	awsSecret, stripeSecret := g.Secret(), g.Secret()
	s := newServer(t)
	if r := runCmd(t, s.clone, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Another system's far parent: every way passes it.
	s.commit("billing.yml", "stripe:\n"+pad("  ")+"  aws_region: us-east-1\n  secret_key: "+stripeSecret+"\n", "billing")
	s.mustPush("origin", "main")
	if r := runCmd(t, s.clone, nil, "keyscan", "scan", "."); r.code != exitClean {
		t.Errorf("scan with stripe: far up: exit %d, want clean\n%s%s", r.code, r.stdout, r.stderr)
	}

	// AWS's far parent: the hook refuses the commit, the gate the push.
	writeRepoFile(t, s.clone, "config.yml", "aws:\n"+pad("  ")+"  secret: "+awsSecret+"\n")
	gitOK(t, s.clone, "add", ".")
	if r := gitRun(t, s.clone, nil, "commit", "-q", "-m", "config"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "config.yml") {
		t.Errorf("the commit hook passed a secret under aws: 64 KiB up: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, s.clone, "commit", "-q", "--no-verify", "-m", "config, hook skipped")
	s.mustRefuse([]string{"config.yml"}, "origin", "main")
	if r := runCmd(t, s.clone, nil, "keyscan", "scan", "."); r.code != exitFindings || !strings.Contains(r.stdout, "config.yml") || strings.Contains(r.stdout, "billing.yml") {
		t.Errorf("scan: exit %d, want config.yml's secret alone\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, s.clone, nil, "keyscan", "history", "."); r.code != exitFindings || !strings.Contains(r.stdout, "config.yml") || strings.Contains(r.stdout, "billing.yml") {
		t.Errorf("history: exit %d, want config.yml's secret alone\n%s%s", r.code, r.stdout, r.stderr)
	}
}
