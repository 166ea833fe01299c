package outfile

import (
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, path string, private bool, text string) error {
	t.Helper()
	f, err := Create(path, private)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}

func TestLinkNeverWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{victim, filepath.Join(dir, "nowhere"), dir} {
		link := filepath.Join(dir, "report")
		os.Remove(link)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		if err := write(t, link, false, "report"); err == nil {
			t.Errorf("a link to %s was written through", target)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("the link's target was changed: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("a dangling link's target was created")
	}
}

func TestRegularFileReplaced(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	if err := os.WriteFile(p, []byte("old and longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := write(t, p, true, "new"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("got %q mode %v, want \"new\" 0600", b, fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	// An aborted output leaves the name as it was.
	f, err := Create(p, false)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	f.Abort()
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("an aborted output changed the file: %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestDeviceWrittenInPlace(t *testing.T) {
	if err := write(t, os.DevNull, false, "x"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(os.DevNull)
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a device: %v %v", os.DevNull, fi.Mode(), err)
	}
	if err := write(t, t.TempDir(), false, "x"); err == nil {
		t.Error("a folder was accepted as the output")
	}
}

// TestCreateBeneathRefusesLinkedFolder: a link planted at a folder of the
// output path below the current folder (reports -> elsewhere, qa9 LOW-9)
// is not written through; a real folder is written into.
func TestCreateBeneathRefusesLinkedFolder(t *testing.T) {
	root := t.TempDir()
	elsewhere := t.TempDir()
	t.Chdir(root)
	if err := os.Symlink(elsewhere, "reports"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join("real", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join("real", "deep")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"reports/keyscan.sarif", "./reports/x.json", "real/deep/x.json", filepath.Join(root, "reports", "abs.json")} {
		if f, err := CreateBeneath(p, false); err == nil {
			f.Abort()
			t.Errorf("%s: written through the linked folder", p)
		}
	}
	if ents, _ := os.ReadDir(elsewhere); len(ents) != 0 {
		t.Errorf("files appeared in the link's target: %v", ents)
	}
	f, err := CreateBeneath(filepath.Join("real", "sub", "ok.json"), false)
	if err != nil {
		t.Fatalf("a real folder: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
