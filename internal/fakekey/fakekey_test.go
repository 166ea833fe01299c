package fakekey_test

import (
	"fmt"
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

func TestKeyIDOfEncodesTheAccount(t *testing.T) {
	g := fakekey.New(2)
	for _, want := range []uint64{0, 42, 123456789012, 999999999999} {
		for range 20 {
			id := g.KeyIDOf("ASIA", want)
			acct, ok := scanner.AccountID(id)
			if !ok || acct != fmt.Sprintf("%012d", want) {
				t.Fatalf("AccountID(%s) = %q, %v; want %012d", id, acct, ok, want)
			}
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
