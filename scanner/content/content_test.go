package content

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

func newScanner(t testing.TB) *scanner.Scanner {
	t.Helper()
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// place is where a finding was reported: file, line, kind.
type place struct {
	File string
	Line int
	Kind rules.Kind
}

func places(fs scanner.Findings) []place {
	var ps []place
	for _, f := range fs {
		ps = append(ps, place{f.File, f.Line, f.Kind})
	}
	return ps
}

// pair returns a generated key pair and an ini-style text holding it.
func pair(seed uint64) (id, secret string, text []byte) {
	g := fakekey.New(seed)
	id, secret = g.KeyID("AKIA"), g.Secret()
	return id, secret, fmt.Appendf(nil, "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", id, secret)
}

func TestEveryFormat(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(1)
	member := "conf/app.ini"
	tr := archivetest.Tar(t, archivetest.F(member, text))
	tests := []struct {
		name, member string
		data         []byte
	}{
		{"a.zip", member, archivetest.Zip(t, archivetest.F(member, text))},
		{"a.tar", member, tr},
		{"a.tgz", member, archivetest.Gzip(t, "", tr)},
		{"a.tar.gz", member, archivetest.Gzip(t, "a.tar", tr)},
		{"a.tar.bz2", member, archivetest.Bzip2(t, tr)},
		{"a.tar.xz", member, archivetest.Xz(t, tr)},
		{"a.tar.zst", member, archivetest.Zstd(t, tr)},
		{"app.ini.gz", "app.ini", archivetest.Gzip(t, "", text)},
		{"app.ini.bz2", "app.ini", archivetest.Bzip2(t, text)},
		{"app.ini.xz", "app.ini", archivetest.Xz(t, text)},
		{"app.ini.zst", "app.ini", archivetest.Zstd(t, text)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Scan(context.Background(), sc, tt.name, tt.data, DefaultOptions())
			name := tt.name + "!" + tt.member
			want := []place{{name, 2, rules.AccessKeyID}, {name, 3, rules.SecretAccessKey}}
			if got := places(r.Findings); !slices.Equal(got, want) {
				t.Errorf("findings %v, want %v (warnings %v)", got, want, r.Warnings)
			}
			if len(r.Warnings) > 0 {
				t.Errorf("warnings: %v", r.Warnings)
			}
		})
	}
}

// TestNestedDepth puts a key two and three archives deep and checks that
// --max-archive-depth opens exactly as deep as it says.
func TestNestedDepth(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(2)
	two := archivetest.Zip(t, archivetest.F("lib/inner.zip", archivetest.Zip(t, archivetest.F("app.ini", text))))
	three := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("pkg/two.zip", two)))
	for _, tt := range []struct {
		name  string
		data  []byte
		depth int
		found bool
	}{
		{"two.zip", two, 2, true},
		{"two.zip", two, 1, false},
		{"three.tgz", three, 3, true},
		{"three.tgz", three, 2, false},
		{"three.tgz", three, 0, false},
	} {
		opts := DefaultOptions()
		opts.Archives.MaxDepth = tt.depth
		r := Scan(context.Background(), sc, tt.name, tt.data, opts)
		want := map[string]string{"two.zip": "two.zip!lib/inner.zip!app.ini", "three.tgz": "three.tgz!pkg/two.zip!lib/inner.zip!app.ini"}[tt.name]
		found := len(r.Findings) == 2 && r.Findings[0].File == want && r.Findings[0].Line == 2
		if found != tt.found {
			t.Errorf("%s at depth %d: findings %v, want found=%v", tt.name, tt.depth, places(r.Findings), tt.found)
		}
		if !tt.found && tt.depth > 0 && !hasWarning(r.Warnings, "nested more than") {
			t.Errorf("%s at depth %d: no depth warning: %v", tt.name, tt.depth, r.Warnings)
		}
	}
}

// TestUserCases are the archives users meet: a Spring Boot jar with its
// application.properties, a wheel with a settings module, a Lambda
// deployment zip with a .env. Each finding carries the member kind's
// suggestion.
func TestUserCases(t *testing.T) {
	sc := newScanner(t)
	id, secret, _ := pair(3)
	props := fmt.Appendf(nil, "server.port=8080\ncloud.aws.credentials.access-key=%s\ncloud.aws.credentials.secret-key=%s\n", id, secret)
	py := fmt.Appendf(nil, "import boto3\n\nAWS_ACCESS_KEY_ID = %q\nAWS_SECRET_ACCESS_KEY = %q\n", id, secret)
	env := fmt.Appendf(nil, "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", id, secret)
	tests := []struct {
		name, member string
		data         []byte
	}{
		{"app.jar", "BOOT-INF/classes/application.properties", archivetest.Zip(t,
			archivetest.F("META-INF/MANIFEST.MF", []byte("Manifest-Version: 1.0\n")),
			archivetest.F("BOOT-INF/classes/application.properties", props))},
		{"pkg-1.0-py3-none-any.whl", "pkg/settings.py", archivetest.Zip(t,
			archivetest.F("pkg/__init__.py", nil), archivetest.F("pkg/settings.py", py))},
		{"function.zip", ".env", archivetest.Zip(t, archivetest.F("handler.py", []byte("def handler(e, c):\n    return 1\n")),
			archivetest.F(".env", env))},
	}
	for _, tt := range tests {
		r := Scan(context.Background(), sc, tt.name, tt.data, DefaultOptions())
		name := tt.name + "!" + tt.member
		if len(r.Findings) != 2 {
			t.Errorf("%s: findings %v, want the pair in %s", tt.name, places(r.Findings), name)
			continue
		}
		for _, f := range r.Findings {
			if f.File != name || f.Pair == "" {
				t.Errorf("%s: finding %+v: want it in %s, paired", tt.name, places(scanner.Findings{f}), name)
			}
			if want := scanner.Suggestion(tt.member, f.Kind, f.Secret); f.Suggestion != want {
				t.Errorf("%s: suggestion %q, want the member's %q", name, f.Suggestion, want)
			}
		}
	}
}

func TestBinaryOff(t *testing.T) {
	sc := newScanner(t)
	id, _, _ := pair(4)
	data := append([]byte{0, 1, 2, 0}, id...)
	opts := DefaultOptions()
	if r := Scan(context.Background(), sc, "x.bin", data, opts); len(r.Findings) != 1 || r.Binary != 1 {
		t.Errorf("binaries on: %d findings, %d binary", len(r.Findings), r.Binary)
	}
	opts.SkipBinary = true
	if r := Scan(context.Background(), sc, "x.bin", data, opts); len(r.Findings) != 0 || r.SkippedBinary != 1 {
		t.Errorf("binaries off: %d findings, %d skipped", len(r.Findings), r.SkippedBinary)
	}
}

func hasWarning(ws []archive.Warning, s string) bool {
	for _, w := range ws {
		if strings.Contains(w.Message, s) {
			return true
		}
	}
	return false
}

// TestArchiveOwnBytes puts a key where no member holds it — a zip comment,
// bytes appended after the archive — and in a stored (uncompressed) member,
// whose text the raw bytes also show: the first two are found in the
// archive's own bytes, the last is reported once, in the member.
func TestArchiveOwnBytes(t *testing.T) {
	sc := newScanner(t)
	id, _, text := pair(7)
	zipped := func(method uint16, comment string, files ...archivetest.File) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		for _, f := range files {
			fw, err := w.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(f.Data)
		}
		if err := w.SetComment(comment); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	plain := archivetest.F("readme.txt", []byte("nothing to see here\n"))
	tests := []struct {
		name string
		data []byte
		want []string // the File of each finding
	}{
		{"comment.zip", zipped(zip.Deflate, string(text), plain), []string{"comment.zip", "comment.zip"}},
		{"trailing.zip", append(zipped(zip.Deflate, "", plain), text...), []string{"trailing.zip", "trailing.zip"}},
		{"stored.zip", zipped(zip.Store, "", archivetest.F("app.ini", text)), []string{"stored.zip!app.ini", "stored.zip!app.ini"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Scan(context.Background(), sc, tt.name, tt.data, DefaultOptions())
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.File)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings in %v, want %v", got, tt.want)
			}
			if len(r.Findings) > 0 && r.Findings[0].Secret != id {
				t.Errorf("first finding %q, want the key ID", r.Findings[0].Secret)
			}
		})
	}
	// With binaries off, the archive's own bytes are not read either.
	opts := DefaultOptions()
	opts.SkipBinary = true
	if r := Scan(context.Background(), sc, "comment.zip", tests[0].data, opts); len(r.Findings) != 0 {
		t.Errorf("--binaries=false still scanned the archive's own bytes: %v", r.Findings)
	}
}

// TestArchiveHeadersEveryLevel: a key in a tar header (a PAX comment, a
// symlink's target) is found whether the tar is plain, compressed or nested
// in another archive, and named after the archive that holds the header
// (qa7 LOW-16: the .tgz one was missed, the decompressed stream's header
// blocks were never read). A nested zip's comment is read as the outer's is.
func TestArchiveHeadersEveryLevel(t *testing.T) {
	sc := newScanner(t)
	id, secret, text := pair(16)
	paxTar := func() []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		body := []byte("nothing here\n")
		for i, h := range []*tar.Header{
			{Name: "readme.txt", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg},
			{Name: "notes.txt", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg, Format: tar.FormatPAX,
				PAXRecords: map[string]string{"comment": "aws_access_key_id=" + id + " aws_secret_access_key=" + secret}},
		} {
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(i, err)
			}
			tw.Write(body)
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	fw, _ := zw.Create("readme.txt")
	fw.Write([]byte("nothing\n"))
	zw.SetComment(string(text))
	zw.Close()
	commented := zb.Bytes()
	tests := []struct {
		name string
		data []byte
		want string // the File of both findings
	}{
		{"pax.tar", paxTar, "pax.tar"},
		{"pax.tgz", archivetest.Gzip(t, "", paxTar), "pax.tgz"},
		{"pax.tar.xz", archivetest.Xz(t, paxTar), "pax.tar.xz"},
		{"pax.tar.zst", archivetest.Zstd(t, paxTar), "pax.tar.zst"},
		{"outer.zip", archivetest.Zip(t, archivetest.F("lib/pax.tgz", archivetest.Gzip(t, "", paxTar))), "outer.zip!lib/pax.tgz"},
		{"outer.tgz", archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("in.zip", commented))), "outer.tgz!in.zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Scan(context.Background(), sc, tt.name, tt.data, DefaultOptions())
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.File+" "+f.Secret)
			}
			want := []string{tt.want + " " + id, tt.want + " " + secret}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings %q, want %q", got, want)
			}
		})
	}
	// The offset of a header's finding is its place in the decompressed
	// tar, as it is in the plain tar.
	plain := Scan(context.Background(), sc, "a", paxTar, DefaultOptions()).Findings
	gz := Scan(context.Background(), sc, "a", archivetest.Gzip(t, "", paxTar), DefaultOptions()).Findings
	if len(plain) != 2 || len(gz) != 2 || plain[0].Offset != gz[0].Offset || plain[1].Offset != gz[1].Offset {
		t.Errorf("offsets: plain %v, gzipped %v", plain, gz)
	}
	// A key in a member is reported once, in the member, not again in the
	// header blocks or a nested archive's own bytes.
	stored := archivetest.Zip(t, archivetest.F("in.tar", archivetest.Tar(t, archivetest.F("app.ini", text))))
	r := Scan(context.Background(), sc, "stored.zip", stored, DefaultOptions())
	if len(r.Findings) != 2 || r.Findings[0].File != "stored.zip!in.tar!app.ini" || r.Findings[1].File != "stored.zip!in.tar!app.ini" {
		t.Errorf("key in a nested member: %v", places(r.Findings))
	}
}

// TestDepthZeroSaid: --max-archive-depth 0 leaves an archive closed, and
// says so: a warning naming it, counted as an archive part not scanned
// (qa7 LOW-22: nothing was said). Its own bytes are still read.
func TestDepthZeroSaid(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(22)
	data := archivetest.Zip(t, archivetest.F("app.ini", text))
	opts := DefaultOptions()
	opts.Archives.MaxDepth = 0
	r := Scan(context.Background(), sc, "plain.zip", data, opts)
	if r.Archive.Unscanned != 1 || len(r.Warnings) != 1 || r.Warnings[0].Path != "plain.zip" ||
		!strings.Contains(r.Warnings[0].Message, "--max-archive-depth 0") {
		t.Errorf("depth 0: unscanned %d, warnings %v", r.Archive.Unscanned, r.Warnings)
	}
	if r.Binary != 1 {
		t.Errorf("depth 0: the archive's own bytes were not scanned (binary %d)", r.Binary)
	}
	// Not an archive: nothing to say.
	if r := Scan(context.Background(), sc, "app.ini", text, opts); r.Archive.Unscanned != 0 || len(r.Warnings) != 0 {
		t.Errorf("depth 0, a text file: %v", r.Warnings)
	}
}

// TestEncodedArchives is qa11 HIGH-3: an archive in base64 inside text (an
// install script's tar.gz, a Kubernetes Secret's data, a zip in cloud-init's
// write_files) was decoded, found not to be text, and dropped. It is a
// member of the file, named by its encoding and content, and opened; with no
// archive level left it is a warning counted as not scanned, never silent.
func TestEncodedArchives(t *testing.T) {
	sc := newScanner(t)
	id, _, text := pair(7)
	tgz := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F(".aws/credentials", text)))
	stored := archivetest.ZipStored(t, archivetest.F(".aws/credentials", text))
	b64 := func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
	short := func(b []byte) string { sum := sha256.Sum256(b); return hex.EncodeToString(sum[:4]) }
	wrapped := func(s string) string { // base64(1)'s 76 columns, indented as YAML puts it
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString("      " + s[:76] + "\n")
			s = s[76:]
		}
		return out.String() + "      " + s + "\n"
	}
	for _, tt := range []struct{ name, data, member string }{
		{"install.sh", "#!/bin/sh\necho '" + b64(tgz) + "' | base64 -d | tar xzf - -C \"$HOME\"\n", "install.sh!base64 " + short(tgz) + "!.aws/credentials"},
		{"k8s.yml", "apiVersion: v1\nkind: Secret\ndata:\n  aws.tgz: " + b64(tgz) + "\n", "k8s.yml!base64 " + short(tgz) + "!.aws/credentials"},
		{"user-data.yml", "#cloud-config\nwrite_files:\n  - path: /root/aws.zip\n    encoding: b64\n    content: |\n" + wrapped(b64(stored)), "user-data.yml!base64 " + short(stored) + "!.aws/credentials"},
	} {
		r := Scan(context.Background(), sc, tt.name, []byte(tt.data), DefaultOptions())
		var got []string
		for _, f := range r.Findings {
			if f.Secret == id {
				got = append(got, f.File)
			}
		}
		if !slices.Equal(got, []string{tt.member}) {
			t.Errorf("%s: key ID found in %q, want in %s (warnings %v)", tt.name, got, tt.member, r.Warnings)
		}
		o := DefaultOptions()
		o.Archives.MaxDepth = 1
		r = Scan(context.Background(), sc, tt.name, []byte(tt.data), o)
		if !hasWarning(r.Warnings, "archive in an encoded run not opened") || r.Archive.Unscanned != 1 {
			t.Errorf("%s with one archive level: warnings %v, %d unscanned; want the encoded archive named and counted", tt.name, r.Warnings, r.Archive.Unscanned)
		}
	}
}

// TestAllowCommentsOnlyWhereReviewed is qa12 MEDIUM-10: a keyscan:allow
// comment counts in a file's own text, which a diff shows, and not inside
// an archive's member or a binary file, which no review reads: there the
// values are reported as if the comment were not there, by the scanners of
// every command and by the gate's (Options.ReportAllowed) alike. Nor inside
// a decoded base64 run; a comment on the run's own line counts.
func TestAllowCommentsOnlyWhereReviewed(t *testing.T) {
	g := fakekey.New(1210)
	id, secret := g.KeyID("AKIA"), g.Secret()
	text := []byte("[default]\naws_access_key_id = " + id + " # keyscan:allow fixture\naws_secret_access_key = " + secret + " # keyscan:allow fixture\n")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	fw, err := zw.Create("cfg/credentials")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(text)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	binary := append([]byte("\x00\x01\x02ELF\x00"), text...)
	b64 := base64.StdEncoding.EncodeToString(text)
	encoded := []byte("apiVersion: v1\nkind: Secret\ndata:\n  credentials: " + b64 + "\n")
	reviewed := []byte("apiVersion: v1\nkind: Secret\ndata:\n  credentials: " + b64 + " # keyscan:allow fixture\n")
	for _, report := range []bool{false, true} {
		sc, err := scanner.New(scanner.Options{ReportAllowed: report})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name     string
			data     []byte
			reported bool // reported as a finding, not allowed
		}{
			{"credentials", text, false},
			{"bundle.zip", zb.Bytes(), true},
			{"tool.bin", binary, true},
			{"secret.yaml", encoded, true},    // the comments are inside the base64 run
			{"fixture.yaml", reviewed, false}, // the comment is on the run's own line
		} {
			r := Scan(context.Background(), sc, c.name, c.data, DefaultOptions())
			var reported, allowed int
			for _, f := range r.Findings {
				if f.Allowed != "" {
					allowed++
				} else {
					reported++
				}
			}
			switch {
			case c.reported && (reported != 2 || allowed != 0):
				t.Errorf("ReportAllowed=%v %s: %d reported, %d allowed; want both values reported", report, c.name, reported, allowed)
			case !c.reported && report && (reported != 0 || allowed != 2):
				t.Errorf("ReportAllowed=%v %s: %d reported, %d allowed; want both allowed", report, c.name, reported, allowed)
			case !c.reported && !report && reported+allowed != 0:
				t.Errorf("ReportAllowed=%v %s: %d findings; want none (allowed)", report, c.name, reported+allowed)
			}
		}
	}
}

// patchRepo returns a repository whose one commit adds creds.bin, text
// and a NUL (a file git takes for binary), and a function that runs git
// there.
func patchRepo(t *testing.T, text []byte) (string, func(args ...string) string) {
	t.Helper()
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "creds.bin"), append(text, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", ".")
	run("commit", "-q", "-m", "add")
	return dir, run
}

// TestGitBinaryPatchInBase64 is qa13 MEDIUM-1: a patch mailed with its
// text in base64 (a MIME part, as mail clients attach a .patch) hides the
// files its hunks carry from a reader of the raw text. The decoded text
// holds git's binary patch line, and its hunks are read as a patch's are,
// named under the run. The patch is the real git format-patch --binary,
// encoded by the real base64(1).
func TestGitBinaryPatchInBase64(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	if _, err := exec.LookPath("base64"); err != nil {
		t.Skip("base64 (coreutils) not installed")
	}
	id, _, text := pair(1210)
	_, run := patchRepo(t, text)
	patch := run("format-patch", "--binary", "--stdout", "--root", "HEAD")
	enc := exec.Command("base64", "-w", "76")
	enc.Stdin = strings.NewReader(patch)
	b64, err := enc.Output()
	if err != nil {
		t.Fatal(err)
	}
	mail := "From: dev@example.com\nSubject: [PATCH] add\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee the patch\n\n" +
		"--b\nContent-Type: text/x-patch; name=\"0001-add.patch\"\nContent-Transfer-Encoding: base64\n\n" + string(b64) + "\n--b--\n"
	for _, name := range []string{"0001-add.eml", "0001-add.patch"} {
		r := Scan(context.Background(), newScanner(t), name, []byte(mail), DefaultOptions())
		var in []string
		for _, f := range r.Findings {
			if f.Secret == id {
				in = append(in, f.File)
			}
		}
		if len(in) != 1 || !strings.HasPrefix(in[0], name+"!base64 ") || !strings.HasSuffix(in[0], "!b/creds.bin") {
			t.Errorf("%s: the key found in %v, want once in %s!base64 …!b/creds.bin; findings %v", name, in, name, places(r.Findings))
		}
		// Archives closed: the hunks are not read, and that is counted.
		opts := DefaultOptions()
		opts.Archives.MaxDepth = 0
		if r := Scan(context.Background(), newScanner(t), name, []byte(mail), opts); len(r.Findings) != 0 || r.Archive.Unscanned != 2 {
			t.Errorf("%s, --max-archive-depth 0: %d findings, %d unscanned; want 0 and 2", name, len(r.Findings), r.Archive.Unscanned)
		}
	}
}

// TestGitBinaryPatch is qa12 HIGH-8: a patch the real git writes with
// --binary carries a file git takes for binary as deflated base85; the
// file it writes is read, named by its path in the patch.
func TestGitBinaryPatch(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	id, _, text := pair(1209)
	dir, run := patchRepo(t, text)
	patch := run("format-patch", "--binary", "--stdout", "--root", "HEAD")
	if !strings.Contains(patch, "GIT binary patch") || strings.Contains(patch, id) {
		t.Fatal("git wrote no binary patch, or the key in clear")
	}
	r := Scan(context.Background(), newScanner(t), "0001-add.patch", []byte(patch), DefaultOptions())
	if len(r.Findings) != 2 || r.Findings[0].File != "0001-add.patch!b/creds.bin" || r.Findings[0].Secret != id {
		t.Errorf("findings %v, want the pair in 0001-add.patch!b/creds.bin", places(r.Findings))
	}
	// Archives closed: the hunk is not read, and that is counted.
	opts := DefaultOptions()
	opts.Archives.MaxDepth = 0
	if r := Scan(context.Background(), newScanner(t), "0001-add.patch", []byte(patch), opts); len(r.Findings) != 0 || r.Archive.Unscanned != 2 {
		t.Errorf("--max-archive-depth 0: %d findings, %d unscanned; want 0 and 2 (the hunk and the one that undoes it)", len(r.Findings), r.Archive.Unscanned)
	}

	// qa13 HIGH-5: a patch's hunks together are held to an archive's
	// limits, inflated one at a time. Files of zeros first (a few hundred
	// bytes of patch each), then the key: past max_bytes, its hunk is not
	// read, and that is counted, in the patch and in a zip that holds it
	// (whose walk once counted over its members' counts).
	for i := range 8 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("zeros%d.bin", i)), make([]byte, 256<<10), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "zz-creds.bin"), append(text, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", ".")
	run("commit", "-q", "-m", "zeros")
	patch = run("format-patch", "--binary", "--stdout", "HEAD~1..HEAD")
	opts = DefaultOptions()
	opts.Archives.MaxBytes = 1 << 20
	zipped := archivetest.Zip(t, archivetest.F("0002-zeros.patch", []byte(patch)))
	for name, data := range map[string][]byte{"0002-zeros.patch": []byte(patch), "p.zip": zipped} {
		r := Scan(context.Background(), newScanner(t), name, data, opts)
		if len(r.Findings) != 0 || r.Archive.Unscanned < 5 {
			t.Errorf("%s with max_bytes 1 MiB: findings %v, %d parts unscanned; want none found and at least 5 hunks not read", name, places(r.Findings), r.Archive.Unscanned)
		}
		if r := Scan(context.Background(), newScanner(t), name, data, DefaultOptions()); len(r.Findings) != 2 || r.Archive.Unscanned != 0 {
			t.Errorf("%s with the default limits: findings %v, %d parts unscanned; want the pair and none", name, places(r.Findings), r.Archive.Unscanned)
		}
	}
}

// TestEmbeddedArchivesShareABudget is qa13 MEDIUM-12: the archives a
// file's encoded runs decode to together inflate to no more than an
// archive of the file's size may (max_bytes; past a quarter of it,
// max_ratio times the file's size). Runs of gzip of zeros first, then a
// run holding the key: past the budget, that run is not opened, and that
// is counted; with the default limits it is.
func TestEmbeddedArchivesShareABudget(t *testing.T) {
	id, _, text := pair(1314)
	// As go-bindata writes them: gzip in Go string escapes.
	gz := func(data []byte) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		var q strings.Builder
		for _, c := range b.Bytes() {
			fmt.Fprintf(&q, "\\x%02x", c)
		}
		return `"` + q.String() + `"`
	}
	var file strings.Builder
	file.WriteString("package assets\n\n")
	for i := range 16 {
		fmt.Fprintf(&file, "var blob%d = %s\n", i, gz(archivetest.Tar(t, archivetest.F("zeros", make([]byte, 1<<20+i)))))
	}
	fmt.Fprintf(&file, "var last = %s\n", gz(archivetest.Tar(t, archivetest.F("credentials", text))))
	opts := DefaultOptions()
	opts.Archives.MaxBytes = 4 << 20
	r := Scan(context.Background(), newScanner(t), "bindata.go", []byte(file.String()), opts)
	if len(r.Findings) != 0 || r.Archive.Unscanned == 0 || !slices.ContainsFunc(r.Warnings, func(w archive.Warning) bool {
		return strings.Contains(w.Message, "inflated to the limit")
	}) {
		t.Errorf("max_bytes 4 MiB: findings %v, %d unscanned, warnings %v; want the last run not opened, and said", places(r.Findings), r.Archive.Unscanned, r.Warnings)
	}
	r = Scan(context.Background(), newScanner(t), "bindata.go", []byte(file.String()), DefaultOptions())
	if len(r.Findings) != 2 || r.Findings[0].Secret != id || r.Archive.Unscanned != 0 {
		t.Errorf("default limits: findings %v, %d unscanned; want the pair, none unscanned", places(r.Findings), r.Archive.Unscanned)
	}
}

// TestManyPatchHunks is qa13 HIGH-5 (b): a patch of many hunks past the
// limits counts each hunk not read but names only the first hundred, so
// that a patch of a million empty hunks does not hold a million warnings.
func TestManyPatchHunks(t *testing.T) {
	var p strings.Builder
	for i := range 500 {
		fmt.Fprintf(&p, "diff --git a/f%d.bin b/f%d.bin\nGIT binary patch\nliteral 0\nHcmV?d00001\n\n", i, i)
	}
	opts := DefaultOptions()
	opts.Archives.MaxMembers = 10
	r := Scan(context.Background(), newScanner(t), "many.patch", []byte(p.String()), opts)
	if r.Archive.Unscanned != 490 || len(r.Warnings) != maxHunkWarnings+1 || !strings.Contains(r.Warnings[len(r.Warnings)-1].Message, "390 more binary patch hunks not read") {
		t.Errorf("%d unscanned, %d warnings (last %v); want 490 counted, %d named and one line for the rest", r.Archive.Unscanned, len(r.Warnings), r.Warnings[len(r.Warnings)-1], maxHunkWarnings)
	}
}

// TestEncodedGzipOfData is qa15 HIGH-15: a gzip stream in base64 whose
// output is not text, UTF-16 text (PowerShell's and .NET's strings, with or
// without a byte order mark) or a binary file with the credentials between
// NULs, is read as the same .gz file is, not dropped; text after 64 KiB of
// NULs is counted; a gzip of zeros gives nothing and costs no member.
func TestEncodedGzipOfData(t *testing.T) {
	sc := newScanner(t)
	id, secret, text := pair(15)
	utf16 := func(s []byte, bom bool) []byte {
		var out []byte
		if bom {
			out = append(out, 0xff, 0xfe)
		}
		for _, c := range s {
			out = append(out, c, 0)
		}
		return out
	}
	db := append(append([]byte("SQLite format 3\x00"), make([]byte, 200)...), bytes.ReplaceAll(text, []byte("\n"), []byte("\x00\x07"))...)
	db = append(db, make([]byte, 300)...)
	for _, c := range []struct {
		name string
		data []byte
	}{{"bom", utf16(text, true)}, {"nobom", utf16(text, false)}, {"sqlite", db}} {
		gz := archivetest.Gzip(t, "", c.data)
		data := []byte("$payload = \"" + base64.StdEncoding.EncodeToString(gz) + "\"\n")
		r := Scan(context.Background(), sc, c.name+".ps1", data, DefaultOptions())
		got := map[string]bool{}
		for _, f := range r.Findings {
			got[f.Secret] = true
		}
		if !got[id] || !got[secret] {
			t.Errorf("%s: %d findings (warnings %v), want the key ID and its secret", c.name, len(r.Findings), r.Warnings)
		}
	}
	// 64 KiB of NULs before the text (qa15 HIGH-22): inflating stops in
	// the zeros, and the stream is counted as not decoded whole.
	padded := archivetest.Gzip(t, "", append(make([]byte, 64<<10), text...))
	r := Scan(context.Background(), sc, "padded.py", []byte("B = \""+base64.StdEncoding.EncodeToString(padded)+"\"\n"), DefaultOptions())
	if !hasWarning(r.Warnings, "not decoded whole") {
		t.Errorf("text after 64 KiB of NULs: %d findings, warnings %v; want the run counted", len(r.Findings), r.Warnings)
	}
	zeros := archivetest.Gzip(t, "", make([]byte, 1<<20))
	r = Scan(context.Background(), sc, "zeros.yaml", []byte("d: "+base64.StdEncoding.EncodeToString(zeros)+"\n"), DefaultOptions())
	if len(r.Findings) != 0 || r.Archive.Archives != 0 {
		t.Errorf("gzip of zeros: %d findings, %d archives opened; want none", len(r.Findings), r.Archive.Archives)
	}
}

// TestNestedDepthEncoded is qa16 LOW-1: an archive in an encoded run is a
// level deeper than the run, and the warning of an archive past the depth
// names the limit the user set, not the depth left inside the run.
func TestNestedDepthEncoded(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(3)
	three := archivetest.Zip(t, archivetest.F("z3.zip", archivetest.Zip(t, archivetest.F("z4.zip", archivetest.Zip(t, archivetest.F("app.ini", text))))))
	run := []byte("blob = \"" + base64.StdEncoding.EncodeToString(three) + "\"\n")
	r := Scan(context.Background(), sc, "z2.py", run, DefaultOptions())
	if len(r.Findings) != 0 || !hasWarning(r.Warnings, "nested more than 3 deep") {
		t.Errorf("findings %v, warnings %v: want none and a warning naming depth 3", places(r.Findings), r.Warnings)
	}
}
