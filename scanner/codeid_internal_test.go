package scanner

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/words"
	"github.com/keyscan/keyscan/rules"
)

// codePools are the words of the business codes corpus (codeCorpus):
// regions, sales, products and tickets, in lower case (keyscan's own tree
// holds no key ID). They were chosen as codes are written, not from
// internal/words: TestCodeCorpus logs how many the list holds.
var codePools = [][]string{
	strings.Fields("asia pacific southeast northeast southwest east west north south central apac emea latam japan india china korea tokyo seoul mumbai sydney singapore jakarta manila hanoi"),
	strings.Fields("sales sale store stores team rev promo deal order orders ship retail web online channel partner dealer export import supply margin target quota budget"),
	strings.Fields("widget gadget blue red green black white large small pro max mini plus lite kit pack box case sku item shoe shirt cap bag"),
	strings.Fields("ops dev bug task req inc chg sec fin mkt eng support ticket issue story epic sprint hotfix"),
}

// codeToken returns one token of a code: a word of a pool (half the
// time), a number of one to three decimal digits, a quarter (Q1-Q4), a
// half or a fiscal or calendar year (H2, FY25, CY23), a year, or a size
// or version (XL, V2).
func codeToken(r *rand.Rand) string {
	switch k := r.IntN(10); {
	case k < 5:
		p := codePools[r.IntN(len(codePools))]
		return p[r.IntN(len(p))]
	case k == 5:
		return strconv.Itoa(r.IntN([]int{10, 100, 1000}[r.IntN(3)]))
	case k == 6:
		return "q" + strconv.Itoa(1+r.IntN(4))
	case k == 7:
		return []string{"h1", "h2", "fy" + strconv.Itoa(19+r.IntN(9)), "cy" + strconv.Itoa(19+r.IntN(9))}[r.IntN(4)]
	case k == 8:
		return strconv.Itoa(2019 + r.IntN(9))
	default:
		return []string{"s", "m", "l", "xl", "xxl", "v2", "v3", "r2"}[r.IntN(8)]
	}
}

// codeCorpus returns n codes of 20 characters, upper-case, that start with
// AKIA or ASIA and go on with tokens (codeToken) to exactly 16 more; a
// third hold a region right after the prefix (ASIAPACIFIC…).
func codeCorpus(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		b.WriteString([]string{"akia", "asia"}[r.IntN(2)])
		if r.IntN(3) == 0 {
			b.WriteString(codePools[0][r.IntN(len(codePools[0]))])
		}
		for b.Len() < 20 {
			b.WriteString(codeToken(r))
		}
		if b.Len() == 20 {
			out = append(out, strings.ToUpper(b.String()))
		}
	}
	return out
}

// TestCodeCorpus measures the words test on 100,000 business codes
// (codeCorpus): the codes with a digit outside base32 (0, 1, 8, 9: most
// numbers and every year) are no key IDs by their shape; of the others,
// the share wordLike turns down (qa33's words alone, and fp36's codes),
// and the share a scan reports, bare, one a line of a text file.
func TestCodeCorpus(t *testing.T) {
	const n = 100_000
	codes := codeCorpus(36, n)
	inList, all := 0, 0
	for _, p := range codePools {
		for _, w := range p {
			all++
			if words.Is(strings.ToUpper(w)) {
				inList++
			}
		}
	}
	var b32, joined, code int
	var text strings.Builder
	for _, c := range codes {
		if !allBase32(c[4:]) {
			continue
		}
		b32++
		switch {
		case wordsIDJoined(c):
			joined++
		case wordLike(c):
			code++
		}
		fmt.Fprintf(&text, "code = %s\n", c)
	}
	found := len(binScanner(t).Scan("codes.txt", []byte(text.String())))
	t.Logf("%d of %d pool words in the list; %d codes: %d (%.1f%%) not base32; of the %d others, words alone %d (%.1f%%), codes %d more (%.1f%%), reported bare %d (%.2f%%)",
		inList, all, n, n-b32, pct(n-b32, n), b32, joined, pct(joined, b32), code, pct(code, b32), found, pct(found, b32))
	if turned := joined + code; pct(turned, b32) < 70 {
		t.Errorf("wordLike turned down %.1f%% of the base32 codes, want 70%% or more", pct(turned, b32))
	}
	if found != b32-joined-code {
		t.Errorf("a scan reported %d codes, wordLike keeps %d", found, b32-joined-code)
	}
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(b) }

func allBase32(s string) bool {
	for i := range len(s) {
		if !isBase32(s[i]) {
			return false
		}
	}
	return true
}

// wordsIDJoined is qa33's test alone: words run together, a number of
// one or two digits after them.
func wordsIDJoined(id string) bool {
	n := len(id)
	for k := 0; k < 2 && n > 4 && isDigit(id[n-1]); k++ {
		n--
	}
	for i := 4; i < n; i++ {
		if !isUpper(id[i]) {
			return false
		}
	}
	return words.Joined(id[:n], 4)
}

// TestCodeIDPairs: a business code alone, or named by no key word, is not
// reported; beside a secret found on its own evidence it is, as the
// secret's pair; a key ID of random shape is the secret's pair before a
// code nearer it, and a code further than wordIDLines lines from the
// secret is not its pair.
func TestCodeIDPairs(t *testing.T) {
	g := fakekey.New(3637)
	id, secret := g.KeyID("AKIA"), g.Secret()
	code := strings.ToUpper("asiasoutheast2q3sale")
	far := strings.Repeat("# filler\n", wordIDLines+2)
	for _, c := range []struct {
		name, text string
		ids        []string // the key IDs reported
		secrets    int
	}{
		{"alone", "region = " + code + "\n", nil, 0},
		{"beside a secret", "region = " + code + "\naws_secret_access_key = " + secret + "\n", []string{code}, 1},
		{"a random ID first", "aws_access_key_id = " + id + "\n" + far + "region = " + code + "\naws_secret_access_key = " + secret + "\n", []string{id}, 1},
		{"too far", "region = " + code + "\n" + far + "aws_secret_access_key = " + secret + "\n", nil, 1},
		{"named as a key ID", "aws_access_key_id = " + code + "\n", []string{code}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ids []string
			secrets := 0
			for _, f := range binScanner(t).Scan("app.conf", []byte(c.text)) {
				switch f.Kind {
				case rules.AccessKeyID:
					ids = append(ids, f.Secret)
				case rules.SecretAccessKey:
					secrets++
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(c.ids) || secrets != c.secrets {
				t.Errorf("key IDs %v and %d secrets, want %v and %d\n%s", ids, secrets, c.ids, c.secrets, c.text)
			}
		})
	}
}
