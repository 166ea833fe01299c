package scanner

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// AccountID decodes the 12-digit AWS account ID that new-generation access
// key IDs carry, offline. Old-generation IDs (fifth character I or J) do not
// encode it; ok is false for them and for anything that is not a key ID.
//
// The encoding is not documented by AWS: the 16 characters after the prefix
// are base32; the first six decoded bytes, as a big-endian integer, masked
// with 0x7fffffffff80 and shifted right by 7, are the account. STS
// GetAccessKeyInfo is the official way and needs credentials of your own.
func AccountID(keyID string) (string, bool) {
	if len(keyID) != 20 || keyID[4] == 'I' || keyID[4] == 'J' {
		return "", false
	}
	raw, err := base32.StdEncoding.DecodeString(keyID[4:])
	if err != nil {
		return "", false
	}
	var b [8]byte
	copy(b[2:], raw[:6])
	v := (binary.BigEndian.Uint64(b[:]) & 0x7fffffffff80) >> 7
	if v > 999999999999 {
		return "", false // not an account: the ID is not new-generation after all
	}
	return fmt.Sprintf("%012d", v), true
}

// Fingerprint is the stable identity of a finding: a hash of the rule, the
// file and the value. It does not depend on the line, so baselines survive
// edits elsewhere in the file, and it never reveals the value.
func Fingerprint(rule, file, value string) string {
	h := sha256.New()
	h.Write([]byte("keyscan/1\x00"))
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write([]byte(value))
	return hex.EncodeToString(h.Sum(nil)[:16])
}
