package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestSevenZipKeys is qa8 MEDIUM-1: a credentials file in a 7z archive made
// with 7z's defaults (LZMA2, compressed header) was "no credentials found",
// exit 0, even with --strict, while gitleaks found it. scan, history,
// staged and pre-receive now read it, naming the member a.7z!credentials;
// an encrypted or truncated 7z is a warning, and --strict exits 2.
func TestSevenZipKeys(t *testing.T) {
	g := fakekey.New(7007)
	creds := fakeCredsFile(g)
	a := archivetest.SevenZip(t, nil, archivetest.F("credentials", []byte(creds)), archivetest.F("docs/readme.txt", []byte("hello\n")))
	enc := archivetest.SevenZip(t, []string{"-psecret"}, archivetest.F("credentials", []byte(creds)))
	dir := t.TempDir()
	for name, data := range map[string][]byte{"a.7z": a, "enc.7z": enc, "cut.7z": a[:len(a)-20]} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := keyscanIn(t, dir, "scan", "--strict", "a.7z")
	if r.code != exitFindings || strings.Count(r.stdout, "a.7z!credentials") != 1 || !strings.Contains(r.stdout, "2 findings") {
		t.Errorf("scan --strict a.7z: exit %d, want 1 and the key in a.7z!credentials\n%s%s", r.code, r.stdout, r.stderr)
	}
	for name, warn := range map[string]string{
		"enc.7z": "enc.7z!credentials: encrypted member (7zAES): not scanned",
		"cut.7z": "cut.7z: corrupt 7z archive",
	} {
		if r := keyscanIn(t, dir, "scan", name); r.code != 0 || !strings.Contains(r.stderr, warn) || !strings.Contains(r.stdout+r.stderr, "not scanned: 1 archive part") {
			t.Errorf("scan %s: exit %d, want 0 with %q\n%s%s", name, r.code, warn, r.stdout, r.stderr)
		}
		if r := keyscanIn(t, dir, "scan", "--strict", name); r.code != exitError {
			t.Errorf("scan --strict %s: exit %d, want 2\n%s%s", name, r.code, r.stdout, r.stderr)
		}
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "backup/a.7z", string(a))
	gitOK(t, repo, "add", "backup/a.7z")
	if r := keyscanIn(t, repo, "staged"); r.code != exitFindings || !strings.Contains(r.stdout, "backup/a.7z!credentials") {
		t.Errorf("staged: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "backup")
	if r := keyscanIn(t, repo, "history", "."); r.code != exitFindings || !strings.Contains(r.stdout, "backup/a.7z!credentials") {
		t.Errorf("history: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("backup/a.7z", string(a), "add a 7z")
	s.mustRefuse([]string{"backup/a.7z!credentials"}, "origin", "main")
}

// TestDebKeys is the .deb half of qa8 MEDIUM-1: a Debian package (an ar
// archive holding data.tar.xz) made by dpkg-deb, with a credentials file
// in it, was "no credentials found". The key is found in the member of the
// data.tar inside it.
func TestDebKeys(t *testing.T) {
	g := fakekey.New(7008)
	deb := archivetest.Deb(t, "xz", archivetest.F("etc/app/credentials", []byte(fakeCredsFile(g))))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app_1.0_all.deb"), deb, 0o644); err != nil {
		t.Fatal(err)
	}
	r := keyscanIn(t, dir, "scan", "--strict", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "app_1.0_all.deb!data.tar.xz!./etc/app/credentials") || !strings.Contains(r.stdout, "2 findings") {
		t.Errorf("scan --strict: exit %d, want 1 and the key in the package's data.tar.xz\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestBrotliKeys is the Brotli half of qa8 MEDIUM-1: a credentials file
// precompressed as Brotli (app.env.br) was "no credentials found". It is
// found by scan, staged, history and pre-receive; in history also when the
// same blob was first committed under a name that is not .br, so that the
// name it is scanned under first cannot hide it.
func TestBrotliKeys(t *testing.T) {
	g := fakekey.New(7009)
	br := archivetest.Brotli(t, 9, []byte(fakeCredsFile(g)))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.env.br"), br, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "."); r.code != exitFindings || !strings.Contains(r.stdout, "app.env.br!app.env") || !strings.Contains(r.stdout, "2 findings") {
		t.Errorf("scan --strict: exit %d, want 1 and the key in app.env.br!app.env\n%s%s", r.code, r.stdout, r.stderr)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "blob.dat", string(br))
	gitOK(t, repo, "add", "blob.dat")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "opaque")
	if err := os.Mkdir(filepath.Join(repo, "public"), 0o755); err != nil {
		t.Fatal(err)
	}
	gitOK(t, repo, "mv", "blob.dat", "public/app.env.br")
	if r := keyscanIn(t, repo, "staged"); r.code != exitFindings || !strings.Contains(r.stdout, "public/app.env.br!app.env") {
		t.Errorf("staged rename to .br: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "serve it")
	if r := keyscanIn(t, repo, "history", "."); r.code != exitFindings || !strings.Contains(r.stdout, "public/app.env.br!app.env") {
		t.Errorf("history: exit %d, want 1 and the key under its .br name\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("dist/app.env.br", string(br), "add precompressed")
	s.mustRefuse([]string{"dist/app.env.br!app.env"}, "origin", "main")
}

// TestPDFKeys: a PDF that shows a credentials file, its page text
// deflated and drawn in kerned pieces as PDF writers draw it, was "no
// credentials found" from every command: its own bytes show nothing. The
// page is found by scan, staged, history and pre-receive.
func TestPDFKeys(t *testing.T) {
	g := fakekey.New(7011)
	id, secret := g.KeyID("AKIA"), g.Secret()
	page := "BT /F1 10 Tf 72 720 Td ([default]) Tj T* [(aws_access_key_id = " + id[:7] + ")-18(" + id[7:] + ")] TJ T* " +
		"[(aws_secret_access_key = " + secret[:11] + ")40(" + secret[11:] + ")] TJ ET"
	pdf := archivetest.PDF([]archivetest.PDFObject{{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 9, []byte(page))}}, "")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "handover.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := keyscanIn(t, dir, "scan", "--strict", "."); r.code != exitFindings || !strings.Contains(r.stdout, "handover.pdf!object 2 text") || !strings.Contains(r.stdout, "2 findings") {
		t.Errorf("scan --strict: exit %d, want 1 and the key pair in handover.pdf!object 2 text\n%s%s", r.code, r.stdout, r.stderr)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "docs/handover.pdf", string(pdf))
	gitOK(t, repo, "add", "docs/handover.pdf")
	if r := keyscanIn(t, repo, "staged"); r.code != exitFindings || !strings.Contains(r.stdout, "docs/handover.pdf!object 2 text") {
		t.Errorf("staged: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "handover notes")
	if r := keyscanIn(t, repo, "history", "."); r.code != exitFindings || !strings.Contains(r.stdout, "docs/handover.pdf!object 2 text") {
		t.Errorf("history: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("docs/handover.pdf", string(pdf), "add handover")
	s.mustRefuse([]string{"docs/handover.pdf!object 2 text"}, "origin", "main")
}

// TestCpioKeys is qa16 HIGH-1: a gzip'd credentials file inside an
// initramfs (a gzip'd cpio archive) passed scan --strict and history with
// exit 0: the cpio inside the gzip was read only as a binary file's text
// runs. It is opened now, in every command.
func TestCpioKeys(t *testing.T) {
	creds := archivetest.Gzip(t, "credentials", []byte(fakeCredsFile(fakekey.New(7321))))
	img := archivetest.Gzip(t, "", archivetest.Cpio(t, "newc", archivetest.F("etc/credentials.gz", creds)))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "initrd.img"), img, 0o644); err != nil {
		t.Fatal(err)
	}
	member := "initrd.img!initrd!etc/credentials.gz!credentials"
	if r := keyscanIn(t, dir, "scan", "--strict", "initrd.img"); r.code != exitFindings || !strings.Contains(r.stdout, member) {
		t.Errorf("scan --strict: exit %d, want 1 and %s\n%s%s", r.code, member, r.stdout, r.stderr)
	}
	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "boot/initrd.img", string(img))
	gitOK(t, repo, "add", "boot")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "boot")
	if r := keyscanIn(t, repo, "history", "--strict", "."); r.code != exitFindings || !strings.Contains(r.stdout, "boot/"+member) {
		t.Errorf("history: exit %d, want 1 and %s\n%s%s", r.code, member, r.stdout, r.stderr)
	}
}
