package scanner

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
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
	// The first ten characters hold the six bytes that carry the account
	// (50 bits); the whole body must be base32 for the ID to decode. Every
	// key ID the matcher reports is plain base32: it takes this path, which
	// costs no allocation but the answer's (a file of key IDs is a finding a
	// line). Anything else (padding, line breaks) goes through the decoder.
	for i := 4; i < 20; i++ {
		if !isBase32(keyID[i]) {
			return accountIDDecoded(keyID)
		}
	}
	return accountDigits(plainAccount(keyID))
}

// plainAccount is the account number a key ID of plain base32 (its 16
// characters after the prefix) encodes, unbounded: AccountID's, without
// the string of its digits (gluedID asks only whether it is one).
func plainAccount[T string | []byte](keyID T) uint64 {
	var bits uint64
	for i := 4; i < 14; i++ {
		c := keyID[i]
		d := c - 'A'
		if c <= '7' {
			d = c - '2' + 26
		}
		bits = bits<<5 | uint64(d)
	}
	return (bits >> 2 & 0x7fffffffff80) >> 7
}

// accountIDDecoded is AccountID through encoding/base32, for IDs that are
// not plain base32.
func accountIDDecoded(keyID string) (string, bool) {
	raw, err := base32.StdEncoding.DecodeString(keyID[4:])
	if err != nil {
		return "", false
	}
	var b [8]byte
	copy(b[2:], raw[:6])
	return accountDigits((binary.BigEndian.Uint64(b[:]) & 0x7fffffffff80) >> 7)
}

// accountDigits writes an account number as its 12 digits.
func accountDigits(v uint64) (string, bool) {
	if v > maxAccount {
		return "", false // not an account: the ID is not new-generation after all
	}
	var d [12]byte
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return string(d[:]), true
}

// TestAccount is the account that key IDs keyscan does not report belong to.
// No AWS account has the all-zero ID: LocalStack takes 000000000000 as its
// default account for that reason, and LocalStack and moto encode it into
// the key IDs they generate for it (moto's generate_access_key_id_from_account_id
// sets the offset bit and puts the account after it, as AWS does, so this
// file's AccountID decodes it). Such a key ID cannot authenticate against
// AWS; it is a test fixture, not a leak.
const TestAccount = "000000000000"

// DocumentationAccount is the account ID of AWS's documentation examples
// (arn:aws:iam::123456789012:...) and moto's default account, so moto
// generates key IDs that decode to it. Unlike TestAccount it is a valid
// account number that nothing shows to be unissued, so its key IDs are
// reported, with a note.
const DocumentationAccount = "123456789012"

// testKeyReason says why a key ID of TestAccount is not reported.
const testKeyReason = "a test key ID: account " + TestAccount + " is no AWS account (LocalStack's default; " +
	"LocalStack and moto generate key IDs of it), so the key cannot authenticate against AWS"

// documentationNote is the note a key ID of DocumentationAccount carries.
const documentationNote = "account " + DocumentationAccount + " is AWS's documentation account (the one in its " +
	"examples, and moto's default): most likely a test key, but that account number can be real, so it is reported"

// TestKeyID reports whether id is a key ID of TestAccount, and why such a
// key is not reported.
func TestKeyID(id string) (reason string, ok bool) {
	if a, _ := AccountID(id); a == TestAccount {
		return testKeyReason, true
	}
	return "", false
}

// Fingerprint is the stable identity of a finding: a hash of the rule, the
// file and the value. It does not depend on the line, so baselines survive
// edits elsewhere in the file, and it never reveals the value.
func Fingerprint(rule, file, value string) string {
	// One buffer on the stack and one allocation, the answer: a file of
	// key IDs has a fingerprint a line.
	var buf [256]byte
	b := append(buf[:0], "keyscan/1\x00"...)
	b = append(append(b, rule...), 0)
	b = append(append(b, file...), 0)
	b = append(b, value...)
	sum := sha256.Sum256(b)
	var h [32]byte
	hex.Encode(h[:], sum[:16])
	return string(h[:])
}

// maxAccount is the largest account number: twelve digits.
const maxAccount = 999999999999
