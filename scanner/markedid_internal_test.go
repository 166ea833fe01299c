package scanner

import (
	"crypto/rand"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestMarkedIDs (fp): key IDs that say they are placeholders are no key
// IDs, on any line; key IDs of words or codes that say nothing of the kind
// (wordLike's, still reported on a line that names an access key ID) and
// AWS's documented example stay as they were. The bodies are joined to
// their prefix here: no line of this file holds a key ID's shape.
func TestMarkedIDs(t *testing.T) {
	for _, body := range []string{
		"FAKEKEYIDFORTEST", "QWERTYUIOPASDFGH", "DUMMYKEYIDDUMMYX", "YOURKEYIDGOESHER", "NOTREALKEYATALL2",
		"TESTKEYFORUNITST", "LOCALSTACKTESTID", "MINIOADMINUSERID", "DEVELOPMENTKEYID", "TESTINGTESTING23",
		"ZYXWVUTSRQPONMLK", "FOOBARBAZQUUXFOO", "PUTYOURKEYIDHERE", "ENTERYOURKEYHERE", "SECRETSECRETSEC2",
		"FAKE2FAKE3FAKE4F", "FAKESESSIONKEYID", "TEMPORARYTESTKEY",
	} {
		p := "AKIA"
		if body[0] == 'F' && body[4] == 'S' || body[0] == 'T' && body[1] == 'E' && body[2] == 'M' {
			p = "ASIA"
		}
		if id := p + body; plausibleKeyID(id) {
			t.Errorf("%s: a key ID, want a placeholder", id)
		}
	}
	for _, body := range []string{"AKIA" + "BANKHOLDINGSLTD2", "ASIA" + "PACIFICTOKYOJPN2", "ASIA" + "NMARKETSINDEXFND",
		"ASIA" + "EASTREGIONSTORE2", "ASIA" + "PACIFICSOUTHEAST", "NUOCCANOITCUDORPAIKA"} {
		id := body
		if body[0] == 'N' {
			id = reversed(body) // words cut short: no word-like ID, so not written forwards here
		}
		if !plausibleKeyID(id) || markedID(id) {
			t.Errorf("%s: marked a placeholder, want a word-like key ID", id)
		}
	}
}

// TestMarkedIDRandom: of fakekey IDs and IDs of uniformly random base32
// bodies, none is marked a placeholder, nor turned down for its steps
// down or along a keyboard's row.
func TestMarkedIDRandom(t *testing.T) {
	n := 300_000
	if testing.Short() {
		n = 20_000
	}
	g := fakekey.New(3440)
	for i := range n {
		p := "AKIA"
		if i%2 == 1 {
			p = "ASIA"
		}
		if id := g.KeyID(p); !plausibleKeyID(id) {
			t.Errorf("fakekey ID %s turned down", id)
		}
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	buf := make([]byte, 16*4096)
	id := []byte("AKIA0123456789ABCDEF")
	for i := 0; i < n; i += 4096 {
		rand.Read(buf)
		for k := 0; k < 4096 && i+k < n; k++ {
			for j, c := range buf[16*k : 16*k+16] {
				id[4+j] = alphabet[c%32]
			}
			if s := string(id); markedID(s) || descending(s[4:]) > 8 || keyboardSteps(s[4:]) > 8 {
				t.Errorf("random ID %s turned down as a placeholder", s)
			}
		}
	}
}

// reversed returns s backwards.
func reversed(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
