package scanner

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

// TestGluedSQLite builds SQLite databases with python3's sqlite3, which
// stores a row's text columns back to back: a key/value table (names in
// lower and in upper case) and a credentials table whose row holds the key
// ID right after the user name and the secret right after the key ID. Each
// gives the key ID and the secret.
func TestGluedSQLite(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
	sc := binScanner(t)
	const script = `import sqlite3, sys
path, layout, k, s = sys.argv[1:]
db = sqlite3.connect(path)
if layout == "kv":
    db.execute("create table t(k text, v text)")
    db.executemany("insert into t values (?, ?)", [("aws_access_key_id", k), ("aws_secret_access_key", s)])
elif layout == "kv-upper":
    db.execute("create table t(id integer primary key, name text, value text)")
    db.executemany("insert into t values (?, ?, ?)", [(1, "AWS_ACCESS_KEY_ID", k), (2, "AWS_SECRET_ACCESS_KEY", s)])
else:
    db.execute("create table t(id integer primary key, user text, access_key_id text, secret_access_key text, created integer)")
    db.execute("insert into t values (1, 'deploy', ?, ?, 1700000000)", (k, s))
db.commit()
db.close()
`
	dir := t.TempDir()
	for i, layout := range []string{"kv", "kv-upper", "row"} {
		for seed := range uint64(3) {
			g := fakekey.New(100 + 10*uint64(i) + seed)
			id, secret := g.KeyID("AKIA"), g.Secret()
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.sqlite", layout, seed))
			if b, err := exec.Command("python3", "-c", script, path, layout, id, secret).CombinedOutput(); err != nil {
				t.Fatalf("python3 sqlite3: %v\n%s", err, b)
			}
			checkPair(t, sc, path, id, secret)
		}
	}
}

// TestGluedGoBinary builds a Go program whose package variables hold a key
// pair: the linker packs the key ID between unrelated constants and the
// secret between two other 40-byte strings. The key ID is found glued, the
// secret through the variable's symbol, in a default build, in a
// position-independent one and in a Windows (PE) one; a stripped build
// (-ldflags=-s) still gives the key ID.
func TestGluedGoBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	sc := binScanner(t)
	g := fakekey.New(31)
	id, secret := g.KeyID("AKIA"), g.Secret()
	dir := t.TempDir()
	src := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nvar awsAccessKeyID = %q\nvar awsSecretAccessKey = %q\n\n"+
		"func main() { fmt.Println(awsAccessKeyID, awsSecretAccessKey) }\n", id, secret)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module creds\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(name string, args ...string) string {
		out := filepath.Join(dir, name)
		goos := "GOOS=linux"
		if len(args) > 0 && strings.HasPrefix(args[0], "GOOS=") {
			goos, args = args[0], args[1:]
		}
		cmd := exec.Command("go", append(append([]string{"build", "-o", out}, args...), ".")...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0", goos)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", args, err, b)
		}
		return out
	}
	checkPair(t, sc, build("creds"), id, secret)
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" {
		checkPair(t, sc, build("creds-pie", "-buildmode=pie"), id, secret)
	}
	t.Setenv("GOARCH", "amd64")
	checkPair(t, sc, build("creds.exe", "GOOS=windows"), id, secret)
	data, err := os.ReadFile(build("creds-stripped", "-ldflags=-s"))
	if err != nil {
		t.Fatal(err)
	}
	if fs := sc.ScanBinary("creds-stripped", data); len(fs) == 0 || fs[0].Secret != id {
		t.Errorf("stripped: %+v, want the key ID", fs)
	}
}

// TestGluedPNG writes a PNG whose tEXt chunk holds a key pair, the secret
// last, so the chunk's CRC follows it; the keys are chosen so that the CRC's
// first byte is a secret character, which glues it to the secret.
func TestGluedPNG(t *testing.T) {
	sc := binScanner(t)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); ; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		text := "Comment\x00aws_access_key_id=" + id + " aws_secret_access_key=" + secret
		chunk := binary.BigEndian.AppendUint32(nil, uint32(len(text)))
		chunk = append(chunk, "tEXt"+text...)
		chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
		if !isSecretChar(chunk[len(chunk)-4]) {
			continue
		}
		const ihdrEnd = 8 + 25 // signature, IHDR chunk
		data := append(append(append([]byte{}, img.Bytes()[:ihdrEnd]...), chunk...), img.Bytes()[ihdrEnd:]...)
		path := filepath.Join(t.TempDir(), "creds.png")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		checkPair(t, sc, path, id, secret)
		return
	}
}

// TestGluedBinary: in a binary's runs, a key ID glued to letters on either
// side and the 40 characters right after a strong secret keyword or after a
// key ID are found, ASCII and UTF-16LE; placeholders, upper-case words, key
// IDs inside base32 data or next to an upper-case letter, old-generation IDs
// (no account to decode) and keywords followed by words are not.
func TestGluedBinary(t *testing.T) {
	sc := binScanner(t)
	g := fakekey.New(41)
	id, secret := g.KeyID("AKIA"), g.Secret()
	tmp := g.KeyID("ASIA")
	upperSecret := g.Secret()
	for !isUpper(upperSecret[0]) {
		upperSecret = g.Secret()
	}
	base32Blob := func(n int) string {
		b := make([]byte, n)
		for i, c := range randomBytes(uint64(n), n) {
			b[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[c%32]
		}
		return string(b)
	}
	cases := []struct {
		run  string
		want []string
	}{
		{"deploy" + id + "xyzzy", []string{id}},
		{"maxheaders" + tmp + "37252902984619140625", []string{tmp}},
		{"secretAccessKey" + secret + "MapIter", []string{secret}},
		{"AWS_SECRET_ACCESS_KEY=" + secret + "Ceui", []string{secret}},
		{"deploy" + id + secret + "eS", []string{id, secret}},
		{"xyz" + "AKIAXXXXXXXXXXXXXXXX" + "abc", nil},
		{"region" + "ASIAPACIFICSOUTHEAST" + "zone", nil},
		{base32Blob(30) + id + base32Blob(30), nil},
		{"xyz" + "AKIAI" + id[5:] + "abc", nil},
		{"aws_secret_access_key" + "thisIsNotARealSecretButJustSomeLongWords" + "xx", nil},
		{"aws_secret_access_key" + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" + "xx", nil},
		{"secret_access" + secret + "xx", nil}, // no "key": not a keyword this rule reads
		{"var x = \"X" + id + "\"", nil},       // inside a longer upper-case token
		{"var x = \"" + id + "Z\"", nil},
		{"DEPLOY" + id + "xyzzy", nil},
		{"/5AWS_ACCESS_KEY_ID" + id + "\x01", []string{id}},
		{"deploy" + id + upperSecret + "eS", []string{id, upperSecret}},
		// A Kubernetes Secret's data in a compiled test: the base64 of
		// AWS's documented example is one padded token, not a secret
		// glued to its own tail.
		{"AWS_SECRET_ACCESS_KEY: " + base64.StdEncoding.EncodeToString([]byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")) + "\nconfig", nil},
	}
	for _, c := range cases {
		for _, wide := range []bool{false, true} {
			data := append(randomBytes(7, 2000), 0, 0, 0)
			for i := range len(c.run) {
				data = append(data, c.run[i])
				if wide {
					data = append(data, 0)
				}
			}
			data = append(append(data, 0, 0, 0), randomBytes(8, 2000)...)
			var got []string
			for _, f := range sc.ScanBinary("blob.bin", data) {
				got = append(got, f.Secret)
				enc := []byte(f.Secret)
				if wide {
					enc = nil
					for i := range len(f.Secret) {
						enc = append(enc, f.Secret[i], 0)
					}
				}
				if !bytes.Equal(data[f.Offset:f.EndOffset], enc) {
					t.Errorf("%q wide=%v: bytes %d-%d do not hold %s", c.run, wide, f.Offset, f.EndOffset, f.Kind)
				}
				if f.Kind == rules.SecretAccessKey && f.Secret != secret && f.Secret != upperSecret {
					t.Errorf("%q wide=%v: secret %q", c.run, wide, f.Secret)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%q wide=%v: found %q, want %q", c.run, wide, got, c.want)
			}
		}
	}
}

// TestGluedTextUnchanged: the glued layouts in a text file keep the text
// rules (a key ID needs its word boundaries, a secret its own token): the
// cuts are made in binary runs only.
func TestGluedTextUnchanged(t *testing.T) {
	sc := binScanner(t)
	g := fakekey.New(51)
	id, secret := g.KeyID("AKIA"), g.Secret()
	text := "deploy" + id + secret + "eS\n" +
		"aws_access_key_id" + id + "\n" +
		"aws_secret_access_key" + secret + "(\n" +
		"maxheaders" + id + "37252902984619140625\n" +
		"secretAccessKey" + secret + "MapIter\n"
	for _, name := range []string{"notes.txt", "dump.sql", "main.go"} {
		if fs := sc.Scan(name, []byte(text)); len(fs) != 0 {
			t.Errorf("%s: %d findings, want none as before: %+v", name, len(fs), fs[0])
		}
	}
}

// FuzzScanBinary: binary content, ELF and PE files among it (seeded with Go
// binaries whose variables hold a key pair, built here), never crashes the
// scan, and every finding lies inside the input; the string variables
// goStrings reads, and the strings goRefs reads, lie inside it too.
func FuzzScanBinary(f *testing.F) {
	g := fakekey.New(61)
	id, secret := g.KeyID("AKIA"), g.Secret()
	f.Add([]byte("\x00\x00deploy" + id + secret + "eS\x00aws_secret_access_key" + secret + "Ceui\x00"))
	f.Add([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add(append([]byte("\xcf\xfa\xed\xfe\x0c\x00\x00\x01"), make([]byte, 56)...))
	// A universal Mach-O whose three entries name one image, the file itself.
	f.Add([]byte("\xca\xfe\xba\xbe\x00\x00\x00\x03" + strings.Repeat("\x01\x00\x00\x0c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x60\x00\x00\x00\x0e", 3)))
	// A WebAssembly module: a key ID's address stored, its length after.
	f.Add(wasmModule([]byte{0x42, 0x80, 0x80, 0x04, 0x37, 3, 0, 0x42, 20, 0x37, 3, 8, 0x0b}, wasmSeg{0x10000, []byte(id + secret)}))
	var le, be []byte // UTF-32 strings (qa16 HIGH-4)
	for _, c := range []byte("aws_secret_access_key=" + secret) {
		le, be = append(le, c, 0, 0, 0), append(be, 0, 0, 0, c)
	}
	f.Add(append([]byte("\x00\x01"), le...))
	f.Add(append([]byte("\x00\x01"), be...))
	if !testing.Short() {
		dir := f.TempDir()
		src := fmt.Sprintf("package main\n\nvar awsAccessKeyID = %q\nvar awsSecretAccessKey = %q\n\nfunc main() { println(awsAccessKeyID, awsSecretAccessKey) }\n", id, secret)
		os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644)
		os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module creds\n\ngo 1.22\n"), 0o644)
		for _, goos := range []string{"linux", "windows", "darwin", "wasip1"} {
			cmd := exec.Command("go", "build", "-ldflags=-w", "-o", "creds-"+goos, ".")
			cmd.Dir = dir
			arch := "amd64"
			if goos == "wasip1" {
				arch = "wasm"
			}
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+arch)
			if b, err := cmd.CombinedOutput(); err != nil {
				f.Fatalf("go build: %v\n%s", err, b)
			}
			data, err := os.ReadFile(filepath.Join(dir, "creds-"+goos))
			if err != nil {
				f.Fatal(err)
			}
			if ids, secrets, _ := goRefs(data); (goos == "darwin" || goos == "wasip1") && (len(ids) != 1 || len(secrets) == 0) {
				f.Fatalf("seed binary for %s: goRefs found %v, %v", goos, ids, secrets) // goStrings reads no Mach-O or WebAssembly
			} else if goos != "darwin" && goos != "wasip1" && len(goStrings(data)) != 2 {
				f.Fatalf("seed binary for %s: goStrings found %v", goos, goStrings(data))
			}
			f.Add(data)
		}
	}
	sc, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range goStrings(data) {
			if v.off < 0 || v.off+v.len > len(data) {
				t.Fatalf("goStrings: %+v outside %d bytes", v, len(data))
			}
		}
		ids, secrets, _ := goRefs(data)
		for n, rs := range map[int][]goRef{20: ids, 40: secrets} {
			for _, r := range rs {
				if r.off < 0 || r.off+n > len(data) {
					t.Fatalf("goRefs: %+v (%d bytes) outside %d bytes", r, n, len(data))
				}
			}
		}
		for _, fd := range sc.ScanBinaryAll("blob.bin", data) {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset >= fd.EndOffset {
				t.Fatalf("finding at %d-%d in %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
	})
}
