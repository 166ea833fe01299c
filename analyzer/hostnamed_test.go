package analyzer

import (
	"strings"
	"testing"
)

// TestHostNamed: the hosts of S3-compatible services count for go fix,
// those fix26 found missing from the matcher's list (a values file naming
// Tigris left the fix offered) as well as the older ones: one list,
// scanner's, serves both; AWS's own host does not count.
func TestHostNamed(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"storage:\n  endpoint: https://fly.storage.tigris.dev\n", "storage.tigris.dev, Tigris's host, named in deploy/values.yaml:2"},
		{"S3_ENDPOINT=https://s3.eu-central-1.ionoscloud.com\n", "ionoscloud.com, IONOS S3's host, named in deploy/values.yaml:1"},
		{"endpoint: https://sos-ch-gva-2.exo.io\n", ".exo.io, Exoscale SOS's host"},
		{"endpoint: https://s3.us-east-1.wasabisys.com\n", "wasabisys.com, Wasabi's host"},
		{"endpoint: https://s3.us-east-1.amazonaws.com\n", ""},
	} {
		got := strings.TrimPrefix(hostNamed([]byte(tc.text), "/m/deploy/values.yaml", "/m"), endpointMark)
		if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
			t.Errorf("hostNamed(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
