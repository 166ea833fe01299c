package scanner_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBudgetBenignEncodedFiles: the files that hold what the decoders
// read, as real tools write them, are checked whole under the commands'
// check budget, with the findings of no budget: base64 assets (a font
// and an image as base64(1) wraps them, and the same on one line in a
// JavaScript bundle), a data URI image in a stylesheet, a gzip'ed
// fixture in base64 (gzip(1), then base64(1)), a credentials file of 100
// profiles, and hex of a binary as xxd -p writes it. Each holds a key
// pair besides (fakekey), which must be found. The decoders' speed
// (issue 16) must not come from cutting such files: the texts built
// against them are cut instead (TestBudgetChargesAttacks).
func TestBudgetBenignEncodedFiles(t *testing.T) {
	g := fakekey.New(71)
	r := rand.New(rand.NewPCG(71, 72))
	plain := newScanner(t, scanner.Options{})
	budget := newScanner(t, scanner.Options{CheckBudget: 1})
	binary := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	font := tool(t, binary(2<<20), "base64")             // wrapped at 76
	image := tool(t, binary(1<<20), "base64", "-w", "0") // one line
	icon := tool(t, binary(40<<10), "base64", "-w", "0") // a data URI's
	var fixture bytes.Buffer
	for i := range 2000 {
		fmt.Fprintf(&fixture, "{\"id\": %d, \"name\": \"user%d\", \"region\": \"us-east-1\", \"bucket\": \"logs-%d\"}\n", i, i, i%7)
	}
	pair, values := keyPair(g)
	fixture.WriteString(pair)
	gzipped := tool(t, tool(t, fixture.Bytes(), "gzip", "-c", "-9"), "base64")
	var profiles strings.Builder
	for i := range 100 {
		fmt.Fprintf(&profiles, "[profile%d]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = us-west-2\n\n", i, g.KeyID("AKIA"), g.Secret())
	}
	dump := tool(t, binary(512<<10), "xxd", "-p")
	for _, c := range []struct {
		name, text string
		keys       int // findings at least: the pairs the file holds
	}{
		{"font.css", "@font-face { src: url(data:font/woff2;base64,\n" + string(font) + ") }\n", 2},
		{"bundle.js", "export const logo = \"" + strings.TrimSpace(string(image)) + "\";\n", 2},
		{"style.css", ".icon { background: url(\"data:image/png;base64," + strings.TrimSpace(string(icon)) + "\") }\n", 2},
		{"fixture.yaml", "fixture:\n  encoding: gzip+base64\n  data: |\n" + indent(string(gzipped), "    "), 2},
		{"credentials", profiles.String(), 200},
		{"firmware.hex", string(dump), 2},
	} {
		text := c.text
		if c.name != "fixture.yaml" && c.name != "credentials" {
			p, _ := keyPair(g)
			text += p
		}
		data := []byte(text)
		// Far from the allowance: the work such a file costs stays under
		// half of it, however the decoders' charges are set.
		if spent, allow, _, _ := scanner.CheckWork(plain, c.name, data, 10000, 0); spent*2 > allow {
			t.Errorf("%s: work %d, more than half its allowance %d", c.name, spent, allow)
		} else {
			t.Logf("%s: %d bytes, work %d of %d", c.name, len(data), spent, allow)
		}
		want, _ := plain.ScanAllCounted(c.name, data, 10000)
		got, counts := budget.ScanAllCounted(c.name, data, 10000)
		if counts.Unchecked != 0 || counts.Undecoded != 0 || !cmp.Equal(got, want) {
			t.Errorf("%s: %d unchecked, %d undecoded, %d findings; want all checked and the %d of no budget", c.name, counts.Unchecked, counts.Undecoded, len(got), len(want))
		}
		if len(want) < c.keys {
			t.Errorf("%s: %d findings, want %d", c.name, len(want), c.keys)
		}
	}
	if n := found(mustScan(t, budget, "fixture.yaml", gzipped), values); n != 2 {
		t.Errorf("the gzip'ed fixture's key pair: %d of its values found, want 2", n)
	}
}

func indent(s, pre string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pre + l
		}
	}
	return strings.Join(lines, "")
}

func mustScan(t *testing.T, sc *scanner.Scanner, name string, data []byte) scanner.Findings {
	t.Helper()
	fs, _ := sc.ScanAllCounted(name, data, 10000)
	return fs
}
