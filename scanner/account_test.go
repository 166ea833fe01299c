package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// TestAccountIDFastPath compares AccountID's plain-base32 path with the
// decoder it stands in for, on random IDs and on every character at every
// place of the body, and checks that what is not plain base32 (padding, a
// line break, a lower-case letter) still takes the decoder.
func TestAccountIDFastPath(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	r := rand.New(rand.NewPCG(1, 2))
	check := func(id string) {
		t.Helper()
		got, ok := AccountID(id)
		want, wok := "", false
		if len(id) == 20 && id[4] != 'I' && id[4] != 'J' {
			want, wok = accountIDDecoded(id)
		}
		if got != want || ok != wok {
			t.Fatalf("AccountID(%q) = %q, %v; the decoder says %q, %v", id, got, ok, want, wok)
		}
	}
	body := func() []byte {
		b := make([]byte, 16)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return b
	}
	for range 20000 {
		check("AKIA" + string(body()))
	}
	for i := range 16 {
		for c := range 256 {
			b := body()
			b[i] = byte(c)
			check("ASIA" + string(b))
		}
	}
	for _, tail := range []string{"=", "===", "====", "======", "\n", "\r\n", "a"} {
		b := body()
		check("AKIA" + string(b[:16-len(tail)]) + tail)
	}
}

// TestFingerprintUnchanged pins Fingerprint to its definition: the first
// 16 bytes of SHA-256 over "keyscan/1", rule, file and value, NUL-separated,
// in hex; baselines hold these. A long file name takes the buffer off the stack.
func TestFingerprintUnchanged(t *testing.T) {
	long := string(make([]byte, 300))
	for _, c := range [][3]string{{"aws-access-key-id", "a/b.env", "a value"}, {"r", long, "v"}, {"", "", ""}} {
		sum := sha256.Sum256([]byte("keyscan/1\x00" + c[0] + "\x00" + c[1] + "\x00" + c[2]))
		if got, want := Fingerprint(c[0], c[1], c[2]), hex.EncodeToString(sum[:16]); got != want {
			t.Errorf("Fingerprint(%q, %q, %q) = %s, want %s", c[0], c[1], c[2], got, want)
		}
	}
}
