package scanner

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

// The value tests as they were written before they were made faster: the
// faster ones must answer exactly as these do, to the last bit of a float.

func refPlaceholder(v string) (string, bool) {
	for _, w := range placeholderWords {
		for i := 0; i+len(w) <= len(v); i++ {
			if strings.EqualFold(v[i:i+len(w)], w) && wordCounts(v, i, w) {
				return strings.ToLower(w), true
			}
		}
	}
	for _, p := range docPrefixes {
		if strings.HasPrefix(v, p) {
			return "AWS documentation", true
		}
	}
	return "", false
}

func refEntropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// differentialValues returns random values of the lengths the matcher
// tests, made of secret characters, placeholder words and documentation
// prefixes in any case, and now and then any byte at all.
func differentialValues(n int) []string {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	pieces := append(append([]string{}, placeholderWords...), docPrefixes...)
	var out []string
	for range n {
		var b strings.Builder
		size := []int{20, 40, 40, 40, 54, 100}[r.IntN(6)]
		for b.Len() < size {
			switch r.IntN(10) {
			case 0:
				p := pieces[r.IntN(len(pieces))]
				if r.IntN(2) == 0 {
					p = strings.ToLower(p)
				}
				b.WriteString(p[:1+r.IntN(len(p))])
			case 1:
				b.WriteByte(byte(r.IntN(256)))
			default:
				b.WriteByte(alphabet[r.IntN(len(alphabet))])
			}
		}
		v := b.String()
		if len(v) > size && r.IntN(2) == 0 {
			v = v[:size]
		}
		out = append(out, v)
	}
	return out
}

func TestValueTestsAnswerAsBefore(t *testing.T) {
	for _, v := range differentialValues(50000) {
		w, ok := refPlaceholder(v)
		p := placeholder(v)
		if ok != (p >= 0) || ok && "a documented example or placeholder ("+w+")" != placeholderReasons[p] {
			t.Fatalf("placeholder(%q) = %d, before %q %v", v, p, w, ok)
		}
		if got, want := entropy(v), refEntropy(v); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("entropy(%q) = %v, before %v", v, got, want)
		}
	}
}

func TestValueWordsAnswerAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var words []string
	for w := range valueWords {
		words = append(words, w, strings.ToUpper(w), "Parameter"+strings.ToUpper(w[:1])+w[1:], w+"s")
	}
	words = append(words, "", "v", "VALUE", "valueFROM", "plaintext_value", "ValueFrom", "aVeryLongIdentifierEndingInValue", "x_vALUE")
	letters := "abcdefgilnorstuvyABDEFGILNORSTUVY_0"
	for range 20000 {
		b := make([]byte, r.IntN(20))
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		words = append(words, string(b))
	}
	for _, w := range words {
		lw := strings.ToLower(w)
		if want := valueWords[lw] || strings.HasSuffix(lw, "value"); isValueWord([]byte(w)) != want {
			t.Fatalf("isValueWord(%q) = %v, before %v", w, !want, want)
		}
	}
}

// TestFakekeyKnowsThePlaceholderWords keeps internal/fakekey's copy of the
// placeholder words (which it cannot import: this package's tests import it)
// equal to the scanner's.
func TestFakekeyKnowsThePlaceholderWords(t *testing.T) {
	if !slices.Equal(fakekey.PlaceholderWords, placeholderWords) {
		t.Errorf("fakekey.PlaceholderWords = %q, want scanner's %q", fakekey.PlaceholderWords, placeholderWords)
	}
}

// TestPlaceholderWordsInRandomValues checks that a placeholder word counts
// only when the rest of the value is not random (qa3 LOW-2): random secrets
// and key IDs that hold a short word in some case are values, while the
// documented examples, typed placeholders and aws-sdk-go-v2's v4a secret
// ending in "Random" are not.
func TestPlaceholderWordsInRandomValues(t *testing.T) {
	g := fakekey.New(11)
	for range 200 {
		s, id := g.Secret(), g.KeyID("AKIA")
		for _, w := range []string{"YOUR", "XXXX", "Dummy", "random", "QWERTY", "KeyId"} {
			v := s[:17] + w + s[17+len(w):]
			if p := placeholder(v); p >= 0 {
				t.Errorf("placeholder(%q) = %s, want a value", v, placeholderReasons[p])
			}
		}
		for _, w := range []string{"YOUR", "XXXX", "RANDOM", "SAMPLE"} {
			v := id[:20-len(w)] + w
			if _, ok := AccountID(v); ok {
				if p := placeholder(v); p >= 0 {
					t.Errorf("placeholder(%q) = %s, want a value (its account decodes)", v, placeholderReasons[p])
				}
			}
		}
	}
	for _, v := range []string{"q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"YOUR_SECRET_ACCESS_KEY_GOES_HERE_1234567", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "dummydummydummydummydummydummydummydummy",
		"AKIAIXXXXXXXXXXXXXXX", "yourSecretAccessKeyGoesHere/abc+12345678"} {
		if placeholder(v) < 0 {
			t.Errorf("placeholder(%q) = -1, want a placeholder", v)
		}
	}
}

// TestGOOGIDAnswersLikeRegexp: hasGOOGID against the regular expression it
// replaced, on random mixtures of its pieces.
func TestGOOGIDAnswersLikeRegexp(t *testing.T) {
	re := regexp.MustCompile(`(?:^|[^A-Za-z0-9])GOOG[0-9A-Z]{16,}`)
	r := rand.New(rand.NewPCG(8, 9))
	pieces := []string{"GOOG", "GOOG1E", "A", "z", "9", " ", "=", "_", "\xc3\xa9", "\xff", "ABCDEFGH", "01234567", "x"}
	for range 20000 {
		var b []byte
		for n := r.IntN(12); n > 0; n-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		if got, want := hasGOOGID(b), re.Match(b); got != want {
			t.Fatalf("%q: hasGOOGID %v, the regexp %v", b, got, want)
		}
	}
}

// refAwsWordsIn is awsWordsIn as it was before it looked up byte pairs
// first: every first letter, then the word start, then the pair.
func refAwsWordsIn(b []byte, lo, hi int, out []int) []int {
	for i := lo; i < hi; i++ {
		if !refAwsStart(b[i]) {
			continue
		}
		if i > 0 && (isLower(b[i-1]) || isDigit(b[i-1]) || isUpper(b[i-1]) && isUpper(b[i])) {
			continue
		}
		if i+1 >= len(b) {
			continue
		}
		for _, w := range awsWords {
			if !hasPrefixFold(b[i:], w.w) {
				continue
			}
			end := i + len(w.w)
			if w.whole && end < len(b) && (isLower(b[end]) || isDigit(b[end])) {
				continue
			}
			if w.named && isLower(b[i]) && (end >= len(b) || !strings.ContainsRune("_:.=-\"'", rune(b[end]))) {
				continue
			}
			out = append(out, i)
			break
		}
	}
	return out
}

func refAwsStart(c byte) bool {
	for _, w := range awsWords {
		if hasPrefixFold([]byte{c}, w.w[:1]) {
			return true
		}
	}
	return false
}

// TestAWSWordsAnswerAsBefore holds awsWordsIn to the plain search over
// random text made of AWS words, their prefixes and neighbours in any
// case, and random ranges of it.
func TestAWSWordsAnswerAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var pieces []string
	for _, w := range awsWords {
		pieces = append(pieces, w.w, strings.ToLower(w.w), w.w[:2], strings.ToLower(w.w[:1])+w.w[1:])
	}
	pieces = append(pieces, " ", "_", "-", "x", "Z", "9", "a", "\n", "\xff", "s3", "S3a", "IAMs")
	for range 3000 {
		var b []byte
		for n := r.IntN(40); n > 0; n-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		lo := r.IntN(len(b) + 1)
		hi := lo + r.IntN(len(b)-lo+1)
		got, want := awsWordsIn(b, lo, hi, nil), refAwsWordsIn(b, lo, hi, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("awsWordsIn(%q, %d, %d) = %v, before %v", b, lo, hi, got, want)
		}
	}
}

// settingRE is what settingsIn reads, as it was written before.
var settingRE = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*[=:][ \t]*("[^"\n]*"|'[^'\n]*'|[^\s,;})]+)`)

// settingsAgree reports (through t) where settingsIn and settingRE read
// line differently: every setting, name and value, in order.
func settingsAgree(t *testing.T, line []byte) {
	t.Helper()
	var got [][2]string
	settingsIn(line, func(n, v []byte) bool {
		got = append(got, [2]string{string(n), string(v)})
		return false
	})
	var want [][2]string
	for _, sm := range settingRE.FindAllSubmatch(line, -1) {
		want = append(want, [2]string{string(sm[1]), string(sm[2])})
	}
	if !slices.Equal(got, want) {
		t.Fatalf("settingsIn(%q) = %q, the expression %q", line, got, want)
	}
}

// settingPieces are what lines of settings are made of, and what could
// trip a reading of them: quotes, blanks, separators, stops, newlines,
// bytes outside ASCII.
var settingPieces = []string{"endpoint", "aws_access_key_id", "Provider", "_x", "a.b-c", "9", "=", ":", "==", " ", "\t", "\"", "'",
	"\"http://minio:9000\"", "'Wasabi'", ",", ";", "}", ")", "{", "(", "\n", "\r", "\f", "\v", "GOOG1EXAMPLEEXAMPLEEXAMPLE", "x=y", "é", "\xff", "-", "."}

func TestSettingsInAnswersAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 50000 {
		var b []byte
		for n := r.IntN(16); n > 0; n-- {
			b = append(b, settingPieces[r.IntN(len(settingPieces))]...)
		}
		settingsAgree(t, b)
	}
	settingsIn([]byte("a=1 b=2 c=3"), func(n, v []byte) bool {
		if string(n) != "a" {
			t.Fatalf("settingsIn went on after fn returned true: %q", n)
		}
		return true
	})
}

func FuzzSettingsIn(f *testing.F) {
	for _, s := range []string{"endpoint = \"http://minio:9000\", provider: Wasabi", "a='x\nb=\"y\" c: , d=e)", "\"k\": \"v\"", "x\xff=y\tz:\"w"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) { settingsAgree(t, line) })
}

// endpointMapRE is what endpointMapAt reads, as it was written before.
var endpointMapRE = regexp.MustCompile(`([A-Za-z0-9_.-]*[Ee][Nn][Dd][Pp][Oo][Ii][Nn][Tt][A-Za-z0-9_.-]*)["']?[ \t]*(?:(?:[=:][ \t]*)?\{([^}\n]*)(\}?)|:[ \t]*\r?$)`)

// endpointMapAgrees reports (through t) where endpointMapAt and
// endpointMapRE read line differently: whether a map opens, its name, its
// entries and its closing brace.
func endpointMapAgrees(t *testing.T, line []byte) {
	t.Helper()
	name, entries, end, closed, ok := endpointMapAt(line)
	got := fmt.Sprintf("%v %q %d %d %v", ok, name, entries, end, closed)
	want := "false \"\" -1 -1 false"
	if sm := endpointMapRE.FindSubmatchIndex(line); sm != nil {
		want = fmt.Sprintf("true %q %d %d %v", line[sm[2]:sm[3]], sm[4], sm[5], sm[6] != sm[7])
	}
	if got != want {
		t.Fatalf("endpointMapAt(%q) = %s, the expression %s", line, got, want)
	}
}

// endpointMapPieces are what endpoint maps are made of, and what could
// trip a reading of them: names that hold endpoint in any case or nearly,
// quotes, blanks, separators, braces, newlines, bytes outside ASCII.
var endpointMapPieces = []string{"endpoint", "Endpoints", "ENDPOINT", "endpoin", "ndpoint", "s3_", "_url", "a.b-c", "9", "\"", "'",
	" ", "\t", "=", ":", "{", "}", "\n", "\r", "\r\n", "s3 = \"http://minio:9000\"", ",", "é", "\xff", "\xc3", "-", ".", "x"}

func TestEndpointMapAnswersAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for range 100000 {
		var b []byte
		for n := r.IntN(14); n > 0; n-- {
			b = append(b, endpointMapPieces[r.IntN(len(endpointMapPieces))]...)
		}
		endpointMapAgrees(t, b)
	}
}

func FuzzEndpointMap(f *testing.F) {
	for _, s := range []string{"endpoints {", "s3_endpoint = { s3 = \"http://minio:9000\" }", "\"endpoints\": {", "endpoints:\r",
		"x_endpoint' \t: \t{a}", "endpointx:  ", "endpoints : y endpoint{\n}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) { endpointMapAgrees(t, line) })
}

// k8sEndpointRE is what k8sEndpointName reads, as it was written before.
var k8sEndpointRE = regexp.MustCompile(`(?i)name:[ \t]*["']?([a-z0-9_]*endpoint[a-z0-9_]*)["']?[ \t]*$`)

// k8sNamePieces are what "- name: AWS_ENDPOINT_URL" lines are made of, and
// what could trip a reading of them from their end: name: in any case or
// nearly, the two letters outside ASCII that (?i) folds into [a-z], their
// bytes alone, quotes, blanks, newlines.
var k8sNamePieces = []string{"name:", "NAME:", "Name:", "name", "ame:", ":", "- ", "endpoint", "ENDPOINT", "Endpoint", "endpoin",
	"aws_", "_url", "S3", "9", "\u212a", "\u017f", "\xe2\x84", "\xaa", "\xc5", "\xbf", "é", "\"", "'", " ", "\t", "\n", "\r", "-", ".", "x"}

func TestK8sEndpointNameAnswersAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for range 100000 {
		var b []byte
		for n := r.IntN(12); n > 0; n-- {
			b = append(b, k8sNamePieces[r.IntN(len(k8sNamePieces))]...)
		}
		k8sNameAgrees(t, b)
	}
}

// k8sNameAgrees reports (through t) where k8sEndpointName and
// k8sEndpointRE read line differently.
func k8sNameAgrees(t *testing.T, line []byte) {
	t.Helper()
	name, ok := k8sEndpointName(line)
	got := fmt.Sprintf("%v %q", ok, name)
	want := "false \"\""
	if sm := k8sEndpointRE.FindSubmatch(line); sm != nil {
		want = fmt.Sprintf("true %q", sm[1])
	}
	if got != want {
		t.Fatalf("k8sEndpointName(%q) = %s, the expression %s", line, got, want)
	}
}

func FuzzK8sEndpointName(f *testing.F) {
	for _, s := range []string{"- name: AWS_ENDPOINT_URL", "  NAME:\t'S3_ENDPOINT' \t", "name: \u212aendpoint\u017f", "name:name: endpoint\"\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) { k8sNameAgrees(t, line) })
}

// hostRE is what isHost reads, as it was written before.
var hostRE = regexp.MustCompile(`^(?:https?://)?(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9-]+(?:\.[a-z0-9-]+)+|[a-z0-9-]+:\d+)(?::\d+)?(?:/\S*)?$`)

// hostPieces are what endpoints are made of, and what could trip a reading
// of them: schemes and their pieces, hosts, digit groups of every length,
// dots, ports, paths, blanks (\v is not one of \s), bytes outside ASCII.
var hostPieces = []string{"http://", "https://", "http", "s", "://", "localhost", "local", "minio", "a", "-", "9000", "1", "12", "123", "1234",
	".", ".", ":", ":", "/", "/", "x.y", "amazonaws.com", " ", "\t", "\f", "\v", "\r", "\n", "\xff", "é", "A", "_"}

func TestIsHostAnswersAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for range 200000 {
		var b strings.Builder
		for n := r.IntN(10); n > 0; n-- {
			b.WriteString(hostPieces[r.IntN(len(hostPieces))])
		}
		hostAgrees(t, b.String())
	}
	for _, v := range []string{"1.2.3.4", "1.2.3.4:9000/x", "minio:9000", "minio:9000:1", "localhost", "localhost:1/", "http://a.b", "https://a.b.c/ d",
		"1234.1.1.1", "1.1.1.1234", "a.", "a..b", "a.b.", "http://", "https://localhost", "-.-:1", "a:", "a:1:"} {
		hostAgrees(t, v)
	}
}

// hostAgrees reports (through t) where isHost and hostRE answer differently.
func hostAgrees(t *testing.T, v string) {
	t.Helper()
	if got, want := isHost(v), hostRE.MatchString(v); got != want {
		t.Fatalf("isHost(%q) = %v, the expression %v", v, got, want)
	}
}

func FuzzIsHost(f *testing.F) {
	for _, s := range []string{"http://minio:9000", "https://s3.wasabisys.com/bucket", "10.0.0.1:9000", "localhost", "a.b./x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) { hostAgrees(t, v) })
}

// TestFingerprintsAsTaken: build's remembered fingerprints are the ones
// Fingerprint takes, for values that come back near and far, of every
// kind, many of them sharing a slot, the same value under two kinds.
func TestFingerprintsAsTaken(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	g := fakekey.New(29)
	var values []string
	for range 700 {
		values = append(values, g.Secret(), g.KeyID("AKIA"), g.Secret()[:r.IntN(41)])
	}
	kinds := []rules.Kind{rules.AccessKeyID, rules.SecretAccessKey, rules.SessionToken}
	var fps fingerprints
	for range 200000 {
		v, k := values[r.IntN(1+r.IntN(len(values)))], kinds[r.IntN(len(kinds))]
		rule := "rule-" + string(k)
		if got, want := fps.of(rule, "f.txt", k, v), Fingerprint(rule, "f.txt", v); got != want {
			t.Fatalf("fingerprint of %q (%s): %s, Fingerprint %s", v, k, got, want)
		}
	}
}
