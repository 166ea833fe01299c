package fix

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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

// serverSetting is a value of data that stands after the name of an
// S3-compatible server's setting (its name's first word one of s3Servers):
// at is where the value starts, line where its line does.
type serverSetting struct {
	name     string
	at, line int
}

// serverSettings returns the places of data where a server's setting's
// value starts, in order. settingName takes no name with '=' or ':' in it,
// so only the first separator of a line ends one; in a Dockerfile, the
// first word after ENV does (or the second, after ENV set, which
// settingName strips as it strips set NAME=). A value starts at its first
// byte that is no blank or quote, as a key's does. Each line is read once:
// looking for each finding's value through the whole file instead
// (bytes.Index per finding) made keyscan fix quadratic in a file of many
// keys (qa34: 6,000 Kubernetes Deployments, 2.3 MB, 6.5 CPU s).
func serverSettings(data []byte) []serverSetting {
	var out []serverSetting
	for line := 0; line < len(data); {
		end := bytes.IndexByte(data[line:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += line
		}
		l := data[line:end]
		var cands [3]int
		n := 0
		if sep := bytes.IndexAny(l, "=:"); sep >= 0 {
			cands[n] = skipBlanksQuotes(l, sep+1)
			n++
		}
		if t := bytes.TrimLeftFunc(l, unicode.IsSpace); bytes.HasPrefix(t, []byte("ENV ")) {
			w := skipBlanksQuotes(l, len(l)-len(t)+len("ENV "))
			e := wordEnd(l, w)
			cands[n] = skipBlanksQuotes(l, e)
			n++
			if string(l[w:e]) == "set" && e < len(l) && l[e] == ' ' {
				cands[n] = skipBlanksQuotes(l, wordEnd(l, cands[n-1]))
				n++
			}
		}
		c := cands[:n]
		slices.Sort(c)
		for k, i := range c {
			if i >= len(l) || k > 0 && c[k-1] == i {
				continue
			}
			if name := settingName(string(l[:i])); serverName(name) {
				out = append(out, serverSetting{name: name, at: line + i, line: line})
			}
		}
		line = end + 1
	}
	return out
}

// serverName reports whether the first word of name (nameWords) is one of
// s3Servers. Most names of a file are not, and a look at how the name
// starts tells most of them without splitting it into words (an ASCII
// name: others may fold to ASCII, the Kelvin sign K to k).
func serverName(name string) bool {
	if name == "" {
		return false
	}
	t := strings.TrimLeft(name, "_-. ")
	if !slices.ContainsFunc(s3Servers, func(s string) bool { return len(t) >= len(s) && strings.EqualFold(t[:len(s)], s) }) &&
		!strings.ContainsFunc(name, func(r rune) bool { return r >= utf8.RuneSelf }) {
		return false
	}
	w := nameWords(name)
	return len(w) > 0 && slices.Contains(s3Servers, w[0])
}

// skipBlanksQuotes returns the index of the first byte of l from i on that
// is neither white space (as strings.TrimSpace takes it) nor a quote.
func skipBlanksQuotes(l []byte, i int) int {
	for i < len(l) {
		r, n := utf8.DecodeRune(l[i:])
		if !unicode.IsSpace(r) && r != '"' && r != '\'' {
			break
		}
		i += n
	}
	return i
}

// wordEnd returns the index of the first byte of l from i on that is
// white space or a quote: where a word of a Dockerfile's ENV ends.
func wordEnd(l []byte, i int) int {
	for i < len(l) {
		r, n := utf8.DecodeRune(l[i:])
		if unicode.IsSpace(r) || r == '"' || r == '\'' {
			break
		}
		i += n
	}
	return i
}

// serverCredentials returns, for each value of mine that a setting of
// such a server in data holds (settings, from serverSettings), the first
// such setting. A setting holds a value that its own starts with, as
// looking for the value through the file found it: each length of the
// values is looked up at each setting (few: 20 and 40 for key pairs), and
// a setting whose first byte starts no value is passed over.
func serverCredentials(data []byte, settings []serverSetting, mine scanner.Findings) map[string]serverSetting {
	values := map[string]bool{}
	var lens []int
	var first [256]bool
	for _, f := range mine {
		if f.Secret != "" && !values[f.Secret] {
			values[f.Secret] = true
			first[f.Secret[0]] = true
			if !slices.Contains(lens, len(f.Secret)) {
				lens = append(lens, len(f.Secret))
			}
		}
	}
	slices.Sort(lens)
	out := map[string]serverSetting{}
	for _, st := range settings {
		if !first[data[st.at]] {
			continue
		}
		for _, n := range lens {
			if st.at+n > len(data) {
				break
			}
			if v := data[st.at : st.at+n]; values[string(v)] {
				if _, seen := out[string(v)]; !seen {
					out[string(v)] = st
				}
			}
		}
	}
	return out
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
// of mine whose value a server's setting of data also holds, and its
// reason: the setting's name, and whether it is the finding's own line
// (MINIO_ROOT_USER=AKIA…: the server's user, which no instance role
// replaces).
func serverHolds(data []byte, mine scanner.Findings, hold map[int]string) map[int]string {
	settings := serverSettings(data)
	if len(settings) == 0 {
		return hold
	}
	held := serverCredentials(data, settings, mine)
	out := hold
	for _, f := range mine {
		if _, ok := hold[f.Offset]; ok {
			continue
		}
		st, ok := held[f.Secret]
		if !ok || f.Secret == "" || f.Offset < 0 || f.EndOffset > len(data) {
			continue
		}
		if len(out) == len(hold) {
			out = maps.Clone(hold)
			if out == nil {
				out = map[int]string{}
			}
		}
		mineLine := bytes.LastIndexByte(data[:f.Offset], '\n') + 1
		out[f.Offset] = serverCredentialReason(st.name, st.line == mineLine)
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
