package walk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestBinariesOffStillOpensArchives: --binaries=false leaves binary files
// out, but an archive (binary from its first bytes) is still opened, as
// content.Scan decides for every source.
func TestBinariesOffStillOpensArchives(t *testing.T) {
	g := fakekey.New(77)
	ini := fmt.Appendf(nil, "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", g.KeyID("AKIA"), g.Secret())
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.zip"), archivetest.Zip(t, archivetest.F("conf/app.ini", ini)), 0o644); err != nil {
		t.Fatal(err)
	}
	blob := append([]byte{0, 1, 2, 3}, ini...)
	if err := os.WriteFile(filepath.Join(dir, "blob.bin"), blob, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := content.DefaultOptions()
	opts.SkipBinary = true
	res, err := walk.Walk(context.Background(), []string{dir}, fixture.Scanner(t), walk.Options{Content: opts})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "app.zip") + "!conf/app.ini"
	if len(res.Findings) != 2 || res.Findings[0].File != want || res.Findings[1].File != want {
		t.Errorf("findings %v, want the key pair in %s only", res.Findings, want)
	}
	if res.Stats.Binary != 1 {
		t.Errorf("binary files left out: %d, want 1 (blob.bin)", res.Stats.Binary)
	}
}
