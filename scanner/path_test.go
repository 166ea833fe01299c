package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestScanPath: a credential in a path is found with the matcher, marked
// InPath with no line, and reported only where it reaches into the last
// name (from): a folder's name is its own entry's finding.
func TestScanPath(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(1515)
	id := g.KeyID("AKIA")
	secret := strings.ReplaceAll(g.Secret(), "/", "+") // a name holds no '/'
	for _, tc := range []struct {
		path string
		from int
		want []string
	}{
		{"docs/" + id, 5, []string{id}},
		{"docs/" + id + ".txt", 5, []string{id}},
		{"keys/aws_secret_access_key=" + secret, 5, []string{secret}},
		{"keys/aws_secret_access_key=" + secret + ".txt", 5, []string{secret}}, // qa12 LOW-4
		{"a.zip!keys/aws_secret_access_key=" + secret + ".json", 6, []string{secret}},
		{"keys/aws_secret_access_key=" + secret + ".tar.gz", 5, nil}, // only the last extension goes
		{"keys/" + id + " " + secret, 5, []string{id, secret}},
		{id + "/readme.md", len(id) + 1, nil}, // reported at the folder itself
		{"src/main/java/com/example/App.java", 26, nil},
		{"AKIAIOSFODNN7EXAMPLE.txt", 0, nil}, // AWS's documented example
		// '_' separates in a name (qa36 M6): the key ID a whole token.
		{"b/backup_" + id + ".csv", 2, []string{id}},
		{"b/" + id + "_old.csv", 2, []string{id}},
		{"b/backup_" + id + "_old", 2, []string{id}},
		{"b/pipe_" + id, 2, []string{id}},
		{id + "_keys/creds.ini", len(id) + 7, nil}, // reported at the folder itself
		{"b/prod_" + id + "X.csv", 2, nil},         // 21 characters: no key ID
		{"b/prod_X" + id + ".csv", 2, nil},
		{"b/backup_" + strings.ToLower(id) + ".csv", 2, nil},
		{"b/aws_access_key_id=" + id + "_old", 2, []string{id}},
		{"b/dump_AKIAIOSFODNN7EXAMPLE.txt", 2, nil},
	} {
		var got []string
		for _, f := range sc.ScanPath(tc.path, tc.from).Reported() {
			if !f.InPath || f.Line != 0 || f.File != tc.path {
				t.Errorf("%s: finding %+v not marked as in the path", tc.path, f)
			}
			got = append(got, f.Secret)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("ScanPath(%q, %d) = %q, want %q", tc.path, tc.from, got, tc.want)
		}
	}
	// A warning naming such a path, no finding beside it, is redacted
	// (qa36 M6: b/pipe_<key ID>: not a regular file was printed whole).
	for _, p := range []string{"b/pipe_" + id, "b/" + id + "_old/fifo"} {
		if w := sc.PathHider()(p + ": not a regular file"); strings.Contains(w, id) {
			t.Errorf("PathHider: %q", w)
		}
	}
}
