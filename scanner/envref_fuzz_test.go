package scanner

import "testing"

// FuzzFollowRefs: reading a keyword's reference and looking for the
// assignment it names never panics and answers a place inside the data.
func FuzzFollowRefs(f *testing.F) {
	for _, s := range []string{"AWS_SECRET_ACCESS_KEY=${PROD}\nPROD=abc\n", "K: \"$X\"\nexport X='y'", "ENV K $", "K=${", "K=${A:-", "ENV A b\nK=$A"} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, d []byte, at uint8) {
		i := min(int(at), len(d))
		name := refAfter(d, i)
		if name == nil {
			return
		}
		if v := assignmentOf(d, name, i); v >= len(d) {
			t.Fatalf("value at %d past %d", v, len(d))
		}
	})
}
