package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestCompressibleContentBeforeAKey is QA-6: content that compresses well
// (a 2 MiB member, a gzipped health-check log) ahead of a key hid it behind
// the expansion-ratio cut, "no credentials found", exit 0. The key is
// found; a limit that leaves part of an archive unread is counted in the
// summary and makes --strict exit 2.
func TestCompressibleContentBeforeAKey(t *testing.T) {
	g := fakekey.New(17)
	creds := []byte("[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ratio.zip", archivetest.Zip(t, archivetest.F("aaa.txt", bytes.Repeat([]byte("a"), 2<<20)), archivetest.F("zkey.ini", creds)))
	log := append(bytes.Repeat([]byte("2026-11-29 INFO GET /health 200 OK\n"), 30000), creds...)
	write("app.log.gz", archivetest.Gzip(t, "app.log", log))
	for _, name := range []string{"ratio.zip", "app.log.gz"} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"scan", "--strict", filepath.Join(dir, name)}, nil, &out, &errb)
		if code != exitFindings || strings.Contains(errb.String(), "expands more than") {
			t.Errorf("scan %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", name, code, exitFindings, out.String(), errb.String())
		}
	}

	// Members over max_file_size (both 1 MiB and more) are left unread:
	// counted in the summary, and --strict fails.
	write(".keyscan.toml", []byte("max_file_size = 1000000\n"))
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"scan", dir}, exitFindings, "not scanned: 2 archive parts"},
		{[]string{"scan", "--strict", dir}, exitError, "strict: 2 archive parts not scanned whole"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, nil, &out, &errb)
		if code != c.code || !strings.Contains(out.String()+errb.String(), c.want) {
			t.Errorf("keyscan %s: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), code, c.code, c.want, out.String(), errb.String())
		}
	}
}
