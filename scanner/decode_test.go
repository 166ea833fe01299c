package scanner_test

// Tests of encodings inside encodings (/work/notes/qa8.md MEDIUM-5): base64
// of base64 at every alignment, where the finding points and what its
// encoding says, and base64 of random bytes that must stay silent; and of
// keys written as hex (LOW-1).

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// wantEncoded checks that data has exactly the findings of id and secret,
// both with encoding enc and both inside the encoded run data[lo:hi].
func wantEncoded(t *testing.T, name string, data []byte, lo, hi int, enc, id, secret string) {
	t.Helper()
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := s.Scan(name, data)
	got := map[string]bool{}
	for _, f := range fs {
		got[f.Secret] = true
		if f.Encoding != enc || f.Offset < lo || f.EndOffset > hi || f.Offset >= f.EndOffset {
			t.Errorf("%s: %s %s at [%d,%d) encoding %q, want inside the run [%d,%d) with encoding %q",
				name, f.Rule, scanner.Redact(f.Secret), f.Offset, f.EndOffset, f.Encoding, lo, hi, enc)
		}
		if f.Kind == rules.SecretAccessKey && f.Pair == "" {
			t.Errorf("%s: the secret is not paired", name)
		}
	}
	if len(fs) != 2 || !got[id] || !got[secret] {
		t.Errorf("%s: %d findings %v, want the key ID and its secret", name, len(fs), got)
	}
}

// TestBase64InBase64 is a credentials file, an env file and a JSON
// document encoded twice, with 0 to 2 bytes before the text at each level
// (every alignment of the words the anchors are made of, at both levels),
// as a Kubernetes Secret's data of an already-encoded file and as Helm's
// b64enc of a base64 value.
func TestBase64InBase64(t *testing.T) {
	g := fakekey.New(5005)
	for range 3 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		docs := map[string]string{
			"credentials": "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n",
			"env":         "AWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + secret + "\n",
			"json":        `{"AccessKeyId": "` + id + `", "SecretAccessKey": "` + secret + `"}`,
		}
		for kind, doc := range docs {
			for inner := range 3 {
				for outer := range 3 {
					run := b64(strings.Repeat("#", outer) + b64(strings.Repeat("\n", inner)+doc))
					head := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-creds\ndata:\n  " + kind + ": "
					data := head + run + "\n"
					wantEncoded(t, kind, []byte(data), len(head), len(head)+len(run), "base64+base64", id, secret)
				}
			}
		}
	}
	// ASIA keys, and the env file's names only: AWS_ before a short key.
	id, secret := g.KeyID("ASIA"), g.Secret()
	run := b64(b64(`{"Credentials": {"AccessKeyId": "` + id + `", "SecretAccessKey": "` + secret + `"}}`))
	data := "release: " + run + "\n"
	wantEncoded(t, "helm-values.yaml", []byte(data), len("release: "), len(data)-1, "base64+base64", id, secret)
}

// TestBase64InBase64Wrapped is the encoded text wrapped at 76 columns, as
// base64(1) writes it, at both levels.
func TestBase64InBase64Wrapped(t *testing.T) {
	g := fakekey.New(5006)
	id, secret := g.KeyID("AKIA"), g.Secret()
	wrap := func(s string) string {
		var lines []string
		for len(s) > 76 {
			lines, s = append(lines, s[:76]), s[76:]
		}
		return strings.Join(append(lines, s), "\n")
	}
	doc := "[prod]\nregion = eu-west-1\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	run := wrap(b64(wrap(b64(doc))))
	data := "-----\n" + run + "\n-----\n"
	wantEncoded(t, "creds.b64.b64", []byte(data), 6, 6+len(run), "base64+base64", id, secret)
}

// TestBase64InBase64Silent is base64 of base64 of random bytes and of
// ordinary text: decoded where an anchor stands by chance, and silent.
func TestBase64InBase64Silent(t *testing.T) {
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 7))
	var b strings.Builder
	for range 2000 {
		raw := make([]byte, 30+r.IntN(300))
		for i := range raw {
			raw[i] = byte(r.UintN(256))
		}
		b.WriteString(b64(b64(string(raw))) + "\n")
		b.WriteString(b64(b64("the access key of the service account, aws_region us-east-1, secret rotation: 90 days")) + "\n")
	}
	if fs := s.Scan("blobs.txt", []byte(b.String())); len(fs) != 0 {
		t.Errorf("%d findings in base64 of base64 of random bytes, want none: first %s at %d", len(fs), fs[0].Rule, fs[0].Offset)
	}
}

// TestHexKeys is qa8 LOW-1: keys written as hex, in lower and upper case:
// the key ID by its own hex (AKIA's is an anchor), the secret by a name
// that assigns 80 hex digits, a credentials file hexed whole (a firmware
// or NVRAM dump), and a run whose first digit is not a byte's.
func TestHexKeys(t *testing.T) {
	g := fakekey.New(5007)
	for _, upper := range []bool{false, true} {
		hx := func(s string) string {
			h := hex.EncodeToString([]byte(s))
			if upper {
				h = strings.ToUpper(h)
			}
			return h
		}
		id, secret := g.KeyID("AKIA"), g.Secret()
		text := "aws_access_key_id_hex = " + hx(id) + "\naws_secret_access_key_hex = " + hx(secret) + "\n"
		lo := len("aws_access_key_id_hex = ")
		wantEncoded(t, "keys.txt", []byte(text), lo, len(text)-1, "hex", id, secret)

		id, secret = g.KeyID("ASIA"), g.Secret()
		text = "creds = bytes.fromhex('" + hx(id) + "')\nAWS_SECRET_ACCESS_KEY = bytes.fromhex(\"" + hx(secret) + "\")\n"
		wantEncoded(t, "obf.py", []byte(text), len("creds = bytes.fromhex('"), len(text)-3, "hex", id, secret)

		id, secret = g.KeyID("AKIA"), g.Secret()
		run := hx("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
		for _, head := range []string{"nvram: ", "nvram: 0x", "nvram: f"} {
			text = head + run + "\n"
			wantEncoded(t, "dump.txt", []byte(text), len(head), len(text)-1, "hex", id, secret)
		}

		// The same run in lines, as xxd -p (60 digits) and hexdump (32)
		// write it, indented or not (qa13 MEDIUM-7): joined, and each key
		// found at its own digits.
		id, secret = g.KeyID("AKIA"), g.Secret()
		plain := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
		run = hx(plain)
		for _, width := range []int{60, 32} {
			for _, indent := range []string{"", "  "} {
				var b strings.Builder
				for i := 0; i < len(run); i += width {
					b.WriteString(indent + run[i:min(i+width, len(run))] + "\n")
				}
				text = b.String()
				wantEncoded(t, "dump.hex", []byte(text), 0, len(text)-1, "hex", id, secret)
				s, err := scanner.New(scanner.Options{})
				if err != nil {
					t.Fatal(err)
				}
				digit := 2 * strings.Index(plain, id)
				want := digit/width*(width+len(indent)+1) + len(indent) + digit%width
				for _, f := range s.Scan("dump.hex", []byte(text)) {
					if f.Secret == id && f.Offset != want {
						t.Errorf("lines of %d: key ID at %d, want at its first digit, %d", width, f.Offset, want)
					}
				}
			}
		}
	}
}

// TestHexSilent: hashes, hex dumps of random bytes with the anchors in
// them, and 80 random hex digits assigned to a secret's name are no keys.
func TestHexSilent(t *testing.T) {
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 7))
	var b strings.Builder
	for i := range 2000 {
		raw := make([]byte, 40+r.IntN(200))
		for i := range raw {
			raw[i] = byte(r.UintN(256))
		}
		h := hex.EncodeToString(raw)
		k := r.IntN(len(h)/2) * 2
		anchor := []string{"414b4941", "6177735f", "4157535F", "6563726574"}[i%4]
		b.WriteString(h[:k] + anchor + h[k:] + "\n")
		b.WriteString("aws_secret_access_key_sha = " + h[:80] + "\n")
	}
	if fs := s.Scan("dump.txt", []byte(b.String())); len(fs) != 0 {
		t.Errorf("%d findings in hex of random bytes, want none: first %s at %d", len(fs), fs[0].Rule, fs[0].Offset)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGzipInBase64 is qa8 LOW-3: a gzip stream in base64 (cloud-init's
// encoding: gz+b64, Terraform's base64gzip()) and a Helm 3 release Secret
// (base64 of base64 of gzipped JSON, whose manifest holds a Secret's data
// in base64 again). Findings point at the whole encoded run.
func TestGzipInBase64(t *testing.T) {
	g := fakekey.New(5008)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	run := base64.StdEncoding.EncodeToString(gzipped(t, creds))
	head := "#cloud-config\nwrite_files:\n  - path: /root/.aws/credentials\n    encoding: gz+b64\n    content: "
	text := head + run + "\n"
	wantEncoded(t, "user-data.yaml", []byte(text), len(head), len(head)+len(run), "base64+gzip", id, secret)

	id, secret = g.KeyID("AKIA"), g.Secret()
	manifest := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  credentials: " +
		b64("[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\n") + "\n"
	rel, err := json.Marshal(map[string]any{"name": "app", "version": 3, "manifest": manifest, "info": map[string]string{"status": "deployed"}})
	if err != nil {
		t.Fatal(err)
	}
	run = b64(b64(string(gzipped(t, string(rel)))))
	head = "apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\ndata:\n  release: "
	text = head + run + "\n"
	wantEncoded(t, "release.yaml", []byte(text), len(head), len(head)+len(run), "base64+base64+gzip+base64", id, secret)
}

// TestGzipBomb: a gzip stream in base64 that inflates to far more than the
// input stops at the input's budget: the scan ends, finds what the part
// it read holds, and takes no more memory than the budget.
func TestGzipBomb(t *testing.T) {
	g := fakekey.New(5009)
	id, secret := g.KeyID("AKIA"), g.Secret()
	head := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	bomb := b64(string(gzipped(t, head+strings.Repeat("\n", 64<<20))))
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := s.Scan("bomb.txt", []byte("data: "+bomb+"\n"))
	if len(fs) != 2 {
		t.Errorf("%d findings in the head of a gzip bomb, want 2", len(fs))
	}
}

// TestPowerShellEncodedCommand is qa8 LOW-3: powershell -EncodedCommand
// takes base64 of UTF-16LE text; with a byte order mark or without, and with
// text that is not ASCII around the keys, at every alignment of the
// anchors.
func TestPowerShellEncodedCommand(t *testing.T) {
	g := fakekey.New(5010)
	utf16le := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	for i := range 6 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		script := strings.Repeat(" ", i%3) + "Write-Host 'déploiement…'; $env:AWS_ACCESS_KEY_ID='" + id + "'; $env:AWS_SECRET_ACCESS_KEY='" + secret + "'; aws s3 ls"
		if i%3 == 1 {
			script = "Set-AWSCredential -AccessKey " + id + " -SecretKey " + secret + " -StoreAs prod"
		}
		raw := utf16le(script)
		if i >= 3 {
			raw = append([]byte{0xff, 0xfe}, raw...)
		}
		run := base64.StdEncoding.EncodeToString(raw)
		head := "powershell.exe -NoProfile -EncodedCommand "
		text := head + run + "\n"
		wantEncoded(t, "deploy.ps1", []byte(text), len(head), len(head)+len(run), "base64+utf-16le", id, secret)
	}
}

// TestGzipBombsBinary: many small gzip streams in base64 that inflate to
// zeros (not text, so nothing of them is scanned) use up the input's
// budget as text would: the scan inflates a bounded amount in all and ends
// (before the budget counted them, each inflated to its own limit).
func TestGzipBombsBinary(t *testing.T) {
	bomb := b64(string(gzipped(t, strings.Repeat("\x00", 8<<20))))
	var b strings.Builder
	for range 200 {
		b.WriteString("data: " + bomb + "\n")
	}
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fs := s.Scan("bombs.txt", []byte(b.String())); len(fs) != 0 {
		t.Errorf("%d findings in gzip bombs of zeros, want none", len(fs))
	}
}

// TestDecodeBudgetBombs is qa10 HIGH-3: small gzip streams in base64 placed
// before an encoded key. Bombs of zeros (not text, never scanned) no longer
// spend the file's decode budget, so the key after them is found; they are
// inflated only until they are plainly not text, and what follows in them is
// not read, so each is counted (Counts.Undecoded: qa15 HIGH-22, where the
// credentials came after 64 KiB of NULs). Bombs of text still spend the
// budget (text is scanned and charged), and the runs left undecoded are
// counted, never silent.
func TestDecodeBudgetBombs(t *testing.T) {
	g := fakekey.New(5011)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	zeros := b64(string(gzipped(t, strings.Repeat("\x00", 1<<20))))
	text := b64(string(gzipped(t, strings.Repeat("a", 1<<20))))
	for _, c := range []struct {
		name, decoys string
		found        bool
		undecoded    bool
	}{
		{"none", "", true, false},
		{"two-zero-bombs", "d0: " + zeros + "\nd1: " + zeros + "\n", true, true},
		{"many-zero-bombs", strings.Repeat("d: "+zeros+"\n", 300), true, true},
		{"two-text-bombs", "d0: " + text + "\nd1: " + text + "\n", false, true},
	} {
		for _, enc := range []string{"base64", "hex"} {
			run := b64(creds)
			if enc == "hex" {
				run = hex.EncodeToString([]byte(creds))
			}
			data := []byte(c.decoys + "real: " + run + "\n")
			fs, counts := s.ScanAllCounted("values.yaml", data, 0)
			if got := len(fs) == 2; got != c.found {
				t.Errorf("%s, %s: %d findings, want the key found: %v", c.name, enc, len(fs), c.found)
			}
			if got := counts.Undecoded > 0; got != c.undecoded {
				t.Errorf("%s, %s: %d runs undecoded, want some: %v", c.name, enc, counts.Undecoded, c.undecoded)
			}
			if !c.found && counts.Undecoded < 2 {
				// The second bomb is cut by the budget, the key's run skipped.
				t.Errorf("%s, %s: %d runs undecoded, want 2", c.name, enc, counts.Undecoded)
			}
		}
	}
}

// TestGzipBombCutIsCounted: a gzip stream of text that expands past its
// ratio is scanned as far as it was inflated, and the cut is counted, as an
// archive level cut by max_ratio is.
func TestGzipBombCutIsCounted(t *testing.T) {
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bomb := b64(string(gzipped(t, strings.Repeat("\n", 64<<20))))
	if _, c := s.ScanAllCounted("bomb.txt", []byte("data: "+bomb+"\n"), 0); c.Undecoded != 1 {
		t.Errorf("a text bomb cut at its ratio: %d runs undecoded, want 1", c.Undecoded)
	}
	whole := b64(string(gzipped(t, strings.Repeat("ordinary text\n", 1000))))
	if _, c := s.ScanAllCounted("ok.txt", []byte("data: "+whole+"\n"), 0); c.Undecoded != 0 {
		t.Errorf("a gzip stream read whole: %d runs undecoded, want 0", c.Undecoded)
	}
}

// TestSecretBase64WithLineEnd is qa18 H5: a Secret's data made with echo
// "$S" | base64 (or base64 of a file that ends its line, kubectl's
// --from-file) holds the secret and a line end; so read, with CRLF, blanks
// or the quotes of a copied value, it is the secret, in a manifest and in
// an .env, beside its key ID or alone. Other text of that length is not.
func TestSecretBase64WithLineEnd(t *testing.T) {
	g := fakekey.New(5031)
	sc := newScanner(t, scanner.Options{})
	for _, wrap := range []string{"%s\n", "%s\r\n", "%s \n", "\"%s\"\n", "'%s'", "%s\n\n", " %s\t"} {
		id, secret := g.KeyID("AKIA"), g.Secret()
		enc := b64(fmt.Sprintf(wrap, secret))
		for name, text := range map[string]string{
			"secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  AWS_SECRET_ACCESS_KEY: " + enc + "\n",
			"lower.yaml":  "apiVersion: v1\nkind: Secret\ndata:\n  aws_secret_access_key: " + enc + "\n",
			"app.env":     "AWS_SECRET_ACCESS_KEY=" + enc + "\n",
			"pair.yaml":   "apiVersion: v1\nkind: Secret\ndata:\n  AWS_ACCESS_KEY_ID: " + b64(id+"\n") + "\n  AWS_SECRET_ACCESS_KEY: " + enc + "\n",
		} {
			fs := sc.Scan(name, []byte(text))
			if !hasSecret(fs, secret) {
				t.Errorf("%q in %s: %v, want the secret", wrap, name, summarize(fs))
			}
		}
	}
	for _, text := range []string{
		strings.Repeat("Lorem ipsum dolor sit amet, consectetur adip\n", 1),
		"This is plain text of forty-two bytes!!!\n",
	} {
		data := "data:\n  AWS_SECRET_ACCESS_KEY: " + b64(text) + "\n"
		if fs := sc.Scan("s.yaml", []byte(data)); len(fs) != 0 {
			t.Errorf("%q: %v, want none", text, summarize(fs))
		}
	}
}

// TestDecodedTextRepeated: a decoded text that comes again is scanned once
// when it found nothing (subMemo, issue 16), and every time when it found
// a key: each copy of an encoded key is a finding of its own, a near miss
// repeated does not hide the key after it, and a text that found nothing
// at one depth is read again at another.
func TestDecodedTextRepeated(t *testing.T) {
	g := fakekey.New(5011)
	id, secret := g.KeyID("AKIA"), g.Secret()
	s := newScanner(t, scanner.Options{})
	near := b64("AKIA" + strings.Repeat("A", 60))
	doc := b64("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
	var b strings.Builder
	for range 40 {
		b.WriteString("token: \"" + near + "\"\n")
	}
	for range 3 {
		b.WriteString("creds: " + doc + "\n")
	}
	// the near miss again, one level deeper: read again there
	b.WriteString("wrapped: " + b64(near+"\n"+doc) + "\n")
	fs := s.Scan("values.yaml", []byte(b.String()))
	got := map[string]int{}
	for _, f := range fs {
		got[f.Secret]++
	}
	if len(fs) != 8 || got[id] != 4 || got[secret] != 4 {
		t.Errorf("%d findings %v, want the key ID and its secret in each of the 4 encoded documents", len(fs), got)
	}
}
