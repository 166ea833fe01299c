package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// TestScanAllLimited: past the limit, the first findings are the ones an
// unlimited scan reports first, the count of the others is exact for
// findings that are all alike, and no limit is ScanAll.
func TestScanAllLimited(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(31)
	var ids, pairs, oneLine strings.Builder
	for i := range 3000 {
		ids.WriteString(g.KeyID("AKIA") + "\n")
		fmt.Fprintf(&pairs, "[p%d]\naws_access_key_id = %s\naws_secret_access_key = %s\n", i, g.KeyID("AKIA"), g.Secret())
		fmt.Fprintf(&oneLine, `{"AccessKeyId":"%s"},`, g.KeyID("ASIA"))
	}
	for _, c := range []struct {
		name string
		data string
	}{{"key IDs", ids.String()}, {"key pairs", pairs.String()}, {"one line", oneLine.String()}} {
		all := sc.ScanAll("dense.txt", []byte(c.data))
		if len(all) < 3000 {
			t.Fatalf("%s: %d findings, want 3000 or more", c.name, len(all))
		}
		for _, limit := range []int{1, 1000, len(all)} {
			got, unlisted := sc.ScanAllLimited("dense.txt", []byte(c.data), limit)
			if diff := cmp.Diff(all[:limit], got); diff != "" {
				t.Errorf("%s, limit %d: not the first findings (-want +got):\n%s", c.name, limit, diff)
			}
			if unlisted < len(all)-limit || limit == len(all) && unlisted != 0 {
				t.Errorf("%s, limit %d: %d unlisted, want at least %d", c.name, limit, unlisted, len(all)-limit)
			}
		}
		if got, unlisted := sc.ScanAllLimited("dense.txt", []byte(c.data), 0); !cmp.Equal(got, all) || unlisted != 0 {
			t.Errorf("%s, no limit: %d findings, %d unlisted; want ScanAll's %d", c.name, len(got), unlisted, len(all))
		}
	}
	// In a binary file's text runs, as in text.
	bin := []byte("\x00\x01" + ids.String())
	got, unlisted := sc.ScanBinaryAllLimited("dense.bin", bin, 10)
	if len(got) != 10 || unlisted != 2990 {
		t.Errorf("binary: %d findings, %d unlisted; want 10 and 2990", len(got), unlisted)
	}
}

// TestPastLimitNotChecked: past the limit a candidate is counted without
// its value tests or its context check (match.past), so that a file made
// of keys costs no more past the limit than their shapes. The
// secrets after the tenth key ID each stand beside the sign of another
// service, which their context check turns down: no scan lists them, and
// the limited one counts every one of them with the key IDs past it.
func TestPastLimitNotChecked(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(37)
	var b strings.Builder
	for range 20 {
		fmt.Fprintf(&b, "aws_access_key_id = %s\n", g.KeyID("AKIA"))
	}
	b.WriteString(strings.Repeat("\n# notes\n", 50))
	for range 30 {
		fmt.Fprintf(&b, "secret_key = %s\nendpoint = https://storage.googleapis.com\n\n", g.Secret())
	}
	data := []byte(b.String())
	all := sc.ScanAll("dense.txt", data)
	for _, f := range all {
		if f.Kind != rules.AccessKeyID {
			t.Fatalf("unlimited scan reports %s at line %d; want only the 20 key IDs (the secrets are another service's)", f.Kind, f.Line)
		}
	}
	if len(all) != 20 {
		t.Fatalf("unlimited scan: %d findings, want the 20 key IDs", len(all))
	}
	got, unlisted := sc.ScanAllLimited("dense.txt", data, 10)
	if diff := cmp.Diff(all[:10], got); diff != "" {
		t.Errorf("limit 10: not the first findings (-want +got):\n%s", diff)
	}
	if unlisted != 10+30 {
		t.Errorf("limit 10: %d unlisted, want 40 (10 key IDs and 30 secrets counted unchecked)", unlisted)
	}
}
