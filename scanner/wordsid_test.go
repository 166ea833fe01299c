package scanner_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// TestWordIDs (qa33 M4): region and fund codes written as enum constants,
// upper-case words that start like a key ID, are not reported in text, in
// a binary's strings, unless their line names an access key ID, or the
// structure around them does (Check: a credentials constructor's
// argument); fakekey IDs beside them are.
func TestWordIDs(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3434)
	akia, asia := g.KeyID("AKIA"), g.KeyID("ASIA")
	wordIDs := []string{"AKIABANKHOLDINGSLTD2", "ASIAPACIFICTOKYOJPN2", "ASIANMARKETSINDEXFND", "ASIAEASTREGIONSTORE2"}
	src := fmt.Sprintf(`package regions

// Region and fund codes as a billing export writes them.
const (
	R3 = %q
	R4 = %q
	Deploy = %q
)

var Names = []string{%q, %q, %q}
`, wordIDs[0], wordIDs[1], akia, wordIDs[2], wordIDs[3], asia)
	ids := func(fs scanner.Findings) []string {
		var out []string
		for _, f := range fs {
			if f.Kind == rules.AccessKeyID {
				out = append(out, f.Secret)
			}
		}
		slices.Sort(out)
		return out
	}
	want := []string{akia, asia}
	slices.Sort(want)
	if got := ids(sc.ScanAll("regions.go", []byte(src))); !slices.Equal(got, want) {
		t.Errorf("text: key IDs %v, want %v", got, want)
	}
	bin := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00"), "\x00\x00\x00"+wordIDs[0]+wordIDs[1]+"maxheaders"+wordIDs[2]+"\x00region"+wordIDs[3]+"zone\x00"+akia+"\x00\x00"...)
	if got := ids(sc.ScanBinaryAll("app", bin)); !slices.Equal(got, []string{akia}) {
		t.Errorf("binary: key IDs %v, want %v", got, []string{akia})
	}
	for _, id := range wordIDs {
		if ok, why := sc.Check(rules.AccessKeyID, id); !ok {
			t.Errorf("Check(%s): %s; a value the structure calls a key ID is one, as on a named line", id, why)
		}
		named := "[default]\naws_access_key_id = " + id + "\n"
		if got := ids(sc.ScanAll("credentials", []byte(named))); !slices.Equal(got, []string{id}) {
			t.Errorf("named as aws_access_key_id: key IDs %v, want %s", got, id)
		}
	}
}

// TestWordSecrets: 40 characters of words beside a key ID, or named as a
// secret access key, are no secret; a fakekey secret there is.
func TestWordSecrets(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3437)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, c := range []struct {
		text string
		want []string
	}{
		{id + ":PacificSoutheastRegionBankHoldingsStore2\n", []string{id}},
		{"aws_secret_access_key = PacificSoutheastRegionBankHoldingsStore2\n", nil},
		{"[default]\naws_access_key_id = " + id + "\naws_secret_access_key = AsiaPacificBankHoldingsStoreRegionIndex2\n", []string{id}},
		{id + ":" + secret + "\n", []string{id, secret}},
	} {
		var got []string
		for _, f := range sc.ScanAll("creds.txt", []byte(c.text)) {
			got = append(got, f.Secret)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: found %q, want %q", c.text, got, c.want)
		}
	}
}
