package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestArchiveBehindStub is qa10 HIGH-4 / newuser HIGH-2: an archive behind
// other bytes (a Spring Boot launch script before a jar, a self-extracting
// .exe, a script with a tgz after its __ARCHIVE__ line) was read as one
// opaque file: a compressed key inside passed scan --strict, staged,
// history and the pre-receive gate in silence. They are opened now, in
// every command; one recognised but unreadable is a part not scanned.
func TestArchiveBehindStub(t *testing.T) {
	script := "#!/bin/bash\n" + strings.Repeat("# launch script: start|stop|status|run\n", 250) + "exit 0\n"
	jar := archivetest.Zip(t, archivetest.F("META-INF/MANIFEST.MF", []byte("Manifest-Version: 1.0\n")),
		archivetest.F("BOOT-INF/classes/application.properties", []byte(fakeCredsFile(fakekey.New(7301)))))
	app := script + string(jar)
	exe := "MZ\x90\x00" + strings.Repeat("\x00", 4000) + string(archivetest.Zip(t, archivetest.F("conf/credentials", []byte(fakeCredsFile(fakekey.New(7302))))))
	tgz := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("payload/deploy.env", []byte(fakeCredsFile(fakekey.New(7303))))))
	install := "#!/bin/sh\ntail -n+4 \"$0\" | tar xz\nexit 0\n" + string(tgz)
	bad := []byte(string(tgz))
	for i := 20; i < len(bad)-8; i++ {
		bad[i] ^= 0x55
	}
	broken := "#!/bin/sh\ntail -n+4 \"$0\" | tar xz\nexit 0\n" + string(bad)

	dir := t.TempDir()
	files := map[string]string{"app.jar": app, "setup.exe": exe, "install.sh": install}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	members := []string{"app.jar!BOOT-INF/classes/application.properties", "setup.exe!conf/credentials", "install.sh!payload/deploy.env"}
	r := keyscanIn(t, dir, "scan", "--strict", "app.jar", "setup.exe", "install.sh")
	for _, m := range members {
		if r.code != exitFindings || !strings.Contains(r.stdout, m) {
			t.Errorf("scan --strict: exit %d, want 1 and %s\n%s%s", r.code, m, r.stdout, r.stderr)
		}
	}
	// Over max_file_size: scan finds the jar behind its launch script from
	// the file's tail and opens it, as it opens a plain jar that large.
	if err := os.WriteFile(filepath.Join(dir, "small.toml"), []byte("max_file_size = 4096\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "--config", "small.toml", "app.jar", "setup.exe"); r.code != exitFindings ||
		!strings.Contains(r.stdout, members[0]) || !strings.Contains(r.stdout, members[1]) {
		t.Errorf("scan --strict over max_file_size: exit %d, want 1 and the keys\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.sh"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "broken.sh"); r.code != exitError || !strings.Contains(r.stderr, "broken.sh!broken") {
		t.Errorf("scan --strict broken.sh: exit %d, want 2 and a warning\n%s%s", r.code, r.stdout, r.stderr)
	}

	repo := newCommittedRepo(t)
	for name, data := range files {
		writeRepoFile(t, repo, "dist/"+name, data)
	}
	gitOK(t, repo, "add", "dist")
	if r := keyscanIn(t, repo, "staged"); r.code != exitFindings || !strings.Contains(r.stdout, "dist/"+members[0]) || !strings.Contains(r.stdout, "dist/"+members[2]) {
		t.Errorf("staged: exit %d, want 1 and the keys\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "dist")
	r = keyscanIn(t, repo, "history", "--strict", ".")
	for _, m := range members {
		if r.code != exitFindings || !strings.Contains(r.stdout, "dist/"+m) {
			t.Errorf("history: exit %d, want 1 and %s\n%s%s", r.code, m, r.stdout, r.stderr)
		}
	}

	s := newServer(t)
	s.commit("dist/app.jar", app, "add an executable jar")
	s.mustRefuse([]string{"dist/app.jar!BOOT-INF/classes/application.properties"}, "origin", "main")
	gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD~1")
	s.commit("dist/broken.sh", broken, "add an installer")
	s.mustRefuse(nil, "origin", "main")
}

// TestArchivesAfterTheFirst is qa15 HIGH-5: a self-extractor or firmware
// file holding two 7z archives (A/B slots) had only the first opened: a key
// in the second passed scan --strict and history with exit 0. Both are
// opened now, the same member path in each reported under its own name.
func TestArchivesAfterTheFirst(t *testing.T) {
	a, b := fakekey.New(7311), fakekey.New(7312)
	z7A := archivetest.SevenZip(t, nil, archivetest.F("credentials", []byte(fakeCredsFile(a))))
	z7B := archivetest.SevenZip(t, nil, archivetest.F("credentials", []byte(fakeCredsFile(b))))
	stub := "MZ\x90\x00" + strings.Repeat("\x00", 4000)
	dir := t.TempDir()
	fw := stub + string(z7A) + string(z7B)
	if err := os.WriteFile(filepath.Join(dir, "two.exe"), []byte(fw), 0o644); err != nil {
		t.Fatal(err)
	}
	second := "two.exe@" + strconv.Itoa(len(stub)+len(z7A)) + "!credentials"
	r := keyscanIn(t, dir, "scan", "--strict", "--format", "json", "two.exe")
	if r.code != exitFindings || !strings.Contains(r.stdout, `"two.exe!credentials"`) || !strings.Contains(r.stdout, `"`+second+`"`) {
		t.Errorf("scan --strict: exit %d, want 1 and both archives' keys\n%s%s", r.code, r.stdout, r.stderr)
	}
	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "fw/two.exe", fw)
	gitOK(t, repo, "add", "fw")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "fw")
	if r := keyscanIn(t, repo, "history", "--strict", "."); r.code != exitFindings || !strings.Contains(r.stdout, "fw/"+second) {
		t.Errorf("history: exit %d, want 1 and %s\n%s%s", r.code, second, r.stdout, r.stderr)
	}
}
