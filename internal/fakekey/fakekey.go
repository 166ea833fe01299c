// Package fakekey makes format-valid AWS keys that belong to no one, from a
// seeded source, so that tests never commit a key pair and are repeatable.
//
// The keys avoid everything keyscan deliberately ignores (EXAMPLE, runs of X,
// low diversity), so the matcher must report every one of them.
package fakekey

import (
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

const (
	base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
	b64Alphabet    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// Gen generates fake keys. It is not safe for concurrent use.
type Gen struct{ r *rand.Rand }

// New returns a generator seeded with seed: the same seed gives the same keys.
func New(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x6b657973636e))}
}

func (g *Gen) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// KeyID returns prefix ("AKIA", "ASIA", ...) and 16 base32 characters that
// encode a random 12-digit account ID the way new-generation key IDs do.
func (g *Gen) KeyID(prefix string) string {
	for {
		if body, ok := g.body(100000000000 + g.r.Uint64N(900000000000)); ok {
			return prefix + body
		}
	}
}

// KeyIDOf returns prefix and 16 base32 characters that encode account (at
// most 999999999999), as KeyID does: a key ID of a chosen account, such as
// the 000000000000 that emulators encode or AWS's documentation account.
func (g *Gen) KeyIDOf(prefix string, account uint64) string {
	for {
		if body, ok := g.body(account); ok {
			return prefix + body
		}
	}
}

// body encodes account with random low bits and tail; ok is false when the
// result would not pass for a new-generation key ID or looks like a placeholder.
func (g *Gen) body(account uint64) (string, bool) {
	var raw [10]byte
	v := account<<7 | g.r.Uint64N(128) | g.r.Uint64N(2)<<47
	for i := range 6 {
		raw[i] = byte(v >> (40 - 8*i))
	}
	for i := 6; i < 10; i++ {
		raw[i] = byte(g.r.UintN(256))
	}
	body := base32.StdEncoding.EncodeToString(raw[:])
	return body, body[0] != 'I' && body[0] != 'J' && plausible(body)
}

// Secret returns a 40-character secret access key holding at least one '/'
// and one '+', so tests of escaped forms have something to escape.
func (g *Gen) Secret() string {
	for {
		s := g.pick(secretAlphabet, 40)
		if strings.ContainsAny(s, "/") && strings.ContainsAny(s, "+") && plausible(s) &&
			strings.ContainsAny(s, "0123456789") && !strings.HasPrefix(s, "/") && !strings.HasSuffix(s, "/") {
			return s
		}
	}
}

// SessionToken returns a session token shaped like current STS tokens: the
// IQoJb3JpZ2luX2Vj prefix and several hundred base64 characters.
func (g *Gen) SessionToken() string {
	raw := make([]byte, 420)
	for i := range raw {
		raw[i] = byte(g.r.UintN(256))
	}
	return "IQoJb3JpZ2luX2Vj" + base64.StdEncoding.EncodeToString(raw)
}

// PlaceholderWords are the words keyscan's scanner takes for placeholders
// (scanner/secret.go placeholderWords; a scanner test keeps the two lists
// equal).
var PlaceholderWords = []string{"EXAMPLE", "XXXX", "PLACEHOLDER", "REPLACE", "CHANGEME", "YOUR", "REDACTED", "DUMMY", "SAMPLE",
	"ACCESSKEY", "NOTAREAL", "KEYID", "SECRETKEY", "QWERTY", "ASDFGH", "RANDOM"}

// plausible rejects the random strings keyscan treats as placeholders
// whatever the rest of the value: those holding one of the long words (seven
// letters or more, about once in 10^9 by chance). The short words count in
// the scanner only beside a non-random rest or at the value's end in one
// case style, so they are not filtered here: a generated key the scanner
// dropped for one would fail a test instead of being hidden from it.
func plausible(s string) bool {
	u := strings.ToUpper(s)
	for _, w := range PlaceholderWords {
		if len(w) >= 7 && strings.Contains(u, w) {
			return false
		}
	}
	return true
}

// Pair is a generated credential set.
type Pair struct {
	ID, Secret, Token string
}

// Values returns the template values that rules.Fill understands.
func (g *Gen) Values() map[string]string {
	id, asia, sec, sec2, id2 := g.KeyID("AKIA"), g.KeyID("ASIA"), g.Secret(), g.Secret(), g.KeyID("AKIA")
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + sec + "\n"
	js := strings.NewReplacer("/", `\/`, "+", `\u002B`).Replace(sec)
	url := strings.NewReplacer("/", "%2F", "+", "%2B").Replace(sec)
	vals := map[string]string{
		"ID": id, "ID2": id2, "ASIA": asia, "SECRET": sec, "SECRET2": sec2, "TOKEN": g.SessionToken(),
		"ID_B64":     base64.StdEncoding.EncodeToString([]byte(id)),
		"SECRET_B64": base64.StdEncoding.EncodeToString([]byte(sec)),
		"CREDS_B64":  base64.StdEncoding.EncodeToString([]byte(creds)),
		"SECRET_JS":  js,
		"SECRET_URL": url,
		// Written one escape per character, and cut in two for a concatenation.
		"ID_TAIL":     id[4:],
		"ID_ESC":      EscapeEach(id, `\u%04x`),
		"SECRET_HTML": EscapeEach(sec, "&#%d;"),
		"SECRET_HEAD": sec[:20],
		"SECRET_TAIL": sec[20:],
	}
	// Drawn after the others, so that adding them changed no older value.
	vals["TEST_ID"] = g.KeyIDOf("AKIA", 0)
	vals["DOC_ID"] = g.KeyIDOf("AKIA", 123456789012)
	// Upper-case words that start like a key ID (a fund code), no key:
	// written in lower case so that keyscan's own tree holds none.
	vals["WORDS_ID"] = strings.ToUpper("akiabankholdingsltd2")
	// A business code that starts like a key ID (a region, a quarter, a
	// word), no key: in lower case too.
	vals["CODE_ID"] = strings.ToUpper("asiasoutheast2q3sale")
	return vals
}

// EscapeEach writes every character of s with format (`\u%04x`, "&#%d;"...).
func EscapeEach(s, format string) string {
	var b strings.Builder
	for i := range len(s) {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}
