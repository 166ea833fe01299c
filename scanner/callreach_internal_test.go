package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkCallReach holds credentialCall's first look to what it stands for:
// where no '(' stands within callReach bytes of the anchor's end, neither
// stands among the bytes callOpeners reads from the end the identifier and
// its ::new or ::from_keys have (the same reading as credentialCall's),
// nor a '<' where none stands within reach. Then credentialCall turns the
// anchor down all the same.
func checkCallReach(t *testing.T, d []byte, at, n int) {
	t.Helper()
	_, e := identAround(d, at, at+n)
	i := e
	for _, sfx := range [...]string{"::NEW", "::FROM_KEYS"} {
		if i >= len(d) || d[i] != ':' {
			break
		}
		if hasPrefixFold(d[i:], sfx) {
			i += len(sfx)
			break
		}
	}
	far := d[min(at+n, len(d)):min(at+n+callReach, len(d))]
	paren, angle := callOpeners(d, i)
	if bytes.IndexByte(far, '(') < 0 && paren {
		t.Fatalf("%q, anchor at %d (%d bytes): a '(' past callReach is read (identifier ends at %d, callOpeners from %d)", d, at, n, e, i)
	}
	if bytes.IndexByte(far, '(') < 0 && bytes.IndexByte(far, '<') < 0 && angle {
		t.Fatalf("%q, anchor at %d (%d bytes): a '<' past callReach is read (callOpeners from %d)", d, at, n, i)
	}
}

// callReachText builds text around credential anchors: identifier
// characters in long runs, the words identAround takes after a name,
// ::new and ::from_keys, and parentheses and angle brackets at any
// distance.
func callReachText(r *rand.Rand) []byte {
	pieces := []string{"Credential", "Credentials", "Amazon", "boto3", "abcdefghijklmnopqrstuvwxyz_0123456789.-", "x",
		" access", " key", " token", " id", " Key", " accessaccessaccess", "::new", "::FROM_KEYS", "::", ":",
		"(", "<", " ", "\n", "\"", "AwsBasicCredentials.create", "ABCDEFGHIJKLMNOP"}
	var b []byte
	for range r.IntN(30) {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return b
}

// TestCallReach: on generated text, at every place and for every anchor's
// length, no call opener that credentialCall reads lies past callReach;
// and credentialCall's keywords are the same with a '(' 200 bytes after
// the text (which lets the anchors near its end past the first look, to
// be turned down by callOpeners, or not, as before).
func TestCallReach(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 5))
	for range 3000 {
		d := callReachText(r)
		for at := range d {
			for _, n := range []int{len("Credential"), len("Amazon"), len("boto3")} {
				if at+n <= len(d) {
					checkCallReach(t, d, at, n)
				}
			}
		}
	}
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3000 {
		d := callReachText(r)
		slow := append(append(slices.Clip(d), bytes.Repeat([]byte(" "), 200)...), '(')
		a, b := newMatch(s, "t.java", d), newMatch(s, "t.java", slow)
		for at := range d {
			for _, w := range []string{"Credential", "Amazon", "boto3"} {
				if bytes.HasPrefix(d[at:], []byte(w)) {
					a.credentialCall(at, len(w))
					b.credentialCall(at, len(w))
				}
			}
		}
		if !slices.Equal(a.keywords, b.keywords) {
			t.Fatalf("%q: keywords %+v, read in full %+v", d, a.keywords, b.keywords)
		}
		a.release()
		b.release()
	}
}

// FuzzCallReach: the first look never turns down an anchor whose call
// opener credentialCall would read.
func FuzzCallReach(f *testing.F) {
	f.Add([]byte("new AWSCredentials creds(\"AKIA\", \"secret\")"), uint8(4))
	f.Add([]byte("Credentials::from_keys(a, b)"), uint8(0))
	f.Fuzz(func(t *testing.T, d []byte, at uint8) {
		if len(d) > 400 {
			d = d[:400]
		}
		for _, n := range []int{len("Credential"), len("Amazon"), len("boto3")} {
			if int(at)+n <= len(d) {
				checkCallReach(t, d, int(at), n)
			}
		}
	})
}
