package scanner

import (
	"reflect"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestPooledMatchIsZero holds what newMatch counts on when it sets three
// fields of a pooled match rather than writing a whole one: a match given
// back after a scan with findings, keywords, decoded runs and rewrites is
// zero when it is taken again.
func TestPooledMatchIsZero(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(22)
	text := "aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n" +
		"blob = \"" + "YXdzX3NlY3JldF9hY2Nlc3Nfa2V5ID0g" + "\"\nk = \"AK\" + \"IA\"\n"
	for range 3 {
		s.Scan("config.py", []byte(text))
		m := s.pooledMatch()
		if !reflect.ValueOf(m).Elem().IsZero() {
			t.Fatalf("a pooled match is not zero: %+v", *m)
		}
		s.matches.Put(m)
	}
}
