package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstallDocs checks qa31 F4: a README or a docs/ page that tells
// people to go install one of the module's commands at a version releases
// that command for their own computers; another command, another module's,
// a go install of a checkout (./cmd/x) and a page outside the places read
// do not count.
func TestInstallDocs(t *testing.T) {
	const mod = "example.com/fxe"
	runs := func(d string) bool { return d == "cmd/usercli" }
	runsRoot := func(d string) bool { return d == "." }
	for _, c := range []struct {
		files map[string]string
		runs  func(string) bool
		want  string
	}{
		{map[string]string{"README.md": "# usercli\n\nInstall it:\n\n    go install example.com/fxe/cmd/usercli@latest\n"}, runs,
			"go install example.com/fxe/cmd/usercli@latest (README.md:5)"},
		{map[string]string{"docs/install.md": "```\n$ go install -v example.com/fxe/cmd/usercli@v1.2.0\n```\n"}, runs, "(docs/install.md:2)"},
		{map[string]string{"README": "go install example.com/fxe@latest\n"}, runsRoot, "(README:1)"},
		{map[string]string{"INSTALL.rst": "go install example.com/fxe/cmd/usercli@main\n"}, runs, "(INSTALL.rst:1)"},
		// Another command, another module, a checkout, elsewhere.
		{map[string]string{"README.md": "go install example.com/fxe/cmd/admin@latest\n"}, runs, ""},
		{map[string]string{"README.md": "go install example.com/fxe@latest\n"}, runs, ""},
		{map[string]string{"README.md": "go install example.com/fxe-tools/cmd/usercli@latest\ngo install example.com/other/cmd/usercli@latest\n"}, runs, ""},
		{map[string]string{"README.md": "go install ./cmd/usercli\n"}, runs, ""},
		{map[string]string{"internal/README.md": "go install example.com/fxe/cmd/usercli@latest\n"}, runs, ""},
	} {
		root := t.TempDir()
		for n, s := range c.files {
			p := filepath.Join(root, filepath.FromSlash(n))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got := installDocs(root, mod, func(p string) []byte { b, _ := os.ReadFile(p); return b }, c.runs)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want) || !strings.Contains(got, ownCredentials)) {
			t.Errorf("installDocs(%v) = %q; want %q", c.files, got, c.want)
		}
	}
}

// TestDocFile checks which files docFiles reads: a README or INSTALL page
// at the top, any page in docs/; not a manifest named install.yaml.
func TestDocFile(t *testing.T) {
	for _, c := range []struct {
		name   string
		inDocs bool
		want   bool
	}{
		{"README.md", false, true}, {"readme", false, true}, {"INSTALL.rst", false, true}, {"Readme.adoc", false, true},
		{"usage.md", true, true}, {"usage.md", false, false}, {"install.yaml", false, false}, {"readme.go", false, false}, {"notes.json", true, false},
	} {
		if got := DocFile(c.name, c.inDocs); got != c.want {
			t.Errorf("DocFile(%q, %v) = %v, want %v", c.name, c.inDocs, got, c.want)
		}
	}
}
