package scanner_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// attackTexts are texts built the way an attacker who read the matcher
// would build them, to cost the most per byte: each piece of work that is
// not a constant per input byte (decoding base64 and hex and scanning what
// they hold, again inside, reading session tokens, highlighted pages,
// escapes, near misses on one long line) made as dense as it can be. Each
// is a unit, tiled to the size asked (BenchmarkAttacks scans them at 16
// MiB as the commands do: the check budget must bound every one).
func attackTexts() []struct {
	name string
	unit func() []byte
} {
	g := fakekey.New(61)
	r := rand.New(rand.NewPCG(61, 62))
	b64 := base64.StdEncoding.EncodeToString
	runOf := func(n int) string {
		const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		var s strings.Builder
		for range n {
			s.WriteByte(alpha[r.IntN(len(alpha))])
		}
		return s.String()
	}
	// keywordText is text a decoder hands on: keywords and near misses,
	// secret-shaped values whose context check finds nothing (no AWS
	// word near): each costs its check and is no finding.
	keywordText := func(n int) string {
		var s strings.Builder
		for s.Len() < n {
			s.WriteString("secret_key = " + g.Secret() + "\nsecret token password ")
		}
		return s.String()
	}
	// keyText is text made of key pairs: a finding every 80 bytes.
	keyText := func(n int) string {
		var s strings.Builder
		for s.Len() < n {
			s.WriteString("aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
		}
		return s.String()
	}
	wrap := func(s string, w int) string {
		var out strings.Builder
		for i := 0; i < len(s); i += w {
			out.WriteString(s[i:min(len(s), i+w)] + "\n")
		}
		return out.String()
	}
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	return []struct {
		name string
		unit func() []byte
	}{
		// The 16 MiB search's find (budget.md): an ARN, then a session
		// token's prefix and a base64 run, every 641 bytes.
		{"token-runs", func() []byte {
			return []byte("s3arn:aws:iam::123456789012:user/IQoJb3JpZ2luX2Vj" + runOf(600))
		}},
		// Session tokens at their longest that read as tokens (entropy).
		{"token-runs-long", func() []byte {
			return []byte("aws_session_token=IQoJb3JpZ2luX2Vj" + runOf(16000) + "\n")
		}},
		// Short token runs, one every 120 bytes, after a keyword.
		{"token-keyword-runs", func() []byte {
			return []byte("aws_session_token = " + runOf(100) + "\n")
		}},
		// The prefix after a byte that starts a run, every 17 bytes.
		{"token-prefix-slash", func() []byte { return []byte("/IQoJb3JpZ2luX2Vj") }},
		// Base64 of near misses, three levels deep, wrapped at 76, each
		// level opening with AKIA (so that its base64 holds an anchor).
		{"base64-nested", func() []byte {
			t := keywordText(4000)
			for range 3 {
				t = wrap(b64([]byte("AKIA"+t)), 76)
			}
			return []byte(t)
		}},
		// Base64 of the hex of near misses.
		{"base64-of-hex", func() []byte {
			return []byte(wrap(b64([]byte("AKIA"+hex.EncodeToString([]byte(keywordText(4000))))), 76))
		}},
		// Hex of keyword-dense text on one line.
		{"hex-runs", func() []byte { return []byte(hex.EncodeToString([]byte(keywordText(4000))) + "\n") }},
		// Hex of key pairs: the findings' cost, bounded by
		// max_findings_per_file (not by the budget: see refund).
		{"hex-keys", func() []byte { return []byte(hex.EncodeToString([]byte(keyText(4000))) + "\n") }},
		// Key pairs in base64, a run a line.
		{"base64-keys", func() []byte { return []byte(b64([]byte(keyText(4000))) + "\n") }},
		// Base64 of base64 of ... near misses, five levels, each opening
		// with AKIA (so that its base64 holds an anchor).
		{"base64-deep", func() []byte {
			t := keywordText(2000)
			for range 5 {
				t = b64([]byte("AKIA" + t))
			}
			return []byte(t + "\n")
		}},
		// Many small base64 runs, each a sub-scan of its own.
		{"base64-small", func() []byte {
			return []byte(b64([]byte("aws_secret_access_key=xx")) + " ")
		}},
		// The smallest run that is decoded (24 characters) holding an anchor.
		{"base64-smallest", func() []byte { return []byte("YXdzX" + runOf(19) + " ") }},
		// Small hex runs, each decoded.
		{"hex-small", func() []byte { return []byte(hex.EncodeToString([]byte("AKIAsecret")) + " ") }},
		// Spaced hex (spacedhex.go): pairs after a blank that pass the
		// pair turn-downs at every place, on one line and on short lines,
		// and the spaced hex of AKIA repeated, where every place is a key's.
		{"spaced-pairs", func() []byte { return []byte(" 41 4b") }},
		{"spaced-pair-lines", func() []byte { return []byte(" 41 4b\n") }},
		{"spaced-keys", func() []byte { return []byte("41 4b 49 41 ") }},
		// Base64 of text full of escapes.
		{"base64-escapes", func() []byte {
			return []byte(wrap(b64([]byte(strings.Repeat(`secret = "\u0041\u004b\u0049\u0041`+strings.Repeat(`\x41`, 20)+"\"\n", 40))), 76))
		}},
		// Base64 runs broken by JSON's escaped slash.
		{"base64-escaped-slash", func() []byte {
			return []byte(strings.ReplaceAll(b64([]byte(keywordText(600))), "/", `\/`) + "\n")
		}},
		// Base64 of UTF-16LE keyword text (powershell -EncodedCommand).
		{"base64-utf16", func() []byte {
			t := "AKIA " + keywordText(2000)
			u := make([]byte, 2*len(t))
			for i := range len(t) {
				u[2*i] = t[i]
			}
			return []byte(b64(u) + "\n")
		}},
		// gzip of keyword-dense text in base64, a stream a line.
		{"base64-gzip", func() []byte { return []byte(b64(gz(keywordText(20000))) + "\n") }},
		// Small gzip streams of keywords in base64.
		{"base64-gzip-small", func() []byte { return []byte(b64(gz(keywordText(200))) + "\n") }},
		// A gzip bomb of text in base64: inflates to the floor.
		{"base64-gzip-bomb", func() []byte { return []byte(b64(gz(strings.Repeat("secret ", 1<<18))) + "\n") }},
		// A highlighted HTML page of keywords, each in its own span.
		{"html-keywords", func() []byte {
			return []byte(`<span class="n">aws_secret_access_key</span><span class="o">=</span><span class="s">"` + runOf(20) + `"</span>` + "\n")
		}},
		// Near misses on one long line.
		{"near-misses-one-line", func() []byte {
			return []byte("secret_key = " + g.Secret() + " ")
		}},
		// Near misses beside AWS words and signs of another service.
		{"near-misses-signs", func() []byte {
			return []byte("aws secret_key = " + g.Secret() + " storage.googleapis.com\n")
		}},
		// The same with the hosts go fix's list brought to the matcher
		// (fix27), on lines and on one line.
		{"near-misses-more-signs", func() []byte {
			return []byte("aws secret_key = " + g.Secret() + " fly.storage.tigris.dev sos-ch-gva-2.exo.io play.min.io\n")
		}},
		{"near-misses-more-signs-one-line", func() []byte {
			return []byte("aws secret_key = " + g.Secret() + " fsn1.your-objectstorage.com ")
		}},
		// Base64's letter A, which the prefilter's pairs meet often.
		{"base64-as", func() []byte { return []byte(strings.Repeat("A", 4096) + "\n") }},
		// Runs of the other letters some anchors' pairs double (ACCA,
		// UVV0Sl, ZUU1, UEsDBBQ, BAEsASQBBA).
		{"letter-runs", func() []byte {
			return []byte(strings.Repeat("C", 4096) + "\n" + strings.Repeat("V", 4096) + "\n" + strings.Repeat("U", 4096) + "\n" + strings.Repeat("B", 4096) + "\n")
		}},
		// Keywords, nothing else.
		{"keywords", func() []byte { return []byte("secret ") }},
		// Keywords as a table's header cells on one line: each keyword's
		// line was read (8 KiB of it) to tell whether it heads a column.
		{"header-cells", func() []byte { return []byte("secret,") }},
		// Key IDs, nothing else.
		{"key-ids", func() []byte { return []byte(g.KeyID("AKIA") + " ") }},
		// Escaped key IDs.
		{"escaped-key-ids", func() []byte {
			return []byte(`"\u0041\u004b\u0049\u0041` + g.KeyID("AKIA")[4:] + `" `)
		}},
		// Concatenated literals after a keyword.
		{"concat", func() []byte {
			return []byte(`secret = "` + runOf(10) + `" + "` + runOf(10) + `" + "` + runOf(20) + `"` + "\n")
		}},
		// Key IDs' heads assigned to a name and interpolated with the
		// rest (interp.go), each site another; and references glued to
		// a secret's characters after keywords, with their assignments.
		{"interp-heads", func() []byte {
			id := g.KeyID("AKIA")
			return []byte("HEAD=" + id[:8] + "\nexport AWS_ACCESS_KEY_ID=\"${HEAD}" + runOf(12) + "\" ${HEAD} $HEAD\n")
		}},
		{"interp-refs", func() []byte {
			return []byte("S=" + runOf(20) + "\nsecret = \"${S}" + runOf(20) + "\" {S} %S% #{S}\n")
		}},
		// Round 34's shapes: quotes glued to references, a workflow's
		// ${{ env.X }} and a reference no = assigns (the YAML and ENV
		// readings of the whole file), format calls of the head's name.
		{"interp-glued", func() []byte {
			id := g.KeyID("AKIA")
			return []byte("HEAD=" + id[:8] + "\nexport K=\"$HEAD\"" + runOf(12) + "'$HEAD'\"$HEAD\"$HEAD'" + runOf(4) + "'\n")
		}},
		{"interp-yaml", func() []byte {
			id := g.KeyID("AKIA")
			return []byte("env:\n  HEAD: " + id[:8] + "\n  K: ${{ env.HEAD }}" + runOf(12) + "\n- name: V\n  value: $(U)" + runOf(12) + "\nENV W " + runOf(8) + "\n")
		}},
		{"interp-format", func() []byte {
			id := g.KeyID("AKIA")
			return []byte("head = \"" + id[:8] + "\"\nk = \"{}{}\".format(head, t) + \"%s%s\" % (head, head) + ''.join([head, '" + runOf(12) + "'])\n")
		}},
		// Key IDs, each another, one a line (an export of IAM's access
		// keys): no two in a row are alike.
		{"key-ids-distinct", func() []byte {
			var b strings.Builder
			for range 4096 {
				b.WriteString(g.KeyID("AKIA") + "\n")
			}
			return []byte(b.String())
		}},
	}
}

// BenchmarkAttacks scans each of attackTexts tiled to 16 MiB as keyscan's
// commands scan a file (max_findings_per_file and the check budget).
func BenchmarkAttacks(b *testing.B) {
	for _, c := range attackTexts() {
		b.Run(c.name, func(b *testing.B) { benchScanCLI(b, tiled(c.unit(), 16<<20)) })
	}
}

// BenchmarkAmplifiers scans, at 16 MiB, the texts that made a cost grow
// faster than the input (review16 ), under the names that read
// them: one line of random base64, where every cut piece read its whole
// run (b64Cut), and "A<!--" repeated in Markdown, where every seed looked
// a KiB ahead for the comment's end (markupPrefixSeeds).
func BenchmarkAmplifiers(b *testing.B) {
	r := rand.New(rand.NewPCG(16, 1))
	g := fakekey.New(16)
	keyText := "aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
	raw := make([]byte, 12<<20)
	for i := range raw {
		raw[i] = byte(r.Uint32())
	}
	for _, c := range []struct {
		name, file string
		data       []byte
	}{
		{"base64-one-line", "blob.txt", []byte(base64.StdEncoding.EncodeToString(raw))},
		{"comment-openers-md", "page.md", tiled([]byte("A<!--"), 16<<20)},
		{"comment-openers-html", "page.html", tiled([]byte("A<!--"), 16<<20)},
		{"tag-openers-html", "page.html", tiled([]byte("A<b "), 16<<20)},
		// The next an attacker tries (worst24): markup that closes, after
		// a head, and heads whose walk reads a letter after markup.
		{"comments-closed-md", "page.md", tiled([]byte("A<!---->"), 16<<20)},
		{"tags-closed-html", "page.html", tiled([]byte("A<b>"), 16<<20)},
		{"split-walks-md", "page.md", tiled([]byte("A<!---->K<!---->"), 16<<20)},
		{"split-walks-xml", "page.xml", tiled([]byte("AC<![CDATA[C]]>"), 16<<20)},
		// qa19 H4: Markdown emphasis or a code span after a key head,
		// repeated, with no key character between the markers.
		{"emphasis-after-heads-md", "notes.md", tiled([]byte("AKIA**"), 16<<20)},
		{"emphasis-letters-md", "notes.md", tiled([]byte("AKIA*A*"), 16<<20)},
		{"strike-after-heads-md", "notes.md", tiled([]byte("AKIA~~C~~"), 16<<20)},
		{"code-spans-md", "notes.md", tiled([]byte("AKIAQ`R`S`T`"), 16<<20)},
		// and the key heads glued to each other, as text: each asks
		// whether an escape sequence ends before it
		{"glued-heads", "notes.txt", tiled([]byte("AKIA"), 16<<20)},
		// worst27's find: one key pair's spaced hex (od -An -tx1) after
		// a line of text, repeated: thousands of findings of one secret,
		// a block of dump lines each (oncePerDumpLine, which sorts every
		// finding after every block: quadratic, so 1 MiB, not 16).
		{"dump-one-secret", "notes.txt", tiled([]byte("note\n"+spacedDump("od", keyText)), 1<<20)},
	} {
		b.Run(c.name, func(b *testing.B) { benchScanNamed(b, c.file, c.data) })
	}
}

// The steps of the check budget, as CheckWork counts them (work.go).
const (
	stepKeyword = iota
	stepKeyID
	stepSecret
	stepSigns
	stepDecode
	stepToken
	stepInflate
)

// TestBudgetChargesAttacks: each charge of the check budget makes a text
// built against it reach an unchecked gap instead of running long. For
// each, at 4 MiB, the work its steps cost with no budget is above the
// allowance (so the charge counts what the text makes the matcher do);
// with the budget, the work stops near the allowance, fewer of the
// charged steps are taken than the text asks for, and the scan counts
// what it left unchecked. Work is counted in units, never timed. Without
// one of the charges (decodeStep, tokenStep, inflateStep, the refunds'
// bound) its text costs less than its allowance with no budget, and is
// not cut.
func TestBudgetChargesAttacks(t *testing.T) {
	plain := newScanner(t, scanner.Options{})
	budget := newScanner(t, scanner.Options{CheckBudget: 1})
	texts := map[string][]byte{}
	for _, c := range attackTexts() {
		texts[c.name] = c.unit()
	}
	for _, c := range []struct {
		text string
		step int // the charge the text is built against
	}{
		{"token-runs", stepToken},          // a prefix and a run every 641 bytes
		{"token-runs-long", stepToken},     // runs of 16 KiB
		{"token-keyword-runs", stepToken},  // runs after token keywords
		{"base64-small", stepDecode},       // a small run, a sub-scan, every 33 bytes
		{"base64-smallest", stepDecode},    // the smallest run decoded
		{"hex-small", stepDecode},          // small hex runs
		{"base64-deep", stepDecode},        // five levels of base64
		{"base64-of-hex", stepDecode},      // hex in base64
		{"base64-gzip-small", stepInflate}, // small gzip streams in base64
		{"base64-gzip", stepInflate},       // gzip of near misses
		{"hex-keys", stepSecret},           // key pairs in hex runs: the refunds are bounded
	} {
		data := tiled(texts[c.text], 4<<20)
		spent0, allow, _, taken0 := scanner.CheckWork(plain, "attack.txt", data, 10000, 0)
		if spent0 <= allow {
			t.Errorf("%s: work %d with no budget, not above its allowance %d: the charge does not count it", c.text, spent0, allow)
			continue
		}
		spent, _, unchecked, taken := scanner.CheckWork(plain, "attack.txt", data, 10000, 1)
		// A step begun under the allowance ends: the largest is a token of
		// 16 KiB or a gzip stream's output, whose cost the text bounds.
		if spent > allow+allow/2 {
			t.Errorf("%s: work %d with the budget, allowance %d", c.text, spent, allow)
		}
		if unchecked == 0 || taken[c.step] >= taken0[c.step] {
			t.Errorf("%s: %d unchecked, %d of %d steps taken: want some unchecked, fewer steps", c.text, unchecked, taken[c.step], taken0[c.step])
		}
		if _, counts := budget.ScanAllCounted("attack.txt", data, 10000); counts.Unchecked == 0 {
			t.Errorf("%s: the scan counts nothing unchecked", c.text)
		}
	}
}

// TestBudgetChargesHeaderLines: the lines read for a keyword that may
// head a table's column (headerOf: up to 4 KiB each side of it) are
// charged, so that a line of "secret," (8 KiB read for each keyword, 0.5
// MB per CPU second) spends its budget, where keywords apart cost their
// step only.
func TestBudgetChargesHeaderLines(t *testing.T) {
	plain := newScanner(t, scanner.Options{})
	apart, _, _, _ := scanner.CheckWork(plain, "words.txt", tiled([]byte("secret "), 128<<10), 10000, 0)
	cells, _, _, _ := scanner.CheckWork(plain, "words.txt", tiled([]byte("secret,"), 128<<10), 10000, 0)
	if cells < 100*apart {
		t.Errorf("keywords as header cells on one line cost %d, apart %d: want the lines read charged", cells, apart)
	}
}

// TestBudgetStopsPrefilter: once the check budget is spent the prefilter
// stops, so that text made of anchors (a keyword every seven bytes) does
// not cost 30 ns an anchor past that point: the count of what was left
// unchecked is then a lower bound, and not zero. Anchors that queue work
// (a small hex run every 21 bytes) are charged as the prefilter reports
// them (queueCost), so that their text too stops it, before anything is
// decoded.
func TestBudgetStopsPrefilter(t *testing.T) {
	plain := newScanner(t, scanner.Options{})
	for _, c := range []struct {
		unit, anchor string
		step         int
		size         int
	}{{"secret ", "secret", stepKeyword, 4 << 20}, {"414b4941736563726574 ", "414b4941", stepDecode, 16 << 20}} {
		data := tiled([]byte(c.unit), c.size)
		anchors := bytes.Count(data, []byte(c.anchor))
		_, allow, unchecked, taken := scanner.CheckWork(plain, "words.txt", data, 10000, 1)
		// What was counted or taken is what the prefilter reported: 64
		// units an anchor spend the allowance of 16 MiB at about half.
		if unchecked == 0 || taken[c.step]+unchecked > anchors*3/4 {
			t.Errorf("%q: %d steps taken, %d unchecked of %d anchors: want the prefilter stopped soon after the budget (allowance %d)", c.unit, taken[c.step], unchecked, anchors, allow)
		}
	}
	// Escaped A's in a row make one window each (no step), and are
	// charged as reported (escapedACost): their text stops the prefilter
	// too.
	data := tiled([]byte(`\x41\x41\x41\x41 `), 16<<20)
	all := scanner.PrefilterReports(plain, "escaped.txt", data, 10000, 0)
	if got := scanner.PrefilterReports(plain, "escaped.txt", data, 10000, 1); got > all*3/4 {
		t.Errorf("escaped A's: %d of %d anchors reported with the budget: want the prefilter stopped", got, all)
	}
}

// TestBudgetOrdinaryDecoding: what real files hold in encodings stays far
// under the check budget and is checked whole, with the same findings as
// with no budget: a notebook's image (one base64 blob of 3 MB, an anchor
// in it by chance), a Kubernetes Secret's data, a cloud-init gzip, a
// response with session tokens, and a key pair after each. (Real
// histories: TestCheckWorkOfRepositories.)
func TestBudgetOrdinaryDecoding(t *testing.T) {
	g := fakekey.New(67)
	plain := newScanner(t, scanner.Options{})
	budget := newScanner(t, scanner.Options{CheckBudget: 1})
	r := rand.New(rand.NewPCG(67, 68))
	blob := make([]byte, 3<<20)
	for i := range blob {
		blob[i] = byte(r.Uint32())
	}
	image := base64.StdEncoding.EncodeToString(blob)
	image = image[:len(image)/2] + "QUtJQ" + image[len(image)/2+5:] // an anchor by chance
	creds := "[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("#cloud-config\npackages: [nginx]\n"), 4000))
	zw.Write([]byte(creds))
	zw.Close()
	var tokens strings.Builder
	for range 50 {
		fmt.Fprintf(&tokens, "<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken></Credentials>\n",
			g.KeyID("ASIA"), g.Secret(), g.SessionToken())
	}
	for _, c := range []struct{ name, text string }{
		{"notebook.ipynb", `{"cells": [{"outputs": [{"data": {"image/png": "` + image + `"}}]}]}` + "\n"},
		{"secret.yaml", "apiVersion: v1\nkind: Secret\ndata:\n  credentials: " + base64.StdEncoding.EncodeToString([]byte(creds)) + "\n"},
		{"user-data.yaml", "write_files:\n- encoding: gz+b64\n  content: " + base64.StdEncoding.EncodeToString(gz.Bytes()) + "\n"},
		{"sts.xml", tokens.String()},
	} {
		pair, _ := keyPair(g)
		data := []byte(c.text + pair)
		spent, allow, _, _ := scanner.CheckWork(plain, c.name, data, 10000, 0)
		// The blob's run costs a unit a byte, the allowance's own: such a
		// file stays under half its allowance however long the blob.
		if spent*2 > allow {
			t.Errorf("%s: work %d, more than half its allowance %d", c.name, spent, allow)
		}
		want, _ := plain.ScanAllCounted(c.name, data, 10000)
		got, counts := budget.ScanAllCounted(c.name, data, 10000)
		if counts.Unchecked != 0 || !cmp.Equal(got, want) {
			t.Errorf("%s: %d unchecked, %d findings; want none unchecked and the %d of no budget", c.name, counts.Unchecked, len(got), len(want))
		}
		if len(want) < 2 {
			t.Errorf("%s: %d findings, want the key pair at least", c.name, len(want))
		}
	}
}

// TestBudgetHarmlessSecrets: files full of secret-shaped values that are
// not AWS's are checked whole (qa13 MEDIUM-11): an rclone.conf of 600
// MinIO remotes (each section's endpoint and provider decide) and a log
// of 5,000 client_secret= lines (the name decides). Each value's context
// check was charged its worst cost (2,048 units, 18,432 beside signs of
// another service), and both files went over their allowance: a gap that
// fails the hooks. Now a check costs what it reads, and such a file
// spends under half its allowance. A real AWS key pair among them is
// found, with the findings of no budget.
func TestBudgetHarmlessSecrets(t *testing.T) {
	g := fakekey.New(71)
	plain := newScanner(t, scanner.Options{})
	budget := newScanner(t, scanner.Options{CheckBudget: 1})
	minioID := func() string { return strings.ToUpper(g.Secret()[:20]) }
	var rclone, log strings.Builder
	var want []string
	for i := range 600 {
		if i == 300 {
			id, secret := g.KeyID("AKIA"), g.Secret()
			fmt.Fprintf(&rclone, "[aws]\ntype = s3\nprovider = AWS\naccess_key_id = %s\nsecret_access_key = %s\nregion = us-east-1\n\n", id, secret)
			want = append(want, id, secret)
		}
		fmt.Fprintf(&rclone, "[minio%d]\ntype = s3\nprovider = Minio\nenv_auth = false\naccess_key_id = %s\nsecret_access_key = %s\nregion = us-east-1\nendpoint = http://10.0.%d.%d:9000\n\n",
			i, minioID(), g.Secret(), i/256, i%256)
	}
	for i := range 5000 {
		if i == 2500 {
			id, secret := g.KeyID("AKIA"), g.Secret()
			fmt.Fprintf(&log, "2026-11-30T07:41:40Z INFO s3 upload aws_access_key_id=%s aws_secret_access_key=%s\n", id, secret)
			want = append(want, id, secret)
		}
		fmt.Fprintf(&log, "2026-11-30T07:%02d:%02dZ INFO oauth refresh client_id=app%d client_secret=%s\n", i/60%60, i%60, i, g.Secret())
	}
	for _, c := range []struct{ name, text string }{{"rclone.conf", rclone.String()}, {"app.log", log.String()}} {
		data := []byte(c.text)
		spent, allow, _, _ := scanner.CheckWork(plain, c.name, data, 10000, 0)
		if spent*2 > allow {
			t.Errorf("%s: work %d, more than half its allowance %d", c.name, spent, allow)
		}
		noBudget, _ := plain.ScanAllCounted(c.name, data, 10000)
		got, counts := budget.ScanAllCounted(c.name, data, 10000)
		if counts.Unchecked != 0 || !cmp.Equal(got, noBudget) {
			t.Errorf("%s: %d unchecked, %d findings; want none unchecked and the %d of no budget", c.name, counts.Unchecked, len(got), len(noBudget))
		}
		found := map[string]bool{}
		for _, f := range got {
			found[f.Secret] = true
		}
		if len(got) != 2 {
			t.Errorf("%s: %d findings, want the AWS key pair only", c.name, len(got))
		}
		for _, v := range want {
			if strings.Contains(c.text, v) && !found[v] {
				t.Errorf("%s: the AWS key %s among the others is not found", c.name, scanner.Redact(v))
			}
		}
	}
}
