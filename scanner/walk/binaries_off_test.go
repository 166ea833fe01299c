package walk_test

import (
	"context"
	"fmt"
	"math/rand/v2"
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
	// A binary file: a key after 2 KiB of random bytes (an eighth of
	// them control bytes, as in compiled code or compressed data).
	blob := make([]byte, 2048)
	rand.NewChaCha8([32]byte{7}).Read(blob)
	blob = append(blob, ini...)
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

// TestBinariesOffReadsTextWithNUL is qa12 MEDIUM-21: with binaries = false a
// credentials file whose comment holds one NUL (binary by git's rule) was
// skipped, while configparser and the SDKs read it whole. Text with a stray
// NUL is read now, in every command (content.Scan decides), as binary
// files are read when they are on.
func TestBinariesOffReadsTextWithNUL(t *testing.T) {
	g := fakekey.New(78)
	id := g.KeyID("AKIA")
	ini := fmt.Appendf(nil, "# team credentials \x00\n[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", id, g.Secret())
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "credentials"), ini, 0o600); err != nil {
		t.Fatal(err)
	}
	opts := content.DefaultOptions()
	opts.SkipBinary = true
	res, err := walk.Walk(context.Background(), []string{dir}, fixture.Scanner(t), walk.Options{Content: opts})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 || res.Findings[0].Secret != id {
		t.Errorf("findings %v, want the key pair in credentials", res.Findings)
	}
	if res.Stats.Binary != 0 {
		t.Errorf("binary files left out: %d, want 0", res.Stats.Binary)
	}
}
