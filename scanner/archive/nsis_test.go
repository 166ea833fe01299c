package archive

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNSISRecognised is qa12 MEDIUM-5's rest: an NSIS installer (makensis's
// setup.exe) holds its files compressed in NSIS's own framing, which Walk
// does not open; it was read as a program's printable runs and passed in
// silence. It is recognised now (default, solid zlib, bzip2 and LZMA) and
// said, counted as a part not scanned; a program without NSIS's header is
// not taken for one.
func TestNSISRecognised(t *testing.T) {
	if _, err := exec.LookPath("makensis"); err != nil {
		t.Skip("no makensis here (.ci/run installs nsis): not checked")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.ini"), []byte("[app]\nname = demo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"", "SetCompressor /SOLID zlib\n", "SetCompressor bzip2\n", "SetCompressor /SOLID lzma\n"} {
		script := c + "OutFile \"setup.exe\"\nInstallDir \"$PROGRAMFILES\\App\"\nSection\n  SetOutPath \"$INSTDIR\"\n  File \"app.ini\"\nSectionEnd\n"
		if err := os.WriteFile(filepath.Join(dir, "s.nsi"), []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("makensis", "-V1", "s.nsi")
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("makensis %q: %v\n%s", c, err, b)
		}
		data, err := os.ReadFile(filepath.Join(dir, "setup.exe"))
		if err != nil {
			t.Fatal(err)
		}
		if f := DetectName("setup.exe", data); f != Nsis {
			t.Errorf("%q: detected as %v, want nsis", c, f)
			continue
		}
		_, warns, st := walk(t, "setup.exe", data, DefaultLimits())
		if len(warns) != 1 || !strings.Contains(warns[0], "NSIS installer not opened") || st.Unscanned != 1 {
			t.Errorf("%q: warnings %q, %d unscanned; want the installer said and counted", c, warns, st.Unscanned)
		}
	}
	plain := append([]byte("MZ"), make([]byte, 4096)...)
	copy(plain[1000:], "\xef\xbe\xad\xdeNullsoftInst") // not at a multiple of 512
	if f := DetectName("tool.exe", plain); f != None {
		t.Errorf("a program without NSIS's first header: detected as %v", f)
	}
}
