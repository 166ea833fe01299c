package analyzer_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// recorder collects what analysistest reports instead of failing at once:
// analysistest reads "// want" comments only from Go files and the
// package's other files, not from embedded or build-ignored files, so
// their diagnostics are checked here by position.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestEmbeddedAndOtherFiles(t *testing.T) {
	rec := &recorder{}
	analysistest.Run(rec, analysistest.TestData(), analyzer.Analyzer, "embedfiles")
	want := []struct{ pos, msg string }{
		{"embedfiles/conf/app.env:2:19", `AWS access key ID AKIA\*+TWJW .*in embedded file conf/app.env: the file is compiled into the binary`},
		{"embedfiles/creds.ini:3:21", `AWS access key ID AKIA\*+AQJ5 .*in embedded file creds.ini`},
		{"embedfiles/creds.ini:4:25", `AWS secret access key Dc6Y\*+31gJ .*in embedded file creds.ini`},
		{"embedfiles/ignored.go:6:16", `AWS access key ID AKIA\*+3OH2 .*in ignored.go: remove the key`},
	}
	var got []string
	for _, e := range rec.errs {
		pos, msg, ok := strings.Cut(e, ": unexpected diagnostic: ")
		if !ok {
			t.Error(e) // a real failure: a missing or mismatched // want
			continue
		}
		i := slices.IndexFunc(want, func(w struct{ pos, msg string }) bool { return strings.HasSuffix(pos, w.pos) })
		if i < 0 {
			t.Errorf("unexpected diagnostic at %s: %s", pos, msg)
			continue
		}
		if !regexp.MustCompile(want[i].msg).MatchString(msg) {
			t.Errorf("%s: diagnostic %q does not match %q", pos, msg, want[i].msg)
		}
		got = append(got, want[i].pos)
	}
	for _, w := range want {
		if !slices.Contains(got, w.pos) {
			t.Errorf("%s: no diagnostic; want one matching %q", w.pos, w.msg)
		}
	}
}

// TestGoVetEmbeddedArchive is qa9 MEDIUM-8: go vet read a file the package
// embeds as text, so the key in an embedded zip or tarball, which keyscan
// scan reports, was not found. Embedded and other files are now read as
// scan reads them; a finding in a member is reported at the archive's
// start, naming the member. A .syso object, which go vet does not list
// (qa9 LOW-8), is read too.
func TestGoVetEmbeddedArchive(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "embedarc")
	g := fakekey.New(1110)
	creds := func() string {
		return fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", g.KeyID("AKIA"), g.Secret())
	}
	write(t, filepath.Join(mod, "go.mod"), "module example.com/embedarc\n\ngo 1.26\n")
	write(t, filepath.Join(mod, "bundle.zip"), string(archivetest.Zip(t, archivetest.F("credentials", []byte(creds())))))
	write(t, filepath.Join(mod, "bundle.tgz"), string(archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("conf/credentials", []byte(creds()))))))
	write(t, filepath.Join(mod, "rsrc_windows_amd64.syso"), "\x64\x86\x00\x00"+creds()+"\x00\x00")
	write(t, filepath.Join(mod, "a.go"), "package embedarc\n\nimport _ \"embed\"\n\n//go:embed bundle.zip\nvar Z []byte\n\n//go:embed bundle.tgz\nvar T []byte\n")
	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, ".")
	if code == 0 {
		t.Fatalf("go vet: exit 0, want the keys in the embedded archives\n%s", out)
	}
	for _, want := range []string{
		"bundle.zip:1:1: AWS access key ID", "in embedded file bundle.zip!credentials",
		"bundle.tgz:1:1: AWS secret access key", "in embedded file bundle.tgz!conf/credentials",
		"rsrc_windows_amd64.syso:", "in rsrc_windows_amd64.syso",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "AWS access key ID") + strings.Count(out, "AWS secret access key"); n != 6 {
		t.Errorf("go vet: %d findings, want 6 (a pair in each archive and in the .syso object):\n%s", n, out)
	}
}

// TestGoVetCgoSources is qa10 MEDIUM-5: for a cgo package go vet lists
// none of the package's C files and headers (its configuration holds the
// Go files cgo made), so a key in q.h or extra.c, which keyscan scan
// reports, passed go vet. They are read from the package's folder.
func TestGoVetCgoSources(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc is not installed (apt-get install -y gcc): a cgo package needs it")
	}
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "cgosrc")
	g := fakekey.New(1111)
	write(t, filepath.Join(mod, "go.mod"), "module example.com/cgosrc\n\ngo 1.26\n")
	write(t, filepath.Join(mod, "q", "q.go"), "package q\n\n/*\n#include \"q.h\"\n*/\nimport \"C\"\n\nfunc G() { C.g() }\n")
	write(t, filepath.Join(mod, "q", "q.h"), "static void g(void) {}\n// aws_secret_access_key = "+g.Secret()+"\n// aws_access_key_id = "+g.KeyID("AKIA")+"\n")
	write(t, filepath.Join(mod, "q", "extra.c"), "#include \"q.h\"\nconst char *aws_secret_access_key = \""+g.Secret()+"\";\nconst char *aws_access_key_id = \""+g.KeyID("AKIA")+"\";\n")
	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if code == 0 {
		t.Fatalf("go vet: exit 0, want the keys in q.h and extra.c\n%s", out)
	}
	for _, want := range []string{"q.h:2:", "q.h:3:", "extra.c:2:", "extra.c:3:"} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "AWS access key ID") + strings.Count(out, "AWS secret access key"); n != 4 {
		t.Errorf("go vet: %d findings, want 4:\n%s", n, out)
	}

	// qa11 MEDIUM-8: a line directive above the package clause names
	// another folder; vet reads the package's own folder still, never the
	// one named (outside the module here), in a cgo package and in a plain
	// one.
	outside := filepath.Join(tmp, "outside")
	write(t, filepath.Join(outside, "evil.c"), "const char *aws_secret_access_key = \""+g.Secret()+"\";\nconst char *aws_access_key_id = \""+g.KeyID("AKIA")+"\";\n")
	write(t, filepath.Join(outside, ".keyscan.toml"), "exclude = [\"**\"]\n")
	write(t, filepath.Join(mod, "q", "q.go"), "//line "+filepath.Join(outside, "a.go")+":1\npackage q\n\n/*\n#include \"q.h\"\n*/\nimport \"C\"\n\nfunc G() { C.g() }\n")
	write(t, filepath.Join(mod, "p", "p.go"), "//line "+filepath.Join(outside, "b.go")+":1\npackage p\n\nfunc F() {}\n")
	out, _ = runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if strings.Contains(out, "evil.c") {
		t.Errorf("go vet read a folder a line directive names:\n%s", out)
	}
	for _, want := range []string{"q.h:2:", "extra.c:2:"} {
		if !strings.Contains(out, want) {
			t.Errorf("with a line directive to another folder, go vet output lacks %q:\n%s", want, out)
		}
	}
}

// TestGoVetIgnoredGoFiles is qa10 LOW-9: go vet lists no Go file the go
// command ignores by its name (_old.go, .backup.go), which keyscan scan
// reads; they are read from the package's folder, with the real go vet.
func TestGoVetIgnoredGoFiles(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "ignored")
	g := fakekey.New(1112)
	write(t, filepath.Join(mod, "go.mod"), "module example.com/ignored\n\ngo 1.26\n")
	write(t, filepath.Join(mod, "p", "p.go"), "package p\n\nfunc F() {}\n")
	write(t, filepath.Join(mod, "p", "_old.go"), "package p\n\nconst k = \""+g.KeyID("AKIA")+"\"\nconst s = \"aws_secret_access_key="+g.Secret()+"\"\n")
	write(t, filepath.Join(mod, "p", ".p.backup.go"), "package p\n\nconst k = \""+g.KeyID("AKIA")+"\"\nconst s = \"aws_secret_access_key="+g.Secret()+"\"\n")
	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if code == 0 {
		t.Fatalf("go vet: exit 0, want the keys in _old.go and .p.backup.go\n%s", out)
	}
	for _, want := range []string{"_old.go:3:", "_old.go:4:", ".p.backup.go:3:", ".p.backup.go:4:"} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "AWS access key ID") + strings.Count(out, "AWS secret access key"); n != 4 {
		t.Errorf("go vet: %d findings, want 4:\n%s", n, out)
	}
}

// TestGoVetGaps is qa13 HIGH-3: go vet said nothing of what it could not
// check, where keyscan scan warns and --strict fails: a Go file whose
// check budget is spent before its key (keyword-dense comments), and an
// embedded archive with an encrypted member. Each is now a diagnostic, so
// go vet fails closed, with the real go vet.
func TestGoVetGaps(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	g := fakekey.New(1313)
	dense := filepath.Join(tmp, "dense")
	var b strings.Builder
	b.WriteString("package dense\n\n/*\n")
	for range 12000 {
		b.WriteString("secret token secret token secret token secret token secret token\n")
	}
	fmt.Fprintf(&b, "*/\n\n// aws_access_key_id = %s\n// aws_secret_access_key = %s\nconst Name = \"x\"\n", g.KeyID("AKIA"), g.Secret())
	write(t, filepath.Join(dense, "go.mod"), "module example.com/dense\n\ngo 1.26\n")
	write(t, filepath.Join(dense, "a.go"), b.String())
	out, code := runCode(t, dense, gobin, "vet", "-vettool="+bin, ".")
	if code == 0 || !strings.Contains(out, "a.go:1:1: keyscan: a.go: not checked whole: the file's check budget") {
		t.Errorf("go vet of a file past its check budget: exit %d, want a diagnostic at its start\n%s", code, out)
	}

	locked := filepath.Join(tmp, "locked")
	write(t, filepath.Join(locked, "go.mod"), "module example.com/locked\n\ngo 1.26\n")
	zip := archivetest.Zip(t, archivetest.F("credentials", []byte("[default]\n")))
	// Mark the member encrypted (general purpose flag bit 0), in its local
	// header and its central directory entry: keyscan cannot read it.
	for _, sig := range []string{"PK\x03\x04", "PK\x01\x02"} {
		i := strings.Index(string(zip), sig)
		flag := i + 6
		if sig == "PK\x01\x02" {
			flag = i + 8
		}
		zip[flag] |= 1
	}
	write(t, filepath.Join(locked, "data.zip"), string(zip))
	write(t, filepath.Join(locked, "a.go"), "package locked\n\nimport _ \"embed\"\n\n//go:embed data.zip\nvar Data []byte\n")
	out, code = runCode(t, locked, gobin, "vet", "-vettool="+bin, ".")
	if code == 0 || !strings.Contains(out, "data.zip:1:1: keyscan: data.zip: 1 archive part not read") {
		t.Errorf("go vet of an embedded zip with an encrypted member: exit %d, want a diagnostic at its start\n%s", code, out)
	}
}
