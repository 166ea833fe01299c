package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestPlusBoundary is qa16 HIGH-17: a '+' next to a key ID is a blank in
// form-encoded text (a query string in an access log, a POST body, a curl
// -d) and a delimiter in AsciiDoc's `+…+`, not a byte of a base64 run; the
// key ID there is found. Glued into a base64 run it still is not.
func TestPlusBoundary(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 5; seed++ {
		id := fakekey.New(seed).KeyID("AKIA")
		for _, text := range []string{
			"10.0.0.1 - - \"GET /search?q=deploy+key+" + id + "+rotate HTTP/1.1\" 200\n",
			"note=new+deploy+key+" + id + "+today&x=1\n",
			"curl -d \"text=key+" + id + "+is+live\" https://hooks.example.com/x\n",
			"POST body: a=1&k=" + id + "+old\n",
			"Use the key `+" + id + "+` for now.\n",
		} {
			if fs := sc.Scan("access.log", []byte(text)); len(fs) != 1 || fs[0].Secret != id {
				t.Errorf("seed %d: %q: %v, want the key ID", seed, text, summarize(fs))
			}
		}
		for _, text := range []string{
			"blob: \"MIIBCgKCAQEAx9/kzP+" + id + "+Qm1vZ3RhZ2x/ZQ==\"\n",
			"data=Zm9v/YmFy+" + id + "+Yg\n",
		} {
			if fs := sc.Scan("blob.txt", []byte(text)); len(fs) != 0 {
				t.Errorf("seed %d: %q: %v, want nothing (a base64 run)", seed, text, summarize(fs))
			}
		}
	}
}
