package archive

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestZipBehindFormats is review15 B-6: a zip glued to a PNG image, a
// compound file or a Redis dump (cat image.png secrets.zip) was opened
// before those formats were, and then no longer: nothing found, nothing
// counted. The image is opened, then the zip after it.
func TestZipBehindFormats(t *testing.T) {
	creds := credBody(61)
	z := archivetest.Zip(t, archivetest.F("deploy/credentials", creds))
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	heads := map[string][]byte{"logo.png": img.Bytes(), "dump.rdb": []byte("REDIS0009\xfa\x09redis-ver\x057.2.4\xff")}
	if _, err := exec.LookPath("python3"); err == nil {
		out := filepath.Join(t.TempDir(), "vbaProject.bin")
		if b, err := exec.Command("python3", "testdata/mkvba.py", out, "marker").CombinedOutput(); err != nil {
			t.Fatalf("mkvba.py: %v\n%s", err, b)
		}
		bin, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		heads["macro.doc"] = bin
	} else {
		t.Log("python3 not installed: a compound file before a zip is not checked")
	}
	for name, head := range heads {
		data := append(bytes.Clone(head), z...)
		if f := DetectName(name, data); f == None {
			t.Errorf("%s: DetectName = None", name)
		}
		got, warns, st := walk(t, name, data, DefaultLimits())
		want := fmt.Sprintf("%s@%d!deploy/credentials", name, len(head))
		if got[want] != string(creds) || st.Unscanned > 0 {
			t.Errorf("%s: member %s not read (warnings %q); members %q", name, want, warns, keys(got))
		}
	}
}
