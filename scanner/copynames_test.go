package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestSplitSecretInCopiesAndDialects is qa18 M2: a secret split over
// Python's adjacent literals is joined in the files that hold Python under
// another name: a template (settings.py.j2, .tpl, .in), a package
// manager's or a numbered copy, an auto-save, Cython, IPython, Starlark,
// SCons, and the code blocks of R Markdown, Quarto, AsciiDoc and Org. A
// data file's name (JSON) does not start joining.
func TestSplitSecretInCopiesAndDialects(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 3; seed++ {
		secret := fakekey.New(18020 + seed).Secret()
		body := "AWS_SECRET_ACCESS_KEY = ('" + secret[:20] + "'\n                         '" + secret[20:] + "')\n"
		for _, tc := range []struct{ file, text string }{
			{"roles/web/templates/settings.py.j2", body},
			{"settings.py.tpl", body},
			{"settings.py.in", body},
			{"settings.py.~1~", body},
			{"settings.py.dpkg-old", body},
			{"settings.py.rpmnew", body},
			{"#settings.py#", body},
			{"settings.py.20240101", body},
			{"settings.pyx", body},
			{"startup.ipy", body},
			{"defs.bzl", body},
			{"BUILD.bazel", body},
			{"SConstruct", body},
			{"analysis.Rmd", "# Setup\n\n```{python}\n" + body + "```\n"},
			{"report.qmd", "# Setup\n\n```{python}\n" + body + "```\n"},
			{"setup.adoc", "= Setup\n\n[source,python]\n----\n" + body + "----\n"},
			{"notes.org", "* Setup\n#+BEGIN_SRC python\n" + body + "#+END_SRC\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s: %v, want the secret", seed, tc.file, summarize(fs))
			}
		}
		if fs := sc.Scan("settings.json", []byte(body)); hasSecret(fs, secret) {
			t.Errorf("seed %d: settings.json: %v, want no secret (not a language that joins literals)", seed, summarize(fs))
		}
	}
}
