package archive

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSplitZip is qa12 LOW-8: the parts of a split zip (zip -s) but the
// first were read by no command and said nothing, while a middle part may
// hold a whole member (a streaming reader extracts it from that part
// alone). Every part is now a counted warning (the archive cannot be read
// whole from one part), and the members whose data lie whole in a part
// are read from their local headers.
func TestSplitZip(t *testing.T) {
	if _, err := exec.LookPath("zip"); err != nil {
		t.Skip("no zip here (.ci/run installs it): not checked")
	}
	const creds = "[default]\naws_secret_access_key = abc/DEF+ghi0123456789abcdefghijklmnopq\n"
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	noise := make([]byte, 300000)
	rand.NewChaCha8([32]byte{9}).Read(noise)
	for name, data := range map[string][]byte{"a.bin": noise, "credentials": []byte(creds), "z.bin": noise[1000:]} {
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("zip", "-q", "-s", "100k", "bundle.zip", "src/a.bin", "src/credentials", "src/z.bin")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("zip -s: %v\n%s", err, b)
	}
	parts, _ := filepath.Glob(filepath.Join(dir, "bundle.z*"))
	if len(parts) < 4 {
		t.Fatalf("zip -s wrote %d parts, want 4 or more", len(parts))
	}
	found := 0
	for _, p := range parts {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		if DetectName(name, data) != Zip {
			t.Errorf("%s: detected as %v, want a zip", name, DetectName(name, data))
			continue
		}
		got, warns, st := walk(t, name, data, DefaultLimits())
		said := false
		for _, w := range warns {
			said = said || strings.Contains(w, "part of a split zip archive")
		}
		if !said || st.Unscanned == 0 {
			t.Errorf("%s: warnings %q, %d unscanned; want the split part said and counted", name, warns, st.Unscanned)
		}
		if got[name+"!src/credentials"] == creds {
			found++
		}
	}
	if found != 1 {
		t.Errorf("the credentials member read from %d parts, want 1", found)
	}
	for _, name := range []string{"notes.zip", "a.zst", "x.z", "notes.z01"} {
		if splitZipPart(name, []byte("text")) {
			t.Errorf("%s: taken for a split part", name)
		}
	}
}
