package scanner_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// rawDeflate compresses b as PHP's gzdeflate and .NET's DeflateStream
// write it: deflate with no zlib or gzip header.
func rawDeflate(t testing.TB, b []byte) []byte {
	var z bytes.Buffer
	w, err := flate.NewWriter(&z, 6)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// TestRawDeflateInBase64 is qa16 HIGH-7: raw deflate in base64, read back
// by PHP's gzinflate(base64_decode(…)), a DeflateStream, Java's new
// Inflater(true) or Kotlin's Inflater(true), is inflated
// and scanned; a run there that does not inflate whole (cut, or no
// deflate) is counted, and one of base64 text is left as it was.
func TestRawDeflateInBase64(t *testing.T) {
	g := fakekey.New(21110)
	id, secret := g.KeyID("AKIA"), g.Secret()
	cred := []byte("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
	run := base64.StdEncoding.EncodeToString(rawDeflate(t, cred))
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"config.php": "<?php\n$cfg = parse_ini_string(gzinflate(base64_decode(\"" + run + "\")), true);\n",
		"setup.ps1": "$d = [Convert]::FromBase64String(\"" + run + "\")\n$s = New-Object IO.Compression.DeflateStream([IO.MemoryStream]$d, " +
			"[IO.Compression.CompressionMode]::Decompress)\n",
		"Unpack.cs":   "const string Blob =\n    \"" + run + "\";\n// ...\nusing var z = new DeflateStream(new MemoryStream(Convert.FromBase64String(Blob)), CompressionMode.Decompress);\n",
		"Creds.java":  "class Creds {\n  // new InflaterInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(BLOB)), new Inflater(true))\n  static final String BLOB = \"" + run + "\";\n}\n",
		"Unpack.java": "static final String BLOB =\n    \"" + run + "\";\n\nstatic byte[] unpack() throws Exception {\n  Inflater inf = new Inflater(true);\n  inf.setInput(Base64.getDecoder().decode(BLOB));\n}\n",
		// Kotlin calls the constructor without new
		"Unpack.kt": "private const val BLOB =\n    \"" + run + "\"\n\nfun unpack(): ByteArray {\n    val inf = Inflater(true)\n    inf.setInput(Base64.getDecoder().decode(BLOB))\n}\n",
		"build.kts": "val blob = \"" + run + "\"\nval text = InflaterInputStream(Base64.getDecoder().decode(blob).inputStream(), java.util.zip.Inflater(true)).readBytes()\n",
		// qa21 M5: Node's, pako's, Go's and Ruby's raw inflate calls
		"a.js":  "const zlib = require('zlib');\nconst creds = zlib.inflateRawSync(Buffer.from('" + run + "', 'base64')).toString();\n",
		"b.mjs": "import pako from 'pako';\nconst creds = pako.inflateRaw(Uint8Array.from(atob('" + run + "'), c => c.charCodeAt(0)), { to: 'string' });\n",
		"c.ts":  "zlib.inflateRaw(Buffer.from(BLOB, 'base64'), (err, out) => use(out));\nconst BLOB = '" + run + "';\n",
		"e.rb":  "CREDS = Zlib::Inflate.new(-Zlib::MAX_WBITS).inflate(Base64.decode64('" + run + "'))\n",
	} {
		fs, c := s.ScanAllCounted(name, []byte(text), 0)
		got := map[string]string{}
		for _, f := range fs {
			got[f.Secret] = f.Encoding
		}
		if got[id] != "base64+deflate" || got[secret] != "base64+deflate" || c.Undecoded != 0 {
			t.Errorf("%s: found %v, %d undecoded; want both keys, base64+deflate", name, got, c.Undecoded)
		}
	}
	noise := make([]byte, 120)
	for i := range noise {
		noise[i] = byte(i*151 + 7)
	}
	for name, want := range map[string]int{
		"gzinflate(base64_decode(\"" + run[:len(run)/2] + "\"));":                                                                      1, // cut
		"gzinflate(base64_decode(\"" + base64.StdEncoding.EncodeToString(noise) + "\"));":                                              1, // no deflate
		"gzinflate(base64_decode(\"" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("plain text, no keys. ", 5))) + "\"));": 0,
	} {
		if _, c := s.ScanAllCounted("x.php", []byte(name), 0); c.Undecoded != want {
			t.Errorf("%.40s…: %d undecoded, want %d", name, c.Undecoded, want)
		}
	}
}

// FuzzRawDeflate inflates arbitrary bytes, deflated or not, base64'd
// where a call that inflates raw deflate reads them: every finding keeps
// the invariants, and nothing panics or runs unbounded.
func FuzzRawDeflate(f *testing.F) {
	g := fakekey.New(21111)
	f.Add([]byte("[default]\naws_access_key_id = "+g.KeyID("AKIA")+"\naws_secret_access_key = "+g.Secret()+"\n"), true)
	f.Add([]byte{0, 1, 2, 3}, false)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, deflate bool) {
		if deflate {
			data = rawDeflate(t, data)
		}
		in := []byte("$d = gzinflate(base64_decode(\"" + base64.StdEncoding.EncodeToString(data) + "\"));\n")
		fs, _ := sc.ScanAllCounted("a.php", in, 0)
		checkInvariants(t, "a.php", in, fs)
	})
}

// TestRawDeflateNearNoise is qa18 H6: base64 and hex runs that merely
// stand near a call that inflates (a digest, an icon, a test vector beside
// zlib.decompress(, bytes.fromhex( or new Inflater(true)) are tried, but
// one that does not inflate is no gap; the run the code names as the
// stream (the call's argument, or a constant a base64 decoder reads by
// name) still counts when it does not inflate whole.
func TestRawDeflateNearNoise(t *testing.T) {
	g := fakekey.New(21112)
	cred := []byte("[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
	cut := base64.StdEncoding.EncodeToString(rawDeflate(t, cred))
	cut = cut[:len(cut)/2]
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	noise := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*151 + 7)
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	const digest = "6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe"
	for name, want := range map[string]int{
		"digest.py":   0,
		"fromhex.py":  0,
		"icon.py":     0,
		"Check.java":  0,
		"Blob.java":   1,
		"Blob.kt":     1,
		"Blob.cs":     1,
		"arg.py":      1,
		"blob.js":     1, // qa21 M5
		"blob.rb":     1,
		"Direct.java": 0,
		"javap.txt":   0,
		"runs.txt":    0,
	} {
		text := map[string]string{
			"digest.py":   "import zlib\ndata = zlib.decompress(blob)\nEXPECTED_SHA256 = \"" + digest + "\"\n",
			"fromhex.py":  "key = bytes.fromhex(key)\nexpected = \"" + digest + "\"\n",
			"icon.py":     "import gzip\nbody = gzip.decompress(r.content)\nICON = \"" + noise(60) + "\"\n",
			"Check.java":  "Inflater inf = new Inflater(true);\nstatic final String SHA = \"" + digest + "\";\nstatic final String VEC = \"" + noise(90) + "\";\n",
			"Blob.java":   "static final String BLOB =\n    \"" + cut + "\";\nInflater inf = new Inflater(true);\ninf.setInput(Base64.getDecoder().decode(BLOB));\n",
			"Blob.kt":     "private const val BLOB = \"" + cut + "\"\nval inf = Inflater(true)\ninf.setInput(Base64.getDecoder().decode(BLOB))\n",
			"Blob.cs":     "const string Blob = \"" + cut + "\";\nusing var z = new DeflateStream(new MemoryStream(Convert.FromBase64String(Blob)), CompressionMode.Decompress);\n",
			"arg.py":      "import zlib, base64\ncfg = zlib.decompress(base64.b64decode(\n    \"" + cut + "\"), -15)\n",
			"blob.js":     "const creds = zlib.inflateRawSync(Buffer.from('" + cut + "', 'base64'));\n",
			"blob.rb":     "CREDS = Zlib::Inflate.new(-Zlib::MAX_WBITS).inflate(Base64.decode64('" + cut + "'))\n",
			"Direct.java": "Inflater inf = new Inflater(true);\nString other = \"" + noise(90) + "\";\ninf.setInput(Base64.getDecoder().decode(BLOB));\n",
			// qa19 H3: class paths of Apache HttpClient beside a
			// DeflateStream class name, whose chance bytes start a
			// deflate block that gives text before it fails
			"javap.txt": "Uorg/apache/http/client/entity/GZIPInputStreamFactory\nLorg/apache/http/client/entity/DeflateInputStream$DeflateStream;\n",
			// the same class's text runs, as a binary file's are read
			"runs.txt": "org/apache/http/client/entity/DeflateInputStream$DeflateStream\nLorg/apache/http/client/entity/DeflateInputStream$DeflateStream;\njava/io/InputStream\n",
		}[name]
		if _, c := s.ScanAllCounted(name, []byte(text), 0); c.Undecoded != want {
			t.Errorf("%s: %d undecoded, want %d\n%s", name, c.Undecoded, want, text)
		}
	}
}

// TestRawDeflateCallsRepeated is qa21 P1: a text of raw inflate calls
// (decompress(, new Inflater(true), DeflateStream() is read in the union
// of the calls' windows, charged the bytes each call adds, so that it
// stays within the check budget: none of it is left unchecked.
func TestRawDeflateCallsRepeated(t *testing.T) {
	s := newScanner(t, scanner.Options{CheckBudget: 1})
	for name, call := range map[string]string{"a.py": "decompress(", "A.java": "new Inflater(true) ", "a.cs": "new DeflateStream(", "a.js": "inflateRaw("} {
		data := []byte(strings.Repeat(call, (4<<20)/len(call)))
		if fs, c := s.ScanAllCounted(name, data, 0); c.Unchecked != 0 || c.Undecoded != 0 || len(fs) != 0 {
			t.Errorf("%s: %d unchecked, %d undecoded, %d findings; want none", name, c.Unchecked, c.Undecoded, len(fs))
		}
	}
}

// TestRawDeflateGo: Go's flate.NewReader reads raw deflate (qa21 M5), in a
// file whose import declaration names compress/flate (or klauspost's), under
// its alias; a short stream (a credentials line alone, whose bytes are few
// control bytes) is inflated, and a run cut short that Go's DecodeString
// decodes for it is counted, never silent.
func TestRawDeflateGo(t *testing.T) {
	g := fakekey.New(21112)
	secret := g.Secret()
	run := base64.StdEncoding.EncodeToString(rawDeflate(t, []byte("aws_secret_access_key="+secret+"\n")))
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		text      string
		found     bool
		undecoded int
	}{
		"block.go":    {"package main\n\nimport (\n\t\"bytes\"\n\t\"compress/flate\"\n\t\"encoding/base64\"\n)\n\nvar raw, _ = base64.StdEncoding.DecodeString(\"" + run + "\")\nvar creds = flate.NewReader(bytes.NewReader(raw))\n", true, 0},
		"alias.go":    {"package main\n\nimport (\n\t\"bytes\"\n\tfl \"compress/flate\"\n)\n\nvar raw, _ = base64.StdEncoding.DecodeString(\"" + run + "\")\nvar creds = fl.NewReader(bytes.NewReader(raw))\n", true, 0},
		"lines.go":    {"package main\n\nimport \"compress/flate\"\nimport \"encoding/base64\"\n\nconst blob = \"" + run + "\"\n\nfunc f() {\n\traw, _ := base64.StdEncoding.DecodeString(blob)\n\t_ = flate.NewReader(bytes.NewReader(raw))\n}\n", true, 0},
		"klaus.go":    {"// Licensed under …\n\npackage main\n\nimport (\n\t\"bytes\"\n\n\t\"github.com/klauspost/compress/flate\"\n)\n\nfunc f() {\n\traw, _ := base64.StdEncoding.DecodeString(\n\t\t\"" + run + "\")\n\tflate.NewReader(bytes.NewReader(raw))\n}\n", true, 0},
		"cut.go":      {"package main\n\nimport \"compress/flate\"\n\nvar raw, _ = base64.StdEncoding.DecodeString(\"" + run[:len(run)/2] + "\")\nvar r = flate.NewReader(bytes.NewReader(raw))\n", false, 1},
		"noimport.go": {"package main\n\nimport \"bytes\"\n\nvar raw, _ = base64.StdEncoding.DecodeString(\"" + run + "\")\n\n// flate.NewReader(bytes.NewReader(raw))\n", false, 0},
		"blank.go":    {"package main\n\nimport _ \"compress/flate\"\n\nvar raw, _ = base64.StdEncoding.DecodeString(\"" + run + "\")\nvar r = flate.NewReader(bytes.NewReader(raw))\n", false, 0},
	} {
		fs, counts := s.ScanAllCounted(name, []byte(c.text), 0)
		found := false
		for _, f := range fs {
			found = found || f.Secret == secret && f.Encoding == "base64+deflate"
		}
		if found != c.found || counts.Undecoded != c.undecoded {
			t.Errorf("%s: found %v, %d undecoded; want %v, %d", name, found, counts.Undecoded, c.found, c.undecoded)
		}
	}
}
