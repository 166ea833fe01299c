package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
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

// TestTooLargeAdvice is qa3 LOW-3: scan and history give the same advice
// for what they skip by size: an archive is read up to
// archives.max_archive_size, any other file up to max_file_size.
func TestTooLargeAdvice(t *testing.T) {
	dir := t.TempDir()
	noise := make([]byte, 4000)
	for i := range noise {
		noise[i] = byte(i*7919>>3 ^ i*31)
	}
	files := map[string][]byte{
		".keyscan.toml": []byte("max_file_size = 1000\n\n[archives]\nmax_archive_size = 2000\n"),
		"big.zip":       archivetest.Zip(t, archivetest.F("noise.bin", noise)),
		"big.txt":       bytes.Repeat([]byte("x"), 3000),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"git", "init", "-q", dir}, {"git", "-C", dir, "add", "."},
		{"git", "-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "big"}} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	for _, cmd := range []string{"scan", "history"} {
		var out, errb bytes.Buffer
		run(context.Background(), []string{cmd, dir}, nil, &out, &errb)
		all := out.String() + errb.String()
		for _, want := range []string{
			"big.zip", "an archive larger than archives.max_archive_size (2000 bytes): not scanned; raise archives.max_archive_size in the configuration to scan it",
			"big.txt", "3000 bytes, larger than max_file_size (1000 bytes): not scanned; raise max_file_size in the configuration to scan it, or exclude the path there",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("keyscan %s: output lacks %q\n%s", cmd, want, all)
			}
		}
		if strings.Count(all, "archives.max_archive_size") != 2 {
			t.Errorf("keyscan %s: advice on archives.max_archive_size given for something else\n%s", cmd, all)
		}
	}
}
