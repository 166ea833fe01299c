package fix

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestServerCredential: a key held also by a setting of an S3-compatible
// server (MINIO_ROOT_USER, LOCALSTACK_…), in any of the file shapes keyscan
// fix rewrites, or the server's own setting itself, is the server's; a key
// beside a server setting of another value is not (fix24).
func TestServerCredential(t *testing.T) {
	const k = "KEYVALUE0123456789"
	for _, c := range []struct {
		text, name string
		own        bool
	}{
		{"MINIO_ROOT_USER=" + k + "\nAWS_ACCESS_KEY_ID=@\n", "MINIO_ROOT_USER", false},
		{"export MINIO_ACCESS_KEY=\"" + k + "\"\nexport AWS_ACCESS_KEY_ID=@\n", "MINIO_ACCESS_KEY", false},
		{"environment:\n  MINIO_ROOT_PASSWORD: '" + k + "'\n  AWS_SECRET_ACCESS_KEY: @\n", "MINIO_ROOT_PASSWORD", false},
		{"environment:\n  - LOCALSTACK_KEY_ID=" + k + "\n  - AWS_ACCESS_KEY_ID=@\n", "LOCALSTACK_KEY_ID", false},
		{"ENV MINIO_ROOT_USER " + k + "\nENV AWS_ACCESS_KEY_ID=@\n", "MINIO_ROOT_USER", false},
		{"ENV MINIO_ROOT_USER \"" + k + "\"\nENV AWS_ACCESS_KEY_ID @\n", "MINIO_ROOT_USER", false},
		{"  ENV MINIO_ROOT_USER=" + k + "\nENV AWS_ACCESS_KEY_ID=@\n", "MINIO_ROOT_USER", false},
		{"ENV MINIO" + k + "\nENV AWS_ACCESS_KEY_ID=@\n", "", false},
		{"minio_root_user: " + k + "\nMINIO_ACCESS_KEY=" + k + "\nAWS_ACCESS_KEY_ID=@\n", "minio_root_user", false},
		{"{\"minioRootUser\": \"" + k + "\",\n \"awsKey\": \"@\"}\n", "minioRootUser", false},
		{"AWS_ACCESS_KEY_ID=" + k + "\nMINIO_ROOT_USER=@\n", "MINIO_ROOT_USER", true},
		{"MINIO_ROOT_USER=minioadmin\nAWS_ACCESS_KEY_ID=@\n", "", false},
		{"APP_USER=" + k + "\nAWS_ACCESS_KEY_ID=@\n", "", false},
		{"# MINIO_ROOT_USER " + k + "\nAWS_ACCESS_KEY_ID=@\n", "", false},
		{"AWS_ACCESS_KEY_ID=@\n", "", false},
	} {
		at := strings.Index(c.text, "@")
		data := []byte(strings.Replace(c.text, "@", k, 1))
		f := scanner.Finding{Secret: k, Offset: at, EndOffset: at + len(k)}
		if name, own := serverCredential(data, f); name != c.name || own != c.own {
			t.Errorf("serverCredential(%q) = %q, %v; want %q, %v", data, name, own, c.name, c.own)
		}
	}
}

// serverCredential is what serverHolds finds for f alone: the name of
// the first setting of such a server in data whose value is f's key, and
// whether that setting is f's own line.
func serverCredential(data []byte, f scanner.Finding) (name string, own bool) {
	st, ok := serverCredentials(data, serverSettings(data), scanner.Findings{f})[f.Secret]
	if !ok || f.Secret == "" {
		return "", false
	}
	return st.name, st.line == bytes.LastIndexByte(data[:f.Offset], '\n')+1
}

// serverCredentialEach is the reading serverSettings replaced, kept as the
// reference: every place of the value in data, the text before it on its
// line asked whether it names a server's setting. Where it was wrong, it
// is now told or FuzzServerCredential leaves it out: it took a value glued
// to the name (ENV MINIOabc: abc the value of MINIO), which it now skips,
// and names with a quote or white space inside (ENV MINIO_A"B abc), and,
// looking for the value after its last place, it missed a place that
// overlaps it (a value with '=' in it, as no key has).
func serverCredentialEach(data []byte, f scanner.Finding) (name string, own bool) {
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
		if r, _ := utf8.DecodeLastRune(data[start:i]); start < i && !unicode.IsSpace(r) && !strings.ContainsRune(`"'=:`, r) {
			continue // glued to what stands before it
		}
		if n := settingName(string(data[start:i])); n != "" {
			if w := nameWords(n); len(w) > 0 && slices.Contains(s3Servers, w[0]) {
				return n, start == mine
			}
		}
	}
	return "", false
}

// FuzzServerCredential holds serverCredential to any text and finding
// place: no panic, and the same setting as reading every place of the
// value finds (serverCredentialEach), for values that hold no blank, quote
// or separator, as keys do not, where that reading's setting has no quote
// or white space inside its name.
func FuzzServerCredential(f *testing.F) {
	f.Add([]byte("MINIO_ROOT_USER=abc\nAWS_ACCESS_KEY_ID=abc\n"), 36, 3)
	f.Add([]byte("{\"minioRootUser\": \"abc\"}"), 19, 3)
	f.Add([]byte("ENV MINIO_ROOT_USER abc\nENV AWS_ACCESS_KEY_ID=abc\n"), 45, 3)
	f.Add([]byte("  - minio.user = \"abc\" # abc\nx: abc"), 34, 3)
	f.Add([]byte("ENV set 'MINIO_X' abc\nX=abc"), 25, 3)
	f.Add([]byte("ENV MINIOabc\nENV MINIO_X abc\nX=abc"), 33, 3)
	f.Fuzz(func(t *testing.T, data []byte, at, n int) {
		if at < 0 || n <= 0 || at+n > len(data) {
			return
		}
		k := string(data[at : at+n])
		if strings.ContainsFunc(k, func(r rune) bool { return r <= ' ' || strings.ContainsRune("\"'=:", r) || r >= 0x80 }) {
			return
		}
		f := scanner.Finding{Secret: k, Offset: at, EndOffset: at + n}
		name, own := serverCredential(data, f)
		wname, wown := serverCredentialEach(data, f)
		if strings.ContainsFunc(wname, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '\'' }) {
			return
		}
		if name != wname || own != wown {
			t.Fatalf("%q at %d: %q, %v; reading every place finds %q, %v", data, at, name, own, wname, wown)
		}
	})
}

// BenchmarkServerHolds is qa34's keyscan fix of one Kubernetes file of
// many Deployments, each with a key pair, beside a MinIO setting:
// serverHolds looked for every value through the whole file, quadratic in
// its keys. go test -bench ServerHolds ./fix/: doubling the Deployments
// should about double ns/op.
func BenchmarkServerHolds(b *testing.B) {
	for _, docs := range []int{1000, 4000} {
		b.Run(fmt.Sprint(docs), func(b *testing.B) {
			g := fakekey.New(uint64(docs))
			data := []byte("MINIO_ROOT_USER: admin\n---\n") // a server's setting: the values are looked up
			var fs scanner.Findings
			for i := range docs {
				data = fmt.Appendf(data, "kind: Deployment\nmetadata:\n  name: app%d\nspec:\n  env:\n    - name: AWS_ACCESS_KEY_ID\n      value: ", i)
				for j, v := range []string{g.KeyID("AKIA"), g.Secret()} {
					if j == 1 {
						data = append(data, "\n    - name: AWS_SECRET_ACCESS_KEY\n      value: "...)
					}
					fs = append(fs, scanner.Finding{Secret: v, Offset: len(data), EndOffset: len(data) + len(v)})
					data = append(data, v...)
				}
				data = append(data, "\n---\n"...)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if h := serverHolds(data, fs, nil); len(h) != 0 {
					b.Fatal(h)
				}
			}
		})
	}
}
