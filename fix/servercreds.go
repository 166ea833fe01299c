package fix

import (
	"bytes"
	"maps"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// A setting of an S3-compatible server itself (MINIO_ROOT_USER=admin)
// beside AWS-named keys does not keep them (f46ade5: a real AWS key
// beside LocalStack's own settings must still be fixed). But where the
// AWS-named key holds the very value the server's setting holds
// (MINIO_ROOT_USER=X and AWS_ACCESS_KEY_ID=X, as a compose .env often
// writes them for a program that talks to the MinIO it starts), the keys
// are that server's root credentials: on the instance role the program
// would send AWS's credentials to MinIO and MinIO would refuse them, and
// the server itself would lose its user (fix24).

// s3Servers are the S3-compatible servers one runs oneself, by the word
// that starts their settings' names.
var s3Servers = []string{"minio", "localstack", "seaweedfs", "ceph", "radosgw", "rgw", "s3proxy", "cloudserver", "zenko", "s3mock",
	"versity", "rustfs", "garage", "moto"}

// serverCredential returns the name of a setting of such a server in data
// (its name's first word one of s3Servers) whose value is f's key, and
// whether that setting is f's own (MINIO_ROOT_USER=AKIA…: the server's
// user, which no instance role replaces); "" when there is none.
func serverCredential(data []byte, f scanner.Finding) (name string, own bool) {
	if f.Secret == "" || f.Offset < 0 || f.EndOffset > len(data) {
		return "", false
	}
	mine := bytes.LastIndexByte(data[:f.Offset], '\n') + 1
	key := []byte(f.Secret)
	for at := 0; at < len(data); {
		i := bytes.Index(data[at:], key)
		if i < 0 {
			return "", false
		}
		i += at
		at = i + len(key)
		start := bytes.LastIndexByte(data[:i], '\n') + 1
		if n := settingName(string(data[start:i])); n != "" {
			if w := nameWords(n); len(w) > 0 && slices.Contains(s3Servers, w[0]) {
				return n, start == mine
			}
		}
	}
	return "", false
}

// settingName is the name of the setting whose value starts where the
// text before (from the line's start) ends: NAME=, NAME: , export NAME=,
// - NAME=, "NAME": , ENV NAME ; "" when before is no such prefix.
func settingName(before string) string {
	b := strings.TrimSpace(before)
	b = strings.TrimRight(b, `"'`)
	b = strings.TrimSpace(b)
	switch {
	case strings.HasSuffix(b, "="), strings.HasSuffix(b, ":"):
		b = strings.TrimSpace(b[:len(b)-1])
	case strings.HasPrefix(b, "ENV "):
	default:
		return ""
	}
	b = strings.Trim(strings.TrimLeft(b, "{, \t"), `"' `)
	for _, p := range []string{"export ", "- ", "ENV ", "set "} {
		b = strings.TrimSpace(strings.TrimPrefix(b, p))
	}
	b = strings.Trim(b, `"'`)
	if b == "" || strings.ContainsAny(b, " \t=:{}[]()") {
		return ""
	}
	return b
}

// serverHolds returns hold (a copy, when it adds to it) with each finding
// of mine whose value a server's setting of data also holds
// (serverCredential), and its reason.
func serverHolds(data []byte, mine scanner.Findings, hold map[int]string) map[int]string {
	out := hold
	for _, f := range mine {
		if _, ok := hold[f.Offset]; ok {
			continue
		}
		if n, own := serverCredential(data, f); n != "" {
			if len(out) == len(hold) {
				out = maps.Clone(hold)
				if out == nil {
					out = map[int]string{}
				}
			}
			out[f.Offset] = serverCredentialReason(n, own)
		}
	}
	return out
}

// serverCredentialReason is the reason the keys of f stay when the server
// setting name holds the same value (own: f is that setting's value).
func serverCredentialReason(name string, own bool) string {
	if own {
		return name + " is a setting of the S3-compatible server itself (its own user or password), which no EC2 instance role " +
			"replaces: keep it, or move it to a secrets store, and rotate it if the file leaked"
	}
	return "the same value is " + name + "'s, a setting of the S3-compatible server itself: these are that server's own " +
		"credentials, which the program uses to talk to it, and the EC2 instance role would give it AWS's, which the server " +
		"refuses; keep them, or move both settings to a secrets store, and rotate them if the file leaked"
}
