package archive

import (
	"bytes"
	"compress/zlib"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPNGText is qa15 MEDIUM-6: a PNG's compressed text chunks (zTXt,
// iTXt with its flag set) and its ICC profile (iCCP) are zlib-compressed,
// so a key in a comment was missed with --strict 0. Pillow writes them as
// applications do; each is a member named by its type and keyword, a
// plain tEXt is none (the image's own bytes are scanned), and a chunk
// that cannot be read is counted.
func TestPNGText(t *testing.T) {
	if err := exec.Command("python3", "-c", "import PIL").Run(); err != nil {
		t.Skip("python3 with Pillow (python3-pil) not installed: not checked")
	}
	out := filepath.Join(t.TempDir(), "shot.png")
	script := `
import sys
from PIL import Image, PngImagePlugin
info = PngImagePlugin.PngInfo()
info.add_text("Comment", "aws_secret_access_key = marker-ztxt\n" * 3, zip=True)
info.add_itxt("Description", "marker-itxt " * 10, lang="en", tkey="Beschreibung", zip=True)
info.add_itxt("Plain", "marker-plain-itxt", zip=False)
info.add_text("Software", "marker-text")
icc = b"\0" * 128 + b"desc marker-icc " * 20
Image.new("RGB", (4, 4)).save(sys.argv[1], pnginfo=info, icc_profile=icc)
`
	if b, err := exec.Command("python3", "-c", script, out).CombinedOutput(); err != nil {
		t.Fatalf("Pillow: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if f := DetectName("shot.png", data); f != Png {
		t.Fatalf("DetectName = %v", f)
	}
	got, warns, st := walk(t, "shot.png", data, DefaultLimits())
	if len(warns) > 0 || st.Unscanned > 0 {
		t.Errorf("warnings %q", warns)
	}
	want := map[string]string{"zTXt/Comment": "marker-ztxt", "iTXt/Description": "marker-itxt", "iCCP/ICC Profile": "marker-icc"}
	for m, s := range want {
		if !strings.Contains(got["shot.png!"+m], s) {
			t.Errorf("member %s lacks %q (members %q)", m, s, keys(got))
		}
	}
	if len(got) != len(want) {
		t.Errorf("members %q, want %d", keys(got), len(want))
	}

	// A zTXt whose text is no zlib stream, and one cut by the file's end:
	// counted. An image cut in its pixels is not (nothing was left unread).
	chunk := func(typ string, body []byte) []byte {
		b := []byte{byte(len(body) >> 24), byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}
		return append(append(append(b, typ...), body...), 0, 0, 0, 0)
	}
	head := data[:33] // signature and IHDR
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("marker"))
	zw.Close()
	for name, c := range map[string][]byte{
		"not zlib": append(bytes.Clone(head), chunk("zTXt", []byte("Comment\x00\x00not zlib"))...),
		"cut":      append(bytes.Clone(head), chunk("zTXt", append([]byte("Comment\x00\x00"), z.Bytes()...))[:20]...),
		"no key":   append(bytes.Clone(head), chunk("zTXt", append([]byte("\x00\x00"), z.Bytes()...))...),
	} {
		if _, warns, st := walk(t, "x.png", c, DefaultLimits()); st.Unscanned == 0 {
			t.Errorf("%s: not counted (%q)", name, warns)
		}
	}
	if _, warns, st := walk(t, "x.png", data[:60], DefaultLimits()); st.Unscanned > 0 {
		t.Errorf("an image cut in its pixels: %q", warns)
	}
}
