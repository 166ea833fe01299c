package fix_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/rules"
)

// TestProfileEndpoints checks qa10 HIGH-2: a profile's endpoint is found
// wherever the AWS config puts it: its section in either file of the pair,
// nested under a service (s3 =), under an AWS_ENDPOINT_URL name, or in the
// [services NAME] section its services = NAME names (in either file).
// AWS's own endpoints and boolean endpoint settings are no custom endpoint.
func TestProfileEndpoints(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		want  map[string]string // profile: a piece of the description
	}{
		{"config beside credentials", []string{
			"[minio]\naws_access_key_id = X\n",
			"[default]\nregion = eu-west-1\n\n[profile minio]\nregion = us-east-1\nendpoint_url = http://minio.internal:9000\n",
		}, map[string]string{"minio": "endpoint_url = http://minio.internal:9000 in [profile minio]"}},
		{"credentials beside config", []string{
			"[profile r2]\naws_access_key_id = X\n",
			"[r2]\nendpoint_url = https://acct.r2.cloudflarestorage.com\n",
		}, map[string]string{"r2": "r2.cloudflarestorage.com in [r2]"}},
		{"nested under s3", []string{
			"[profile minio]\ns3 =\n  endpoint_url = http://minio:9000\n",
		}, map[string]string{"minio": "endpoint_url = http://minio:9000"}},
		{"AWS_ENDPOINT_URL names", []string{
			"[minio]\nAWS_ENDPOINT_URL_S3 = http://minio:9000\n",
		}, map[string]string{"minio": "AWS_ENDPOINT_URL_S3 = http://minio:9000"}},
		{"services section in the other file", []string{
			"[minio]\nservices = local\n",
			"[profile minio]\nregion = us-east-1\n\n[services local]\ns3 =\n  endpoint_url = http://localhost:9000\n",
		}, map[string]string{"minio": "in [services local], which the profile's services = local names"}},
		{"both files", []string{
			"[minio]\nendpoint_url = http://a:9000\n",
			"[profile minio]\nendpoint_url = http://b:9000\n",
		}, map[string]string{"minio": "http://a:9000"}},
		{"AWS endpoints and booleans", []string{
			"[profile vpce]\nendpoint_url = https://bucket.vpce-1.s3.eu-west-1.vpce.amazonaws.com\n\n" +
				"[profile dual]\nuse_dualstack_endpoint = true\nuse_fips_endpoint = true\n\n" +
				"[profile svc]\nservices = fips\n\n[services fips]\ns3 =\n  endpoint_url = https://s3-fips.us-east-1.amazonaws.com\n\n" +
				"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n",
		}, map[string]string{}},
		{"services of another name", []string{
			"[profile app]\nservices = prod\n\n[services production]\ns3 =\n  endpoint_url = http://minio:9000\n",
		}, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files [][]byte
			for _, f := range tc.files {
				files = append(files, []byte(f))
			}
			got := fix.ProfileEndpoints(files...)
			if len(got) != len(tc.want) {
				t.Errorf("got %q, want profiles %q", got, tc.want)
			}
			for p, w := range tc.want {
				if !strings.Contains(got[p], w) {
					t.Errorf("profile %s: got %q, want it to hold %q", p, got[p], w)
				}
			}
		})
	}
}

// TestProfileEndpointKeysStay: the keys of a profile whose endpoint the
// config beside them sets stay for a person with the custom-endpoint
// reason (ApplyWith's Endpoints), in either direction; a profile of AWS
// loses them.
func TestProfileEndpointKeysStay(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(61).Values()
	creds := []byte(rules.Fill("[minio]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n\n"+
		"[prod]\naws_access_key_id = {{ID2}}\naws_secret_access_key = {{SECRET2}}\n", vals))
	config := []byte("[profile minio]\nendpoint_url = http://minio.internal:9000\n\n[profile prod]\nregion = us-east-1\n")
	for _, tc := range []struct{ name, file string }{{"credentials", ".aws/credentials"}, {"config", ".aws/config"}} {
		t.Run(tc.name, func(t *testing.T) {
			data, other := creds, config
			if tc.file == ".aws/config" { // the reverse: keys in config, endpoint in credentials
				data = []byte(strings.ReplaceAll(string(creds), "[minio]", "[profile minio]"))
				other = []byte(strings.ReplaceAll(string(config), "[profile minio]", "[minio]"))
			}
			fs := sc.Scan(tc.file, data)
			if len(fs) != 4 {
				t.Fatalf("scanner found %d keys, want 4", len(fs))
			}
			res, err := fix.ApplyWith(tc.file, data, fs, fix.Options{Endpoints: fix.ProfileEndpoints(data, other)})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Manual) != 2 || len(res.Fixed) != 2 {
				t.Fatalf("%d fixed, %d by hand, want 2 and 2: %v", len(res.Fixed), len(res.Manual), res.Manual)
			}
			for _, m := range res.Manual {
				if m.Finding.Line > 3 || !strings.HasPrefix(m.Reason, "the client talks to a custom endpoint (endpoint_url = http://minio.internal:9000") {
					t.Errorf("line %d left with %q", m.Finding.Line, m.Reason)
				}
			}
			if !strings.Contains(string(res.Content), vals["SECRET"]) || strings.Contains(string(res.Content), vals["SECRET2"]) {
				t.Errorf("wrong keys removed:\n%s", res.Content)
			}
		})
	}
}
