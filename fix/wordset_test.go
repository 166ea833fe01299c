package fix

import (
	"bytes"
	"testing"
)

// FuzzWordSet checks wordSet.in, the quick pass of HostingPlatform,
// against bytes.Contains of each word.
func FuzzWordSet(f *testing.F) {
	for _, s := range []string{"gcloud run deploy", "xgke", "Microsoft.App/containerApps", "fl", "fly", "az aks", "no word at all", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		want := false
		for _, w := range platformWords.words {
			want = want || bytes.Contains(b, w)
		}
		if got := platformWords.in(b); got != want {
			t.Fatalf("in(%q) = %v, want %v", s, got, want)
		}
	})
}
