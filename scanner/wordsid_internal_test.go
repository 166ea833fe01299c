package scanner

import (
	"crypto/rand"
	"fmt"
	"math"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/words"
)

// akia returns AKIA and body in upper case: a key ID that keyscan's own
// tree does not hold (body is in lower case, and no constant).
func akia(body string) string { return "AKIA" + strings.ToUpper(body) }

// TestWordsID: upper-case words that start like a key ID (qa33 M4), with
// a number of one or two digits after them or none, and business codes
// (fp36: words, numbers and tags mixed) are words for every test that
// judges key IDs (wordLike: the matcher, check, rewrites; gluedWordLike:
// binaries); random characters and made-up words are not (written in
// lower case here: keyscan's own tree holds no key ID it would report).
func TestWordsID(t *testing.T) {
	for _, c := range []struct {
		id   string
		want bool
	}{
		{"AKIABANKHOLDINGSLTD2", true},
		{"ASIAPACIFICTOKYOJPN2", true},
		{"ASIANMARKETSINDEXFND", true},
		{"ASIAEASTREGIONSTORE2", true},
		{"ASIAPACIFICSINGAPORE", true},
		{"ASIAPACIFICMUMBAIIND", true},
		{"ABIAGENERATORFACTORY", true},
		{"AKIAEASTREGIONSTORE22", true},   // two digits (not a key ID's length, still words)
		{akia("eastregionstor22"), true},  // STOR is no word, but the code model writes it (fp36)
		{akia("eastregion2store"), true},  // a digit amid the words: a code (fp36)
		{akia("zorbquixvelt42xy"), false}, // made-up words: no list holds them
		{"AKIAEASTREGIONSTORE", true},
		{akia("qtzknrwybefplmxc"), false},
	} {
		if got := wordsID(c.id); got != c.want {
			t.Errorf("wordsID(%s) = %v, want %v", c.id, got, c.want)
		}
		if c.want && (!wordLike(c.id) || !gluedWordLike(c.id)) {
			t.Errorf("%s: wordLike %v, gluedWordLike %v", c.id, wordLike(c.id), gluedWordLike(c.id))
		}
	}
}

// TestWordsIDBound: for each reported prefix, the fraction of random key
// IDs (16 random base32 characters) that wordsID takes for words is below
// 10^-10, computed from the word list: the ways to cut the letters into
// words, after each count of trailing digits (6 of them in base32).
func TestWordsIDBound(t *testing.T) {
	for _, p := range []string{"AKIA", "ASIA", "ABIA", "ACCA"} {
		b := 0.0
		for d := range 3 {
			b += math.Pow(6.0/32, float64(d)) * words.Bound(p, 16-d, 32)
		}
		if b > 1e-10 {
			t.Errorf("%s: up to %.3g of random key IDs are words", p, b)
		}
		t.Logf("%s: at most %.3g of random key IDs are words", p, b)
	}
}

// TestWordsIDRandom: of 10^6 fakekey IDs (AKIA and ASIA, accounts
// encoded) and 10^6 IDs of uniformly random base32 bodies (crypto/rand),
// none is taken for words: the bound above puts the expected count of
// words alone below 10^-4, and words.Code's bound that of codes below 2
// (none of them has come within 9 bits of the margin: words.TestCodeRandom).
func TestWordsIDRandom(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 20_000
	}
	g := fakekey.New(3433)
	for i := range n {
		p := "AKIA"
		if i%2 == 1 {
			p = "ASIA"
		}
		if id := g.KeyID(p); wordsID(id) {
			t.Errorf("fakekey ID %s turned down as words", id)
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
			if s := string(id); wordsID(s) {
				t.Errorf("random ID %s turned down as words", s)
			}
		}
	}
}

// TestWordIDsGoBinary: a Go program that holds upper-case words starting
// like key IDs as constants, referenced (goRefs bounds them, and reads a
// 40-byte string beside them), gives no finding; its fakekey ID does.
func TestWordIDsGoBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not installed")
	}
	g := fakekey.New(3435)
	id, secret := g.KeyID("AKIA"), g.Secret()
	src := fmt.Sprintf(`package main

import "fmt"

const (
	R3 = "AKIABANKHOLDINGSLTD2"
	R4 = "ASIAPACIFICTOKYOJPN2"
)

//go:noinline
func open(a, b string) int { return len(a) + len(b) }

var Names = []string{"ASIANMARKETSINDEXFND", "ASIAEASTREGIONSTORE2"}

func main() {
	fmt.Println(R3, R4, Names, open(R3, %q), open("ASIAEASTREGIONSTORE2", "TokenApostropheTokenOParenTokenCParenTok"), open(%q, "x"))
}
`, secret, id)
	var got []string
	for _, f := range binScanner(t).ScanBinary("prog", goProgram(t, src)) {
		got = append(got, f.Secret)
	}
	if !slices.Equal(got, []string{id}) {
		t.Errorf("found %d values, want the fakekey ID alone", len(got))
	}
}

// TestWordsSecret: 40 characters of words run together in any case, with
// one or two digits after them or none, are words; a digit, '+' or '/'
// amid them, or a letter left over, is not.
func TestWordsSecret(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"PacificSoutheastRegionBankHoldingsStore2", true},
		{"ASIAPACIFICSOUTHEASTREGIONBANKHOLDINGS22", true},
		{"thisIsNotARealSecretButJustSomeLongWords", false}, // is, a: words of one or two letters (wordiness takes it)
		{"PacificSoutheastRegionBankHoldings/Store", false},
		{"PacificSoutheastRegion2BankHoldingsStore", false},
		{"PacificSoutheastRegionBankHoldingsStorex", false},
	} {
		if len(c.v) != secretLen {
			t.Fatalf("%q: %d characters", c.v, len(c.v))
		}
		if got := wordsSecret(c.v); got != c.want {
			t.Errorf("wordsSecret(%s) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestWordsSecretBound: the fraction of random secrets (40 characters of
// 64) that wordsSecret takes for words is below 10^-15, computed from the
// word list: each cut into words of the letters before d trailing digits
// stands for 2^(40-d) spellings in upper and lower case, and 10^d tails.
func TestWordsSecretBound(t *testing.T) {
	b := 0.0
	for d := range 3 {
		b += math.Pow(10.0/64, float64(d)) * words.Bound("", secretLen-d, 32)
	}
	if b > 1e-20 {
		t.Errorf("up to %.3g of random secrets are words", b)
	}
	t.Logf("at most %.3g of random secrets are words", b)
}

// TestWordsSecretRandom: of 10^6 random secrets of letters alone (upper
// and lower case, crypto/rand), which pass wordsSecret's first test, none
// is taken for words.
func TestWordsSecretRandom(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 20_000
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	raw := make([]byte, secretLen)
	v := make([]byte, secretLen)
	for range n {
		rand.Read(raw)
		for i, c := range raw {
			v[i] = letters[int(c)%len(letters)] // 256 = 4*52 + 48: close enough to uniform for this
		}
		if s := string(v); wordsSecret(s) {
			t.Errorf("random secret %s turned down as words", s)
		}
	}
}
