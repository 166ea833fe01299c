package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestGoPackArchives is newuser MEDIUM-6: an ar archive padded with NUL
// bytes, as Go's toolchain writes its .a and .o files (made here by go tool
// pack), was "corrupt ar archive: no member header", so --strict exited 2
// and pre-receive refused a push of Go's own test data. Such an archive is
// read whole now: a clean one passes scan --strict and the gate, and a key
// in a gzip member after the NUL pad is found by scan and refused by the
// gate, named after the member.
func TestGoPackArchives(t *testing.T) {
	clean := archivetest.GoPack(t, archivetest.F("__.PKGDEF", []byte("go object linux amd64\n!\n")), archivetest.F("_go_.o", []byte("odd")),
		archivetest.F("last.o", []byte("end")))
	keyed := archivetest.GoPack(t, archivetest.F("odd.txt", []byte("odd")),
		archivetest.F("app.ini.gz", archivetest.Gzip(t, "", []byte(fakeCredsFile(fakekey.New(7101))))))
	dir := t.TempDir()
	for name, data := range map[string][]byte{"clean.a": clean, "keyed.a": keyed} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "clean.a"); r.code != 0 || strings.Contains(r.stderr, "warning") {
		t.Errorf("scan --strict clean.a: exit %d, want 0 and no warning\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "keyed.a"); r.code != exitFindings || !strings.Contains(r.stdout, "keyed.a!app.ini.gz!app.ini") || strings.Contains(r.stderr, "warning") {
		t.Errorf("scan --strict keyed.a: exit %d, want 1 and the key in keyed.a!app.ini.gz!app.ini\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("pkg/linux_amd64/lib.a", string(clean), "a Go archive")
	s.mustPush("origin", "main")
	s.commit("pkg/keyed.a", string(keyed), "a key after the pad")
	s.mustRefuse([]string{"pkg/keyed.a!app.ini.gz!app.ini"}, "origin", "main")
}
