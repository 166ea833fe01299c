package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestScanFoldsGoConstants: keyscan scan finds a key that exists only after
// constant folding, or only after Go's escapes are decoded, as go vet does.
func TestScanFoldsGoConstants(t *testing.T) {
	id := fakekey.New(11).KeyID("AKIA")
	var esc bytes.Buffer
	for _, c := range id[:4] {
		fmt.Fprintf(&esc, `\x%02x`, c)
	}
	dir := filepath.Join(t.TempDir(), "mod", "pkg")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := fmt.Sprintf(`package creds

const (
	head = %q
	tail = %q
)

// Key is assembled from two constants.
const Key = head + tail

var escaped = "%s%s"
`, id[:4], id[4:], esc.String(), id[4:])
	if err := os.WriteFile(filepath.Join(dir, "creds.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// A relative root, as users type it, with the package in a subfolder.
	t.Chdir(filepath.Dir(filepath.Dir(dir)))
	fs := scanJSON(t, "mod")
	lines := map[int]bool{}
	for _, f := range fs {
		if f.Secret == id && f.File == "mod/pkg/creds.go" { // as opened from the working directory
			lines[f.Line] = true
		}
	}
	if !lines[9] || !lines[11] {
		t.Errorf("findings %+v: want the folded key at line 9 and the escaped one at line 11", fs)
	}
}

func TestMayHideKey(t *testing.T) {
	for src, want := range map[string]bool{
		`x := "AKIA" + rest`:                           true,
		`x := "ASIAQ2TZ"`:                              true,
		`x := "\x41\x4b\x49\x41QQ"`:                    true,
		`x := "\u0041KIA"`:                             true,
		`x := "\x42\x41\x53\x45"`:                      false, // BASE
		`x := "ASCII"`:                                 false,
		`x := "AB"`:                                    false,
		`x := "AK" + rest`:                             true,
		`x := rest +` + "\n\t\"AS\"":                   true,
		`x := "A" + "KIA"`:                             true,
		`x := "A"`:                                     false,
		`x := s[:i] + "A" + s[i:]`:                     false,
		`x := "\\"A" + y`:                              false,
		"const head = \"AKI\"\n":                       true,
		"const head = \"AKI\" // x":                    true,
		`f("AKI", 1)`:                                  false,
		"import \"github.com/aws/x\"\nsecret := a + b": true,
		"// draws\nsecret := a + b":                    false,
		`const ID = head + "IA6EJTK26RMSTDHZ5X"`:       true,  // the rest of a key ID after a constant "AK" of another file
		"const ID = head +\n\t\"KIA6EJTK26RM\" + more": true,  // after "A", cut again
		`const ID = head + "CA6EJTK26RMSTDHZ5X"`:       true,  // after "AC" (ACCA)
		`x := a + "IAMROLENAME"`:                       false, // too short for the rest of a key ID
		`x := a + "IA6EJTK26RMSTDHZ5XQ"`:               false, // too long
		`x := "IA6EJTK26RMSTDHZ5X"`:                    false, // no + before it
		`x := a + "IA6EJTK26rmstdhz5x"`:                false, // not base32
		// qa19 M6: joins the type-checked reading works out
		`x := strings.Join([]string{"AK", "IA6EJ", b}, "")`:       true,
		`x := []string{"AS", "IA6EJ"}`:                            false, // no join in the file
		`x := strings.ToUpper("akia6ejtk") + b`:                   true,
		`x := strings.ReplaceAll("AKIA-6EJT-K26R", "-", "")`:      true,
		`x := fmt.Sprintf("AKIA%s", b)`:                           true,
		`x := fmt.Sprintf("%s%s", a, "IA6EJTK26RMSTDHZ5X")`:       true,
		"k := a\n\tk += \"KIA6EJTK26RMSTDHZ5X\"":                  true,
		"k := a\n\tk = \"KIA6EJTK26RMSTDHZ5X\"":                   false,
		`x := "akia6ejtk"`:                                        false, // no join
		`x := strings.TrimPrefix("xxAKIA6EJTK26RMSTDHZ5X", "xx")`: true,  // qa25 M3: glued to its head
		`x := strings.TrimLeft("x9AKIA6EJTK26RMSTDHZ5X", "x9")`:   true,
		`x := "xxAKIA6EJTK26RMSTDHZ5X"`:                           false, // nothing cuts it out
		// qa29 H4: a separator inside the prefix, taken out by a call
		`x := strings.ReplaceAll("AK-IA6EJTK26-RMSTDHZ5X", "-", "")`:               true,
		`x := strings.ReplaceAll("A-KIA6EJTK26RMSTDHZ5X", "-", "")`:                true,
		`x := strings.Replace("AKI-A6EJTK26RMSTDHZ5X", "-", "", 1)`:                true,
		`x := strings.ReplaceAll("AK--IA6EJTK26RMSTDHZ5X", "--", "")`:              true,
		`x := strings.NewReplacer(".", "").Replace("A.K.I.A.6EJTK26RMSTDHZ5X")`:    true,
		`x := strings.TrimPrefix("xx-akia6ejtk26rmstdhz5x", "xx-")`:                true,
		`x := strings.TrimSpace(" AK") + strings.TrimSpace("IA6EJTK26RMSTDHZ5X ")`: true,
		`x := strings.TrimSpace("AKI ") + b`:                                       true,
		`x := "AK-IA6EJTK26RMSTDHZ5X"`:                                             false, // nothing takes the separator out
		`x := strings.Join(cols, " AS ")`:                                          false, // SQL, not a piece
		`x := strings.TrimSpace(" ak") + b`:                                        false, // a piece in upper case only
		`x := strings.ToUpper("Asia/Tokyo")`:                                       false, // a time zone
		`x := strings.ToUpper("mask-ia-x")`:                                        false,
		"import \"github.com/aws/x\"\nsecret := strings.Join([]string{":            true,
		"import \"github.com/aws/x\"\nsecret := strings.Join(p, \"\")":             false, // no literal to join
		"import \"github.com/aws/x\"\nSecretAccessKey: strings.TrimSpace(v),":      false,
		// a key written into a builder piece by piece (analyzer/builder.go)
		"b.WriteString(\"AK\")\nb.WriteByte('I')": true,
		"b.WriteString(\"A\")":                    false,
		"b.WriteString(\"AB\")\nb.WriteString(x)": true,
		"f(\"AB\")\nb.WriteString(x)":             false,
		"import \"github.com/aws/x\"\nvar secret strings.Builder\nsecret.WriteString(\"Qx7+Lm2Pz9Rt4Wv\")": true,
		"// aws\n// secret\nb.WriteString(\"Qx7+Lm2Pz9Rt4Wv\")":                                            true,
		"// aws\nb.WriteString(\"Qx7+Lm2Pz9Rt4Wv\")":                                                       false, // no secret spoken of
		"// aws secret\nb.WriteString(\"Authorization\")":                                                  false, // a word
		"// secret\nb.WriteString(\"Qx7+Lm2Pz9Rt4Wv\")":                                                    false, // not AWS's
		// qa29 M1: a key ID's prefix spelt in character literals
		"x := fmt.Sprintf(\"%c%c%c%c\", 'A', 'K', 'I', 'A')": true,
		"x := []byte{'A',\n\t'S', 'I'}":                      true,
		"x := fmt.Sprintf(\"%s%c\", \"AKI\", 'A')":           true,
		"case 'A', 'B', 'C':":                                false,
		"case 'A', 'K', 'Z':":                                false,
		"x := 'A'":                                           false,
	} {
		if got := mayHideKey([]byte(src)); got != want {
			t.Errorf("mayHideKey(%q) = %v, want %v", src, got, want)
		}
	} // A whole key ID in the file pairs a secret a builder makes.
	id := fakekey.New(3030).KeyID("AKIA")
	src := "x := \"" + id + "\"\nb.Write([]byte(\"Qx7+Lm2Pz9Rt4Wv\"))"
	if !mayHideKey([]byte(src)) {
		t.Errorf("mayHideKey(%q) = false, want true", scanner.Redact(id))
	}
}

// TestScanConstantBomb: a kilobyte of Go that doubles a constant 33 times
// (160 GiB once read), in a file its build constraint leaves out under
// testdata/, where only keyscan scan reads it (qa7 HIGH-7), does not crash
// the scan; the key its first constant folds is still found.
func TestScanConstantBomb(t *testing.T) {
	id := fakekey.New(31).KeyID("AKIA")
	root := filepath.Join(t.TempDir(), "bomb")
	src := fmt.Sprintf("//go:build ignore\n\npackage bomb\n\nconst head = %q\n\nconst c0 = head + %q\n", id[:8], id[8:])
	for i := 1; i <= 33; i++ {
		src += fmt.Sprintf("const c%d = c%d + c%d\n", i, i-1, i-1)
	}
	src += "\nvar V = c33\n"
	files := map[string]string{
		"go.mod":             "module example.com/bomb\n\ngo 1.24\n",
		"ok.go":              "package bomb\n",
		"testdata/x/bomb.go": src,
		// What makes the type checker itself read a constant: len, an
		// index, comparisons, min and max, map keys, switch cases, and a
		// sum of many constants short enough on their own.
		"testdata/x/another.go": "package bomb\n\nconst twice = c33 + c33\n\nconst n = len(c33)\n\nconst eq = c33 == c32\n\n" +
			"const m = max(c33, c32)\n\nvar ix = c33[1]\n\ntype A [len(c33)]int\n\nvar keys = map[string]int{c33: 1, c32: 2}\n\n" +
			"func f(s string) int {\n\tswitch s {\n\tcase c33:\n\t\treturn 1\n\tcase c32:\n\t\treturn 2\n\t}\n\treturn 0\n}\n\n" +
			"var sum = len(c11" + strings.Repeat(" + c11", 300) + ")\n",
	}
	writeTree(t, root, files)
	fs := scanJSON(t, root)
	if len(fs) != 1 || fs[0].Secret != id || filepath.Base(fs[0].File) != "bomb.go" || fs[0].Line != 7 ||
		!strings.HasPrefix(fs[0].Context, "assembled by constant folding") {
		t.Errorf("findings %+v, want %s assembled by constant folding at testdata/x/bomb.go:7", fs, scanner.Redact(id))
	}
}

// TestScanReadsLocalReplace: a key split with a constant of another module
// of the tree, wired in by a replace directive (a monorepo), is found as go
// vet finds it (qa7 MEDIUM-6); a replacement outside the scanned root is
// not read.
func TestScanReadsLocalReplace(t *testing.T) {
	g := fakekey.New(41)
	id, outside := g.KeyID("AKIA"), g.KeyID("AKIA")
	top := t.TempDir()
	write := func(name, data string) { writeTree(t, top, map[string]string{name: data}) }
	write("root/go.mod", "module example.com/app\n\ngo 1.24\n\nrequire (\n\texample.com/secretpkg v0.0.0\n\texample.com/other v0.0.0\n)\n\n"+
		"replace example.com/secretpkg => ./secretpkg\n\nreplace (\n\texample.com/other v0.0.0 => ../other\n)\n")
	write("root/secretpkg/go.mod", "module example.com/secretpkg\n\ngo 1.24\n")
	write("root/secretpkg/p.go", "package secretpkg\n\n// Prefix is a piece of a key ID.\nconst Prefix = \"AK\"\n")
	write("root/main.go", fmt.Sprintf("package main\n\nimport (\n\t\"example.com/other\"\n\t\"example.com/secretpkg\"\n)\n\n"+
		"const keyID = secretpkg.Prefix + %q\n\nconst otherID = other.Prefix + %q\n\nfunc main() { println(keyID, otherID) }\n", id[2:], outside[2:]))
	write("other/go.mod", "module example.com/other\n\ngo 1.24\n")
	write("other/p.go", "package other\n\nconst Prefix = \"AK\"\n")

	fs := scanJSON(t, filepath.Join(top, "root"))
	if len(fs) != 1 || fs[0].Secret != id || filepath.Base(fs[0].File) != "main.go" || fs[0].Line != 8 {
		t.Errorf("findings %+v, want only %s at main.go:8 (the key folded with ../other is outside the root)", fs, scanner.Redact(id))
	}
}

// TestScanReadsWorkspace: the modules a go.work file uses are resolved as
// the go command resolves them in the workspace; one outside the scanned
// root is not read.
func TestScanReadsWorkspace(t *testing.T) {
	g := fakekey.New(43)
	id, outside := g.KeyID("AKIA"), g.KeyID("AKIA")
	top := t.TempDir()
	write := func(name, data string) { writeTree(t, top, map[string]string{name: data}) }
	write("root/go.work", "go 1.24\n\nuse (\n\t./app\n\t./lib\n\t../other\n)\n")
	write("root/app/go.mod", "module example.com/app\n\ngo 1.24\n")
	write("root/lib/go.mod", "module example.com/lib\n\ngo 1.24\n")
	write("root/lib/p.go", "package lib\n\n// Prefix is a piece of a key ID.\nconst Prefix = \"AK\"\n")
	write("root/app/main.go", fmt.Sprintf("package main\n\nimport (\n\t\"example.com/lib\"\n\t\"example.com/other\"\n)\n\n"+
		"const keyID = lib.Prefix + %q\n\nconst otherID = other.Prefix + %q\n\nfunc main() { println(keyID, otherID) }\n", id[2:], outside[2:]))
	write("other/go.mod", "module example.com/other\n\ngo 1.24\n")
	write("other/p.go", "package other\n\nconst Prefix = \"AK\"\n")

	fs := scanJSON(t, filepath.Join(top, "root"))
	if len(fs) != 1 || fs[0].Secret != id || filepath.Base(fs[0].File) != "main.go" || fs[0].Line != 8 {
		t.Errorf("findings %+v, want only %s at app/main.go:8 (the key folded with ../other is outside the root)", fs, scanner.Redact(id))
	}
}

// goFinding is what the tests of this file read of a JSON finding.
type goFinding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Secret  string `json:"secret"`
	Context string `json:"context"`
}

// scanJSON runs keyscan scan --format json --show-secrets on root, wants
// exit 1, and returns the findings.
func scanJSON(t *testing.T, root string) []goFinding {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"scan", "--format", "json", "--show-secrets", root}, nil, &out, &errb)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s", code, exitFindings, errb.String())
	}
	var fs []goFinding
	if err := json.Unmarshal(out.Bytes(), &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

// writeTree writes files (slash-separated names below top, and their
// contents), making their folders.
func writeTree(t *testing.T, top string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestScanVariantsAtOnePlace: two builds of a package (a head constant
// per GOOS, or per build tag) fold two key IDs at one expression of a
// file both share; each is a finding. Scan reported only the one that
// sorted first (qa34 0): the production build's key passed CI while the
// gate refused it.
func TestScanVariantsAtOnePlace(t *testing.T) {
	g := fakekey.New(3401)
	for _, names := range [][2]string{{"head_linux.go", "head_windows.go"}, {"head_dev.go", "head_prod.go"}} {
		first, second := g.KeyID("AKIA"), g.KeyID("ASIA")
		second = second[:8] + first[8:] // the tail is shared
		top := t.TempDir()
		writeTree(t, top, map[string]string{
			"go.mod": "module example.com/m\n\ngo 1.24\n",
			names[0]: fmt.Sprintf("//go:build %s\n\npackage m\n\nconst head = %q\n", strings.TrimSuffix(names[0][5:], ".go"), first[:8]),
			names[1]: fmt.Sprintf("//go:build %s\n\npackage m\n\nconst head = %q\n", strings.TrimSuffix(names[1][5:], ".go"), second[:8]),
			"k.go":   fmt.Sprintf("package m\n\nconst tailPart = %q\n\nvar ID = head + tailPart\n", first[8:]),
		})
		var got []string
		for _, f := range scanJSON(t, top) {
			got = append(got, fmt.Sprintf("%s:%d %s", filepath.Base(f.File), f.Line, f.Secret))
		}
		want := []string{"k.go:5 " + first, "k.go:5 " + second}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings %q, want %q", names, got, want)
		}
	}
}

// TestScanVariantsPastBoundSaid: past analyzer.MaxVariants build variants
// of one constant (head_<GOOS>.go), scan exits 2 with a typecheck-size gap
// whose message and warning name the variant bound as the cause; they said
// "too large to type-check (over its tokens bound)" of three-line files
// (qa34 LOW).
func TestScanVariantsPastBoundSaid(t *testing.T) {
	g := fakekey.New(3402)
	files := map[string]string{"go.mod": "module example.com/m\n\ngo 1.24\n"}
	var id string
	for i := range analyzer.MaxVariants + 7 {
		id = g.KeyID("AKIA")
		files[fmt.Sprintf("head_%02d.go", i)] = fmt.Sprintf("package m\n\nconst head = %q\n", id[:8])
	}
	files["k.go"] = fmt.Sprintf("package m\n\nconst tailPart = %q\n\nvar ID = head + tailPart\n", id[8:])
	top := t.TempDir()
	writeTree(t, top, files)
	r := keyscanIn(t, top, "scan", "--format", "json", ".")
	if r.code != exitError {
		t.Fatalf("exit %d, want %d (a gap)\n%s", r.code, exitError, r.stderr)
	}
	var gap string
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "keyscan scan: 6 Go files not type-checked") {
			gap = l
		}
	}
	if !strings.Contains(gap, "build variants") || strings.Contains(gap, "too large") || !strings.Contains(r.stdout, `"typecheck-size"`) {
		t.Errorf("the gap does not name the variant bound (or says too large):\n%s\n%s", r.stderr, r.stdout)
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("past the %d that are checked again", analyzer.MaxVariants)) || strings.Contains(r.stderr, "check_budget") {
		t.Errorf("the warning does not name the variant bound, or offers check_budget, which does not lift it:\n%s", r.stderr)
	}
}
