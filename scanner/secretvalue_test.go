package scanner

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

// refSecretFailure is check's test of a secret access key as it was
// written before measureSecret: a pass per test, the entropy in floats.
func refSecretFailure(v string, level ctxLevel) string {
	if len(v) != 40 || !allSecretString(v) {
		return "not 40 characters of A-Za-z0-9/+"
	}
	if !hasUpperAndLower(v) {
		return "no mix of upper and lower case (a hash or a constant)"
	}
	minH, maxWords, maxAscending := 3.5, 3, 5
	if level == ctxWeak {
		minH, maxWords = 4.0, 2
		if !strings.ContainsAny(v, "0123456789+/") || v[0] == '/' {
			return "too plain for a value with weak context"
		}
	}
	if level == ctxStrong {
		maxWords, maxAscending = 6, 9
	}
	if refEntropy(v) < minH {
		return "entropy too low"
	}
	if distinct(v) < 12 || ascending(v) > maxAscending {
		return "a placeholder pattern"
	}
	if wordiness(v) > maxWords || wordsSecret(v) {
		return "made of words: an identifier or a path"
	}
	return ""
}

// thresholdValues returns 40-byte values whose entropies crowd around the
// thresholds the tests use: every way of cutting 40 into counts of a few
// letters, digits and symbols gives entropies a small step apart, and some
// land within a hair of 3.5 or 4.0.
func thresholdValues(n int) []string {
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
	var out []string
	for range n {
		r.Shuffle(len(alphabet), func(i, j int) { alphabet[i], alphabet[j] = alphabet[j], alphabet[i] })
		k := 8 + r.IntN(30) // distinct bytes
		b := make([]byte, 0, 40)
		for i := 0; i < 40; i++ {
			b = append(b, alphabet[r.IntN(k)])
		}
		if r.IntN(4) == 0 {
			// counts skewed towards one byte
			for i := range b[:r.IntN(20)] {
				b[i] = alphabet[0]
			}
		}
		r.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
		out = append(out, string(b))
	}
	return out
}

// TestSecretValueAnswersAsBefore holds measureSecret and failure to the
// tests they replace, reason for reason, at every level of context, and
// entropyBelow to entropy's float sum at every threshold the tests use.
func TestSecretValueAnswersAsBefore(t *testing.T) {
	values := append(differentialValues(50000), thresholdValues(200000)...)
	values = append(values, strings.Repeat("a", 40), strings.Repeat("aB", 20), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", "/"+strings.Repeat("Ab1", 13), strings.Repeat("\xff", 40), "")
	near := 0
	for _, v := range values {
		st := measureSecret(v)
		for _, level := range []ctxLevel{ctxWeak, ctxPaired, ctxStrong} {
			if got, want := st.failure(v, level), refSecretFailure(v, level); got != want {
				t.Fatalf("failure(%q, %d) = %q, before %q", v, level, got, want)
			}
		}
		if len(v) != 40 {
			continue
		}
		if st.distinct != distinct(v) || st.ascending != ascending(v) || st.words != wordiness(v) {
			t.Fatalf("measureSecret(%q) = %+v; distinct %d, ascending %d, wordiness %d", v, st, distinct(v), ascending(v), wordiness(v))
		}
		h := refEntropy(v)
		// Thresholds at the value's own entropy and a float either side,
		// where only the float sum can decide.
		for _, th := range []float64{h, math.Nextafter(h, 0), math.Nextafter(h, 8)} {
			if got := st.entropyBelow(v, th); got != (h < th) {
				t.Fatalf("entropyBelow(%q, %v) = %v; entropy %v", v, th, got, h)
			}
		}
		for _, th := range []float64{3.0, 3.5, 4.0, 4.5} {
			if got := st.entropyBelow(v, th); got != (h < th) {
				t.Fatalf("entropyBelow(%q, %v) = %v; entropy %v", v, th, got, h)
			}
			if h > th-1e-6 && h < th+1e-6 {
				near++
			}
		}
	}
	t.Logf("%d values, %d within 1e-6 of a threshold", len(values), near)
}

// TestTurnedDownValuesRepeat: a value turned down by the value tests is
// remembered, and one that passed is not: in a file that repeats an
// example key and a real-looking pair, every copy of the pair is reported
// and no copy of the example, also inside base64 (a sub-scan sharing the
// memory) and with an allowed value that passes every other test.
func TestTurnedDownValuesRepeat(t *testing.T) {
	g := fakekey.New(21)
	id, secret, allowed := g.KeyID("AKIA"), g.Secret(), g.Secret()
	sc, err := New(Options{AllowValues: []string{allowed}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for range 30 {
		b.WriteString("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\n")
		b.WriteString("aws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n\n")
		b.WriteString("aws_secret_access_key = " + allowed + "\n\n")
	}
	text := b.String()
	text += "blob: " + base64.StdEncoding.EncodeToString([]byte(text[:len(text)/3])) + "\n"
	counts := map[rules.Kind]int{}
	for _, f := range sc.Scan("config.txt", []byte(text)) {
		if f.Secret != id && f.Secret != secret {
			t.Fatalf("reported %q (%s)", f.Secret, f.Kind)
		}
		counts[f.Kind]++
	}
	if want := 30 + 10; counts[rules.AccessKeyID] != want || counts[rules.SecretAccessKey] != want {
		t.Fatalf("findings by kind %v, want %d of each", counts, want)
	}
}

// TestRandomValuesUnderStrongNames is qa17 H3: the placeholder and
// made-of-words tests turned down about one random secret in 30,000 and
// one random key ID in 300,000, even assigned to aws_secret_access_key
// and aws_access_key_id. A million random values pass the tests a strong
// name asks for, and the rare ones that the old thresholds dropped (4 to 6
// common trigrams, 6 to 9 steps up) are reported in a credentials file.
func TestRandomValuesUnderStrongNames(t *testing.T) {
	const b64, b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	r := rand.New(rand.NewPCG(17, 3))
	pick := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	var rareSecrets, rareIDs []string
	for range 1_000_000 {
		v := pick(b64, 40)
		st := measureSecret(v)
		if why := st.failure(v, ctxStrong); why != "" {
			t.Fatalf("random secret %q turned down under a strong name: %s", v, why)
		}
		if (st.words > 3 || st.ascending > 5) && placeholder(v) < 0 && len(rareSecrets) < 20 {
			rareSecrets = append(rareSecrets, v)
		}
		id := "AKIA" + pick(b32, 16)
		if !plausibleKeyID(id) && placeholder(id) < 0 {
			t.Fatalf("random key ID %q turned down", id)
		}
		if ascending(id[4:]) > 5 && placeholder(id) < 0 && len(rareIDs) < 20 {
			rareIDs = append(rareIDs, id)
		}
	}
	// Key IDs with 6 steps up are too rare to draw many: make some.
	for len(rareIDs) < 10 {
		b := []byte(pick(b32, 16))
		for _, p := range []int{0, 3, 6, 9, 12, 14} {
			b[p] = "ABCDEFGHIJKLMNOPQRSTUVWXY23456"[r.IntN(30)]
			b[p+1] = b[p] + 1
		}
		if id := "AKIA" + string(b); ascending(id[4:]) <= 8 && placeholder(id) < 0 {
			rareIDs = append(rareIDs, id)
		}
	}
	if len(rareSecrets) < 5 {
		t.Fatalf("only %d rare secrets and %d rare key IDs drawn", len(rareSecrets), len(rareIDs))
	}
	g := fakekey.New(31)
	var b strings.Builder
	for i, v := range rareSecrets {
		fmt.Fprintf(&b, "[p%d]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", i, g.KeyID("AKIA"), v)
	}
	for i, id := range rareIDs {
		fmt.Fprintf(&b, "[q%d]\naws_access_key_id = %s\n\n", i, id)
	}
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range sc.Scan("credentials", []byte(b.String())) {
		found[f.Secret] = true
	}
	for _, v := range append(rareSecrets, rareIDs...) {
		if !found[v] {
			t.Errorf("%q not reported", v)
		}
	}
	// Placeholders still are not.
	for _, v := range []string{"AKIAABCDEFGHIJKLMNOP", "AKIA234567ABCDEFGHIJ", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn",
		"0123456789abcdefghijABCDEFGHIJklmnopqrst", "MyApplicationsProductionSecretForStorage"} {
		if sc := measureSecret(v); len(v) == 40 && sc.failure(v, ctxStrong) == "" {
			t.Errorf("placeholder %q passes as a secret", v)
		}
		if len(v) == 20 && plausibleKeyID(v) {
			t.Errorf("placeholder %q passes as a key ID", v)
		}
	}
}
