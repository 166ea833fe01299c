package archive

import (
	"bytes"
	"cmp"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"hash"
	"io"
	"slices"
	"strconv"
)

// Most encrypted PDFs need no password to be read: a writer that only
// restricts printing or copying (qpdf --encrypt "" owner, "Security:
// password to change permissions" in office suites and Acrobat) encrypts
// with an empty user password, and every reader opens the file without
// asking (qa11 LOW-8). So the standard security handler is tried with the
// empty password: revisions 2-4 (RC4 of 40 to 128 bits, AES-128) and 5-6
// (AES-256), with Go's standard crypto, as PDF 2.0 (ISO 32000-2, 7.6.4)
// describes. A file whose user password is not empty, or whose handler is
// another (public keys, a plug-in's), stays an encrypted PDF whose streams
// are not scanned, as before.

// pdfCrypt decrypts the streams of a PDF with its file key.
type pdfCrypt struct {
	key       []byte
	aes       bool // AESV2 or AESV3; else RC4
	v5        bool // the file key is every object's key (AES-256)
	plainMeta bool // /EncryptMetadata false: metadata streams are not encrypted
}

// pdfPadding pads a password to 32 bytes (7.6.4.3.2, step a): the empty
// password is all of it.
var pdfPadding = []byte("\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a")

// decrypt returns the data of stream obj (generation 0, which the writers
// that encrypt give every object they write), decrypted; false when it
// cannot be (AES data that is no whole number of blocks).
func (c *pdfCrypt) decrypt(obj string, b []byte) ([]byte, bool) {
	key := c.key
	if !c.v5 {
		num, _ := strconv.Atoi(obj)
		h := md5.New()
		h.Write(c.key)
		h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), 0, 0})
		if c.aes {
			h.Write([]byte("sAlT"))
		}
		key = h.Sum(nil)[:min(len(c.key)+5, 16)]
	}
	if !c.aes {
		r, err := rc4.NewCipher(key)
		if err != nil {
			return nil, false
		}
		out := make([]byte, len(b))
		r.XORKeyStream(out, b)
		return out, true
	}
	if len(b) < 32 || len(b)%aes.BlockSize != 0 {
		return nil, false
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, false
	}
	out := make([]byte, len(b)-aes.BlockSize)
	cipher.NewCBCDecrypter(blk, b[:aes.BlockSize]).CryptBlocks(out, b[aes.BlockSize:])
	if p := int(out[len(out)-1]); p >= 1 && p <= aes.BlockSize && p <= len(out) {
		out = out[:len(out)-p]
	}
	return out, true
}

// pdfEmptyPassword returns the crypt of a PDF whose /Encrypt dictionary
// (enc, what its << >> hold) is the standard handler's and opens with the
// empty user password; nil otherwise. id is the first string of the
// trailer's /ID.
func pdfEmptyPassword(enc, id []byte) *pdfCrypt {
	if !pdfNameIs(enc, "/Filter", "/Standard") {
		return nil
	}
	v, r := pdfParam(enc, "/V", 0), pdfParam(enc, "/R", 0)
	o, u := pdfString(enc, "/O"), pdfString(enc, "/U")
	switch {
	case r >= 2 && r <= 4 && len(o) >= 32 && len(u) >= 32:
		n := 5
		if r >= 3 {
			n = pdfParam(enc, "/Length", 40) / 8
		}
		aesv2 := v == 4 && bytes.Contains(enc, []byte("/AESV2"))
		if v == 4 {
			n = 16 // a crypt filter's key is 128 bits
		}
		if n < 5 || n > 16 {
			return nil
		}
		h := md5.New()
		h.Write(pdfPadding)
		h.Write(o[:32])
		var p [4]byte
		binary.LittleEndian.PutUint32(p[:], uint32(int32(pdfSigned(enc, "/P"))))
		h.Write(p[:])
		h.Write(id)
		if r >= 4 && pdfNameIs(enc, "/EncryptMetadata", "false") {
			h.Write([]byte{0xff, 0xff, 0xff, 0xff})
		}
		key := h.Sum(nil)
		if r >= 3 {
			for range 50 {
				s := md5.Sum(key[:n])
				key = s[:]
			}
		}
		key = key[:n]
		// The user password is the empty one when U is what it gives.
		var check []byte
		if r == 2 {
			c, _ := rc4.NewCipher(key)
			check = make([]byte, 32)
			c.XORKeyStream(check, pdfPadding)
			if !bytes.Equal(check, u[:32]) {
				return nil
			}
		} else {
			s := md5.Sum(append(bytes.Clone(pdfPadding), id...))
			check = s[:]
			for i := range 20 {
				k := bytes.Clone(key)
				for j := range k {
					k[j] ^= byte(i)
				}
				c, _ := rc4.NewCipher(k)
				c.XORKeyStream(check, check)
			}
			if !bytes.Equal(check, u[:16]) {
				return nil
			}
		}
		return &pdfCrypt{key: key, aes: aesv2, plainMeta: pdfNameIs(enc, "/EncryptMetadata", "false")}
	case (r == 5 || r == 6) && len(u) >= 48:
		ue := pdfString(enc, "/UE")
		if len(ue) < 32 || !bytes.Equal(pdfHash(r, u[32:40]), u[:32]) {
			return nil
		}
		blk, err := aes.NewCipher(pdfHash(r, u[40:48]))
		if err != nil {
			return nil
		}
		key := make([]byte, 32)
		cipher.NewCBCDecrypter(blk, make([]byte, aes.BlockSize)).CryptBlocks(key, ue[:32])
		return &pdfCrypt{key: key, aes: true, v5: true, plainMeta: pdfNameIs(enc, "/EncryptMetadata", "false")}
	}
	return nil
}

// pdfHash is the hash of the empty user password with salt: SHA-256 in
// revision 5, and in 6 the rounds of SHA-256, -384 and -512 over AES-128
// of 7.6.4.3.4 (algorithm 2.B).
func pdfHash(r int, salt []byte) []byte {
	s := sha256.Sum256(salt)
	k := s[:]
	if r == 5 {
		return k
	}
	for i := 0; ; i++ {
		k1 := bytes.Repeat(k, 64) // the password (empty), K and the user data (none), 64 times
		blk, _ := aes.NewCipher(k[:16])
		e := make([]byte, len(k1))
		cipher.NewCBCEncrypter(blk, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, c := range e[:16] {
			sum += int(c)
		}
		var h hash.Hash
		switch sum % 3 {
		case 0:
			h = sha256.New()
		case 1:
			h = sha512.New384()
		default:
			h = sha512.New()
		}
		h.Write(e)
		k = h.Sum(nil)
		if i >= 63 && int(e[len(e)-1]) <= i+1-32 {
			break
		}
	}
	return k[:32]
}

// pdfString returns the string key has in dict: a literal (…) with its
// escapes, or hex <…>; nil when there is none.
func pdfString(dict []byte, key string) []byte {
	for at := 0; ; {
		i := bytes.Index(dict[at:], []byte(key))
		if i < 0 {
			return nil
		}
		at += i + len(key)
		if at < len(dict) && !pdfDelim(dict[at]) {
			continue // /OE after /O
		}
		rest := bytes.TrimLeft(dict[at:], " \t\r\n\f")
		switch {
		case bytes.HasPrefix(rest, []byte("(")):
			s, _ := pdfLiteral(rest)
			return s
		case bytes.HasPrefix(rest, []byte("<")) && !bytes.HasPrefix(rest, []byte("<<")):
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return nil
			}
			s, _ := io.ReadAll(&pdfHex{r: bytes.NewReader(rest[1:end])})
			return s
		}
		return nil
	}
}

// pdfID returns the first string of a PDF's /ID (its trailer's or its
// cross-reference stream's, the last one outside the streams' data), or
// nil.
func pdfID(data []byte, streams []pdfStreamAt) []byte {
	for end := len(data); ; {
		i := bytes.LastIndex(data[:end], []byte("/ID"))
		if i < 0 {
			return nil
		}
		end = i
		k, _ := slices.BinarySearchFunc(streams, i, func(s pdfStreamAt, i int) int { return cmp.Compare(s.end, i) })
		inStream := k < len(streams) && streams[k].start <= i
		rest := bytes.TrimLeft(data[i+3:], " \t\r\n\f")
		if inStream || !bytes.HasPrefix(rest, []byte("[")) {
			continue
		}
		return pdfString(append([]byte("/ID "), rest[1:min(len(rest), 300)]...), "/ID")
	}
}

// pdfSigned returns the integer key has in dict, which may be negative
// (/P, the permissions, is -4 and the like); 0 when there is none.
func pdfSigned(dict []byte, key string) int {
	i := bytes.Index(dict, []byte(key))
	if i < 0 || i+len(key) < len(dict) && !pdfDelim(dict[i+len(key)]) {
		return 0
	}
	rest := bytes.TrimLeft(dict[i+len(key):], " \t\r\n\f")
	if neg := bytes.HasPrefix(rest, []byte("-")); neg {
		return -pdfInt(rest[1:])
	}
	return pdfInt(rest)
}
