package content

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

// kindsIn returns the kinds of the findings of r in members whose name
// starts with prefix.
func kindsIn(r Result, prefix string) map[rules.Kind]bool {
	kinds := map[rules.Kind]bool{}
	for _, f := range r.Findings {
		if strings.HasPrefix(f.File, prefix) {
			kinds[f.Kind] = true
		}
	}
	return kinds
}

// TestFirmwareObjcopy is qa16 HIGH-6: the constants of a compiled object,
// written as Intel HEX and S-records by the real objcopy (16- and 8-byte
// records, S1 and S3 addresses), are read from the image the records
// describe: both keys found in the file's member, as in the object file.
func TestFirmwareObjcopy(t *testing.T) {
	for _, tool := range []string{"gcc", "objcopy"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s here (.ci/run installs it)", tool)
		}
	}
	sc := newScanner(t)
	g := fakekey.New(61)
	dir := t.TempDir()
	src := filepath.Join(dir, "fw.c")
	if err := os.WriteFile(src, fmt.Appendf(nil, "const char aws_access_key_id[] = %q;\nconst char aws_secret_access_key[] = %q;\n", g.KeyID("AKIA"), g.Secret()), 0o600); err != nil {
		t.Fatal(err)
	}
	obj := filepath.Join(dir, "fw.o")
	if out, err := exec.Command("gcc", "-c", "-O2", "-o", obj, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v %s", err, out)
	}
	for _, c := range []struct {
		name, enc string
		args      []string
	}{
		{"fw.hex", "intel-hex", []string{"-O", "ihex"}},
		{"fw.srec", "srec", []string{"-O", "srec"}},
		{"fw3.s37", "srec", []string{"-O", "srec", "--srec-forceS3", "--srec-len=8"}},
	} {
		out := filepath.Join(dir, c.name)
		args := append(append([]string{}, c.args...), "-j", ".rodata", obj, out)
		if b, err := exec.Command("objcopy", args...).CombinedOutput(); err != nil {
			t.Fatalf("objcopy %v: %v %s", args, err, b)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		r := Scan(context.Background(), sc, c.name, data, DefaultOptions())
		kinds := kindsIn(r, c.name+"!"+c.enc+" ")
		if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Undecoded != 0 {
			t.Errorf("%s: kinds %v, %d undecoded; findings %v", c.name, kinds, r.Undecoded, places(r.Findings))
		}
	}
}

// ihexFile writes img at addr as Intel HEX records of n bytes, with the
// extended linear address records a 32-bit address needs, in shuffled
// order when shuffle is set (the format allows any order).
func ihexFile(img []byte, addr uint32, n int, shuffle bool) []byte {
	rec := func(typ byte, a uint16, data []byte) string {
		sum := byte(len(data)) + byte(a>>8) + byte(a) + typ
		s := fmt.Sprintf(":%02X%04X%02X", len(data), a, typ)
		for _, b := range data {
			s += fmt.Sprintf("%02X", b)
			sum += b
		}
		return s + fmt.Sprintf("%02X\r\n", -sum)
	}
	var chunks []string
	for off := 0; off < len(img); {
		a := addr + uint32(off)
		k := min(n, len(img)-off, int(0x10000-a&0xFFFF)) // a record stays in its 64 KiB
		chunks = append(chunks, rec(4, 0, []byte{byte(a >> 24), byte(a >> 16)})+rec(0, uint16(a), img[off:off+k]))
		off += k
	}
	if shuffle {
		r := rand.New(rand.NewPCG(1, 2))
		r.Shuffle(len(chunks), func(i, j int) { chunks[i], chunks[j] = chunks[j], chunks[i] })
	}
	return []byte(strings.Join(chunks, "") + rec(1, 0, nil))
}

// TestFirmwareRecords: records in any order, across a 64 KiB boundary, are
// read in address order; a line that is no record is counted as not
// decoded whole, the records around it read; a text whose first line is
// no record is no firmware file.
func TestFirmwareRecords(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(62)
	img := append([]byte("\x00\x01\x02\xffboot\x00"), text...)
	for _, shuffle := range []bool{false, true} {
		data := ihexFile(img, 0x0800FFE0, 16, shuffle)
		r := Scan(context.Background(), sc, "app.hex", data, DefaultOptions())
		if kinds := kindsIn(r, "app.hex!intel-hex "); !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Undecoded != 0 {
			t.Errorf("shuffled %v: kinds %v, %d undecoded; findings %v", shuffle, kinds, r.Undecoded, places(r.Findings))
		}
	}
	data := ihexFile(img, 0, 16, false)
	bad := strings.Replace(string(data), "\r\n:", "\r\n:00garbage\r\n:", 1)
	r := Scan(context.Background(), sc, "bad.hex", []byte(bad), DefaultOptions())
	if kinds := kindsIn(r, "bad.hex!intel-hex "); !kinds[rules.AccessKeyID] || r.Undecoded != 1 {
		t.Errorf("a bad line: kinds %v, %d undecoded, want the key and 1", kinds, r.Undecoded)
	}
	r = Scan(context.Background(), sc, "notes.txt", append([]byte("notes\n"), data...), DefaultOptions())
	if kinds := kindsIn(r, "notes.txt!"); len(kinds) != 0 {
		t.Errorf("no firmware file: %v", places(r.Findings))
	}
}
