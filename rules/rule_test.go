package rules

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestHyphenatedWords checks the loop that validates a rule's ID against
// the expression it replaces, on chosen IDs and on random strings of the
// bytes that matter.
func TestHyphenatedWords(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	ids := []string{"", "a", "aws-access-key-id", "-a", "a-", "a--b", "A", "a_b", "a b", "9-x", "-", "ab-c-d9"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(8))
		for i := range b {
			b[i] = "az09-A_ \xff"[r.IntN(9)]
		}
		ids = append(ids, string(b))
	}
	for _, id := range ids {
		if got, want := hyphenatedWords(id), re.MatchString(id); got != want {
			t.Errorf("hyphenatedWords(%q) = %v, want %v", id, got, want)
		}
	}
}
