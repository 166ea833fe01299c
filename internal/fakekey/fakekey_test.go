package fakekey_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

func TestKeyIDEncodesAccount(t *testing.T) {
	g := fakekey.New(1)
	for range 100 {
		id := g.KeyID("AKIA")
		acct, ok := scanner.AccountID(id)
		if !ok || len(acct) != 12 {
			t.Fatalf("AccountID(%s) = %q, %v; want a 12-digit account", id, acct, ok)
		}
	}
}

func TestSameSeedSameKeys(t *testing.T) {
	a, b := fakekey.New(9).Values(), fakekey.New(9).Values()
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s differs between two generators with the same seed", k)
		}
	}
}
