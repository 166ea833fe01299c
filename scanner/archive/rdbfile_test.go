package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/scanner/archive/rdb"
)

// TestRedisDump is qa16 MEDIUM-3: Redis saves strings over 20 bytes
// LZF-compressed, cutting a secret every 32 bytes or less, so it was never
// reported. A dump the real redis-server saves holds a string, a hash and a
// list (their listpacks compressed whole); each value is found whole in a
// member.
func TestRedisDump(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed (.ci/run installs redis-server): not checked")
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "r.sock")
	srv := exec.Command("redis-server", "--port", "0", "--unixsocket", sock, "--dir", dir, "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	cli := func(args ...string) string {
		b, err := exec.Command("redis-cli", append([]string{"-s", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("redis-cli %v: %v\n%s", args, err, b)
		}
		return string(b)
	}
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if i == 1200 { // a minute: 5 s failed on a loaded machine
			t.Fatal("redis-server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	str := `{"service":"uploader","aws_secret_access_key":"marker-string","aws_region":"us-east-1","bucket":"uploader-prod","service_name":"uploader"}`
	cli("SET", "config:uploader", str)
	cli("HSET", "creds", "aws_secret_access_key", "marker-hash marker-hash marker-hash", "note", "uploader uploader uploader")
	cli("RPUSH", "log", "marker-list marker-list marker-list", "second entry second entry second entry")
	cli("SAVE")
	cli("SHUTDOWN", "NOSAVE")
	srv.Wait()
	data, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	if f := DetectName("dump.rdb", data); f != Rdb {
		t.Fatalf("DetectName = %v", f)
	}
	if bytes.Contains(data, []byte(str)) {
		t.Fatal("redis-server stored the string uncompressed: the test checks nothing")
	}
	got, warns, st := walk(t, "dump.rdb", data, DefaultLimits())
	if len(warns) > 0 || st.Unscanned > 0 {
		t.Errorf("warnings %q", warns)
	}
	all := strings.Join(values(got), "\n")
	for _, s := range []string{str, "marker-hash marker-hash marker-hash", "marker-list marker-list marker-list"} {
		if !strings.Contains(all, s) {
			t.Errorf("no member holds %q (members %q)", s, keys(got))
		}
	}
}

func values(m map[string]string) []string {
	var vs []string
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

// TestRDBBounded: a file of markers whose lengths fit costs no more than
// its budget, a string over the size limit is counted, and an LZF string
// is read whole however its literal runs cut it.
func TestRDBBounded(t *testing.T) {
	text := []byte(strings.Repeat("aws_secret_access_key = marker ", 8))
	lzf := lzfLiterals(text)
	dump := append([]byte("REDIS0011\xfe\x00\x00\x05hello\xc3"), rdbLen(len(lzf))...)
	dump = append(append(append(dump, rdbLen(len(text))...), lzf...), 0xff)
	got, warns, _ := walk(t, "dump.rdb", dump, DefaultLimits())
	if got["dump.rdb!lzf@18"] != string(text) || len(warns) > 0 {
		t.Errorf("members %q, warnings %q", keys(got), warns)
	}
	lim := DefaultLimits()
	lim.MaxMemberSize = 100
	if _, warns, st := walk(t, "dump.rdb", dump, lim); st.Unscanned != 1 {
		t.Errorf("a string over max_file_size: %q", warns)
	}

	// 100,000 markers each claiming 6 KiB of back references it lacks.
	var bomb bytes.Buffer
	bomb.WriteString("REDIS0011")
	for range 100000 {
		bomb.Write([]byte{0xc3, 0x30, 0x40 | 0x18, 0x00, 0x00, 'a'})
		bomb.Write(bytes.Repeat([]byte{0xe0, 0xff, 0x00}, 15))
	}
	if _, err := rdb.Strings(bomb.Bytes(), 25<<20, 1<<20, func(rdb.String) bool { return true }); err != rdb.ErrBudget {
		t.Errorf("the bomb: %v, want %v", err, rdb.ErrBudget)
	}

	// review15 B-4: 33-byte units, each an LZF literal run of 32 bytes
	// holding a marker that claims the rest of the file, too large to
	// keep: each was walked to the file's end (quadratic), uncharged.
	nest := rdbNested(40000)
	if _, err := rdb.Strings(nest, 4096, 1<<20, func(rdb.String) bool { return true }); err != rdb.ErrBudget {
		t.Errorf("nested markers: %v, want %v", err, rdb.ErrBudget)
	}
}

// rdbNested is review15 B-4's dump: n units of a literal run control
// byte (32 bytes follow), 21 bytes of text, and a marker whose lengths
// (32-bit, after 0x80) claim the rest of the file and 132 times it.
func rdbNested(n int) []byte {
	b := []byte("REDIS0009")
	for i := range n {
		b = append(append(b, 0x1f), bytes.Repeat([]byte("A"), 21)...)
		rest := uint32(33 * (n - 1 - i))
		b = binary.BigEndian.AppendUint32(append(b, 0xc3, 0x80), rest)
		b = binary.BigEndian.AppendUint32(append(b, 0x80), 132*rest)
	}
	return b
}

// lzfLiterals is LZF of literal runs only, as liblzf writes text it finds
// no repeats in: a control byte before every 32 bytes.
func lzfLiterals(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		n := min(len(b), 32)
		out = append(append(out, byte(n-1)), b[:n]...)
		b = b[n:]
	}
	return out
}

func rdbLen(n int) []byte {
	if n < 64 {
		return []byte{byte(n)}
	}
	if n < 16384 {
		return []byte{0x40 | byte(n>>8), byte(n)}
	}
	panic(fmt.Sprint("length ", n))
}
