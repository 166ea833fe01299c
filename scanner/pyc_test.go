package scanner

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// pythons returns the Python interpreters found here that run: python3
// and, when installed, 2.7, 3.12 and 3.13 (by name, or under pyenv).
func pythons(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	cands := []string{"python2.7", "python3.12", "python3.13", "python3"}
	if home, err := os.UserHomeDir(); err == nil {
		m, _ := filepath.Glob(filepath.Join(home, ".pyenv", "versions", "*", "bin", "python"))
		cands = append(cands, m...)
	}
	for _, c := range cands {
		out, err := exec.Command(c, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").Output()
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(out))
		if _, ok := found[v]; !ok {
			found[v] = c
		}
	}
	for _, v := range []string{"2.7", "3.12", "3.13"} {
		if found[v] == "" {
			t.Logf("no python%s here: its .pyc files are not checked (TestPyc27ByHand builds 2.7's by hand)", v)
		}
	}
	if len(found) == 0 {
		t.Skip("no python here")
	}
	return found
}

// pycShapes are modules holding the key pair (%[1]s the key ID, %[2]s the
// secret) in the shapes the printable runs of a .pyc missed (arch36).
var pycShapes = map[string]string{
	"settings": "AWS_ACCESS_KEY_ID = %[1]q\nAWS_SECRET_ACCESS_KEY = %[2]q\n",
	// bytes constants: 's' and a 4-byte length, glued to "N)" after.
	"bytes": "AWS_ACCESS_KEY_ID = b%[1]q\nAWS_SECRET_ACCESS_KEY = b%[2]q\n",
	// 40 constants between the key ID and the secret: neither near it.
	"far": "AWS_ACCESS_KEY_ID = %[1]q\n" + func() string {
		var b strings.Builder
		for i := range 40 {
			fmt.Fprintf(&b, "opt_%d = \"value number %d of the settings\"\n", i, i)
		}
		return b.String()
	}() + "AWS_SECRET_ACCESS_KEY = %[2]q\n",
	"dict":   "CREDS = {\"aws_access_key_id\": %[1]q, \"aws_secret_access_key\": %[2]q, \"region\": \"eu-west-1\"}\n",
	"call":   "def connect():\n    import boto3\n    return boto3.client(\"s3\", aws_access_key_id=%[1]q, aws_secret_access_key=%[2]q)\n",
	"locals": "def connect(region):\n    key = %[1]q\n    secret = %[2]q\n    return key, secret\n",
	"class":  "class Cfg(object):\n    key_id = %[1]q\n    secret = %[2]q\n",
	"attrs":  "class Cfg(object):\n    def __init__(self):\n        self.key_id = %[1]q\n        self.secret = %[2]q\n",
}

// TestPycShapes: every shape compiled by every Python here gives the key
// ID and the secret, each at the bytes that hold it.
func TestPycShapes(t *testing.T) {
	sc := binScanner(t)
	dir := t.TempDir()
	for ver, py := range pythons(t) {
		for shape, src := range pycShapes {
			t.Run(ver+" "+shape, func(t *testing.T) {
				g := fakekey.New(3610 + uint64(len(shape)))
				id, secret := g.KeyID("AKIA"), g.Secret()
				base := filepath.Join(dir, strings.ReplaceAll(ver, ".", "_")+"_"+shape)
				if err := os.WriteFile(base+".py", fmt.Appendf(nil, src, id, secret), 0o644); err != nil {
					t.Fatal(err)
				}
				if b, err := exec.Command(py, "-c", "import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", base+".py", base+".pyc").CombinedOutput(); err != nil {
					t.Fatalf("py_compile: %v\n%s", err, b)
				}
				checkPair(t, sc, base+".pyc", id, secret)
				data, _ := os.ReadFile(base + ".pyc")
				if _, c := sc.ScanBinaryAllCounted("m.pyc", data, 0); c.Unread != "" {
					t.Errorf("a whole .pyc counted as not read: %s", c.Unread)
				}
			})
		}
	}
}

// marshal27 writes CPython 2.7's marshal format (Python/marshal.c of 2.7):
// a code object is 'c', argcount, nlocals, stacksize and flags (int32
// each), then code, consts, names, varnames, freevars, cellvars,
// filename, name, firstlineno (int32) and lnotab; strings are 's' (or 't',
// interned) and an int32 length, an interned string again is 'R' and its
// index.
type marshal27 struct{ bytes.Buffer }

func (m *marshal27) i32(n int) { m.Write(binary.LittleEndian.AppendUint32(nil, uint32(n))) }
func (m *marshal27) str(t byte, s string) {
	m.WriteByte(t)
	m.i32(len(s))
	m.WriteString(s)
}
func (m *marshal27) tuple(n int) {
	m.WriteByte('(')
	m.i32(n)
}

// TestPyc27ByHand: a 2.7 .pyc built from the format's spec (so it is
// checked without python2.7): a settings module whose secret lies 40
// constants after its key ID, its names interned and one referred back
// to, gives both at their bytes.
func TestPyc27ByHand(t *testing.T) {
	g := fakekey.New(3620)
	id, secret := g.KeyID("AKIA"), g.Secret()
	consts := []string{id}
	names := []string{"AWS_ACCESS_KEY_ID"}
	for i := range 40 {
		consts = append(consts, fmt.Sprintf("value number %d of the settings", i))
		names = append(names, fmt.Sprintf("opt_%d", i))
	}
	consts = append(consts, secret)
	names = append(names, "AWS_SECRET_ACCESS_KEY")
	var code []byte
	for i := range consts {
		code = append(code, 100, byte(i), 0, 90, byte(i), 0) // LOAD_CONST i, STORE_NAME i
	}
	code = append(code, 100, byte(len(consts)), 0, 83) // LOAD_CONST None, RETURN_VALUE
	var m marshal27
	m.Write([]byte{0x03, 0xf3, '\r', '\n', 1, 2, 3, 4})
	m.WriteByte('c')
	m.i32(0)
	m.i32(0)
	m.i32(1)
	m.i32(0x40)
	m.str('s', string(code))
	m.tuple(len(consts) + 1)
	for _, c := range consts {
		m.str('s', c)
	}
	m.WriteByte('N')
	m.tuple(len(names))
	for _, n := range names {
		m.str('t', n)
	}
	m.tuple(0) // varnames
	m.tuple(0)
	m.tuple(0)
	m.str('s', "settings.py")
	m.WriteByte('R') // the module's name: an interned name again
	m.i32(0)
	m.i32(1)
	m.str('s', "")
	path := filepath.Join(t.TempDir(), "settings.pyc")
	if err := os.WriteFile(path, m.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	checkPair(t, binScanner(t), path, id, secret)
	if _, c := binScanner(t).ScanBinaryAllCounted("settings.pyc", m.Bytes(), 0); c.Unread != "" {
		t.Errorf("counted as not read: %s", c.Unread)
	}
}

// TestPycMalformed: a .pyc cut short at any byte, with a type code marshal
// lacks, a count past its end or nested past the bound is read for its
// printable runs and counted as not read whole (Counts.Unread), never
// taken for clean; nothing panics.
func TestPycMalformed(t *testing.T) {
	py := pythons(t)["3.11"]
	if py == "" {
		for _, p := range pythons(t) {
			py = p
			break
		}
	}
	g := fakekey.New(3630)
	id, secret := g.KeyID("AKIA"), g.Secret()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "m.py"), fmt.Appendf(nil, pycShapes["far"], id, secret), 0o644)
	if b, err := exec.Command(py, "-c", "import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", filepath.Join(dir, "m.py"), filepath.Join(dir, "m.pyc")).CombinedOutput(); err != nil {
		t.Fatalf("py_compile: %v\n%s", err, b)
	}
	whole, err := os.ReadFile(filepath.Join(dir, "m.pyc"))
	if err != nil {
		t.Fatal(err)
	}
	sc := binScanner(t)
	v, _ := pycVersionOf(whole)
	for at := v.header + 1; at < len(whole); at++ {
		if _, c := sc.ScanBinaryAllCounted("m.pyc", whole[:at], 0); c.Unread == "" {
			t.Errorf("cut at %d of %d: not counted", at, len(whole))
		}
	}
	head := whole[:v.header]
	for name, data := range map[string][]byte{
		"type code": append(bytes.Clone(head), 'c', 0, 0, 0, 0, '?'),
		"count":     append(append(bytes.Clone(head), whole[v.header:v.header+50]...), '(', 0xff, 0xff, 0xff, 0x7f),
		"nested":    append(append(bytes.Clone(head), 0xe3), bytes.Repeat([]byte{')', 1}, 100000)...),
	} {
		fs, c := sc.ScanBinaryAllCounted("m.pyc", data, 0)
		if c.Unread == "" || !strings.Contains(c.Unread, "not read whole") {
			t.Errorf("%s: not counted (%q), %d findings", name, c.Unread, len(fs))
		}
	}
}

// FuzzPyc: marshalled code of any bytes behind a 3.12 or a 2.7 header
// never panics, and its text stays within its bound.
func FuzzPyc(f *testing.F) {
	var m marshal27
	m.Write([]byte{0x03, 0xf3, '\r', '\n', 1, 2, 3, 4})
	m.WriteByte('c')
	for range 4 {
		m.i32(0)
	}
	m.str('s', "d\x00\x00Z\x00\x00")
	m.tuple(1)
	m.str('t', "AWS_SECRET_ACCESS_KEY")
	m.tuple(1)
	m.WriteByte('R')
	m.i32(0)
	f.Add(m.Bytes())
	f.Add([]byte("\xcb\r\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xe3\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xf3\x06\x00\x00\x00\x97\x00y\x00)\x01N\xa9\x00r\x02\x00\x00\x00r\x02\x00\x00\x00\xda\x01m\xfa\x01m\x01\x00\x00\x00s\x05\x00\x00\x00\xf0\x03\x01\x01\x01r\x02\x00\x00\x00"))
	sc := binScanner(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b := binText{s: sc}
		ok, _ := b.pycText(data)
		if ok && len(b.text) > pycMaxText*len(data)+1<<20+1<<16 {
			t.Fatalf("%d bytes of text from %d", len(b.text), len(data))
		}
	})
}
