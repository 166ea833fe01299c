package content

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
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
