package scanner

import (
	"bytes"
	"regexp"
	"strings"
)

// ctxLevel is how strongly the text around a value says it is a secret.
type ctxLevel int

const (
	ctxNone   ctxLevel = iota
	ctxWeak            // a weak keyword ("secret") near AWS words
	ctxPaired          // a key ID nearby
	ctxStrong          // assigned to a secret-key keyword
)

// keyword is a secret or session-token keyword found in the text.
type keyword struct {
	start, end int // the whole identifier holding it
	strong     bool
	token      bool // a session-token keyword
	name       string
}

// normalizeKeyword folds case and drops the separators people put between
// words, so that aws_secret_access_key, AWS-SECRET-ACCESS-KEY,
// awsSecretAccessKey and cloud.aws.credentials.secret-key compare alike.
func normalizeKeyword(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isUpper(c):
			b.WriteByte(c + 'a' - 'A')
		case isLower(c) || isDigit(c):
			b.WriteByte(c)
		}
	}
	return b.String()
}

var strongSecretWords = []string{"secretaccesskey", "secretkey", "awssecret", "secretaccess", "secretkeyid", "awssk"}

// identAround returns the identifier (config key, variable, header) that
// holds position i: a run of identifier characters, allowing single spaces
// between words as in CSV headers ("Secret access key").
func identAround(data []byte, i, j int) (int, int) {
	s, e := i, j
	for s > 0 && isIdentChar(data[s-1]) && i-s < 64 {
		s--
	}
	for e < len(data) && isIdentChar(data[e]) && e-j < 64 {
		e++
	}
	// "Secret access key" and "aws secret key": take up to two following words.
	for w := 0; w < 2 && e+1 < len(data) && data[e] == ' ' && isLower(data[e+1]|0x20); w++ {
		k := e + 1
		for k < len(data) && isIdentChar(data[k]) && k-e < 16 {
			k++
		}
		word := strings.ToLower(string(data[e+1 : k]))
		if word != "access" && word != "key" && word != "token" && word != "id" {
			break
		}
		e = k
	}
	return s, e
}

func (m *match) secretKeyword(at int) {
	if at == 0 || (m.data[at-1]|0x20) != 's' {
		return
	}
	s, e := identAround(m.data, at-1, at+5)
	name := normalizeKeyword(string(m.data[s:e]))
	kw := keyword{start: s, end: e, name: name}
	for _, w := range strongSecretWords {
		if strings.Contains(name, w) {
			kw.strong = true
			break
		}
	}
	if !kw.strong {
		for _, w := range m.s.keywords {
			if strings.Contains(name, w) {
				kw.strong = true
				break
			}
		}
	}
	m.addKeyword(kw)
}

func (m *match) tokenKeyword(at int) {
	if at == 0 || (m.data[at-1]|0x20) != 't' {
		return
	}
	s, e := identAround(m.data, at-1, at+4)
	name := normalizeKeyword(string(m.data[s:e]))
	if strings.Contains(name, "sessiontoken") || strings.Contains(name, "securitytoken") {
		m.addKeyword(keyword{start: s, end: e, strong: true, token: true, name: name})
	}
}

func (m *match) addKeyword(kw keyword) {
	if n := len(m.keywords); n > 0 && m.keywords[n-1].start == kw.start {
		return // the same identifier holds two anchors (secretSessionToken)
	}
	m.keywords = append(m.keywords, kw)
}

// userKeywords finds the configured extra keywords, which the prefilter does
// not know about. Only runs when the configuration has some.
func (m *match) userKeywords() {
	if m.s.userRE == nil {
		return
	}
	for _, loc := range m.s.userRE.FindAllIndex(m.data, -1) {
		s, e := identAround(m.data, loc[0], loc[1])
		m.keywords = append(m.keywords, keyword{start: s, end: e, strong: true, name: normalizeKeyword(string(m.data[s:e]))})
	}
}

// keywordRE matches any of the normalised keywords in any naming style:
// case-insensitive, with an optional separator between letters.
func keywordRE(kws []string) *regexp.Regexp {
	if len(kws) == 0 {
		return nil
	}
	alts := make([]string, len(kws))
	for i, kw := range kws {
		var b strings.Builder
		for j := 0; j < len(kw); j++ {
			if j > 0 {
				b.WriteString(`[-_. ]?`)
			}
			b.WriteString(regexp.QuoteMeta(kw[j : j+1]))
		}
		alts[i] = b.String()
	}
	return regexp.MustCompile(`(?i)` + strings.Join(alts, "|"))
}

// valueWords are the words that may stand between a keyword and its value
// when they are not on the same line: YAML and JSON name/value pairs,
// plist <key>/<string>, CloudFormation Name/Value.
var valueWords = map[string]bool{
	"value": true, "val": true, "string": true, "key": true, "data": true, "default": true,
	"valuefrom": false, "name": true, "secret": true, "type": true, "str": true,
}

// assigns reports whether the text between a keyword and a value (in that
// order, or value first when reversed) reads as the one assigning the other.
func assigns(between []byte, reversed bool) bool {
	nl := bytes.Count(between, []byte{'\n'})
	if nl == 0 {
		if reversed {
			return len(between) <= 40 && onlyValueWords(between)
		}
		return len(between) <= 100
	}
	if nl > 2 || len(between) > 240 {
		return false
	}
	return onlyValueWords(between)
}

func onlyValueWords(b []byte) bool {
	for i := 0; i < len(b); {
		if !isLower(b[i] | 0x20) {
			i++
			continue
		}
		j := i
		for j < len(b) && isWord(b[j]) {
			j++
		}
		if !valueWords[strings.ToLower(string(b[i:j]))] {
			return false
		}
		i = j
	}
	return true
}

var awsWords = []string{"AWS", "AMAZON", "S3", "IAM", "AKIA", "ASIA", "BOTO"}

// nearAWS reports whether AWS words appear within a few lines of i.
func (m *match) nearAWS(i int) bool {
	lo := linesBack(m.data, i, 5, 800)
	hi := linesForward(m.data, i, 5, 800)
	win := string(m.data[lo:hi])
	for _, w := range awsWords {
		if containsFold(win, w) {
			return true
		}
	}
	return false
}
