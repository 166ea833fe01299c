package scanner

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// signText returns text dense with the lines foreign reads: secrets, signs
// that say nothing (GOOG, endpoint without a value), signs that decide (a
// MinIO endpoint, a provider, a GOOG access ID as the key ID), Kubernetes
// name/value pairs, blank lines, section headers, indented blocks, and
// lines longer than longSignLine.
func signText(r *rand.Rand, g *fakekey.Gen) []byte {
	quiet := []func() string{
		func() string { return "aws_secret_access_key=" + g.Secret() + " GOOG endpoint" },
		func() string { return "aws_secret_access_key=" + g.Secret() },
		func() string { return "  secret: " + g.Secret() + " # endpoint" },
		func() string { return "" },
		func() string { return "    nested: GOOG" },
		func() string { return "endpoint: $ENDPOINT" },
	}
	lines := []func() string{
		func() string { return "endpoint = http://minio:9000" },
		func() string { return "provider = Wasabi" },
		func() string { return "aws_access_key_id = GOOG1E" + strings.Repeat("ABCDEFGH23", 4) },
		func() string { return "gcs_id = GOOG1E" + strings.Repeat("ABCDEFGH23", 4) },
		func() string { return "- name: AWS_ENDPOINT_URL" },
		func() string { return "  value: http://localhost:4566" },
		// a name whose value comes two lines further down
		func() string {
			return "- name: AWS_ENDPOINT_URL\n  description: the endpoint of the tests' S3, a local stack\n  value: http://localhost:4566"
		},
		func() string { return "[remote]" },
		func() string { return "x" + strings.Repeat(" GOOG endpoint pad", 130) },
		// a long line whose sign stands past 2 KiB of signs that say nothing
		func() string { return "x" + strings.Repeat(" GOOG endpoint pad", 130) + " endpoint=http://minio:9000" },
		func() string { return "s3 = storage.googleapis.com" },
	}
	var b strings.Builder
	rare := 4 + r.IntN(60) // one line in rare decides
	for n := 20 + r.IntN(200); n > 0; n-- {
		if r.IntN(rare) == 0 {
			b.WriteString(lines[r.IntN(len(lines))]())
		} else {
			b.WriteString(quiet[r.IntN(len(quiet))]())
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// TestSignCleanAnswersAsFresh holds foreignSignIn, which passes over the
// triggers earlier questions found on lines that say nothing, to a fresh
// match's answer for every question, asked in the order secrets ask
// (blocks sliding down the text) and at random.
func TestSignCleanAnswersAsFresh(t *testing.T) {
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(13, 14))
	g := fakekey.New(15)
	asked := 0
	for range 100 {
		d := signText(r, g)
		m := newMatch(sc, "a.txt", d)
		var starts []int
		for i := 0; i < len(d); i++ {
			if i == 0 || d[i-1] == '\n' {
				starts = append(starts, i)
			}
		}
		reach := 1 + r.IntN(30) // lines each way
		for k := range 2 * len(starts) {
			var lo, hi int
			if k < len(starts) { // sliding blocks, as the secrets of a file ask
				lo = starts[max(0, k-r.IntN(reach))]
				if r.IntN(2) == 0 {
					hi = starts[min(len(starts)-1, k+r.IntN(reach))]
				} else { // anywhere, inside a trigger now and then
					hi = min(len(d), starts[k]+r.IntN(60*reach))
				}
			} else {
				lo = r.IntN(len(d))
				hi = lo + r.IntN(len(d)-lo+1)
			}
			byName := r.IntN(2) == 0
			fresh := newMatch(sc, "a.txt", d)
			want := fresh.foreignSignIn(lo, hi, byName)
			fresh.release()
			if got := m.foreignSignIn(lo, hi, byName); got != want {
				t.Fatalf("foreignSignIn(%d, %d, %v) = %q, fresh %q\n%s", lo, hi, byName, got, want, d)
			}
			asked++
		}
		m.release()
	}
	t.Logf("%d questions", asked)

	// A question that ends inside a trigger does not read its line: a
	// later one that holds the line must.
	d := []byte(strings.Repeat("aws_secret_access_key=x GOOG endpoint\n", 5) + "endpoint = http://minio:9000\n" +
		strings.Repeat("aws_secret_access_key=x GOOG endpoint\n", 5))
	m := newMatch(sc, "a.txt", d)
	defer m.release()
	at := strings.Index(string(d), "endpoint =")
	for _, hi := range []int{at + 3, at + 20, len(d)} {
		fresh := newMatch(sc, "a.txt", d)
		want := fresh.foreignSignIn(0, hi, true)
		fresh.release()
		if got := m.foreignSignIn(0, hi, true); got != want {
			t.Fatalf("foreignSignIn(0, %d) = %q after the questions before, fresh %q", hi, got, want)
		}
	}
}
