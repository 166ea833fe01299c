package report_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// many scans files of realistic shapes and returns their findings: key
// pairs in credentials profiles, temporary keys with session tokens in STS
// responses, lone secrets in Terraform.
func many(t *testing.T, files int) scanner.Findings {
	t.Helper()
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(15)
	var fs scanner.Findings
	for i := range files {
		var name, text string
		switch i % 3 {
		case 0:
			name = fmt.Sprintf("env/%02d/.aws/credentials", i)
			text = "[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() +
				"\n[ci]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
		case 1:
			name = fmt.Sprintf("notes/sts-%02d.json", i)
			text = "{\"Credentials\": {\n  \"AccessKeyId\": \"" + g.KeyID("ASIA") + "\",\n  \"SecretAccessKey\": \"" + g.Secret() +
				"\",\n  \"SessionToken\": \"" + g.SessionToken() + "\"\n}}\n"
		case 2:
			name = fmt.Sprintf("infra/%02d/main.tf", i)
			text = "provider \"aws\" {\n  secret_key = \"" + g.Secret() + "\"\n}\n"
		}
		fs = append(fs, sc.Scan(name, []byte(text))...)
	}
	fs.Sort()
	return fs
}

// TestShortReportFitsOnScreens: fifty findings take a screen or two (at
// most 100 lines), each piece of advice is printed once, and --verbose keeps
// the long form with every finding's suggestion.
func TestShortReportFitsOnScreens(t *testing.T) {
	fs := many(t, 20)
	if len(fs) < 50 {
		t.Fatalf("fixture has %d findings, want at least 50", len(fs))
	}
	out := string(write(t, fs, report.Options{Format: "text", Command: "scan"}))
	lines := strings.Count(out, "\n")
	if lines > 100 {
		t.Errorf("%d findings take %d lines, want at most 100:\n%s", len(fs), lines, out)
	}
	for _, r := range rules.Responses() {
		if n := strings.Count(out, r.Heading); n > 1 {
			t.Errorf("advice %q printed %d times", r.Heading, n)
		}
	}
	if n := strings.Count(out, "Delete aws_access_key_id, aws_secret_access_key"); n != 1 {
		t.Errorf("the credentials-file advice is printed %d times, want once", n)
	}
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 120 {
			t.Errorf("line of %d characters: %s", len(l), l)
		}
	}
	verbose := string(write(t, fs, report.Options{Format: "text", Command: "scan", Verbose: true}))
	if n := strings.Count(verbose, "    fix: "); n != len(fs) {
		t.Errorf("verbose report has %d fix lines, want one per finding (%d)", n, len(fs))
	}
	t.Logf("%d findings: %d lines short, %d lines verbose", len(fs), lines, strings.Count(verbose, "\n"))
}

// TestPairIsOneEntry: a key ID, its secret and its session token are one
// line under their file, with their lines.
func TestPairIsOneEntry(t *testing.T) {
	fs := many(t, 2)
	out := string(write(t, fs, report.Options{Format: "text", Command: "scan", Quiet: true}))
	want := []string{
		"env/00/.aws/credentials\n",
		"\n  lines 2-3  AKIA",
		"\n  lines 5-6  AKIA",
		"notes/sts-01.json\n",
		"\n  lines 2-4  ASIA",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("report lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(out, " + secret ") || !strings.Contains(out, " + session token ") {
		t.Errorf("the pair is not one entry:\n%s", out)
	}
	if n := strings.Count(out, "\n"); n != 5 {
		t.Errorf("%d lines, want 5 (two headers, three entries):\n%s", n, out)
	}
}

// TestVerifyNoteOncePerEntry: --verify gives the key ID and its secret the
// same reason; the entry that holds both prints it once (newuser LOW-16).
func TestVerifyNoteOncePerEntry(t *testing.T) {
	fs := many(t, 1)[:2] // env/00/.aws/credentials: the [default] pair
	if fs[0].Pair != fs[1].Fingerprint {
		t.Fatalf("fixture: %s and %s are not a pair", fs[0].Rule, fs[1].Rule)
	}
	for i := range fs {
		fs[i].VerifyReason = "GetCallerIdentity succeeded: account 123456789012"
	}
	out := string(write(t, fs, report.Options{Format: "text", Command: "scan", Quiet: true}))
	if n := strings.Count(out, "note: verify: GetCallerIdentity succeeded"); n != 1 {
		t.Errorf("the verify note is printed %d times, want once:\n%s", n, out)
	}
}

// TestWarningSaidInWords (newuser LOW-26): a generic secret reported on
// weak context is a warning; the text report says so in words (colour is
// lost in a log), with the context, which names the sibling setting that
// made it AWS's, not "a call".
func TestWarningSaidInWords(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := sc.Scan(".env", []byte("AWS_ACCESS_KEY_ID=$MY_ID\nSECRET="+fakekey.New(2700).Secret()+"\n"))
	if len(fs) != 1 || fs[0].Severity != rules.Warning {
		t.Fatalf("want one warning, got %+v", fs)
	}
	if want := "assigned to SECRET beside AWS_ACCESS_KEY_ID"; fs[0].Context != want {
		t.Errorf("context %q, want %q", fs[0].Context, want)
	}
	out := string(write(t, fs, report.Options{Format: "text", Command: "scan", Quiet: true}))
	if !strings.Contains(out, "(warning: assigned to SECRET beside AWS_ACCESS_KEY_ID)") {
		t.Errorf("the grouped report does not say warning:\n%s", out)
	}
	out = string(write(t, fs, report.Options{Format: "text", Command: "scan", Quiet: true, Verbose: true}))
	if !strings.Contains(out, "aws-secret-access-key (warning)") {
		t.Errorf("the verbose report does not say warning:\n%s", out)
	}
}

// TestRotationAdviceByKind: each kind of leaked credential gets the advice
// that works for it; IAM deactivation is offered only for long-term keys.
func TestRotationAdviceByKind(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(3)
	asia := sc.NewFinding(rules.AccessKeyID, "a.env", g.KeyID("ASIA"))
	asia.VerifiedARN = "arn:aws:sts::123456789012:assumed-role/deploy-ci/build-42"
	lone := sc.NewFinding(rules.SecretAccessKey, "b.env", g.Secret())
	for _, tc := range []struct {
		f          scanner.Finding
		want, lack []string
	}{
		{asia, []string{"Temporary access keys (ASIA)", "role deploy-ci", "Revoke sessions", "cannot deactivate"},
			[]string{"Long-term", "update-access-key"}},
		{lone, []string{"IAM cannot search for a key by its secret", "credential report", "CloudTrail"},
			[]string{"find the key in IAM", "Long-term"}},
	} {
		var b strings.Builder
		if err := report.WriteRotation(&b, scanner.Findings{tc.f}, report.Options{}); err != nil {
			t.Fatal(err)
		}
		out := strings.Join(strings.Fields(b.String()), " ") // undo the wrapping
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: advice lacks %q:\n%s", tc.f.File, w, b.String())
			}
		}
		for _, w := range tc.lack {
			if strings.Contains(out, w) {
				t.Errorf("%s: advice has %q:\n%s", tc.f.File, w, b.String())
			}
		}
	}
	// The finding's own suggestion, in JSON and SARIF, says the same.
	if strings.Contains(asia.Suggestion, "Then deactivate") || !strings.Contains(asia.Suggestion, "revoke") {
		t.Errorf("ASIA suggestion: %s", asia.Suggestion)
	}
}
