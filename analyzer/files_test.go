package analyzer_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/keyscan/keyscan/analyzer"
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
