package scanner

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// tokenText is text dense with session-token prefixes inside runs: after
// '/', '+', escapes of them, spaces and lines, among real-looking tokens,
// random base64, padding, the bytes that end a token ('.', '-', '_'), and
// runs whose length from a prefix crosses maxTokenRun.
func tokenText(r *rand.Rand, g *fakekey.Gen) []byte {
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	pieces := []string{"IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz", "/", "+", `\/`, `%2F`, `%2b`, `\u002F`, `\\u002f`, `\\\/`, `&#47;`, `&#x2B;`,
		"=", "==", ".", "-", "_", " ", "\n", `"`, "aws_session_token = ", "eyJ", "EXAMPLE"}
	var b strings.Builder
	size := 2000 + r.IntN(60000)
	if r.IntN(4) == 0 {
		size = maxTokenRun + r.IntN(3*maxTokenRun)
	}
	for b.Len() < size {
		switch k := r.IntN(10); {
		case k < 4:
			b.WriteString(pieces[r.IntN(len(pieces))])
		case k < 6:
			for range 1 + r.IntN(120) {
				b.WriteByte(b64[r.IntN(len(b64))])
			}
		case k < 7:
			b.WriteString(g.SessionToken())
		case k < 8: // a prefix repeated
			p := pieces[r.IntN(2)]
			sep := pieces[2+r.IntN(10)]
			for range 1 + r.IntN(400) {
				b.WriteString(sep + p)
			}
		case k < 9: // a long run of random base64 with prefixes in it
			for range r.IntN(2 * maxTokenRun) {
				if r.IntN(200) == 0 {
					b.WriteString("/IQoJb3JpZ2luX2Vj")
				}
				b.WriteByte(b64[r.IntN(len(b64))])
			}
		default:
			b.WriteString(pieces[14+r.IntN(len(pieces)-14)])
		}
	}
	return []byte(b.String())
}

// TestTokenMemoAnswersAsRead: findTokens with tokenMemo finds what reading
// the run from every session-token prefix finds, finding for finding.
func TestTokenMemoAnswersAsRead(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(31, 32))
	g := fakekey.New(33)
	tokens, turned := 0, 0
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	rnd := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	// The edges: a prefix whose run is maxTokenRun long, give or take a
	// few bytes (after another prefix, so that the memo decides it), with
	// the bound inside the text or past its end; values of 22, 23 and 24
	// distinct bytes.
	var edges [][]byte
	for delta := -3; delta <= 3; delta++ {
		for _, tail := range []string{" and the rest of the line, long enough\n", " "} {
			for _, sep := range []string{"/", `\/`, "%2F"} {
				run := rnd(b64, maxTokenRun+delta-16-len(sep)+1)
				edges = append(edges, []byte("token: /IQoJb3JpZ2luX2Vj"+rnd(b64, 100)+sep+"IQoJb3JpZ2luX2Vj"+run[len(sep)-1:]+tail))
			}
		}
	}
	// The text ending within 8 bytes of the bound: tokenRunAt reads the
	// run whole, however long.
	for k := 0; k <= 9; k++ {
		run := rnd(b64, maxTokenRun+k-16)
		edges = append(edges, []byte("token: /IQoJb3JpZ2luX2Vj"+rnd(b64, 100)+"/IQoJb3JpZ2luX2Vj"+run+strings.Repeat(" ", max(0, 8-k))))
	}
	// An escape cut by the bound the memo reads a run up to (from the
	// first prefix, maxTokenRun+16 on), with a second prefix just before
	// it whose token goes on past the escape.
	for k := 1; k <= 8; k++ {
		const head = "token: /"
		b0 := len(head)
		bound := b0 + maxTokenRun + 16
		second := bound - k - 40 // where the second prefix's I stands
		text := head + "IQoJb3JpZ2luX2Vj" + rnd(b64, second-1-(b0+16)) + "/IQoJb3JpZ2luX2Vj" + rnd(b64, 24) + `\u002F` + rnd(b64, 500) + " end"
		edges = append(edges, []byte(text))
	}
	for _, extra := range []string{"ABCDEFG", "ABCDEFGH", "ABCDEFGHK"} {
		alphabet := "IQoJb3pZ2luXVj+" + extra // 15 distinct and the extra
		for range 4 {
			edges = append(edges, []byte("x /IQoJb3JpZ2luX2Vj"+rnd(alphabet, 200+r.IntN(2000))+"+IQoJb3JpZ2luX2Vj"+rnd(alphabet, 3000)+" y"))
		}
	}
	for n := range 80 + len(edges) {
		var d []byte
		if n < len(edges) {
			d = edges[n]
		} else {
			d = tokenText(r, g)
		}
		memo, read := newMatch(s, "t.txt", d), newMatch(s, "t.txt", d)
		read.tokenMemoOff = true
		memo.run()
		read.run()
		if !reflect.DeepEqual(memo.out, read.out) {
			t.Fatalf("with tokenMemo: %d findings, reading every run: %d\n%v\n%v", len(memo.out), len(read.out), memo.out, read.out)
		}
		for _, f := range read.out {
			if f.Kind == "session_token" {
				tokens++
			}
		}
		// How many prefixes the memo turned down.
		var tm tokenMemo
		for _, at := range memo.tokens {
			if !tm.mayAdd(d, at) {
				turned++
			}
		}
	}
	if tokens < 50 || turned < 5000 {
		t.Fatalf("%d session tokens found, %d prefixes turned down by the memo: the test compares too little", tokens, turned)
	}
	t.Logf("%d session tokens, %d prefixes turned down by the memo", tokens, turned)
}
