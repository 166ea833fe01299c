package scanner

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

func binScanner(t testing.TB) *Scanner {
	t.Helper()
	sc, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestBinaryKeyPair embeds a key pair in random bytes, as two neighbouring
// constants separated by a length byte, in ASCII, UTF-16LE and UTF-32 (LE
// and BE: qa16 HIGH-4, C and C++ wide strings where wchar_t is 4 bytes):
// all are found, paired, at their byte offsets (a UTF-32BE value from its
// first character's byte to its last's).
func TestBinaryKeyPair(t *testing.T) {
	sc := binScanner(t)
	g := fakekey.New(11)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, width := range []int{1, 2, 4, -4} {
		enc := func(s string) []byte {
			var b []byte
			for i := range len(s) {
				switch width {
				case 1:
					b = append(b, s[i])
				case 2:
					b = append(b, s[i], 0)
				case 4:
					b = append(b, s[i], 0, 0, 0)
				default:
					b = append(b, 0, 0, 0, s[i])
				}
			}
			return b
		}
		data := randomBytes(1, 5000)
		data = append(data, 0, 0x14)
		idAt := len(data)
		data = append(data, enc(id)...)
		data = append(data, 0, 0x01)
		secAt := len(data)
		data = append(data, enc(secret)...)
		data = append(data, 0)
		data = append(data, randomBytes(2, 5000)...)
		fs := sc.ScanBinary("blob.bin", data)
		if len(fs) != 2 {
			t.Fatalf("width %d: %d findings, want the pair: %+v", width, len(fs), fs)
		}
		for _, f := range fs {
			at, v := idAt, id
			if f.Kind == rules.SecretAccessKey {
				at, v = secAt, secret
			}
			end := at + len(v)*max(width, -width)
			if width < 0 {
				at += 3
			}
			if f.Secret != v || f.Offset != at || f.Line != 0 || f.Pair == "" {
				t.Errorf("width %d: %s at byte %d (line %d, pair %q), want byte %d, no line, paired", width, f.Kind, f.Offset, f.Line, f.Pair, at)
			}
			if f.EndOffset != end {
				t.Errorf("width %d: %s ends at %d, want %d", width, f.Kind, f.EndOffset, end)
			}
		}
	}
}

// TestBinaryPrecision: a secret-like value in binary data with no keyword
// and no key ID in its own group is not reported, and an old-generation key
// ID (no account to decode) glued to other letters is not one (a glued
// new-generation one is: see TestGluedBinary).
func TestBinaryPrecision(t *testing.T) {
	sc := binScanner(t)
	g := fakekey.New(12)
	id, secret := g.KeyID("AKIA"), g.Secret()
	data := randomBytes(3, 3000)
	data = append(data, 0, 0, 0)
	data = append(data, "aws_secret_access_key"...)
	data = append(data, randomBytes(4, 64)...) // far from the keyword: another group
	data = append(data, make([]byte, 16)...)
	data = append(data, secret...)
	data = append(data, 0)
	data = append(data, "XYZAKIAI"+id[5:]+"QQ"...)
	data = append(data, 0)
	if fs := sc.ScanBinary("blob.bin", data); len(fs) != 0 {
		t.Errorf("findings without context: %+v", fs)
	}
}

// TestBinaryNoFindings: random data, PNG and JPEG images and a Go binary
// built here give nothing.
func TestBinaryNoFindings(t *testing.T) {
	sc := binScanner(t)
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	r := rand.New(rand.NewPCG(5, 5))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	img.Set(0, 0, color.White)
	var pngData, jpegData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegData, img, nil); err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{
		"random.bin": randomBytes(6, 4<<20),
		"image.png":  pngData.Bytes(),
		"image.jpg":  jpegData.Bytes(),
	}
	if !testing.Short() {
		inputs["hello"] = goBinary(t)
	}
	for name, data := range inputs {
		if fs := sc.ScanBinary(name, data); len(fs) != 0 {
			t.Errorf("%s: %d findings: %+v", name, len(fs), fs[0])
		}
	}
}

// goBinary builds a small Go program that uses the standard library widely.
func goBinary(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	src := "package main\n\nimport (\n\t\"crypto/tls\"\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() { fmt.Println(http.DefaultClient, tls.VersionTLS13) }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCompiledConstants compiles a Python module and a Java class holding a
// key pair and finds it in the .pyc and the .class.
func TestCompiledConstants(t *testing.T) {
	sc := binScanner(t)
	g := fakekey.New(13)
	id, secret := g.KeyID("AKIA"), g.Secret()
	dir := t.TempDir()
	// A module's last constants glue marshal's next type code to the key:
	// "…<key ID>N)" (None, the tuple's end), "…T" (True) (qa34 1).
	for name, src := range map[string]string{
		"settings":   "import boto3\nAWS_ACCESS_KEY_ID = %[1]q\nAWS_SECRET_ACCESS_KEY = %[2]q\n",
		"id_last":    "AWS_SECRET_ACCESS_KEY = %[2]q\nAWS_ACCESS_KEY_ID = %[1]q\n",
		"pair_last":  "AWS_ACCESS_KEY_ID = %[1]q\nAWS_SECRET_ACCESS_KEY = %[2]q\n",
		"then_true":  "AWS_ACCESS_KEY_ID = %[1]q\nDEBUG = True\nAWS_SECRET_ACCESS_KEY = %[2]q\nUSE_SSL = False\n",
		"then_float": "AWS_ACCESS_KEY_ID = %[1]q\nAWS_SECRET_ACCESS_KEY = %[2]q\nTIMEOUT = 2.5\nRETRIES = [1, 2]\n",
	} {
		t.Run("pyc "+name, func(t *testing.T) {
			if _, err := exec.LookPath("python3"); err != nil {
				t.Skip("python3 not installed")
			}
			py := filepath.Join(dir, name+".py")
			os.WriteFile(py, fmt.Appendf(nil, src, id, secret), 0o644)
			pyc := filepath.Join(dir, name+".pyc")
			if b, err := exec.Command("python3", "-c", "import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", py, pyc).CombinedOutput(); err != nil {
				t.Fatalf("py_compile: %v\n%s", err, b)
			}
			checkPair(t, sc, pyc, id, secret)
		})
	}
	t.Run("class", func(t *testing.T) {
		if _, err := exec.LookPath("javac"); err != nil {
			t.Skip("javac not installed")
		}
		java := filepath.Join(dir, "Creds.java")
		os.WriteFile(java, fmt.Appendf(nil, "public class Creds {\n  static String accessKeyId() { return %q; }\n  static String secretAccessKey() { return %q; }\n  public static void main(String[] a) { System.out.println(accessKeyId() + secretAccessKey()); }\n}\n", id, secret), 0o644)
		if b, err := exec.Command("javac", "-d", dir, java).CombinedOutput(); err != nil {
			t.Fatalf("javac: %v\n%s", err, b)
		}
		checkPair(t, sc, filepath.Join(dir, "Creds.class"), id, secret)
	})
}

func checkPair(t *testing.T, sc *Scanner, file, id, secret string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !IsBinary(data) {
		t.Fatalf("%s is not binary", file)
	}
	got := map[string]bool{}
	for _, f := range sc.ScanBinary(filepath.Base(file), data) {
		got[f.Secret] = true
		if !bytes.Contains(data[f.Offset:f.EndOffset], []byte(f.Secret)) {
			t.Errorf("%s: bytes %d-%d do not hold the value", file, f.Offset, f.EndOffset)
		}
	}
	if !got[id] || !got[secret] {
		t.Errorf("%s: found %v, want the key ID and the secret", file, got)
	}
}
