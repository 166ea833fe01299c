package content

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// realZips returns zips of a .aws/credentials holding text, each made by a
// tool people use: Info-ZIP's zip -r (a folder entry first: version 1.0,
// stored), zip of the file alone (deflated, version 2.0), Python's zipfile,
// the JDK's jar (a data descriptor) and Go's archive/zip. A tool that is
// missing is skipped, said in the log.
func realZips(t *testing.T, text []byte) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".aws", "credentials"), text, 0o600); err != nil {
		t.Fatal(err)
	}
	zips := map[string][]byte{}
	run := func(name string, args ...string) {
		if _, err := exec.LookPath(args[0]); err != nil {
			t.Logf("%s: %s not installed", name, args[0])
			return
		}
		out := filepath.Join(dir, name+".zip")
		cmd := exec.Command(args[0], append(args[1:], out)...)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		zips[name] = data
	}
	// The output's name comes last (see run): each command takes it there.
	run("zip-r", "sh", "-c", `zip -qr "$0" .aws`)
	run("zip-file", "sh", "-c", `zip -q "$0" .aws/credentials`)
	run("python", "python3", "-c", "import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z: z.write('.aws/credentials')")
	run("python-stored", "python3", "-c", "import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.write('.aws/credentials')")
	run("jar", "sh", "-c", `jar cfM "$0" .aws`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(".aws/credentials")
	if err == nil {
		_, err = w.Write(text)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	zips["go"] = buf.Bytes()
	return zips
}

// TestEncodedZips is the rest of qa11 HIGH-3: a zip in base64 or in hex
// inside text, as the tools above write it (its first member deflated or
// stored, with or without a data descriptor), was not decoded, since nothing
// in it is an anchor. The head of a zip's first local header is one now
// (scanner/prefilter.go), and the zip is opened as a member of the file:
// in cloud-init's write_files, a Kubernetes Secret, base64(1)'s wrapped
// lines, a data: URI, an e-mail's attachment written by Python's email
// package (76 columns, CRLF), and a SQL dump's hex blob (mysqldump
// --hex-blob's 0x…, SQL's X'…', PostgreSQL's bytea \x…).
func TestEncodedZips(t *testing.T) {
	sc := newScanner(t)
	id, _, text := pair(111)
	b64 := base64.StdEncoding.EncodeToString
	wrap := func(s, indent, eol string) string {
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString(indent + s[:76] + eol)
			s = s[76:]
		}
		return out.String() + indent + s + eol
	}
	for tool, z := range realZips(t, text) {
		sum := sha256.Sum256(z)
		short := hex.EncodeToString(sum[:4])
		files := []struct{ name, data, member string }{
			{"user-data.yml", "#cloud-config\nwrite_files:\n  - path: /root/aws.zip\n    encoding: b64\n    content: " + b64(z) + "\n", "base64"},
			{"k8s.yml", "apiVersion: v1\nkind: Secret\ndata:\n  aws.zip: " + b64(z) + "\n", "base64"},
			{"wrapped.yml", "content: |\n" + wrap(b64(z), "  ", "\n"), "base64"},
			{"README.md", "[aws](data:application/zip;base64," + b64(z) + ")\n", "base64"},
			{"dump.sql", "INSERT INTO `uploads` VALUES (2,'aws.zip',0x" + strings.ToUpper(hex.EncodeToString(z)) + ");\n", "hex"},
			{"dump2.sql", "INSERT INTO uploads VALUES (2, X'" + strings.ToUpper(hex.EncodeToString(z)) + "');\n", "hex"},
		}
		if _, deflated := map[string]bool{"zip-file": true, "python": true, "jar": true, "go": true}[tool]; deflated {
			// PostgreSQL writes bytea in lower case; its anchor is the
			// head of a version 2.0 header.
			files = append(files, struct{ name, data, member string }{"pg.sql", "COPY uploads (id, name, data) FROM stdin;\n2\taws.zip\t\\\\x" + hex.EncodeToString(z) + "\n\\.\n", "hex"})
		}
		if tool == "python" {
			files = append(files, struct{ name, data, member string }{"mail.eml", realMail(t, z), "base64"})
		}
		for _, f := range files {
			r := Scan(context.Background(), sc, f.name, []byte(f.data), DefaultOptions())
			var got []string
			for _, fi := range r.Findings {
				if fi.Secret == id {
					got = append(got, fi.File)
				}
			}
			if want := f.name + "!" + f.member + " " + short + "!.aws/credentials"; !slices.Equal(got, []string{want}) {
				t.Errorf("%s zip in %s: key ID found in %q, want in %s (warnings %v)", tool, f.name, got, want, r.Warnings)
			}
		}
	}
}

// realMail returns an e-mail with the zip as an attachment, as Python's
// email package writes it (base64 in lines of 76, CRLF line ends).
func realMail(t *testing.T, z []byte) string {
	t.Helper()
	cmd := exec.Command("python3", "-c", `import sys
from email.message import EmailMessage
from email import policy
m = EmailMessage()
m["From"], m["To"], m["Subject"] = "ops@example.com", "dev@example.com", "handover"
m.set_content("The keys are attached.")
m.add_attachment(sys.stdin.buffer.read(), maintype="application", subtype="zip", filename="aws.zip")
sys.stdout.buffer.write(m.as_bytes(policy=policy.SMTP))`)
	cmd.Stdin = bytes.NewReader(z)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 email: %v", err)
	}
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Fatalf("python3 email: no CRLF line ends")
	}
	return string(out)
}
