package fix

import (
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// rcloneProvider says why the keys of an rclone S3 remote (an INI section
// with type = s3) stay: its provider = line names a service other than
// AWS (Wasabi, Cloudflare, Minio, Ceph, Other, ...). rclone then talks to
// that service even with no endpoint line (it knows their endpoints, or
// asks for one), so the keys are that service's and the instance role is
// no replacement for them, as for a remote with an endpoint. Empty when
// the remote is AWS's (provider = AWS, or no provider line) or f is not in
// an rclone remote.
func (e *editor) rcloneProvider(f scanner.Finding) string {
	h := e.iniSection(e.lineAt(f.Offset))
	if h < 0 {
		return ""
	}
	s3, provider := false, ""
	for l := h + 1; l < len(e.lines) && !strings.HasPrefix(strings.TrimSpace(e.text(l)), "["); l++ {
		a, ok := e.parseAssign(l)
		if !ok {
			continue
		}
		switch strings.ToLower(a.key) {
		case "type":
			s3 = strings.EqualFold(unquote(a.inner), "s3")
		case "provider":
			provider = unquote(a.inner)
		}
	}
	if !s3 || provider == "" || strings.EqualFold(provider, "AWS") {
		return ""
	}
	return customEndpoint("provider = " + provider + ": rclone sends these keys to that service, not to AWS")
}
