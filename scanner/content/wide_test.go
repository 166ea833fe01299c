package content

import (
	"context"
	"encoding/base64"
	"math/rand/v2"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestEncodedWideTextAnyAlignment: base64 of UTF-16 text that does not
// start at an even offset of the decoded bytes (a length byte or a
// one-byte header before a .NET or Windows string, or the text inside
// other binary bytes), or that is big-endian, has no two printable bytes
// side by side. It is neither text nor a binary file with printable runs
// to the matcher, and its keys were passed over in silence (exit 0 under
// --strict). Plain and gzip'd, with 0 to 3 bytes before the text.
func TestEncodedWideTextAnyAlignment(t *testing.T) {
	sc := newScanner(t)
	id, secret, text := pair(21)
	r := rand.New(rand.NewPCG(21, 3))
	wide := func(s []byte, be bool) []byte {
		var out []byte
		for _, c := range s {
			if be {
				out = append(out, 0, c)
			} else {
				out = append(out, c, 0)
			}
		}
		return out
	}
	for _, be := range []bool{false, true} {
		for lead := range 4 {
			for _, gz := range []bool{false, true} {
				data := make([]byte, lead)
				for i := range data {
					data[i] = byte(0x80 + r.IntN(0x80)) // no printable byte
				}
				data = append(data, wide(text, be)...)
				if gz {
					data = archivetest.Gzip(t, "", data)
				}
				src := []byte("$payload = \"" + base64.StdEncoding.EncodeToString(data) + "\"\n")
				res := Scan(context.Background(), sc, "run.ps1", src, DefaultOptions())
				got := map[string]bool{}
				for _, f := range res.Findings {
					got[f.Secret] = true
				}
				if !got[id] || !got[secret] {
					t.Errorf("big-endian %v, %d bytes before, gzip %v: %d findings (warnings %v), want the key ID and its secret",
						be, lead, gz, len(res.Findings), res.Warnings)
				}
			}
		}
	}
}
