package scanner_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// slowFragments are the pieces the slowness search builds text from: every
// kind of anchor the prefilter knows, what makes the matcher look around
// them (assignments, AWS words, key IDs, long runs, escapes, base64, lines),
// and near misses of each.
func slowFragments(g *fakekey.Gen, r *rand.Rand) []string {
	b64 := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	run := func(n int) string {
		var s strings.Builder
		for range n {
			s.WriteByte(b64[r.IntN(len(b64))])
		}
		return s.String()
	}
	return []string{
		"aws_secret_access_key = ", "secret", "Secret", "SECRET_KEY=", "secretKey: ", "client_secret: ", "password=",
		"aws_session_token: ", "token", "Token", "sec_key ", "new BasicAWSCredentials(", "Credentials(", "credentials.NewStaticCredentials(",
		g.KeyID("AKIA"), g.KeyID("ASIA"), "AKIA" + strings.Repeat("Z", 16), "ASIA" + "PACIFIC" + "SOUTHEAST", g.Secret(), g.Secret() + "+",
		run(40), run(54) + "==", run(120), run(400), g.SessionToken(), "IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz",
		"QUtJQ", "YXdzX", "ZWNyZX", "\\u0041", "\\u0041\\u004b\\u0049\\u0041", "\\x41", "u{41}", "%2F", "\\/", "&#47;", "\\\\u002F",
		"arn:aws:iam::123456789012:user/", "us-east-1", "AWS", "s3", "amazonaws.com", "keyscan:allow", "keyscan:allow test",
		"\n", "\n", "\n  ", " ", " = ", ": ", "\"", "'", ",", "(", ")", "{", "}", "[", "+", "=", "_", "-", ".", "/", "\\n",
		"value: ", "Default: ", "<string>", "- name: ", strings.Repeat("a", 64), strings.Repeat("=", 8),
		// Shapes the search did not build before (worst.md): signs of
		// other services, stretches of escape bytes, prefixes after the
		// bytes that start runs, quoted-printable, padding, the bytes
		// that end a token.
		"GOOG1E" + strings.Repeat("A", 16), " GOOG endpoint", "storage.googleapis.com", "endpoint_url = https://minio.local:9000",
		"provider = minio", "s3_endpoint: ", "region: auto", strings.Repeat(`\`, 120), strings.Repeat(`\`, 40), strings.Repeat("%", 60),
		strings.Repeat("&", 60), strings.Repeat("#;", 30), strings.Repeat("%2F", 20), strings.Repeat(`\/`, 30), "/IQoJb3JpZ2luX2Vj",
		"+IQoJb3JpZ2luX2Vj", `\/IQoJb3JpZ2luX2Vj`, "=3D", "=\n", "aws_secret_access_key=3D", "_", ".", "-", "\t", "\r\n",
		"\u002F", "&#x2F;", "\x2F", "AKIA" + run(16), "ASIA" + run(16), `"` + run(40) + `"`, "'" + run(40) + "'",
		// Round 19's readers (worst27): spaced hex and dump columns, name
		// attributes, table headers, colour codes, raw-deflate calls, Go
		// joins, EBCDIC, PowerShell casts, SQL and psql variables, bash
		// here-documents and here-strings.
		" 41", " 41 4b", " 41 4b 49 41 ", " 41 53 49 41", "\t41", ":41", ",41", "-41", " 49 41", "00000010  ", "00000010: ",
		"  |AKIA|", "0000020 ", "41:4b:49:41:",
		"--name /x/aws_secret_access_key ", " --value ", "Name=\"aws_secret_access_key\" Value=\"", "<name>aws_secret_access_key</name>",
		"<value>", "\"Name\": \"AWS_SECRET_ACCESS_KEY\", \"Value\": \"", "OutputKey: SecretAccessKey", "ParameterKey",
		"aws_access_key_id,aws_secret_access_key\n", "| AWS_SECRET_ACCESS_KEY | ", "|---|---|\n", "aws_secret_access_key\t", ";",
		"\x1b[31m", "\x1b[0m", "\x1b[1;32m", "\x1b[",
		"zlib.decompress(base64.b64decode(\"", "decompress(", "new Inflater(true)", "DeflateStream(", "inflateRawSync(", "-zlib.MAX_WBITS",
		"strings.Join([]string{\"AKIA\", \"", "fmt.Sprintf(\"%s%s\", \"AKIA\", \"", "s += \"AKIA\"", "\" + \"",
		"\xc1\xd2\xc9\xc1", "\xc1\xe2\xc9\xc1", "\x40",
		"[char]65+[char]75+[char]73+[char]65", "[char]0x41,", "[char]",
		"DECLARE @s NVARCHAR(64) = N'", "INSERT INTO creds (id, aws_secret_access_key) VALUES (1, @s)", "\\set s ", ":'s'", "@s",
		"read -r -d '' AWS_SECRET_ACCESS_KEY <<'EOF'\n", "EOF\n", "AWS_SECRET_ACCESS_KEY=\"$(cat <<-EOF\n", "read -r AWS_SECRET_ACCESS_KEY <<< ",
		// The notations' markers (notationTexts: Markdown emphasis,
		// CDATA, tags, table rows, EBCDIC blanks), which their readers
		// read only in a file of their kind (slowNames).
		"AKIA**", "**", "AK<![CDATA[IA]]>", "<![CDATA[", "]]>", "A<b>", "<wbr>", "AKIA ", "\xc1\xd2\xc9\xc1\x40", "| ", " |\n",
		"chr(65)+chr(75)+chr(73)+chr(65)+", "[char]65+[char]75+[char]73+[char]65+",
	}
}

// slowNames are the names the slowness search scans its texts as: a name
// decides which readers run (Markdown's and HTML's markup for .md and
// .html, XML's CDATA, PowerShell's casts, EBCDIC's records by their
// bytes), so each notation's reader is reached only under its kind's name.
var slowNames = []string{"slow.txt", "notes.md", "config.xml", "page.html", "keys.ps1", "keys.py", "keys.go", "keys.js", "CREDS.DAT", "dump.txt"}

// scanRate returns the throughput of one Scan of data in MB/s, the best of
// three runs: the search compares inputs, and the best of three is the
// least disturbed by the other work of a shared machine.
func scanRate(sc *scanner.Scanner, name string, data []byte, limit int) float64 {
	best := time.Duration(1 << 62)
	for range 3 {
		t := time.Now()
		sc.ScanAllCounted(name, data, limit)
		best = min(best, time.Since(t))
	}
	return float64(len(data)) / 1e6 / max(best.Seconds(), 1e-9)
}

// slowestText searches for the text the matcher scans slowest: it starts
// from random mixtures of slowFragments, from attackTexts and from the
// near misses of notationTexts (each under its file's name), mutates the
// slowest so far (insert, replace, repeat a stretch, drop a stretch,
// encode a stretch as the decoders read it: encodeStretch, or scan it
// under another of slowNames), keeps a mutation that is slower, and
// returns the slowest input found (size bytes, tiled) and the name it is
// slowest under.
func slowestText(sc *scanner.Scanner, rounds, size, limit int) ([]byte, string, float64) {
	r := rand.New(rand.NewPCG(11, 12))
	frags := slowFragments(fakekey.New(13), r)
	tile := func(seed []byte) []byte {
		if len(seed) == 0 {
			seed = []byte("x")
		}
		out := bytes.Repeat(seed, size/len(seed)+1)
		return out[:size]
	}
	random := func(n int) []byte {
		var b []byte
		for len(b) < n {
			b = append(b, frags[r.IntN(len(frags))]...)
		}
		return b
	}
	mutate := func(seed []byte, name string) ([]byte, string) {
		s := bytes.Clone(seed)
		switch i := r.IntN(len(s) + 1); r.IntN(10) {
		case 9: // the same text under another name: another kind's readers
			name = slowNames[r.IntN(len(slowNames))]
		case 7, 8: // encode a stretch as a decoder reads it (encodeStretch)
			j := min(len(s), i+1+r.IntN(512))
			s = append(s[:i], append(encodeStretch(r, s[i:j]), s[j:]...)...)
		case 5: // repeat a short stretch many times (a shape made of one unit)
			j := min(len(s), i+1+r.IntN(24))
			unit := bytes.Clone(s[i:j])
			s = append(s[:j], append(bytes.Repeat(unit, 2+r.IntN(30)), s[j:]...)...)
		case 6: // start again from a mixture (the search left a dead end)
			s = random(64 + r.IntN(512))
		case 0, 1: // insert a fragment
			f := frags[r.IntN(len(frags))]
			s = append(s[:i], append([]byte(f), s[i:]...)...)
		case 2: // replace a stretch with a fragment
			j := min(len(s), i+r.IntN(16))
			s = append(s[:i], append([]byte(frags[r.IntN(len(frags))]), s[j:]...)...)
		case 3: // repeat a stretch
			j := min(len(s), i+1+r.IntN(64))
			s = append(s[:j], append(bytes.Clone(s[i:j]), s[j:]...)...)
		case 4: // drop a stretch
			j := min(len(s), i+1+r.IntN(32))
			s = append(s[:i], s[j:]...)
		}
		if len(s) > max(8192, len(seed)) {
			s = s[:max(8192, len(seed))]
		}
		return s, name
	}
	var worst []byte
	worstName, worstRate := "slow.txt", 0.0
	for range 8 {
		seed, name := random(64+r.IntN(256)), slowNames[r.IntN(len(slowNames))]
		if rate := scanRate(sc, name, tile(seed), limit); worst == nil || rate < worstRate {
			worst, worstName, worstRate = seed, name, rate
		}
	}
	// And the texts built against the matcher's costly parts
	// (attackTexts), which random mixtures do not reach: nested
	// encodings, many small runs, long token runs.
	for _, c := range attackTexts() {
		seed := c.unit()
		if rate := scanRate(sc, "slow.txt", tile(seed), limit); rate < worstRate {
			worst, worstName, worstRate = seed, "slow.txt", rate
		}
	}
	// And each notation's near misses (notationTexts), which the
	// mixtures reach only by chance: the slowest text a reader of a
	// notation is made to read.
	for _, c := range notationTexts() {
		seed := []byte(c.near())
		if rate := scanRate(sc, c.file, tile(seed), limit); rate < worstRate {
			worst, worstName, worstRate = seed, c.file, rate
		}
	}
	for range rounds {
		seed, name := mutate(worst, worstName)
		if rate := scanRate(sc, name, tile(seed), limit); rate < worstRate {
			worst, worstName, worstRate = seed, name, rate
		}
	}
	return tile(worst), worstName, worstRate
}

// BenchmarkSlowest searches for the slowest text (KEYSCAN_SLOW_ROUNDS
// mutations, 300 by default, of 64 KiB texts) and then measures it tiled
// to 64 KiB, 1 MiB and 16 MiB: 64KiB and 1MiB as Scan reads it (no limit),
// 16MiB as keyscan's commands scan a file (the default
// max_findings_per_file and check budget: what bounds a large file's
// time). The text found is written to the file KEYSCAN_SLOW_OUT names, if
// set, to be studied and kept as a case of BenchmarkCorpus; the name it
// is scanned as (its kind: slowNames) is logged. KEYSCAN_SLOW_IN names a
// text to measure instead of searching (one written by KEYSCAN_SLOW_OUT),
// scanned as KEYSCAN_SLOW_NAME (slow.txt if unset). KEYSCAN_SLOW_SIZE=16 searches among texts
// tiled to 16 MiB, scanned as the commands scan them (so the budget
// applies), instead of 64 KiB ones scanned whole: the slowest a large file
// can be.
func BenchmarkSlowest(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rounds := 300
	if v := os.Getenv("KEYSCAN_SLOW_ROUNDS"); v != "" {
		if _, err := fmtSscan(v, &rounds); err != nil {
			b.Fatalf("KEYSCAN_SLOW_ROUNDS=%s: %v", v, err)
		}
	}
	var text []byte
	name := "slow.txt"
	if in := os.Getenv("KEYSCAN_SLOW_IN"); in != "" { // measure a text found before
		if text, err = os.ReadFile(in); err != nil {
			b.Fatal(err)
		}
		if v := os.Getenv("KEYSCAN_SLOW_NAME"); v != "" {
			name = v
		}
	} else if os.Getenv("KEYSCAN_SLOW_SIZE") == "16" {
		cli, err := scanner.New(scanner.Options{CheckBudget: 1})
		if err != nil {
			b.Fatal(err)
		}
		text, name, _ = slowestText(cli, rounds, 16<<20, cliLimit)
	} else {
		text, name, _ = slowestText(sc, rounds, 64<<10, 0)
	}
	b.Logf("the slowest text is scanned as %s", name)
	if out := os.Getenv("KEYSCAN_SLOW_OUT"); out != "" {
		if err := os.WriteFile(out, text[:min(len(text), 64<<10)], 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("64KiB", func(b *testing.B) { benchScanAs(b, name, tiled(text, 64<<10)) })
	b.Run("1MiB", func(b *testing.B) { benchScanAs(b, name, tiled(text, 1<<20)) })
	b.Run("16MiB", func(b *testing.B) { benchScanNamed(b, name, tiled(text, 16<<20)) })
}

func encodeStretch(r *rand.Rand, b []byte) []byte {
	if r.IntN(2) == 0 {
		b = append([]byte("AKIA"), b...)
	}
	wrap := func(s string, w int) []byte {
		var out bytes.Buffer
		for i := 0; i < len(s); i += w {
			out.WriteString(s[i:min(len(s), i+w)] + "\n")
		}
		return out.Bytes()
	}
	b64 := base64.StdEncoding.EncodeToString
	switch r.IntN(10) {
	case 8, 9: // spaced hex (od -An -tx1; hexdump -C's column, xxd's groups)
		var out bytes.Buffer
		sep := []string{" ", " ", "\t", ":", ", ", "-"}[r.IntN(6)]
		col := r.IntN(3) == 0
		for i, c := range b {
			if i%16 == 0 && i > 0 {
				if col {
					out.WriteString("  |" + strings.Repeat(".", 16) + "|")
				}
				out.WriteString("\n")
			}
			out.WriteString(sep + hex.EncodeToString([]byte{c}))
		}
		out.WriteString("\n")
		return out.Bytes()
	case 0:
		return []byte(b64(b) + "\n")
	case 1:
		return wrap(b64(b), 76)
	case 2:
		return []byte(hex.EncodeToString(b) + "\n")
	case 3:
		return wrap(hex.EncodeToString(b), 60)
	case 4:
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(bytes.Repeat(b, 1+r.IntN(64)))
		zw.Close()
		return []byte(b64(z.Bytes()) + "\n")
	default:
		u := make([]byte, 2*len(b))
		for i, c := range b {
			u[2*i] = c
		}
		if r.IntN(3) == 0 { // big-endian (little-endian one byte on), or shifted
			u = append([]byte{byte(r.IntN(256))}, u...)
		}
		return []byte(b64(u) + "\n")
	}
}

func fmtSscan(s string, n *int) (int, error) { return fmt.Sscan(s, n) }
