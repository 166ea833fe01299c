package scanner

import (
	"slices"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// Credentials glued to their neighbours in a binary file's printable runs.
//
// Some binary formats store strings back to back with no byte between
// them that `strings` would stop at: SQLite writes a row's text columns one
// after the other ("deployAKIA...t/ttKR..."), Go's linker packs string
// constants without separators ("maxheadersAKIA...37252902..."), and a PNG
// text chunk is followed by a CRC whose bytes may be printable. In text a
// key ID needs its word boundaries and a secret its own token: those tests
// keep the matcher's precision, and text findings must not change. So only
// the runs of binary files are cut, here, before the matcher reads them: at
// the edges of a glued key ID, and of the 40 characters glued after a strong
// secret keyword or after a key ID. Each piece goes on its own line of the
// run's group (binary.go), where the matcher applies its usual tests.
//
// The false-positive guard, since a cut is made without the boundaries:
//   - a glued key ID is AKIA or ASIA and 16 base32 characters whose account
//     decodes (AccountID: new-generation IDs only, so an AKIAI... or AKIAJ...
//     ID is never cut), passes the placeholder tests (plausibleKeyID), is
//     not upper-case words (gluedWordLike: wordLike's tests, for AKIA too),
//     does not sit in a stretch of upper-case base32 reaching 20 more
//     characters around it (base32-encoded data, where AKIA or ASIA comes by
//     chance about once in 500,000 characters), and has no upper-case letter
//     right before it, nor right after it unless a glued secret follows: a
//     key ID is upper-case, so where it is glued to lower-case letters,
//     digits or punctuation the change of case shows where it starts and
//     ends, while an upper-case neighbour makes it part of a longer token,
//     as text writes one ("XAKIA..." in documentation, in keyscan's own
//     rule examples), unless what is glued before it is its name
//     (AWS_ACCESS_KEY_IDAKIA..., a name/value table's row), or the
//     stretch of base32 is a whole number of such key IDs glued to each
//     other (gluedids.go: a Go program's packed constants), which is cut
//     at each;
//   - a glued secret is exactly 40 secret characters right after a strong
//     secret keyword (secret access key or aws secret key in any case, with
//     '_', '-', '.' or nothing between the words) and up to three separators
//     (space, tab, = : " '), or right after such a key ID, and not the start
//     of a longer base64 token that ends in its padding; they must pass
//     check as a strongly named secret (placeholders, entropy, words), and
//     the matcher tests them again.
//
// Random binary data never holds these: 20 characters of AKIA and base32 in
// a printable run are as rare as a real key, and the secret rules need the
// keyword or the key ID next to them.

// gluedCuts returns, sorted and appended to cuts, the places in run (the
// characters of one printable run) where a line break frees a glued
// credential. Most runs have none.
func (s *Scanner) gluedCuts(run []byte, cuts []int) []int {
	n0 := len(cuts)
	for i := 0; i+20 <= len(run); i++ {
		if !gluedStart[run[i]] {
			continue
		}
		switch c := run[i]; {
		case c == 'A':
			if (run[i+1] == 'K' || run[i+1] == 'S') && run[i+2] == 'I' && run[i+3] == 'A' {
				cuts = s.gluedKeyID(run, i, cuts)
			}
		case c|0x20 == 's' && run[i+1]|0x20 == 'e' || c|0x20 == 'a' && run[i+1]|0x20 == 'w':
			// "se" or "aw" first: most letters of a run are no keyword's start.
			if end, ok := strongSecretName(run, i); ok {
				cuts = s.gluedSecret(run, skipSeparators(run, end), cuts)
			}
		}
	}
	if len(cuts) > n0 {
		slices.Sort(cuts[n0:])
		cuts = append(cuts[:n0], slices.Compact(cuts[n0:])...)
	}
	return cuts
}

// gluedStart marks the bytes a glued credential's cut can start from: the
// A of a key ID's prefix, the first letter of a strong secret name.
var gluedStart = func() (t [256]bool) {
	t['A'], t['a'], t['S'], t['s'] = true, true, true, true
	return t
}()

// gluedKeyID adds the cuts around the key ID at run[i:], when it is glued
// and passes the guard, and those of a secret glued after it.
func (s *Scanner) gluedKeyID(run []byte, i int, cuts []int) []int {
	end := i + 20
	for j := i + 4; j < end; j++ {
		if !isBase32(run[j]) {
			return cuts
		}
	}
	left := i > 0 && isWord(run[i-1])
	right := end < len(run) && (isWord(run[end]) || run[end] == '+' || run[end] == '/')
	if !left && !right {
		return cuts // the matcher's own boundaries hold
	}
	id := string(run[i:end])
	if _, ok := AccountID(id); !ok || !plausibleKeyID(id) {
		return cuts
	}
	if gluedWordLike(id) {
		return cuts
	}
	if _, to, ok := gluedIDRun(run, i); ok {
		// One of key IDs glued to each other (gluedids.go): cut around
		// each, and a secret glued after the last is taken.
		if end == to {
			cuts = s.gluedSecret(run, end, cuts)
		}
		return append(cuts, i, end)
	}
	ext := 0
	for j := i - 1; j >= 0 && isBase32(run[j]) && ext < 20; j-- {
		ext++
	}
	for j := end; j < len(run) && isBase32(run[j]) && ext < 20; j++ {
		ext++
	}
	if ext >= 20 || i > 0 && isUpper(run[i-1]) && !namesKeyID(run[max(0, i-24):i]) {
		return cuts
	}
	n := len(cuts)
	cuts = s.gluedSecret(run, end, cuts)
	if len(cuts) == n && end < len(run) && isUpper(run[end]) {
		return cuts // an upper-case letter after it, and no secret there
	}
	if left {
		cuts = append(cuts, i)
	}
	if right {
		cuts = append(cuts, end)
	}
	return cuts
}

// gluedSecret adds the cuts around run[i:i+40] when those are 40 secret
// characters glued to what follows or precedes them that pass the value
// tests of a strongly named secret.
func (s *Scanner) gluedSecret(run []byte, i int, cuts []int) []int {
	end := i + 40
	if end > len(run) || !allSecretChars(run[i:end]) {
		return cuts
	}
	before := i > 0 && (isSecretChar(run[i-1]) || run[i-1] == '_' || run[i-1] == '-' || run[i-1] == '.')
	after := end < len(run) && (isSecretChar(run[end]) || run[end] == '_' || run[end] == '-' || run[end] == '=' || run[end] == '.')
	if !before && !after {
		return cuts
	}
	if !before && paddedToken(run, end) {
		// The 40 characters open a longer base64 token that ends in its
		// padding (a Kubernetes Secret's data, base64 of a secret): one
		// token, which the matcher decodes and judges whole.
		return cuts
	}
	if ok, _ := s.check(rules.SecretAccessKey, string(run[i:end]), ctxStrong); !ok {
		return cuts
	}
	if before {
		cuts = append(cuts, i)
	}
	if after {
		cuts = append(cuts, end)
	}
	return cuts
}

// paddedToken reports whether the secret characters from i on end in
// base64 padding ('=').
func paddedToken(run []byte, i int) bool {
	for i < len(run) && isSecretChar(run[i]) {
		i++
	}
	return i < len(run) && run[i] == '='
}

// strongSecretName matches "secret access key" or "aws secret key" at
// run[i:], in any case, with '_', '-', '.' or nothing between the words,
// and returns where the name ends.
func strongSecretName(run []byte, i int) (int, bool) {
	for _, words := range [][]string{{"SECRET", "ACCESS", "KEY"}, {"AWS", "SECRET", "KEY"}} {
		j, ok := i, true
		for k, w := range words {
			if k > 0 && j < len(run) && (run[j] == '_' || run[j] == '-' || run[j] == '.') {
				j++
			}
			if !hasPrefixFold(run[j:], w) {
				ok = false
				break
			}
			j += len(w)
		}
		if ok {
			return j, true
		}
	}
	return 0, false
}

// skipSeparators returns where a value after a name ending at i starts:
// past up to three of space, tab, '=', ':', '"', '\”.
func skipSeparators(run []byte, i int) int {
	for k := 0; k < 3 && i < len(run); k++ {
		switch run[i] {
		case ' ', '\t', '=', ':', '"', '\'':
			i++
		default:
			return i
		}
	}
	return i
}

// namesKeyID reports whether b ends with the name of an access key ID
// (ACCESS_KEY_ID, ACCESS_KEY, KEY_ID in any case and spelling).
func namesKeyID(b []byte) bool {
	n := normalizeKeyword(string(b))
	return strings.HasSuffix(n, "accesskey") || strings.HasSuffix(n, "keyid")
}

// hasBase32Digit reports whether s holds one of base32's digits 2 to 7.
func hasBase32Digit(s string) bool {
	for k := range len(s) {
		if '2' <= s[k] && s[k] <= '7' {
			return true
		}
	}
	return false
}
