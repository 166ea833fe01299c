package scanner

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// secretFileNameBefore is secretFileName as it was before it asked the few
// secret words first: the other services' words, then the strong, then the
// medium ones.
func secretFileNameBefore(path string) string {
	name, n := fileNameWords(path)
	switch {
	case containsAny(n, otherServiceWords):
		return ""
	case containsAny(n, strongSecretWords):
	case containsAny(n, mediumSecretWords) && len(awsWordsIn([]byte(path), 0, len(path), nil)) > 0:
	default:
		return ""
	}
	return name
}

// TestSecretFileNameAsBefore holds secretFileName to what it answered
// before, for paths built from the words it asks about.
func TestSecretFileNameAsBefore(t *testing.T) {
	var words []string
	words = append(words, strongSecretWords...)
	words = append(words, mediumSecretWords...)
	words = append(words, otherServiceWords...)
	words = append(words, "aws", "AWS", "s3", "amazon", "secret", "key", "access", "_", "-", ".", ".txt", "/", "\\", "!", "x", "Secret_Key", "AWS_SECRET_ACCESS_KEY")
	r := rand.New(rand.NewPCG(26, 8))
	hits := 0
	for range 50000 {
		var b strings.Builder
		for range 1 + r.IntN(6) {
			b.WriteString(words[r.IntN(len(words))])
		}
		p := b.String()
		got, want := secretFileName(p), secretFileNameBefore(p)
		if got != want {
			t.Fatalf("%q: %q, want %q", p, got, want)
		}
		if got != "" {
			hits++
		}
	}
	if hits < 100 {
		t.Errorf("only %d paths named a secret: the test asks too little", hits)
	}
}
