package scanner_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestZlibLevelsAndZip64 is qa15 MEDIUM-8's rest: zlib at levels 1 and 9
// (78 01, 78 da), whose heads are no anchor, in base64 within 1 KiB of a
// Python decompress( call, and a zip64 (python3's force_zip64) in base64
// anywhere, are kept as members for the caller to open; the same zlib
// far from any call is not read (the README says so).
func TestZlibLevelsAndZip64(t *testing.T) {
	g := fakekey.New(23400)
	cred := []byte("[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kept := func(name, text string, want []byte) bool {
		_, c := s.ScanAllCounted(name, []byte(text), 0)
		return len(c.Embedded) == 1 && bytes.Equal(c.Embedded[0].Data, want)
	}
	for _, level := range []int{zlib.BestSpeed, zlib.BestCompression} {
		var zb bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&zb, level)
		zw.Write(cred)
		zw.Close()
		run := base64.StdEncoding.EncodeToString(zb.Bytes())
		if !kept("zl.py", "BLOB = zlib.decompress(base64.b64decode(\""+run+"\"))\n", zb.Bytes()) {
			t.Errorf("zlib level %d near decompress(: not kept", level)
		}
		if kept("zl.yaml", "blob: "+run+"\n", zb.Bytes()) {
			t.Errorf("zlib level %d with no call: kept, the README says it is not read", level)
		}
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed (.ci/run installs it): zip64 not checked")
	}
	for _, dd := range []string{"False", "True"} {
		script := "import io, sys, zipfile\nb = io.BytesIO()\nwith zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:\n" +
			"    with z.open('credentials', 'w', force_zip64=True) as f: f.write(sys.argv[1].encode())\n" +
			"d = b.getvalue()\nif " + dd + ": d = d[:6] + bytes([d[6] | 8]) + d[7:]\nsys.stdout.buffer.write(d)\n"
		out, err := exec.Command("python3", "-c", script, string(cred)).Output()
		if err != nil {
			t.Fatalf("python3: %v", err)
		}
		if !kept("z.yaml", "data: "+base64.StdEncoding.EncodeToString(out)+"\n", out) {
			t.Errorf("zip64 (data descriptor flag %s) in base64: not kept", dd)
		}
	}
}

// TestZlibNearKeyword: zlib at levels 1 and 9 in base64 (no anchor names
// their heads) with no call near, as python3's zlib.compress writes it, in
// a run the scan for secrets reads (near a keyword: a Kubernetes Secret's
// data, a JSON secret; on one line or wrapped in a YAML block), is kept
// for the caller to open; far from any keyword it is not read (the README
// says so).
func TestZlibNearKeyword(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed (.ci/run installs it)")
	}
	g := fakekey.New(24900)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range []string{"1", "9"} {
		for pad := range 4 { // the first deflate byte varies the head's third character
			cred := strings.Repeat("#", pad) + "[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
			out, err := exec.Command("python3", "-c", "import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.argv[1].encode(), "+level+"))", cred).Output()
			if err != nil {
				t.Fatalf("python3: %v", err)
			}
			run := base64.StdEncoding.EncodeToString(out)
			var wrapped strings.Builder
			for i := 0; i < len(run); i += 76 {
				wrapped.WriteString("    " + run[i:min(len(run), i+76)] + "\n")
			}
			for name, text := range map[string]string{
				"secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  credentials: " + run + "\n",
				"c.json":      `{"secret": "` + run + `"}`,
				"block.yaml":  "aws_secret_bundle: |\n" + wrapped.String(),
				"far.yaml":    "blob: " + run + "\n",
			} {
				_, c := s.ScanAllCounted(name, []byte(text), 0)
				if kept := len(c.Embedded) == 1 && bytes.Equal(c.Embedded[0].Data, out); kept != (name != "far.yaml") {
					t.Errorf("zlib level %s (%.3s) in %s: %d members kept", level, run, name, len(c.Embedded))
				}
			}
		}
	}
}
