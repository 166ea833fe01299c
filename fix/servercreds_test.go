package fix

import (
	"strings"
	"testing"

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

// FuzzServerCredential holds serverCredential to any text and finding
// place: no panic, and a name only where the value stands after it.
func FuzzServerCredential(f *testing.F) {
	f.Add([]byte("MINIO_ROOT_USER=abc\nAWS_ACCESS_KEY_ID=abc\n"), 36, 3)
	f.Add([]byte("{\"minioRootUser\": \"abc\"}"), 19, 3)
	f.Fuzz(func(t *testing.T, data []byte, at, n int) {
		if at < 0 || n <= 0 || at+n > len(data) {
			return
		}
		k := string(data[at : at+n])
		name, _ := serverCredential(data, scanner.Finding{Secret: k, Offset: at, EndOffset: at + n})
		if name != "" && !strings.Contains(string(data), name) {
			t.Fatalf("name %q not in the text", name)
		}
	})
}
