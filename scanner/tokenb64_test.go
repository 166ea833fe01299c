package scanner_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBase64OfSessionToken: base64 of a text whose only credential is a
// session token (under aws_session_token, whose aws_ a line break cut one
// byte past a group at two shifts in 120; under another name; alone in
// JSON) is decoded at every shift of the text against the lines, wrapped
// at 76 and 64 columns and on one line: the base64 forms of the token's
// head are anchors (anchorTokenB64). Base64 of text with no token gives
// nothing.
func TestBase64OfSessionToken(t *testing.T) {
	g := fakekey.New(24064)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wrap := func(b string, w int) string {
		if w == 0 {
			return b + "\n"
		}
		var out strings.Builder
		for i := 0; i < len(b); i += w {
			out.WriteString(b[i:min(len(b), i+w)] + "\n")
		}
		return out.String()
	}
	shifts := 120
	if testing.Short() {
		shifts = 40
	}
	for _, form := range []string{"aws_session_token = %s\n", "export AWS_SESSION_TOKEN=%s\n", "TOKEN=%s\n", `{"SessionToken": "%s"}`} {
		tok := g.SessionToken()
		text := strings.Replace(form, "%s", tok, 1)
		for _, w := range []int{76, 64, 0} {
			for k := range shifts {
				raw := strings.Repeat("x", k) + "\nsome filler text line for the note\n" + text
				in := "payload:\n" + wrap(base64.StdEncoding.EncodeToString([]byte(raw)), w)
				found := false
				for _, f := range s.Scan("note.txt", []byte(in)) {
					found = found || f.Secret == tok
				}
				if !found {
					t.Errorf("%q wrapped at %d, shift %d: token not found", form[:12], w, k)
				}
			}
		}
	}
	benign := "payload:\n" + wrap(base64.StdEncoding.EncodeToString([]byte("[default]\nregion = eu-west-1\norigin = ec2\n"+strings.Repeat("filler ", 40))), 76) +
		"const YjNKcFoy = \"Mmx1WDJWa iM0pwWjJs\" // WjJsdVgyVm cFoybHVYMlZq IzSnBaMmx1\n"
	if fs := s.Scan("b.go", []byte(benign)); len(fs) != 0 {
		t.Errorf("benign: %d findings, want none", len(fs))
	}
}
