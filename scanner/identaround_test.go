package scanner

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIdentAroundFollowingWords holds identAround's reading of the words
// after an identifier ("Secret access key") to a plain statement of it: up
// to two words follow, each a blank and then a letter and at most 14 more
// identifier bytes, taken while it is access, key, token or id in any case.
// identAround turns a word down by its first letter before reading it;
// this says it takes the same words as reading each whole.
func TestIdentAroundFollowingWords(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 17))
	pieces := []string{"secret", "Secret", " ", " ", "access", "ACCESS", "Access", "key", "Key", "token", "id", "ID",
		"idx", "keys", "a", "k", "t", "i", "accessKey", "the", "in", "aws", "_", "-", ".", "\n", "\"", ":", "9", "tokens"}
	for range 100000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		d := []byte(b.String())
		i := r.IntN(len(d) + 1)
		j := min(len(d), i+r.IntN(4))
		s, e := identAround(d, i, j)
		// The identifier's own end, then the words after it, read whole.
		want := j
		for hi := min(len(d), j+64); want < hi && identChar[d[want]]; {
			want++
		}
		for range 2 {
			if want+1 >= len(d) || d[want] != ' ' || !isLower(d[want+1]|0x20) {
				break
			}
			k := want + 1
			for k < len(d) && identChar[d[k]] && k-want < 16 {
				k++
			}
			switch strings.ToLower(string(d[want+1 : k])) {
			case "access", "key", "token", "id":
				want = k
				continue
			}
			break
		}
		if e != want || s > i {
			t.Fatalf("identAround(%q, %d, %d) = %d, %d; the words after it end at %d", d, i, j, s, e, want)
		}
	}
}
