package archive

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// launchScript is a Spring Boot style launch script: text of about 10 KiB,
// no NUL, as <executable>true</executable> writes before a jar.
func launchScript() []byte {
	var b bytes.Buffer
	b.WriteString("#!/bin/bash\n")
	for range 140 {
		b.WriteString("# launch script line: start, stop, status, run " + strings.Repeat("x", 30) + "\n")
	}
	b.WriteString("exit 0\n")
	return b.Bytes()
}

// peStub is the start of a Windows executable: what a self-extractor's
// stub looks like to a reader that does not run it.
func peStub(n int) []byte {
	b := make([]byte, n)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode.\r\r\n$")
	return b
}

// run runs a program in dir, skipping the test when it is not installed.
func run(t *testing.T, dir string, prog string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Skipf("%s not installed", prog)
	}
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", prog, args, err, out)
	}
	return out
}

// checkStub walks data and wants the member called want to hold body, with
// no warning.
func checkStub(t *testing.T, name string, data []byte, want string, body []byte) {
	t.Helper()
	got, warns, st := walk(t, name, data, DefaultLimits())
	if len(warns) > 0 || st.Unscanned > 0 {
		t.Errorf("%s: warnings %q", name, warns)
	}
	// A file too large to read whole is judged from its head and tail.
	if f := BehindAt(bytes.NewReader(data), int64(len(data))); f == None || f != Behind(data) {
		t.Errorf("%s: BehindAt %v, Behind %v", name, f, Behind(data))
	}
	if got[want] != string(body) {
		t.Errorf("%s: member %q not read; members %q", name, want, keys(got))
	}
}

// TestStubZip is qa10 HIGH-4 / newuser HIGH-2 for zip: a zip behind other
// bytes is found from its end record, as unzip and java -jar find it,
// whether its offsets count the stub (zip -A) or not (a launch script, a
// .crx header, a stub glued on).
func TestStubZip(t *testing.T) {
	creds := credBody(41)
	jar := archivetest.Zip(t, archivetest.F("META-INF/MANIFEST.MF", []byte("Manifest-Version: 1.0\n")),
		archivetest.F("BOOT-INF/classes/application.properties", creds))
	const member = "BOOT-INF/classes/application.properties"
	dir := t.TempDir()

	app := append(launchScript(), jar...)
	checkStub(t, "app.jar", app, "app.jar!"+member, creds)
	checkStub(t, "setup.exe", append(peStub(4000), jar...), "setup.exe!"+member, creds)
	// A Python zipapp: a #! line, then the zip.
	checkStub(t, "tool.pyz", append([]byte("#!/usr/bin/env python3\n"), jar...), "tool.pyz!"+member, creds)
	// Chrome extensions: CRX2 (public key and signature lengths) and
	// CRX3 (one protobuf header's length) before the zip.
	crx2 := append([]byte("Cr24"), binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 2), 162), 128)...)
	crx2 = append(append(crx2, make([]byte, 162+128)...), jar...)
	checkStub(t, "ext2.crx", crx2, "ext2.crx!"+member, creds)
	crx3 := append([]byte("Cr24"), binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 3), 600)...)
	crx3 = append(append(crx3, bytes.Repeat([]byte{0x12, 0x8a, 0x04, 0}, 150)...), jar...)
	checkStub(t, "ext3.crx", crx3, "ext3.crx!"+member, creds)

	// Real readers agree: Java's ZipFile (jar tf) and unzip read the
	// launch-script jar and the glued stub.
	if err := os.WriteFile(filepath.Join(dir, "app.jar"), app, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("jar"); err == nil {
		if out := run(t, dir, "jar", "tf", "app.jar"); !strings.Contains(string(out), member) {
			t.Errorf("jar tf app.jar does not list %s:\n%s", member, out)
		}
	}
	if _, err := exec.LookPath("unzip"); err == nil {
		// unzip warns of the bytes before the zip (exit 1) and extracts.
		out, _ := exec.Command("unzip", "-p", filepath.Join(dir, "app.jar"), member).Output()
		if !bytes.Equal(out, creds) {
			t.Errorf("unzip -p app.jar: %q", out)
		}
	}

	// zip -A: a real self-extracting zip, whose offsets count the stub.
	if err := os.WriteFile(filepath.Join(dir, "credentials"), creds, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "zip", "-q", "k.zip", "credentials")
	z, err := os.ReadFile(filepath.Join(dir, "k.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sfx.exe"), append(peStub(3000), z...), 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "zip", "-q", "-A", "sfx.exe")
	sfx, err := os.ReadFile(filepath.Join(dir, "sfx.exe"))
	if err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint32(sfx[len(sfx)-6:]) == binary.LittleEndian.Uint32(z[len(z)-6:]) {
		t.Fatal("zip -A did not adjust the offsets")
	}
	if _, err := exec.LookPath("unzip"); err == nil {
		run(t, dir, "unzip", "-tq", "sfx.exe")
	}
	checkStub(t, "sfx.exe", sfx, "sfx.exe!credentials", creds)
}

// TestStubSevenZip: a 7z behind a stub is found by its signature header,
// its CRC checked: a stub glued before a 7z, and 7-Zip's own
// self-extractor (7z a -sfx, p7zip's 7zCon.sfx ELF stub).
func TestStubSevenZip(t *testing.T) {
	creds := credBody(42)
	sz := archivetest.SevenZip(t, nil, archivetest.F("deploy/credentials", creds))
	checkStub(t, "glued.exe", append(peStub(70000), sz...), "glued.exe!deploy/credentials", creds)

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "credentials"), creds, 0o644); err != nil {
		t.Fatal(err)
	}
	prog := "7z"
	if _, err := exec.LookPath(prog); err != nil {
		prog = "7za"
	}
	run(t, dir, prog, "a", "-bd", "-y", "-sfx", "k.sfx.exe", "credentials")
	data, err := os.ReadFile(filepath.Join(dir, "k.sfx.exe"))
	if err != nil {
		t.Fatal(err)
	}
	if Detect(data) != None {
		t.Fatalf("the sfx starts as %v: no stub", Detect(data))
	}
	checkStub(t, "k.sfx.exe", data, "k.sfx.exe!credentials", creds)
}

// TestStubScript: a compressed stream or a tar at the start of a line
// after a script: makeself installers with each compressor it offers that
// keyscan reads, and a script that runs tail on itself after an
// __ARCHIVE__ line. The installers are run (or listed) to show that the
// payload is what their own code extracts.
func TestStubScript(t *testing.T) {
	creds := credBody(43)
	if _, err := exec.LookPath("makeself"); err == nil {
		for _, comp := range []string{"--gzip", "--bzip2", "--xz", "--zstd", "--nocomp"} {
			t.Run("makeself"+comp, func(t *testing.T) {
				dir := t.TempDir()
				src := filepath.Join(dir, "payload")
				if err := os.MkdirAll(src, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(src, "deploy.env"), creds, 0o644); err != nil {
					t.Fatal(err)
				}
				run(t, dir, "makeself", "--quiet", "--nox11", comp, "payload", "install.run", "test installer", "true")
				data, err := os.ReadFile(filepath.Join(dir, "install.run"))
				if err != nil {
					t.Fatal(err)
				}
				if out := run(t, dir, "sh", "install.run", "--list"); !strings.Contains(string(out), "deploy.env") {
					t.Fatalf("install.run --list:\n%s", out)
				}
				checkStub(t, "install.run", data, "install.run!./deploy.env", creds)
			})
		}
	} else {
		t.Log("makeself not installed (apt-get install makeself): its installers not tested")
	}

	t.Run("__ARCHIVE__", func(t *testing.T) {
		dir := t.TempDir()
		tgz := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("payload/deploy.env", creds)))
		script := "#!/bin/sh\nARCHIVE=$(awk '/^__ARCHIVE__/ {print NR + 1; exit 0; }' \"$0\")\n" +
			"tail -n+$ARCHIVE \"$0\" | tar xzf - -C \"$1\"\nexit 0\n__ARCHIVE__\n"
		data := append([]byte(script), tgz...)
		if err := os.WriteFile(filepath.Join(dir, "install.sh"), data, 0o755); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		run(t, dir, "sh", "install.sh", out)
		if b, err := os.ReadFile(filepath.Join(out, "payload/deploy.env")); err != nil || !bytes.Equal(b, creds) {
			t.Fatalf("the script did not extract its payload: %v", err)
		}
		checkStub(t, "install.sh", data, "install.sh!payload/deploy.env", creds)
	})

	// A payload with no NUL in it at all after a #! script, found by its
	// magic after a line break: a zstd frame of one raw block, sized so
	// that no header byte is 0 (bzip2 and zstd streams hold a NUL in
	// practice, but need not).
	t.Run("no NUL", func(t *testing.T) {
		const n = 0x2121
		body := bytes.Repeat([]byte("k"), n)
		frame := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x60}
		frame = binary.LittleEndian.AppendUint16(frame, n-256)
		h := uint32(n<<3 | 1) // a raw block, the last one
		frame = append(frame, byte(h), byte(h>>8), byte(h>>16))
		frame = append(frame, body...)
		if bytes.IndexByte(frame, 0) >= 0 {
			t.Fatalf("frame holds a NUL: % x", frame[:12])
		}
		if _, err := exec.LookPath("zstd"); err == nil {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "f.zst"), frame, 0o644); err != nil {
				t.Fatal(err)
			}
			if out := run(t, dir, "zstd", "-dc", "f.zst"); !bytes.Equal(out, body) {
				t.Fatalf("zstd -dc: %d bytes", len(out))
			}
		}
		data := append([]byte("#!/bin/sh\ntail -n+4 \"$0\" | zstd -dc\nexit\n"), frame...)
		checkStub(t, "x.sh", data, "x.sh!x", body)
	})
}

// TestStubFailsClosed: an archive recognised behind a stub that cannot be
// read is a warning counted as a part not scanned, as for any archive.
func TestStubFailsClosed(t *testing.T) {
	creds := credBody(44)
	tgz := archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("deploy.env", creds)))
	bad := append([]byte(nil), tgz...)
	for i := 20; i < len(bad)-8; i++ {
		bad[i] ^= 0x55
	}
	sz := archivetest.SevenZip(t, nil, archivetest.F("credentials", creds))
	lz4 := []byte{0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0, 0, 0, 0}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"corrupt.sh", append([]byte("#!/bin/sh\nexit 0\n"), bad...)},
		{"cut.exe", append(peStub(5000), sz[:len(sz)-40]...)},
		{"lz4.run", append([]byte("#!/bin/sh\nexit 0\n"), lz4...)},
	} {
		_, warns, st := walk(t, c.name, c.data, DefaultLimits())
		if st.Unscanned == 0 || len(warns) == 0 {
			t.Errorf("%s: no warning counted (%q)", c.name, warns)
		}
		t.Logf("%s: %q", c.name, warns)
	}
}

// TestStubLookalikes: files that hold an archive's signature without one
// behind it are not taken for one: text, a NUL-free script with bzip2's
// magic in a line, a 7z signature without its CRC, a zip end record whose
// directory is not there, and this test program itself (a binary that
// holds every signature keyscan knows among its constants).
func TestStubLookalikes(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	eocd := append([]byte("data\x00 PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00"), binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 46), 0)...)
	eocd = append(eocd, 0, 0)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"text", []byte("plain text\nPK\x05\x06 in words\n")},
		{"script", []byte("#!/bin/sh\n# a bzip2 stream starts\nBZh91AY&SY like this\n")},
		{"sevenz", append(peStub(100), append(append([]byte(nil), sevenZipSignature...), make([]byte, 40)...)...)},
		{"eocd", eocd},
		{"self", exe},
	} {
		if f, at := behind(c.data); f != None {
			t.Errorf("%s: taken for %v at %d", c.name, f, at)
		}
	}
}

// FuzzBehind: looking for an archive behind a stub must not panic, and a
// file judged from its head and tail (BehindAt, for files too large to
// read) is judged as when read whole, within the 7z window.
func FuzzBehind(f *testing.F) {
	body := credBody(45)
	z := archivetest.Zip(f, archivetest.F("a.txt", body))
	f.Add(append(launchScript(), z...))
	f.Add(append(peStub(300), z...))
	f.Add(append([]byte("#!/bin/sh\nexit 0\n"), archivetest.Gzip(f, "", archivetest.Tar(f, archivetest.F("a", body)))...))
	f.Add(append([]byte("#!/bin/sh\nexit 0\n"), archivetest.Xz(f, body)...))
	f.Add(append([]byte("#!/bin/sh\nexit 0\n"), archivetest.Zstd(f, body)...))
	f.Add(append(peStub(100), append(append([]byte(nil), sevenZipSignature...), make([]byte, 40)...)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, b := Behind(data), BehindAt(bytes.NewReader(data), int64(len(data))); a != b {
			t.Errorf("Behind %v, BehindAt %v", a, b)
		}
		// The archives found one after another lie in order inside
		// data, the first where locate finds one (or earlier); where it
		// finds none, the streams inside a binary file DetectName tells.
		ps, _ := locateAll("f", data)
		f, at := locate("f", data)
		if len(ps) > maxParts+1 || (len(ps) == 0) != (DetectName("f", data) == None) || f != None && ps[0].at > at {
			t.Fatalf("locateAll %v, locate %v at %d", ps, f, at)
		}
		for i, p := range ps {
			if p.at < 0 || p.end > len(data) || p.at > p.end || i > 0 && p.at < ps[i-1].at {
				t.Fatalf("locateAll %v", ps)
			}
		}
	})
}
