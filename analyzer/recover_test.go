package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestParseRecovered: a key built from constants is not hidden by what
// comes after it in its file (qa31 F13). go/parser gives up on a file
// nested past its depth limit (an empty file) or after ten errors, and an
// unterminated block swallows what follows; a package clause it cannot
// read gives nothing. Each file here holds a key pair folded from
// constants; keyscan scan (ScanPackageDir) and staged's reading
// (ScanGoSource) find it where the parser can be brought to read it, and
// a file whose declarations were not all read is named as left out
// (GoCheckable false; ScanPackageDirShared's list), never passed as
// checked. A file that merely holds Go code in a raw string is read whole.
func TestParseRecovered(t *testing.T) {
	g := fakekey.New(3131)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keyPart := func(header string) (string, string) {
		id, secret := g.KeyID("AKIA"), g.Secret()
		body := fmt.Sprintf("const head, shead = %q, %q\n\nconst AccessKeyID = head + %q\nconst SecretAccessKey = shead + %q\n",
			id[:8], secret[:20], id[8:], secret[20:])
		return header + "\n\n" + body, id
	}
	deep := "var _ = " + strings.Repeat("(", 100_001) + "1" + strings.Repeat(")", 100_001) + "\n"
	var broken strings.Builder
	for i := range 14 {
		fmt.Fprintf(&broken, "func f%d() { if }\n", i)
	}
	cases := []struct {
		name         string
		header       string
		before       string // Go before the key's declarations
		after        string // after them
		found, whole bool
	}{
		{"plain", "package p", "", "", true, true},
		{"raw string of Go", "package p", "var tmpl = `\nfunc x() {\nconst y = 1\n`\n", "", true, true},
		{"ordinary error after", "package p", "", "func f() { x := }\n", true, true},
		{"fourteen errors after", "package p", "", broken.String(), true, false},
		{"nested past the limit after", "package p", "", deep, true, false},
		{"nested past the limit before", "package p", deep, "", true, false},
		{"unterminated import", "package p\n\nimport (\n\t\"fmt\"\n", "", "", true, false},
		{"two byte order marks", "\ufeff\ufeffpackage p", "", "", true, true},
		{"package clause misspelt", "packag p", "", "", false, false},
		{"package clause with no name", "package", "", "", false, false},
		{"local declarations in a broken function", "package p", "", "func f() {\n\tvar a = 1\n\tconst b = 2\n\tgo 1\n}\n\nvar hs = []func(){\nfunc() {},\n}\n", true, true},
		{"indented, after an unterminated const block", "package p\n\nconst (\n\tx = 1\n", " ", "", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, id := keyPart(c.header)
			if c.before == " " { // the key's declarations indented (qa32 G2)
				src = strings.ReplaceAll(src, "\nconst ", "\n const ")
			} else if c.before != "" {
				i := strings.Index(src, "const head")
				src = src[:i] + c.before + "\n" + src[i:]
			}
			src += "\n" + c.after
			fromMemory := analyzer.ScanGoSource(context.Background(), sc, "x.go", []byte(src))
			dir := t.TempDir()
			file := filepath.Join(dir, "x.go")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			fromDisk, left, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{file}, dir, dir, nil, analyzer.MaxCheckTokens)
			if err != nil {
				t.Fatal(err)
			}
			for what, fs := range map[string]scanner.Findings{"ScanGoSource": fromMemory, "ScanPackageDirShared": fromDisk} {
				got := false
				for _, f := range fs {
					got = got || f.Secret == id
				}
				if got != c.found {
					t.Errorf("%s finds the key ID: %v, want %v (%v)", what, got, c.found, places(fs))
				}
			}
			if whole := analyzer.GoCheckable([]byte(src)); whole != c.whole {
				t.Errorf("GoCheckable = %v, want %v", whole, c.whole)
			}
			if named := len(left) > 0; named == c.whole {
				t.Errorf("ScanPackageDirShared names %q as left out; the file is read whole: %v", left, c.whole)
			}
		})
	}
}

// TestLineDirectiveKeepsPlace: a //line directive does not move a folded
// key's finding to the place it names (qa31 F12): scan and staged report
// the file's own line, where the key is built.
func TestLineDirectiveKeepsPlace(t *testing.T) {
	g := fakekey.New(3132)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := g.KeyID("AKIA")
	src := fmt.Sprintf("package p\n\n//line elsewhere.txt:100\nconst head = %q\n\nconst AccessKeyID = head + %q\n", id[:8], id[8:])
	for _, f := range analyzer.ScanGoSource(context.Background(), sc, "x.go", []byte(src)) {
		if f.Secret == id && (f.Line != 6 || f.File != "x.go") {
			t.Errorf("the key is reported at %s:%d, want x.go:6", f.File, f.Line)
		}
	}
}
