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
