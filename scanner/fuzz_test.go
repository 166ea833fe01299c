package scanner_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// wideOrder returns the byte order and code unit width of a file that
// starts with a UTF-16 or UTF-32 byte order mark; unit 0 for any other.
func wideOrder(data []byte) (binary.ByteOrder, int) {
	switch {
	case len(data) >= 4 && data[0] == 0xFF && data[1] == 0xFE && data[2] == 0 && data[3] == 0:
		return binary.LittleEndian, 4
	case len(data) >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0xFE && data[3] == 0xFF:
		return binary.BigEndian, 4
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		return binary.LittleEndian, 2
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		return binary.BigEndian, 2
	}
	return nil, 0
}

// checkInvariants verifies what every scan must guarantee, whatever the input.
func checkInvariants(t *testing.T, name string, data []byte, fs scanner.Findings) {
	t.Helper()
	// A UTF-16 or UTF-32 file's positions count its own bytes (README:
	// "columns count bytes"), its lines ended by the code unit 0x000A. Its
	// bytes are read as they are too (a byte order mark proves nothing):
	// such a finding has no CharColumn, and its positions are the bytes'.
	order, unit := wideOrder(data)
	wideLC := func(data []byte, off int) (int, int) {
		line, ls := 1, 0
		for i := unit; i+unit <= len(data) && i < off; i += unit {
			var u uint32
			if unit == 2 {
				u = uint32(order.Uint16(data[i:]))
			} else {
				u = order.Uint32(data[i:])
			}
			if u == '\n' && i+unit <= off {
				line, ls = line+1, i+unit
			}
		}
		return line, off - ls + 1
	}
	for i, f := range fs {
		if unit != 0 && f.CharColumn != 0 && (f.Offset%unit != 0 || f.EndOffset%unit != 0 || f.Offset < unit) {
			t.Fatalf("finding %d (%s): offsets [%d,%d) not on a code unit of %d bytes", i, f.Rule, f.Offset, f.EndOffset, unit)
		}
	}
	text := data
	for i, f := range fs {
		if f.Offset < 0 || f.EndOffset > len(text) || f.Offset >= f.EndOffset {
			t.Fatalf("finding %d (%s): offsets [%d,%d) outside the %d-byte input", i, f.Rule, f.Offset, f.EndOffset, len(text))
		}
		lc := lineCol
		if unit != 0 && f.CharColumn != 0 {
			lc = wideLC
		}
		if l, c := lc(text, f.Offset); f.Line != l || f.Column != c {
			t.Fatalf("finding %d (%s): at %d:%d, but offset %d is %d:%d", i, f.Rule, f.Line, f.Column, f.Offset, l, c)
		}
		if l, c := lc(text, f.EndOffset-1); f.EndLine != l || f.EndColumn != c+1 {
			t.Fatalf("finding %d (%s): ends at %d:%d, but end offset %d is %d:%d", i, f.Rule, f.EndLine, f.EndColumn, f.EndOffset, l, c+1)
		}
		if f.File != name || f.Rule == "" || f.Secret == "" || f.Fingerprint == "" {
			t.Fatalf("finding %d: incomplete: %+v", i, f)
		}
		if i > 0 {
			p := fs[i-1]
			if p.Line > f.Line || p.Line == f.Line && p.Column > f.Column {
				t.Fatalf("findings not sorted: %d:%d before %d:%d", p.Line, p.Column, f.Line, f.Column)
			}
		}
	}
}

// fuzzNames are the file names the fuzzer scans under: each picks a file kind.
var fuzzNames = []string{"a.txt", ".aws/credentials", ".env", "k8s/s.yaml", "main.go", "nb.ipynb", "main.tf", "x.json", "Dockerfile", "credentials.csv", "app.py", "conf.ini"}

// FuzzScan scans arbitrary bytes, then the same bytes with a generated key
// ID (and, on its own line, a secret assigned to aws_secret_access_key)
// planted at a chosen place, and checks the invariants of every finding and
// that the planted values are found exactly where they were put.
func FuzzScan(f *testing.F) {
	seeds := append(append(positiveCases(), negativeCases()...), moreCases()...)
	for i, c := range append(append(seeds, genericPositiveCases()...), genericNegativeCases()...) {
		if len(c.text) > 64<<10 {
			continue
		}
		text, _ := fill(c.text, values(1))
		f.Add([]byte(text), uint32(i*37), uint64(i), uint8(i))
	}
	f.Add([]byte{}, uint32(0), uint64(0), uint8(0))
	f.Add([]byte("\xff\xfe"), uint32(1), uint64(1), uint8(1))
	f.Add([]byte("AKIA"), uint32(4), uint64(2), uint8(2))
	f.Add([]byte("\\n\\u002B%2F==keyscan:allow"), uint32(3), uint64(3), uint8(3))
	for i, n := range notations { // a key pair in every escape notation
		g := fakekey.New(uint64(100 + i))
		text := "aws_access_key_id = \"" + n.encode(g.KeyID("AKIA")) + "\"\naws_secret_access_key = \"" + n.encode(g.Secret()) + "\"\n"
		f.Add([]byte(text), uint32(i*11), uint64(i), uint8(i))
	}
	for i, c := range splitCases(7) { // keys split over string concatenation, and ordinary concatenations
		f.Add([]byte(c.text), uint32(i*13), uint64(i), uint8(i))
	}
	f.Add(toUTF16(rules.Fill("x\r\nAWS_ACCESS_KEY_ID={{ID}}\r\nAWS_SECRET_ACCESS_KEY={{SECRET}}  # keyscan:allow fixture\r\n", values(2)), false), uint32(5), uint64(5), uint8(5))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	gate, err := scanner.New(scanner.Options{ReportAllowed: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, at uint32, seed uint64, mode uint8) {
		name := fuzzNames[int(mode)%len(fuzzNames)]
		plain := sc.Scan(name, data)
		checkInvariants(t, name, data, plain)
		// The gate's scanner returns the same findings, and besides them
		// the values directives allow, each with a reason.
		all := gate.Scan(name, data)
		checkInvariants(t, name, data, all)
		var rest scanner.Findings
		for _, f := range all {
			if f.Allowed == "" {
				rest = append(rest, f)
			}
		}
		if len(rest) != len(plain) {
			t.Fatalf("ReportAllowed: %d findings not allowed, Scan has %d: %v, %v", len(rest), len(plain), summarize(rest), summarize(plain))
		}
		for i := range rest {
			if rest[i].Offset != plain[i].Offset || rest[i].Secret != plain[i].Secret || rest[i].Rule != plain[i].Rule {
				t.Fatalf("ReportAllowed: finding %d differs: %v, %v", i, summarize(rest), summarize(plain))
			}
		}

		// Plant a key ID, separated by spaces or newlines.
		g := fakekey.New(seed)
		id := g.KeyID("AKIA")
		if mode&0x10 != 0 {
			id = g.KeyID("ASIA")
		}
		before, after := " ", " "
		if mode&0x20 != 0 {
			before = "\n"
		}
		if mode&0x40 != 0 {
			after = "\n"
		}
		p := int(at) % (len(data) + 1)
		planted := fmt.Sprintf("%s%s%s", before, id, after)
		secret := ""
		if mode&0x80 != 0 {
			secret = g.Secret()
			planted += "aws_secret_access_key = " + secret + "\n"
		}
		in := make([]byte, 0, len(data)+len(planted))
		in = append(append(append(in, data[:p]...), planted...), data[p:]...)
		if len(in) >= 2 && (in[0] == 0xFF && in[1] == 0xFE || in[0] == 0xFE && in[1] == 0xFF) {
			return // UTF-16: the planted ASCII bytes are not text there
		}
		fs := sc.Scan(name, in)
		checkInvariants(t, name, in, fs)
		idAt := p + len(before)
		ls := bytes.LastIndexByte(in[:idAt], '\n') + 1
		le := bytes.IndexByte(in[idAt:], '\n')
		if le < 0 {
			le = len(in) - idAt
		}
		if bytes.Contains(in[ls:idAt+le], []byte("keyscan:allow")) {
			return // a directive on the line may suppress it
		}
		found := false
		for _, f := range fs {
			if f.Rule == rules.IDAccessKeyID && f.Offset == idAt {
				found = true
				if f.Secret != id || f.EndOffset != idAt+20 {
					t.Fatalf("planted %s at %d: got %s [%d,%d)", id, idAt, f.Secret, f.Offset, f.EndOffset)
				}
			}
		}
		if !found {
			t.Fatalf("planted key ID %s at offset %d (%q around it) not found; findings: %v", id, idAt, planted, summarize(fs))
		}
		if secret == "" {
			return
		}
		secAt := idAt + len(id) + len(after) + len("aws_secret_access_key = ")
		for _, f := range fs {
			if f.Rule == rules.IDSecretAccessKey && f.Offset == secAt {
				if f.Secret != secret || f.EndOffset != secAt+40 {
					t.Fatalf("planted secret at %d: got %s [%d,%d)", secAt, scanner.Redact(f.Secret), f.Offset, f.EndOffset)
				}
				return
			}
		}
		t.Fatalf("planted secret %s at offset %d not found; findings: %v", scanner.Redact(secret), secAt, summarize(fs))
	})
}

func summarize(fs scanner.Findings) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s@%d-%d:%s", f.Rule, f.Offset, f.EndOffset, scanner.Redact(f.Secret)))
	}
	return out
}

// FuzzDecoders scans arbitrary bytes written in the encodings the matcher
// decodes, nested (hex, base64, base64 of base64, hex of base64, gzip and
// UTF-16LE in base64, wrapped at 76 columns or not, the line breaks real or
// escaped), between two lines of text: every finding keeps the
// invariants, and one from the encoded text lies inside it and says it was
// decoded. The seeds are credentials files, so the decoders' sub-scans run.
func FuzzDecoders(f *testing.F) {
	for i := range 8 {
		g := fakekey.New(uint64(600 + i))
		f.Add([]byte("[default]\naws_access_key_id = "+g.KeyID("AKIA")+"\naws_secret_access_key = "+g.Secret()+"\n"), uint8(i))
		f.Add([]byte(`{"AccessKeyId": "`+g.KeyID("ASIA")+`", "SecretAccessKey": "`+g.Secret()+`"}`), uint8(i+8))
	}
	f.Add([]byte("AWS_\x00\xffaws_"), uint8(3))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		b64 := func(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }
		hx := func(b []byte) []byte { return []byte(hex.EncodeToString(b)) }
		run := data
		switch mode % 7 {
		case 0:
			run = hx(run)
		case 1:
			run = b64(run)
		case 2:
			run = b64(b64(run))
		case 3:
			run = hx(b64(run))
		case 4:
			run = b64(b64(b64(run)))
		case 5:
			var z bytes.Buffer
			w := gzip.NewWriter(&z)
			w.Write(run)
			w.Close()
			run = b64(z.Bytes())
		case 6:
			u := make([]byte, 0, 2*len(run))
			for _, c := range run {
				u = append(u, c, 0)
			}
			run = b64(u)
		}
		if mode&0x80 != 0 && mode%7 != 0 && mode%7 != 3 { // base64url (qa15 MEDIUM-4)
			run = []byte(strings.NewReplacer("+", "-", "/", "_").Replace(string(run)))
		}
		if mode&0x10 != 0 && mode%7 != 0 && mode%7 != 3 {
			// wrapped at 76, the line breaks real or escaped as a JSON
			// string writes them (qa15 HIGH-8)
			nl := [4]string{"\n", `\n`, `\r\n`, `\u000a`}[mode>>5&3]
			var w []byte
			for len(run) > 76 {
				w, run = append(append(w, run[:76]...), nl...), run[76:]
			}
			run = append(w, run...)
		}
		head := "data:\n  value: "
		in := append(append([]byte(head), run...), "\nend\n"...)
		fs := sc.Scan("a.txt", in)
		checkInvariants(t, "a.txt", in, fs)
		for _, f := range fs {
			if f.Offset >= len(head) && f.EndOffset <= len(head)+len(run) && f.Encoding == "" {
				t.Errorf("%s at [%d,%d) in the encoded text, with no encoding", f.Rule, f.Offset, f.EndOffset)
			}
		}
	})
}
