package fix

import "strings"

// boto 2's and gsutil's configuration (.boto, /etc/boto.cfg) keeps the keys
// in [Credentials] and the S3 host every connection goes to elsewhere:
// host in [s3] (s3_host in [Boto] for older releases). A host there other
// than AWS's (host = minio.internal:9000) makes the keys MinIO's (qa14
// MEDIUM-8), whatever section they stand in, so the INI rule of one
// section does not see it.

// botoEndpoint describes the custom S3 host the file sets in its [s3] or
// [Boto] section, or "".
func (e *editor) botoEndpoint() string {
	sec := ""
	for l := range e.lines {
		t := strings.TrimSpace(e.text(l))
		if strings.HasPrefix(t, "[") {
			sec = strings.ToLower(sectionName(t))
			continue
		}
		if sec != "s3" && sec != "boto" {
			continue
		}
		a, ok := e.parseAssign(l)
		if !ok {
			continue
		}
		if k := strings.ToLower(a.key); (k == "host" || k == "s3_host") && endpointValue(a.inner) {
			return shorten(a.key+" = "+unquote(a.inner)) + " in [" + sec + "], the host boto 2 and gsutil send every S3 request to"
		}
	}
	return ""
}
