package rules

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

func TestExposureOf(t *testing.T) {
	g := fakekey.New(9)
	akia, asia, abia := g.KeyID("AKIA"), g.KeyID("ASIA"), g.KeyID("ABIA")
	for _, tc := range []struct {
		k           Kind
		value, pair string
		want        Exposure
	}{
		{AccessKeyID, akia, "", LongTermKey},
		{AccessKeyID, asia, "", TemporaryKey},
		{AccessKeyID, abia, "", TemporaryKey},
		{SecretAccessKey, "s", akia, LongTermKey},
		{SecretAccessKey, "s", asia, TemporaryKey},
		{SecretAccessKey, "s", "", SecretOnly},
		{SessionToken, "t", asia, TemporaryKey},
		{SessionToken, "t", "", TokenOnly},
	} {
		if got := ExposureOf(tc.k, tc.value, tc.pair); got != tc.want {
			t.Errorf("ExposureOf(%s, %q, %q) = %s, want %s", tc.k, tc.value, tc.pair, got, tc.want)
		}
	}
}

// TestResponsesCanBeFollowed: each exposure has its own advice, and none
// asks IAM for what IAM cannot do.
func TestResponsesCanBeFollowed(t *testing.T) {
	seen := map[Exposure]bool{}
	for _, r := range Responses() {
		if seen[r.Exposure] {
			t.Errorf("%s: two responses", r.Exposure)
		}
		seen[r.Exposure] = true
		if r.Heading == "" || r.Steps == "" || r.Brief == "" {
			t.Errorf("%s: empty field in %+v", r.Exposure, r)
		}
		if Respond(r.Exposure).Steps != r.Steps {
			t.Errorf("Respond(%s) is not its response", r.Exposure)
		}
	}
	for _, e := range []Exposure{LongTermKey, TemporaryKey, SecretOnly, TokenOnly} {
		if !seen[e] {
			t.Errorf("%s: no response", e)
		}
	}
	for _, e := range []Exposure{TemporaryKey, TokenOnly} {
		r := Respond(e)
		for _, s := range []string{r.Steps, r.Brief} {
			if strings.Contains(s, "update-access-key") || strings.Contains(s, "deactivate it") || !strings.Contains(s, "sessions") {
				t.Errorf("%s: advice a temporary credential cannot follow: %s", e, s)
			}
		}
	}
	secret := Respond(SecretOnly)
	if !strings.Contains(secret.Steps, "cannot search") || !strings.Contains(secret.Steps, "credential report") ||
		!strings.Contains(secret.Steps, "CloudTrail") || !strings.Contains(secret.Steps, "rotate every access key") {
		t.Errorf("secret-only advice: %s", secret.Steps)
	}
}

func TestRoleOf(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:sts::123456789012:assumed-role/deploy-ci/build-42": "deploy-ci",
		"arn:aws:iam::123456789012:user/ci":                         "",
		"":                                                          "",
		"assumed-role/x/y":                                          "",
	} {
		if got := RoleOf(arn); got != want {
			t.Errorf("RoleOf(%q) = %q, want %q", arn, got, want)
		}
	}
}
